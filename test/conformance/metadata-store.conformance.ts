import assert from 'node:assert/strict';
import { uuidv7 } from '../../src/util/ids.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test, type TestContext } from 'node:test';
import { EarshotError } from '../../src/domain/errors.js';
import type { Job, Upload } from '../../src/domain/job.js';
import type { PartialSegment, Transcript } from '../../src/domain/transcript.js';
import { defaultTranscriptionRequest } from '../../src/domain/transcription-request.js';
import type { JobListQuery, MetadataStore, NewJob } from '../../src/store/metadata.store.js';

/**
 * The behaviour every MetadataStore must show, run against each implementation (SQLite now,
 * Postgres later). The factory returns a store whose schema may or may not be migrated yet (the
 * suite calls `migrate()` itself). Tests use fresh random tenant ids, so a backend that shares one
 * database between tests still passes, but a fresh database per call is the usual factory.
 *
 * Contract details this suite pins down beyond the interface's comments:
 * - `createdAt` of a job is the timestamp inside its UUIDv7 id (so id order and `createdOn` agree);
 * - lists never carry the transcript;
 * - a deleted job is never patched again, guard or not, and gets no partials;
 * - list filters combine with AND; an empty `statuses` matches nothing;
 * - a metadata filter compares `String(value)` of string, finite number and boolean values; object,
 *   array and null values never match; keys and values are case-sensitive;
 * - `offset` skips jobs from the end the page is anchored on: the newest (or those just before
 *   `beforeId`), or with `afterId` the jobs just after the cursor; the page stays newest first;
 * - `appendJobPartial` on a missing or deleted job stores nothing.
 */
export interface MetadataStoreHarness {
  store: MetadataStore;
  cleanup(): Promise<void>;
}

