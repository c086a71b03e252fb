import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';
import { EarshotError } from '../../src/domain/errors.js';
import type { BlobStore } from '../../src/store/blob.store.js';

/**
 * The behaviour every BlobStore must show (local directory now, S3-compatible later). The factory
 * returns an empty store of its own.
 */
export interface BlobStoreHarness {
  store: BlobStore;
  cleanup(): Promise<void>;
}

/** Keys that must be refused everywhere, whatever the backend could technically store. */
export const INVALID_KEYS: readonly string[] = [
  '',
  '../escape',
  'a/../../escape',
  'a/..',
  '..',
  './a',
  'a/./b',
  '/absolute/path',
  'a\\..\\b',
  'a\\b',
  'nul\0byte',
  'a//b',
  'trailing/',
];

export function runBlobStoreConformance(name: string, makeStore: () => Promise<BlobStoreHarness>): void {
  async function open(t: TestContext): Promise<BlobStore> {
    const harness = await makeStore();
    t.after(() => harness.cleanup());
    return harness.store;
  }

  void describe(`BlobStore conformance: ${name}`, () => {
    void test('put streams an object in and get streams the same bytes out', async (t) => {
      const store = await open(t);
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const key = 'tenants/t1/uploads/u1';
      assert.equal(await store.put(key, chunked(data, 64 * 1024)), data.length);
      assert.equal(await store.exists(key), true);
      assert.deepEqual(await readAll(await store.get(key)), data);

      // Overwriting replaces the whole object.
      const smaller = Buffer.from('short');
      assert.equal(await store.put(key, Readable.from([smaller])), smaller.length);
      assert.deepEqual(await readAll(await store.get(key)), smaller);

      // An empty object is an object.
      assert.equal(await store.put('tenants/t1/empty', Readable.from([])), 0);
      assert.equal(await store.exists('tenants/t1/empty'), true);
      assert.equal((await readAll(await store.get('tenants/t1/empty'))).length, 0);
    });

    void test('a missing key: get is notFound, exists is false, delete is fine', async (t) => {
      const store = await open(t);
      await assert.rejects(store.get('tenants/t1/nothing'), isCode('notFound'));
      assert.equal(await store.exists('tenants/t1/nothing'), false);
      await store.delete('tenants/t1/nothing');
      // A key that is only a prefix of other keys is not an object either.
      await store.put('tenants/t1/dir/file', Readable.from([Buffer.from('x')]));
      assert.equal(await store.exists('tenants/t1/dir'), false);
      await assert.rejects(store.get('tenants/t1/dir'), isCode('notFound'));
    });

    void test('invalid keys are refused with badRequest by every method', async (t) => {
      const store = await open(t);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-blob-dl-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      for (const key of INVALID_KEYS) {
        const label = JSON.stringify(key);
        await assert.rejects(
          store.put(key, Readable.from([Buffer.from('x')])),
          isCode('badRequest'),
          `put ${label}`,
        );
        await assert.rejects(store.get(key), isCode('badRequest'), `get ${label}`);
        await assert.rejects(store.exists(key), isCode('badRequest'), `exists ${label}`);
        await assert.rejects(store.delete(key), isCode('badRequest'), `delete ${label}`);
        await assert.rejects(
          store.download(key, path.join(dir, 'out')),
          isCode('badRequest'),
          `download ${label}`,
        );
        assert.throws(() => store.localPath(key), isCode('badRequest'), `localPath ${label}`);
      }
      for (const prefix of ['', '../', '/abs/', 'a/../', 'a\\', 'x\0', 'a//b']) {
        await assert.rejects(
          store.deletePrefix(prefix),
          isCode('badRequest'),
          `deletePrefix ${JSON.stringify(prefix)}`,
        );
      }
    });

    void test('put enforces maxBytes while streaming and leaves nothing behind', async (t) => {
      const store = await open(t);
      const data = randomBytes(100_000);
      assert.equal(await store.put('k/exact', chunked(data, 4096), { maxBytes: data.length }), data.length);
      assert.deepEqual(await readAll(await store.get('k/exact')), data);

      let produced = 0;
      // An endless source: only a limit that acts while streaming ends this put.
      const endless = new Readable({
        read() {
          produced += 65536;
          this.push(Buffer.alloc(65536, 1));
        },
      });
      await assert.rejects(
        store.put('k/too-big', endless, { maxBytes: 1_000_000 }),
        isCode('payloadTooLarge'),
      );
      assert.ok(produced < 50_000_000, `read ${produced} bytes before stopping`);
      assert.equal(await store.exists('k/too-big'), false);

      // One byte over, on top of an existing object: the old object stays whole.
      await assert.rejects(
        store.put('k/exact', chunked(randomBytes(data.length + 1), 4096), { maxBytes: data.length }),
        isCode('payloadTooLarge'),
      );
      assert.deepEqual(await readAll(await store.get('k/exact')), data);
    });

    void test('a body that fails mid-stream stores nothing and passes the error on', async (t) => {
      const store = await open(t);
      let sent = 0;
      const failing = new Readable({
        read() {
          if (sent >= 3) {
            this.destroy(new Error('client went away'));
            return;
          }
          sent += 1;
          this.push(Buffer.alloc(10_000, 7));
        },
      });
      await assert.rejects(store.put('k/partial', failing), /client went away/);
      assert.equal(await store.exists('k/partial'), false);
      await assert.rejects(store.get('k/partial'), isCode('notFound'));
    });

    void test('download copies the object to a local file', async (t) => {
      const store = await open(t);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-blob-dl-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const data = randomBytes(200_000);
      await store.put('tenants/t/uploads/a.wav', chunked(data, 8192));
      const out = path.join(dir, 'copy.wav');
      await store.download('tenants/t/uploads/a.wav', out);
      assert.deepEqual(readFileSync(out), data);
      await assert.rejects(
        store.download('tenants/t/uploads/missing', path.join(dir, 'x')),
        isCode('notFound'),
      );
    });

    void test('localPath is either absent or a file holding the object', async (t) => {
      const store = await open(t);
      const data = Buffer.from('local bytes');
      await store.put('p/q', Readable.from([data]));
      const local = store.localPath('p/q');
      if (local !== undefined) assert.deepEqual(readFileSync(local), data);
    });

    void test('delete removes one object', async (t) => {
      const store = await open(t);
      await store.put('d/one', Readable.from([Buffer.from('1')]));
      await store.put('d/two', Readable.from([Buffer.from('2')]));
      await store.delete('d/one');
      assert.equal(await store.exists('d/one'), false);
      assert.equal(await store.exists('d/two'), true);
      await store.delete('d/one');
    });

    void test('deletePrefix removes exactly the keys that start with the prefix', async (t) => {
      const store = await open(t);
      const keys = [
        'tenants/a/jobs/j1/audio.pcm',
        'tenants/a/jobs/j1/parts/0',
        'tenants/a/jobs/j10/audio.pcm',
        'tenants/a/jobs/j2/audio.pcm',
        'tenants/a/uploads/u1',
        'tenants/ab/jobs/j1/audio.pcm',
      ];
      for (const key of keys) await store.put(key, Readable.from([Buffer.from(key)]));
      const remaining = async () => {
        const out: string[] = [];
        for (const key of keys) if (await store.exists(key)) out.push(key);
        return out;
      };

      await store.deletePrefix('tenants/a/jobs/j1/');
      assert.deepEqual(await remaining(), [
        'tenants/a/jobs/j10/audio.pcm',
        'tenants/a/jobs/j2/audio.pcm',
        'tenants/a/uploads/u1',
        'tenants/ab/jobs/j1/audio.pcm',
      ]);
      // Not only at a `/`: a plain string prefix.
      await store.deletePrefix('tenants/a/jobs/j');
      assert.deepEqual(await remaining(), ['tenants/a/uploads/u1', 'tenants/ab/jobs/j1/audio.pcm']);
      await store.deletePrefix('tenants/a/');
      assert.deepEqual(await remaining(), ['tenants/ab/jobs/j1/audio.pcm']);
      await store.deletePrefix('tenants/zzz/');
      await store.deletePrefix('nothing-here');
      assert.deepEqual(await remaining(), ['tenants/ab/jobs/j1/audio.pcm']);
    });

    void test('concurrent puts to one key leave one whole object', async (t) => {
      const store = await open(t);
      const bodies = Array.from({ length: 5 }, () => randomBytes(300_000));
      await Promise.all(bodies.map((b) => store.put('race/key', chunked(b, 10_000))));
      const stored = await readAll(await store.get('race/key'));
      assert.ok(
        bodies.some((b) => b.equals(stored)),
        'the stored object is a mix of several puts',
      );
    });
  });
}

export function chunked(data: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
  return Readable.from(chunks);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

function isCode(code: EarshotError['code']): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof EarshotError, `expected an EarshotError(${code}), got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  };
}
