import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether a process with this pid exists (EPERM still means it exists) and, where /proc can tell,
 * is a Node process: after a crash the pid may have been reused by something unrelated.
 */
function serverAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true; // no /proc (not Linux): trust the signal check
  }
}

/**
 * One embedded server per data directory: on start it re-queues every job the previous server's
 * workers held, which is only safe if that server is really gone. Returns a release function.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'earshot.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && serverAlive(holder)) {
        throw new Error(
          `Another Earshot server (pid ${holder}) is using the data directory ${dataDir}. Stop it, or set EARSHOT_DATA_DIR to another directory.`,
        );
      }
      // A stale lock from a server that died (kill -9, power loss): take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`);
}
