import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../config/config.js';
import { BUILTIN_CATALOG, isSystemModel, loadCatalog, mergeCatalogs } from './catalog.js';
import { requiredRoles, validateCatalogDocument } from './catalog.schema.js';
import type { CatalogModel } from './catalog.types.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'earshot-catalog-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let fileCounter = 0;
function writeCatalog(document: unknown): string {
  const file = path.join(tmp, `catalog-${++fileCounter}.json`);
  writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
  return file;
}

function model(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id: 'custom-ctc',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'nemo-ctc',
    description: 'test',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 5,
    license: 'MIT',
    homepage: 'https://example.com',
    files: [
      { name: 'model.onnx', role: 'model', url: 'https://example.com/model.onnx' },
      { name: 'tokens.txt', role: 'tokens', url: 'https://example.com/tokens.txt' },
    ],
    ...overrides,
  };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected an error');
}

describe('BUILTIN_CATALOG', () => {
  test('has exactly the expected models, each valid by the operator-file rules', () => {
    assert.deepEqual(
      BUILTIN_CATALOG.map((m) => m.id),
      [
        'silero-vad-v6.2',
        'silero-vad-v5.1.2',
        'sphinx-en-us',
        'whisper-tiny.en',
        'whisper-tiny',
        'whisper-base.en',
        'whisper-base',
        'parakeet-tdt-0.6b-v2',
        'nemo-ctc-conformer-small',
        'moonshine-tiny',
        'moonshine-base',
        'sense-voice-small',
        'pyannote-segmentation-3.0',
        'pyannote-segmentation-3.0-int8',
        'wespeaker-resnet34-voxceleb',
        'nemo-titanet-small',
        '3dspeaker-eres2net-base-zh',
        'ct-transformer-punct-zh-en',
        'ct-transformer-punct-zh-en-int8',
      ],
    );
    const result = validateCatalogDocument(JSON.parse(JSON.stringify({ models: BUILTIN_CATALOG })));
    assert.deepEqual(result.ok ? [] : result.problems, []);
  });

  test('published checksums are the ones in CHECKSUMS.md', () => {
    const sha = (id: string, name: string): string | undefined =>
      BUILTIN_CATALOG.find((m) => m.id === id)?.files.find((f) => f.name === name)?.sha256;
    assert.equal(
      sha('silero-vad-v6.2', 'silero_vad_v6.2.onnx'),
      '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3',
    );
    assert.equal(
      sha('silero-vad-v5.1.2', 'silero_vad_v5.1.2.onnx'),
      '2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f',
    );
    assert.equal(
      sha('whisper-tiny', 'tiny-encoder.int8.onnx'),
      'd24fb083ae3b1041fc24e97971d60e280c9342201fbb67b0ab428a8b4a51a434',
    );
    assert.equal(
      sha('nemo-ctc-conformer-small', 'model.int8.onnx'),
      '66cfde4ce0b6da9e1a4352e58f0c968f87da23070cf229c81ae0d520cddad2a2',
    );
    // Files without a published sha256 are trusted on first use, not given a made-up one.
    assert.equal(sha('whisper-tiny', 'tiny-tokens.txt'), undefined);
  });

  test('punctuation models: the sherpa-onnx CT-Transformer files one by one, trusted on first use', () => {
    const punctuation = BUILTIN_CATALOG.filter((m) => m.kind === 'punctuation');
    const base =
      'https://huggingface.co/csukuangfj/sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12/resolve/main';
    assert.deepEqual(
      punctuation.map((m) => [
        m.id,
        m.runtime,
        m.architecture,
        m.punctuation,
        m.files.map((f) => [f.name, f.role, f.url, f.sha256]),
      ]),
      [
        [
          'ct-transformer-punct-zh-en',
          'sherpa',
          undefined,
          true,
          [['model.onnx', 'model', `${base}/model.onnx`, undefined]],
        ],
        [
          'ct-transformer-punct-zh-en-int8',
          'sherpa',
          undefined,
          true,
          [['model.int8.onnx', 'model', `${base}/model.int8.onnx`, undefined]],
        ],
      ],
    );
  });

  test('diarization models: single files from Hugging Face or the sherpa-onnx release, with pinned checksums', () => {
    const diarization = BUILTIN_CATALOG.filter(
      (m) => m.kind === 'segmentation' || m.kind === 'speaker-embedding',
    );
    assert.deepEqual(
      diarization.map((m) => [m.id, m.kind, m.runtime, m.architecture, m.files.map((f) => [f.role, f.url])]),
      [
        [
          'pyannote-segmentation-3.0',
          'segmentation',
          'sherpa',
          undefined,
          [
            [
              'model',
              'https://huggingface.co/csukuangfj/sherpa-onnx-pyannote-segmentation-3-0/resolve/main/model.onnx',
            ],
          ],
        ],
        [
          'pyannote-segmentation-3.0-int8',
          'segmentation',
          'sherpa',
          undefined,
          [
            [
              'model',
              'https://huggingface.co/csukuangfj/sherpa-onnx-pyannote-segmentation-3-0/resolve/main/model.int8.onnx',
            ],
          ],
        ],
        [
          'wespeaker-resnet34-voxceleb',
          'speaker-embedding',
          'sherpa',
          undefined,
          [
            [
              'model',
              'https://github.com/k2-fsa/sherpa-onnx/releases/download/speaker-recongition-models/wespeaker_en_voxceleb_resnet34.onnx',
            ],
          ],
        ],
        [
          'nemo-titanet-small',
          'speaker-embedding',
          'sherpa',
          undefined,
          [
            [
              'model',
              'https://github.com/k2-fsa/sherpa-onnx/releases/download/speaker-recongition-models/nemo_en_titanet_small.onnx',
            ],
          ],
        ],
        [
          '3dspeaker-eres2net-base-zh',
          'speaker-embedding',
          'sherpa',
          undefined,
          [
            [
              'model',
              'https://github.com/k2-fsa/sherpa-onnx/releases/download/speaker-recongition-models/3dspeaker_speech_eres2net_base_sv_zh-cn_3dspeaker_16k.onnx',
            ],
          ],
        ],
      ],
    );
    for (const model of diarization) {
      for (const file of model.files) {
        assert.match(file.sha256 ?? '', /^[0-9a-f]{64}$/, `${model.id}: sha256`);
        assert.ok(file.sizeBytes && file.sizeBytes > 1_000_000, `${model.id}: size`);
      }
    }
  });

  test('the sphinx model is a system model with absolute Debian paths', () => {
    const sphinx = BUILTIN_CATALOG.find((m) => m.id === 'sphinx-en-us');
    assert.ok(sphinx);
    assert.equal(isSystemModel(sphinx), true);
    assert.equal(sphinx.systemPackage, 'pocketsphinx-en-us');
    assert.deepEqual(
      sphinx.files.map((f) => [f.role, f.name]),
      [
        ['acoustic-model', '/usr/share/pocketsphinx/model/en-us/en-us'],
        ['language-model', '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin'],
        ['dictionary', '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict'],
      ],
    );
    assert.equal(BUILTIN_CATALOG.filter(isSystemModel).length, 1);
  });

  test('sherpa files are individual Hugging Face files', () => {
    const whisper = BUILTIN_CATALOG.find((m) => m.id === 'whisper-base.en');
    assert.deepEqual(
      whisper?.files.map((f) => f.url),
      [
        'https://huggingface.co/csukuangfj/sherpa-onnx-whisper-base.en/resolve/main/base.en-encoder.int8.onnx',
        'https://huggingface.co/csukuangfj/sherpa-onnx-whisper-base.en/resolve/main/base.en-decoder.int8.onnx',
        'https://huggingface.co/csukuangfj/sherpa-onnx-whisper-base.en/resolve/main/base.en-tokens.txt',
      ],
    );
  });
});

