import type { Job, JobStatus } from '../../../domain/job.js';
import type { PartialSegment, Transcript, Word } from '../../../domain/transcript.js';
import type { ModelStatus } from '../../../models/model-store.js';
import { splitSentences } from '../../../text/sentences.js';
import type { JobSummary } from '../../../store/metadata.store.js';

/**
 * The local transcription API's view of Earshot's jobs and transcripts (the dialect of a popular
 * local Whisper web service, `/api/transcribe`). Pure functions: canonical values in, the
 * dialect's JSON out. Times are seconds (floats), speakers `SPEAKER_1`, `SPEAKER_2`… numbered
 * from 1 in order of first appearance.
 */

/**
 * The dialect's job statuses. The seed service reports only these three, so Earshot's `queued`
 * is reported as `processing` (the message and `stage` say that it waits for a worker), and
 * `cancelled` as `failed` (the message says it was cancelled): strict clients see no status they
 * do not know. `not_found` is answered for unknown ids only.
 */
export type LocalStatus = 'processing' | 'completed' | 'failed';

const STATUS: Record<JobStatus, LocalStatus> = {
  queued: 'processing',
  processing: 'processing',
  completed: 'completed',
  error: 'failed',
  cancelled: 'failed',
};

export const NOT_FOUND_MESSAGE = 'Transcription job not found or expired';

export function localStatus(status: JobStatus): LocalStatus {
  return STATUS[status];
}