export function runMetadataStoreConformance(
  name: string,
  makeStore: () => Promise<MetadataStoreHarness>,
): void {
  async function open(t: TestContext): Promise<MetadataStore> {
    const harness = await makeStore();
    t.after(() => harness.cleanup());
    await harness.store.migrate();
    return harness.store;
  }

  void describe(`MetadataStore conformance: ${name}`, () => {
    void test('migrate can run again on an up-to-date schema', async (t) => {
      const store = await open(t);
      await store.migrate();
      const tenant = newTenant();
      const job = await store.createJob(newJob(tenant));
      await store.migrate();
      assert.equal((await store.getJob(tenant, job.id))?.id, job.id);
    });

    void test('createJob returns a queued job that getJob reads back unchanged', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const at = Date.UTC(2025, 4, 6, 7, 8, 9, 123);
      const input = newJob(tenant, uuidv7At(at));
      const created = await store.createJob(input);
      const expected: Job = {
        id: input.id,
        tenantId: tenant,
        surface: 'assemblyai',
        status: 'queued',
        request: input.request,
        surfaceParams: input.surfaceParams,
        metadata: null,
        progress: null,
        error: null,
        errorCode: null,
        transcript: null,
        audioDurationMs: null,
        webhookStatusCode: null,
        createdAt: new Date(at),
        startedAt: null,
        completedAt: null,
        deletedAt: null,
      };
      assert.deepEqual(created, expected);
      assert.deepEqual(await store.getJob(tenant, input.id), expected);
      assert.deepEqual(await store.getJobForWorker(input.id), expected);
    });

    void test('createJob with an existing id fails with conflict', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const job = newJob(tenant);
      await store.createJob(job);
      await assert.rejects(store.createJob(job), isError('conflict'));
      await assert.rejects(store.createJob({ ...job, tenantId: newTenant() }), isError('conflict'));
    });

    void test('a job of one tenant is invisible to another', async (t) => {
      const store = await open(t);
      const a = newTenant();
      const b = newTenant();
      const jobA = await store.createJob(newJob(a));
      const jobB = await store.createJob(newJob(b));

      assert.equal(await store.getJob(b, jobA.id), null);
      assert.equal(await store.getJob('', jobA.id), null);
      assert.deepEqual(
        (await store.listJobs(b, { limit: 10 })).map((j) => j.id),
        [jobB.id],
      );
      assert.deepEqual(
        (await store.listJobs(a, { limit: 10 })).map((j) => j.id),
        [jobA.id],
      );
      assert.equal(await store.markJobDeleted(b, jobA.id), null);
      const stillThere = await store.getJob(a, jobA.id);
      assert.equal(stillThere?.deletedAt, null);
      assert.deepEqual(stillThere?.request, jobA.request);
      // Workers see every tenant's jobs.
      assert.equal((await store.getJobForWorker(jobA.id))?.tenantId, a);
      assert.equal(await store.getJobForWorker(uuidv7At(Date.now())), null);
    });

    void test('listJobs pages newest first with limit, beforeId and afterId', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const base = Date.UTC(2025, 0, 1);
      // j[0] is the oldest, j[6] the newest.
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push((await store.createJob(newJob(tenant, uuidv7At(base + i * 1000)))).id);
      await store.createJob(newJob(newTenant(), uuidv7At(base + 3500)));
      const list = async (q: Parameters<MetadataStore['listJobs']>[1]) =>
        (await store.listJobs(tenant, q)).map((j) => ids.indexOf(j.id));

      assert.deepEqual(await list({ limit: 100 }), [6, 5, 4, 3, 2, 1, 0]);
      assert.deepEqual(await list({ limit: 3 }), [6, 5, 4]);
      // "prev" (older) page: continue after the last id of the current page.
      assert.deepEqual(await list({ limit: 3, beforeId: ids[4] }), [3, 2, 1]);
      assert.deepEqual(await list({ limit: 3, beforeId: ids[1] }), [0]);
      assert.deepEqual(await list({ limit: 3, beforeId: ids[0] }), []);
      // "next" (newer) page: the jobs just after the cursor, still newest first.
      assert.deepEqual(await list({ limit: 3, afterId: ids[0] }), [3, 2, 1]);
      assert.deepEqual(await list({ limit: 3, afterId: ids[3] }), [6, 5, 4]);
      assert.deepEqual(await list({ limit: 3, afterId: ids[5] }), [6]);
      assert.deepEqual(await list({ limit: 3, afterId: ids[6] }), []);
      // Both: a window.
      assert.deepEqual(await list({ limit: 10, afterId: ids[1], beforeId: ids[5] }), [4, 3, 2]);
      assert.deepEqual(await list({ limit: 2, afterId: ids[1], beforeId: ids[5] }), [3, 2]);
      assert.deepEqual(await list({ limit: 0 }), []);
    });

    void test('listJobs filters by status and surface, and leaves the transcript out', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const queued = await store.createJob(newJob(tenant));
      const done = await store.createJob(newJob(tenant));
      const failed = await store.createJob({ ...newJob(tenant), surface: 'cli' });
      assert.equal(
        await store.updateJob(done.id, { status: 'completed', transcript: sampleTranscript('hi') }),
        true,
      );
      assert.equal(
        await store.updateJob(failed.id, { status: 'error', error: 'bad audio', errorCode: 'invalidAudio' }),
        true,
      );

      const ids = async (q: Parameters<MetadataStore['listJobs']>[1]) =>
        (await store.listJobs(tenant, q)).map((j) => j.id);
      assert.deepEqual(await ids({ limit: 10, statuses: ['completed'] }), [done.id]);
      assert.deepEqual(await ids({ limit: 10, statuses: ['queued'] }), [queued.id]);
      assert.deepEqual(await ids({ limit: 10, statuses: ['error'] }), [failed.id]);
      assert.deepEqual(await ids({ limit: 10, statuses: ['processing'] }), []);
      assert.deepEqual(await ids({ limit: 10, surface: 'cli' }), [failed.id]);
      assert.deepEqual(await ids({ limit: 10, surface: 'assemblyai' }), [done.id, queued.id]);

      const [summary] = await store.listJobs(tenant, { limit: 1, statuses: ['completed'] });
      assert.ok(summary);
      assert.equal(summary.status, 'completed');
      assert.equal('transcript' in summary, false);
      const [failedSummary] = await store.listJobs(tenant, { limit: 1, statuses: ['error'] });
      assert.equal(failedSummary?.error, 'bad audio');
      assert.equal(failedSummary?.errorCode, 'invalidAudio');
      assert.equal((await store.getJob(tenant, done.id))?.errorCode, null);
    });

    void test('listJobs createdOn selects one UTC day', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const day = Date.UTC(2024, 1, 29); // a leap day
      const before = await store.createJob(newJob(tenant, uuidv7At(day - 1)));
      const first = await store.createJob(newJob(tenant, uuidv7At(day)));
      const last = await store.createJob(newJob(tenant, uuidv7At(day + 86_400_000 - 1)));
      const after = await store.createJob(newJob(tenant, uuidv7At(day + 86_400_000)));

      const ids = async (createdOn: string, extra: Partial<Parameters<MetadataStore['listJobs']>[1]> = {}) =>
        (await store.listJobs(tenant, { limit: 10, createdOn, ...extra })).map((j) => j.id);
      assert.deepEqual(await ids('2024-02-29'), [last.id, first.id]);
      assert.deepEqual(await ids('2024-02-28'), [before.id]);
      assert.deepEqual(await ids('2024-03-01'), [after.id]);
      assert.deepEqual(await ids('2024-03-02'), []);
      assert.deepEqual(await ids('2024-02-29', { beforeId: last.id }), [first.id]);
      assert.deepEqual(await ids('2024-02-29', { statuses: ['completed'] }), []);
      for (const bad of ['2024-2-29', '2023-02-29', '2024-02-29T00:00:00Z', 'yesterday']) {
        await assert.rejects(
          store.listJobs(tenant, { limit: 10, createdOn: bad }),
          isError('badRequest'),
          bad,
        );
      }
    });

    void test('listJobs statuses matches any of the given statuses', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const queued = await store.createJob(newJob(tenant));
      const processing = await store.createJob(newJob(tenant));
      const done = await store.createJob(newJob(tenant));
      const failed = await store.createJob({ ...newJob(tenant), surface: 'cli' });
      await store.updateJob(processing.id, { status: 'processing' });
      await store.updateJob(done.id, { status: 'completed' });
      await store.updateJob(failed.id, { status: 'error' });
      await store.createJob(newJob(newTenant()));

      const ids = async (q: Partial<JobListQuery>) =>
        (await store.listJobs(tenant, { limit: 10, ...q })).map((j) => j.id);
      assert.deepEqual(await ids({ statuses: ['completed', 'error'] }), [failed.id, done.id]);
      assert.deepEqual(await ids({ statuses: ['queued', 'processing'] }), [processing.id, queued.id]);
      assert.deepEqual(await ids({ statuses: ['error', 'queued', 'cancelled'] }), [failed.id, queued.id]);
      assert.deepEqual(await ids({ statuses: ['cancelled'] }), []);
      assert.deepEqual(await ids({ statuses: [] }), []);
      assert.deepEqual(await ids({ statuses: ['completed', 'error'], surface: 'assemblyai' }), [done.id]);
      assert.deepEqual(await ids({}), [failed.id, done.id, processing.id, queued.id]);
    });

    void test('listJobs createdFrom (inclusive) and createdBefore (exclusive) bound the creation time', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const t0 = Date.UTC(2025, 2, 10, 12, 0, 0);
      const t1 = t0 + 3_600_000;
      const early = await store.createJob(newJob(tenant, uuidv7At(t0 - 1)));
      const atFrom = await store.createJob(newJob(tenant, uuidv7At(t0)));
      const middle = await store.createJob(newJob(tenant, uuidv7At(t0 + 60_000)));
      const lastIn = await store.createJob(newJob(tenant, uuidv7At(t1 - 1)));
      const atBefore = await store.createJob(newJob(tenant, uuidv7At(t1)));
      await store.createJob(newJob(newTenant(), uuidv7At(t0 + 1)));

      const ids = async (q: Partial<JobListQuery>) =>
        (await store.listJobs(tenant, { limit: 10, ...q })).map((j) => j.id);
      assert.deepEqual(await ids({ createdFrom: new Date(t0) }), [
        atBefore.id,
        lastIn.id,
        middle.id,
        atFrom.id,
      ]);
      assert.deepEqual(await ids({ createdBefore: new Date(t1) }), [
        lastIn.id,
        middle.id,
        atFrom.id,
        early.id,
      ]);
      assert.deepEqual(await ids({ createdFrom: new Date(t0), createdBefore: new Date(t1) }), [
        lastIn.id,
        middle.id,
        atFrom.id,
      ]);
      assert.deepEqual(await ids({ createdFrom: new Date(t1), createdBefore: new Date(t0) }), []);
      assert.deepEqual(await ids({ createdFrom: new Date(t0), createdBefore: new Date(t1), limit: 2 }), [
        lastIn.id,
        middle.id,
      ]);
      assert.deepEqual(await ids({ createdFrom: new Date(t0 + 1), createdOn: '2025-03-10' }), [
        atBefore.id,
        lastIn.id,
        middle.id,
      ]);
      assert.deepEqual(await ids({ createdBefore: new Date(t0), beforeId: early.id }), []);
      for (const q of [{ createdFrom: new Date(NaN) }, { createdBefore: new Date('nope') }]) {
        await assert.rejects(store.listJobs(tenant, { limit: 10, ...q }), isError('badRequest'));
      }
    });

    void test('listJobs offset skips jobs from the end the page is anchored on', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const base = Date.UTC(2025, 0, 2);
      // ids[0] is the oldest, ids[6] the newest; the odd ones are completed.
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const job = await store.createJob(newJob(tenant, uuidv7At(base + i * 1000)));
        if (i % 2 === 1) await store.updateJob(job.id, { status: 'completed' });
        ids.push(job.id);
      }
      await store.createJob(newJob(newTenant(), uuidv7At(base + 2500)));
      const list = async (q: JobListQuery) => (await store.listJobs(tenant, q)).map((j) => ids.indexOf(j.id));

      assert.deepEqual(await list({ limit: 3, offset: 0 }), [6, 5, 4]);
      assert.deepEqual(await list({ limit: 3, offset: 2 }), [4, 3, 2]);
      assert.deepEqual(await list({ limit: 3, offset: 6 }), [0]);
      assert.deepEqual(await list({ limit: 3, offset: 7 }), []);
      assert.deepEqual(await list({ limit: 3, offset: 100 }), []);
      // Offset pages cover every job exactly once.
      const paged: number[] = [];
      for (let offset = 0; offset < 7; offset += 3) paged.push(...(await list({ limit: 3, offset })));
      assert.deepEqual(paged, [6, 5, 4, 3, 2, 1, 0]);
      // Applied after the filters.
      assert.deepEqual(await list({ limit: 2, offset: 1, statuses: ['completed'] }), [3, 1]);
      assert.deepEqual(await list({ limit: 10, offset: 1, statuses: ['queued'] }), [4, 2, 0]);
      // With beforeId: skips the jobs just before the cursor.
      assert.deepEqual(await list({ limit: 2, offset: 1, beforeId: ids[5] }), [3, 2]);
      // With afterId: skips the jobs just after the cursor; the page is still newest first.
      assert.deepEqual(await list({ limit: 2, offset: 0, afterId: ids[0] }), [2, 1]);
      assert.deepEqual(await list({ limit: 2, offset: 2, afterId: ids[0] }), [4, 3]);
      assert.deepEqual(await list({ limit: 2, offset: 5, afterId: ids[0] }), [6]);
      assert.deepEqual(await list({ limit: 2, offset: 6, afterId: ids[0] }), []);
      assert.deepEqual(await list({ limit: 10, offset: 1, afterId: ids[1], beforeId: ids[5] }), [4, 3]);
    });

    void test('job metadata is stored with the job and returned by get and list', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const metadata = {
        ticket: 'T-1',
        count: 42,
        ratio: 1.5,
        urgent: true,
        nested: { a: [1, 'b'] },
        list: ['x', 2],
        none: null,
        empty: '',
      };
      const created = await store.createJob({ ...newJob(tenant), metadata });
      assert.deepEqual(created.metadata, metadata);
      assert.deepEqual((await store.getJob(tenant, created.id))?.metadata, metadata);
      assert.deepEqual((await store.getJobForWorker(created.id))?.metadata, metadata);
      const emptyMeta = await store.createJob({ ...newJob(tenant), metadata: {} });
      assert.deepEqual((await store.getJob(tenant, emptyMeta.id))?.metadata, {});
      const without = await store.createJob(newJob(tenant));
      assert.equal(without.metadata, null);
      assert.equal((await store.getJob(tenant, without.id))?.metadata, null);
      assert.deepEqual(
        (await store.listJobs(tenant, { limit: 10 })).map((j) => j.metadata),
        [null, {}, metadata],
      );
      // Status updates leave it alone.
      await store.updateJob(created.id, { status: 'completed', transcript: sampleTranscript('hi') });
      assert.deepEqual((await store.getJob(tenant, created.id))?.metadata, metadata);
    });

    void test('listJobs metadata filter needs every key with its value, compared as a string', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const create = (metadata?: Record<string, unknown>) =>
        store.createJob(metadata === undefined ? newJob(tenant) : { ...newJob(tenant), metadata });
      const a = await create({ team: 'red', n: 42, ok: true, ratio: 0.25 });
      const b = await create({ team: 'blue', n: '42', ok: 'true' });
      const c = await create({ team: 'red', nested: { x: '1' }, arr: ['a'], none: null, empty: '' });
      const d = await create();
      await store.createJob({ ...newJob(newTenant()), metadata: { team: 'red', n: 42 } });

      const ids = async (metadata: Record<string, string>, q: Partial<JobListQuery> = {}) =>
        (await store.listJobs(tenant, { limit: 10, metadata, ...q })).map((j) => j.id);
      assert.deepEqual(await ids({ team: 'red' }), [c.id, a.id]);
      assert.deepEqual(await ids({ team: 'blue' }), [b.id]);
      // Numbers and booleans match their String() form, whatever type the other job stored.
      assert.deepEqual(await ids({ n: '42' }), [b.id, a.id]);
      assert.deepEqual(await ids({ ok: 'true' }), [b.id, a.id]);
      assert.deepEqual(await ids({ ratio: '0.25' }), [a.id]);
      assert.deepEqual(await ids({ n: '42.0' }), []);
      assert.deepEqual(await ids({ ok: '1' }), []);
      assert.deepEqual(await ids({ empty: '' }), [c.id]);
      // Every key must match.
      assert.deepEqual(await ids({ team: 'red', n: '42' }), [a.id]);
      assert.deepEqual(await ids({ team: 'blue', n: '42', ok: 'true' }), [b.id]);
      assert.deepEqual(await ids({ team: 'red', n: '43' }), []);
      assert.deepEqual(await ids({ team: 'red', missing: 'x' }), []);
      // Objects, arrays and null never match, in any spelling.
      for (const [key, value] of [
        ['nested', '[object Object]'],
        ['nested', '{"x":"1"}'],
        ['arr', 'a'],
        ['arr', '["a"]'],
        ['none', 'null'],
        ['none', ''],
      ] as const) {
        assert.deepEqual(await ids({ [key]: value }), [], `${key}=${value}`);
      }
      // Case-sensitive keys and values.
      assert.deepEqual(await ids({ Team: 'red' }), []);
      assert.deepEqual(await ids({ team: 'Red' }), []);
      // An empty filter filters nothing; other filters and paging still apply.
      assert.deepEqual(await ids({}), [d.id, c.id, b.id, a.id]);
      assert.deepEqual(await ids({ team: 'red' }, { limit: 1 }), [c.id]);
      assert.deepEqual(await ids({ team: 'red' }, { limit: 1, offset: 1 }), [a.id]);
      assert.deepEqual(await ids({ team: 'red' }, { beforeId: c.id }), [a.id]);
      assert.deepEqual(await ids({ team: 'red' }, { afterId: a.id }), [c.id]);
      await store.updateJob(a.id, { status: 'completed' });
      assert.deepEqual(await ids({ team: 'red' }, { statuses: ['completed'] }), [a.id]);
      assert.deepEqual(await ids({ team: 'red' }, { surface: 'cli' }), []);
    });

    void test('partials: stored by seq, replaced on the same seq, listed in order after a seq', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const job = await store.createJob(newJob(tenant));
      const other = await store.createJob(newJob(tenant));
      const p0 = samplePartial(0, 'hello there');
      const p1 = samplePartial(1, 'general kenobi');
      const p2 = { ...samplePartial(2, 'second channel'), channel: 1 };
      // Out of order: a later chunk may finish first.
      await store.appendJobPartial(job.id, p2);
      await store.appendJobPartial(job.id, p0);
      await store.appendJobPartial(job.id, p1);
      await store.appendJobPartial(other.id, samplePartial(0, 'other job'));

      assert.deepEqual(await store.listJobPartials(job.id, -1), [p0, p1, p2]);
      assert.deepEqual(await store.listJobPartials(job.id, 0), [p1, p2]);
      assert.deepEqual(await store.listJobPartials(job.id, 1), [p2]);
      assert.deepEqual(await store.listJobPartials(job.id, 2), []);
      assert.deepEqual(
        (await store.listJobPartials(other.id, -1)).map((p) => p.text),
        ['other job'],
      );

      // A retried attempt publishes seq 1 again: it replaces the first one.
      const retried = samplePartial(1, 'general kenobi, retried');
      await store.appendJobPartial(job.id, retried);
      assert.deepEqual(await store.listJobPartials(job.id, -1), [p0, retried, p2]);

      // A job that does not exist gets nothing.
      const missing = uuidv7At(Date.now());
      await store.appendJobPartial(missing, samplePartial(0, 'nobody'));
      assert.deepEqual(await store.listJobPartials(missing, -1), []);
    });

    void test('markJobDeleted removes metadata and partials, and later partials are not stored', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const secret = `secret-${randomUUID()}`;
      const job = await store.createJob({ ...newJob(tenant), metadata: { customer: secret, n: 7 } });
      const kept = await store.createJob({ ...newJob(tenant), metadata: { customer: secret } });
      await store.appendJobPartial(job.id, samplePartial(0, `words ${secret}`));
      await store.appendJobPartial(kept.id, samplePartial(0, 'kept words'));
      const byCustomer = async () =>
        (await store.listJobs(tenant, { limit: 10, metadata: { customer: secret } })).map((j) => j.id);
      assert.deepEqual(await byCustomer(), [kept.id, job.id]);

      const tombstone = await store.markJobDeleted(tenant, job.id);
      assert.equal(tombstone?.metadata, null);
      assert.equal(JSON.stringify(tombstone).includes(secret), false);
      assert.equal((await store.getJob(tenant, job.id))?.metadata, null);
      assert.deepEqual(await store.listJobPartials(job.id, -1), []);
      assert.deepEqual(await byCustomer(), [kept.id]);
      assert.deepEqual(
        (await store.listJobs(tenant, { limit: 10, metadata: { n: '7' } })).map((j) => j.id),
        [],
      );

      // A late worker cannot bring words back.
      await store.appendJobPartial(job.id, samplePartial(1, `late ${secret}`));
      assert.deepEqual(await store.listJobPartials(job.id, -1), []);
      // The other job keeps its own.
      assert.deepEqual((await store.getJob(tenant, kept.id))?.metadata, { customer: secret });
      assert.equal((await store.listJobPartials(kept.id, -1)).length, 1);
    });

    void test('updateJob applies a patch and leaves other fields alone', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const job = await store.createJob(newJob(tenant));
      const startedAt = new Date(Date.UTC(2025, 5, 1, 12, 0, 0, 5));
      assert.equal(
        await store.updateJob(job.id, {
          status: 'processing',
          startedAt,
          progress: { stage: 'decode', percent: 20, message: 'decoding' },
          audioDurationMs: 61_234,
        }),
        true,
      );
      let got = await store.getJob(tenant, job.id);
      assert.equal(got?.status, 'processing');
      assert.deepEqual(got?.startedAt, startedAt);
      assert.deepEqual(got?.progress, { stage: 'decode', percent: 20, message: 'decoding' });
      assert.equal(got?.audioDurationMs, 61_234);
      assert.equal(got?.transcript, null);

      const transcript = sampleTranscript('hello world');
      const completedAt = new Date(Date.UTC(2025, 5, 1, 12, 0, 9));
      assert.equal(
        await store.updateJob(job.id, { status: 'completed', transcript, completedAt, progress: null }),
        true,
      );
      assert.equal(await store.updateJob(job.id, { webhookStatusCode: 204 }), true);
      got = await store.getJob(tenant, job.id);
      assert.equal(got?.status, 'completed');
      assert.deepEqual(got?.transcript, transcript);
      assert.deepEqual(got?.completedAt, completedAt);
      assert.deepEqual(got?.startedAt, startedAt);
      assert.equal(got?.progress, null);
      assert.equal(got?.audioDurationMs, 61_234);
      assert.equal(got?.webhookStatusCode, 204);

      // A second transcript replaces the first; null removes it.
      const other = sampleTranscript('second take');
      assert.equal(await store.updateJob(job.id, { transcript: other }), true);
      assert.deepEqual((await store.getJob(tenant, job.id))?.transcript, other);
      assert.equal(await store.updateJob(job.id, { transcript: null }), true);
      assert.equal((await store.getJob(tenant, job.id))?.transcript, null);

      assert.equal(await store.updateJob(uuidv7At(Date.now()), { status: 'error' }), false);
    });

    void test('updateJob with onlyIfStatus refuses a job in another status', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const job = await store.createJob(newJob(tenant));
      assert.equal(await store.updateJob(job.id, { status: 'processing' }, ['queued']), true);
      assert.equal(await store.updateJob(job.id, { status: 'cancelled' }, ['queued', 'processing']), true);

      // The late worker: its guard fails, and neither the status nor the transcript changes.
      const late = await store.updateJob(
        job.id,
        { status: 'completed', transcript: sampleTranscript('too late'), progress: null },
        ['processing'],
      );
      assert.equal(late, false);
      const got = await store.getJob(tenant, job.id);
      assert.equal(got?.status, 'cancelled');
      assert.equal(got?.transcript, null);
      assert.equal(await store.updateJob(job.id, { error: 'x' }, []), false);
      assert.equal((await store.getJob(tenant, job.id))?.error, null);
    });

    void test('markJobDeleted removes the transcript and the request details, keeping a tombstone', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const secretUrl = `https://audio.example.com/${randomUUID()}.mp3`;
      const input = newJob(tenant);
      input.request = {
        ...defaultTranscriptionRequest({ kind: 'url', url: secretUrl }),
        keyterms: ['Ada Lovelace'],
        customSpelling: [{ from: ['ada'], to: 'Ada' }],
        webhook: { url: 'https://hooks.example.com/x', authHeader: { name: 'X-Secret', value: 'hunter22' } },
      };
      input.surfaceParams = { audio_url: secretUrl, keyterms_prompt: ['Ada Lovelace'] };
      const job = await store.createJob(input);
      await store.updateJob(job.id, {
        status: 'completed',
        transcript: sampleTranscript('the secret words'),
      });

      const before = Date.now();
      const tombstone = await store.markJobDeleted(tenant, job.id);
      assert.ok(tombstone);
      assert.equal(tombstone.status, 'completed');
      assert.equal(tombstone.transcript, null);
      assert.ok(tombstone.deletedAt instanceof Date);
      assert.ok(
        tombstone.deletedAt.getTime() >= before - 5 && tombstone.deletedAt.getTime() <= Date.now() + 5,
      );
      assert.deepEqual(tombstone.surfaceParams, {});
      const serialized = JSON.stringify(tombstone);
      for (const secret of [secretUrl, 'Ada Lovelace', 'hunter22', 'the secret words']) {
        assert.equal(serialized.includes(secret), false, `tombstone still holds ${secret}`);
      }

      const read = await store.getJob(tenant, job.id);
      assert.deepEqual(read, tombstone);
      assert.equal(JSON.stringify(await store.getJobForWorker(job.id)).includes('the secret words'), false);
      const [listed] = await store.listJobs(tenant, { limit: 1 });
      assert.deepEqual(listed?.deletedAt, tombstone.deletedAt);

      // A late worker cannot bring the text back, guard or no guard.
      assert.equal(await store.updateJob(job.id, { transcript: sampleTranscript('back again') }), false);
      assert.equal(await store.updateJob(job.id, { status: 'completed' }, ['completed']), false);
      assert.equal((await store.getJob(tenant, job.id))?.transcript, null);

      // Deleting again is harmless and returns the same tombstone.
      assert.deepEqual(await store.markJobDeleted(tenant, job.id), tombstone);
      assert.equal(await store.markJobDeleted(tenant, uuidv7At(Date.now())), null);
    });

    void test('markJobDeleted keeps an upload reference so the upload can still be removed', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const uploadId = randomUUID();
      const job = await store.createJob({
        ...newJob(tenant),
        request: defaultTranscriptionRequest({ kind: 'upload', uploadId }),
      });
      const tombstone = await store.markJobDeleted(tenant, job.id);
      assert.deepEqual(tombstone?.request.audio, { kind: 'upload', uploadId });
    });

    void test('uploads: create, get and delete, scoped by tenant', async (t) => {
      const store = await open(t);
      const a = newTenant();
      const b = newTenant();
      const upload: Upload = {
        id: randomUUID(),
        tenantId: a,
        blobKey: `tenants/${a}/uploads/x`,
        sizeBytes: 3_000_000_123,
        filename: 'meeting.m4a',
        contentType: 'audio/mp4',
        createdAt: new Date(Date.UTC(2025, 1, 2, 3, 4, 5, 6)),
      };
      const bare: Upload = { ...upload, id: randomUUID(), filename: null, contentType: null };
      await store.createUpload(upload);
      await store.createUpload(bare);
      await assert.rejects(store.createUpload(upload), isError('conflict'));

      assert.deepEqual(await store.getUpload(a, upload.id), upload);
      assert.deepEqual(await store.getUpload(a, bare.id), bare);
      assert.equal(await store.getUpload(b, upload.id), null);
      assert.equal(await store.getUpload(a, randomUUID()), null);

      await store.deleteUpload(b, upload.id);
      assert.deepEqual(
        await store.getUpload(a, upload.id),
        upload,
        "another tenant's delete must not remove it",
      );
      await store.deleteUpload(a, upload.id);
      assert.equal(await store.getUpload(a, upload.id), null);
      assert.deepEqual(await store.getUpload(a, bare.id), bare);
      await store.deleteUpload(a, upload.id); // already gone: not an error
    });

    void test('concurrent updates and reads do not interfere', async (t) => {
      const store = await open(t);
      const tenant = newTenant();
      const jobs = await Promise.all(Array.from({ length: 20 }, () => store.createJob(newJob(tenant))));
      await Promise.all(
        jobs.map((job, i) =>
          store.updateJob(job.id, { status: 'completed', transcript: sampleTranscript(`job ${i}`) }, [
            'queued',
          ]),
        ),
      );
      const read = await Promise.all(jobs.map((job) => store.getJob(tenant, job.id)));
      assert.deepEqual(
        read.map((j) => j?.transcript?.text),
        jobs.map((_, i) => `job ${i}`),
      );
    });
  });
}

