import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';
import { EarshotError } from '../src/domain/errors.js';
import { LocalBlobStore } from '../src/store/local.blob-store.js';
import { chunked, readAll, runBlobStoreConformance } from './conformance/blob-store.conformance.js';

runBlobStoreConformance('local directory', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-blobs-'));
  return Promise.resolve({
    store: new LocalBlobStore(path.join(dir, 'blobs')),
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});

function setup(t: TestContext): { base: string; root: string; store: LocalBlobStore } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'earshot-blobs-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const root = path.join(base, 'root');
  return { base, root, store: new LocalBlobStore(root) };
}

/** Every file under `dir`, relative, temporary files included. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

void describe('LocalBlobStore specifics', () => {
  void test('objects are plain files under the root, at the path their key names', async (t) => {
    const { root, store } = setup(t);
    const data = randomBytes(1000);
    await store.put('tenants/t/uploads/u1', Readable.from([data]));
    const file = path.join(root, 'tenants', 't', 'uploads', 'u1');
    assert.equal(store.localPath('tenants/t/uploads/u1'), file);
    assert.deepEqual(readFileSync(file), data);
    assert.deepEqual(listFiles(root), [path.join('tenants', 't', 'uploads', 'u1')]);
  });

  void test('failed puts leave no temporary files behind', async (t) => {
    const { root, store } = setup(t);
    await store.put('k/keep', Readable.from([Buffer.from('keep')]));
    await assert.rejects(
      store.put('k/big', chunked(randomBytes(50_000), 1000), { maxBytes: 10_000 }),
      (err: unknown) => err instanceof EarshotError && err.code === 'payloadTooLarge',
    );
    const failing = new Readable({
      read() {
        this.destroy(new Error('boom'));
      },
    });
    await assert.rejects(store.put('k/broken', failing), /boom/);
    // Fails before its first byte: the write stream may still be opening its file when the error lands.
    const immediate = new Readable({ read() {} });
    immediate.destroy(new Error('already failed'));
    await assert.rejects(store.put('k/immediate', immediate), /already failed/);
    assert.deepEqual(listFiles(root), [path.join('k', 'keep')]);
  });

  void test('a key cannot reach outside the root', async (t) => {
    const { base, root, store } = setup(t);
    const outside = path.join(base, 'outside.txt');
    writeFileSync(outside, 'precious');
    mkdirSync(root, { recursive: true });
    await assert.rejects(store.delete('../outside.txt'), EarshotError);
    await assert.rejects(
      store.put('../outside.txt', Readable.from([Buffer.from('overwritten')])),
      EarshotError,
    );
    await assert.rejects(store.deletePrefix('../'), EarshotError);
    await assert.rejects(store.get('../outside.txt'), EarshotError);
    assert.equal(readFileSync(outside, 'utf8'), 'precious');
  });

  void test('a key that collides with another key as a directory is a conflict', async (t) => {
    const { store } = setup(t);
    await store.put('a/b', Readable.from([Buffer.from('file')]));
    await assert.rejects(
      store.put('a/b/c', Readable.from([Buffer.from('x')])),
      (err: unknown) => err instanceof EarshotError && err.code === 'conflict',
    );
    await store.put('d/e/f', Readable.from([Buffer.from('x')]));
    await assert.rejects(
      store.put('d/e', Readable.from([Buffer.from('x')])),
      (err: unknown) => err instanceof EarshotError && err.code === 'conflict',
    );
    await store.delete('d/e'); // a directory is not an object: nothing to delete
    assert.equal(await store.exists('d/e/f'), true);
  });

  void test('get streams large objects without reading them whole first', async (t) => {
    const { store } = setup(t);
    const data = randomBytes(8 * 1024 * 1024);
    await store.put('big/one', chunked(data, 1024 * 1024));
    const stream = await store.get('big/one');
    let chunks = 0;
    let total = 0;
    const hash: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks += 1;
      total += chunk.length;
      hash.push(chunk);
    }
    assert.equal(total, data.length);
    assert.ok(chunks > 1, 'the object came back in one piece');
    assert.deepEqual(Buffer.concat(hash), data);
    assert.deepEqual(await readAll(await store.get('big/one')), data);
  });
});
