import type { Word } from '../domain/transcript.js';

/**
 * The transcript's words joined into one string (single spaces, as `Transcript.text` is for one
 * channel), with each word's character range, so text analyses that report character offsets
 * (entities, PII, key phrases) can be mapped back to words and times.
 */
export interface WordTextMap {
  text: string;
  /** `[start, end)` character range of each word in `text`. */
  ranges: [number, number][];
}

export function mapWords(words: readonly Pick<Word, 'text'>[]): WordTextMap {
  const ranges: [number, number][] = [];
  let text = '';
  for (const word of words) {
    if (word.text === '') {
      ranges.push([text.length, text.length]);
      continue;
    }
    if (text.length > 0) text += ' ';
    ranges.push([text.length, text.length + word.text.length]);
    text += word.text;
  }
  return { text, ranges };
}

/**
 * Indexes of the words a character span `[start, end)` touches (a word counts when any of its
 * characters are inside), or an empty array when it touches none.
 */
export function wordsInSpan(map: WordTextMap, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < map.ranges.length; i++) {
    const [s, e] = map.ranges[i]!;
    if (e > s && s < end && e > start) out.push(i);
  }
  return out;
}

/** The time a character span covers: from its first word's start to its last word's end. */
export function spanTime(
  map: WordTextMap,
  words: readonly Pick<Word, 'startMs' | 'endMs'>[],
  start: number,
  end: number,
): { startMs: number; endMs: number } | undefined {
  const indexes = wordsInSpan(map, start, end);
  if (indexes.length === 0) return undefined;
  return { startMs: words[indexes[0]!]!.startMs, endMs: words[indexes.at(-1)!]!.endMs };
}
