import type { SentimentLabel } from './sentiment-label.js';
import type { ConversationAnalysis } from './conversation/conversation.types.js';

/**
 * What each add-on produces, in canonical units (integer ms, confidences 0..1, speaker indexes).
 * Surfaces reshape these into AssemblyAI's or Gladia's fields.
 */

export const ENTITY_TYPES = [
  'person_name',
  'location',
  'organization',
  'phone_number',
  'email_address',
  'credit_card_number',
  'credit_card_expiration',
  'credit_card_cvv',
  'us_social_security_number',
  'date_of_birth',
  'date',
  'banking_information',
  'ip_address',
  'url',
  'money_amount',
  'nationality',
  'occupation',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** An entity found in the transcript, with the time of the words it covers. */
export interface TranscriptEntity {
  type: EntityType;
  /** The words as they appear in the transcript. */
  text: string;
  startMs: number;
  endMs: number;
}

export type { SentimentLabel };

export interface SentenceSentiment {
  text: string;
  startMs: number;
  endMs: number;
  sentiment: SentimentLabel;
  confidence: number;
  speaker?: number;
  channel?: number;
}

export interface KeyPhrase {
  text: string;
  /** Times the phrase occurs. */
  count: number;
  /** Relevance 0..1, highest first. */
  rank: number;
  timestamps: { startMs: number; endMs: number }[];
}

export interface TopicLabel {
  /** IAB content taxonomy path, e.g. `Technology&Computing>ConsumerElectronics`. */
  label: string;
  relevance: number;
}

export interface TopicsResult {
  segments: { text: string; startMs: number; endMs: number; labels: TopicLabel[] }[];
  /** Relevance of each label over the whole transcript. */
  summary: Record<string, number>;
}

export interface SafetyLabel {
  label: string;
  confidence: number;
  /** 0..1 how severe the content is. */
  severity: number;
}

export interface ContentSafetyResult {
  segments: { text: string; startMs: number; endMs: number; labels: SafetyLabel[] }[];
  /** Confidence that each label applies to the transcript as a whole. */
  summary: Record<string, number>;
  /** For each label, how its occurrences split into low/medium/high severity (fractions). */
  severitySummary: Record<string, { low: number; medium: number; high: number }>;
}

export interface Chapter {
  startMs: number;
  endMs: number;
  /** A few words. */
  gist: string;
  /** One sentence. */
  headline: string;
  /** A short paragraph. */
  summary: string;
}

export interface SummaryResult {
  type: 'bullets' | 'bullets_verbose' | 'gist' | 'headline' | 'paragraph';
  text: string;
  /** `llm` when the LLM provider wrote it, `extractive` when picked from the transcript. */
  method: 'llm' | 'extractive';
}

export interface RedactionResult {
  /** What was redacted (the original text is not kept). */
  entities: { type: EntityType; startMs: number; endMs: number }[];
  /** Blob key of the redacted audio, when it was requested. */
  audioBlobKey?: string;
}

export interface PromptAnswer {
  prompt: string;
  answer: string;
}

/** Translated transcript text by target language code. */
export type TranslationResult = Record<string, string>;

/** A question asked in the conversation. */
export interface AskedQuestion {
  question: string;
  /** 1: a main question; 2: a follow-up or sub-question of the previous main one. */
  level: 1 | 2;
  speaker?: number;
  channel?: number;
  startMs: number;
  endMs: number;
}

/** Every add-on's result type, by the name it is stored under in `Transcript.addons`. */
export interface AddonResults {
  redaction: RedactionResult;
  entities: TranscriptEntity[];
  sentiment: SentenceSentiment[];
  keyPhrases: KeyPhrase[];
  topics: TopicsResult;
  contentSafety: ContentSafetyResult;
  chapters: Chapter[];
  summary: SummaryResult;
  llmPrompts: PromptAnswer[];
  translation: TranslationResult;
  questions: AskedQuestion[];
  conversation: ConversationAnalysis;
}

export type AddonName = keyof AddonResults;