/** `83_456` → `00:01:23.456`; hours keep counting past 99. */
export function formatDisplayTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(hours)}:${two(minutes)}:${two(seconds)}.${String(millis).padStart(3, '0')}`;
}

/** Canonical 0-based speaker → `SPEAKER_1`…; null when diarization did not run. */
export function speakerLabel(speaker: number | undefined): string | null {
  return speaker === undefined ? null : `SPEAKER_${speaker + 1}`;
}

const seconds = (ms: number): number => Math.round(ms) / 1000;
/** Unix time in seconds with ms precision, as the seed service's `updated_at`. */
const unixSeconds = (date: Date): number => date.getTime() / 1000;

export function progressPercent(job: Pick<Job, 'status' | 'progress'>): number {
  if (job.status === 'completed') return 100;
  if (job.status === 'queued') return 0;
  return Math.max(0, Math.min(100, Math.round(job.progress?.percent ?? 0)));
}

/**
 * The words of the status messages that name the job's work, so the local API family's other job
 * kinds (`/api/summary`) answer statuses in the same shape.
 */
export interface StatusWording {
  /** The work, capitalised: `Transcription`, `Summary`. */
  noun: string;
  /** The message while processing, when the progress carries none. */
  working: string;
}

const TRANSCRIPTION_WORDING: StatusWording = { noun: 'Transcription', working: 'Processing' };

export function statusMessage(
  job: Pick<Job, 'status' | 'progress' | 'error'>,
  wording: StatusWording = TRANSCRIPTION_WORDING,
): string {
  switch (job.status) {
    case 'queued':
      return 'Queued: waiting for a worker';
    case 'processing':
      return job.progress?.message ?? wording.working;
    case 'completed':
      return `${wording.noun} completed`;
    case 'error':
      return job.error ?? `${wording.noun} failed`;
    case 'cancelled':
      return `${wording.noun} was cancelled`;
  }
}

/**
 * The job's last lifecycle change (created, started, finished). Progress updates inside a run
 * carry no timestamp of their own in the store, so they do not move it.
 */
export function updatedAt(job: Pick<Job, 'createdAt' | 'startedAt' | 'completedAt'>): number {
  const times = [job.createdAt, job.startedAt, job.completedAt].filter((d): d is Date => d !== null);
  return Math.max(...times.map(unixSeconds));
}

export interface StatusBody {
  job_id: string;
  status: LocalStatus;
  message: string;
  progress: number;
  updated_at: number;
  /** Earshot's own stage name (`queued`, `transcribe`, `diarize`…): finer than `status`. */
  stage: string;
}

/** `GET /api/transcribe/status/{job_id}` (and `/api/summary/status/{job_id}`, in its wording). */
export function renderStatus(job: JobSummary, wording: StatusWording = TRANSCRIPTION_WORDING): StatusBody {
  return {
    job_id: job.id,
    status: localStatus(job.status),
    message: statusMessage(job, wording),
    progress: progressPercent(job),
    updated_at: updatedAt(job),
    stage:
      job.status === 'queued'
        ? 'queued'
        : job.status === 'completed'
          ? 'completed'
          : (job.progress?.stage ?? job.status),
  };
}

/**
 * The seed service's answer for an unknown id, sent with HTTP 404; `detail` is added so clients
 * that read FastAPI errors find the message too.
 */
export function renderNotFoundStatus(jobId: string, now: Date = new Date(), message = NOT_FOUND_MESSAGE) {
  return {
    job_id: jobId,
    status: 'not_found' as const,
    message,
    progress: 0,
    updated_at: unixSeconds(now),
    detail: message,
  };
}

/** One entry of `GET /api/transcribe/jobs`. */
export function renderJobListItem(job: JobSummary) {
  const filename = job.surfaceParams.filename;
  return {
    job_id: job.id,
    status: localStatus(job.status),
    progress: progressPercent(job),
    updated_at: updatedAt(job),
    message: statusMessage(job),
    filename: typeof filename === 'string' ? filename : null,
    created_at: unixSeconds(job.createdAt),
  };
}

export interface LocalSegment {
  /** Earshot addition: a stable id within the result (`seg-1`…), usable as a retranslate `segment_id`. */
  id: string;
  start: number;
  end: number;
  text: string;
  speaker: string | null;
  /**
   * Always null: the diarization engines give no per-turn confidence, and a made-up number would
   * mislead a client that filters on it.
   */
  speaker_confidence: number | null;
  start_display: string;
  end_display: string;
}

/**
 * Segments as the seed service shows them (roughly Whisper's segments): sentences, which also
 * break wherever the speaker changes, so a diarized transcript reads turn by turn with sentence-
 * sized pieces rather than minute-long utterances.
 */
export function renderSegments(words: readonly Word[], idPrefix = 'seg-'): LocalSegment[] {
  return splitSentences(words).map((sentence, i) => ({
    id: `${idPrefix}${i + 1}`,
    start: seconds(sentence.startMs),
    end: seconds(sentence.endMs),
    text: sentence.text,
    speaker: speakerLabel(sentence.speaker),
    speaker_confidence: null,
    start_display: formatDisplayTime(sentence.startMs),
    end_display: formatDisplayTime(sentence.endMs),
  }));
}

export interface ResultBody {
  segments: LocalSegment[];
  text: string;
  language: string | null;
  audio_duration: number;
}

/** `GET /api/transcribe/result/{job_id}`. */
export function renderResult(transcript: Transcript): ResultBody {
  return {
    segments: renderSegments(transcript.words),
    text: transcript.text,
    language: transcript.language,
    audio_duration: seconds(transcript.durationMs),
  };
}

/** One entry of `GET /api/transcribe/models`. */
export function renderModel(entry: ModelStatus) {
  return {
    name: entry.model.id,
    full_name: `${entry.model.runtime}/${entry.model.id}`,
    is_downloaded: entry.status === 'installed',
    // System models (an OS package) have no size of their own to report: null, not a guess.
    size_mb: entry.sizeBytes === undefined ? null : Math.round((entry.sizeBytes / 1024 ** 2) * 10) / 10,
    description: entry.model.description,
  };
}

export interface ChunkInfo {
  /** Chunks transcribed so far (the seed service counts the chunk being worked on). */
  current_chunk: number;
  /** Chunks the audio was cut into; 0 until VAD has cut it. */
  total_chunks: number;
  /** `current_chunk / total_chunks` in percent: Earshot reports no progress within a chunk. */
  chunk_progress: number;
}

const AFTER_TRANSCRIBE = new Set(['diarize', 'text', 'finalize']);

/**
 * Chunk counts from the job's progress (the transcribe stage reports them) or, before it has,
 * from the partial results seen (`knownTotal`).
 */
export function chunkInfo(job: Pick<Job, 'status' | 'progress'>, knownTotal: number): ChunkInfo {
  const chunks = job.progress?.chunks;
  let current = chunks?.done ?? 0;
  const total = chunks?.total ?? knownTotal;
  if (job.status === 'completed' || (job.progress && AFTER_TRANSCRIBE.has(job.progress.stage))) {
    current = total;
  }
  return {
    current_chunk: current,
    total_chunks: total,
    chunk_progress: total > 0 ? Math.round((current / total) * 100) : 0,
  };
}

/** A live `status` message: the status body plus chunk counts. */
export function renderLiveStatus(job: JobSummary, knownTotalChunks: number) {
  return {
    type: 'status' as const,
    job_id: job.id,
    status: localStatus(job.status),
    message: statusMessage(job),
    progress: progressPercent(job),
    chunk_info: chunkInfo(job, knownTotalChunks),
    stage: renderStatus(job).stage,
  };
}

/**
 * Live `segment` messages for one transcribed chunk: its words cut into sentences, shaped like
 * the result's segments plus `type`, `job_id` and the chunk's position. They are provisional:
 * formatted per chunk and without speakers (`speaker` null), since speakers are only known once
 * the whole file is diarized; the final `result` message replaces them.
 */
export function renderLiveSegments(jobId: string, partial: PartialSegment) {
  return renderSegments(partial.words, `live-${partial.seq}-`).map((segment) => ({
    type: 'segment' as const,
    job_id: jobId,
    ...segment,
    chunk_index: partial.chunkIndex,
    total_chunks: partial.chunkCount,
  }));
}

/**
 * The speaker who talks most within [startMs, endMs) among diarized words, as a label; null when
 * the words carry no speakers or none falls in the range.
 */
export function speakerOverRange(words: readonly Word[], startMs: number, endMs: number): string | null {
  const talk = new Map<number, number>();
  for (const word of words) {
    if (word.speaker === undefined) continue;
    const overlap = Math.min(endMs, word.endMs) - Math.max(startMs, word.startMs);
    // A zero-length word inside the range still counts a little.
    const inside = word.startMs === word.endMs && word.startMs >= startMs && word.startMs < endMs;
    if (overlap > 0 || inside)
      talk.set(word.speaker, (talk.get(word.speaker) ?? 0) + Math.max(overlap, 1e-3));
  }
  let best: number | undefined;
  for (const [speaker, ms] of talk) if (best === undefined || ms > talk.get(best)!) best = speaker;
  return speakerLabel(best);
}

/** The answer of both `/api/retranslate/*` endpoints. */
export function renderRetranslation(segmentId: string, transcript: Transcript, speaker: string | null) {
  return {
    segment_id: segmentId,
    text: transcript.text,
    confidence: transcript.confidence === null ? null : Math.round(transcript.confidence * 1e4) / 1e4,
    speaker,
    model_used: transcript.engine.model,
  };
}

