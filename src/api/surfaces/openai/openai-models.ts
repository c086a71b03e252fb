import type { CatalogModel } from '../../../models/catalog.types.js';
import {
  type ModelInventory,
  type SelectionDefaults,
  selectAsrModel,
} from '../../../models/model-selection.js';

/**
 * OpenAI's model names and what each means here: `null` is the server's default model
 * (`EARSHOT_ASR_MODEL`, else the most accurate installed one), `nano` the fastest installed one.
 * Every OpenAI client sends one of these names, so the operator's choice of default must apply.
 */
export const OPENAI_MODEL_NAMES: Readonly<Record<string, 'nano' | null>> = {
  'whisper-1': null,
  'gpt-4o-transcribe': null,
  'gpt-4o-transcribe-diarize': null,
  'gpt-4o-mini-transcribe': 'nano',
  'gpt-4o-mini-transcribe-2025-12-15': 'nano',
};

/** Our own aliases, listed beside the OpenAI names. */
const OWN_ALIASES = ['best', 'nano'] as const;

/**
 * The canonical `speechModels` for a `model` form value: OpenAI names become aliases; anything
 * else (a catalog id, `best`, `nano`) is passed on, and model selection refuses what it does not know.
 */
export function speechModelsFor(model: string): string[] {
  if (Object.hasOwn(OPENAI_MODEL_NAMES, model)) {
    const alias = OPENAI_MODEL_NAMES[model];
    return alias ? [alias] : [];
  }
  return [model];
}

/** One entry of `GET /v1/models`: OpenAI's model object plus what the name runs on here. */
export interface OpenAiModel {
  id: string;
  object: 'model';
  /** Unix seconds: when the model's files were installed. */
  created: number;
  owned_by: string;
  /** The installed catalog model this name runs on now (itself for a catalog model). */
  root: string;
  description: string;
}

export interface ModelListDeps {
  inventory: ModelInventory;
  defaults: SelectionDefaults;
  /** When a model was installed (ms since the epoch), when known. */
  installedAt(model: CatalogModel): number | undefined;
}

/** What a name resolves to for a plain transcription request, or undefined when nothing fits. */
function resolve(name: string, deps: ModelListDeps): CatalogModel | undefined {
  try {
    return selectAsrModel(
      { speechModels: speechModelsFor(name), languageDetection: false, keyterms: [] },
      deps.inventory,
      deps.defaults,
    );
  } catch {
    return undefined;
  }
}

function entry(id: string, model: CatalogModel, description: string, deps: ModelListDeps): OpenAiModel {
  const installed = deps.installedAt(model);
  return {
    id,
    object: 'model',
    created: installed === undefined ? 0 : Math.floor(installed / 1000),
    owned_by: 'earshot',
    root: model.id,
    description,
  };
}

/**
 * The models this server can run: every installed speech recognition model the configured engine
 * may use, then each alias (OpenAI's names, `best`, `nano`) that resolves to one of them, naming
 * it in `root`. Nothing that is not installed is listed.
 */
export function listOpenAiModels(deps: ModelListDeps): OpenAiModel[] {
  const runnable = deps.inventory
    .all()
    .filter(
      (m) =>
        m.kind === 'asr' &&
        (deps.defaults.engine === 'auto' || m.runtime === deps.defaults.engine) &&
        deps.inventory.isInstalled(m.id),
    );
  const models = runnable.map((m) => entry(m.id, m, m.description, deps));
  const aliases = [...Object.keys(OPENAI_MODEL_NAMES), ...OWN_ALIASES].flatMap((name) => {
    const target = resolve(name, deps);
    if (!target) return [];
    const [alias] = speechModelsFor(name);
    const what =
      alias === 'nano'
        ? 'the fastest installed model'
        : alias === 'best'
          ? 'the most accurate installed model'
          : "the server's default model";
    return [entry(name, target, `Alias for ${what}, now ${target.id}.`, deps)];
  });
  return [...models, ...aliases];
}

/** One model of the list by id, as `GET /v1/models/{id}` shows it. */
export function findOpenAiModel(deps: ModelListDeps, id: string): OpenAiModel | undefined {
  return listOpenAiModels(deps).find((m) => m.id === id);
}
