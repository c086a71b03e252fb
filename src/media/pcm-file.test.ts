import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { pcmSampleCount, readPcmSlice, writePcmFile } from './pcm-file.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-pcm-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** 0, 1, 2 … scaled, so every sample says where it came from. */
function ramp(length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => i / 1024);
}

test('writePcmFile writes float32 little-endian, 4 bytes a sample', async (t) => {
  const file = path.join(await tempDir(t), 'a.f32');
  await writePcmFile(file, Float32Array.of(0.5, -1, 0.25));
  const bytes = await readFile(file);
  assert.equal(bytes.length, 12);
  assert.equal(bytes.readFloatLE(0), 0.5);
  assert.equal(bytes.readFloatLE(4), -1);
  assert.equal(bytes.readFloatLE(8), 0.25);
});

test('pcmSampleCount counts samples and refuses a partial sample', async (t) => {
  const dir = await tempDir(t);
  const good = path.join(dir, 'good.f32');
  await writePcmFile(good, ramp(1000));
  assert.equal(await pcmSampleCount(good), 1000);
  const empty = path.join(dir, 'empty.f32');
  await writePcmFile(empty, new Float32Array(0));
  assert.equal(await pcmSampleCount(empty), 0);
  const odd = path.join(dir, 'odd.f32');
  await writeFile(odd, Buffer.alloc(10));
  await assert.rejects(pcmSampleCount(odd), /size \(10 bytes\) is not a multiple of 4/);
});

test('readPcmSlice returns exactly the requested samples', async (t) => {
  const file = path.join(await tempDir(t), 'ramp.f32');
  const samples = ramp(50_000);
  await writePcmFile(file, samples);
  assert.deepEqual(await readPcmSlice(file, 0, 50_000), samples);
  assert.deepEqual(
    await readPcmSlice(file, 12_345, 12_349),
    Float32Array.of(12345, 12346, 12347, 12348).map((x) => x / 1024),
  );
  assert.deepEqual(await readPcmSlice(file, 49_999, 50_000), Float32Array.of(49_999 / 1024));
  assert.deepEqual(await readPcmSlice(file, 700, 700), new Float32Array(0));
});

test('readPcmSlice refuses ranges outside the file', async (t) => {
  const file = path.join(await tempDir(t), 'short.f32');
  await writePcmFile(file, ramp(100));
  await assert.rejects(readPcmSlice(file, 90, 101), {
    name: 'RangeError',
    message: `PCM slice [90, 101) goes past the end of ${file} (100 samples)`,
  });
  await assert.rejects(readPcmSlice(file, 200, 300), RangeError);
  await assert.rejects(readPcmSlice(file, -1, 10), RangeError);
  await assert.rejects(readPcmSlice(file, 10, 5), RangeError);
  await assert.rejects(readPcmSlice(file, 1.5, 10), RangeError);
});

test('readPcmSlice reads only the requested range of a 3-hour file', async (t) => {
  // A sparse 690 MB file (3 h at 16 kHz): reading a second at the end must neither take long nor
  // cost memory, which it would if the whole file were read.
  const file = path.join(await tempDir(t), 'three-hours.f32');
  const total = 3 * 3600 * 16000;
  const handle = await open(file, 'w');
  try {
    await handle.truncate(total * 4);
    const marker = Buffer.alloc(16000 * 4);
    for (let i = 0; i < 16000; i++) marker.writeFloatLE(i / 16000, i * 4);
    await handle.write(marker, 0, marker.length, (total - 16000) * 4);
  } finally {
    await handle.close();
  }
  assert.equal((await stat(file)).size, 691_200_000);
  assert.equal(await pcmSampleCount(file), total);
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const slice = await readPcmSlice(file, total - 16000, total);
  const elapsed = performance.now() - started;
  assert.equal(slice.length, 16000);
  assert.equal(slice[0], 0);
  assert.equal(slice[15999], Math.fround(15999 / 16000));
  assert.ok(elapsed < 500, `took ${elapsed} ms`);
  assert.ok(process.memoryUsage().rss - before < 20 * 2 ** 20);
  // The zeros before the marker are there too: the range maps to the right bytes.
  assert.deepEqual(await readPcmSlice(file, total - 16001, total - 15999), Float32Array.of(0, 0));
});
