/**
 * A worker process: claims jobs from the queue and runs the pipeline, with native inference in
 * its own engine host child. Started by `earshot serve` (one per EARSHOT_WORKERS) or on its own by
 * `earshot worker`.
 */
import os from 'node:os';
import path from 'node:path';
import { openBackends } from '../backends.js';
import { loadConfig } from '../config/config.js';
import { EngineHost } from '../engines/host/engine-host.js';
import { createLogger } from '../logger.js';
import { MediaTool } from '../media/media-tool.js';
import { loadCatalog } from '../models/catalog.js';
import { ModelStore } from '../models/model-store.js';
import { Worker } from './worker.js';

export async function runWorkerProcess(): Promise<void> {
  const config = loadConfig();
  const workerId = `${os.hostname()}:${process.pid}`;
  const log = createLogger(config, 'worker');
  const backends = await openBackends(config);
  const engines = new EngineHost(
    {
      threads: config.asr.threads,
      tmpDir: path.join(config.dataDir, 'tmp', `engine-${process.pid}`),
      tools: { pocketsphinx: config.tools.pocketsphinx },
      logLevel: config.logLevel,
    },
    log,
  );
  const worker = new Worker(
    {
      config,
      ...backends,
      media: new MediaTool({ ffmpeg: config.tools.ffmpeg, ffprobe: config.tools.ffprobe }),
      models: new ModelStore(config.modelsDir, loadCatalog(config.modelsCatalogFile)),
      engines,
      log,
    },
    workerId,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    worker.stop();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The server that started us is gone (killed, perhaps with -9): stop at once, so the next server
  // can take our jobs back without two processes running one job.
  const onParentGone = (): void => {
    void engines.close().finally(() => process.exit(0));
  };
  process.on('disconnect', onParentGone);

  log.info({ workerId }, 'worker ready');
  await worker.run();
  await engines.close();
  await backends.close();
  log.info('worker stopped');
  // A 'disconnect' listener keeps the IPC channel, and so this process, alive: without this a
  // worker that stopped on SIGTERM lingered until the supervisor's timeout killed it.
  process.off('disconnect', onParentGone);
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]));
if (isMain) {
  runWorkerProcess().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
