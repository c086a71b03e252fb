import type { AsrEngineSetting } from '../config/config.js';
import { EarshotError } from '../domain/errors.js';
import type { TranscriptionRequest } from '../domain/transcription-request.js';
import type { CatalogModel } from './catalog.types.js';

/** What model selection needs to know about models: the catalog and what is on disk. */
export interface ModelInventory {
  all(): readonly CatalogModel[];
  isInstalled(id: string): boolean;
}

/** How a surface names the canonical request fields, so errors name the parameter the caller sent. */
export interface ParamNames {
  speechModels: string;
  languageCode: string;
  languageDetection: string;
  keyterms: string;
  /** How the surface names the features that need an LLM. */
  llmFeatures?: Partial<Record<'prompts' | 'translation' | 'summaryStyle', string>>;
  /** How the surface names sentiment analysis (default `sentiment_analysis`). */
  sentiment?: string;
}

export const CANONICAL_PARAM_NAMES: ParamNames = {
  speechModels: 'speech_models',
  languageCode: 'language_code',
  languageDetection: 'language_detection',
  keyterms: 'keyterms',
};

/** Aliases that pick among installed models: the most accurate, or the fastest. */
const MOST_ACCURATE = new Set(['best', 'universal', 'default']);
const FASTEST = new Set(['nano']);

export interface SelectionDefaults {
  engine: AsrEngineSetting;
  model: string | undefined;
}

/** `en_us` → `en`: models declare base languages. */
export function baseLanguage(code: string): string {
  return code.toLowerCase().split(/[-_]/)[0] ?? code;
}

function speaks(model: CatalogModel, language: string): boolean {
  return model.languages === 'multilingual' || model.languages.includes(baseLanguage(language));
}

function describeModel(model: CatalogModel): string {
  const languages = model.languages === 'multilingual' ? 'multilingual' : model.languages.join(', ');
  return `${model.id} (${languages})`;
}

/**
 * Picks the ASR model for a request, or explains with a 400 why none fits. Runs when a job is
 * submitted (so the caller hears at once) and again in the worker, where it gives the same answer.
 */
export function selectAsrModel(
  request: Pick<TranscriptionRequest, 'speechModels' | 'languageCode' | 'languageDetection' | 'keyterms'> &
    Partial<Pick<TranscriptionRequest, 'task'>>,
  inventory: ModelInventory,
  defaults: SelectionDefaults,
  names: ParamNames = CANONICAL_PARAM_NAMES,
): CatalogModel {
  const asrModels = inventory
    .all()
    .filter((m) => m.kind === 'asr' && (defaults.engine === 'auto' || m.runtime === defaults.engine));
  const installed = asrModels.filter((m) => inventory.isInstalled(m.id));
  const wanted = request.speechModels.length > 0 ? request.speechModels : [defaults.model ?? 'best'];

  if (request.languageDetection && request.languageCode) {
    throw new EarshotError(
      'badRequest',
      `${names.languageDetection} and ${names.languageCode} cannot be used together: detect the language or name it`,
      { param: names.languageDetection },
    );
  }

  const fits = (model: CatalogModel): string | null => {
    if (request.languageCode && !speaks(model, request.languageCode)) {
      return `${model.id} does not transcribe language "${request.languageCode}"`;
    }
    if (request.languageDetection && !model.languageDetection) {
      return `${model.id} cannot detect the language`;
    }
    if (request.keyterms.length > 0 && !model.hints) {
      return `${model.id} does not support ${names.keyterms}`;
    }
    if (request.task === 'translate' && !model.translation) {
      return `${model.id} cannot translate speech to English`;
    }
    return null;
  };

  const problems: string[] = [];
  for (const name of wanted) {
    const alias = name.toLowerCase();
    if (MOST_ACCURATE.has(alias) || FASTEST.has(alias)) {
      const candidates = installed.filter((m) => fits(m) === null);
      if (candidates.length === 0) {
        problems.push(
          installed.length === 0
            ? 'no speech recognition model is installed (run `earshot models list`)'
            : `no installed model fits: ${installed.map((m) => fits(m) ?? describeModel(m)).join('; ')}`,
        );
        continue;
      }
      const byRank = [...candidates].sort((a, b) => b.accuracyRank - a.accuracyRank);
      return (FASTEST.has(alias) ? byRank.at(-1) : byRank[0]) as CatalogModel;
    }
    const model = asrModels.find((m) => m.id === name);
    if (!model) {
      problems.push(
        `"${name}" is not a known model (installed: ${installed.map((m) => m.id).join(', ') || 'none'})`,
      );
      continue;
    }
    if (!inventory.isInstalled(model.id)) {
      problems.push(`model ${model.id} is not installed (run \`earshot models pull ${model.id}\`)`);
      continue;
    }
    const problem = fits(model);
    if (problem) {
      problems.push(problem);
      continue;
    }
    return model;
  }

  const param =
    request.keyterms.length > 0 && problems.some((p) => p.includes(names.keyterms))
      ? names.keyterms
      : request.languageDetection && problems.some((p) => p.includes('detect'))
        ? names.languageDetection
        : request.languageCode && problems.some((p) => p.includes('language "'))
          ? names.languageCode
          : names.speechModels;
  throw new EarshotError('unsupportedParameter', `No model can serve this request: ${problems.join('; ')}`, {
    param,
  });
}

export type DiarizationEngineSetting = 'auto' | 'builtin' | 'sherpa';

/** Kinds of the two models sherpa's diarization needs. */
const SEGMENTATION_KIND = 'segmentation';
const EMBEDDING_KIND = 'speaker-embedding';

/**
 * The diarization engine for a job: sherpa (pyannote segmentation + a speaker embedding model)
 * when both are installed, otherwise the builtin engine, which needs no model files. With the
 * setting `sherpa` and models missing, a 400 says what to install.
 */
export function selectDiarizer(
  inventory: ModelInventory,
  setting: DiarizationEngineSetting,
): { engine: 'builtin' | 'sherpa'; modelIds: string[] } {
  if (setting === 'builtin') return { engine: 'builtin', modelIds: [] };
  const installedOf = (kind: string): CatalogModel | undefined =>
    [...inventory.all()]
      .filter((m) => (m.kind as string) === kind && m.runtime === 'sherpa' && inventory.isInstalled(m.id))
      .sort((a, b) => b.accuracyRank - a.accuracyRank)[0];
  const segmentation = installedOf(SEGMENTATION_KIND);
  const embedding = installedOf(EMBEDDING_KIND);
  if (segmentation && embedding) return { engine: 'sherpa', modelIds: [segmentation.id, embedding.id] };
  if (setting === 'sherpa') {
    throw new EarshotError(
      'modelMissing',
      'Speaker diarization is set to the sherpa engine, but its models are not installed: run ' +
        '`earshot models list` and pull a segmentation and a speaker-embedding model.',
    );
  }
  return { engine: 'builtin', modelIds: [] };
}

/**
 * The installed punctuation model to use for ASR models that write no punctuation: the most
 * accurate installed sherpa `punctuation` model, or undefined (then a rule-based fallback is used).
 */
export function selectPunctuationModel(inventory: ModelInventory): CatalogModel | undefined {
  return [...inventory.all()]
    .filter((m) => m.kind === 'punctuation' && m.runtime === 'sherpa' && inventory.isInstalled(m.id))
    .sort((a, b) => b.accuracyRank - a.accuracyRank)[0];
}
