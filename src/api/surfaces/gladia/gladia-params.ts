import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import type { JobMetadata } from '../../../domain/job.js';
import {
  type AudioSource,
  type CustomSpelling,
  defaultTranscriptionRequest,
  type HintBoost,
  type TranscriptionRequest,
} from '../../../domain/transcription-request.js';
import type { ParamNames } from '../../../models/model-selection.js';
import { gladiaAddonFields, parseGladiaAddons } from './gladia-addons.js';

/** How Gladia names the canonical fields, for the errors model selection raises. */
export const GLADIA_PARAM_NAMES: ParamNames = {
  llmFeatures: { prompts: 'audio_to_llm', translation: 'translation' },
  speechModels: 'model',
  languageCode: 'language_config.languages',
  languageDetection: 'language_config.languages',
  keyterms: 'custom_vocabulary',
};

/**
 * Parameters of Gladia's `POST /v2/pre-recorded` (its OpenAPI spec and `@gladiaio/sdk` 2.1.0) that
 * this server does not implement. Sent with their off value (false, null, empty) they are harmless;
 * anything else is a 400 naming them. The deprecated language parameters are refused too: Gladia's
 * v2 clients send `language_config`.
 */
export const GLADIA_NOT_SUPPORTED = [
  'name_consistency',
  'structured_data_extraction',
  'structured_data_extraction_config',
  'display_mode',
  'punctuation_enhanced',
  'context_prompt',
  'language',
  'detect_language',
  'enable_code_switching',
  'code_switching_config',
] as const;

/** Gladia's own model names: they ask for "the default model", which here is the server's. */
const GLADIA_MODELS = new Set(['solaria-1', 'solaria-3', 'solaria-fusion']);

/** Gladia caps `custom_metadata` at 2000 characters of JSON. */
export const MAX_CUSTOM_METADATA_CHARS = 2000;

/** The subtitles options when `subtitles_config` leaves them out (Gladia's documented defaults). */
export const SUBTITLES_CONFIG_DEFAULTS = { formats: ['srt'], style: 'default' } as const;

const isOff = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === false ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

const languageCode = z
  .string()
  .regex(/^[A-Za-z]{2,3}$/, 'must be a language code such as en or fr')
  .transform((code) => code.toLowerCase());

const vocabularyEntry = z.union([
  z.string().min(1),
  z
    .object({
      value: z.string().min(1),
      intensity: z.number().min(0).max(1).optional(),
      pronunciations: z.array(z.string()).optional(),
      language: languageCode.optional(),
    })
    .strict(),
]);

const subtitlesConfig = z
  .object({
    formats: z
      .array(z.enum(['srt', 'vtt']))
      .min(1)
      .optional(),
    minimum_duration: z.number().min(0).optional(),
    maximum_duration: z.number().min(1).max(30).optional(),
    maximum_characters_per_row: z.number().int().min(1).optional(),
    maximum_rows_per_caption: z.number().int().min(1).max(5).optional(),
    style: z.enum(['default', 'compliance']).optional(),
  })
  .strict();

export type GladiaSubtitlesConfig = z.infer<typeof subtitlesConfig>;

