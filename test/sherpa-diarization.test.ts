/**
 * The sherpa diarization engine end to end on tiny generated models (see
 * test/fixtures/tiny-diarization-models.ts): "speakers" are tones in different bands, which the
 * segmentation model tells apart inside a window and the embedding model tells apart across
 * windows, so speaker counts and turn boundaries can be asserted.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { isEarshotError } from '../src/domain/errors.js';
import type { ResolvedModel } from '../src/engines/asr/asr-engine.js';
import type {
  DiarizationOptions,
  LoadedDiarizer,
  SpeakerTurn,
} from '../src/engines/diarization/diarization-engine.js';
import { sherpaDiarizationEngine } from '../src/engines/diarization/sherpa.diarization.js';
import { writePcmFile } from '../src/media/pcm-file.js';
import type { CatalogModel, ModelKind } from '../src/models/catalog.types.js';
import {
  generateTinyDiarizationModels,
  TINY_BAND_TONES_HZ,
  toneBurstSamples,
  writeEmbeddingModelFailingAtRun,
  writeEmbeddingModelWithoutFramework,
  writeGarbledSegmentationModel,
  writeSegmentationModelWithout,
  writeTruncatedDiarizationModel,
  type GeneratedFile,
  type ToneBurst,
} from './fixtures/tiny-diarization-models.js';

const SR = 16_000;
const { low, mid, high } = TINY_BAND_TONES_HZ;
/** Turn boundaries may be off by a segmentation frame or two (20 ms each). */
const TOLERANCE_S = 0.06;

let dir: string;
let diarizer: LoadedDiarizer;
let models: ResolvedModel[];
let fileCounter = 0;

function catalogModel(id: string, kind: ModelKind, file: GeneratedFile): CatalogModel {
  return {
    id,
    kind,
    runtime: 'sherpa',
    description: `tiny generated ${kind} model`,
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 0,
    license: 'MIT',
    homepage: '',
    files: [
      {
        name: file.name,
        role: 'model',
        url: 'https://example.com/m.onnx',
        sizeBytes: file.size,
        sha256: file.sha256,
      },
    ],
  };
}

function resolved(model: CatalogModel, modelDir: string): ResolvedModel {
  return {
    model,
    files: Object.fromEntries(model.files.map((f) => [f.name, path.join(modelDir, f.name)])),
    sha256: Object.fromEntries(model.files.map((f) => [f.name, f.sha256])),
  };
}

/** Writes the tone bursts as a PCM file and returns the diarization input (speech = the bursts). */
async function audio(
  durationS: number,
  bursts: readonly ToneBurst[],
): Promise<{ pcmPath: string; speech: { start: number; end: number }[] }> {
  const pcmPath = path.join(dir, `audio-${++fileCounter}.pcm`);
  await writePcmFile(pcmPath, toneBurstSamples(durationS, bursts));
  const speech = bursts.map((b) => ({ start: Math.round(b.startS * SR), end: Math.round(b.endS * SR) }));
  return { pcmPath, speech };
}

async function diarize(
  durationS: number,
  bursts: readonly ToneBurst[],
  options: DiarizationOptions = {},
): Promise<SpeakerTurn[]> {
  return diarizer.diarize({ ...(await audio(durationS, bursts)), options }, {});
}

const speakersOf = (turns: readonly SpeakerTurn[]): number => new Set(turns.map((t) => t.speaker)).size;

/** Asserts the turns: `[speaker, startS, endS]` each, boundaries within TOLERANCE_S. */
function assertTurns(actual: readonly SpeakerTurn[], expected: [number, number, number][]): void {
  const shown = actual.map((t) => `${t.speaker}: ${(t.start / SR).toFixed(2)}-${(t.end / SR).toFixed(2)}`);
  assert.equal(actual.length, expected.length, shown.join(', '));
  expected.forEach(([speaker, start, end], i) => {
    const turn = actual[i];
    assert.ok(turn, shown.join(', '));
    assert.equal(turn.speaker, speaker, `turn ${i}: ${shown.join(', ')}`);
    assert.ok(Math.abs(turn.start / SR - start) <= TOLERANCE_S, `turn ${i} start: ${shown.join(', ')}`);
    assert.ok(Math.abs(turn.end / SR - end) <= TOLERANCE_S, `turn ${i} end: ${shown.join(', ')}`);
    assert.ok(Number.isInteger(turn.start) && Number.isInteger(turn.end), 'turns are in whole samples');
  });
}

