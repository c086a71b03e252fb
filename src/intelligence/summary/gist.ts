import { capitalize } from './tidy.js';
import { isContentToken, stem, words as wordsOf } from './terms.js';

/**
 * A gist — a few words naming what a text is about — as its best candidate phrase: up to three
 * content words in a row, between stop words and punctuation (as in RAKE, Rose et al. 2010), scored by
 * the summed weight of their terms, so "canadian wildfire smoke" beats "smoke" when all three words
 * matter in the text.
 */

const MAX_PHRASE_WORDS = 3;

/** Punctuation that ends a phrase: clause and sentence marks, brackets, quotes, dashes. */
const CLAUSE_BREAK = /[.,!?;:()[\]{}"“”…]|\s[-–—]\s/;

interface Candidate {
  words: string[];
  stems: string[];
  count: number;
}

/**
 * How a word shows in a gist: lowercase (a capital in speech-to-text output mostly marks a
 * sentence start), except acronyms and inner capitals ("NASA", "iPhone"), which keep theirs.
 */
function displayForm(word: string): string {
  return /\p{Lu}/u.test(word.slice(1)) ? word : word.toLowerCase();
}

/** Candidate phrases of a text, counted by their stems, each with its first surface form. */
export function phraseCandidates(text: string): Candidate[] {
  const byKey = new Map<string, Candidate>();
  const add = (words: string[]): void => {
    const stems = words.map((w) => stem(w.toLowerCase()));
    const key = stems.join(' ');
    const existing = byKey.get(key);
    if (existing) existing.count++;
    else byKey.set(key, { words, stems, count: 1 });
  };
  for (const clause of text.split(CLAUSE_BREAK)) {
    let run: string[] = [];
    for (const word of wordsOf(clause)) {
      if (isContentToken(word.toLowerCase())) {
        run.push(displayForm(word));
        // Every phrase ending at this word, so "air quality" is counted inside "air quality alerts".
        for (let n = 1; n <= Math.min(MAX_PHRASE_WORDS, run.length); n++) add(run.slice(-n));
      } else {
        run = [];
      }
    }
  }
  return [...byKey.values()];
}

/**
 * The best phrase of `text`, sentence-cased, or '' when it has no content word. `termWeight` gives
 * each stem's weight (by default its frequency in the text); a phrase scores the sum of its terms'
 * weights — which favours a phrase over one of its words alone — raised somewhat by its own
 * repetitions, which mark a fixed expression ("air quality") rather than words that happen to sit
 * together once.
 */
export function gistOf(text: string, termWeight?: (stem: string) => number): string {
  const candidates = phraseCandidates(text);
  const frequency = new Map<string, number>();
  for (const c of candidates) if (c.stems.length === 1) frequency.set(c.stems[0]!, c.count);
  const weight = termWeight ?? ((s: string) => frequency.get(s) ?? 0);
  let best: { score: number; words: string[] } | undefined;
  for (const c of candidates) {
    // A single word's repetitions are already its weight; only a phrase's own count adds to it.
    const repeats = c.stems.length > 1 ? 1 + 0.5 * Math.log(c.count) : 1;
    const score = c.stems.reduce((sum, s) => sum + weight(s), 0) * repeats;
    if (!best || score > best.score) best = { score, words: c.words };
  }
  return best ? capitalize(best.words.join(' ')) : '';
}
