export {
  immediateTransaction,
  openSqliteDatabase,
  SQLITE_FILE_NAME,
  sqliteFilePath,
  type SqliteDatabase,
  type SqliteOpenOptions,
} from './sqlite.database.js';
export { MIGRATION_NAMES, migrateSqlite } from './sqlite.migrations.js';
export { createSqliteMetadataStore, SqliteMetadataStore } from './sqlite.metadata-store.js';
export type { Schema } from './sqlite.schema.js';