const supported = z
  .object({
    audio_url: z.string().min(1),
    language_config: z
      .object({ languages: z.array(languageCode).optional(), code_switching: z.boolean().optional() })
      .strict()
      .nullish(),
    diarization: z.boolean().nullish(),
    diarization_config: z
      .object({
        number_of_speakers: z.number().int().min(1).optional(),
        min_speakers: z.number().int().min(0).optional(),
        max_speakers: z.number().int().min(0).optional(),
      })
      .strict()
      .nullish(),
    custom_vocabulary: z.union([z.boolean(), z.array(vocabularyEntry)]).nullish(),
    custom_vocabulary_config: z
      .object({
        vocabulary: z.array(vocabularyEntry),
        default_intensity: z.number().min(0).max(1).optional(),
      })
      .strict()
      .nullish(),
    custom_spelling: z.boolean().nullish(),
    custom_spelling_config: z
      .object({ spelling_dictionary: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)) })
      .strict()
      .nullish(),
    sentences: z.boolean().nullish(),
    subtitles: z.boolean().nullish(),
    subtitles_config: subtitlesConfig.nullish(),
    custom_metadata: z.record(z.string(), z.unknown()).nullish(),
    callback: z.boolean().nullish(),
    callback_config: z
      .object({ url: z.string().min(1), method: z.enum(['POST', 'PUT']).optional() })
      .strict()
      .nullish(),
    callback_url: z.string().min(1).nullish(),
    model: z.string().min(1).nullish(),
    ...gladiaAddonFields,
  })
  .strict();

type SupportedParams = z.infer<typeof supported>;

/** What the renderer needs to know about the file when the job is shown. */
export interface GladiaFileInfo {
  filename: string | null;
  /** The caller's `audio_url` when the audio is fetched from it (not one of our uploads). */
  source: string | null;
}

export interface ParsedGladiaParams {
  request: TranscriptionRequest;
  /** `request_params` as the job will show them: what was sent, with Gladia's defaults filled in. */
  requestParams: Record<string, unknown>;
  /** `custom_metadata`, stored with the job and filterable in lists. */
  metadata?: JobMetadata;
  paramNames: ParamNames;
}

/** Decides whether an `audio_url` is one of our own upload URLs; returns the upload id if so. */
export type OwnUploadResolver = (audioUrl: string) => string | undefined;

function firstIssue(error: z.ZodError): EarshotError {
  const issue = error.issues[0];
  const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
  const param = path.replace(/^\./, '') || 'body';
  if (issue?.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (param === 'body' ? k : `${param}.${k}`));
    return new EarshotError(
      'unsupportedParameter',
      `Unknown parameter${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`,
      { param: keys[0] },
    );
  }
  const message =
    issue?.code === 'invalid_type'
      ? `${param} has the wrong type: ${issue.message}`
      : `${param}: ${issue?.message}`;
  return new EarshotError('badRequest', message, { param: String(issue?.path[0] ?? 'body') });
}

function httpUrl(raw: string, param: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EarshotError('badRequest', `${param} is not a valid URL`, { param });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EarshotError('badRequest', `${param} must be an http or https URL, not ${url.protocol}`, {
      param,
    });
  }
  return url.toString();
}

function audioSource(raw: string, ownUpload: OwnUploadResolver): AudioSource {
  const uploadId = ownUpload(raw);
  return uploadId ? { kind: 'upload', uploadId } : { kind: 'url', url: httpUrl(raw, 'audio_url') };
}

/** The file name in a URL's path, as Gladia shows it for jobs made from an `audio_url`. */
export function filenameFromUrl(url: string): string | null {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).at(-1);
    return last ? decodeURIComponent(last) : null;
  } catch {
    return null;
  }
}

/** Gladia's vocabulary intensity (0..1) as one of the three boost levels engines take. */
function hintBoostOf(intensity: number): HintBoost {
  if (intensity <= 1 / 3) return 'low';
  return intensity >= 2 / 3 ? 'high' : 'default';
}

function vocabularyTerms(entries: readonly z.infer<typeof vocabularyEntry>[], param: string): string[] {
  return entries.map((entry, i) => {
    if (typeof entry === 'string') return entry;
    // Engines take one boost level for all terms and no pronunciation or language per term: a
    // per-term setting could not be honoured, so it is refused rather than dropped.
    for (const key of ['intensity', 'pronunciations', 'language'] as const) {
      if (!isOff(entry[key])) {
        const name = `${param}[${i}].${key}`;
        throw new EarshotError(
          'unsupportedParameter',
          `${name} is not supported: this server boosts every term alike (use default_intensity)`,
          { param: name },
        );
      }
    }
    return entry.value;
  });
}

