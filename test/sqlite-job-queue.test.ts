import { MIGRATION_NAMES } from '../src/store/sqlite/sqlite.migrations.js';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { QueueItemKind } from '../src/jobs/queue.js';
import { createSqliteJobQueue, LEASE_EXPIRED_REASON } from '../src/jobs/sqlite.queue.js';
import { openSqliteDatabase, sqliteFilePath, type SqliteDatabase } from '../src/store/sqlite/index.js';
import { runJobQueueConformance } from './conformance/job-queue.conformance.js';
import type { ChildMessage } from './fixtures/sqlite-queue-child.js';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'earshot-sqlite-queue-'));
}

runJobQueueConformance('sqlite', async () => {
  const dir = tempDir();
  const handle = openSqliteDatabase(sqliteFilePath(dir));
  const queue = await createSqliteJobQueue(handle);
  return {
    queue,
    async cleanup() {
      await queue.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

function openInTemp(t: TestContext): { dir: string; file: string; handle: SqliteDatabase } {
  const dir = tempDir();
  const file = sqliteFilePath(dir);
  const handle = openSqliteDatabase(file);
  t.after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, file, handle };
}

// The helper runs as TypeScript under tsx and as JavaScript once compiled to dist/.
const thisFile = fileURLToPath(import.meta.url);
const childScript = path.join(
  path.dirname(thisFile),
  'fixtures',
  `sqlite-queue-child${path.extname(thisFile)}`,
);
// Pass on loaders such as `--import tsx`, but not the test runner's own flags.
const childExecArgv = process.execArgv.filter((arg) => !arg.startsWith('--test'));

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  result: Promise<ChildMessage>;
}

function spawnChild(t: TestContext, mode: 'claim' | 'migrate', file: string, workerId: string): Child {
  const child = fork(childScript, [mode, file, workerId], { execArgv: childExecArgv, stdio: 'inherit' });
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const result = new Promise<ChildMessage>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'error') reject(new Error(`${workerId}: ${message.message}`));
      else resolve(message);
    });
    child.on('exit', (code) => reject(new Error(`${workerId} exited with ${code} before reporting`)));
    child.on('error', reject);
  });
  // A child that fails before "ready" must fail the test instead of leaving it waiting.
  return { process: child, ready: Promise.race([ready, result.then(() => undefined)]), result };
}

void describe('SqliteJobQueue across processes', () => {
  void test(
    'three processes claiming from one file get every item exactly once',
    { timeout: 120_000 },
    async (t) => {
      const { file, handle } = openInTemp(t);
      const queue = await createSqliteJobQueue(handle);
      t.after(() => queue.close());
      const n = 600;
      const enqueued = new Set<string>();
      for (let i = 0; i < n; i++)
        enqueued.add(await queue.enqueue({ kind: 'transcribe', jobId: randomUUID() }, { maxAttempts: 3 }));

      const children = ['a', 'b', 'c'].map((name) => spawnChild(t, 'claim', file, `worker-${name}`));
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.process.send('go');
      const results = await Promise.all(children.map((c) => c.result));

      const perChild = results.map((r) => (r.type === 'claimed' ? r.ids : []));
      const all = perChild.flat();
      t.diagnostic(
        `claims per process: ${perChild.map((ids) => ids.length).join(', ')}; ` +
          `claim+complete: ${results.map((r) => (r.type === 'claimed' ? `${((r.ms * 1000) / Math.max(1, r.ids.length)).toFixed(0)} µs` : '?')).join(', ')} per item; ` +
          `slowest claim: ${results.map((r) => (r.type === 'claimed' ? `${r.maxClaimMs.toFixed(1)} ms` : '?')).join(', ')}`,
      );
      assert.equal(all.length, n, 'some item was claimed twice or never');
      assert.deepEqual(new Set(all), enqueued);
      // The processes really competed (otherwise this test proves nothing about atomicity).
      assert.ok(perChild.filter((ids) => ids.length > 0).length >= 2, 'only one process got any work');
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 0, failed: 0 });
    },
  );

  void test('three processes migrating a new file at once all succeed', { timeout: 60_000 }, async (t) => {
    const dir = tempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = sqliteFilePath(dir);
    const children = ['a', 'b', 'c'].map((name) => spawnChild(t, 'migrate', file, `migrator-${name}`));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.process.send('go');
    const results = await Promise.all(children.map((c) => c.result));
    assert.deepEqual(
      results.map((r) => r.type),
      ['migrated', 'migrated', 'migrated'],
    );
    const handle = openSqliteDatabase(file);
    t.after(() => handle.close());
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(handle.db);
    assert.equal(rows[0]?.n, MIGRATION_NAMES.length);
  });
});

void describe('SqliteJobQueue specifics', () => {
  void test('an item that ran out of attempts keeps the reason', async (t) => {
    const { handle } = openInTemp(t);
    const queue = await createSqliteJobQueue(handle);
    t.after(() => queue.close());
    await queue.enqueue({ kind: 'transcribe', jobId: randomUUID() }, { maxAttempts: 1 });
    const c = await queue.claim(['transcribe'], 'w', 60_000);
    assert.ok(c);
    const [recovered] = await queue.recoverExpired({ all: true });
    assert.equal(recovered?.exhausted, true);
    const row = await handle.db.selectFrom('queue_items').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.state, 'failed');
    assert.equal(row.last_error, LEASE_EXPIRED_REASON);
    assert.equal(row.lease_token, null);
    assert.equal(row.attempts, 1);
  });

  void test('claim is fast with a backlog', async (t) => {
    const { handle } = openInTemp(t);
    const queue = await createSqliteJobQueue(handle);
    t.after(() => queue.close());
    const backlog = 5_000;
    await handle.db.transaction().execute(async (trx) => {
      const now = Date.now();
      for (let i = 0; i < backlog; i++) {
        await trx
          .insertInto('queue_items')
          .values({
            id: `${String(i).padStart(8, '0')}-${randomUUID()}`,
            kind: i % 2 === 0 ? 'transcribe' : 'deliver-webhook',
            payload: JSON.stringify({ kind: 'transcribe', jobId: randomUUID() }),
            job_id: randomUUID(),
            state: 'ready',
            attempts: 0,
            max_attempts: 3,
            available_at: now - backlog + i,
            lease_token: null,
            leased_by: null,
            lease_expires_at: null,
            last_error: null,
            created_at: now,
          })
          .execute();
      }
    });
    const runs = 500;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const c = await queue.claim<QueueItemKind>(['transcribe'], 'w', 60_000);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      assert.ok(c);
      await queue.complete(c);
    }
    times.sort((a, b) => a - b);
    const median = times[runs >> 1] ?? NaN;
    const p99 = times[Math.floor(runs * 0.99)] ?? NaN;
    t.diagnostic(
      `claim with a ${backlog}-item backlog: median ${median.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`,
    );
    const plan = await sql<{ detail: string }>`explain query plan
      select id from queue_items where state = 'ready' and kind in ('transcribe') and available_at <= 0
      order by available_at, id limit 1`.execute(handle.db);
    assert.ok(
      plan.rows.some((r) => r.detail.includes('queue_items_claim_idx')),
      JSON.stringify(plan.rows),
    );
    assert.ok(median < 2, `claim took ${median} ms`);
  });
});