/** Two voices taking turns (12 s: more than two 5 s windows of the tiny segmentation model). */
const TWO_VOICES: ToneBurst[] = [
  { startS: 0.5, endS: 3.5, hz: low },
  { startS: 4, endS: 7, hz: high },
  { startS: 7.5, endS: 9.5, hz: low },
  { startS: 10, endS: 11.5, hz: high },
];
const THREE_VOICES: ToneBurst[] = [
  { startS: 0.5, endS: 3.5, hz: low },
  { startS: 4, endS: 7, hz: mid },
  { startS: 7.5, endS: 9.5, hz: high },
  { startS: 10, endS: 11.5, hz: low },
];

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'earshot-sherpa-diarization-'));
  const generated = await generateTinyDiarizationModels(path.join(dir, 'models'));
  const [segmentation, embedding] = generated.files;
  assert.ok(segmentation && embedding);
  models = [
    resolved(catalogModel('tiny-segmentation', 'segmentation', segmentation), generated.dir),
    resolved(catalogModel('tiny-embedding', 'speaker-embedding', embedding), generated.dir),
  ];
  diarizer = await sherpaDiarizationEngine.load(models, { threads: 1 });
});

after(async () => {
  diarizer?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('sherpa diarization on tiny models', () => {
  test('the generated models are a few KB', async () => {
    const generated = await generateTinyDiarizationModels(path.join(dir, 'size-check'));
    for (const file of generated.files) assert.ok(file.size < 4096, `${file.name}: ${file.size} bytes`);
  });

  test('two voices taking turns: two speakers, numbered by first appearance, at the right times', async () => {
    assertTurns(await diarize(12, TWO_VOICES), [
      [0, 0.5, 3.5],
      [1, 4, 7],
      [0, 7.5, 9.5],
      [1, 10, 11.5],
    ]);
  });

  test('the voice that speaks first is speaker 0, whichever it is', async () => {
    const swapped = TWO_VOICES.map((b) => ({ ...b, hz: b.hz === low ? high : low }));
    const turns = await diarize(12, swapped);
    assert.deepEqual(
      turns.map((t) => t.speaker),
      [0, 1, 0, 1],
    );
  });

  test('three voices: three speakers', async () => {
    assertTurns(await diarize(12, THREE_VOICES), [
      [0, 0.5, 3.5],
      [1, 4, 7],
      [2, 7.5, 9.5],
      [0, 10, 11.5],
    ]);
  });

  test('numSpeakers is honoured: fewer than the voices merges them, the right number separates them', async () => {
    // One speaker: the turns join where the gaps are shorter than sherpa's min_duration_off (0.5 s).
    assertTurns(await diarize(12, TWO_VOICES, { numSpeakers: 1 }), [[0, 0.5, 11.5]]);
    const two = await diarize(12, THREE_VOICES, { numSpeakers: 2 });
    assert.equal(speakersOf(two), 2);
    // The high voice stays apart from the two others (the low and mid voices are the closest pair).
    assertTurns(two, [
      [0, 0.5, 7],
      [1, 7.5, 9.5],
      [0, 10, 11.5],
    ]);
    assert.equal(speakersOf(await diarize(12, THREE_VOICES, { numSpeakers: 3 })), 3);
  });

  test('maxSpeakers clamps an estimate above it; bounds that hold change nothing', async () => {
    const clamped = await diarize(12, THREE_VOICES, { maxSpeakers: 2 });
    assert.equal(speakersOf(clamped), 2);
    assertTurns(await diarize(12, THREE_VOICES, { minSpeakers: 2, maxSpeakers: 4 }), [
      [0, 0.5, 3.5],
      [1, 4, 7],
      [2, 7.5, 9.5],
      [0, 10, 11.5],
    ]);
    assert.equal(speakersOf(await diarize(12, TWO_VOICES, { maxSpeakers: 1 })), 1);
  });

  test('audio shorter than one window is clustered too, so numSpeakers still applies', async () => {
    // Without padding to two windows sherpa would return the segmentation model's local labels
    // and ignore numClusters.
    const short: ToneBurst[] = [
      { startS: 0.2, endS: 1.2, hz: low },
      { startS: 1.5, endS: 2.5, hz: high },
    ];
    assertTurns(await diarize(3, short), [
      [0, 0.2, 1.2],
      [1, 1.5, 2.5],
    ]);
    assertTurns(await diarize(3, short, { numSpeakers: 1 }), [[0, 0.2, 2.5]]);
    // More speakers than sherpa has embeddings for: not collapsed into one.
    assert.equal(speakersOf(await diarize(3, short, { numSpeakers: 5 })), 2);
  });

  test('speech far apart keeps its own times, and a turn never spans a long silence', async () => {
    assertTurns(
      await diarize(40, [
        { startS: 1, endS: 3, hz: low },
        { startS: 20, endS: 22, hz: high },
        { startS: 35, endS: 37, hz: low },
      ]),
      [
        [0, 1, 3],
        [1, 20, 22],
        [0, 35, 37],
      ],
    );
  });

  test('only the speech regions are diarized: a tone outside them is not a speaker', async () => {
    const input = await audio(12, TWO_VOICES);
    const turns = await diarizer.diarize(
      { ...input, speech: input.speech.filter((_, i) => i !== 1 && i !== 3), options: {} },
      {},
    );
    assert.equal(speakersOf(turns), 1);
    assert.ok(
      turns.every((t) => t.end <= 9.6 * SR && !(t.start < 7 * SR && t.end > 4 * SR)),
      JSON.stringify(turns),
    );
  });

  test('no speech, or silence, gives no turns', async () => {
    const input = await audio(5, []);
    assert.deepEqual(await diarizer.diarize({ ...input, options: {} }, {}), []);
    assert.deepEqual(
      await diarizer.diarize({ ...input, speech: [{ start: SR, end: 3 * SR }], options: {} }, {}),
      [],
    );
  });

  test('progress rises to 1', async () => {
    const fractions: number[] = [];
    const input = await audio(12, TWO_VOICES);
    await diarizer.diarize(
      { ...input, options: { maxSpeakers: 3 } },
      { onProgress: (f) => fractions.push(f) },
    );
    assert.ok(fractions.length > 2, `progress: ${fractions.join(', ')}`);
    assert.equal(fractions.at(-1), 1);
    assert.ok(
      fractions.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > (fractions[i - 1] ?? 0))),
      `progress: ${fractions.join(', ')}`,
    );
  });

  test('concurrent calls each get their own result', async () => {
    const [a, b] = await Promise.all([diarize(12, TWO_VOICES), diarize(12, THREE_VOICES)]);
    assert.equal(speakersOf(a), 2);
    assert.equal(speakersOf(b), 3);
  });

  test('cancellation and bad options are refused with their codes', async () => {
    const input = await audio(12, TWO_VOICES);
    await assert.rejects(
      diarizer.diarize({ ...input, options: {} }, { signal: AbortSignal.abort() }),
      (error) => isEarshotError(error) && error.code === 'cancelled',
    );
    await assert.rejects(
      diarizer.diarize({ ...input, options: { minSpeakers: 3, maxSpeakers: 2 } }, {}),
      (error) =>
        isEarshotError(error) && error.code === 'badRequest' && /minSpeakers \(3\)/.test(error.message),
    );
    await assert.rejects(
      diarizer.diarize({ ...input, options: { numSpeakers: 0 } }, {}),
      (error) => isEarshotError(error) && error.code === 'badRequest',
    );
  });
});

