import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import {
  type AudioSource,
  defaultTranscriptionRequest,
  type TranscriptionRequest,
} from '../../../domain/transcription-request.js';
import type { ParamNames } from '../../../models/model-selection.js';
import { intelligenceFields, parseIntelligenceParams } from './intelligence-params.js';

/** How AssemblyAI names the canonical fields, for error messages. */
export const ASSEMBLYAI_PARAM_NAMES: ParamNames = {
  speechModels: 'speech_model',
  languageCode: 'language_code',
  languageDetection: 'language_detection',
  keyterms: 'keyterms_prompt',
  llmFeatures: { translation: 'speech_understanding', summaryStyle: 'summary_model' },
};

/**
 * Parameters of AssemblyAI's `POST /v2/transcript` that this server does not implement yet. Sent
 * with their off value (false, null, empty) they are harmless; anything else is a 400 naming them.
 */
const NOT_YET_SUPPORTED = [
  'custom_topics',
  'topics',
  'keyterms_prompt_options',
  'language_codes',
  'language_confidence_threshold',
  'language_detection_options',
  'prompt',
  'redact_pii_return_unredacted',
  'temperature',
  'remove_audio_tags',
  'domain',
  'speed_boost',
  'throttled',
] as const;

/** The most speakers a caller may ask for; far beyond what diarization tells apart reliably. */
const MAX_SPEAKERS = 32;

const isOff = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === false ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

const supported = z
  .object({
    audio_url: z.string().min(1),
    audio_start_from: z.number().int().nonnegative().nullish(),
    audio_end_at: z.number().int().positive().nullish(),
    language_code: z
      .string()
      .regex(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,4})?$/, 'must be a language code such as en or en_us')
      .nullish(),
    language_detection: z.boolean().nullish(),
    punctuate: z.boolean().nullish(),
    format_text: z.boolean().nullish(),
    custom_spelling: z
      .array(z.object({ from: z.array(z.string().min(1)).min(1), to: z.string() }).strict())
      .nullish(),
    keyterms_prompt: z.array(z.string().min(1)).nullish(),
    word_boost: z.array(z.string().min(1)).nullish(),
    boost_param: z.enum(['low', 'default', 'high']).nullish(),
    webhook_url: z.string().nullish(),
    webhook_auth_header_name: z.string().min(1).nullish(),
    webhook_auth_header_value: z.string().nullish(),
    speech_model: z.string().min(1).nullish(),
    speech_models: z.array(z.string().min(1)).nullish(),
    speech_threshold: z.number().min(0).max(1).nullish(),
    speaker_labels: z.boolean().nullish(),
    speakers_expected: z.number().int().min(1).max(MAX_SPEAKERS).nullish(),
    speaker_options: z
      .object({
        min_speakers_expected: z.number().int().min(1).max(MAX_SPEAKERS).nullish(),
        max_speakers_expected: z.number().int().min(1).max(MAX_SPEAKERS).nullish(),
      })
      .strict()
      .nullish(),
    multichannel: z.boolean().nullish(),
    dual_channel: z.boolean().nullish(),
    ...intelligenceFields,
  })
  .loose();

type SupportedParams = z.infer<typeof supported>;

export interface ParsedTranscriptParams {
  request: TranscriptionRequest;
  /** The names this caller used, so errors about them name what was sent. */
  paramNames: ParamNames;
  /** The parameters to echo on the transcript (secrets removed). */
  echo: Record<string, unknown>;
}

/** Decides whether an `audio_url` is one of our own upload URLs; returns the upload id if so. */
export type OwnUploadResolver = (audioUrl: string) => string | undefined;

function firstIssue(error: z.ZodError): EarshotError {
  const issue = error.issues[0];
  const param = issue?.path.join('.') || 'body';
  const message =
    issue?.code === 'invalid_type'
      ? `${param} has the wrong type: ${issue.message}`
      : `${param}: ${issue?.message}`;
  return new EarshotError('badRequest', message, { param: String(issue?.path[0] ?? 'body') });
}

function parseWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EarshotError('badRequest', 'webhook_url is not a valid URL', { param: 'webhook_url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EarshotError('badRequest', 'webhook_url must be an http or https URL', {
      param: 'webhook_url',
    });
  }
  return url.toString();
}

function parseAudioSource(raw: string, ownUpload: OwnUploadResolver): AudioSource {
  const uploadId = ownUpload(raw);
  if (uploadId) return { kind: 'upload', uploadId };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EarshotError('badRequest', 'audio_url is not a valid URL', { param: 'audio_url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EarshotError('badRequest', `audio_url must be an http or https URL, not ${url.protocol}`, {
      param: 'audio_url',
    });
  }
  return { kind: 'url', url: url.toString() };
}

/**
 * AssemblyAI's transcript parameters → the canonical request. Unknown parameters and ones not
 * implemented yet are refused by name; nothing is silently ignored.
 */
