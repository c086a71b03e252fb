/**
 * The sherpa engine end to end on tiny generated models (see test/fixtures/tiny-models.ts): they
 * are not speech recognizers, but they turn tones into known tokens, so the words, their times and
 * the engine's plumbing (chunking, hints, cancellation, failures) can be asserted exactly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { isEarshotError } from '../src/domain/errors.js';
import type {
  AsrOptions,
  EngineRuntimeOptions,
  EngineWord,
  LoadedAsrModel,
  ResolvedModel,
} from '../src/engines/asr/asr-engine.js';
import { sherpaEngine } from '../src/engines/asr/sherpa.engine.js';
import type { CatalogModel } from '../src/models/catalog.types.js';
import {
  generateTinyNemoCtcModel,
  generateTinyTransducerModel,
  TINY_BAND_TONES_HZ,
  TINY_OUTPUT_FRAME_S,
  toneBurstSamples,
  writeGarbledModel,
  writeTruncatedModel,
  type GeneratedFile,
  type ToneBurst,
} from './fixtures/tiny-models.js';

const { low, mid, high } = TINY_BAND_TONES_HZ;
const OPTIONS: AsrOptions = { detectLanguage: false, translate: false, hints: [] };
/** "hello" = a low tone then a mid tone; "yes" = a high tone. */
const HELLO_YES: ToneBurst[] = [
  { startS: 0.5, endS: 0.8, hz: low },
  { startS: 0.8, endS: 1.0, hz: mid },
  { startS: 1.6, endS: 2.0, hz: high },
];

let dir: string;
let runtime: EngineRuntimeOptions;
let ctc: LoadedAsrModel;
let transducer: LoadedAsrModel;

function catalogModel(
  id: string,
  architecture: 'nemo-ctc' | 'transducer',
  files: GeneratedFile[],
  roles: Record<string, string>,
): CatalogModel {
  return {
    id,
    kind: 'asr',
    runtime: 'sherpa',
    architecture,
    description: `tiny generated ${architecture} model`,
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: architecture === 'transducer',
    accuracyRank: 0,
    license: 'MIT',
    homepage: '',
    files: files.map((f) => ({
      name: f.name,
      role: roles[f.name] as CatalogModel['files'][number]['role'],
      url: '',
      sizeBytes: f.size,
      sha256: f.sha256,
    })),
  };
}

function resolved(model: CatalogModel, modelDir: string): ResolvedModel {
  return {
    model,
    files: Object.fromEntries(model.files.map((f) => [f.name, path.join(modelDir, f.name)])),
    sha256: Object.fromEntries(model.files.map((f) => [f.name, f.sha256])),
  };
}

function assertWordsNear(
  actual: EngineWord[],
  expected: [string, number, number][],
  tolerance = TINY_OUTPUT_FRAME_S,
): void {
  assert.deepEqual(
    actual.map((w) => w.text),
    expected.map(([text]) => text),
  );
  expected.forEach(([text, start, end], i) => {
    const word = actual[i];
    assert.ok(word);
    assert.ok(
      Math.abs(word.start - start) <= tolerance + 1e-6,
      `${text} starts at ${word.start}, expected ${start}`,
    );
    assert.ok(Math.abs(word.end - end) <= tolerance + 1e-6, `${text} ends at ${word.end}, expected ${end}`);
    assert.ok(word.confidence >= 0 && word.confidence <= 1, `${text} confidence ${word.confidence}`);
  });
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'earshot-sherpa-tiny-'));
  runtime = { threads: 1, tmpDir: path.join(dir, 'tmp'), tools: { pocketsphinx: '' } };

  const ctcFiles = await generateTinyNemoCtcModel(path.join(dir, 'tiny-ctc'));
  const ctcModel = catalogModel('tiny-ctc', 'nemo-ctc', ctcFiles.files, {
    'model.onnx': 'model',
    'tokens.txt': 'tokens',
  });
  ctc = await sherpaEngine.load(resolved(ctcModel, ctcFiles.dir), runtime);

  const tr = await generateTinyTransducerModel(path.join(dir, 'tiny-transducer'));
  const trModel = catalogModel('tiny-transducer', 'transducer', tr.files, {
    'encoder.onnx': 'encoder',
    'decoder.onnx': 'decoder',
    'joiner.onnx': 'joiner',
    'tokens.txt': 'tokens',
  });
  transducer = await sherpaEngine.load(resolved(trModel, tr.dir), runtime);
});