/** Runs `script` (ESM, with `engineUrl` and `cases` defined) in a child node; returns its exit and output. */
async function runChild(
  script: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const engineUrl = new URL(`../src/engines/diarization/sherpa.diarization${ext}`, import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv.filter((a) => !a.startsWith('--test')),
      '--input-type=module',
      '-e',
      `const engineUrl = ${JSON.stringify(engineUrl)};\n${script}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('broken models, in child processes', () => {
  test('truncated models and metadata sherpa would die on are `modelCorrupt`, and the process survives', async () => {
    const [segmentation, embedding] = models;
    assert.ok(segmentation && embedding);
    const broken = path.join(dir, 'broken');
    const seg = (file: string): ResolvedModel => ({
      ...segmentation,
      files: { 'segmentation.onnx': file },
      sha256: {},
    });
    const emb = (file: string): ResolvedModel => ({
      ...embedding,
      files: { 'embedding.onnx': file },
      sha256: {},
    });
    await writeTruncatedDiarizationModel(path.join(broken, 'seg-truncated.onnx'), 'segmentation');
    await writeTruncatedDiarizationModel(path.join(broken, 'emb-truncated.onnx'), 'embedding');
    await writeEmbeddingModelWithoutFramework(path.join(broken, 'emb-no-framework.onnx'));
    await writeSegmentationModelWithout(path.join(broken, 'seg-no-classes.onnx'), 'num_classes');
    const cases: ResolvedModel[][] = [
      [seg(path.join(broken, 'seg-truncated.onnx')), embedding],
      [segmentation, emb(path.join(broken, 'emb-truncated.onnx'))],
      [segmentation, emb(path.join(broken, 'emb-no-framework.onnx'))],
      [seg(path.join(broken, 'seg-no-classes.onnx')), embedding],
    ];
    const { code, signal, stdout, stderr } = await runChild(`
      const { sherpaDiarizationEngine } = await import(engineUrl);
      for (const models of ${JSON.stringify(cases)}) {
        try {
          await sherpaDiarizationEngine.load(models, { threads: 1 });
          console.log('LOADED');
        } catch (error) {
          console.log('ERROR ' + error.code + ': ' + error.message);
        }
      }`);
    assert.equal(code, 0, `child exited with ${code ?? signal}\n${stdout}\n${stderr}`);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 4, stdout);
    assert.match(
      lines[0] ?? '',
      /^ERROR modelCorrupt: Could not load model tiny-segmentation: seg-truncated\.onnx: .*truncated/,
    );
    assert.match(
      lines[1] ?? '',
      /^ERROR modelCorrupt: Could not load model tiny-embedding: emb-truncated\.onnx: .*truncated/,
    );
    assert.match(
      lines[2] ?? '',
      /^ERROR modelCorrupt: Could not load model tiny-embedding: emb-no-framework\.onnx is not a speaker-embedding model sherpa-onnx can run: its metadata has no "framework"/,
    );
    assert.match(
      lines[3] ?? '',
      /^ERROR modelCorrupt: Could not load model tiny-segmentation: seg-no-classes\.onnx is not a pyannote segmentation model sherpa-onnx can run: its metadata has no "num_classes"/,
    );
  });

  test('a model that fails inside onnxruntime mid-run is `engineCrashed` (watchdog), not a hang', async () => {
    const [segmentation, embedding] = models;
    assert.ok(segmentation && embedding);
    const file = path.join(dir, 'broken', 'emb-fails-at-run.onnx');
    await writeEmbeddingModelFailingAtRun(file);
    const failing = { ...embedding, files: { 'embedding.onnx': file }, sha256: {} };
    const input = await audio(12, TWO_VOICES);
    const { code, signal, stdout, stderr } = await runChild(`
      const { loadSherpaDiarizer } = await import(engineUrl);
      const diarizer = await loadSherpaDiarizer(${JSON.stringify([segmentation, failing])}, { threads: 1 }, {
        watchdogMs: () => 3000,
      });
      const input = ${JSON.stringify({ ...input, options: {} })};
      for (let i = 0; i < 2; i++) {
        try {
          await diarizer.diarize(input, {});
          console.log('DIARIZED');
        } catch (error) {
          console.log('ERROR ' + error.code + ': ' + error.message);
        }
      }
      // sherpa-onnx-node leaves its progress callback registered after such a failure, which keeps
      // the event loop alive: exit explicitly.
      process.exit(0);`);
    assert.equal(code, 0, `child exited with ${code ?? signal}\n${stdout}\n${stderr}`);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 2, stdout);
    for (const line of lines) {
      assert.match(
        line,
        /^ERROR engineCrashed: Speaker diarization with tiny-segmentation \+ tiny-embedding did not finish within 3 s/,
      );
    }
  });

  test('a garbled model that passes the checks still aborts the process: why this runs in the engine host', async () => {
    const [segmentation, embedding] = models;
    assert.ok(segmentation && embedding);
    const file = path.join(dir, 'broken', 'seg-garbled.onnx');
    await writeGarbledSegmentationModel(file);
    const garbled = { ...segmentation, files: { 'segmentation.onnx': file }, sha256: {} };
    const { code, signal, stdout, stderr } = await runChild(`
      const { sherpaDiarizationEngine } = await import(engineUrl);
      await sherpaDiarizationEngine.load(${JSON.stringify([garbled, embedding])}, { threads: 1 });
      console.log('LOADED');`);
    // sherpa has no async constructor for diarization: onnxruntime's parse error is uncaught C++.
    assert.ok(
      signal === 'SIGABRT' || code === 134,
      `child exited with ${code ?? signal}\n${stdout}\n${stderr}`,
    );
    assert.match(stderr, /Protobuf parsing failed/);
    assert.doesNotMatch(stdout, /LOADED/);
  });
});
