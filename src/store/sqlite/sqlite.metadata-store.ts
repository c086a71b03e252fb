import { sql, type Kysely, type Selectable } from 'kysely';
import { EarshotError, type ErrorCode, ErrorCodes } from '../../domain/errors.js';
import type { Job, JobMetadata, JobProgress, JobStatus, Surface, Upload } from '../../domain/job.js';
import type { PartialSegment, Transcript } from '../../domain/transcript.js';
import type { TranscriptionRequest } from '../../domain/transcription-request.js';
import type { JobListQuery, JobPatch, JobSummary, MetadataStore, NewJob } from '../metadata.store.js';
import { immediateTransaction, isUniqueViolation, type SqliteDatabase } from './sqlite.database.js';
import type { JobMetadataTable, JobsTable, Schema, UploadsTable } from './sqlite.schema.js';

type JobRow = Selectable<JobsTable>;
type JobMetadataRow = Selectable<JobMetadataTable>;
type UploadRow = Selectable<UploadsTable>;
type JobUpdate = Partial<Omit<JobsTable, 'id' | 'tenant_id' | 'surface' | 'created_at'>>;

const DAY_MS = 86_400_000;
const CREATED_ON_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUIDV7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The creation time of a job: the millisecond timestamp inside its UUIDv7 id, so that "newest
 * first by id" and "created on day D" can never disagree. Ids of another shape get the current time.
 */
