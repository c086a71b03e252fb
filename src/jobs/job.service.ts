import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { EarshotError } from '../domain/errors.js';
import { type Job, type JobMetadata, type Surface, TERMINAL_STATUSES, type Upload } from '../domain/job.js';
import type { PartialSegment } from '../domain/transcript.js';
import type { TranscriptionRequest } from '../domain/transcription-request.js';
import { type ModelInventory, type ParamNames, selectAsrModel } from '../models/model-selection.js';
import { safeFetch } from '../net/safe-fetch.js';
import { blobKeys } from '../store/blob-keys.js';
import type { BlobStore } from '../store/blob.store.js';
import type { JobListQuery, JobSummary, MetadataStore } from '../store/metadata.store.js';
import { uuidv7 } from '../util/ids.js';
import type { JobQueue } from './queue.js';

export interface JobServiceDeps {
  config: Config;
  store: MetadataStore;
  queue: JobQueue;
  blobs: BlobStore;
  models: ModelInventory;
  log: Logger;
}

/** Features only an LLM provider can serve, named per surface in error messages. */
export type LlmFeature = 'prompts' | 'translation' | 'summaryStyle';

/** How often a waiting request looks at its job: one indexed read, cheap at this rate. */
const WAIT_POLL_MS = 150;

export interface SubmitOptions {
  surface: Surface;
  /** The surface's own parameters, echoed back when the job is shown. */
  surfaceParams: Record<string, unknown>;
  /** How the surface names canonical fields, for error messages. */
  paramNames?: ParamNames;
  /** Caller metadata stored with the job and filterable in lists. */
  metadata?: JobMetadata;
}

/**
 * What every API surface calls: uploads, submitting, reading, listing and deleting jobs.
 * Surfaces only translate; every rule about jobs lives here.
 */
export class JobService {
  constructor(private readonly deps: JobServiceDeps) {}

  async createUpload(
    tenantId: string,
    body: Readable,
    meta: { filename?: string | null; contentType?: string | null } = {},
  ): Promise<Upload> {
    const id = uuidv7();
    const blobKey = blobKeys.upload(tenantId, id);
    const sizeBytes = await this.deps.blobs.put(blobKey, body, {
      maxBytes: this.deps.config.limits.maxUploadBytes,
    });
    const upload: Upload = {
      id,
      tenantId,
      blobKey,
      sizeBytes,
      filename: meta.filename ?? null,
      contentType: meta.contentType ?? null,
      createdAt: new Date(),
    };
    try {
      await this.deps.store.createUpload(upload);
    } catch (error) {
      await this.deps.blobs.delete(blobKey);
      throw error;
    }
    return upload;
  }

  /**
   * Free-form prompts and translation can only be done by an LLM; a summary in a chosen style
   * only by one too (the extractive fallback has one style). Refused at once without a provider.
   */
  private assertLlmAvailable(
    request: TranscriptionRequest,
    names: Partial<Record<LlmFeature, string>> = {},
  ): void {
    if (this.deps.config.llm) return;
    const i = request.intelligence;
    const needs: [LlmFeature, boolean][] = [
      ['prompts', (i?.llmPrompts?.length ?? 0) > 0],
      ['translation', i?.translation !== undefined],
      ['summaryStyle', i?.summary?.style !== undefined && i.summary.style !== 'informative'],
    ];
    const missing = needs.filter(([, wanted]) => wanted).map(([feature]) => names[feature] ?? feature);
    if (missing.length > 0) {
      throw new EarshotError(
        'unsupportedParameter',
        `${missing.join(', ')} need${missing.length === 1 ? 's' : ''} an LLM provider, and this server has none configured (EARSHOT_LLM_URL, EARSHOT_LLM_MODEL)`,
        { param: missing[0] },
      );
    }
  }

  /** Sentiment needs VADER's lexicon file; without it the request is refused, not failed later. */
  private assertSentimentLexicon(request: TranscriptionRequest, param = 'sentiment_analysis'): void {
    if (!request.intelligence?.sentiment || existsSync(this.deps.config.sentimentLexiconFile)) return;
    throw new EarshotError(
      'unsupportedParameter',
      `${param} needs the VADER sentiment lexicon, which is not installed at ${this.deps.config.sentimentLexiconFile} (run scripts/setup.sh or set EARSHOT_SENTIMENT_LEXICON)`,
      { param },
    );
  }

  async getUpload(tenantId: string, id: string): Promise<Upload | null> {
    return this.deps.store.getUpload(tenantId, id);
  }

