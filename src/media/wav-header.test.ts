import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { MULTISPEAKER_DIR, speechFile } from '../../test/helpers/shared-data.js';
import { loadConfig } from '../config/config.js';
import { readWavDeclaration, type WavDeclaration } from './wav-header.js';

const run = promisify(execFile);
const ffmpegBin = loadConfig().tools.ffmpeg;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-wavhdr-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function declaration(file: string): Promise<WavDeclaration | undefined> {
  const handle = await open(file, 'r');
  try {
    return await readWavDeclaration(handle, (await stat(file)).size);
  } finally {
    await handle.close();
  }
}

test('a complete 16-bit WAV declares what it holds', async () => {
  // LJ001-0001.wav: a plain 44-byte header, then 212 893 16-bit samples at 22 050 Hz.
  assert.deepEqual(await declaration(speechFile('LJ001-0001.wav')), {
    declaredDataBytes: 425786,
    presentDataBytes: 425786,
    declaredDurationMs: (212893 / 22050) * 1000,
    format: { tag: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16 },
  });
});

test('float32 WAV with an 18-byte fmt chunk and a fact chunk before the data', async () => {
  const d = await declaration(path.join(MULTISPEAKER_DIR, 'ami_pyannote_tst00.wav'));
  assert.ok(d);
  assert.equal(d.declaredDataBytes, d.presentDataBytes);
  assert.equal(Math.round(d.declaredDurationMs), 30000);
});

test('a WAV cut in half still declares its full length', async (t) => {
  const file = path.join(await tempDir(t), 'cut.wav');
  const bytes = await readFile(speechFile('LJ001-0001.wav'));
  await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const d = await declaration(file);
  assert.equal(d?.declaredDataBytes, 425786);
  assert.equal(d.presentDataBytes, Math.floor(bytes.length / 2) - 44);
  assert.equal(Math.round(d.declaredDurationMs), 9655);
});

test('a WAV written to a pipe (size 0xFFFFFFFF) makes no promise', async (t) => {
  const file = path.join(await tempDir(t), 'piped.wav');
  await run('sh', [
    '-c',
    `"${ffmpegBin}" -nostdin -loglevel error -i "${speechFile('jfk.wav')}" -f wav - > "${file}"`,
  ]);
  assert.equal((await readFile(file)).readUInt32LE(4), 0xffffffff);
  assert.equal(await declaration(file), undefined);
});

test('a header with no samples declares zero', async (t) => {
  const file = path.join(await tempDir(t), 'empty.wav');
  await run(ffmpegBin, [
    '-nostdin',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'anullsrc=r=16000:cl=mono',
    '-t',
    '0',
    file,
  ]);
  assert.deepEqual(await declaration(file), {
    declaredDataBytes: 0,
    presentDataBytes: 0,
    declaredDurationMs: 0,
    format: { tag: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 },
  });
});

test('compressed WAV (IMA ADPCM): a block holds many frames, so no promise', async (t) => {
  const file = path.join(await tempDir(t), 'adpcm.wav');
  await run(ffmpegBin, [
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    speechFile('jfk.wav'),
    '-c:a',
    'adpcm_ima_wav',
    file,
  ]);
  assert.equal(await declaration(file), undefined);
});

test('not a WAV', async (t) => {
  const file = path.join(await tempDir(t), 'x.flac');
  await copyFile(speechFile('LJ001-0001.flac'), file);
  assert.equal(await declaration(file), undefined);
});