after(async () => {
  ctc?.dispose();
  transducer?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('tiny NeMo CTC model', () => {
  test('the generated model is a few KB', async () => {
    const { files } = await generateTinyNemoCtcModel(path.join(dir, 'size-check'));
    const model = files.find((f) => f.name === 'model.onnx');
    assert.ok(model && model.size < 4096, `model.onnx is ${model?.size} bytes`);
    assert.match(model.sha256, /^[0-9a-f]{64}$/);
  });

  test('transcribes tone bursts into the exact words at the exact times', async () => {
    const result = await ctc.transcribe(
      toneBurstSamples(3, HELLO_YES),
      OPTIONS,
      new AbortController().signal,
    );
    // Words start at their first token (within one 40 ms output frame of the tone) and end where
    // the audio falls silent.
    assertWordsNear(result.words, [
      ['hello', 0.5, 1.0],
      ['yes', 1.6, 2.0],
    ]);
    // CTC reports no token probabilities: the documented fallback.
    assert.deepEqual(
      result.words.map((w) => w.confidence),
      [1, 1],
    );
    assert.equal(result.language, 'en', 'a one-language model reports its language');
  });

  test('silence, empty and very short audio give no words', async () => {
    const signal = new AbortController().signal;
    assert.deepEqual((await ctc.transcribe(new Float32Array(2 * 16_000), OPTIONS, signal)).words, []);
    // Zero samples make onnxruntime reject the model's input; the engine does not decode them.
    assert.deepEqual((await ctc.transcribe(new Float32Array(0), OPTIONS, signal)).words, []);
    assert.deepEqual((await transducer.transcribe(new Float32Array(100), OPTIONS, signal)).words, []);
  });

  test('audio longer than a chunk is cut in a pause and keeps absolute times', async () => {
    // 130 s: "hello" near the start, "yes" after the first 120 s chunk boundary region.
    const samples = toneBurstSamples(130, [
      { startS: 1, endS: 1.3, hz: low },
      { startS: 1.3, endS: 1.5, hz: mid },
      { startS: 100, endS: 100.4, hz: high },
      { startS: 125, endS: 125.4, hz: high },
    ]);
    const result = await ctc.transcribe(samples, OPTIONS, new AbortController().signal);
    assertWordsNear(result.words, [
      ['hello', 1, 1.5],
      ['yes', 100, 100.4],
      ['yes', 125, 125.4],
    ]);
  });

  test('hints and translation are refused for a model that cannot honour them', async () => {
    const signal = new AbortController().signal;
    await assert.rejects(
      ctc.transcribe(new Float32Array(16_000), { ...OPTIONS, hints: ['Earshot'] }, signal),
      (error) =>
        isEarshotError(error) && error.code === 'unsupportedParameter' && /hints/.test(error.message),
    );
    await assert.rejects(
      ctc.transcribe(new Float32Array(16_000), { ...OPTIONS, translate: true }, signal),
      (error) =>
        isEarshotError(error) && error.code === 'unsupportedParameter' && /translate/.test(error.message),
    );
  });

  test('an aborted signal rejects with `cancelled`', async () => {
    await assert.rejects(
      ctc.transcribe(toneBurstSamples(3, HELLO_YES), OPTIONS, AbortSignal.abort()),
      (error) => isEarshotError(error) && error.code === 'cancelled',
    );
  });

  test('concurrent calls each get their own result', async () => {
    const signal = new AbortController().signal;
    const [a, b] = await Promise.all([
      ctc.transcribe(toneBurstSamples(3, HELLO_YES), OPTIONS, signal),
      ctc.transcribe(toneBurstSamples(1, [{ startS: 0.2, endS: 0.6, hz: high }]), OPTIONS, signal),
    ]);
    assert.deepEqual(
      a.words.map((w) => w.text),
      ['hello', 'yes'],
    );
    assertWordsNear(b.words, [['yes', 0.2, 0.6]]);
  });

  test('a disposed model refuses to transcribe', async () => {
    const files = await generateTinyNemoCtcModel(path.join(dir, 'disposable'));
    const model = await sherpaEngine.load(
      resolved(
        catalogModel('disposable', 'nemo-ctc', files.files, {
          'model.onnx': 'model',
          'tokens.txt': 'tokens',
        }),
        files.dir,
      ),
      runtime,
    );
    model.dispose();
    await assert.rejects(
      model.transcribe(new Float32Array(16_000), OPTIONS, new AbortController().signal),
      /disposed/,
    );
  });
});

describe('tiny transducer model', () => {
  test('transcribes the same words, with confidence from token log-probabilities', async () => {
    const result = await transducer.transcribe(
      toneBurstSamples(3, HELLO_YES),
      OPTIONS,
      new AbortController().signal,
    );
    assertWordsNear(result.words, [
      ['hello', 0.5, 1.0],
      ['yes', 1.6, 2.0],
    ]);
    for (const word of result.words) {
      assert.ok(word.confidence > 0.5 && word.confidence < 1, `${word.text}: ${word.confidence}`);
    }
  });

  test('hints reach the decoder: a faint "yes" is only heard when it is a hint', async () => {
    // A 4 kHz blip so faint that greedy search prefers blank (measured: greedy hears it from about
    // amplitude 0.0005, the hinted beam search from 0.00004 up).
    const faint = toneBurstSamples(1.5, [{ startS: 0.52, endS: 0.6, hz: high }], 0.0001);
    const signal = new AbortController().signal;
    const plain = await transducer.transcribe(faint, OPTIONS, signal);
    assert.deepEqual(plain.words, []);
    const hinted = await transducer.transcribe(faint, { ...OPTIONS, hints: ['yes', 'a/b: c'] }, signal);
    assert.deepEqual(
      hinted.words.map((w) => w.text),
      ['yes'],
    );
    const [word] = hinted.words;
    assert.ok(word && Math.abs(word.start - 0.52) <= TINY_OUTPUT_FRAME_S + 1e-6, `starts at ${word?.start}`);
    assert.ok(word.confidence < 0.5, 'a faint, boosted word keeps its low model probability');
    // Without hints again, the greedy recognizer is used and the blip is not heard.
    assert.deepEqual((await transducer.transcribe(faint, OPTIONS, signal)).words, []);
  });
});

describe('corrupt models do not abort the process', () => {
  test('truncated and garbled models reject with `modelCorrupt` in a child process that exits 0', async () => {
    const truncatedDir = path.join(dir, 'corrupt-truncated');
    const garbledDir = path.join(dir, 'corrupt-garbled');
    const generated = await generateTinyNemoCtcModel(truncatedDir);
    await generateTinyNemoCtcModel(garbledDir);
    await writeTruncatedModel(path.join(truncatedDir, 'model.onnx'));
    await writeGarbledModel(path.join(garbledDir, 'model.onnx'));
    const model = catalogModel('corrupt', 'nemo-ctc', generated.files, {
      'model.onnx': 'model',
      'tokens.txt': 'tokens',
    });

    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const engineUrl = new URL(`../src/engines/asr/sherpa.engine${ext}`, import.meta.url).href;
    const script = `
      const { sherpaEngine } = await import(${JSON.stringify(engineUrl)});
      for (const resolved of ${JSON.stringify([resolved(model, truncatedDir), resolved(model, garbledDir)])}) {
        try {
          await sherpaEngine.load(resolved, ${JSON.stringify(runtime)});
          console.log('LOADED');
        } catch (error) {
          console.log('ERROR ' + error.code + ': ' + error.message);
        }
      }`;
    const child = spawn(
      process.execPath,
      [...process.execArgv.filter((a) => !a.startsWith('--test')), '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `child exited with ${code}\n${stdout}\n${stderr}`);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 2, stdout);
    assert.match(
      lines[0] ?? '',
      /^ERROR modelCorrupt: Could not load model corrupt: model\.onnx: .*truncated/,
    );
    assert.match(
      lines[1] ?? '',
      /^ERROR modelCorrupt: Could not load model corrupt: .*Protobuf parsing failed/,
    );
  });
});