  /**
   * Stores the file at a caller's URL as an upload, fetched through the SSRF guard with the upload
   * size limit (Gladia's `POST /v2/upload` with `{audio_url}`).
   */
  async createUploadFromUrl(
    tenantId: string,
    url: string,
    meta: { filename?: string | null; signal?: AbortSignal } = {},
  ): Promise<Upload> {
    const { config } = this.deps;
    const response = await safeFetch(url, {
      purpose: 'audio_url',
      timeoutMs: config.fetch.timeoutMs,
      maxBytes: config.limits.maxUploadBytes,
      maxRedirects: config.fetch.maxRedirects,
      allowedPrivateHosts: config.fetch.allowedPrivateHosts,
      signal: meta.signal,
    });
    return this.createUpload(tenantId, response.body, {
      filename: meta.filename ?? null,
      contentType: response.headers['content-type']?.split(';')[0]?.trim() || null,
    });
  }

  /** The upload's bytes, streamed from storage; `notFound` when it does not exist (any more). */
  async openUpload(tenantId: string, id: string): Promise<{ upload: Upload; body: Readable }> {
    const upload = await this.deps.store.getUpload(tenantId, id);
    if (!upload || !(await this.deps.blobs.exists(upload.blobKey))) {
      throw new EarshotError('notFound', 'The audio file does not exist (it was deleted).');
    }
    return { upload, body: await this.deps.blobs.get(upload.blobKey) };
  }

  /**
   * A file the pipeline derived for a job (redacted audio), streamed from blob storage wherever it
   * lives; the key must be under the job's own prefix, so no caller can read another job's files.
   */
  async openJobFile(
    tenantId: string,
    jobId: string,
    blobKey: string,
  ): Promise<{ body: Readable; sizeBytes: number | null }> {
    if (
      !blobKey.startsWith(blobKeys.jobPrefix(tenantId, jobId)) ||
      !(await this.deps.blobs.exists(blobKey))
    ) {
      throw new EarshotError('notFound', 'The file does not exist (any more).');
    }
    const local = this.deps.blobs.localPath(blobKey);
    const sizeBytes = local ? (await stat(local)).size : null;
    return { body: await this.deps.blobs.get(blobKey), sizeBytes };
  }

