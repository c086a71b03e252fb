import type { ErrorCode } from './errors.js';
import type { Transcript } from './transcript.js';
import type { TranscriptionRequest } from './transcription-request.js';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'error', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'error', 'cancelled'];

export const STAGE_NAMES = [
  'queued',
  'ingest',
  'probe',
  'decode',
  'vad',
  'transcribe',
  'diarize',
  'text',
  'intelligence',
  'finalize',
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface JobProgress {
  stage: StageName;
  /** Overall progress of the job, 0..100. */
  percent: number;
  message: string;
  /** While transcribing: chunks done out of the chunks planned (of the current channel). */
  chunks?: { done: number; total: number };
}

/** Which API created the job; decides how it is rendered and which webhooks it gets. */
export type Surface = 'assemblyai' | 'openai' | 'gladia' | 'local' | 'cli' | 'analyses';

/** Caller-supplied key/values kept with a job and filterable in lists (Gladia `custom_metadata`). */
export type JobMetadata = Record<string, unknown>;

export interface Job {
  /** UUIDv7: sorts by creation time, so pages can be cut by id. */
  id: string;
  tenantId: string;
  surface: Surface;
  status: JobStatus;
  request: TranscriptionRequest;
  /** The surface's own request parameters, kept to echo them back as the vendor does. */
  surfaceParams: Record<string, unknown>;
  metadata: JobMetadata | null;
  progress: JobProgress | null;
  error: string | null;
  /**
   * The stable code of the error that ended the job (`status: 'error'`), so a surface can tell bad
   * input (`invalidAudio`, a 4xx code) from a server fault without reading the message.
   */
  errorCode: ErrorCode | null;
  transcript: Transcript | null;
  /** Audio duration in ms once probed (also known while processing). */
  audioDurationMs: number | null;
  webhookStatusCode: number | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** Set when the user deleted the job: audio and text are gone, only this tombstone remains. */
  deletedAt: Date | null;
}

export interface Upload {
  id: string;
  tenantId: string;
  blobKey: string;
  sizeBytes: number;
  filename: string | null;
  contentType: string | null;
  createdAt: Date;
}
