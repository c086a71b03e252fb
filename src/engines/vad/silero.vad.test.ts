import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { isEarshotError } from '../../domain/errors.js';
import { speechFile, VAD_MODELS_DIR } from '../../../test/helpers/shared-data.js';
import {
  detectSpeechInFile,
  detectSpeechInSamples,
  padRegions,
  SILERO_WINDOW_SAMPLES,
} from './silero.vad.js';
import type { SpeechRegion, VadOptions } from './vad-engine.js';

const run = promisify(execFile);
const SR = 16_000;
const V6 = path.join(VAD_MODELS_DIR, 'silero_vad_v6.2.onnx');
const V5 = path.join(VAD_MODELS_DIR, 'silero_vad_v5.1.2.onnx');
/** The settings under which the reference regions below were measured. */
const MEASURED: VadOptions = { threshold: 0.5, minSilenceMs: 250, minSpeechMs: 250, padMs: 0 };
/** jfk.wav with silero v6.2, fed in 512-sample windows (seconds). */
const JFK_REGIONS = [
  [0.29, 2.28],
  [3.26, 4.42],
  [5.37, 7.69],
  [8.16, 10.57],
] as const;
const TOLERANCE_S = 0.1;

let dir: string;
let jfkPcm: string;

function seconds(regions: SpeechRegion[]): [number, number][] {
  return regions.map((r) => [r.start / SR, r.end / SR]);
}

function assertNear(
  actual: [number, number][],
  expected: readonly (readonly [number, number])[],
  offset = 0,
): void {
  assert.equal(actual.length, expected.length, `regions: ${JSON.stringify(actual)}`);
  expected.forEach(([start, end], i) => {
    const [s, e] = actual[i] ?? [NaN, NaN];
    assert.ok(
      Math.abs(s - (start + offset)) <= TOLERANCE_S,
      `region ${i} starts at ${s}, expected ${start + offset}`,
    );
    assert.ok(
      Math.abs(e - (end + offset)) <= TOLERANCE_S,
      `region ${i} ends at ${e}, expected ${end + offset}`,
    );
  });
}

async function decodeToPcm(input: string, output: string, extraArgs: string[] = []): Promise<void> {
  await run('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-i',
    input,
    ...extraArgs,
    '-ar',
    String(SR),
    '-ac',
    '1',
    '-f',
    'f32le',
    output,
  ]);
}

