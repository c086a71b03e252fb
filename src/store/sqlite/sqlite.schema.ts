/**
 * Table types of the embedded database, as Kysely sees them. Column conventions, chosen so the same
 * schema ports to Postgres:
 * - timestamps are epoch milliseconds in `bigint` columns (SQLite stores them as INTEGER; a Postgres
 *   port must parse int8 to a JS number);
 * - JSON documents are `text` columns holding `JSON.stringify` output, never queried inside;
 * - ids are text (UUIDv7 for jobs and queue entries, so they sort by creation time).
 */

export interface JobsTable {
  id: string;
  tenant_id: string;
  surface: string;
  status: string;
  request_json: string;
  surface_params_json: string;
  /** The caller's metadata as JSON (null when none); `job_metadata` indexes its scalar values. */
  metadata_json: string | null;
  progress_json: string | null;
  error: string | null;
  /** `Job.errorCode`: an `ErrorCode`, null unless the job ended in error. */
  error_code: string | null;
  audio_duration_ms: number | null;
  webhook_status_code: number | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
  deleted_at: number | null;
}

/**
 * Transcripts live in their own table: they can be megabytes, and keeping them out of `jobs` keeps
 * list queries and status updates from touching those pages.
 */
export interface TranscriptsTable {
  job_id: string;
  transcript_json: string;
}

/**
 * One row per scalar metadata entry of a job, its value as a string, so that list filters are plain
 * indexed equality lookups on (key, value) on SQLite and Postgres alike. Object and array values
 * (and null) have no row: they are kept in `jobs.metadata_json` but never match a filter.
 */
export interface JobMetadataTable {
  job_id: string;
  key: string;
  value: string;
}

/** Partial results of a running job, one row per published `seq`. */
export interface JobPartialsTable {
  job_id: string;
  seq: number;
  /** The whole `PartialSegment` as JSON. */
  partial_json: string;
}

export interface UploadsTable {
  id: string;
  tenant_id: string;
  blob_key: string;
  size_bytes: number;
  filename: string | null;
  content_type: string | null;
  created_at: number;
}

export type QueueItemState = 'ready' | 'leased' | 'failed';

export interface QueueItemsTable {
  id: string;
  kind: string;
  /** The whole `QueueItem` as JSON. */
  payload: string;
  job_id: string;
  state: QueueItemState;
  /** Attempts started so far (a claim counts as an attempt). */
  attempts: number;
  max_attempts: number;
  /** Not handed out before this time (epoch ms). */
  available_at: number;
  lease_token: string | null;
  leased_by: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  created_at: number;
}

export interface Schema {
  jobs: JobsTable;
  transcripts: TranscriptsTable;
  job_metadata: JobMetadataTable;
  job_partials: JobPartialsTable;
  uploads: UploadsTable;
  queue_items: QueueItemsTable;
}
