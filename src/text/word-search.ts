import type { Word } from '../domain/transcript.js';
import { searchKey } from './token.js';

/** One search term's hits, as AssemblyAI's `GET /v2/transcript/{id}/word-search` returns them. */
export interface WordSearchMatch {
  /** The search term as given (trimmed, inner whitespace collapsed). */
  text: string;
  count: number;
  /** `[startMs, endMs]` of each hit: a phrase's hit runs from its first word's start to its last word's end. */
  timestamps: [number, number][];
  /** Index into the transcript's `words` of each hit; for a phrase, the index of its first word. */
  indexes: number[];
}

export interface WordSearchResult {
  /** Sum of `count` over all matches. */
  total_count: number;
  matches: WordSearchMatch[];
}

/** AssemblyAI accepts phrases of up to five words; surfaces should refuse longer ones with a 400. */
export const MAX_SEARCH_PHRASE_WORDS = 5;

interface Token {
  key: string;
  /** Index of the word the token comes from. */
  word: number;
}

/**
 * Searches the words for each term, the way AssemblyAI's word search behaves as documented:
 *
 * - Case and punctuation are ignored ("Smoke," matches "smoke"; see `searchKey`), except that
 *   number separators between digits count, so "3.5" does not match "35".
 * - Whole words only. A term of several words matches consecutive words; punctuation-only words
 *   in between are skipped, since punctuation is ignored.
 * - `count`, `timestamps` and `indexes` are parallel: one entry per hit. AssemblyAI documents
 *   `indexes` as "all index locations for that word within the words array" and gives no phrase
 *   example; one index per hit (the phrase's first word) keeps `indexes.length === count`, and the
 *   timestamp spans the whole phrase.
 * - Hits of one term do not overlap ("ha ha" in "ha ha ha" counts once), as in text search.
 * - Terms with no hit are left out, and matches are ordered by count, highest first (ties in the
 *   order asked): AssemblyAI's guide searches "water,air,earth,fire" and answers with only `air`
 *   (5) then `water` (1).
 * - A term repeated (in any case or punctuation) is searched once; a term with no letters or digits
 *   is ignored.
 */
export function searchWords(words: readonly Word[], terms: readonly string[]): WordSearchResult {
  const tokens = tokenize(words);
  const seen = new Set<string>();
  const found: { match: WordSearchMatch; order: number }[] = [];
  terms.forEach((term, order) => {
    const parts = term.trim().split(/\s+/u);
    const keys = parts.map(searchKey).filter((k) => k !== '');
    const id = keys.join(' ');
    if (keys.length === 0 || seen.has(id)) return;
    seen.add(id);
    const match: WordSearchMatch = { text: parts.join(' '), count: 0, timestamps: [], indexes: [] };
    let t = 0;
    while (t + keys.length <= tokens.length) {
      const end = matchAt(tokens, t, keys);
      if (end < 0) {
        t++;
        continue;
      }
      const firstWord = words[tokens[t]?.word ?? -1];
      const lastWord = words[tokens[end]?.word ?? -1];
      if (firstWord !== undefined && lastWord !== undefined) {
        match.count++;
        match.timestamps.push([firstWord.startMs, lastWord.endMs]);
        match.indexes.push(tokens[t]?.word ?? -1);
      }
      t = end + 1;
    }
    if (match.count > 0) found.push({ match, order });
  });
  found.sort((a, b) => b.match.count - a.match.count || a.order - b.order);
  const matches = found.map((f) => f.match);
  return { total_count: matches.reduce((sum, m) => sum + m.count, 0), matches };
}

/**
 * The transcript as a stream of search keys. A word's text may hold several tokens (a custom
 * spelling such as "New York" is one word): each is searchable, and a hit on any of them reports
 * that word. A punctuation-only word holds none.
 */
function tokenize(words: readonly Word[]): Token[] {
  const tokens: Token[] = [];
  words.forEach((word, index) => {
    const keys = word.text
      .trim()
      .split(/\s+/u)
      .map(searchKey)
      .filter((k) => k !== '');
    for (const key of keys) tokens.push({ key, word: index });
  });
  return tokens;
}

/** The index of the last token of a hit of `keys` starting at token `at`, or -1. */
function matchAt(tokens: readonly Token[], at: number, keys: readonly string[]): number {
  for (let k = 0; k < keys.length; k++) {
    if (tokens[at + k]?.key !== keys[k]) return -1;
  }
  return at + keys.length - 1;
}