async function readPcm(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'earshot-silero-'));
  jfkPcm = path.join(dir, 'jfk.f32');
  await decodeToPcm(speechFile('jfk.wav'), jfkPcm);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('detectSpeechInFile', () => {
  test('finds the four phrases of jfk.wav within 100 ms of the measured boundaries', async () => {
    const progress: number[] = [];
    const regions = await detectSpeechInFile(jfkPcm, V6, MEASURED, { onProgress: (f) => progress.push(f) });
    assertNear(seconds(regions), JFK_REGIONS);
    assert.ok(progress.length >= 2, 'progress is reported per block');
    assert.deepEqual(
      [...progress].sort((a, b) => a - b),
      progress,
      'progress never goes back',
    );
    assert.equal(progress.at(-1), 1);
  });

  test('gives the same regions for the file and for the same samples in memory', async () => {
    const fromFile = await detectSpeechInFile(jfkPcm, V6, MEASURED);
    const fromSamples = await detectSpeechInSamples(await readPcm(jfkPcm), V6, MEASURED);
    assert.deepEqual(fromSamples, fromFile);
  });

  test('does not depend on how the file splits into blocks', async () => {
    const normal = await detectSpeechInFile(jfkPcm, V6, MEASURED);
    // 3 windows per block: many blocks, and the in-memory variant splits at odd offsets too.
    const small = await detectSpeechInFile(jfkPcm, V6, MEASURED, {}, { windowsPerBlock: 3 });
    assert.deepEqual(small, normal);
  });

  test('pads regions, clamps them to the audio and merges those that touch', async () => {
    const padded = await detectSpeechInFile(jfkPcm, V6, { ...MEASURED, padMs: 300 });
    // The gaps between jfk's phrases are about 1 s, 0.95 s and 0.47 s: with 300 ms on each side the
    // last two phrases merge, and the first is clamped at 0.
    assertNear(seconds(padded), [
      [0, 2.58],
      [2.96, 4.72],
      [5.07, 10.87],
    ]);
    assert.equal(padded[0]?.start, 0);
    const huge = await detectSpeechInFile(jfkPcm, V6, { ...MEASURED, padMs: 5000 });
    assert.deepEqual(huge, [{ start: 0, end: 11 * SR }]);
  });

  test('finds no speech in digital silence', async () => {
    const silent = path.join(dir, 'silence.f32');
    await writeFile(silent, Buffer.alloc(10 * SR * 4));
    assert.deepEqual(await detectSpeechInFile(silent, V6, MEASURED), []);
    assert.deepEqual(await detectSpeechInSamples(new Float32Array(3 * SR), V6, MEASURED), []);
  });

  test('handles an empty file and a length that is not a whole number of windows', async () => {
    const empty = path.join(dir, 'empty.f32');
    await writeFile(empty, Buffer.alloc(0));
    assert.deepEqual(await detectSpeechInFile(empty, V6, MEASURED), []);

    // jfk cut to 6.0 s plus 100 samples: the open phrase is flushed and ends exactly at the audio's end.
    const samples = (await readPcm(jfkPcm)).slice(0, 6 * SR + 100);
    const regions = await detectSpeechInSamples(samples, V6, MEASURED);
    assert.ok(samples.length % SILERO_WINDOW_SAMPLES !== 0);
    assertNear(seconds(regions), [
      [0.29, 2.28],
      [3.26, 4.42],
      [5.37, 6.0063],
    ]);
    assert.equal(regions.at(-1)?.end, samples.length);
  });

  test('processes three minutes of audio in blocks and finds every phrase', async (t) => {
    const long = path.join(dir, 'three-minutes.f32');
    const PERIOD_SAMPLES = 469 * SILERO_WINDOW_SAMPLES;
    // jfk (11 s) + 4.008 s of silence, played 12 times: 180.1 s. The period is a whole number of
    // 512-sample windows (469), so every repetition is windowed alike and gives the same regions.
    await run('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-i',
      speechFile('jfk.wav'),
      '-f',
      'lavfi',
      '-t',
      '4.008',
      '-i',
      `anullsrc=r=${SR}:cl=mono`,
      '-filter_complex',
      `[0:a]aresample=${SR},aformat=sample_fmts=flt:channel_layouts=mono[s];[1:a]aformat=sample_fmts=flt:channel_layouts=mono[z];[s][z]concat=n=2:v=0:a=1,aloop=loop=11:size=${PERIOD_SAMPLES}`,
      '-f',
      'f32le',
      long,
    ]);
    const progress: number[] = [];
    const started = performance.now();
    const regions = await detectSpeechInFile(long, V6, MEASURED, { onProgress: (f) => progress.push(f) });
    const elapsedMs = performance.now() - started;
    t.diagnostic(
      `silero v6.2 on 180 s of audio: ${elapsedMs.toFixed(0)} ms (${(elapsedMs / 3).toFixed(0)} ms per minute)`,
    );

    assert.equal(regions.length, 48, JSON.stringify(seconds(regions)));
    for (let k = 0; k < 12; k++) {
      assertNear(seconds(regions.slice(4 * k, 4 * k + 4)), JFK_REGIONS, (k * PERIOD_SAMPLES) / SR);
    }
    // 180 s in blocks of 128 × 512 samples: 44 blocks, each reported.
    assert.ok(progress.length >= 40, `progress calls: ${progress.length}`);
    assert.equal(progress.at(-1), 1);
  });

  test('rejects with `cancelled` when the signal aborts during processing', async () => {
    const controller = new AbortController();
    let blocks = 0;
    await assert.rejects(
      detectSpeechInFile(jfkPcm, V6, MEASURED, {
        signal: controller.signal,
        onProgress: () => {
          blocks++;
          controller.abort();
        },
      }),
      (error) => isEarshotError(error) && error.code === 'cancelled',
    );
    assert.equal(blocks, 1, 'stops at the block after the abort');

    await assert.rejects(
      detectSpeechInSamples(await readPcm(jfkPcm), V6, MEASURED, { signal: AbortSignal.abort() }),
      (error) => isEarshotError(error) && error.code === 'cancelled',
    );
  });

  test('also runs Silero v5.1.2', async () => {
    // Measured: v5 misses the short second phrase at threshold 0.5; the other three match v6.
    const regions = await detectSpeechInFile(jfkPcm, V5, MEASURED);
    assertNear(seconds(regions), [JFK_REGIONS[0], [5.37, 7.65], JFK_REGIONS[3]]);
  });

  test('keeps regions away from epoch boundaries unchanged when sample counters are reset', async () => {
    const samples = await readPcm(jfkPcm);
    const normal = await detectSpeechInSamples(samples, V6, MEASURED);
    // Epochs of about 3 s: boundaries at 2.98, 5.95 and 8.93 s.
    const epochs = await detectSpeechInSamples(samples, V6, MEASURED, {}, { epochSamples: 3 * SR });
    assert.deepEqual(epochs.slice(0, 2), normal.slice(0, 2));
    assert.ok(epochs.length > normal.length, 'regions across a boundary are split there');
    for (let i = 1; i < epochs.length; i++) assert.ok((epochs[i]?.start ?? 0) >= (epochs[i - 1]?.end ?? 0));
  });
});

