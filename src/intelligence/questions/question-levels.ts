import type { Word } from '../../domain/transcript.js';
import { contentStems } from '../summary/terms.js';

/** A question found in the transcript, before its level is known. */
export interface FoundQuestion {
  text: string;
  startMs: number;
  endMs: number;
  speaker?: number;
  channel?: number;
}

export interface LevelOptions {
  /**
   * The same voice asking again within this long of its previous question (end to start) follows
   * it up, unless a long answer came between.
   * @defaultValue 20000
   */
  followUpWindowMs?: number;
  /**
   * Longest gap (end of the thread's last question to start of this one) over which a follow-up cue
   * or a shared term still ties a question to the main one; after it every question starts afresh.
   * @defaultValue 60000
   */
  threadWindowMs?: number;
  /**
   * Words from other voices between two questions that make a "long answer": after one, the same
   * voice asking again opens a new main question unless a cue or a shared term ties it back.
   * @defaultValue 20
   */
  longAnswerWords?: number;
}

export const LEVEL_DEFAULTS = {
  followUpWindowMs: 20_000,
  threadWindowMs: 60_000,
  longAnswerWords: 20,
} as const;

/**
 * Openings that mark a question as continuing the previous one: "and how …", "what about …",
 * "so when …", "or would you …".
 */
const FOLLOW_UP_CUES: readonly string[][] = [
  'and',
  'also',
  'so',
  'then',
  'or',
  'but',
  'plus',
  'what about',
  'how about',
  'why not',
  'what else',
  'anything else',
].map((cue) => cue.split(' '));

function startsWithCue(text: string): boolean {
  const keys = (text.toLowerCase().match(/[\p{L}']+/gu) ?? []).slice(0, 2);
  return FOLLOW_UP_CUES.some((cue) => cue.every((word, i) => keys[i] === word));
}

/** Who asked: the speaker, else the channel; questions with neither share one unknown voice. */
const voiceOf = (q: { speaker?: number; channel?: number }): string =>
  `${q.speaker ?? '-'}/${q.channel ?? '-'}`;

/**
 * The level of each question, in order: 1 for a main question, 2 for a follow-up or sub-question
 * of the main question before it. A question is a follow-up when a main question came before it
 * within `threadWindowMs` (measured from the thread's latest question) and any of these holds:
 * - the voice that asked the thread's latest question asks again within `followUpWindowMs`, and
 *   other voices said fewer than `longAnswerWords` words in between (a short answer, then a
 *   narrower question: "Do you have kids?" "Two." "How old are they?");
 * - it opens with a follow-up cue ("and", "also", "so", "then", "or", "what about", "why not"…),
 *   from any voice ("And you?");
 * - it shares a content term with the main question ("What do you do for work?" … "Do you like
 *   working there?").
 * Otherwise it is a new main question. Follow-ups keep the thread open, so a chain of them stays
 * under one main question.
 */
export function assignLevels(
  questions: readonly FoundQuestion[],
  words: readonly Word[],
  options: LevelOptions = {},
): (1 | 2)[] {
  const followUpWindowMs = options.followUpWindowMs ?? LEVEL_DEFAULTS.followUpWindowMs;
  const threadWindowMs = options.threadWindowMs ?? LEVEL_DEFAULTS.threadWindowMs;
  const longAnswerWords = options.longAnswerWords ?? LEVEL_DEFAULTS.longAnswerWords;
  const levels: (1 | 2)[] = [];
  let main: { stems: Set<string> } | null = null;
  let latest: FoundQuestion | null = null;
  for (const question of questions) {
    let level: 1 | 2 = 1;
    if (main && latest && question.startMs - latest.endMs <= threadWindowMs) {
      const quick =
        voiceOf(question) === voiceOf(latest) &&
        question.startMs - latest.endMs <= followUpWindowMs &&
        answerWords(words, latest, question) < longAnswerWords;
      const shared = contentStems(question.text).some((stem) => main?.stems.has(stem));
      if (quick || startsWithCue(question.text) || shared) level = 2;
    }
    if (level === 1) main = { stems: new Set(contentStems(question.text)) };
    latest = question;
    levels.push(level);
  }
  return levels;
}

/**
 * Words spoken between two questions by voices other than the asker's. Without speaker labels
 * every word in between counts, since the answer cannot be told from the asker's own talk.
 */
function answerWords(words: readonly Word[], before: FoundQuestion, question: FoundQuestion): number {
  const asker = voiceOf(question);
  const labelled = question.speaker !== undefined || question.channel !== undefined;
  return words.filter(
    (word) =>
      word.startMs >= before.endMs &&
      word.endMs <= question.startMs &&
      (!labelled || voiceOf(word) !== asker),
  ).length;
}