export function newTenant(): string {
  return `tenant-${randomUUID()}`;
}

// Real ids by default: they keep creation order even within one millisecond.
export function newJob(tenantId: string, id: string = uuidv7()): NewJob {
  const url = `https://media.example.com/${randomUUID()}.wav`;
  return {
    id,
    tenantId,
    surface: 'assemblyai',
    request: { ...defaultTranscriptionRequest({ kind: 'url', url }), speechModels: ['sphinx-en-us'] },
    surfaceParams: { audio_url: url, punctuate: true },
  };
}

/**
 * A UUIDv7 for a chosen millisecond, with random low bits. Tests need ids for past days, which the
 * app's generator (monotonic by design) will not produce once it has issued a later id.
 */
export function uuidv7At(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A transcript whose words spell `text`, one second per word. */
export function sampleTranscript(text: string): Transcript {
  const words = text.split(/\s+/).map((w, i) => ({
    text: w,
    startMs: i * 1000,
    endMs: i * 1000 + 800,
    confidence: 0.9,
    speaker: i % 2,
  }));
  return {
    language: 'en',
    languageConfidence: 0.98,
    durationMs: words.length * 1000,
    channels: 1,
    text,
    words,
    segments: [{ startMs: 0, endMs: words.length * 1000, text }],
    utterances: null,
    confidence: 0.9,
    speakers: null,
    engine: { id: 'sphinx', model: 'sphinx-en-us' },
    speechMs: words.length * 800,
    addons: { summary: { status: 'success', result: 'short', execMs: 3 } },
  };
}

/** A partial of one 2-second chunk whose words spell `text`. */
export function samplePartial(seq: number, text: string): PartialSegment {
  const startMs = seq * 2000;
  const words = text.split(/\s+/).map((w, i) => ({
    text: w,
    startMs: startMs + i * 100,
    endMs: startMs + i * 100 + 80,
    confidence: 0.8,
  }));
  return { seq, chunkIndex: seq, chunkCount: 10, startMs, endMs: startMs + 2000, text, words };
}

export function isError(code: EarshotError['code']): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof EarshotError, `expected an EarshotError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  };
}
