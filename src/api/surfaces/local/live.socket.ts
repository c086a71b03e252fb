import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { isEarshotError } from '../../../domain/errors.js';
import { type Job, TERMINAL_STATUSES } from '../../../domain/job.js';
import type { JobService } from '../../../jobs/job.service.js';
import { isUuid } from '../../../util/ids.js';
import {
  NOT_FOUND_MESSAGE,
  renderLiveSegments,
  renderLiveStatus,
  renderResult,
  statusMessage,
} from './local.renderer.js';

/**
 * Close codes of `WS /api/transcribe/live/{job_id}`. 1000 after the final message; the 4xxx codes
 * mirror the HTTP status a REST call would have had, so a browser (which cannot read an HTTP
 * status from a failed upgrade) still learns why.
 */
export const LIVE_CLOSE_CODES = {
  done: 1000,
  internalError: 1011,
  jobNotFound: 4404,
} as const;

/**
 * How often the socket looks at its job. The API and the workers are different processes, so
 * progress and partial results are read from the store: three indexed reads per tick.
 */
export const LIVE_POLL_MS = 250;
/** WebSocket-level pings keep idle proxies from dropping a socket while one long chunk runs. */
const PING_MS = 30_000;

export interface LiveDeps {
  jobs: JobService;
  log: FastifyBaseLogger;
  /** @defaultValue LIVE_POLL_MS */
  pollMs?: number;
}

/**
 * Follows one job over a WebSocket until it ends, sending (all JSON text frames with a `type`):
 *
 * - `status` on connect and whenever status, progress or message change:
 *   `{type, job_id, status: processing|completed|failed, message, progress 0-100,
 *   chunk_info: {current_chunk, total_chunks, chunk_progress}, stage}`;
 * - `segment` for each sentence of each chunk as soon as the chunk is transcribed (see
 *   `renderLiveSegments`: the result's segment shape plus `chunk_index`/`total_chunks`,
 *   provisional, without speakers); every segment is sent before the status that ends the job;
 * - at the end `result` `{type, job_id, status: "completed", segments, text, language,
 *   audio_duration}` (the same body as `GET /result`) or `error` `{type, job_id, status, detail}`,
 *   then the socket closes with 1000.
 *
 * An unknown job gets `status` `not_found` and `error`, then close code 4404. Frames from the client
 * are ignored. A job retried after a worker crash republishes its chunks under the same sequence
 * numbers; those already sent are not sent again (the final `result` is authoritative anyway).
 */
export async function followJob(
  socket: WebSocket,
  tenantId: string,
  jobId: string,
  deps: LiveDeps,
): Promise<void> {
  const { jobs, log } = deps;
  const pollMs = deps.pollMs ?? LIVE_POLL_MS;
  const closed = new AbortController();
  socket.on('close', () => closed.abort());
  socket.on('message', () => undefined);
  const ping = setInterval(() => socket.ping(), PING_MS);
  ping.unref();

  const send = (message: object): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const finish = (code: number, reason: string): void => {
    if (socket.readyState === socket.OPEN) socket.close(code, reason);
  };
  const notFound = (): void => {
    send({
      type: 'status',
      job_id: jobId,
      status: 'not_found',
      message: NOT_FOUND_MESSAGE,
      progress: 0,
      chunk_info: { current_chunk: 0, total_chunks: 0, chunk_progress: 0 },
    });
    send({ type: 'error', job_id: jobId, status: 'not_found', detail: NOT_FOUND_MESSAGE });
    finish(LIVE_CLOSE_CODES.jobNotFound, 'job not found');
  };

  let lastSeq = -1;
  let totalChunks = 0;
  let lastStatus = '';
  try {
    while (!closed.signal.aborted) {
      // The job first, then its partials: a worker stores every partial before it marks the job
      // completed, so a job seen completed here has all its partials readable below.
      const job = await readJob(jobs, tenantId, jobId);
      if (!job) return notFound();
      for (const partial of await jobs.partials(tenantId, jobId, lastSeq)) {
        totalChunks = Math.max(totalChunks, partial.chunkCount);
        for (const segment of renderLiveSegments(jobId, partial)) send(segment);
        lastSeq = partial.seq;
      }
      const status = renderLiveStatus(job, totalChunks);
      const key = JSON.stringify(status);
      if (key !== lastStatus) {
        send(status);
        lastStatus = key;
      }
      if (TERMINAL_STATUSES.includes(job.status)) {
        if (job.status === 'completed' && job.transcript) {
          send({ type: 'result', job_id: jobId, status: 'completed', ...renderResult(job.transcript) });
        } else {
          send({ type: 'error', job_id: jobId, status: 'failed', detail: statusMessage(job) });
        }
        return finish(LIVE_CLOSE_CODES.done, 'job finished');
      }
      await sleep(pollMs, undefined, { signal: closed.signal }).catch(() => undefined);
    }
  } catch (error) {
    // Deleted between two reads.
    if (isEarshotError(error) && error.code === 'notFound') return notFound();
    log.error({ err: error, jobId }, 'live job updates failed');
    send({ type: 'error', job_id: jobId, status: 'failed', detail: 'Internal server error' });
    finish(LIVE_CLOSE_CODES.internalError, 'internal error');
  } finally {
    clearInterval(ping);
  }
}

/** The job, or undefined when it does not exist for this tenant or was deleted. */
async function readJob(jobs: JobService, tenantId: string, jobId: string): Promise<Job | undefined> {
  if (!isUuid(jobId)) return undefined;
  try {
    const job = await jobs.get(tenantId, jobId);
    return job.deletedAt ? undefined : job;
  } catch (error) {
    if (isEarshotError(error) && error.code === 'notFound') return undefined;
    throw error;
  }
}
