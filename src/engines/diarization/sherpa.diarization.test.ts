import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  generateTinyDiarizationModels,
  TINY_EMBEDDING_METADATA,
  TINY_SEGMENTATION_METADATA,
} from '../../../test/fixtures/tiny-diarization-models.js';
import { isEarshotError } from '../../domain/errors.js';
import type { CatalogModel, ModelKind } from '../../models/catalog.types.js';
import type { ResolvedModel } from '../asr/asr-engine.js';
import {
  clusterWithinBounds,
  embeddingMetadataProblem,
  renumberSpeakers,
  segmentationMetadataProblem,
  sherpaDiarizationEngine,
  speechLayout,
  turnsFromSegments,
  type LayoutSettings,
} from './sherpa.diarization.js';

/** The metadata sherpa-onnx's export script writes into pyannote segmentation-3.0. */
const PYANNOTE_3_METADATA = {
  num_speakers: '3',
  powerset_max_classes: '2',
  num_classes: '7',
  sample_rate: '16000',
  window_size: '160000',
  receptive_field_size: '991',
  receptive_field_shift: '270',
  model_type: 'pyannote-segmentation-3.0',
};

describe('segmentationMetadataProblem', () => {
  test('accepts the real pyannote export and the tiny model', () => {
    assert.equal(segmentationMetadataProblem(PYANNOTE_3_METADATA), undefined);
    assert.equal(segmentationMetadataProblem({ ...TINY_SEGMENTATION_METADATA }), undefined);
  });

  test('names the missing or malformed key sherpa would exit on', () => {
    const { num_classes: _dropped, ...withoutClasses } = PYANNOTE_3_METADATA;
    assert.equal(
      segmentationMetadataProblem(withoutClasses),
      'its metadata has no "num_classes" (sherpa-onnx would exit)',
    );
    assert.equal(
      segmentationMetadataProblem({ ...PYANNOTE_3_METADATA, window_size: '' }),
      'its metadata has no "window_size" (sherpa-onnx would exit)',
    );
    assert.equal(
      segmentationMetadataProblem({ ...PYANNOTE_3_METADATA, receptive_field_shift: '0' }),
      'metadata "receptive_field_shift" is "0", expected an integer of at least 1',
    );
    assert.match(segmentationMetadataProblem({ ...PYANNOTE_3_METADATA, sample_rate: '16k' }) ?? '', /"16k"/);
  });

  test('refuses a powerset sherpa cannot map (it would write out of bounds)', () => {
    assert.equal(
      segmentationMetadataProblem({ ...PYANNOTE_3_METADATA, num_classes: '6' }),
      'metadata "num_classes" is 6; 3 speakers with overlaps of up to 2 make 7',
    );
    assert.match(
      segmentationMetadataProblem({ ...PYANNOTE_3_METADATA, powerset_max_classes: '3' }) ?? '',
      /supports 1 or 2/,
    );
    assert.equal(
      segmentationMetadataProblem({ ...PYANNOTE_3_METADATA, powerset_max_classes: '1', num_classes: '4' }),
      undefined,
    );
    assert.match(
      segmentationMetadataProblem({ ...PYANNOTE_3_METADATA, window_size: '500' }) ?? '',
      /shorter than "receptive_field_size"/,
    );
  });
});

