import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { describeError, EarshotError, isEarshotError } from '../domain/errors.js';
import { type Job, type JobProgress, TERMINAL_STATUSES } from '../domain/job.js';
import type { EngineHost } from '../engines/host/engine-host.js';
import { createLlmClient } from '../intelligence/llm/openai-compatible.llm.js';
import type { MediaTool } from '../media/media-tool.js';
import type { ModelStore } from '../models/model-store.js';
import { postJson } from '../net/safe-fetch.js';
import { overallPercent, type ProgressDetails } from '../pipeline/pipeline-context.js';
import { runTranscriptionPipeline } from '../pipeline/transcription.pipeline.js';
import type { BlobStore } from '../store/blob.store.js';
import type { MetadataStore } from '../store/metadata.store.js';
import { type ClaimedItem, type JobQueue, QUEUE_ITEM_KINDS, type QueueItemKind } from './queue.js';
import { webhookPayloads } from './webhook-payloads.js';

export interface WorkerDeps {
  config: Config;
  store: MetadataStore;
  queue: JobQueue;
  blobs: BlobStore;
  media: MediaTool;
  models: ModelStore;
  engines: EngineHost;
  log: Logger;
}

type Handler<K extends QueueItemKind> = (claimed: ClaimedItem<K>) => Promise<void>;

/** Idle poll interval: a claim is one indexed query, so this costs nothing measurable. */
const IDLE_POLL_MS = 200;
/** How often a worker looks for leases that expired (their worker died). */
const RECOVERY_INTERVAL_MS = 5_000;
/** Progress is written at most this often, plus on every stage change. */
const PROGRESS_WRITE_MS = 500;
/** Webhook deliveries run beside transcription; a slow receiver must not hold up a job. */
const WEBHOOK_CONCURRENCY = 4;