/** `GET /api/transcribe/debug/{job_id}`: what an operator needs to see why a job looks stuck. */
export function renderDebug(job: Job, partials: readonly PartialSegment[]) {
  const last = partials.at(-1);
  return {
    job_id: job.id,
    status: localStatus(job.status),
    earshot_status: job.status,
    stage: job.progress?.stage ?? null,
    progress: progressPercent(job),
    message: statusMessage(job),
    chunk_info: chunkInfo(job, Math.max(0, ...partials.map((p) => p.chunkCount))),
    cached_segments: partials.length,
    cached_words: partials.reduce((n, p) => n + p.words.length, 0),
    latest_time: last ? seconds(last.endMs) : null,
    latest_time_display: last ? formatDisplayTime(last.endMs) : null,
    audio_duration: job.audioDurationMs === null ? null : seconds(job.audioDurationMs),
    model: job.transcript?.engine.model ?? job.request.speechModels[0] ?? null,
    diarize: job.request.diarization !== undefined,
    language: job.request.languageCode ?? null,
    error: job.error,
    error_code: job.errorCode,
    surface: job.surface,
    created_at: unixSeconds(job.createdAt),
    started_at: job.startedAt ? unixSeconds(job.startedAt) : null,
    completed_at: job.completedAt ? unixSeconds(job.completedAt) : null,
    updated_at: updatedAt(job),
  };
}
