import { splitAffixes } from '../../text/token.js';

/**
 * One whitespace-separated token of the text the recognizers read. Speech-recognition text is
 * words joined by spaces, with punctuation glued to them ("smith,", "(555)"), so the recognizers
 * work on each token's core and report the core's characters: an entity never swallows the comma
 * after it.
 */
export interface Token {
  /** The core, lowercased, typographic apostrophes folded ("Smith," → `smith`). */
  norm: string;
  /** `[start, end)` of the core in the text. */
  start: number;
  end: number;
  /** Punctuation right before the core, e.g. the "(" of "(212)". */
  lead: string;
  /** Punctuation right after the core ("," or "."), which ends a spoken sequence. */
  trail: string;
}

/** The text's tokens, in order. Punctuation-only tokens are dropped. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    const { prefix, core, suffix } = splitAffixes(match[0]);
    if (core === '') continue;
    const start = match.index + prefix.length;
    tokens.push({
      norm: core.toLowerCase().replace(/’/g, "'"),
      start,
      end: start + core.length,
      lead: prefix,
      trail: suffix,
    });
  }
  return tokens;
}

/** True when one of `cues` (each one or more words) ends within `window` tokens before `index`. */
export function hasCueBefore(
  tokens: readonly Token[],
  index: number,
  cues: readonly (readonly string[])[],
  window: number,
): boolean {
  const from = Math.max(0, index - window);
  for (const cue of cues) {
    for (let end = index; end - cue.length >= from; end--) {
      if (cue.every((word, k) => tokens[end - cue.length + k]?.norm === word)) return true;
    }
  }
  return false;
}

/** True when one of `cues` starts within `window` tokens from `index` (inclusive). */
export function hasCueAfter(
  tokens: readonly Token[],
  index: number,
  cues: readonly (readonly string[])[],
  window: number,
): boolean {
  for (let start = index; start < Math.min(tokens.length, index + window); start++) {
    if (cues.some((cue) => cue.every((word, k) => tokens[start + k]?.norm === word))) return true;
  }
  return false;
}

/** Splits cue phrases written as strings ("security code") into word lists. */
export function cues(...phrases: string[]): string[][] {
  return phrases.map((phrase) => phrase.split(' '));
}
