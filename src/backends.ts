import path from 'node:path';
import type { Config } from './config/config.js';
import { createSqliteJobQueue } from './jobs/sqlite.queue.js';
import type { JobQueue } from './jobs/queue.js';
import type { BlobStore } from './store/blob.store.js';
import { LocalBlobStore } from './store/local.blob-store.js';
import type { MetadataStore } from './store/metadata.store.js';
import { openSqliteDatabase, sqliteFilePath } from './store/sqlite/sqlite.database.js';
import { createSqliteMetadataStore } from './store/sqlite/sqlite.metadata-store.js';

export interface Backends {
  store: MetadataStore;
  queue: JobQueue;
  blobs: BlobStore;
  close(): Promise<void>;
}

/**
 * The storage a process needs. Embedded (the default): one SQLite file holding jobs and the
 * queue, and a blob directory, both under `EARSHOT_DATA_DIR`.
 */
export async function openBackends(config: Config): Promise<Backends> {
  const handle = openSqliteDatabase(sqliteFilePath(config.dataDir));
  try {
    const store = await createSqliteMetadataStore(handle);
    const queue = await createSqliteJobQueue(handle);
    const blobs = new LocalBlobStore(path.join(config.dataDir, 'blobs'));
    return {
      store,
      queue,
      blobs,
      async close() {
        await queue.close();
        await store.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
