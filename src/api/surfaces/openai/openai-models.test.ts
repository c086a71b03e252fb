import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog } from '../../../models/catalog.js';
import type { ModelInventory } from '../../../models/model-selection.js';
import { findOpenAiModel, listOpenAiModels, type ModelListDeps, speechModelsFor } from './openai-models.js';

const catalog = loadCatalog();
const INSTALLED_AT = Date.UTC(2025, 0, 2, 3, 4, 5);

function deps(installed: string[], defaults: Partial<ModelListDeps['defaults']> = {}): ModelListDeps {
  const inventory: ModelInventory = { all: () => catalog, isInstalled: (id) => installed.includes(id) };
  return {
    inventory,
    defaults: { engine: 'auto', model: undefined, ...defaults },
    installedAt: () => INSTALLED_AT,
  };
}

describe('OpenAI model names and GET /v1/models', () => {
  it('maps OpenAI names onto the default or the fastest model', () => {
    assert.deepEqual(speechModelsFor('whisper-1'), []);
    assert.deepEqual(speechModelsFor('gpt-4o-transcribe'), []);
    assert.deepEqual(speechModelsFor('gpt-4o-mini-transcribe'), ['nano']);
    assert.deepEqual(speechModelsFor('moonshine-tiny'), ['moonshine-tiny']);
    // Not a name from Object.prototype.
    assert.deepEqual(speechModelsFor('toString'), ['toString']);
  });

  it('lists installed speech models and the aliases, each naming the model it runs on', () => {
    const list = listOpenAiModels(deps(['sphinx-en-us', 'moonshine-tiny', 'silero-vad-v6.2']));
    const ids = list.map((m) => m.id);
    // VAD models and models that are not installed are not listed.
    assert.deepEqual(ids, [
      'sphinx-en-us',
      'moonshine-tiny',
      'whisper-1',
      'gpt-4o-transcribe',
      'gpt-4o-transcribe-diarize',
      'gpt-4o-mini-transcribe',
      'gpt-4o-mini-transcribe-2025-12-15',
      'best',
      'nano',
    ]);
    const byId = new Map(list.map((m) => [m.id, m]));
    assert.deepEqual(byId.get('sphinx-en-us'), {
      id: 'sphinx-en-us',
      object: 'model',
      created: Math.floor(INSTALLED_AT / 1000),
      owned_by: 'earshot',
      root: 'sphinx-en-us',
      description: catalog.find((m) => m.id === 'sphinx-en-us')!.description,
    });
    // moonshine-tiny ranks above sphinx: the default and best; sphinx is the fastest.
    assert.equal(byId.get('whisper-1')!.root, 'moonshine-tiny');
    assert.equal(byId.get('best')!.root, 'moonshine-tiny');
    assert.equal(byId.get('gpt-4o-mini-transcribe')!.root, 'sphinx-en-us');
    assert.equal(byId.get('nano')!.root, 'sphinx-en-us');
    assert.match(byId.get('nano')!.description, /fastest installed model, now sphinx-en-us/);
  });

  it("follows the operator's default model for whisper-1", () => {
    const list = listOpenAiModels(deps(['sphinx-en-us', 'moonshine-tiny'], { model: 'sphinx-en-us' }));
    assert.equal(list.find((m) => m.id === 'whisper-1')!.root, 'sphinx-en-us');
    assert.equal(list.find((m) => m.id === 'best')!.root, 'moonshine-tiny');
  });

  it('lists nothing when nothing runnable is installed, and respects the engine setting', () => {
    assert.deepEqual(listOpenAiModels(deps([])), []);
    const sherpaOnly = listOpenAiModels(deps(['sphinx-en-us'], { engine: 'sherpa' }));
    assert.deepEqual(sherpaOnly, []);
  });

  it('finds one model by id', () => {
    const d = deps(['sphinx-en-us']);
    assert.equal(findOpenAiModel(d, 'whisper-1')?.root, 'sphinx-en-us');
    assert.equal(findOpenAiModel(d, 'moonshine-tiny'), undefined);
  });
});
