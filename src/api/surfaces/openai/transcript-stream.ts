import { setTimeout as sleep } from 'node:timers/promises';
import { EarshotError } from '../../../domain/errors.js';
import { TERMINAL_STATUSES } from '../../../domain/job.js';
import type { PartialSegment } from '../../../domain/transcript.js';
import type { JobService } from '../../../jobs/job.service.js';
import { finishedTranscript } from './job-outcome.js';

/** OpenAI's streamed transcription events, as its SDK types them. */
export type TranscriptStreamEvent =
  { type: 'transcript.text.delta'; delta: string } | { type: 'transcript.text.done'; text: string };

export interface TranscriptStreamOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** How often the job's partial results are read. @defaultValue 150 */
  pollMs?: number;
}

const POLL_MS = 150;

/**
 * The growing text of a running job as OpenAI's stream events: a `transcript.text.delta` for each
 * partial result the worker publishes (a transcribed chunk of audio), then `transcript.text.done`
 * with the final transcript.
 *
 * Chunks may finish out of order (they are transcribed in parallel), so a chunk's delta waits until
 * every earlier chunk's has gone out; chunks still missing when the job ends (a chunk with no words
 * publishes nothing, a retried attempt reuses sequence numbers) are settled from one full read then.
 * Deltas are the chunks' texts, formatted chunk by chunk, so joined they read like the final text;
 * the final text, formatted over the whole transcript, may differ in small ways (punctuation across
 * chunk edges), and it is the one to keep. A job that published nothing gives one delta with the
 * whole text. Throws an EarshotError when the job fails or runs past the time limit.
 */
export async function* transcriptEvents(
  jobs: Pick<JobService, 'get' | 'partials'>,
  tenantId: string,
  jobId: string,
  options: TranscriptStreamOptions,
): AsyncGenerator<TranscriptStreamEvent, void, undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let afterSeq = -1;
  let nextChunk = 0;
  let sent = false;
  /** Chunk texts that arrived before an earlier chunk's, by chunk index. */
  const waiting = new Map<number, string>();
  const delta = (text: string): TranscriptStreamEvent[] => {
    if (text.trim() === '') return [];
    const event: TranscriptStreamEvent = { type: 'transcript.text.delta', delta: sent ? ` ${text}` : text };
    sent = true;
    return [event];
  };
  const take = (partials: readonly PartialSegment[]): void => {
    for (const p of partials) {
      afterSeq = Math.max(afterSeq, p.seq);
      // A later seq for the same chunk (a retried attempt) replaces the earlier text.
      if (p.chunkIndex >= nextChunk) waiting.set(p.chunkIndex, p.text);
    }
  };
  for (;;) {
    const job = await jobs.get(tenantId, jobId);
    const terminal = TERMINAL_STATUSES.includes(job.status);
    // Read partials after the status: every partial is stored before the job completes, so once
    // the status is terminal this read sees all of them.
    take(await jobs.partials(tenantId, jobId, terminal ? -1 : afterSeq));
    for (let text = waiting.get(nextChunk); text !== undefined; text = waiting.get(nextChunk)) {
      waiting.delete(nextChunk++);
      yield* delta(text);
    }
    if (terminal) {
      const transcript = finishedTranscript(job);
      for (const index of [...waiting.keys()].sort((a, b) => a - b)) yield* delta(waiting.get(index) ?? '');
      if (!sent) yield* delta(transcript.text);
      yield { type: 'transcript.text.done', text: transcript.text };
      return;
    }
    if (Date.now() >= deadline) {
      throw new EarshotError(
        'timeout',
        `The transcription did not finish within ${Math.round(options.timeoutMs / 1000)} s`,
      );
    }
    await sleep(options.pollMs ?? POLL_MS, undefined, { signal: options.signal });
  }
}

/** One server-sent event carrying JSON, as OpenAI sends them (data lines only). */
export function sseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}