describe('loadCatalog', () => {
  test('without a file: the built-ins', () => {
    assert.deepEqual(loadCatalog(undefined), [...BUILTIN_CATALOG]);
  });

  test('an operator entry replaces the built-in of the same id in place; new ids are appended', () => {
    const override = model({ id: 'whisper-tiny', description: 'our own whisper tiny' });
    const extra = model({ id: 'custom-ctc' });
    const catalog = loadCatalog(writeCatalog({ models: [extra, override] }));
    assert.equal(catalog.length, BUILTIN_CATALOG.length + 1);
    const index = BUILTIN_CATALOG.findIndex((m) => m.id === 'whisper-tiny');
    assert.equal(catalog[index]?.description, 'our own whisper tiny');
    assert.equal(catalog.at(-1)?.id, 'custom-ctc');
  });

  test('sha256 is stored lowercase', () => {
    const file = { name: 'model.onnx', role: 'model', url: 'https://example.com/m', sha256: 'AB'.repeat(32) };
    const catalog = loadCatalog(
      writeCatalog({ models: [model({ files: [file as never, model().files[1] as never] })] }),
    );
    assert.equal(catalog.at(-1)?.files[0]?.sha256, 'ab'.repeat(32));
  });

  test('lists every problem, naming the entry', () => {
    const file = writeCatalog({
      models: [
        model({
          id: 'bad',
          files: [{ name: '../escape.onnx', role: 'model', url: 'ftp://example.com/x', sha256: 'nothex' }],
        }),
        model({ id: 'Bad Id' }),
        { ...model({ id: 'typo' }), lanugages: ['en'] },
        model({ id: 'noarch', architecture: undefined }),
      ],
    });
    const problems = problemsOf(() => loadCatalog(file));
    const where = `EARSHOT_MODELS_CATALOG (${file})`;
    assert.deepEqual(
      problems.sort(),
      [
        `${where}: models[0].files (model "bad"): missing file role(s): tokens`,
        `${where}: models[0].files[0].name (model "bad"): must be a relative path inside the model folder (no "..", no leading "/", no "\\")`,
        `${where}: models[0].files[0].sha256 (model "bad"): must be 64 hex digits`,
        `${where}: models[0].files[0].url (model "bad"): must be an http(s) URL`,
        `${where}: models[1].id (model "Bad Id"): must be lowercase letters, digits, . _ - (at most 100)`,
        `${where}: models[2] (model "typo"): Unrecognized key: "lanugages"`,
        `${where}: models[3].architecture (model "noarch"): required for runtime "sherpa"`,
      ].sort(),
    );
  });

  test('kinds must suit the runtime; only sherpa asr models have an architecture', () => {
    const file = writeCatalog({
      models: [
        model({ id: 'seg', kind: 'segmentation', architecture: undefined, files: [model().files[0]!] }),
        model({ id: 'seg-arch', kind: 'segmentation', files: [model().files[0]!] }),
        model({ id: 'vad-seg', kind: 'segmentation', runtime: 'silero', architecture: undefined }),
        model({ id: 'punct', kind: 'punctuation', architecture: undefined, files: [model().files[0]!] }),
        model({ id: 'punct-sphinx', kind: 'punctuation', runtime: 'sphinx', architecture: undefined }),
        model({
          id: 'emb-no-model',
          kind: 'speaker-embedding',
          architecture: undefined,
          files: [model().files[1]!],
        }),
      ],
    });
    const where = `EARSHOT_MODELS_CATALOG (${file})`;
    assert.deepEqual(
      problemsOf(() => loadCatalog(file)).sort(),
      [
        `${where}: models[1].architecture (model "seg-arch"): only sherpa asr models have one`,
        `${where}: models[2].kind (model "vad-seg"): runtime "silero" runs vad models`,
        `${where}: models[4].kind (model "punct-sphinx"): runtime "sphinx" runs asr models`,
        `${where}: models[5].files (model "emb-no-model"): missing file role(s): model`,
      ].sort(),
    );
  });

  test('duplicate ids in one file are an error', () => {
    const file = writeCatalog({ models: [model(), model()] });
    assert.deepEqual(
      problemsOf(() => loadCatalog(file)),
      [`EARSHOT_MODELS_CATALOG (${file}): models[1].id: duplicate id "custom-ctc"`],
    );
  });

  test('a system model must list absolute paths; a non-system one relative names', () => {
    const system = model({
      id: 'sys',
      runtime: 'sphinx',
      architecture: undefined,
      systemPackage: 'pkg',
      files: [
        { name: 'relative/am', role: 'acoustic-model', url: 'https://example.com' },
        { name: '/abs/lm', role: 'language-model', url: 'https://example.com' },
        { name: '/abs/dict', role: 'dictionary', url: 'https://example.com' },
      ],
    });
    const file = writeCatalog({ models: [system] });
    assert.deepEqual(
      problemsOf(() => loadCatalog(file)),
      [
        `EARSHOT_MODELS_CATALOG (${file}): models[0].files[0].name (model "sys"): a system model lists absolute paths`,
      ],
    );
  });

  test('unreadable or non-JSON files say so', () => {
    const missing = path.join(tmp, 'nope.json');
    const [unreadable] = problemsOf(() => loadCatalog(missing));
    assert.match(unreadable ?? '', /^EARSHOT_MODELS_CATALOG \(.*nope\.json\): cannot read: ENOENT/);
    const [bad] = problemsOf(() => loadCatalog(writeCatalog('{"models": [')));
    assert.match(bad ?? '', /: not valid JSON: /);
    const [shape] = problemsOf(() => loadCatalog(writeCatalog({ model: [] })));
    assert.match(shape ?? '', /: models: /);
  });
});

