import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import type { IntelligenceRequest, PiiPolicy, SummaryType } from '../../../domain/transcription-request.js';
import { assertAnalysesAvailable } from '../../../intelligence/addons.js';
import { SUPPORTED_PII_POLICIES } from '../../../intelligence/pii/detect-pii.js';
import type { AddonName } from '../../../intelligence/results.js';

/**
 * Gladia's PII entity types (and presets) → the canonical policies that detect them. Gladia names
 * finer kinds than we tell apart (NAME_GIVEN, LOCATION_CITY…): each maps to the policy that covers
 * it. Types with no mapping here are refused by name.
 */
const GLADIA_PII_TYPES: Record<string, readonly PiiPolicy[]> = {
  NAME: ['person_name'],
  NAME_GIVEN: ['person_name'],
  NAME_FAMILY: ['person_name'],
  PHONE_NUMBER: ['phone_number'],
  EMAIL_ADDRESS: ['email_address'],
  CREDIT_CARD: ['credit_card_number'],
  CREDIT_CARD_EXPIRATION: ['credit_card_expiration'],
  CVV: ['credit_card_cvv'],
  SSN: ['us_social_security_number'],
  DOB: ['date_of_birth'],
  LOCATION: ['location'],
  LOCATION_ADDRESS: ['location'],
  LOCATION_CITY: ['location'],
  LOCATION_COUNTRY: ['location'],
  LOCATION_STATE: ['location'],
  ORGANIZATION: ['organization'],
  BANK_ACCOUNT: ['banking_information'],
  ACCOUNT_NUMBER: ['banking_information'],
  IP_ADDRESS: ['ip_address'],
  URL: ['url'],
  MONEY: ['money_amount'],
  // Payment Card Industry preset: the card data itself.
  PCI: ['credit_card_number', 'credit_card_expiration', 'credit_card_cvv'],
};

/** Gladia's summary types → AssemblyAI-style canonical ones. */
const SUMMARY_TYPES: Record<'general' | 'bullet_points' | 'concise', SummaryType> = {
  general: 'paragraph',
  bullet_points: 'bullets',
  concise: 'headline',
};

/** A `*_config` sent empty (`{}`) is the same as none, as Gladia's clients may send it so. */
const config = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'object' && value !== null && Object.keys(value).length === 0 ? undefined : value,
    schema.nullish(),
  );

const languageCode = z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as en or fr');

/** Gladia's add-on parameters, as zod fields merged into the pre-recorded body schema. */
export const gladiaAddonFields = {
  pii_redaction: z.boolean().nullish(),
  pii_redaction_config: config(
    z
      .object({
        entity_types: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
        processed_text_type: z.enum(['MARKER', 'MASK']).optional(),
      })
      .strict(),
  ),
  named_entity_recognition: z.boolean().nullish(),
  sentiment_analysis: z.boolean().nullish(),
  moderation: z.boolean().nullish(),
  chapterization: z.boolean().nullish(),
  summarization: z.boolean().nullish(),
  summarization_config: config(
    z.object({ type: z.enum(['general', 'bullet_points', 'concise']).optional() }).strict(),
  ),
  audio_to_llm: z.boolean().nullish(),
  audio_to_llm_config: config(
    z.object({ prompts: z.array(z.string().min(1)).min(1), model: z.string().optional() }).strict(),
  ),
  translation: z.boolean().nullish(),
  translation_config: config(
    z
      .object({
        target_languages: z.array(languageCode).min(1),
        model: z.enum(['base', 'batch', 'enhanced']).optional(),
        match_original_utterances: z.boolean().optional(),
        lipsync: z.boolean().optional(),
        context_adaptation: z.boolean().optional(),
        context: z.string().optional(),
        informal: z.boolean().optional(),
      })
      .strict(),
  ),
};

type AddonParams = { [K in keyof typeof gladiaAddonFields]?: z.infer<(typeof gladiaAddonFields)[K]> };

