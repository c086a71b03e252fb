import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { EarshotError } from '../domain/errors.js';
import type { SqliteDatabase } from '../store/sqlite/sqlite.database.js';
import type { QueueItemState, Schema } from '../store/sqlite/sqlite.schema.js';
import { uuidv7 } from '../util/ids.js';
import {
  QUEUE_ITEM_KINDS,
  type ClaimedItem,
  type EnqueueOptions,
  type ExpiredItem,
  type JobQueue,
  type QueueItem,
  type QueueItemKind,
} from './queue.js';

/** Reason recorded on an item whose worker stopped heartbeating on its last attempt. */
export const LEASE_EXPIRED_REASON = 'the worker stopped before finishing (lease expired)';

/** `ready` while attempts remain, else `failed`; one expression so the decision is atomic. */
const nextStateAfterAttempt = sql<QueueItemState>`case when attempts < max_attempts then 'ready' else 'failed' end`;

/**
 * The embedded queue: a `queue_items` table in the metadata database, shared by the API process
 * and every worker process that opens the same file.
 *
 * Every state change is a single conditional statement (`UPDATE … WHERE … RETURNING`), so it is
 * atomic across processes: SQLite holds the write lock for the whole statement, and the lease
 * token in the WHERE clause makes a worker whose lease was taken away fail cleanly instead of
 * overwriting the new holder's work. Times are epoch milliseconds of this machine's clock; every
 * process sharing the file is on the same machine.
 */
export class SqliteJobQueue implements JobQueue {
  readonly #db: Kysely<Schema>;
  readonly #release: () => Promise<void>;

  constructor(handle: SqliteDatabase) {
    this.#db = handle.db;
    this.#release = handle.retain();
  }

