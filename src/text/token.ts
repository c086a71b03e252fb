/**
 * Character-level helpers shared by the text layer: what counts as punctuation, how a word splits
 * into leading punctuation, a core and trailing punctuation, and the keys words are compared by.
 */

/**
 * Marks that formatting adds or strips: sentence, clause, quote, bracket and dash marks (Latin and
 * the common CJK full-width ones). Symbols that carry meaning inside a token — `$ % & @ # / + *` —
 * are deliberately absent: stripping them would turn "40%" into "40" and "AT&T" into "ATT".
 */
const PUNCTUATION = new Set(Array.from('.,!?;:…"\'“”‘’«»‹›„‚()[]{}¿¡‽-‐‑–—。、，！？；：「」『』（）'));

/** Apostrophes and hyphens join the parts of one word ("don't", "well-known"); they stay inside. */
const WORD_JOINERS = new Set(Array.from("'’-‐‑–—"));

/** Separators that belong to a number when they sit between two digits: 3.5, 3,000, 10:30. */
const NUMBER_SEPARATORS = new Set(['.', ',', ':']);

export function isPunctuation(ch: string): boolean {
  return PUNCTUATION.has(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

export interface Affixes {
  /** Leading punctuation, e.g. an opening quote. */
  prefix: string;
  /** The word itself; empty for a punctuation-only token. */
  core: string;
  /** Trailing punctuation, e.g. `."`. */
  suffix: string;
}

/** Splits a token into leading punctuation, core and trailing punctuation. */
export function splitAffixes(text: string): Affixes {
  const chars = Array.from(text);
  let start = 0;
  while (start < chars.length && isPunctuation(chars[start] ?? '')) start++;
  if (start === chars.length) return { prefix: text, core: '', suffix: '' };
  let end = chars.length;
  while (end > start && isPunctuation(chars[end - 1] ?? '')) end--;
  return {
    prefix: chars.slice(0, start).join(''),
    core: chars.slice(start, end).join(''),
    suffix: chars.slice(end).join(''),
  };
}

/**
 * Removes punctuation from a token: all of it at the edges; inside, apostrophes and hyphens stay
 * (they are part of the word), and `.`/`,`/`:` stay between digits (they are part of the number).
 * A punctuation-only token becomes the empty string.
 */
export function stripPunctuation(text: string): string {
  const chars = Array.from(splitAffixes(text).core);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (!isPunctuation(ch) || WORD_JOINERS.has(ch)) out += ch;
    else if (NUMBER_SEPARATORS.has(ch) && isDigit(chars[i - 1]) && isDigit(chars[i + 1])) out += ch;
  }
  return out;
}

/**
 * The key custom spelling compares words by: the core, lowercased, with typographic apostrophes
 * folded to ASCII so "I’m" and "i'm" are the same word. Inner punctuation is kept: "U.S" ≠ "us".
 */
export function matchKey(text: string): string {
  return splitAffixes(text).core.normalize('NFC').toLowerCase().replace(/’/g, "'");
}

/**
 * The key word search compares words by: lowercase with every punctuation mark removed (so "don't"
 * matches "dont" and "U.S." matches "us"), except number separators between digits, so that "3.5"
 * and "35" stay different numbers.
 */
export function searchKey(text: string): string {
  const chars = Array.from(text.normalize('NFC').toLowerCase());
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (!isPunctuation(ch)) out += ch;
    else if (NUMBER_SEPARATORS.has(ch) && isDigit(chars[i - 1]) && isDigit(chars[i + 1])) out += ch;
  }
  return out;
}

/**
 * True when `text`, after any leading punctuation, starts with an uppercase letter. A token that
 * starts with a digit or a symbol is not uppercase.
 */
export function startsWithUppercase(text: string): boolean {
  for (const ch of text) {
    if (isLetter(ch)) return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
    if (!isPunctuation(ch)) return false;
  }
  return false;
}

export function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}