function spellingRules(dictionary: Record<string, string[]>): CustomSpelling[] {
  return Object.entries(dictionary).map(([to, from]) => ({ from, to }));
}

function requireTogether(on: boolean | null | undefined, config: unknown, flag: string, configName: string) {
  if (on && isOff(config)) {
    throw new EarshotError('badRequest', `${flag} is true but ${configName} is missing`, {
      param: configName,
    });
  }
}

function checkSubtitles(config: GladiaSubtitlesConfig | null | undefined): void {
  if (config?.minimum_duration !== undefined && config.maximum_duration !== undefined) {
    if (config.minimum_duration > config.maximum_duration) {
      throw new EarshotError(
        'badRequest',
        'subtitles_config.minimum_duration must not be greater than maximum_duration',
        { param: 'subtitles_config.minimum_duration' },
      );
    }
  }
}

function checkDiarization(config: SupportedParams['diarization_config']): void {
  if (config?.min_speakers !== undefined && config.max_speakers !== undefined) {
    if (config.min_speakers > config.max_speakers) {
      throw new EarshotError(
        'badRequest',
        'diarization_config.min_speakers must not be greater than max_speakers',
        { param: 'diarization_config.min_speakers' },
      );
    }
  }
}

/**
 * Gladia's pre-recorded parameters → the canonical request. Unknown parameters and ones this server
 * does not implement are refused by name; nothing is silently ignored. As in Gladia's API, a
 * `*_config` is read only when its feature is switched on.
 */
