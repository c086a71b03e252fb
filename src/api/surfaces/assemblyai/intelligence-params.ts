import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import {
  type IntelligenceRequest,
  PII_POLICIES,
  type PiiPolicy,
  type TextFilters,
} from '../../../domain/transcription-request.js';
import { assertAnalysesAvailable } from '../../../intelligence/addons.js';
import { SUPPORTED_PII_POLICIES } from '../../../intelligence/pii/redact.js';
import type { AddonName } from '../../../intelligence/results.js';

/** AssemblyAI's audio-intelligence parameters, as zod fields merged into the transcript schema. */
export const intelligenceFields = {
  redact_pii: z.boolean().nullish(),
  redact_pii_policies: z.array(z.string().min(1)).nullish(),
  redact_pii_sub: z.enum(['entity_name', 'hash']).nullish(),
  redact_pii_audio: z.boolean().nullish(),
  redact_pii_audio_quality: z.enum(['mp3', 'wav']).nullish(),
  redact_pii_audio_options: z
    .object({
      return_redacted_no_speech_audio: z.boolean().nullish(),
      override_audio_redaction_method: z.literal('silence').nullish(),
    })
    .strict()
    .nullish(),
  entity_detection: z.boolean().nullish(),
  sentiment_analysis: z.boolean().nullish(),
  auto_highlights: z.boolean().nullish(),
  iab_categories: z.boolean().nullish(),
  content_safety: z.boolean().nullish(),
  content_safety_confidence: z.number().int().min(25).max(100).nullish(),
  auto_chapters: z.boolean().nullish(),
  summarization: z.boolean().nullish(),
  summary_model: z.enum(['informative', 'conversational', 'catchy']).nullish(),
  summary_type: z.enum(['bullets', 'bullets_verbose', 'gist', 'headline', 'paragraph']).nullish(),
  filter_profanity: z.boolean().nullish(),
  disfluencies: z.boolean().nullish(),
  speech_understanding: z
    .object({
      request: z
        .object({
          translation: z
            .object({
              target_languages: z.array(z.string().regex(/^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/)).min(1),
              formal: z.boolean().nullish(),
              match_original_utterance: z.boolean().nullish(),
            })
            .strict(),
        })
        .strict(),
    })
    .strict()
    .nullish(),
};

type IntelligenceParams = {
  [K in keyof typeof intelligenceFields]?: z.infer<(typeof intelligenceFields)[K]>;
};

const fail = (param: string, message: string): never => {
  throw new EarshotError('badRequest', message, { param });
};

function piiPolicies(requested: readonly string[] | null | undefined): PiiPolicy[] {
  if (!requested || requested.length === 0) {
    return fail('redact_pii_policies', 'redact_pii needs redact_pii_policies: the kinds of PII to redact');
  }
  const unknown = requested.filter((p) => !(PII_POLICIES as readonly string[]).includes(p));
  if (unknown.length > 0) {
    fail('redact_pii_policies', `redact_pii_policies: unknown ${unknown.join(', ')}`);
  }
  // Valid AssemblyAI policies this server has no recognizer for: refused, never silently skipped,
  // since a caller relying on them would get that PII back unredacted.
  const unsupported = requested.filter((p) => !(SUPPORTED_PII_POLICIES as readonly string[]).includes(p));
  if (unsupported.length > 0) {
    throw new EarshotError(
      'unsupportedParameter',
      `redact_pii_policies: ${[...new Set(unsupported)].join(', ')} not supported by this server; ` +
        `supported: ${SUPPORTED_PII_POLICIES.join(', ')}`,
      { param: 'redact_pii_policies' },
    );
  }
  return [...new Set(requested)] as PiiPolicy[];
}

/** The AssemblyAI parameter that asks for each analysis, for naming it in refusals. */
const PARAM_OF_ANALYSIS: Partial<Record<AddonName, string>> = {
  redaction: 'redact_pii',
  entities: 'entity_detection',
  sentiment: 'sentiment_analysis',
  keyPhrases: 'auto_highlights',
  topics: 'iab_categories',
  contentSafety: 'content_safety',
  chapters: 'auto_chapters',
  summary: 'summarization',
  llmPrompts: 'speech_understanding',
  translation: 'speech_understanding',
};

/**
 * AssemblyAI's add-on flags → the canonical analyses and text filters. Combinations AssemblyAI
 * refuses are refused the same way; options that only tune a feature need the feature on.
 */
export function parseIntelligenceParams(p: IntelligenceParams): {
  intelligence?: IntelligenceRequest;
  textFilters: TextFilters;
} {
  if (!p.redact_pii) {
    for (const name of [
      'redact_pii_policies',
      'redact_pii_sub',
      'redact_pii_audio',
      'redact_pii_audio_quality',
    ] as const) {
      if (p[name] != null && p[name] !== false) fail(name, `${name} needs redact_pii: true`);
    }
  }
  if (!p.redact_pii_audio && (p.redact_pii_audio_quality != null || p.redact_pii_audio_options != null)) {
    fail(
      'redact_pii_audio',
      'redact_pii_audio_quality and redact_pii_audio_options need redact_pii_audio: true',
    );
  }
  if (p.content_safety_confidence != null && !p.content_safety) {
    fail('content_safety_confidence', 'content_safety_confidence needs content_safety: true');
  }
  if ((p.summary_type != null || p.summary_model != null) && !p.summarization) {
    fail(
      p.summary_type != null ? 'summary_type' : 'summary_model',
      'summary_type and summary_model need summarization: true',
    );
  }
  if (p.auto_chapters && p.summarization) {
    fail('summarization', 'auto_chapters and summarization cannot be used together');
  }
  const translation = p.speech_understanding?.request.translation;
  if (translation?.match_original_utterance) {
    throw new EarshotError(
      'unsupportedParameter',
      'speech_understanding.request.translation.match_original_utterance is not supported yet',
      { param: 'speech_understanding' },
    );
  }

  const intelligence: IntelligenceRequest = {};
  if (p.redact_pii) {
    intelligence.redactPii = {
      policies: piiPolicies(p.redact_pii_policies),
      substitution: p.redact_pii_sub ?? 'hash',
      ...(p.redact_pii_audio && {
        audio: {
          format: p.redact_pii_audio_quality ?? 'mp3',
          silence: p.redact_pii_audio_options?.override_audio_redaction_method === 'silence',
        },
      }),
    };
  }
  if (p.entity_detection) intelligence.entities = true;
  if (p.sentiment_analysis) intelligence.sentiment = true;
  if (p.auto_highlights) intelligence.keyPhrases = true;
  if (p.iab_categories) intelligence.topics = true;
  if (p.content_safety)
    intelligence.contentSafety = { minConfidence: (p.content_safety_confidence ?? 50) / 100 };
  if (p.auto_chapters) intelligence.chapters = true;
  if (p.summarization) {
    intelligence.summary = { type: p.summary_type ?? 'bullets', style: p.summary_model ?? 'informative' };
  }
  if (translation) intelligence.translation = { targetLanguages: [...new Set(translation.target_languages)] };

  assertAnalysesAvailable(intelligence, PARAM_OF_ANALYSIS);

  // Always set: AssemblyAI drops filler words unless `disfluencies` asks to keep them.
  const textFilters: TextFilters = {
    filterProfanity: Boolean(p.filter_profanity),
    keepDisfluencies: Boolean(p.disfluencies),
  };
  return { ...(Object.keys(intelligence).length > 0 && { intelligence }), textFilters };
}
