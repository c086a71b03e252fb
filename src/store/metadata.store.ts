import type { ErrorCode } from '../domain/errors.js';
import type { Job, JobMetadata, JobProgress, JobStatus, Surface, Upload } from '../domain/job.js';
import type { PartialSegment, Transcript } from '../domain/transcript.js';
import type { TranscriptionRequest } from '../domain/transcription-request.js';

export interface NewJob {
  id: string;
  tenantId: string;
  surface: Surface;
  request: TranscriptionRequest;
  surfaceParams: Record<string, unknown>;
  metadata?: JobMetadata;
}

export interface JobListQuery {
  limit: number;
  /** Only jobs created before (older than) this job id. */
  beforeId?: string;
  /** Only jobs created after (newer than) this job id. */
  afterId?: string;
  /** Only jobs with one of these statuses. */
  statuses?: readonly JobStatus[];
  /** Only jobs created on this UTC day, `YYYY-MM-DD`. */
  createdOn?: string;
  /** Only jobs created at or after this time. */
  createdFrom?: Date;
  /** Only jobs created before this time. */
  createdBefore?: Date;
  /** Only jobs whose metadata has each of these keys with this value (compared as strings). */
  metadata?: Record<string, string>;
  surface?: Surface;
  /**
   * Leave out deleted jobs' tombstones (Gladia lists no deleted job; AssemblyAI's list shows them).
   * @defaultValue false
   */
  excludeDeleted?: boolean;
  /** Skip this many jobs of the (newest-first) result: offset paging, as Gladia does. */
  offset?: number;
}

/** A job without its transcript, as lists show it. */
export type JobSummary = Omit<Job, 'transcript'>;

export type JobPatch = Partial<{
  status: JobStatus;
  progress: JobProgress | null;
  error: string | null;
  errorCode: ErrorCode | null;
  transcript: Transcript | null;
  audioDurationMs: number | null;
  webhookStatusCode: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
}>;

/**
 * Jobs and uploads, always scoped by tenant for reads that come from a caller.
 * Implementations: SQLite (embedded), Postgres (scaled). One conformance suite runs against each.
 */
export interface MetadataStore {
  /** Creates or upgrades the schema; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  createJob(job: NewJob): Promise<Job>;
  /** The tenant's job, or null when it does not exist or belongs to another tenant. */
  getJob(tenantId: string, id: string): Promise<Job | null>;
  /** Any tenant's job: for workers, never for API callers. */
  getJobForWorker(id: string): Promise<Job | null>;
  /** Newest first. */
  listJobs(tenantId: string, query: JobListQuery): Promise<JobSummary[]>;
  /**
   * Applies the patch. With `onlyIfStatus`, applies it only while the job has one of those
   * statuses, so a cancelled or deleted job is never overwritten by a late worker.
   * Returns whether a row changed.
   */
  updateJob(id: string, patch: JobPatch, onlyIfStatus?: readonly JobStatus[]): Promise<boolean>;
  /** Drops the transcript, partials, metadata and request details, keeping a tombstone with `deletedAt`. */
  markJobDeleted(tenantId: string, id: string): Promise<Job | null>;

  /** Stores a partial result of a running job, replacing one with the same `seq` (a retried attempt). */
  appendJobPartial(jobId: string, partial: PartialSegment): Promise<void>;
  /** Partial results with `seq` greater than `afterSeq` (all with -1), in order. */
  listJobPartials(jobId: string, afterSeq: number): Promise<PartialSegment[]>;

  createUpload(upload: Upload): Promise<void>;
  getUpload(tenantId: string, id: string): Promise<Upload | null>;
  deleteUpload(tenantId: string, id: string): Promise<void>;
}
