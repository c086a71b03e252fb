import type { ConversationMetrics, ConversationScores } from './conversation.types.js';

/**
 * The scoring rubric: each dimension is a deterministic 0..100 integer computed from the measured
 * metrics, so the same call always gets the same scores and a rep can be told what moves them.
 *
 * Parts (each clamped to 0..100):
 * - filler part = 100 − 10 × fillers per 100 rep words
 * - pace part = 100 inside 130–170 words per minute, −2 per wpm outside the band (0 if the rep never spoke)
 * - sentence part = 100 for a mean of 8–20 words per rep sentence, −5 per word outside (0 with no sentence)
 * - talk part = 100 for a rep talk share of 40–60 %, −2 per percentage point outside
 * - mood part = 50 × (rep sentiment compound + 1)
 *
 * Scores:
 * - delivery = 0.6 × pace + 0.4 × filler
 * - clarity = 0.5 × filler + 0.5 × sentence
 * - discovery = 25 × rep questions per 10 minutes of call (4 per 10 minutes or more: 100)
 * - influence = 0.5 × talk + 0.5 × mood
 * - objection = 100 × objections addressed / objections raised (100 when the prospect raised none)
 * - close = 34 × distinct next-step cues the rep used (3 or more: 100)
 * - overall = mean of the six
 * Each is rounded to the nearest integer.
 */
export const RUBRIC_DESCRIPTION =
  'Scores are deterministic 0-100 integers computed from the measured metrics. Parts (each clamped to 0-100): ' +
  'filler = 100 - 10 x fillers per 100 rep words; pace = 100 inside 130-170 wpm, -2 per wpm outside; ' +
  'sentence = 100 for 8-20 words per rep sentence, -5 per word outside; talk = 100 for a rep talk share of 40-60 %, ' +
  '-2 per percentage point outside; mood = 50 x (rep sentiment compound + 1). ' +
  'delivery = 0.6 pace + 0.4 filler; clarity = 0.5 filler + 0.5 sentence; discovery = 25 x rep questions per 10 minutes; ' +
  'influence = 0.5 talk + 0.5 mood; objection = 100 x objections addressed / raised (100 when none was raised); ' +
  'close = 34 x distinct next-step phrases the rep used; overall = mean of the six.';

/** Clamped to 0..100 and rounded to 2 decimals, so float noise (50.999…) cannot tip a final rounding. */
const clamp = (value: number): number => Math.round(Math.min(100, Math.max(0, value)) * 100) / 100;

/** 100 inside [low, high]; `perUnit` points lost per unit outside it. */
const band = (value: number, low: number, high: number, perUnit: number): number =>
  clamp(100 - perUnit * Math.max(0, low - value, value - high));

export function scoreConversation(
  metrics: ConversationMetrics,
  repSentimentScore: number,
): ConversationScores {
  const filler = clamp(100 - 10 * metrics.fillerWordsPer100);
  const pace = metrics.wordsPerMinute === null ? 0 : band(metrics.wordsPerMinute, 130, 170, 2);
  const sentence = metrics.averageSentenceWords === 0 ? 0 : band(metrics.averageSentenceWords, 8, 20, 5);
  const talk = band(Math.round(metrics.talkRatio * 100), 40, 60, 2);
  const mood = clamp(50 * (repSentimentScore + 1));

  const scores = {
    clarity: Math.round(0.5 * filler + 0.5 * sentence),
    influence: Math.round(0.5 * talk + 0.5 * mood),
    objection:
      metrics.objectionsRaised === 0
        ? 100
        : Math.round((100 * metrics.objectionsAddressed) / metrics.objectionsRaised),
    discovery: Math.round(clamp(25 * metrics.questionsPer10Min)),
    delivery: Math.round(0.6 * pace + 0.4 * filler),
    close: Math.round(clamp(34 * metrics.closeCues.length)),
  };
  const six = Object.values(scores);
  return { ...scores, overall: Math.round(six.reduce((sum, v) => sum + v, 0) / six.length) };
}
