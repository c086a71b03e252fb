import { EarshotError } from '../../../domain/errors.js';
import {
  type AudioSource,
  defaultTranscriptionRequest,
  type TranscriptionRequest,
} from '../../../domain/transcription-request.js';
import type { ParamNames } from '../../../models/model-selection.js';
import type { FormFields } from '../../multipart-form.js';
import { speechModelsFor } from './openai-models.js';

/** `POST /v1/audio/transcriptions` or `POST /v1/audio/translations`. */
export type AudioEndpoint = 'transcriptions' | 'translations';

export const RESPONSE_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json', 'diarized_json'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

/** How OpenAI names the canonical fields, so refusals from model selection name what was sent. */
export const OPENAI_PARAM_NAMES: ParamNames = {
  speechModels: 'model',
  languageCode: 'language',
  // OpenAI detects the language when `language` is left out; there is no separate switch.
  languageDetection: 'language',
  keyterms: 'prompt',
};

export interface AudioParams {
  request: TranscriptionRequest;
  responseFormat: ResponseFormat;
  /** verbose_json: include `words` (granularity `word`). */
  words: boolean;
  /** verbose_json: include `segments` (granularity `segment`, or none given). */
  segments: boolean;
  /** Answer with server-sent events as the transcript grows. */
  stream: boolean;
  /** The parameters as sent, to keep with the job. */
  echo: Record<string, unknown>;
}

/** Every parameter, by its logical name; `[]`-suffixed and bracketed form names map onto these. */
const TRANSCRIPTION_PARAMS = [
  'model',
  'language',
  'prompt',
  'temperature',
  'response_format',
  'timestamp_granularities',
  'include',
  'chunking_strategy',
  'stream',
  'known_speaker_names',
  'known_speaker_references',
] as const;
/** The openai SDK's `TranslationCreateParams`: no language, granularities, include or stream. */
const TRANSLATION_PARAMS = ['model', 'prompt', 'temperature', 'response_format'] as const;
type ParamName = (typeof TRANSCRIPTION_PARAMS)[number];

/** Parameters that repeat: the SDK sends each element as `name[]`. */
const LIST_PARAMS: ReadonlySet<ParamName> = new Set([
  'timestamp_granularities',
  'include',
  'known_speaker_names',
  'known_speaker_references',
]);

const VAD_TUNING = ['prefix_padding_ms', 'silence_duration_ms', 'threshold'] as const;

const bad = (param: string, message: string): EarshotError =>
  new EarshotError('badRequest', message, { param });
const unsupported = (param: string, message: string): EarshotError =>
  new EarshotError('unsupportedParameter', message, { param });

/** `include[]` → include; `chunking_strategy[type]` → chunking_strategy (key `type`). */
function logicalName(formName: string): { name: string; key?: string; list: boolean } {
  const bracket = /^([^[\]]+)\[([^[\]]*)\]$/.exec(formName);
  if (!bracket) return { name: formName, list: false };
  const [, name = '', key = ''] = bracket;
  return key === '' ? { name, list: true } : { name, key, list: false };
}

interface CollectedParams {
  scalars: Map<string, string>;
  lists: Map<string, string[]>;
  /** `chunking_strategy[...]` fields by key. */
  chunking: Map<string, string>;
}

function collect(fields: FormFields, endpoint: AudioEndpoint): CollectedParams {
  const allowed: readonly string[] = endpoint === 'translations' ? TRANSLATION_PARAMS : TRANSCRIPTION_PARAMS;
  const collected: CollectedParams = { scalars: new Map(), lists: new Map(), chunking: new Map() };
  const unknown: string[] = [];
  for (const [formName, values] of fields) {
    if (formName === 'file') throw bad('file', 'file must be sent as a file, not as a text field');
    const { name, key, list } = logicalName(formName);
    if (!allowed.includes(name)) {
      unknown.push(formName);
      continue;
    }
    if (LIST_PARAMS.has(name as ParamName)) {
      // A list may come as `name[]` (the SDK) or as a repeated plain `name`.
      if (key !== undefined) throw bad(name, `${formName}: ${name} is a list; send it as ${name}[]`);
      collected.lists.set(name, [...(collected.lists.get(name) ?? []), ...values]);
      continue;
    }
    if (list) throw bad(name, `${name} takes one value, not a list`);
    if (values.length > 1 || (key === undefined ? collected.scalars : collected.chunking).has(key ?? name)) {
      throw bad(name, `${formName} was given more than once`);
    }
    if (key !== undefined) {
      if (name !== 'chunking_strategy') throw bad(name, `${name} takes one value, not ${formName}`);
      collected.chunking.set(key, values[0] ?? '');
    } else {
      collected.scalars.set(name, values[0] ?? '');
    }
  }
  if (unknown.length > 0) {
    const where = endpoint === 'translations' ? ' for /v1/audio/translations' : '';
    throw unsupported(
      unknown[0] ?? '',
      `Unknown parameter${unknown.length > 1 ? 's' : ''}${where}: ${unknown.join(', ')}`,
    );
  }
  return collected;
}

function parseResponseFormat(raw: string | undefined, endpoint: AudioEndpoint): ResponseFormat {
  if (raw === undefined || raw === '') return 'json';
  const allowed: readonly string[] =
    endpoint === 'translations' ? RESPONSE_FORMATS.filter((f) => f !== 'diarized_json') : RESPONSE_FORMATS;
  if (!allowed.includes(raw)) {
    throw bad('response_format', `response_format must be one of ${allowed.join(', ')}; got "${raw}"`);
  }
  return raw as ResponseFormat;
}

