import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * The embedded database's schema history. Migrations are numbered and never edited once released:
 * a change is a new entry. Column types are chosen to mean the same on Postgres (`text`, `integer`,
 * `bigint`) so a Postgres port can start from the same steps.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('surface', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('request_json', 'text', (c) => c.notNull())
        .addColumn('surface_params_json', 'text', (c) => c.notNull())
        .addColumn('progress_json', 'text')
        .addColumn('error', 'text')
        .addColumn('audio_duration_ms', 'bigint')
        .addColumn('webhook_status_code', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('completed_at', 'bigint')
        .addColumn('deleted_at', 'bigint')
        .execute();
      // Lists are per tenant, newest id first, optionally by status or creation day.
      await db.schema.createIndex('jobs_tenant_id_idx').on('jobs').columns(['tenant_id', 'id']).execute();
      await db.schema
        .createIndex('jobs_tenant_status_id_idx')
        .on('jobs')
        .columns(['tenant_id', 'status', 'id'])
        .execute();
      await db.schema
        .createIndex('jobs_tenant_created_idx')
        .on('jobs')
        .columns(['tenant_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('transcripts')
        .addColumn('job_id', 'text', (c) => c.primaryKey().references('jobs.id').onDelete('cascade'))
        .addColumn('transcript_json', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('uploads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('filename', 'text')
        .addColumn('content_type', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      // No foreign key to jobs: in scaled mode the queue lives elsewhere, and an item must be able
      // to outlive a purged job row long enough to be discarded by its worker.
      await db.schema
        .createTable('queue_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('available_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_token', 'text')
        .addColumn('leased_by', 'text')
        .addColumn('lease_expires_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // claim: the oldest ready item; recoverExpired: leased items by expiry; removeForJob: by job.
      await db.schema
        .createIndex('queue_items_claim_idx')
        .on('queue_items')
        .columns(['state', 'available_at', 'id'])
        .execute();
      await db.schema
        .createIndex('queue_items_lease_idx')
        .on('queue_items')
        .columns(['state', 'lease_expires_at'])
        .execute();
      await db.schema.createIndex('queue_items_job_idx').on('queue_items').column('job_id').execute();
    },
  },
  '0002_job_metadata_partials': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('jobs').addColumn('metadata_json', 'text').execute();

      await db.schema
        .createTable('job_metadata')
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_metadata_pk', ['job_id', 'key'])
        .execute();
      // Metadata filters: the jobs having key = value, found without scanning the tenant's jobs.
      await db.schema
        .createIndex('job_metadata_key_value_idx')
        .on('job_metadata')
        .columns(['key', 'value', 'job_id'])
        .execute();

      await db.schema
        .createTable('job_partials')
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('partial_json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_partials_pk', ['job_id', 'seq'])
        .execute();
    },
  },
  '0003_job_error_code': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('jobs').addColumn('error_code', 'text').execute();
    },
  },
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/** Names of every migration this build knows, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

/**
 * Brings the schema up to date. Safe to run on every start and from several processes at once.
 *
 * Kysely's Migrator runs SQLite migrations without a transaction or lock (its SQLite adapter
 * reports no transactional DDL), so two processes starting together could both apply the same
 * step. Holding the database's write lock (`BEGIN IMMEDIATE`) around the whole run serialises them:
 * the second waits (busy_timeout), then finds nothing pending. SQLite's DDL is transactional, so a
 * failed step also leaves no half-built schema behind.
 */
export async function migrateSqlite(db: Kysely<unknown>): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const migrator = new Migrator({ db: conn, provider });
      const { error, results } = await migrator.migrateToLatest();
      if (error !== undefined)
        throw error instanceof Error ? error : new Error('migration failed', { cause: error });
      await sql`commit`.execute(conn);
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}