describe('embeddingMetadataProblem', () => {
  test('accepts 3D-Speaker, WeSpeaker (normalize_samples 0) and NeMo metadata', () => {
    assert.equal(embeddingMetadataProblem({ ...TINY_EMBEDDING_METADATA }), undefined);
    assert.equal(
      embeddingMetadataProblem({
        framework: 'wespeaker',
        output_dim: '256',
        sample_rate: '16000',
        normalize_samples: '0',
        language: 'English',
      }),
      undefined,
    );
    assert.equal(
      embeddingMetadataProblem({
        framework: 'nemo',
        output_dim: '192',
        feat_dim: '80',
        sample_rate: '16000',
        window_size_ms: '25',
        window_stride_ms: '10',
        language: 'English',
        feature_normalize_type: 'per_feature',
      }),
      undefined,
    );
  });

  test('a model without `framework` is refused (sherpa would segfault on it)', () => {
    const { framework: _framework, ...rest } = TINY_EMBEDDING_METADATA;
    assert.match(embeddingMetadataProblem(rest) ?? '', /no "framework".*would crash/);
    assert.match(
      embeddingMetadataProblem({ ...TINY_EMBEDDING_METADATA, framework: 'speechbrain' }) ?? '',
      /"speechbrain"; sherpa-onnx knows wespeaker, 3d-speaker, nemo/,
    );
  });

  test('keys and values that make sherpa exit are refused', () => {
    assert.match(
      embeddingMetadataProblem({ ...TINY_EMBEDDING_METADATA, framework: 'nemo' }) ?? '',
      /no "feat_dim"/,
    );
    assert.match(embeddingMetadataProblem({ ...TINY_EMBEDDING_METADATA, language: '' }) ?? '', /"language"/);
    assert.match(
      embeddingMetadataProblem({ ...TINY_EMBEDDING_METADATA, feature_normalize_type: 'per_feature' }) ?? '',
      /accepts global-mean for 3d-speaker models/,
    );
    assert.match(
      embeddingMetadataProblem({ ...TINY_EMBEDDING_METADATA, output_dim: '0' }) ?? '',
      /"output_dim" is "0"/,
    );
  });
});

describe('speechLayout', () => {
  const settings: LayoutSettings = { padSamples: 10, keptGapSamples: 100, separatorSamples: 50 };

  test('pads, clamps, merges close regions and separates distant ones', () => {
    const layout = speechLayout(
      [
        { start: 5, end: 200 },
        { start: 260, end: 400 },
        { start: 1000, end: 1100 },
        { start: 1990, end: 2100 },
      ],
      2050,
      settings,
    );
    assert.deepEqual(layout.pieces, [
      // [0, 210) and [250, 410) are 40 apart: one piece, pause kept.
      { bufferStart: 0, sourceStart: 0, length: 410 },
      { bufferStart: 460, sourceStart: 990, length: 120 },
      // Clamped to the file's 2050 samples.
      { bufferStart: 630, sourceStart: 1980, length: 70 },
    ]);
    assert.equal(layout.length, 700);
  });

  test('unsorted and overlapping regions are merged; no speech is an empty layout', () => {
    const layout = speechLayout(
      [
        { start: 500, end: 600 },
        { start: 100, end: 300 },
        { start: 250, end: 350 },
      ],
      10_000,
      settings,
    );
    assert.deepEqual(
      layout.pieces.map((p) => [p.sourceStart, p.length]),
      [
        [90, 270],
        [490, 120],
      ],
    );
    assert.deepEqual(speechLayout([], 10_000, settings), { pieces: [], length: 0 });
    assert.deepEqual(speechLayout([{ start: 20_000, end: 30_000 }], 10_000, settings), {
      pieces: [],
      length: 0,
    });
  });
});

describe('turnsFromSegments', () => {
  const layout = {
    pieces: [
      { bufferStart: 0, sourceStart: 16_000, length: 32_000 },
      { bufferStart: 40_000, sourceStart: 160_000, length: 16_000 },
    ],
    length: 56_000,
  };

  test('maps buffer seconds to file samples and cuts turns at separators', () => {
    const turns = turnsFromSegments(
      [
        { start: 0.5, end: 1.5, speaker: 4 },
        // Runs from the first piece across the separator into the second one.
        { start: 1.5, end: 3.0, speaker: 2 },
        // Inside the separator only: no audio of the file, no turn.
        { start: 2.1, end: 2.4, speaker: 7 },
        // Past the buffer (the zero padding of short audio).
        { start: 3.6, end: 4.0, speaker: 7 },
      ],
      layout,
    );
    assert.deepEqual(turns, [
      { start: 24_000, end: 40_000, speaker: 0 },
      { start: 40_000, end: 48_000, speaker: 1 },
      { start: 160_000, end: 168_000, speaker: 1 },
    ]);
  });

  test('speakers are numbered by first appearance', () => {
    assert.deepEqual(
      renumberSpeakers([
        { start: 0, end: 1, speaker: 5 },
        { start: 1, end: 2, speaker: 0 },
        { start: 2, end: 3, speaker: 5 },
        { start: 3, end: 4, speaker: 2 },
      ]).map((t) => t.speaker),
      [0, 1, 0, 2],
    );
  });
});

