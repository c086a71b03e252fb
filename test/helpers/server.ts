import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadCatalog } from '../../src/models/catalog.js';
import { pullModel } from '../../src/models/model-puller.js';
import { ModelStore } from '../../src/models/model-store.js';
import { REPO_ROOT, SHARED_DIR, VAD_MODELS_DIR } from './shared-data.js';

export interface TestServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server wrote to stderr (JSON log lines). */
  stderr(): string;
  /** Graceful stop (SIGTERM), waits for exit. */
  stop(): Promise<void>;
  /** kill -9 the server process, as a crash would. */
  kill9(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (e.g. to restart after a crash). */
  dataDir?: string;
  /** Keep the data directory after stop (the caller removes it). */
  keepDataDir?: boolean;
}

const BIN = path.join(REPO_ROOT, 'bin', 'earshot.js');

/** Installs the real Silero VAD from ../shared into a models directory, as an operator would. */
export async function installVad(modelsDir: string): Promise<void> {
  const store = new ModelStore(modelsDir, loadCatalog());
  await pullModel(store, 'silero-vad-v6.2', { fromDir: VAD_MODELS_DIR });
}

/** A fresh temp data directory with the VAD model installed. */
export async function makeDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-test-'));
  await installVad(path.join(dataDir, 'models'));
  return dataDir;
}

/**
 * Starts `earshot serve` as a real child process on a random port, as a user would run it, and
 * resolves once it prints its address.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      EARSHOT_DATA_DIR: dataDir,
      EARSHOT_SENTIMENT_LEXICON: path.join(SHARED_DIR, 'data', 'text', 'vader', 'vader_lexicon.txt'),
      EARSHOT_LOG_LEVEL: 'info',
      EARSHOT_JOB_LEASE_MS: '3000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 30_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = async (): Promise<void> => {
    if (!options.keepDataDir && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  return {
    url,
    dataDir,
    process: child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await cleanup();
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
