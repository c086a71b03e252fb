import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createApp } from '../api/app.js';
import { openBackends } from '../backends.js';
import type { Config } from '../config/config.js';
import { JobService } from '../jobs/job.service.js';
import { recoverExpiredItems } from '../jobs/worker.js';
import { WorkerSupervisor } from '../jobs/worker-supervisor.js';
import { createLogger } from '../logger.js';
import { MediaTool } from '../media/media-tool.js';
import { loadCatalog } from '../models/catalog.js';
import { ModelStore } from '../models/model-store.js';
import { acquireDataDirLock } from '../util/data-dir-lock.js';
import { VERSION } from '../version.js';

/** How long in-flight requests may take to finish on shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export const SERVE_HELP = `Usage: earshot serve [--host <address>] [--port <port>]

Starts the HTTP API and EARSHOT_WORKERS worker processes on embedded storage
(SQLite and files under EARSHOT_DATA_DIR). --port 0 picks a free port.`;

/** `earshot serve`: the API plus its workers. Resolves when the server has shut down. */
export async function runServeCommand(argv: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const host = values.host ?? config.host;
  const port = values.port === undefined ? config.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, not "${values.port}"`);
    return 2;
  }
  const log = createLogger(config, 'api');
  if (config.apiKeys.size === 0) {
    if (!LOOPBACK_HOSTS.has(host) && !config.allowNoAuth) {
      console.error(
        `Refusing to listen on ${host} without API keys. Set EARSHOT_API_KEYS (e.g. "mykey:tenant1"), or EARSHOT_ALLOW_NO_AUTH=true to accept anyone.`,
      );
      return 2;
    }
    log.warn('EARSHOT_API_KEYS is not set: authentication is off (every caller is tenant "default")');
  }

  mkdirSync(config.dataDir, { recursive: true });
  const releaseLock = acquireDataDirLock(config.dataDir);
  const backends = await openBackends(config);
  // Embedded mode: this server is the only one on this data directory, so every lease still held
  // belongs to a worker of a server that died. Give those jobs back now instead of waiting.
  await recoverExpiredItems({ ...backends, config, log }, { all: true });

  const models = new ModelStore(config.modelsDir, loadCatalog(config.modelsCatalogFile));
  const jobs = new JobService({ config, ...backends, models, log });
  const media = new MediaTool({ ffmpeg: config.tools.ffmpeg, ffprobe: config.tools.ffprobe });
  const app = await createApp({ config, jobs, media, queue: backends.queue, models, log, version: VERSION });
  const address = await app.listen({ host, port });
  const supervisor = new WorkerSupervisor(config.workers, log);
  supervisor.start();
  // Tests and scripts read this line to find the port.
  console.log(`Earshot ${VERSION} listening on ${address}`);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
  // In-flight requests get a grace period; connections still open after it (a client holding a
  // keep-alive socket, a request waiting on a long job) are cut so shutdown never hangs.
  const closing = app.close();
  const grace = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closing;
  clearTimeout(grace);
  await supervisor.stop();
  await backends.close();
  releaseLock();
  return 0;
}
