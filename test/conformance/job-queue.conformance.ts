import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import { EarshotError } from '../../src/domain/errors.js';
import type { ClaimedItem, JobQueue, QueueItem, QueueItemKind } from '../../src/jobs/queue.js';

/**
 * The behaviour every JobQueue must show (SQLite table now, BullMQ later). The factory must return
 * an empty queue of its own: the suite asserts exact counts. Delays and leases are real time, kept
 * short; the lease tests that can use `recoverExpired({ now })` do, so they do not depend on timing.
 */
export interface JobQueueHarness {
  queue: JobQueue;
  cleanup(): Promise<void>;
}

const LONG_LEASE = 60_000;

export function runJobQueueConformance(name: string, makeQueue: () => Promise<JobQueueHarness>): void {
  async function open(t: TestContext): Promise<JobQueue> {
    const harness = await makeQueue();
    t.after(() => harness.cleanup());
    return harness.queue;
  }

  void describe(`JobQueue conformance: ${name}`, () => {
    void test('hands items out oldest first, once each, with attempt 1 and a fresh lease token', async (t) => {
      const queue = await open(t);
      const jobs = [randomUUID(), randomUUID(), randomUUID()];
      const ids: string[] = [];
      for (const jobId of jobs) ids.push(await queue.enqueue(transcribe(jobId), { maxAttempts: 3 }));
      assert.equal(new Set(ids).size, 3);
      assert.deepEqual(await queue.counts(), { ready: 3, leased: 0, failed: 0 });

      const claimed: ClaimedItem[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await queue.claim<QueueItemKind>(['transcribe'], `worker-${i}`, LONG_LEASE);
        assert.ok(c, `claim ${i} returned nothing`);
        claimed.push(c);
      }
      assert.deepEqual(
        claimed.map((c) => c.item),
        jobs.map(transcribe),
      );
      assert.deepEqual(
        claimed.map((c) => c.id),
        ids,
      );
      assert.deepEqual(
        claimed.map((c) => [c.attempt, c.maxAttempts]),
        [
          [1, 3],
          [1, 3],
          [1, 3],
        ],
      );
      assert.equal(new Set(claimed.map((c) => c.leaseToken)).size, 3);
      assert.equal(await queue.claim(['transcribe'], 'worker-x', LONG_LEASE), null);
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 3, failed: 0 });
    });

    void test('claims only the kinds asked for and keeps the payload intact', async (t) => {
      const queue = await open(t);
      const hook: QueueItem = {
        kind: 'deliver-webhook',
        jobId: randomUUID(),
        url: 'https://hooks.example.com/earshot?x=1',
        body: { transcript_id: 'abc', status: 'completed', nested: { n: [1, 2.5, null, 'é'] } },
        headers: { 'X-Secret': 's3cr3t' },
      };
      await queue.enqueue(hook, { maxAttempts: 8 });
      const job = transcribe(randomUUID());
      await queue.enqueue(job, { maxAttempts: 2 });

      const first = await queue.claim(['transcribe'], 'w', LONG_LEASE);
      assert.deepEqual(first?.item, job);
      assert.equal(await queue.claim(['transcribe'], 'w', LONG_LEASE), null);
      assert.equal(await queue.claim([], 'w', LONG_LEASE), null);
      const second = await queue.claim(['deliver-webhook'], 'w', LONG_LEASE);
      assert.deepEqual(second?.item, hook);
      assert.equal(second?.maxAttempts, 8);
    });

    void test('a delayed item is not handed out before its time', async (t) => {
      const queue = await open(t);
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 1, delayMs: 400 });
      const now = transcribe(randomUUID());
      await queue.enqueue(now, { maxAttempts: 1 });
      assert.deepEqual((await queue.claim(['transcribe'], 'w', LONG_LEASE))?.item, now);
      assert.equal(await queue.claim(['transcribe'], 'w', LONG_LEASE), null);
      assert.deepEqual(await queue.counts(), { ready: 1, leased: 1, failed: 0 });
      await sleep(450);
      assert.ok(await queue.claim(['transcribe'], 'w', LONG_LEASE));
    });

    void test('complete removes the item; a second complete is refused', async (t) => {
      const queue = await open(t);
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 1 });
      const c = await mustClaim(queue);
      assert.equal(await queue.complete(c), true);
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 0, failed: 0 });
      assert.equal(await queue.complete(c), false);
      assert.equal(await queue.heartbeat(c, LONG_LEASE), false);
    });

    void test('an expired lease is re-queued by recoverExpired, counting the lost attempt', async (t) => {
      const queue = await open(t);
      const item = transcribe(randomUUID());
      await queue.enqueue(item, { maxAttempts: 3 });
      const first = await mustClaim(queue, 1_000);

      assert.deepEqual(await queue.recoverExpired(), [], 'the lease has not expired yet');
      assert.deepEqual(await queue.recoverExpired({ now: new Date(Date.now() + 500) }), []);
      const recovered = await queue.recoverExpired({ now: new Date(Date.now() + 5_000) });
      assert.deepEqual(recovered, [{ id: first.id, item, attempts: 1, exhausted: false }]);
      assert.deepEqual(await queue.counts(), { ready: 1, leased: 0, failed: 0 });

      const second = await mustClaim(queue);
      assert.equal(second.id, first.id);
      assert.equal(second.attempt, 2);
      assert.notEqual(second.leaseToken, first.leaseToken);
      assert.deepEqual(await queue.recoverExpired({ now: new Date(Date.now() + 5_000) }), []);
    });

    void test('a lease that really runs out is recovered without a clock override', async (t) => {
      const queue = await open(t);
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 2 });
      const c = await mustClaim(queue, 60);
      await sleep(120);
      const recovered = await queue.recoverExpired();
      assert.deepEqual(
        recovered.map((r) => [r.id, r.attempts, r.exhausted]),
        [[c.id, 1, false]],
      );
    });

    void test('a stale worker cannot heartbeat, complete, retry or fail a reclaimed item', async (t) => {
      const queue = await open(t);
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 5 });
      const stale = await mustClaim(queue, 1_000);
      await queue.recoverExpired({ now: new Date(Date.now() + 5_000) });
      const fresh = await mustClaim(queue);

      assert.equal(await queue.heartbeat(stale, LONG_LEASE), false);
      assert.equal(await queue.complete(stale), false);
      assert.equal(await queue.retry(stale, 0, 'late'), 'lost');
      assert.equal(await queue.fail(stale, 'late'), false);
      // A forged token is refused too.
      assert.equal(await queue.complete({ ...fresh, leaseToken: randomUUID() }), false);
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 1, failed: 0 });

      assert.equal(await queue.heartbeat(fresh, LONG_LEASE), true);
      assert.equal(await queue.complete(fresh), true);
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 0, failed: 0 });
    });

    void test('heartbeat extends the lease', async (t) => {
      const queue = await open(t);
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 2 });
      const c = await mustClaim(queue, 1_000);
      assert.equal(await queue.heartbeat(c, 60_000), true);
      // Past the first lease, inside the extended one.
      assert.deepEqual(await queue.recoverExpired({ now: new Date(Date.now() + 30_000) }), []);
      assert.equal(await queue.complete(c), true);

      // The control: without the heartbeat the same check recovers the item.
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 2 });
      const d = await mustClaim(queue, 1_000);
      const recovered = await queue.recoverExpired({ now: new Date(Date.now() + 30_000) });
      assert.deepEqual(
        recovered.map((r) => r.id),
        [d.id],
      );
    });

    void test('when attempts run out, recoverExpired marks the item failed and says so', async (t) => {
      const queue = await open(t);
      const item = transcribe(randomUUID());
      await queue.enqueue(item, { maxAttempts: 2 });
      const first = await mustClaim(queue);
      assert.deepEqual(await queue.recoverExpired({ all: true }), [
        { id: first.id, item, attempts: 1, exhausted: false },
      ]);
      const second = await mustClaim(queue);
      assert.equal(second.attempt, 2);
      assert.deepEqual(await queue.recoverExpired({ all: true }), [
        { id: first.id, item, attempts: 2, exhausted: true },
      ]);
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 0, failed: 1 });
      assert.equal(await queue.claim(['transcribe'], 'w', LONG_LEASE), null);
      assert.deepEqual(await queue.recoverExpired({ all: true }), []);
    });

    void test('recoverExpired with all re-queues unexpired leases too, and only leased items', async (t) => {
      const queue = await open(t);
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 3 });
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 3 });
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 3 });
      const a = await mustClaim(queue);
      const b = await mustClaim(queue);
      assert.deepEqual(await queue.recoverExpired(), []);
      const recovered = await queue.recoverExpired({ all: true });
      assert.deepEqual(recovered.map((r) => r.id).sort(), [a.id, b.id].sort());
      assert.deepEqual(await queue.counts(), { ready: 3, leased: 0, failed: 0 });
    });

    void test('retry re-queues after the delay, and gives up when attempts run out', async (t) => {
      const queue = await open(t);
      const item = transcribe(randomUUID());
      await queue.enqueue(item, { maxAttempts: 3 });

      const first = await mustClaim(queue);
      assert.equal(await queue.retry(first, 0, 'decoder hiccup'), 'requeued');
      assert.equal(await queue.retry(first, 0, 'again'), 'lost', 'the lease ended with the first retry');
      const second = await mustClaim(queue);
      assert.equal(second.attempt, 2);

      assert.equal(await queue.retry(second, 400, 'model busy'), 'requeued');
      assert.equal(await queue.claim(['transcribe'], 'w', LONG_LEASE), null, 'handed out before its delay');
      assert.deepEqual(await queue.counts(), { ready: 1, leased: 0, failed: 0 });
      await sleep(450);
      const third = await mustClaim(queue);
      assert.equal(third.attempt, 3);
      assert.deepEqual(third.item, item);

      assert.equal(await queue.retry(third, 0, 'still broken'), 'exhausted');
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 0, failed: 1 });
      assert.equal(await queue.claim(['transcribe'], 'w', LONG_LEASE), null);
    });

    void test('fail marks the item failed for good', async (t) => {
      const queue = await open(t);
      await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 5 });
      const c = await mustClaim(queue);
      assert.equal(await queue.fail(c, 'unsupported codec'), true);
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 0, failed: 1 });
      assert.equal(await queue.claim(['transcribe'], 'w', LONG_LEASE), null);
      assert.equal(await queue.fail(c, 'again'), false);
    });

    void test("removeForJob removes the job's items, including a leased one", async (t) => {
      const queue = await open(t);
      const jobId = randomUUID();
      const otherJob = randomUUID();
      await queue.enqueue(transcribe(jobId), { maxAttempts: 3 });
      await queue.enqueue(
        { kind: 'deliver-webhook', jobId, url: 'https://hooks.example.com/', body: {}, headers: {} },
        { maxAttempts: 3 },
      );
      await queue.enqueue(transcribe(otherJob), { maxAttempts: 3 });
      const running = await mustClaim(queue);
      assert.equal(running.item.jobId, jobId);

      assert.equal(await queue.removeForJob(jobId), 2);
      // The worker holding the removed item learns at its next heartbeat that the job is gone.
      assert.equal(await queue.heartbeat(running, LONG_LEASE), false);
      assert.equal(await queue.complete(running), false);
      assert.deepEqual(await queue.counts(), { ready: 1, leased: 0, failed: 0 });
      assert.deepEqual((await mustClaim(queue)).item, transcribe(otherJob));
      assert.equal(await queue.removeForJob(jobId), 0);
    });

    void test('concurrent claims never hand out the same item twice', async (t) => {
      const queue = await open(t);
      const n = 40;
      for (let i = 0; i < n; i++) await queue.enqueue(transcribe(randomUUID()), { maxAttempts: 1 });
      const results = await Promise.all(
        Array.from({ length: n + 10 }, (_, i) => queue.claim(['transcribe'], `w${i}`, LONG_LEASE)),
      );
      const claimed = results.filter((c) => c !== null);
      assert.equal(claimed.length, n);
      assert.equal(new Set(claimed.map((c) => c.id)).size, n);
    });

    void test('enqueue refuses an item with no attempts', async (t) => {
      const queue = await open(t);
      await assert.rejects(queue.enqueue(transcribe(randomUUID()), { maxAttempts: 0 }), (err: unknown) => {
        assert.ok(err instanceof EarshotError);
        assert.equal(err.code, 'badRequest');
        return true;
      });
      assert.deepEqual(await queue.counts(), { ready: 0, leased: 0, failed: 0 });
    });
  });
}

function transcribe(jobId: string): QueueItem {
  return { kind: 'transcribe', jobId };
}

async function mustClaim(queue: JobQueue, leaseMs = LONG_LEASE): Promise<ClaimedItem> {
  const claimed = await queue.claim(['transcribe', 'deliver-webhook'], `worker-${randomUUID()}`, leaseMs);
  assert.ok(claimed, 'expected an item to claim');
  return claimed;
}
