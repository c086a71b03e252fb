import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { speechFile } from '../../../test/helpers/shared-data.js';
import { loadConfig } from '../../config/config.js';
import { EarshotError } from '../../domain/errors.js';
import { MediaTool } from '../../media/media-tool.js';
import { LocalBlobStore } from '../../store/local.blob-store.js';
import {
  type AudioSpan,
  BEEP_AMPLITUDE,
  BEEP_HZ,
  buildFilterGraph,
  mergeSpans,
  REDACTION_PAD_MS,
  renderRedactedAudio,
  type RedactedAudioOptions,
} from './redacted-audio.js';

const tools = loadConfig().tools;
const media = new MediaTool({ ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe });
const RATE = 16_000;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-redacted-audio-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Decodes any audio file to 16 kHz mono samples with the real media tool. */
async function decodeSamples(file: string, dir: string, name: string): Promise<Float32Array> {
  const out = path.join(dir, `${name}.f32`);
  await media.decodeToPcm(file, out);
  const bytes = await readFile(out);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Samples of `[fromMs, toMs)` at 16 kHz. */
function slice(samples: Float32Array, fromMs: number, toMs: number): Float32Array {
  return samples.subarray(Math.round((fromMs * RATE) / 1000), Math.round((toMs * RATE) / 1000));
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/** Share of the signal's energy at `hz` (Goertzel), 0..1. */
function toneShare(samples: Float32Array, hz: number): number {
  const w = (2 * Math.PI * hz) / RATE;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  // A pure sine of amplitude A over N samples has Goertzel power (A N / 2)^2 and energy A^2 N / 2.
  const energy = samples.reduce((sum, x) => sum + x * x, 0);
  return energy === 0 ? 0 : power / ((samples.length / 2) * energy);
}

/** Largest sample difference between two equal stretches. */
function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Stretches outside the hidden spans, kept 20 ms clear of their edges (frame rounding, resampling). */
function outsideStretches(hidden: readonly AudioSpan[], totalMs: number): AudioSpan[] {
  const out: AudioSpan[] = [];
  let from = 0;
  for (const span of hidden) {
    if (span.startMs - 20 > from + 20) out.push({ startMs: from + 20, endMs: span.startMs - 20 });
    from = span.endMs;
  }
  if (totalMs - 20 > from + 20) out.push({ startMs: from + 20, endMs: totalMs - 20 });
  return out;
}

async function render(
  t: TestContext,
  input: string,
  entities: AudioSpan[],
  options: RedactedAudioOptions,
): Promise<{ dir: string; blobs: LocalBlobStore; file: string; hidden: AudioSpan[]; sizeBytes: number }> {
  const dir = await tempDir(t);
  const blobs = new LocalBlobStore(path.join(dir, 'blobs'));
  const blobKey = `tenants/t1/jobs/j1/redacted.${options.format}`;
  const result = await renderRedactedAudio(input, entities, options, {
    media,
    ffmpeg: tools.ffmpeg,
    blobs,
    blobKey,
    workDir: dir,
    signal: new AbortController().signal,
  });
  assert.equal(result.blobKey, blobKey);
  const file = path.join(dir, `stored.${options.format}`);
  await blobs.download(blobKey, file);
  return { dir, blobs, file, hidden: result.spans, sizeBytes: result.sizeBytes };
}

const JFK = speechFile('jfk.wav');
// Speech in jfk.wav: "fellow Americans" ≈ 1.6–2.9 s, "your country" ≈ 4.3–5.0 s.
const ENTITIES: AudioSpan[] = [
  { startMs: 1600, endMs: 2200 },
  { startMs: 2230, endMs: 2900 },
  { startMs: 4300, endMs: 5000 },
];

describe('mergeSpans', () => {
  test('pads each span, clamps at zero and merges overlaps', () => {
    assert.deepEqual(
      mergeSpans([
        { startMs: 3000, endMs: 3100 },
        { startMs: 20, endMs: 500 },
        { startMs: 3120, endMs: 3300 },
        { startMs: 900, endMs: 1000 },
      ]),
      [
        { startMs: 0, endMs: 550 },
        { startMs: 850, endMs: 1050 },
        { startMs: 2950, endMs: 3350 },
      ],
    );
    assert.equal(REDACTION_PAD_MS, 50);
    assert.deepEqual(mergeSpans([]), []);
  });
});

describe('buildFilterGraph', () => {
  test('mutes whole 5 ms frames and gates the beep to the same frames', () => {
    const graph = buildFilterGraph(
      [{ startMs: 1000, endMs: 1502 }],
      { format: 'wav', silence: false },
      16_000,
      1,
    );
    // 80-sample frames; 1000 ms is frame 200, 1502 ms ends inside frame 300.
    assert.match(graph, /asetnsamples=n=80:p=0,volume=0:enable='between\(n,200,300\)'\[speech\]/);
    assert.match(graph, /volume=0:enable='between\(n,0,199\)\+gte\(n,301\)'\[beep\]/);
  });

  test('splits many spans over several volume filters', () => {
    const spans = Array.from({ length: 250 }, (_, i) => ({ startMs: i * 100, endMs: i * 100 + 20 }));
    const graph = buildFilterGraph(spans, { format: 'mp3', silence: true }, 44_100, 2);
    assert.equal(graph.match(/volume=0:enable=/g)?.length, 3);
    assert.match(graph, /channel_layouts=stereo/);
    assert.doesNotMatch(graph, /sine=/);
  });
});

describe('renderRedactedAudio (real ffmpeg)', () => {
  test('beeps each span at 1 kHz and leaves the rest of a WAV unchanged', async (t) => {
    const { dir, file, hidden, sizeBytes } = await render(t, JFK, ENTITIES, {
      format: 'wav',
      silence: false,
    });
    assert.deepEqual(hidden, [
      { startMs: 1550, endMs: 2950 },
      { startMs: 4250, endMs: 5050 },
    ]);
    const info = await media.probe(file);
    assert.equal(info.formatName, 'wav');
    assert.equal(info.durationMs, 11_000);
    assert.equal(info.sizeBytes, sizeBytes);

    const original = await decodeSamples(JFK, dir, 'original');
    const redacted = await decodeSamples(file, dir, 'redacted');
    assert.equal(redacted.length, original.length);
    for (const span of hidden) {
      const inside = slice(redacted, span.startMs + 10, span.endMs - 10);
      assert.ok(toneShare(inside, BEEP_HZ) > 0.98, `1 kHz tone inside ${span.startMs}-${span.endMs}`);
      const expected = BEEP_AMPLITUDE / Math.SQRT2;
      assert.ok(Math.abs(rms(inside) - expected) < 0.01, `beep level ${rms(inside)} ≈ ${expected}`);
      // The speech that was there is gone: it was loud (not a quiet stretch that proves nothing).
      assert.ok(toneShare(slice(original, span.startMs + 10, span.endMs - 10), BEEP_HZ) < 0.1);
    }
    for (const stretch of outsideStretches(hidden, 11_000)) {
      const diff = maxDifference(
        slice(redacted, stretch.startMs, stretch.endMs),
        slice(original, stretch.startMs, stretch.endMs),
      );
      // Only 16-bit requantisation separates the two.
      assert.ok(diff < 2e-4, `unchanged at ${stretch.startMs}-${stretch.endMs} (max diff ${diff})`);
    }
  });

  test('silences the spans when asked', async (t) => {
    const { dir, file, hidden } = await render(t, JFK, ENTITIES, { format: 'wav', silence: true });
    const redacted = await decodeSamples(file, dir, 'redacted');
    const original = await decodeSamples(JFK, dir, 'original');
    for (const span of hidden) {
      assert.equal(rms(slice(redacted, span.startMs + 10, span.endMs - 10)), 0);
      assert.ok(rms(slice(original, span.startMs + 10, span.endMs - 10)) > 0.02, 'there was speech');
    }
    const [first] = outsideStretches(hidden, 11_000);
    assert.ok(rms(slice(redacted, first!.startMs, first!.endMs)) > 0.02, 'speech outside is kept');
  });

  test('writes an MP3 of a 44.1 kHz stereo FLAC, keeping both channels and the timeline', async (t) => {
    const input = speechFile('jfk.flac');
    const { dir, file, hidden } = await render(t, input, ENTITIES, { format: 'mp3', silence: false });
    const info = await media.probe(file);
    assert.equal(info.formatName, 'mp3');
    assert.equal(info.audioStreams[0]!.channels, 2);
    assert.equal(info.audioStreams[0]!.sampleRate, 44_100);
    assert.ok(Math.abs(info.durationMs! - 11_000) < 100, `duration ${info.durationMs}`);

    const original = await decodeSamples(input, dir, 'original');
    const redacted = await decodeSamples(file, dir, 'redacted');
    assert.ok(Math.abs(redacted.length - original.length) < RATE / 50, 'same length within 20 ms');
    for (const span of hidden) {
      assert.ok(toneShare(slice(redacted, span.startMs + 10, span.endMs - 10), BEEP_HZ) > 0.95);
    }
    for (const stretch of outsideStretches(hidden, 11_000)) {
      const a = slice(redacted, stretch.startMs, stretch.endMs);
      const b = slice(original, stretch.startMs, stretch.endMs);
      const error = rms(a.map((x, i) => x - b[i]!));
      // Lossy but aligned: a shift of even one sample would leave far more than this.
      assert.ok(
        error < rms(b) / 5,
        `MP3 close to the original at ${stretch.startMs} (${error} vs ${rms(b)})`,
      );
    }
  });

  test('with no entities the audio is only re-encoded', async (t) => {
    const { dir, file } = await render(t, JFK, [], { format: 'wav', silence: false });
    const diff = maxDifference(
      await decodeSamples(file, dir, 'redacted'),
      await decodeSamples(JFK, dir, 'original'),
    );
    assert.ok(diff < 2e-4);
  });

  test('aborting stops ffmpeg and rejects with cancelled', async (t) => {
    const dir = await tempDir(t);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      renderRedactedAudio(
        JFK,
        ENTITIES,
        { format: 'mp3', silence: false },
        {
          media,
          ffmpeg: tools.ffmpeg,
          blobs: new LocalBlobStore(path.join(dir, 'blobs')),
          blobKey: 'k',
          workDir: dir,
          signal: controller.signal,
        },
      ),
      (error: unknown) => error instanceof EarshotError && error.code === 'cancelled',
    );
  });
});