describe('clusterWithinBounds', () => {
  /** A stand-in for sherpa's run: `speakersFor(numClusters)` speakers; records what it was asked. */
  function scripted(speakersFor: (numClusters: number | undefined) => number) {
    const calls: (number | undefined)[] = [];
    const run = (numClusters: number | undefined): Promise<{ speaker: number }[]> => {
      calls.push(numClusters);
      const count = speakersFor(numClusters);
      return Promise.resolve(Array.from({ length: count }, (_, speaker) => ({ speaker })));
    };
    return { calls, run };
  }
  /** sherpa with `embeddings` embeddings that form `natural` clusters at the threshold. */
  const sherpaLike = (embeddings: number, natural: number) => (k: number | undefined) =>
    k === undefined ? natural : k > embeddings ? 1 : k;

  test('numSpeakers: one run with that many clusters', async () => {
    const { calls, run } = scripted(sherpaLike(20, 4));
    assert.equal((await clusterWithinBounds(run, { numSpeakers: 2 })).length, 2);
    assert.deepEqual(calls, [2]);
  });

  test('maxSpeakers and minSpeakers: a threshold run, then one forced run only when outside', async () => {
    let s = scripted(sherpaLike(20, 4));
    assert.equal((await clusterWithinBounds(s.run, { maxSpeakers: 3 })).length, 3);
    assert.deepEqual(s.calls, [undefined, 3]);
    s = scripted(sherpaLike(20, 2));
    assert.equal((await clusterWithinBounds(s.run, { minSpeakers: 3, maxSpeakers: 5 })).length, 3);
    assert.deepEqual(s.calls, [undefined, 3]);
    s = scripted(sherpaLike(20, 4));
    assert.equal((await clusterWithinBounds(s.run, { minSpeakers: 2, maxSpeakers: 5 })).length, 4);
    assert.deepEqual(s.calls, [undefined]);
  });

  test('asking for more clusters than embeddings (sherpa then gives one) falls back to the most that work', async () => {
    const s = scripted(sherpaLike(5, 2));
    assert.equal((await clusterWithinBounds(s.run, { numSpeakers: 9 })).length, 5);
    assert.deepEqual(s.calls, [9, 5, 7, 6]);
    // minSpeakers: never worse than the estimate.
    const m = scripted(sherpaLike(1, 1));
    assert.equal((await clusterWithinBounds(m.run, { minSpeakers: 3 })).length, 1);
  });
});

describe('load failures caught before sherpa sees the files', () => {
  let dir: string;
  let models: ResolvedModel[];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'earshot-sherpa-diarization-unit-'));
    const generated = await generateTinyDiarizationModels(dir);
    const resolved = (id: string, kind: ModelKind, name: string): ResolvedModel => {
      const model: CatalogModel = {
        id,
        kind,
        runtime: 'sherpa',
        description: '',
        languages: 'multilingual',
        languageDetection: false,
        translation: false,
        punctuation: false,
        hints: false,
        accuracyRank: 0,
        license: 'MIT',
        homepage: '',
        files: [{ name, role: 'model', url: 'https://example.com/model.onnx' }],
      };
      return { model, files: { [name]: path.join(generated.dir, name) }, sha256: {} };
    };
    models = [
      resolved('tiny-seg', 'segmentation', 'segmentation.onnx'),
      resolved('tiny-emb', 'speaker-embedding', 'embedding.onnx'),
    ];
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('one segmentation and one embedding model are needed', async () => {
    const [segmentation, embedding] = models;
    assert.ok(segmentation && embedding);
    for (const given of [[segmentation], [segmentation, segmentation, embedding], []]) {
      await assert.rejects(
        sherpaDiarizationEngine.load(given, { threads: 1 }),
        (error) =>
          isEarshotError(error) &&
          error.code === 'modelMissing' &&
          /needs one segmentation model and one speaker-embedding model/.test(error.message),
      );
    }
  });

  test('a missing file is `modelMissing` and names it', async () => {
    const [segmentation, embedding] = models;
    assert.ok(segmentation && embedding);
    const gone = { ...embedding, files: { 'embedding.onnx': path.join(dir, 'nope.onnx') } };
    await assert.rejects(
      sherpaDiarizationEngine.load([segmentation, gone], { threads: 1 }),
      (error) =>
        isEarshotError(error) &&
        error.code === 'modelMissing' &&
        /tiny-emb is missing embedding\.onnx/.test(error.message),
    );
  });
});
