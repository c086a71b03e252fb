import type { Word } from '../domain/transcript.js';
import { endsSentence } from './sentence-boundary.js';
import { joinWords } from './transcript-text.js';

/** A run of words with its text, times and mean confidence (AssemblyAI's sentence/paragraph). */
export interface Sentence {
  text: string;
  startMs: number;
  endMs: number;
  /** Mean of the words' confidences. */
  confidence: number;
  /** Present when the words carry a speaker; all words of a sentence share it. */
  speaker?: number;
  /** Present when the words carry a channel; all words of a sentence share it. */
  channel?: number;
  words: Word[];
}

export type Paragraph = Sentence;

export interface SentenceOptions {
  /**
   * A longer sentence is cut at its longest pause.
   * @defaultValue 40
   */
  maxWords?: number;
  /**
   * A sentence lasting longer (first word's start to last word's end) is cut at its longest pause.
   * @defaultValue 30000
   */
  maxMs?: number;
}

export interface ParagraphOptions {
  /**
   * Silence between two sentences, in ms, that starts a new paragraph.
   * @defaultValue 2000
   */
  pauseMs?: number;
  /**
   * A paragraph takes no further sentence once adding it would exceed this many words (a single
   * longer sentence still forms its own paragraph).
   * @defaultValue 150
   */
  maxWords?: number;
  sentences?: SentenceOptions;
}

export const SENTENCE_DEFAULTS = { maxWords: 40, maxMs: 30_000 } as const;
export const PARAGRAPH_DEFAULTS = { pauseMs: 2_000, maxWords: 150 } as const;

/**
 * Splits words into sentences: after a word that ends one (`.`, `?`, `!`, not "Mr." or "e.g." or
 * a decimal split across tokens — see `endsSentence`), and wherever the speaker or channel changes.
 * A sentence that is still longer than `maxWords` words or `maxMs` is cut at its longest pause
 * (see `cutAtLongestPause`). Words are expected in time order; every word lands in exactly one
 * sentence, in order.
 */
export function splitSentences(words: readonly Word[], options: SentenceOptions = {}): Sentence[] {
  const maxWords = options.maxWords ?? SENTENCE_DEFAULTS.maxWords;
  const maxMs = options.maxMs ?? SENTENCE_DEFAULTS.maxMs;
  const sentences: Sentence[] = [];
  for (const run of splitRuns(words)) {
    for (const piece of cutAtLongestPause(run, maxWords, maxMs)) sentences.push(toSentence(piece));
  }
  return sentences;
}

/**
 * Groups sentences into paragraphs: a new paragraph starts after a silence of `pauseMs` or more,
 * when the speaker or channel changes, or when the next sentence would take the paragraph past
 * `maxWords` words.
 */
export function splitParagraphs(words: readonly Word[], options: ParagraphOptions = {}): Paragraph[] {
  const pauseMs = options.pauseMs ?? PARAGRAPH_DEFAULTS.pauseMs;
  const maxWords = options.maxWords ?? PARAGRAPH_DEFAULTS.maxWords;
  const paragraphs: Paragraph[] = [];
  let current: Word[] = [];
  for (const sentence of splitSentences(words, options.sentences)) {
    const last = current[current.length - 1];
    const first = sentence.words[0];
    const breaks =
      last !== undefined &&
      first !== undefined &&
      (first.startMs - last.endMs >= pauseMs ||
        first.speaker !== last.speaker ||
        first.channel !== last.channel ||
        current.length + sentence.words.length > maxWords);
    if (breaks) {
      paragraphs.push(toSentence(current));
      current = [];
    }
    current = current.concat(sentence.words);
  }
  if (current.length > 0) paragraphs.push(toSentence(current));
  return paragraphs;
}

/** Runs of words cut at sentence ends and at changes of speaker or channel. */
function splitRuns(words: readonly Word[]): Word[][] {
  const runs: Word[][] = [];
  let run: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === undefined) continue;
    run.push(word);
    const next = words[i + 1];
    const ends =
      next === undefined ||
      next.speaker !== word.speaker ||
      next.channel !== word.channel ||
      endsSentence(word.text, nextText(words, i));
    if (ends) {
      runs.push(run);
      run = [];
    }
  }
  return runs;
}

/** The next non-empty word text after index `i`: what decides whether "etc." ends a sentence. */
function nextText(words: readonly Word[], i: number): string | undefined {
  for (let j = i + 1; j < words.length; j++) {
    const text = words[j]?.text ?? '';
    if (text !== '') return text;
  }
  return undefined;
}

/**
 * Cuts an over-long run at its longest pause, recursively, until every piece is within bounds.
 * Only gaps in the middle half of the run are candidates, so each side keeps at least a quarter of
 * the words (no one-word stub off a long sentence) and the recursion depth stays logarithmic. Ties go to the gap nearest the middle, then the earlier.
 * A single word is never cut, however long it lasts.
 */
export function cutAtLongestPause(run: readonly Word[], maxWords: number, maxMs: number): Word[][] {
  const first = run[0];
  const last = run[run.length - 1];
  if (first === undefined || last === undefined) return [];
  const tooLong = run.length > maxWords || last.endMs - first.startMs > maxMs;
  if (!tooLong || run.length < 2) return [[...run]];
  const quarter = Math.floor(run.length / 4);
  const lo = Math.max(1, quarter);
  const hi = Math.min(run.length - 1, run.length - quarter);
  const middle = run.length / 2;
  let best = lo;
  let bestGap = -Infinity;
  for (let k = lo; k <= hi; k++) {
    const gap = (run[k]?.startMs ?? 0) - (run[k - 1]?.endMs ?? 0);
    const closer = Math.abs(k - middle) < Math.abs(best - middle);
    if (gap > bestGap || (gap === bestGap && closer)) {
      best = k;
      bestGap = gap;
    }
  }
  return [
    ...cutAtLongestPause(run.slice(0, best), maxWords, maxMs),
    ...cutAtLongestPause(run.slice(best), maxWords, maxMs),
  ];
}

function toSentence(words: readonly Word[]): Sentence {
  const first = words[0];
  const last = words[words.length - 1];
  if (first === undefined || last === undefined) throw new Error('a sentence needs at least one word');
  const sentence: Sentence = {
    text: joinWords(words),
    startMs: first.startMs,
    endMs: last.endMs,
    confidence: words.reduce((sum, w) => sum + w.confidence, 0) / words.length,
    words: [...words],
  };
  if (first.speaker !== undefined) sentence.speaker = first.speaker;
  if (first.channel !== undefined) sentence.channel = first.channel;
  return sentence;
}
