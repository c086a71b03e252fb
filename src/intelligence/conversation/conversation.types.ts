import type { SentimentLabel } from '../sentiment-label.js';

/** The rubric's dimensions, each scored 0..100 and each given written feedback by the LLM. */
export const CONVERSATION_DIMENSIONS = [
  'clarity',
  'influence',
  'objection',
  'discovery',
  'delivery',
  'close',
] as const;
export type ConversationDimension = (typeof CONVERSATION_DIMENSIONS)[number];

/** How much one speaker talked, and in what mood. */
export interface SpeakerTalk {
  speaker: number;
  /** Sum of the speaker's turns, first word to last word of each. */
  talkMs: number;
  words: number;
  fillerWords: number;
  /** Mean VADER compound score of the speaker's sentences, -1..1 (3 decimals). */
  sentimentScore: number;
}

/** What was measured about the call; every figure is about the rep unless it says otherwise. */
export interface ConversationMetrics {
  /** From the first turn's start to the last turn's end. */
  callMs: number;
  /** Everyone's talk time (sum of all turns). */
  totalTalkMs: number;
  repTalkMs: number;
  /** Fillers included: they are words the listener hears. */
  repWords: number;
  /** The rep's words per minute of the rep's own speaking time (1 decimal); null when the rep never spoke. */
  wordsPerMinute: number | null;
  fillerWordCount: number;
  /** Fillers per 100 of the rep's words (1 decimal). */
  fillerWordsPer100: number;
  questionsAsked: number;
  /** The rep's questions per 10 minutes of call (1 decimal). */
  questionsPer10Min: number;
  /** The rep's share of all talk time, 0..1 (2 decimals); the listen ratio is 1 minus it. */
  talkRatio: number;
  /** Longest stretch of rep turns that no one else broke into. */
  longestMonologueMs: number;
  /** Mean words in the rep's sentences (1 decimal). */
  averageSentenceWords: number;
  /** Over every sentence of the call. */
  overallSentiment: SentimentLabel;
  /** Mean VADER compound score of every sentence of the call, -1..1 (3 decimals). */
  sentimentScore: number;
  /** Prospect sentences with an objection cue ("too expensive", "not interested", …). */
  objectionsRaised: number;
  /** Of those, how many the rep's next turn acknowledged or answered with a question. */
  objectionsAddressed: number;
  /** Distinct next-step cue phrases the rep used ("next steps", "schedule", "proposal", …). */
  closeCues: string[];
}

/** The rubric's integer scores, 0..100. */
export type ConversationScores = Record<ConversationDimension | 'overall', number>;

/** Written coaching by the LLM provider. */
export interface ConversationCoaching {
  prospectName: string | null;
  recordingTitle: string;
  /** The one thing the rep did best and should keep doing. */
  doubleDown: string;
  summary: string;
  feedback: Record<ConversationDimension, { positive: string; negative: string }>;
  actionPlan: {
    doubleDownImplementation: string;
    generalCommunicationImprovement: string;
    quotedPrinciple: string;
  };
}

/** The `conversation` add-on's result. */
export interface ConversationAnalysis {
  repSpeaker: number;
  speakers: SpeakerTalk[];
  metrics: ConversationMetrics;
  scores: ConversationScores;
  /** Null when no LLM provider is configured or it failed; `coachingUnavailable` says which. */
  coaching: ConversationCoaching | null;
  coachingUnavailable: string | null;
}