export function parseGladiaParams(body: unknown, ownUpload: OwnUploadResolver): ParsedGladiaParams {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EarshotError('badRequest', 'The request body must be a JSON object with audio_url', {
      param: 'body',
    });
  }
  const raw = body as Record<string, unknown>;
  const known = new Set<string>([...Object.keys(supported.shape), ...GLADIA_NOT_SUPPORTED]);
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new EarshotError(
      'unsupportedParameter',
      `Unknown parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
      { param: unknown[0] },
    );
  }
  const refused = GLADIA_NOT_SUPPORTED.filter((key) => !isOff(raw[key]));
  if (refused.length > 0) {
    const them = refused.length > 1 ? 'them' : 'it';
    throw new EarshotError(
      'unsupportedParameter',
      `Not supported by this server: ${refused.join(', ')}. Remove ${them} or set ${them} to false/null.`,
      { param: refused[0] },
    );
  }
  if (raw.audio_url === undefined || raw.audio_url === null) {
    throw new EarshotError('badRequest', 'audio_url is required', { param: 'audio_url' });
  }
  const supportedOnly = Object.fromEntries(
    Object.entries(raw).filter(([key]) => key in supported.shape),
  ) as Record<string, unknown>;
  const parsed = supported.safeParse(supportedOnly);
  if (!parsed.success) throw firstIssue(parsed.error);
  const p: SupportedParams = parsed.data;

  const request = defaultTranscriptionRequest(audioSource(p.audio_url, ownUpload));

  // Languages: one is used as it is; several are the candidates detection may choose from; none
  // leaves the model's own language (detection is asked for only where Gladia's caller named the
  // candidates, since not every installed model can detect).
  const languages = [...new Set(p.language_config?.languages ?? [])];
  if (languages.length === 1) {
    request.languageCode = languages[0]!;
  } else {
    if (languages.length > 1) {
      request.languageDetection = true;
      request.languageCandidates = languages;
    }
    // Gladia ignores code_switching when exactly one language is set.
    if (p.language_config?.code_switching) {
      request.codeSwitching = true;
      request.languageDetection = true;
    }
  }

  if (p.diarization) {
    checkDiarization(p.diarization_config);
    const c = p.diarization_config;
    request.diarization = {
      ...(c?.number_of_speakers !== undefined && { speakersExpected: c.number_of_speakers }),
      ...(c?.min_speakers !== undefined && { minSpeakers: c.min_speakers }),
      ...(c?.max_speakers !== undefined && { maxSpeakers: c.max_speakers }),
    };
  }

  if (Array.isArray(p.custom_vocabulary)) {
    request.keyterms = vocabularyTerms(p.custom_vocabulary, 'custom_vocabulary');
  } else if (p.custom_vocabulary) {
    requireTogether(true, p.custom_vocabulary_config, 'custom_vocabulary', 'custom_vocabulary_config');
    const config = p.custom_vocabulary_config!;
    request.keyterms = vocabularyTerms(config.vocabulary, 'custom_vocabulary_config.vocabulary');
    if (config.default_intensity !== undefined) request.hintBoost = hintBoostOf(config.default_intensity);
  }

  if (p.custom_spelling) {
    requireTogether(true, p.custom_spelling_config, 'custom_spelling', 'custom_spelling_config');
    request.customSpelling = spellingRules(p.custom_spelling_config!.spelling_dictionary);
  }

  if (p.subtitles) checkSubtitles(p.subtitles_config);

  if (p.callback && p.callback_url) {
    throw new EarshotError('badRequest', 'Use either callback_config or the deprecated callback_url', {
      param: 'callback_url',
    });
  }
  if (p.callback) {
    requireTogether(true, p.callback_config, 'callback', 'callback_config');
    const config = p.callback_config!;
    request.webhook = {
      url: httpUrl(config.url, 'callback_config.url'),
      ...(config.method === 'PUT' && { method: 'PUT' as const }),
    };
  } else if (p.callback_url) {
    request.webhook = { url: httpUrl(p.callback_url, 'callback_url') };
  }

  if (p.model && !GLADIA_MODELS.has(p.model)) request.speechModels = [p.model];

  const intelligence = parseGladiaAddons(p);
  if (intelligence) request.intelligence = intelligence;

  let metadata: JobMetadata | undefined;
  if (p.custom_metadata) {
    if (JSON.stringify(p.custom_metadata).length > MAX_CUSTOM_METADATA_CHARS) {
      throw new EarshotError(
        'badRequest',
        `custom_metadata cannot be longer than ${MAX_CUSTOM_METADATA_CHARS} characters when stringified`,
        { param: 'custom_metadata' },
      );
    }
    metadata = p.custom_metadata;
  }

  return {
    request,
    requestParams: requestParamsEcho(p, raw),
    ...(metadata && { metadata }),
    paramNames: GLADIA_PARAM_NAMES,
  };
}

/** Gladia's `request_params`: every option with its default, overlaid with what the caller sent. */
function requestParamsEcho(p: SupportedParams, raw: Record<string, unknown>): Record<string, unknown> {
  const echo: Record<string, unknown> = {
    custom_vocabulary: false,
    callback: false,
    subtitles: false,
    diarization: false,
    translation: false,
    summarization: false,
    moderation: false,
    named_entity_recognition: false,
    chapterization: false,
    name_consistency: false,
    custom_spelling: false,
    structured_data_extraction: false,
    sentiment_analysis: false,
    audio_to_llm: false,
    sentences: false,
    display_mode: false,
    punctuation_enhanced: false,
    language_config: { languages: [], code_switching: false },
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'custom_metadata' && value !== undefined && value !== null) echo[key] = value;
  }
  if (p.language_config) {
    echo.language_config = {
      languages: p.language_config.languages ?? [],
      code_switching: p.language_config.code_switching ?? false,
    };
  }
  if (p.subtitles) echo.subtitles_config = { ...SUBTITLES_CONFIG_DEFAULTS, ...p.subtitles_config };
  if (p.callback_config) echo.callback_config = { method: 'POST', ...p.callback_config };
  echo.audio_url = p.audio_url;
  return echo;
}

/** The body schema, for the OpenAPI document (src/api/openapi). */
export { supported as gladiaParamsSchema };
