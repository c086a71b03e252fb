import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const here = fileURLToPath(import.meta.url);
const workerEntry = path.join(path.dirname(here), `worker.main${path.extname(here)}`);

/** Scheduling priority of worker processes relative to the API (higher is nicer). */
const WORKER_NICENESS = 10;

/** Restart delay after a worker exits: grows while workers keep dying quickly, to avoid a crash loop. */
function restartDelayMs(recentCrashes: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(6, recentCrashes));
}

/**
 * Runs `count` worker processes beside the API and restarts any that exit. The API's event loop
 * never runs inference: workers (and their engine hosts) do.
 */
export class WorkerSupervisor {
  private readonly children = new Set<ChildProcess>();
  private stopped = false;
  private crashes: number[] = [];

  constructor(
    private readonly count: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    for (let i = 0; i < this.count; i++) this.spawn(i);
  }

  /** Pids of the running workers (for tests and diagnostics). */
  pids(): number[] {
    return [...this.children].map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    await Promise.all(
      [...this.children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  private spawn(slot: number): void {
    const child = fork(workerEntry, [String(slot)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.children.add(child);
    // Inference yields the CPU to the API: status polls stay fast while a job transcribes (measured:
    // 1.4–4k req/s at normal priority, 6–7k with workers at +10). Engine hosts inherit it.
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, WORKER_NICENESS);
      } catch (error) {
        this.log.warn({ err: error }, 'could not lower worker priority');
      }
    }
    this.log.info({ slot, workerPid: child.pid }, 'worker started');
    child.once('exit', (code, signal) => {
      this.children.delete(child);
      if (this.stopped) return;
      const now = Date.now();
      this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
      const delay = restartDelayMs(this.crashes.length - 1);
      this.log.error({ slot, code, signal, restartInMs: delay }, 'worker exited; restarting');
      setTimeout(() => {
        if (!this.stopped) this.spawn(slot);
      }, delay).unref();
    });
  }
}
