import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../domain/errors.js';
import type { CatalogModel } from './catalog.types.js';
import { type ModelInventory, selectAsrModel } from './model-selection.js';

function model(id: string, overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id,
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'whisper',
    description: id,
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 1,
    license: 'MIT',
    homepage: 'https://example.org',
    files: [],
    ...overrides,
  };
}

const sphinx = model('sphinx-en-us', { runtime: 'sphinx', accuracyRank: 1, punctuation: false });
const whisper = model('whisper-base', {
  languages: 'multilingual',
  languageDetection: true,
  accuracyRank: 5,
});
const parakeet = model('parakeet', { architecture: 'transducer', hints: true, accuracyRank: 8 });
const notInstalled = model('whisper-large', { languages: 'multilingual', accuracyRank: 9 });

function inventory(installed: CatalogModel[], all = [...installed, notInstalled]): ModelInventory {
  return { all: () => all, isInstalled: (id) => installed.some((m) => m.id === id) };
}

const request = (overrides: Partial<Parameters<typeof selectAsrModel>[0]> = {}) => ({
  speechModels: [],
  languageDetection: false,
  keyterms: [],
  ...overrides,
});
const auto = { engine: 'auto' as const, model: undefined };

function rejects(fn: () => unknown, pattern: RegExp, param: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EarshotError);
    assert.match(error.message, pattern);
    assert.equal(error.param, param);
    return true;
  });
}

describe('selectAsrModel', () => {
  it('picks the most accurate installed model by default and the fastest for nano', () => {
    const inv = inventory([sphinx, whisper, parakeet]);
    assert.equal(selectAsrModel(request(), inv, auto).id, 'parakeet');
    assert.equal(selectAsrModel(request({ speechModels: ['best'] }), inv, auto).id, 'parakeet');
    assert.equal(selectAsrModel(request({ speechModels: ['nano'] }), inv, auto).id, 'sphinx-en-us');
  });

  it('skips models that cannot serve the language or detection asked for', () => {
    const inv = inventory([sphinx, whisper, parakeet]);
    assert.equal(selectAsrModel(request({ languageCode: 'fr' }), inv, auto).id, 'whisper-base');
    assert.equal(selectAsrModel(request({ languageCode: 'en_us' }), inv, auto).id, 'parakeet');
    assert.equal(selectAsrModel(request({ languageDetection: true }), inv, auto).id, 'whisper-base');
    assert.equal(selectAsrModel(request({ keyterms: ['Earshot'] }), inv, auto).id, 'parakeet');
  });

  it('honours the configured runtime and default model', () => {
    const inv = inventory([sphinx, whisper, parakeet]);
    assert.equal(selectAsrModel(request(), inv, { engine: 'sphinx', model: undefined }).id, 'sphinx-en-us');
    assert.equal(
      selectAsrModel(request(), inv, { engine: 'auto', model: 'whisper-base' }).id,
      'whisper-base',
    );
  });

  it('takes the first model of speech_models that fits', () => {
    const inv = inventory([sphinx, whisper]);
    const chosen = selectAsrModel(request({ speechModels: ['whisper-large', 'sphinx-en-us'] }), inv, auto);
    assert.equal(chosen.id, 'sphinx-en-us');
  });

  it('explains each refusal and names the parameter', () => {
    const inv = inventory([sphinx]);
    rejects(
      () => selectAsrModel(request({ speechModels: ['whisper-large'] }), inv, auto),
      /model whisper-large is not installed \(run `earshot models pull whisper-large`\)/,
      'speech_models',
    );
    rejects(
      () => selectAsrModel(request({ speechModels: ['nope'] }), inv, auto),
      /"nope" is not a known model \(installed: sphinx-en-us\)/,
      'speech_models',
    );
    rejects(
      () => selectAsrModel(request({ languageCode: 'de' }), inv, auto),
      /does not transcribe language "de"/,
      'language_code',
    );
    rejects(
      () => selectAsrModel(request({ languageDetection: true }), inv, auto),
      /cannot detect the language/,
      'language_detection',
    );
    rejects(
      () => selectAsrModel(request({ keyterms: ['x'] }), inv, auto),
      /does not support keyterms/,
      'keyterms',
    );
    rejects(
      () => selectAsrModel(request({ languageDetection: true, languageCode: 'en' }), inv, auto),
      /cannot be used together/,
      'language_detection',
    );
    rejects(
      () => selectAsrModel(request(), inventory([], []), auto),
      /no speech recognition model is installed/,
      'speech_models',
    );
  });
});