describe('failures', () => {
  test('a missing model file is `modelMissing` (sherpa itself would silently find no speech)', async () => {
    await assert.rejects(
      detectSpeechInFile(jfkPcm, path.join(dir, 'nope.onnx'), MEASURED),
      (error) =>
        isEarshotError(error) && error.code === 'modelMissing' && error.message.includes('nope.onnx'),
    );
  });

  test('a missing audio file is `invalidAudio`', async () => {
    await assert.rejects(
      detectSpeechInFile(path.join(dir, 'nope.f32'), V6, MEASURED),
      (error) => isEarshotError(error) && error.code === 'invalidAudio',
    );
  });

  test('invalid options are `badRequest`', async () => {
    await assert.rejects(
      detectSpeechInSamples(new Float32Array(SR), V6, { ...MEASURED, threshold: 1.5 }),
      (error) => isEarshotError(error) && error.code === 'badRequest' && error.message.includes('threshold'),
    );
  });

  test('a truncated model is `modelCorrupt` and does not abort the process', async () => {
    // Sherpa's Vad constructor aborts the process on such a file, so run it in a child process.
    const truncated = path.join(dir, 'truncated.onnx');
    await writeFile(truncated, (await readFile(V6)).subarray(0, 100_000));
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const moduleUrl = new URL(`./silero.vad${ext}`, import.meta.url).href;
    const script = `
      const { detectSpeechInSamples } = await import(${JSON.stringify(moduleUrl)});
      try {
        await detectSpeechInSamples(new Float32Array(16000), ${JSON.stringify(truncated)}, ${JSON.stringify(MEASURED)});
        console.log('NO ERROR');
      } catch (error) {
        console.log('ERROR ' + error.code + ': ' + error.message);
      }`;
    const child = spawn(
      process.execPath,
      [...process.execArgv.filter((a) => !a.startsWith('--test')), '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `child exited with ${code}: ${stdout}`);
    assert.match(stdout, /ERROR modelCorrupt: Could not load VAD model .*truncated/);
  });
});

describe('padRegions', () => {
  test('pads, clamps and merges', () => {
    assert.deepEqual(
      padRegions(
        [
          { start: 50, end: 100 },
          { start: 300, end: 400 },
          { start: 420, end: 900 },
          { start: 960, end: 990 },
        ],
        20,
        1000,
      ),
      [
        { start: 30, end: 120 },
        { start: 280, end: 920 },
        { start: 940, end: 1000 },
      ],
    );
  });

  test('merges regions that only touch, sorts input and drops empty ones', () => {
    assert.deepEqual(
      padRegions(
        [
          { start: 30, end: 40 },
          { start: 10, end: 20 },
          { start: 2000, end: 2100 },
        ],
        5,
        1000,
      ),
      [{ start: 5, end: 45 }],
    );
    assert.deepEqual(padRegions([{ start: 0, end: 10 }], 0, 1000), [{ start: 0, end: 10 }]);
    assert.deepEqual(padRegions([], 100, 1000), []);
  });
});
