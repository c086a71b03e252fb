import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import { migrateSqlite } from './sqlite.migrations.js';
import type { Schema } from './sqlite.schema.js';

/** The embedded database's file name inside `EARSHOT_DATA_DIR`. */
export const SQLITE_FILE_NAME = 'earshot.db';

export function sqliteFilePath(dataDir: string): string {
  return path.join(dataDir, SQLITE_FILE_NAME);
}

export interface SqliteOpenOptions {
  /**
   * How long a statement waits for another process's write lock before failing with SQLITE_BUSY.
   * The API and several worker processes share the file, and better-sqlite3 waits synchronously,
   * so this bounds both the wait and how long an event loop can stall on a contended lock.
   * @defaultValue 10000
   */
  busyTimeoutMs?: number;
  /**
   * Prepared statements kept per connection, keyed by SQL text. Kysely prepares a statement for
   * every query; reusing them saves the parse and plan on hot paths (getJob, claim, heartbeat).
   * @defaultValue 256
   */
  statementCacheSize?: number;
}

/**
 * One open database file, shared by the metadata store and the job queue of a process.
 * Users that share it call `retain()` and release when done; the file closes when the opener has
 * called `close()` and every retainer has released, whatever the order.
 */
export interface SqliteDatabase {
  readonly db: Kysely<Schema>;
  readonly filePath: string;
  /** Applies pending migrations (once per handle; later calls return the same promise). */
  migrate(): Promise<void>;
  /** Registers another user of the handle; the returned function releases it (idempotent). */
  retain(): () => Promise<void>;
  /** Releases the opener's reference (idempotent). */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the SQLite file with the settings every Earshot process must agree
 * on: WAL so readers never block the writer, `synchronous=NORMAL` (durable at each checkpoint and
 * never corrupt; the last transactions may roll back on power loss, which the queue's leases
 * tolerate), foreign keys, and `secure_delete` so deleted transcripts are overwritten in the file
 * rather than left in free pages.
 */
export function openSqliteDatabase(filePath: string, options: SqliteOpenOptions = {}): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  if (filePath !== ':memory:') mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const raw = new BetterSqlite3(filePath, { timeout: busyTimeoutMs });
  try {
    // busy_timeout first: switching to WAL needs a lock that another starting process may hold.
    raw.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('secure_delete = ON');
    // Bounds the WAL file left behind after large checkpoints (bytes).
    raw.pragma('journal_size_limit = 67108864');
  } catch (err) {
    raw.close();
    throw err;
  }

  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: withStatementCache(raw, options.statementCacheSize ?? 256) }),
  });

  let refs = 1;
  let openerReleased = false;
  let closing: Promise<void> | undefined;
  let migrated: Promise<void> | undefined;

  const release = async (): Promise<void> => {
    refs -= 1;
    if (refs === 0) {
      closing ??= db.destroy();
    }
    await closing;
  };

  return {
    db,
    filePath,
    migrate() {
      migrated ??= migrateSqlite(db as Kysely<unknown>).then(() => undefined);
      return migrated;
    },
    retain() {
      if (closing !== undefined) throw new Error('the database is closed');
      refs += 1;
      let released = false;
      return async () => {
        if (released) return closing;
        released = true;
        await release();
      };
    },
    async close() {
      if (openerReleased) return closing;
      openerReleased = true;
      await release();
    },
  };
}

/**
 * Runs `fn` in a transaction that takes the write lock up front (`BEGIN IMMEDIATE`).
 *
 * A plain (deferred) transaction that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT when
 * another process commits in between, and busy_timeout does not retry that case. Taking the lock
 * first makes read-modify-write sequences safe across processes; the wait is bounded by
 * busy_timeout. The Postgres counterpart is an ordinary transaction with `SELECT … FOR UPDATE`.
 */
export async function immediateTransaction<T>(
  db: Kysely<Schema>,
  fn: (trx: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

/** True for a UNIQUE or PRIMARY KEY violation. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Presents the better-sqlite3 connection to Kysely with prepared statements reused by SQL text.
 * Safe because Kysely's SQLite driver runs one query at a time on its single connection, so a
 * cached statement is never asked to run while it is still being iterated.
 */
function withStatementCache(raw: BetterSqlite3.Database, capacity: number): KyselySqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt !== undefined) {
        // Move to the back: the Map's insertion order doubles as the LRU order.
        cache.delete(text);
        cache.set(text, stmt);
        return stmt;
      }
      stmt = raw.prepare(text);
      if (capacity > 0) {
        cache.set(text, stmt);
        if (cache.size > capacity) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
      }
      return stmt;
    },
  };
}
