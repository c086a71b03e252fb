import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { isEarshotError } from '../../domain/errors.js';
import type { CatalogModel } from '../../models/catalog.types.js';
import {
  generateTinyNemoCtcModel,
  toneBurstSamples,
  writeGarbledModel,
  writeTruncatedModel,
} from '../../../test/fixtures/tiny-models.js';
import { inspectOnnxFile } from '../sherpa-onnx.js';
import type { EngineRuntimeOptions, ResolvedModel } from './asr-engine.js';
import { analyseLoudness, chunkBounds, sherpaEngine, voicedSpan } from './sherpa.engine.js';

const SR = 16_000;
let dir: string;
let runtime: EngineRuntimeOptions;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'earshot-sherpa-unit-'));
  runtime = { threads: 1, tmpDir: dir, tools: { pocketsphinx: '' } };
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ctcModel(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id: 'tiny-ctc',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'nemo-ctc',
    description: 'tiny generated NeMo CTC model',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 0,
    license: 'MIT',
    homepage: '',
    files: [
      { name: 'model.onnx', role: 'model', url: '' },
      { name: 'tokens.txt', role: 'tokens', url: '' },
    ],
    ...overrides,
  };
}

function resolvedIn(modelDir: string, model: CatalogModel = ctcModel()): ResolvedModel {
  return {
    model,
    files: Object.fromEntries(model.files.map((f) => [f.name, path.join(modelDir, f.name)])),
    sha256: {},
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(isEarshotError(error), `not an EarshotError: ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('load failures that are caught before sherpa sees the files', () => {
  test('a missing model file is `modelMissing` and names the file', async () => {
    const modelDir = path.join(dir, 'missing');
    await generateTinyNemoCtcModel(modelDir);
    await rm(path.join(modelDir, 'model.onnx'));
    await rejectsWith(
      sherpaEngine.load(resolvedIn(modelDir), runtime),
      'modelMissing',
      /tiny-ctc is missing model\.onnx/,
    );
  });

  test('a catalog entry without a needed role is `modelMissing`', async () => {
    const modelDir = path.join(dir, 'no-role');
    await generateTinyNemoCtcModel(modelDir);
    const model = ctcModel({ files: [{ name: 'model.onnx', role: 'model', url: '' }] });
    await rejectsWith(
      sherpaEngine.load(resolvedIn(modelDir, model), runtime),
      'modelMissing',
      /lists no tokens file/,
    );
  });

  test('a model without architecture is refused', async () => {
    const model = ctcModel();
    delete model.architecture;
    await rejectsWith(
      sherpaEngine.load(resolvedIn(dir, model), runtime),
      'engineUnavailable',
      /no sherpa architecture/,
    );
  });

  test('a truncated model is `modelCorrupt` (framing check)', async () => {
    const modelDir = path.join(dir, 'truncated');
    await generateTinyNemoCtcModel(modelDir);
    await writeTruncatedModel(path.join(modelDir, 'model.onnx'));
    await rejectsWith(
      sherpaEngine.load(resolvedIn(modelDir), runtime),
      'modelCorrupt',
      /Could not load model tiny-ctc: model\.onnx: .*truncated/,
    );
  });

  test('a garbled model is `modelCorrupt` (rejected by sherpa createAsync)', async () => {
    const modelDir = path.join(dir, 'garbled');
    await generateTinyNemoCtcModel(modelDir);
    await writeGarbledModel(path.join(modelDir, 'model.onnx'));
    await rejectsWith(
      sherpaEngine.load(resolvedIn(modelDir), runtime),
      'modelCorrupt',
      /Could not load model tiny-ctc: .*Protobuf parsing failed/,
    );
  });

  test('a bad tokens.txt line, or a CTC vocabulary without blank, is `modelCorrupt` (sherpa would exit)', async () => {
    const modelDir = path.join(dir, 'bad-tokens');
    await generateTinyNemoCtcModel(modelDir);
    await writeFile(path.join(modelDir, 'tokens.txt'), '<blk> 0\n▁hel 1\nlo');
    await rejectsWith(sherpaEngine.load(resolvedIn(modelDir), runtime), 'modelCorrupt', /tokens\.txt line 3/);
    await writeFile(path.join(modelDir, 'tokens.txt'), 'a 0\nb 1\n');
    await rejectsWith(sherpaEngine.load(resolvedIn(modelDir), runtime), 'modelCorrupt', /no blank symbol/);
  });
});

describe('inspectOnnxFile', () => {
  test('reads the metadata of a generated model and finds nothing wrong', async () => {
    const model = await generateTinyNemoCtcModel(path.join(dir, 'inspect'));
    const inspection = await inspectOnnxFile(model.modelPath);
    assert.equal(inspection.problem, undefined);
    assert.deepEqual(inspection.metadata, {
      vocab_size: '4',
      subsampling_factor: '4',
      normalize_type: '',
      model_type: 'EncDecCTCModelBPE',
    });
  });

  test('reports truncation, non-ONNX files and empty files', async () => {
    const truncated = path.join(dir, 'inspect-truncated.onnx');
    await writeTruncatedModel(truncated, 0.9);
    assert.match((await inspectOnnxFile(truncated)).problem ?? '', /truncated/);
    const text = path.join(dir, 'not-onnx.onnx');
    await writeFile(text, 'this is not a model\n');
    assert.ok((await inspectOnnxFile(text)).problem);
    const empty = path.join(dir, 'empty.onnx');
    await writeFile(empty, '');
    assert.equal((await inspectOnnxFile(empty)).problem, 'the file is empty');
  });
});

describe('loudness helpers', () => {
  const samples = toneBurstSamples(3, [
    { startS: 0.5, endS: 1.0, hz: 300 },
    { startS: 1.05, endS: 1.2, hz: 300 },
    { startS: 1.6, endS: 2.0, hz: 4000 },
  ]);

  test('silences are quiet stretches of at least 150 ms', () => {
    const { silences } = analyseLoudness(samples);
    // The 50 ms gap at 1.0 s is too short to count.
    assert.deepEqual(silences, [
      { start: 0, end: 0.5 },
      { start: 1.2, end: 1.6 },
      { start: 2.0, end: 3.0 },
    ]);
  });

  test('the voiced span runs from the end of leading silence to the start of trailing silence', () => {
    assert.deepEqual(voicedSpan(analyseLoudness(samples).silences, 3), { start: 0.5, end: 2.0 });
    assert.deepEqual(voicedSpan([], 3), { start: 0, end: 3 });
    assert.deepEqual(
      voicedSpan([{ start: 0, end: 3 }], 3),
      { start: 0, end: 3 },
      'all quiet: the whole audio',
    );
  });

  test('long audio is cut at the quietest point of the last quarter of each chunk', () => {
    // 70 s of tone with a pause at 25.0-25.3 s and one at 52.0-52.3 s; chunks of at most 28 s.
    const long = toneBurstSamples(70, [
      { startS: 0, endS: 25, hz: 300 },
      { startS: 25.3, endS: 52, hz: 300 },
      { startS: 52.3, endS: 70, hz: 300 },
    ]);
    const chunks = chunkBounds(long.length, 28 * SR, analyseLoudness(long));
    assert.equal(chunks.length, 3);
    const [first, second, third] = chunks;
    assert.ok(first && second && third);
    assert.equal(first[0], 0);
    assert.ok(first[1] > 25 * SR && first[1] < 25.3 * SR, `first cut at ${first[1] / SR} s`);
    assert.equal(second[0], first[1]);
    assert.ok(second[1] > 52 * SR && second[1] < 52.3 * SR, `second cut at ${second[1] / SR} s`);
    assert.deepEqual(third, [second[1], long.length]);
    assert.deepEqual(chunkBounds(SR, 28 * SR, analyseLoudness(new Float32Array(SR))), [[0, SR]]);
    assert.deepEqual(chunkBounds(0, 28 * SR, analyseLoudness(new Float32Array(0))), [[0, 0]]);
  });
});
