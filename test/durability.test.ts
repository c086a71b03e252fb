/**
 * Durability of the embedded job queue, driven as an operator and a client would see it: a real
 * `earshot serve` process, the official `assemblyai` SDK, the sphinx engine on real speech, and
 * `kill -9` of the server or of single worker processes.
 *
 * - kill -9 of the server while jobs run, then a restart on the same data directory: every job ends
 *   `completed` (none lost, none stuck in `processing`), and the orphaned workers exit on their own.
 * - the data-directory lock: a second server refuses to start beside a live one, and a stale lock
 *   left by a killed server is taken over.
 * - kill -9 of one worker while it runs a job: the supervisor starts a new one and the job is
 *   re-queued when its lease expires, then completes.
 * - a job whose worker dies on every attempt ends `error` after EARSHOT_JOB_MAX_ATTEMPTS, with a
 *   reason.
 *
 * Which worker holds a job is read from the queue table (`leased_by` is `<host>:<pid>`), so the
 * test kills exactly the process running the job and knows which attempt it cut off.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssemblyAI, type Transcript } from 'assemblyai';
import BetterSqlite3 from 'better-sqlite3';
import { makeDataDir, startServer, type TestServer } from './helpers/server.js';
import { speechFile } from './helpers/shared-data.js';

const KEY = 'durability-key-0001';
const LEASE_MS = 3000;
const MAX_ATTEMPTS = 2;
/** Two workers: two jobs are cut off mid-run and two wait in the queue when the server dies. */
const JOBS_BEFORE_CRASH = 4;

// ---- processes, read from /proc (Linux) ----

interface ProcInfo {
  pid: number;
  ppid: number;
  /** One-letter state: R, S, D, Z (zombie), … */
  state: string;
  cmdline: string;
}

function procInfo(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ')'.
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(ppid), state, cmdline };
  } catch {
    return undefined; // gone
  }
}

/** Running (not zombie) processes whose parent is `pid`. */
function childrenOf(pid: number): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info && info.ppid === pid && info.state !== 'Z') out.push(info);
  }
  return out;
}

/** A process that exited counts as gone even while it waits, a zombie, for a parent to reap it. */
function isRunning(pid: number): boolean {
  const info = procInfo(pid);
  return info !== undefined && info.state !== 'Z';
}

/** Every running process below `pid`. */
function descendantsOf(pid: number): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const children = childrenOf(queue.shift()!);
    out.push(...children);
    queue.push(...children.map((c) => c.pid));
  }
  return out;
}

/** Still running, and still the process we saw (not a new one that reused its pid). */
function isSameProcess(seen: ProcInfo): boolean {
  const now = procInfo(seen.pid);
  return now !== undefined && now.state !== 'Z' && now.cmdline === seen.cmdline;
}

/** The server's worker processes (`worker.main.js` children). */
function workersOf(server: TestServer): ProcInfo[] {
  return childrenOf(server.process.pid!).filter((p) => p.cmdline.includes('worker.main'));
}

// ---- the queue table, read the way an operator would inspect it with sqlite3 ----

interface QueueRow {
  state: string;
  attempts: number;
  leasedBy: string | null;
  lastError: string | null;
}

function transcribeItem(dataDir: string, jobId: string): QueueRow | undefined {
  const db = new BetterSqlite3(path.join(dataDir, 'earshot.db'), {
    readonly: true,
    fileMustExist: true,
    timeout: 5000,
  });
  try {
    return db
      .prepare(
        `select state, attempts, leased_by as leasedBy, last_error as lastError
           from queue_items where job_id = ? and kind = 'transcribe'`,
      )
      .get(jobId) as QueueRow | undefined;
  } finally {
    db.close();
  }
}