/** Our decoding is greedy (deterministic); only temperature 0 describes it. */
function checkTemperature(raw: string | undefined): void {
  if (raw === undefined || raw.trim() === '') return;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw bad('temperature', `temperature must be a number between 0 and 1; got "${raw}"`);
  }
  if (value !== 0) {
    throw unsupported(
      'temperature',
      `temperature ${raw} is not supported: this server decodes greedily (temperature 0). Send 0 or leave it out.`,
    );
  }
}

function parseBoolean(param: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw bad(param, `${param} must be true or false; got "${raw}"`);
}

/**
 * `chunking_strategy`: `auto` is what the pipeline always does (voice activity detection picks the
 * boundaries), and so is `server_vad` without tuning. Tuning the detector per request is not
 * supported, and neither is any other strategy.
 */
function checkChunking(scalar: string | undefined, keyed: ReadonlyMap<string, string>): void {
  if (scalar !== undefined && keyed.size > 0) {
    throw bad('chunking_strategy', 'chunking_strategy was given both as a value and as fields');
  }
  if (scalar !== undefined) {
    if (scalar === 'auto' || scalar === '') return;
    throw bad(
      'chunking_strategy',
      `chunking_strategy must be "auto" or a server_vad object; got "${scalar}"`,
    );
  }
  if (keyed.size === 0) return;
  const type = keyed.get('type');
  if (type !== 'server_vad') {
    throw bad('chunking_strategy', `chunking_strategy[type] must be server_vad; got "${type ?? ''}"`);
  }
  const others = [...keyed.keys()].filter((k) => k !== 'type');
  const unknown = others.filter((k) => !(VAD_TUNING as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw unsupported(
      'chunking_strategy',
      `Unknown chunking_strategy field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
    );
  }
  if (others.length > 0) {
    throw unsupported(
      'chunking_strategy',
      `${others.map((k) => `chunking_strategy[${k}]`).join(', ')} ${others.length > 1 ? 'are' : 'is'} not supported: voice activity detection ` +
        'here is not tuned per request. Use chunking_strategy=auto.',
    );
  }
}

/** OpenAI's prompt guides vocabulary; it is honoured as key terms, which only some models take. */
function keytermsFromPrompt(prompt: string | undefined): string[] {
  if (prompt === undefined) return [];
  return prompt
    .split(/[,;\n]/)
    .map((term) => term.trim())
    .filter(Boolean);
}

/**
 * OpenAI's audio form fields → the canonical request plus how to answer. Unknown fields, and
 * options this server cannot honour, are refused by name; nothing is silently ignored. Whether a
 * model can serve the request (translation, key terms, the language) is model selection's call,
 * made when the job is submitted.
 */
export function parseAudioParams(
  fields: FormFields,
  endpoint: AudioEndpoint,
  audio: AudioSource,
): AudioParams {
  const { scalars, lists, chunking } = collect(fields, endpoint);

  const model = scalars.get('model')?.trim();
  if (!model) throw bad('model', 'model is required (for example whisper-1)');

  const responseFormat = parseResponseFormat(scalars.get('response_format'), endpoint);
  checkTemperature(scalars.get('temperature'));
  checkChunking(scalars.get('chunking_strategy'), chunking);

  const include = lists.get('include') ?? [];
  if (include.length > 0) {
    const values = [...new Set(include)];
    throw unsupported(
      'include',
      values.includes('logprobs')
        ? 'include[]=logprobs is not supported: the engines here do not report token log probabilities'
        : `include[] may only hold logprobs, which is not supported either; got ${values.join(', ')}`,
    );
  }
  for (const name of ['known_speaker_names', 'known_speaker_references'] as const) {
    if ((lists.get(name)?.length ?? 0) > 0) {
      throw unsupported(name, `${name}[] is not supported: speakers are not matched to reference recordings`);
    }
  }

  const granularities = lists.get('timestamp_granularities') ?? [];
  const invalid = granularities.filter((g) => g !== 'word' && g !== 'segment');
  if (invalid.length > 0) {
    throw bad(
      'timestamp_granularities',
      `timestamp_granularities[] may hold word and segment; got ${invalid.join(', ')}`,
    );
  }
  if (granularities.length > 0 && responseFormat !== 'verbose_json') {
    throw bad(
      'timestamp_granularities',
      'timestamp_granularities[] needs response_format=verbose_json (the other formats carry no timestamps)',
    );
  }

  const stream = parseBoolean('stream', scalars.get('stream'));
  if (stream && responseFormat !== 'json' && responseFormat !== 'text') {
    throw unsupported('stream', `stream=true works with response_format json or text, not ${responseFormat}`);
  }

  const request = defaultTranscriptionRequest(audio);
  request.task = endpoint === 'translations' ? 'translate' : 'transcribe';
  request.speechModels = speechModelsFor(model);
  const language = scalars.get('language')?.trim();
  if (language) {
    if (!/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,4})?$/.test(language)) {
      throw bad('language', `language must be an ISO-639-1 code such as en; got "${language}"`);
    }
    request.languageCode = language.toLowerCase();
  }
  request.keyterms = keytermsFromPrompt(scalars.get('prompt'));
  if (responseFormat === 'diarized_json') request.diarization = {};

  const echo: Record<string, unknown> = Object.fromEntries(scalars);
  for (const [name, values] of lists) echo[name] = values;
  if (chunking.size > 0) echo.chunking_strategy = Object.fromEntries(chunking);

  return {
    request,
    responseFormat,
    words: granularities.includes('word'),
    segments: granularities.length === 0 || granularities.includes('segment'),
    stream,
    echo,
  };
}