  async enqueue(item: QueueItem, options: EnqueueOptions): Promise<string> {
    if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) {
      throw new EarshotError(
        'badRequest',
        `maxAttempts must be a positive integer, got ${options.maxAttempts}`,
      );
    }
    const now = Date.now();
    const id = uuidv7(now);
    await this.#db
      .insertInto('queue_items')
      .values({
        id,
        kind: item.kind,
        payload: JSON.stringify(item),
        job_id: item.jobId,
        state: 'ready',
        attempts: 0,
        max_attempts: options.maxAttempts,
        available_at: now + Math.max(0, options.delayMs ?? 0),
        lease_token: null,
        leased_by: null,
        lease_expires_at: null,
        last_error: null,
        created_at: now,
      })
      .execute();
    return id;
  }

  async claim<K extends QueueItemKind>(
    kinds: readonly K[],
    workerId: string,
    leaseMs: number,
  ): Promise<ClaimedItem<K> | null> {
    if (kinds.length === 0) return null;
    const now = Date.now();
    const leaseToken = randomUUID();
    const oldestReady = this.#db
      .selectFrom('queue_items')
      .select('id')
      .where('state', '=', 'ready')
      .where('kind', 'in', kinds)
      .where('available_at', '<=', now)
      .orderBy('available_at')
      .orderBy('id')
      .limit(1);
    // One statement picks and leases the row. The repeated `state = 'ready'` is redundant on SQLite
    // (the statement holds the write lock) but keeps the query correct on Postgres, which re-checks
    // the outer WHERE after waiting on a row lock (there the subquery adds FOR UPDATE SKIP LOCKED).
    const row = await this.#db
      .updateTable('queue_items')
      .set((eb) => ({
        state: 'leased',
        attempts: eb('attempts', '+', 1),
        lease_token: leaseToken,
        leased_by: workerId,
        lease_expires_at: now + leaseMs,
      }))
      .where('id', '=', oldestReady)
      .where('state', '=', 'ready')
      .returning(['id', 'payload', 'attempts', 'max_attempts'])
      .executeTakeFirst();
    if (row === undefined) return null;
    return {
      id: row.id,
      item: parsePayload(row.payload) as Extract<QueueItem, { kind: K }>,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      leaseToken,
    };
  }

  async heartbeat(claimed: ClaimedItem, leaseMs: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('queue_items')
      .set({ lease_expires_at: Date.now() + leaseMs })
      .where('id', '=', claimed.id)
      .where('state', '=', 'leased')
      .where('lease_token', '=', claimed.leaseToken)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async complete(claimed: ClaimedItem): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('queue_items')
      .where('id', '=', claimed.id)
      .where('state', '=', 'leased')
      .where('lease_token', '=', claimed.leaseToken)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async retry(
    claimed: ClaimedItem,
    delayMs: number,
    reason: string,
  ): Promise<'requeued' | 'exhausted' | 'lost'> {
    const row = await this.#db
      .updateTable('queue_items')
      .set({
        state: nextStateAfterAttempt,
        available_at: Date.now() + Math.max(0, delayMs),
        lease_token: null,
        leased_by: null,
        lease_expires_at: null,
        last_error: reason,
      })
      .where('id', '=', claimed.id)
      .where('state', '=', 'leased')
      .where('lease_token', '=', claimed.leaseToken)
      .returning('state')
      .executeTakeFirst();
    if (row === undefined) return 'lost';
    return row.state === 'ready' ? 'requeued' : 'exhausted';
  }

  async fail(claimed: ClaimedItem, reason: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('queue_items')
      .set({
        state: 'failed',
        lease_token: null,
        leased_by: null,
        lease_expires_at: null,
        last_error: reason,
      })
      .where('id', '=', claimed.id)
      .where('state', '=', 'leased')
      .where('lease_token', '=', claimed.leaseToken)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async recoverExpired(options: { now?: Date; all?: boolean } = {}): Promise<ExpiredItem[]> {
    const cutoff = (options.now ?? new Date()).getTime();
    let q = this.#db
      .updateTable('queue_items')
      .set({
        state: nextStateAfterAttempt,
        // Back of the line (by real time, whatever `now` says), so an item that keeps killing its
        // worker does not hold up everything behind it while it uses up its attempts.
        available_at: Date.now(),
        lease_token: null,
        leased_by: null,
        lease_expires_at: null,
        last_error: LEASE_EXPIRED_REASON,
      })
      .where('state', '=', 'leased');
    if (options.all !== true) q = q.where('lease_expires_at', '<', cutoff);
    const rows = await q.returning(['id', 'payload', 'attempts', 'state']).execute();
    return rows
      .map((row) => ({
        id: row.id,
        item: parsePayload(row.payload),
        attempts: row.attempts,
        exhausted: row.state === 'failed',
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async removeForJob(jobId: string): Promise<number> {
    // Leased items go too: the worker holding one then sees its heartbeat fail and stops, which
    // is how a cancel or delete reaches a job that is already running.
    const result = await this.#db.deleteFrom('queue_items').where('job_id', '=', jobId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async counts(): Promise<{ ready: number; leased: number; failed: number }> {
    const rows = await this.#db
      .selectFrom('queue_items')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    const counts = { ready: 0, leased: 0, failed: 0 };
    for (const row of rows) counts[row.state] = Number(row.n);
    return counts;
  }

  close(): Promise<void> {
    return this.#release();
  }
}

/** A queue on a shared database handle (migrating it if needed). */
export async function createSqliteJobQueue(handle: SqliteDatabase): Promise<SqliteJobQueue> {
  await handle.migrate();
  return new SqliteJobQueue(handle);
}

function parsePayload(payload: string): QueueItem {
  const item = JSON.parse(payload) as QueueItem;
  // A row written by a newer build with a kind this build cannot handle must not be run blindly.
  if (!QUEUE_ITEM_KINDS.includes(item.kind)) {
    throw new EarshotError('internal', `queue item has unknown kind "${String(item.kind)}"`);
  }
  return item;
}