/** The Gladia parameter that asks for each analysis, for naming it in refusals. */
const PARAM_OF_ANALYSIS: Partial<Record<AddonName, string>> = {
  redaction: 'pii_redaction',
  entities: 'named_entity_recognition',
  sentiment: 'sentiment_analysis',
  contentSafety: 'moderation',
  chapters: 'chapterization',
  summary: 'summarization',
  llmPrompts: 'audio_to_llm',
  translation: 'translation',
};

const unsupported = (param: string, message: string): never => {
  throw new EarshotError('unsupportedParameter', message, { param });
};

function requireConfig<T>(config: T | null | undefined, flag: string, name: string): T {
  if (config == null) {
    throw new EarshotError('badRequest', `${flag} is true but ${name} is missing`, { param: name });
  }
  return config;
}

function piiPolicies(entityTypes: string | string[] | undefined): PiiPolicy[] {
  const supported = SUPPORTED_PII_POLICIES;
  // No entity types: every kind this server detects (Gladia's default is its broad preset).
  if (entityTypes === undefined) return [...supported];
  const requested = Array.isArray(entityTypes) ? entityTypes : [entityTypes];
  const unknown = requested.filter((type) => !GLADIA_PII_TYPES[type]);
  if (unknown.length > 0) {
    unsupported(
      'pii_redaction_config.entity_types',
      `pii_redaction_config.entity_types: this server cannot detect ${unknown.join(', ')}. Supported: ${Object.keys(GLADIA_PII_TYPES).join(', ')}`,
    );
  }
  const policies = [...new Set(requested.flatMap((type) => GLADIA_PII_TYPES[type] ?? []))];
  const undetectable = policies.filter((policy) => !supported.includes(policy));
  if (undetectable.length > 0) {
    unsupported(
      'pii_redaction_config.entity_types',
      `pii_redaction_config.entity_types: this server cannot detect ${undetectable.join(', ')} yet`,
    );
  }
  return policies;
}

/**
 * Gladia's add-on flags → the canonical analyses. As elsewhere in Gladia's API a `*_config` is read
 * only when its flag is on; options that cannot be honoured are refused by name.
 */
export function parseGladiaAddons(p: AddonParams): IntelligenceRequest | undefined {
  const intelligence: IntelligenceRequest = {};
  if (p.pii_redaction) {
    intelligence.redactPii = {
      policies: piiPolicies(p.pii_redaction_config?.entity_types),
      substitution: p.pii_redaction_config?.processed_text_type === 'MASK' ? 'hash' : 'entity_name',
    };
  }
  if (p.named_entity_recognition) intelligence.entities = true;
  if (p.sentiment_analysis) intelligence.sentiment = true;
  if (p.moderation) intelligence.contentSafety = { minConfidence: 0.5 };
  if (p.chapterization) intelligence.chapters = true;
  if (p.summarization) {
    intelligence.summary = { type: SUMMARY_TYPES[p.summarization_config?.type ?? 'general'] };
  }
  if (p.audio_to_llm) {
    const config = requireConfig(p.audio_to_llm_config, 'audio_to_llm', 'audio_to_llm_config');
    if (config.model !== undefined) {
      unsupported(
        'audio_to_llm_config.model',
        'audio_to_llm_config.model is not supported: prompts go to the LLM provider this server is configured with',
      );
    }
    intelligence.llmPrompts = config.prompts;
  }
  if (p.translation) {
    const config = requireConfig(p.translation_config, 'translation', 'translation_config');
    // Translations are of the whole text; per-utterance alignment and lip sync are not done here.
    for (const key of ['match_original_utterances', 'lipsync', 'context_adaptation', 'context'] as const) {
      const value = config[key];
      if (value !== undefined && value !== false && value !== '') {
        unsupported(`translation_config.${key}`, `translation_config.${key} is not supported yet`);
      }
    }
    intelligence.translation = { targetLanguages: [...new Set(config.target_languages)] };
  }

  assertAnalysesAvailable(intelligence, PARAM_OF_ANALYSIS);
  return Object.keys(intelligence).length > 0 ? intelligence : undefined;
}