test('mergeCatalogs keeps order and replaces whole entries', () => {
  const a = model({ id: 'a' });
  const b = model({ id: 'b' });
  const b2 = model({ id: 'b', description: 'replaced', files: [model().files[0]!, model().files[1]!] });
  const c = model({ id: 'c' });
  assert.deepEqual(
    mergeCatalogs([a, b], [c, b2]).map((m) => [m.id, m.description]),
    [
      ['a', 'test'],
      ['b', 'replaced'],
      ['c', 'test'],
    ],
  );
});

test('requiredRoles by runtime and architecture', () => {
  assert.deepEqual(requiredRoles({ runtime: 'silero' }), ['model']);
  assert.deepEqual(requiredRoles({ runtime: 'sherpa', kind: 'segmentation' }), ['model']);
  assert.deepEqual(requiredRoles({ runtime: 'sherpa', kind: 'speaker-embedding' }), ['model']);
  assert.deepEqual(requiredRoles({ runtime: 'sherpa', kind: 'punctuation' }), ['model']);
  assert.deepEqual(requiredRoles({ runtime: 'sphinx' }), ['acoustic-model', 'language-model', 'dictionary']);
  assert.deepEqual(requiredRoles({ runtime: 'sherpa', architecture: 'moonshine' }), [
    'preprocessor',
    'encoder',
    'uncached-decoder',
    'cached-decoder',
    'tokens',
  ]);
  assert.deepEqual(requiredRoles({ runtime: 'sherpa', architecture: 'transducer' }), [
    'encoder',
    'decoder',
    'joiner',
    'tokens',
  ]);
});