export function parseTranscriptParams(body: unknown, ownUpload: OwnUploadResolver): ParsedTranscriptParams {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EarshotError('badRequest', 'The request body must be a JSON object with audio_url', {
      param: 'body',
    });
  }
  const raw = body as Record<string, unknown>;
  const known = new Set<string>([...Object.keys(supported.shape), ...NOT_YET_SUPPORTED]);
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new EarshotError(
      'unsupportedParameter',
      `Unknown parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
      {
        param: unknown[0],
      },
    );
  }
  const refused = NOT_YET_SUPPORTED.filter((key) => !isOff(raw[key]));
  if (refused.length > 0) {
    throw new EarshotError(
      'unsupportedParameter',
      `Not supported by this server yet: ${refused.join(', ')}. Remove ${refused.length > 1 ? 'them' : 'it'} or set ${refused.length > 1 ? 'them' : 'it'} to false/null.`,
      { param: refused[0] },
    );
  }
  if (raw.audio_url === undefined || raw.audio_url === null) {
    throw new EarshotError('badRequest', 'audio_url is required', { param: 'audio_url' });
  }
  const parsed = supported.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error);
  const p: SupportedParams = parsed.data;

  if (p.audio_end_at != null && p.audio_end_at <= (p.audio_start_from ?? 0)) {
    throw new EarshotError('badRequest', 'audio_end_at must be greater than audio_start_from', {
      param: 'audio_end_at',
    });
  }
  if (p.speech_model && p.speech_models?.length) {
    throw new EarshotError('badRequest', 'Use either speech_model or speech_models, not both', {
      param: 'speech_models',
    });
  }
  if ((p.webhook_auth_header_name == null) !== (p.webhook_auth_header_value == null)) {
    throw new EarshotError(
      'badRequest',
      'webhook_auth_header_name and webhook_auth_header_value must be given together',
      { param: 'webhook_auth_header_name' },
    );
  }
  if (p.webhook_auth_header_name && !p.webhook_url) {
    throw new EarshotError('badRequest', 'webhook_auth_header_name needs a webhook_url', {
      param: 'webhook_url',
    });
  }

  const min = p.speaker_options?.min_speakers_expected ?? undefined;
  const max = p.speaker_options?.max_speakers_expected ?? undefined;
  if ((p.speakers_expected != null || p.speaker_options != null) && !p.speaker_labels) {
    throw new EarshotError('badRequest', 'speakers_expected and speaker_options need speaker_labels: true', {
      param: p.speakers_expected != null ? 'speakers_expected' : 'speaker_options',
    });
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new EarshotError(
      'badRequest',
      'speaker_options.min_speakers_expected is greater than max_speakers_expected',
      {
        param: 'speaker_options',
      },
    );
  }
  if (p.speakers_expected != null && p.speaker_options != null) {
    throw new EarshotError('badRequest', 'Use either speakers_expected or speaker_options, not both', {
      param: 'speaker_options',
    });
  }

  const request = defaultTranscriptionRequest(parseAudioSource(p.audio_url, ownUpload));
  // dual_channel is AssemblyAI's older name for multichannel.
  request.multichannel = Boolean(p.multichannel ?? p.dual_channel);
  if (p.speaker_labels) {
    request.diarization = {
      ...(p.speakers_expected != null && { speakersExpected: p.speakers_expected }),
      ...(min !== undefined && { minSpeakers: min }),
      ...(max !== undefined && { maxSpeakers: max }),
    };
  }
  if (p.audio_start_from != null) request.audioStartMs = p.audio_start_from;
  if (p.audio_end_at != null) request.audioEndMs = p.audio_end_at;
  if (p.language_code) request.languageCode = p.language_code.toLowerCase();
  request.languageDetection = p.language_detection ?? false;
  request.punctuate = p.punctuate ?? true;
  request.formatText = p.format_text ?? true;
  request.customSpelling = (p.custom_spelling ?? []).map((rule) => ({ from: rule.from, to: rule.to }));
  request.keyterms = [...(p.keyterms_prompt ?? []), ...(p.word_boost ?? [])];
  if (p.boost_param) request.hintBoost = p.boost_param;
  if (p.speech_threshold != null) request.minSpeechFraction = p.speech_threshold;
  request.speechModels = p.speech_models ?? (p.speech_model ? [p.speech_model] : []);
  if (p.webhook_url) {
    request.webhook = {
      url: parseWebhookUrl(p.webhook_url),
      ...(p.webhook_auth_header_name &&
        p.webhook_auth_header_value != null && {
          authHeader: { name: p.webhook_auth_header_name, value: p.webhook_auth_header_value },
        }),
    };
  }

  const analyses = parseIntelligenceParams(p);
  if (analyses.intelligence) request.intelligence = analyses.intelligence;
  if (analyses.textFilters) request.textFilters = analyses.textFilters;

  const paramNames: ParamNames = {
    ...ASSEMBLYAI_PARAM_NAMES,
    speechModels: p.speech_models?.length ? 'speech_models' : 'speech_model',
    keyterms: p.word_boost?.length ? 'word_boost' : 'keyterms_prompt',
  };
  const { webhook_auth_header_value: _secret, ...echo } = raw;
  return { request, paramNames, echo };
}

/** The body schema and the refused-unless-off names, for the OpenAPI document (src/api/openapi). */
export { supported as transcriptParamsSchema, NOT_YET_SUPPORTED as ASSEMBLYAI_NOT_YET_SUPPORTED };