export function creationTimeOfId(id: string, fallback: number): number {
  if (!UUIDV7_RE.test(id)) return fallback;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/**
 * Jobs and uploads in the embedded SQLite database. Every caller-facing read and delete filters on
 * the tenant, so another tenant's row is indistinguishable from a missing one.
 */
export class SqliteMetadataStore implements MetadataStore {
  readonly #handle: SqliteDatabase;
  readonly #db: Kysely<Schema>;
  readonly #release: () => Promise<void>;

  constructor(handle: SqliteDatabase) {
    this.#handle = handle;
    this.#db = handle.db;
    this.#release = handle.retain();
  }

  migrate(): Promise<void> {
    return this.#handle.migrate();
  }

  close(): Promise<void> {
    return this.#release();
  }

  async createJob(job: NewJob): Promise<Job> {
    const now = Date.now();
    const row: JobRow = {
      id: job.id,
      tenant_id: job.tenantId,
      surface: job.surface,
      status: 'queued',
      request_json: JSON.stringify(job.request),
      surface_params_json: JSON.stringify(job.surfaceParams),
      metadata_json: job.metadata === undefined ? null : JSON.stringify(job.metadata),
      progress_json: null,
      error: null,
      error_code: null,
      audio_duration_ms: null,
      webhook_status_code: null,
      created_at: creationTimeOfId(job.id, now),
      updated_at: now,
      started_at: null,
      completed_at: null,
      deleted_at: null,
    };
    const metadataRows = job.metadata === undefined ? [] : metadataIndexRows(job.id, job.metadata);
    try {
      if (metadataRows.length === 0) {
        await this.#db.insertInto('jobs').values(row).execute();
      } else {
        await immediateTransaction(this.#db, async (trx) => {
          await trx.insertInto('jobs').values(row).execute();
          await trx.insertInto('job_metadata').values(metadataRows).execute();
        });
      }
    } catch (err) {
      if (isUniqueViolation(err))
        throw new EarshotError('conflict', `job ${job.id} already exists`, { cause: err });
      throw err;
    }
    return { ...toSummary(row), transcript: null };
  }

  async getJob(tenantId: string, id: string): Promise<Job | null> {
    const row = await this.#db
      .selectFrom('jobs')
      .leftJoin('transcripts', 'transcripts.job_id', 'jobs.id')
      .selectAll('jobs')
      .select('transcripts.transcript_json')
      .where('jobs.id', '=', id)
      .where('jobs.tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row === undefined ? null : toJob(row);
  }

  async getJobForWorker(id: string): Promise<Job | null> {
    const row = await this.#db
      .selectFrom('jobs')
      .leftJoin('transcripts', 'transcripts.job_id', 'jobs.id')
      .selectAll('jobs')
      .select('transcripts.transcript_json')
      .where('jobs.id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : toJob(row);
  }

  /**
   * Filters combine with AND; an empty `statuses` matches nothing. `offset` skips jobs from the end
   * the page is anchored on: the newest jobs (or those just before `beforeId`), or with `afterId`
   * the jobs just after the cursor, so `{ afterId, offset: n }` is the page `n` jobs further from it.
   */
  async listJobs(tenantId: string, query: JobListQuery): Promise<JobSummary[]> {
    const limit = Math.trunc(query.limit);
    if (!(limit > 0)) return [];
    if (query.statuses?.length === 0) return [];
    const offset = query.offset !== undefined && query.offset > 0 ? Math.trunc(query.offset) : 0;
    let q = this.#db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId);
    if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
    if (query.afterId !== undefined) q = q.where('id', '>', query.afterId);
    if (query.statuses !== undefined) q = q.where('status', 'in', query.statuses);
    if (query.surface !== undefined) q = q.where('surface', '=', query.surface);
    if (query.excludeDeleted === true) q = q.where('deleted_at', 'is', null);
    if (query.createdOn !== undefined) {
      const start = utcDayStart(query.createdOn);
      q = q.where('created_at', '>=', start).where('created_at', '<', start + DAY_MS);
    }
    if (query.createdFrom !== undefined)
      q = q.where('created_at', '>=', timeOf(query.createdFrom, 'createdFrom'));
    if (query.createdBefore !== undefined)
      q = q.where('created_at', '<', timeOf(query.createdBefore, 'createdBefore'));
    for (const [key, value] of Object.entries(query.metadata ?? {})) {
      // One indexed (key, value) lookup per entry; a job must be in every set.
      const withEntry = this.#db
        .selectFrom('job_metadata')
        .select('job_id')
        .where('key', '=', key)
        .where('value', '=', String(value));
      q = q.where('id', 'in', withEntry);
    }
    // With afterId the caller is paging towards newer jobs ("next" in AssemblyAI's page_details):
    // it wants the `limit` jobs just after the cursor, not the newest `limit` overall, so take them
    // oldest-first from the cursor and flip the page to keep the newest-first order of every page.
    const rows =
      query.afterId !== undefined
        ? (await q.orderBy('id', 'asc').limit(limit).offset(offset).execute()).reverse()
        : await q.orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return rows.map(toSummary);
  }

  async updateJob(id: string, patch: JobPatch, onlyIfStatus?: readonly JobStatus[]): Promise<boolean> {
    if (onlyIfStatus !== undefined && onlyIfStatus.length === 0) return false;
    const set = toJobUpdate(patch);
    const apply = async (db: Kysely<Schema>): Promise<boolean> => {
      // A deleted job is never patched: its tombstone must not regain a transcript from a worker
      // that finished after the user's DELETE.
      let q = db.updateTable('jobs').set(set).where('id', '=', id).where('deleted_at', 'is', null);
      if (onlyIfStatus !== undefined) q = q.where('status', 'in', onlyIfStatus);
      const result = await q.executeTakeFirst();
      return result.numUpdatedRows > 0n;
    };
    if (patch.transcript === undefined) return apply(this.#db);

    // Serialised before taking the write lock, which every other process then waits on.
    const json = patch.transcript === null ? null : JSON.stringify(patch.transcript);
    return immediateTransaction(this.#db, async (trx) => {
      if (!(await apply(trx))) return false;
      if (json === null) {
        await trx.deleteFrom('transcripts').where('job_id', '=', id).execute();
      } else {
        await trx
          .insertInto('transcripts')
          .values({ job_id: id, transcript_json: json })
          .onConflict((oc) =>
            oc
              .column('job_id')
              .doUpdateSet((eb) => ({ transcript_json: eb.ref('excluded.transcript_json') })),
          )
          .execute();
      }
      return true;
    });
  }

  async markJobDeleted(tenantId: string, id: string): Promise<Job | null> {
    const { job, changed } = await immediateTransaction(this.#db, async (trx) => {
      const row = await trx
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', id)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      if (row === undefined) return { job: null, changed: false };
      if (row.deleted_at !== null) return { job: { ...toSummary(row), transcript: null }, changed: false };

      const now = Date.now();
      const request = scrubRequest(JSON.parse(row.request_json) as TranscriptionRequest);
      const set = {
        request_json: JSON.stringify(request),
        // The surface's echo of the caller's parameters carries the audio URL and word lists.
        surface_params_json: '{}',
        // Caller metadata is free text: names, ticket numbers, file names.
        metadata_json: null,
        // Error messages can quote the audio URL or file name.
        error: null,
        deleted_at: now,
        updated_at: now,
      } satisfies JobUpdate;
      await trx.updateTable('jobs').set(set).where('id', '=', id).execute();
      await trx.deleteFrom('transcripts').where('job_id', '=', id).execute();
      await trx.deleteFrom('job_metadata').where('job_id', '=', id).execute();
      await trx.deleteFrom('job_partials').where('job_id', '=', id).execute();
      return { job: { ...toSummary({ ...row, ...set }), transcript: null }, changed: true };
    });
    if (changed) {
      // secure_delete zeroes the freed pages, but the WAL still holds the frames written when the
      // transcript, partials and metadata were stored. Checkpointing and truncating the WAL is what makes the text leave
      // the disk. Best effort: a reader in another process can keep part of the WAL alive for a
      // moment; the next checkpoint then finishes the job.
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(this.#db).catch(() => undefined);
    }
    return job;
  }

  async appendJobPartial(jobId: string, partial: PartialSegment): Promise<void> {
    if (!Number.isSafeInteger(partial.seq) || partial.seq < 0)
      throw new EarshotError('internal', `partial seq must be an integer >= 0, got ${partial.seq}`);
    const json = JSON.stringify(partial);
    // One statement, so no transaction: the row is written only while the job exists and is not
    // deleted, so a worker that publishes after the user's DELETE cannot bring text back.
    await this.#db
      .insertInto('job_partials')
      .columns(['job_id', 'seq', 'partial_json'])
      .expression((eb) =>
        eb
          .selectFrom('jobs')
          .select((s) => ['id', s.val(partial.seq).as('seq'), s.val(json).as('partial_json')])
          .where('id', '=', jobId)
          .where('deleted_at', 'is', null),
      )
      .onConflict((oc) =>
        oc
          .columns(['job_id', 'seq'])
          .doUpdateSet((eb) => ({ partial_json: eb.ref('excluded.partial_json') })),
      )
      .execute();
  }

  async listJobPartials(jobId: string, afterSeq: number): Promise<PartialSegment[]> {
    const rows = await this.#db
      .selectFrom('job_partials')
      .select('partial_json')
      .where('job_id', '=', jobId)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .execute();
    return rows.map((r) => JSON.parse(r.partial_json) as PartialSegment);
  }

  async createUpload(upload: Upload): Promise<void> {
    try {
      await this.#db
        .insertInto('uploads')
        .values({
          id: upload.id,
          tenant_id: upload.tenantId,
          blob_key: upload.blobKey,
          size_bytes: upload.sizeBytes,
          filename: upload.filename,
          content_type: upload.contentType,
          created_at: upload.createdAt.getTime(),
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw new EarshotError('conflict', `upload ${upload.id} already exists`, { cause: err });
      throw err;
    }
  }

  async getUpload(tenantId: string, id: string): Promise<Upload | null> {
    const row = await this.#db
      .selectFrom('uploads')
      .selectAll()
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row === undefined ? null : toUpload(row);
  }

  async deleteUpload(tenantId: string, id: string): Promise<void> {
    await this.#db.deleteFrom('uploads').where('id', '=', id).where('tenant_id', '=', tenantId).execute();
  }
}

/** A metadata store on a shared database handle; the handle stays open until every user closes. */
export async function createSqliteMetadataStore(handle: SqliteDatabase): Promise<SqliteMetadataStore> {
  const store = new SqliteMetadataStore(handle);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/**
 * What a deleted job keeps of its request: the processing options, but not the audio's URL or
 * path, the caller's word lists (names, terms) or the webhook's secret header. An upload id stays:
 * it is an opaque id, and the service may still need it to remove the upload's blob.
 */
function scrubRequest(request: TranscriptionRequest): TranscriptionRequest {
  const audio = request.audio;
  const scrubbed: TranscriptionRequest = {
    ...request,
    audio:
      audio.kind === 'url'
        ? { kind: 'url', url: '' }
        : audio.kind === 'file'
          ? { kind: 'file', path: '' }
          : audio.kind === 'transcript'
            ? { kind: 'transcript', transcript: { utterances: [] } }
            : audio,
    customSpelling: [],
    keyterms: [],
  };
  if (request.webhook !== undefined) scrubbed.webhook = { url: request.webhook.url };
  return scrubbed;
}

/**
 * The rows that index a job's metadata: scalar values as strings (`String(value)`, which for the
 * finite numbers and booleans JSON keeps is also their JSON text). Objects, arrays, null and
 * values JSON drops have no row, so a filter never matches them.
 */
function metadataIndexRows(jobId: string, metadata: JobMetadata): JobMetadataRow[] {
  const rows: JobMetadataRow[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value))
    )
      rows.push({ job_id: jobId, key, value: String(value) });
  }
  return rows;
}

function timeOf(date: Date, param: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new EarshotError('badRequest', `${param} is not a valid time`, { param });
  return ms;
}

function utcDayStart(day: string): number {
  const m = CREATED_ON_RE.exec(day);
  const start = m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2024-02-30 over into March; a day that does not round-trip is not a day.
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day) {
    throw new EarshotError('badRequest', `createdOn must be a date as YYYY-MM-DD, got "${day}"`);
  }
  return start;
}

function toJobUpdate(patch: JobPatch): JobUpdate {
  const set: JobUpdate = { updated_at: Date.now() };
  if (patch.status !== undefined) set.status = patch.status;
  // `undefined` leaves a field alone; `null` clears it.
  if (patch.progress !== undefined)
    set.progress_json = patch.progress === null ? null : JSON.stringify(patch.progress);
  if (patch.error !== undefined) set.error = patch.error;
  if (patch.errorCode !== undefined) set.error_code = patch.errorCode;
  if (patch.audioDurationMs !== undefined) set.audio_duration_ms = patch.audioDurationMs;
  if (patch.webhookStatusCode !== undefined) set.webhook_status_code = patch.webhookStatusCode;
  if (patch.startedAt !== undefined) set.started_at = patch.startedAt?.getTime() ?? null;
  if (patch.completedAt !== undefined) set.completed_at = patch.completedAt?.getTime() ?? null;
  return set;
}

/** A stored error code, or null for none or one this build no longer knows. */
function errorCodeOf(value: string | null): ErrorCode | null {
  return value !== null && Object.hasOwn(ErrorCodes, value) ? (value as ErrorCode) : null;
}

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

function toSummary(row: JobRow): JobSummary {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    surface: row.surface as Surface,
    status: row.status as JobStatus,
    request: JSON.parse(row.request_json) as TranscriptionRequest,
    surfaceParams: JSON.parse(row.surface_params_json) as Record<string, unknown>,
    metadata: row.metadata_json === null ? null : (JSON.parse(row.metadata_json) as JobMetadata),
    progress: row.progress_json === null ? null : (JSON.parse(row.progress_json) as JobProgress),
    error: row.error,
    errorCode: errorCodeOf(row.error_code),
    audioDurationMs: row.audio_duration_ms,
    webhookStatusCode: row.webhook_status_code,
    createdAt: new Date(row.created_at),
    startedAt: toDate(row.started_at),
    completedAt: toDate(row.completed_at),
    deletedAt: toDate(row.deleted_at),
  };
}

function toJob(row: JobRow & { transcript_json: string | null }): Job {
  const { transcript_json, ...jobRow } = row;
  return {
    ...toSummary(jobRow),
    transcript: transcript_json === null ? null : (JSON.parse(transcript_json) as Transcript),
  };
}

function toUpload(row: UploadRow): Upload {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    blobKey: row.blob_key,
    sizeBytes: row.size_bytes,
    filename: row.filename,
    contentType: row.content_type,
    createdAt: new Date(row.created_at),
  };
}