  /**
   * Runs `use` with a local path holding the upload (for tools that read files, such as ffprobe):
   * the stored file itself when blobs live on local disk, otherwise a temporary copy removed after.
   */
  async withUploadFile<T>(upload: Upload, use: (filePath: string) => Promise<T>): Promise<T> {
    const local = this.deps.blobs.localPath(upload.blobKey);
    if (local) return use(local);
    const dir = await mkdtemp(path.join(this.deps.config.dataDir, 'tmp-upload-'));
    try {
      const file = path.join(dir, 'upload');
      await this.deps.blobs.download(upload.blobKey, file);
      return await use(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Deletes an upload that no job uses (a request refused after its file was stored). A job's own
   * upload goes with `delete`. Deleting one that does not exist is not an error.
   */
  async deleteUpload(tenantId: string, id: string): Promise<void> {
    const upload = await this.deps.store.getUpload(tenantId, id);
    if (!upload) return;
    await this.deps.blobs.delete(upload.blobKey);
    await this.deps.store.deleteUpload(tenantId, id);
  }

  /** Validates the request against what this server can do, then stores and queues the job. */
  async submit(tenantId: string, request: TranscriptionRequest, options: SubmitOptions): Promise<Job> {
    // Refuse at once what no installed model can do, instead of failing the job later. A caller's
    // own transcript needs no speech model.
    const model =
      request.audio.kind === 'transcript'
        ? null
        : selectAsrModel(
            request,
            this.deps.models,
            { engine: this.deps.config.asr.engine, model: this.deps.config.asr.model },
            options.paramNames,
          );
    if (request.audio.kind === 'transcript' && request.intelligence?.redactPii?.audio) {
      throw new EarshotError('badRequest', 'Redacted audio needs audio: this job has only a transcript', {
        param: 'redact_pii_audio',
      });
    }
    if (request.codeSwitching) {
      throw new EarshotError(
        'unsupportedParameter',
        'Code switching (a language per stretch of speech) is not supported yet',
        {
          param: 'code_switching',
        },
      );
    }
    this.assertLlmAvailable(request, options.paramNames?.llmFeatures);
    this.assertSentimentLexicon(request, options.paramNames?.sentiment);
    if (request.audio.kind === 'file') {
      throw new EarshotError('badRequest', 'local file paths cannot be submitted through the API');
    }
    if (
      request.audio.kind === 'upload' &&
      !(await this.deps.store.getUpload(tenantId, request.audio.uploadId))
    ) {
      throw new EarshotError(
        'badRequest',
        'The upload_url does not exist (it was deleted, or belongs to another key).',
        {
          param: 'audio_url',
        },
      );
    }
    // Pin the model, so a retried job runs on the same one whatever is installed by then.
    const pinned: TranscriptionRequest = model ? { ...request, speechModels: [model.id] } : request;
    const job = await this.deps.store.createJob({
      id: uuidv7(),
      tenantId,
      surface: options.surface,
      request: pinned,
      surfaceParams: options.surfaceParams,
      ...(options.metadata && { metadata: options.metadata }),
    });
    await this.deps.queue.enqueue(
      { kind: 'transcribe', jobId: job.id },
      { maxAttempts: this.deps.config.jobs.maxAttempts },
    );
    this.deps.log.info(
      { jobId: job.id, tenantId, model: model?.id ?? null, surface: options.surface },
      'job submitted',
    );
    return job;
  }

  async get(tenantId: string, id: string): Promise<Job> {
    const job = await this.deps.store.getJob(tenantId, id);
    if (!job) throw new EarshotError('notFound', 'Transcript not found');
    return job;
  }

  /**
   * Resolves when the job is completed, failed or cancelled: for APIs whose request waits for the
   * transcript (OpenAI's). Polls the store, which any worker process updates.
   */
  async waitForCompletion(
    tenantId: string,
    id: string,
    options: { signal?: AbortSignal; timeoutMs: number; pollMs?: number },
  ): Promise<Job> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const job = await this.get(tenantId, id);
      if (TERMINAL_STATUSES.includes(job.status)) return job;
      if (Date.now() >= deadline) {
        throw new EarshotError(
          'timeout',
          `The transcription did not finish within ${Math.round(options.timeoutMs / 1000)} s`,
        );
      }
      await sleep(options.pollMs ?? WAIT_POLL_MS, undefined, { signal: options.signal });
    }
  }

  /** Partial results of a running job published after `afterSeq` (-1 for all). */
  async partials(tenantId: string, id: string, afterSeq: number): Promise<PartialSegment[]> {
    await this.get(tenantId, id);
    return this.deps.store.listJobPartials(id, afterSeq);
  }

  async list(tenantId: string, query: JobListQuery): Promise<JobSummary[]> {
    return this.deps.store.listJobs(tenantId, query);
  }

  /**
   * One page of whole jobs (transcripts included, for APIs whose list items are full jobs), and
   * whether another page follows: one job more than the page is asked for to tell.
   */
  async listPage(tenantId: string, query: JobListQuery): Promise<{ jobs: Job[]; hasMore: boolean }> {
    const summaries = await this.deps.store.listJobs(tenantId, { ...query, limit: query.limit + 1 });
    const jobs = await Promise.all(
      summaries
        .slice(0, query.limit)
        .map(async (summary) =>
          summary.status === 'completed' ? this.get(tenantId, summary.id) : { ...summary, transcript: null },
        ),
    );
    return { jobs, hasMore: summaries.length > query.limit };
  }

  /**
   * Stops a queued or running job (its worker notices on the next heartbeat). A finished job is
   * left as it is. Returns the job as it now stands.
   */
  async cancel(tenantId: string, id: string): Promise<Job> {
    await this.get(tenantId, id);
    await this.deps.queue.removeForJob(id);
    await this.deps.store.updateJob(id, { status: 'cancelled', completedAt: new Date() }, [
      'queued',
      'processing',
    ]);
    return this.get(tenantId, id);
  }

  /**
   * Deletes the job's text and audio for real. A job still running is cancelled first; the
   * worker notices on its next heartbeat and stops.
   */
  async delete(tenantId: string, id: string): Promise<Job> {
    const job = await this.get(tenantId, id);
    await this.deps.queue.removeForJob(id);
    if (job.status === 'queued' || job.status === 'processing') {
      await this.deps.store.updateJob(id, { status: 'cancelled', completedAt: new Date() }, [
        'queued',
        'processing',
      ]);
    }
    const deleted = await this.deps.store.markJobDeleted(tenantId, id);
    if (!deleted) throw new EarshotError('notFound', 'Transcript not found');
    await this.deps.blobs.deletePrefix(blobKeys.jobPrefix(tenantId, id));
    if (job.request.audio.kind === 'upload' && !job.request.audio.borrowed) {
      await this.deps.blobs.delete(blobKeys.upload(tenantId, job.request.audio.uploadId));
      await this.deps.store.deleteUpload(tenantId, job.request.audio.uploadId);
    }
    this.deps.log.info({ jobId: id, tenantId }, 'job deleted');
    return deleted;
  }
}