function leaseHolderPid(row: QueueRow | undefined): number | undefined {
  const pid = row?.state === 'leased' ? Number(row.leasedBy?.split(':').at(-1)) : NaN;
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function assertCompletedJfk(t: Transcript): void {
  assert.equal(t.status, 'completed', `${t.id}: ${t.status} ${t.error ?? ''}`);
  assert.equal(t.error ?? undefined, undefined);
  assert.equal(t.audio_duration, 11);
  assert.ok(t.words && t.words.length >= 10, `${t.id} has ${t.words?.length} words`);
  for (const w of t.words) {
    assert.ok(Number.isInteger(w.start) && Number.isInteger(w.end) && w.start <= w.end && w.end <= 11_000);
  }
  assert.match(t.text ?? '', /country/i);
}

describe('durability: kill -9 of the server and of workers', () => {
  /** Processes of a killed server or worker, to clean up if a test fails before they exit. */
  const orphans: ProcInfo[] = [];
  let dataDir: string;
  const servers: TestServer[] = [];
  let server: TestServer;
  let client: AssemblyAI;
  /** Text of jfk.wav as the first batch transcribed it, to compare later (retried) jobs with. */
  let referenceText: string;

  const start = async (): Promise<TestServer> => {
    const s = await startServer({
      dataDir,
      env: {
        EARSHOT_API_KEYS: `${KEY}:tenant1`,
        EARSHOT_WORKERS: '2',
        EARSHOT_ENGINE_THREADS: '1',
        EARSHOT_JOB_LEASE_MS: String(LEASE_MS),
        EARSHOT_JOB_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      },
    });
    servers.push(s);
    return s;
  };

  before(async () => {
    dataDir = await makeDataDir();
    server = await start();
    client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
  });

  after(async () => {
    for (const s of servers) await s.stop();
    // Workers of a killed server exit by themselves (asserted below); wait for them before removing
    // their data directory, in case a test failed before that.
    await waitFor(
      'orphaned processes to exit',
      () => (orphans.every((p) => !isSameProcess(p)) ? true : undefined),
      15_000,
    ).catch(() => orphans.forEach((p) => isSameProcess(p) && process.kill(p.pid, 'SIGKILL')));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a second server refuses the data directory while the first one runs', async () => {
    await assert.rejects(
      startServer({ dataDir, env: { EARSHOT_API_KEYS: `${KEY}:tenant1`, EARSHOT_WORKERS: '0' } }),
      (error: Error) => {
        assert.match(error.message, /server exited with 1 before listening/);
        assert.match(
          error.message,
          new RegExp(`Another Earshot server \\(pid ${server.process.pid}\\) is using the data directory`),
        );
        return true;
      },
    );
    assert.equal(readFileSync(path.join(dataDir, 'earshot.pid'), 'utf8'), String(server.process.pid));
    // The refused start did not disturb the running server.
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
  });

  it('kill -9 of the server mid-job, then a restart: every job completes, none lost or stuck', async () => {
    const uploadUrl = await client.files.upload(speechFile('jfk.wav'));
    const submitted: Transcript[] = [];
    for (let i = 0; i < JOBS_BEFORE_CRASH; i++)
      submitted.push(await client.transcripts.submit({ audio_url: uploadUrl }));
    assert.deepEqual(
      submitted.map((t) => t.status),
      Array(JOBS_BEFORE_CRASH).fill('queued'),
    );

    // Wait until a worker is well into a job (its lease is held and it has been running a moment).
    const running = await waitFor('a job to be processing', async () => {
      for (const t of submitted) {
        const current = await client.transcripts.get(t.id);
        if (current.status === 'processing' && leaseHolderPid(transcribeItem(dataDir, t.id))) return current;
      }
      return undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const stillRunning = await client.transcripts.get(running.id);
    assert.equal(stillRunning.status, 'processing', 'jfk takes several seconds: the job is still running');

    const workers = workersOf(server);
    assert.equal(workers.length, 2, `two workers: ${JSON.stringify(workers)}`);
    // Everything below the workers too: engine hosts, and the tools they run (pocketsphinx, ffmpeg).
    // On a loaded machine decoding can take a while before the engine host starts: wait for it.
    const tree = await waitFor(
      'the running job to start an engine host',
      () => {
        const all = descendantsOf(server.process.pid!);
        return all.some((p) => p.cmdline.includes('engine-host.main')) ? all : undefined;
      },
      20_000,
    );
    const engineHosts = tree.filter((p) => p.cmdline.includes('engine-host.main'));
    orphans.push(...tree);

    await server.kill9();

    // The workers notice the IPC channel closing and exit on their own, taking their engine hosts
    // with them: nothing keeps running a job that the next server will hand out again.
    const nodeProcesses = [...workers, ...engineHosts].map((p) => p.pid);
    await waitFor(
      "the killed server's workers and engine hosts to exit",
      () => (nodeProcesses.every((pid) => !isRunning(pid)) ? true : undefined),
      10_000,
    );
    // The tools they ran go too (pocketsphinx dies on its closed output pipe).
    await waitFor(
      `every process of the killed server to exit: ${tree.map((p) => p.cmdline.split(' ')[0]).join(', ')}`,
      () => (tree.every((p) => !isRunning(p.pid)) ? true : undefined),
      20_000,
    );

    // The lock file still names the dead server; the next one takes it over.
    assert.equal(readFileSync(path.join(dataDir, 'earshot.pid'), 'utf8'), String(server.process.pid));
    server = await start();
    client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
    assert.equal(readFileSync(path.join(dataDir, 'earshot.pid'), 'utf8'), String(server.process.pid));
    // On start-up the new server handed back every lease the dead workers held (before listening).
    const log = server.stderr();
    assert.match(log, new RegExp(`"jobId":"${running.id}"[^\\n]*job re-queued after worker loss`));

    const finals = await waitFor(
      'every job to finish',
      async () => {
        const all = await Promise.all(submitted.map((t) => client.transcripts.get(t.id)));
        return all.every((t) => t.status === 'completed' || t.status === 'error') ? all : undefined;
      },
      150_000,
    );
    for (const t of finals) assertCompletedJfk(t);
    // A retried job gives the same result as one that ran once: stages are idempotent.
    referenceText = finals[0]!.text!;
    assert.deepEqual(
      finals.map((t) => t.text),
      Array(JOBS_BEFORE_CRASH).fill(referenceText),
    );
    // Nothing is left in the queue, and the list shows no job stuck in processing.
    for (const t of submitted) assert.equal(transcribeItem(dataDir, t.id), undefined);
    const listed = await client.transcripts.list({ limit: 20 });
    assert.deepEqual(
      submitted.map((t) => listed.transcripts.find((l) => l.id === t.id)?.status),
      Array(JOBS_BEFORE_CRASH).fill('completed'),
    );
  });

  it('kill -9 of the worker running a job: a new worker starts and the job completes', async () => {
    const workersBefore = workersOf(server).map((w) => w.pid);
    assert.equal(workersBefore.length, 2);
    const uploadUrl = await client.files.upload(speechFile('jfk.wav'));
    const job = await client.transcripts.submit({ audio_url: uploadUrl });

    const holder = await waitFor('a worker to take the job', () =>
      leaseHolderPid(transcribeItem(dataDir, job.id)),
    );
    assert.ok(
      workersBefore.includes(holder),
      `the lease holder ${holder} is one of the workers ${workersBefore.join(', ')}`,
    );
    assert.equal(transcribeItem(dataDir, job.id)?.attempts, 1);
    await new Promise((r) => setTimeout(r, 1000));
    const engineHosts = childrenOf(holder).filter((p) => p.cmdline.includes('engine-host'));
    orphans.push(...engineHosts);
    process.kill(holder, 'SIGKILL');

    // Its engine host exits on its own; the supervisor starts a replacement worker.
    await waitFor(
      "the dead worker's engine host to exit",
      () => (engineHosts.every((p) => !isRunning(p.pid)) ? true : undefined),
      10_000,
    );
    const replaced = await waitFor(
      'a replacement worker',
      () => {
        const now = workersOf(server).map((w) => w.pid);
        return now.length === 2 && !now.includes(holder) ? now : undefined;
      },
      15_000,
    );
    assert.ok(
      replaced.some((pid) => !workersBefore.includes(pid)),
      'one worker is new',
    );

    const done = await waitFor(
      'the job to finish',
      async () => {
        const t = await client.transcripts.get(job.id);
        return t.status === 'completed' || t.status === 'error' ? t : undefined;
      },
      60_000,
    );
    assertCompletedJfk(done);
    assert.equal(done.text, referenceText);
    assert.match(
      server.stderr(),
      new RegExp(`"jobId":"${job.id}","attempts":1,"msg":"job re-queued after worker loss"`),
    );
    assert.match(server.stderr(), /"msg":"worker exited; restarting"/);
  });

  it(`a job whose worker dies on every attempt ends in error after ${MAX_ATTEMPTS} attempts, with a reason`, async () => {
    const uploadUrl = await client.files.upload(speechFile('jfk.wav'));
    const job = await client.transcripts.submit({ audio_url: uploadUrl });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const holder = await waitFor(`attempt ${attempt} to start`, () => {
        const row = transcribeItem(dataDir, job.id);
        return row?.attempts === attempt ? leaseHolderPid(row) : undefined;
      });
      orphans.push(...descendantsOf(holder));
      process.kill(holder, 'SIGKILL');
    }

    const failed = await waitFor(
      'the job to end',
      async () => {
        const t = await client.transcripts.get(job.id);
        return t.status === 'completed' || t.status === 'error' ? t : undefined;
      },
      60_000,
    );
    assert.equal(failed.status, 'error');
    assert.equal(
      failed.error,
      `Processing was interrupted ${MAX_ATTEMPTS} times (the worker crashed or was stopped); giving up.`,
    );
    assert.equal(failed.text ?? null, null);
    // The queue keeps the item as failed, with why, for the operator.
    assert.deepEqual(transcribeItem(dataDir, job.id), {
      state: 'failed',
      attempts: MAX_ATTEMPTS,
      leasedBy: null,
      lastError: 'the worker stopped before finishing (lease expired)',
    });
    // The server stayed up, and a later job still runs.
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    const later = await client.transcripts.transcribe(
      { audio: speechFile('LJ001-0002.wav') },
      { pollingInterval: 200, pollingTimeout: 60_000 },
    );
    assert.equal(later.status, 'completed', later.error ?? undefined);
    assert.ok(later.words!.length > 0);
  });

  it('the last server shuts down cleanly and releases the data directory', async () => {
    const workers = workersOf(server).map((w) => w.pid);
    const started = Date.now();
    await server.stop();
    assert.equal(server.process.exitCode, 0);
    // Idle workers stop at once on SIGTERM; the supervisor's 10 s SIGKILL deadline is not needed.
    assert.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`);
    assert.ok(
      workers.every((pid) => !isRunning(pid)),
      'workers stopped with the server',
    );
    await assert.rejects(readFile(path.join(dataDir, 'earshot.pid')), { code: 'ENOENT' });
  });
});