/** Backoff before retry `attempt` (1-based): 5 s, 10 s, 20 s, … capped at 10 minutes. */
export function retryDelayMs(attempt: number, baseMs = 5_000): number {
  return Math.min(10 * 60_000, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Claims queue items and runs them: one transcription at a time (the engine host uses every
 * core), and webhook deliveries alongside. Holds a lease on each item and heartbeats it; if the
 * lease is lost, or the job is cancelled or deleted meanwhile, the run is aborted.
 */
export class Worker {
  private readonly handlers: { [K in QueueItemKind]: Handler<K> };
  private readonly stopping = new AbortController();
  private lastRecovery = 0;

  constructor(
    private readonly deps: WorkerDeps,
    readonly workerId: string,
  ) {
    this.handlers = {
      transcribe: (claimed) => this.transcribe(claimed),
      'deliver-webhook': (claimed) => this.deliverWebhook(claimed),
    };
    const missing = QUEUE_ITEM_KINDS.filter((kind) => typeof this.handlers[kind] !== 'function');
    if (missing.length > 0) throw new Error(`worker has no handler for queue items: ${missing.join(', ')}`);
  }

  /** Runs until `stop()`; resolves when the current items have finished or been abandoned. */
  async run(): Promise<void> {
    const lanes = [
      this.lane(['transcribe']),
      ...Array.from({ length: WEBHOOK_CONCURRENCY }, () => this.lane(['deliver-webhook'])),
    ];
    await Promise.all(lanes);
  }

  stop(): void {
    this.stopping.abort();
  }

  private async lane<K extends QueueItemKind>(kinds: K[]): Promise<void> {
    const { queue, config, log } = this.deps;
    while (!this.stopping.signal.aborted) {
      try {
        await this.recoverExpired();
        const claimed = await queue.claim(kinds, this.workerId, config.jobs.leaseMs);
        if (!claimed) {
          await sleep(IDLE_POLL_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
          continue;
        }
        // The handler table is keyed by kind, so the item's kind picks the handler made for it.
        const handler = this.handlers[claimed.item.kind] as (c: ClaimedItem) => Promise<void>;
        await handler(claimed);
      } catch (error) {
        log.error({ err: error }, 'worker loop error');
        await sleep(1000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  /** Puts items whose worker died back in the queue; gives up on jobs out of attempts. */
  private async recoverExpired(): Promise<void> {
    if (Date.now() - this.lastRecovery < RECOVERY_INTERVAL_MS) return;
    this.lastRecovery = Date.now();
    await recoverExpiredItems(this.deps);
  }

  private async transcribe(claimed: ClaimedItem<'transcribe'>): Promise<void> {
    const { store, queue, config, log } = this.deps;
    const jobId = claimed.item.jobId;
    const job = await store.getJobForWorker(jobId);
    if (!job || job.deletedAt || TERMINAL_STATUSES.includes(job.status)) {
      await queue.complete(claimed);
      return;
    }
    const started = await store.updateJob(
      jobId,
      {
        status: 'processing',
        startedAt: job.startedAt ?? new Date(),
        progress: { stage: 'ingest', percent: 0, message: 'Starting' },
      },
      ['queued', 'processing'],
    );
    if (!started) {
      await queue.complete(claimed);
      return;
    }

    const run = new AbortController();
    let abandonReason: string | undefined;
    const heartbeat = setInterval(
      () => {
        void (async () => {
          const held = await queue.heartbeat(claimed, config.jobs.leaseMs);
          const current = await store.getJobForWorker(jobId);
          if (!held) abandonReason = 'lease lost';
          else if (!current || current.deletedAt || current.status !== 'processing')
            abandonReason = 'job cancelled';
          if (abandonReason) run.abort(new EarshotError('cancelled', abandonReason));
        })().catch((error: unknown) => log.warn({ err: error, jobId }, 'heartbeat failed'));
      },
      Math.max(200, Math.floor(config.jobs.leaseMs / 3)),
    );

    const workDir = path.join(config.dataDir, 'work', `${jobId}-${claimed.attempt}`);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const progress = progressWriter(store, jobId);
    const jobLog = log.child({ jobId, attempt: claimed.attempt });
    // Partials are written in order (a reader pages by seq) and all are stored before the job is
    // marked completed, so whoever streams them sees every one before the final transcript.
    let partialWrites: Promise<void> = Promise.resolve();
    try {
      const transcript = await runTranscriptionPipeline(
        job.request,
        {
          ...this.deps,
          log: jobLog,
          tenantId: job.tenantId,
          jobId,
          // One client per job: it enforces the job's LLM token budget.
          llm: createLlmClient(config.llm),
          workDir,
          signal: AbortSignal.any([run.signal, this.stopping.signal]),
          progress: progress.report,
        },
        {
          onAudioInfo: ({ durationMs }) =>
            void store.updateJob(jobId, { audioDurationMs: durationMs }, ['processing']),
          onPartial: (partial) => {
            partialWrites = partialWrites
              .then(() => store.appendJobPartial(jobId, partial))
              .catch((error: unknown) => jobLog.warn({ err: error }, 'storing a partial result failed'));
          },
        },
      );
      await partialWrites;
      await progress.flush();
      const completed = await store.updateJob(
        jobId,
        {
          status: 'completed',
          transcript,
          completedAt: new Date(),
          error: null,
          errorCode: null,
          progress: { stage: 'finalize', percent: 100, message: 'Completed' },
        },
        ['processing'],
      );
      await queue.complete(claimed);
      jobLog.info({ words: transcript.words.length }, 'job completed');
      if (completed) await this.enqueueWebhook(jobId);
    } catch (error) {
      await progress.flush();
      if (abandonReason) {
        // Someone else owns the job now (or nobody wants it): leave it as it is.
        jobLog.warn({ reason: abandonReason }, 'job abandoned');
        if (abandonReason === 'job cancelled') await queue.complete(claimed);
        return;
      }
      if (this.stopping.signal.aborted) {
        // Shutting down: give the attempt back without counting it against the job.
        await queue.retry(claimed, 0, 'worker stopped');
        await store.updateJob(jobId, { status: 'queued' }, ['processing']);
        return;
      }
      await this.failJob(claimed, error, jobLog);
    } finally {
      clearInterval(heartbeat);
      await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /**
   * An EarshotError is a verdict about this job (bad audio, missing model, engine crash on this
   * input): retrying would give the same answer, so the job ends now. Anything else may be
   * transient and is retried with backoff while attempts remain.
   */
  private async failJob(claimed: ClaimedItem<'transcribe'>, error: unknown, jobLog: Logger): Promise<void> {
    const { store, queue } = this.deps;
    const jobId = claimed.item.jobId;
    const final = isEarshotError(error) && error.code !== 'internal';
    if (!final) {
      jobLog.error({ err: error }, 'job attempt failed');
      const outcome = await queue.retry(claimed, retryDelayMs(claimed.attempt), describeError(error));
      if (outcome === 'requeued') {
        await store.updateJob(jobId, { status: 'queued' }, ['processing']);
        return;
      }
      if (outcome === 'lost') return;
    } else {
      jobLog.info({ code: error.code, message: error.message }, 'job failed');
      await queue.complete(claimed);
    }
    const message = final
      ? error.message
      : `Internal error after ${claimed.attempt} attempt${claimed.attempt === 1 ? '' : 's'}: ${describeError(error)}`;
    const failed = await store.updateJob(
      jobId,
      {
        status: 'error',
        error: message,
        errorCode: final ? error.code : 'internal',
        completedAt: new Date(),
      },
      ['processing', 'queued'],
    );
    if (failed) await this.enqueueWebhook(jobId);
  }

  private async enqueueWebhook(jobId: string): Promise<void> {
    const { store, queue, config } = this.deps;
    const job = await store.getJobForWorker(jobId);
    await enqueueWebhookFor(job, queue, config);
  }

  private async deliverWebhook(claimed: ClaimedItem<'deliver-webhook'>): Promise<void> {
    const { store, queue, config, log } = this.deps;
    const { jobId, url, method, body, headers } = claimed.item;
    let status: number | undefined;
    try {
      ({ status } = await postJson(url, body, {
        purpose: 'webhook_url',
        method,
        headers,
        timeoutMs: config.webhooks.timeoutMs,
        maxRedirects: config.fetch.maxRedirects,
        allowedPrivateHosts: config.fetch.allowedPrivateHosts,
        maxBytes: 64 * 1024,
      }));
      if (status < 200 || status >= 300) throw new Error(`webhook receiver answered HTTP ${status}`);
      await store.updateJob(jobId, { webhookStatusCode: status });
      await queue.complete(claimed);
      log.info({ jobId, status, attempt: claimed.attempt }, 'webhook delivered');
    } catch (error) {
      if (status !== undefined) await store.updateJob(jobId, { webhookStatusCode: status });
      const outcome = await queue.retry(claimed, retryDelayMs(claimed.attempt, 2_000), describeError(error));
      log.warn(
        { jobId, attempt: claimed.attempt, outcome, err: describeError(error) },
        'webhook delivery failed',
      );
    }
  }
}

/** Queues the webhook for a finished job, when its caller asked for one. */
export async function enqueueWebhookFor(job: Job | null, queue: JobQueue, config: Config): Promise<void> {
  const target = job?.request.webhook;
  const render = job && webhookPayloads[job.surface];
  if (!job || !target || !render) return;
  const headers: Record<string, string> = {};
  if (target.authHeader) headers[target.authHeader.name] = target.authHeader.value;
  await queue.enqueue(
    {
      kind: 'deliver-webhook',
      jobId: job.id,
      url: target.url,
      ...(target.method && { method: target.method }),
      body: render(job),
      headers,
    },
    { maxAttempts: config.webhooks.maxAttempts },
  );
}

/**
 * Re-queues items whose worker died; a transcription out of attempts ends its job with an error
 * (and that job's webhook fires).
 */
export async function recoverExpiredItems(
  deps: Pick<WorkerDeps, 'store' | 'queue' | 'config' | 'log'>,
  options: { all?: boolean } = {},
): Promise<void> {
  const { store, queue, config, log } = deps;
  const recovered = await queue.recoverExpired(options);
  for (const entry of recovered) {
    if (entry.item.kind !== 'transcribe') continue;
    const jobId = entry.item.jobId;
    if (entry.exhausted) {
      const attempts = `${entry.attempts} time${entry.attempts === 1 ? '' : 's'}`;
      const failed = await store.updateJob(
        jobId,
        {
          status: 'error',
          error: `Processing was interrupted ${attempts} (the worker crashed or was stopped); giving up.`,
          errorCode: 'internal',
          completedAt: new Date(),
        },
        ['queued', 'processing'],
      );
      log.warn({ jobId, attempts: entry.attempts }, 'job out of attempts after worker loss');
      if (failed) await enqueueWebhookFor(await store.getJobForWorker(jobId), queue, config);
    } else {
      await store.updateJob(jobId, { status: 'queued' }, ['processing']);
      log.warn({ jobId, attempts: entry.attempts }, 'job re-queued after worker loss');
    }
  }
}

/** Writes progress at most every PROGRESS_WRITE_MS, and at once when the stage changes. */
function progressWriter(
  store: MetadataStore,
  jobId: string,
): {
  report: (stage: JobProgress['stage'], fraction: number, message: string, details?: ProgressDetails) => void;
  flush(): Promise<void>;
} {
  let lastWrite = 0;
  let lastStage: string | undefined;
  let pending: JobProgress | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  const write = (progress: JobProgress): void => {
    lastWrite = Date.now();
    pending = undefined;
    writing = writing.then(() => store.updateJob(jobId, { progress }, ['processing'])).catch(() => undefined);
  };
  return {
    report(stage, fraction, message, details) {
      const progress: JobProgress = { stage, percent: overallPercent(stage, fraction), message, ...details };
      if (stage !== lastStage || Date.now() - lastWrite >= PROGRESS_WRITE_MS) {
        lastStage = stage;
        write(progress);
      } else {
        pending = progress;
      }
    },
    async flush() {
      if (pending) write(pending);
      await writing;
    },
  };
}
