import { splitAffixes, startsWithUppercase } from './token.js';

/** Marks that end a sentence without doubt. */
const FINAL_MARKS = new Set(['?', '!', '‽', '。', '？', '！']);

/** Closing quotes and brackets that may follow the sentence mark: `done."`, `(yes!)`. */
const CLOSERS = new Set(Array.from('"\'”’»›)]}」』）'));

/**
 * Abbreviations that stand before a name or an example and so essentially never end a sentence
 * ("Mr. Smith", "e.g. apples"). Keys are lowercase, without the final period.
 */
const NEVER_FINAL = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'prof',
  'rev',
  'hon',
  'st',
  'mt',
  'gen',
  'col',
  'capt',
  'lt',
  'sgt',
  'gov',
  'sen',
  'rep',
  'vs',
  'cf',
  'approx',
  'fig',
  'e.g',
  'i.e',
]);

/**
 * Abbreviations that often end a sentence too ("… and so on, etc.", "Martin Luther King Jr.").
 * After one of these, a sentence ends only when the next word starts with a capital letter.
 */
const AMBIGUOUS = new Set(['etc', 'inc', 'ltd', 'co', 'corp', 'jr', 'sr']);

/** Dotted initialisms: "U.S", "a.m", "p.m" (the final period already removed). */
const DOTTED_INITIALISM = /^(?:\p{L}\.)+\p{L}$/u;

/**
 * Whether the word `text` ends a sentence, given the next word's text (undefined at the end).
 *
 * `?` and `!` always end one. A period does unless it closes an abbreviation that stands before
 * something ("Mr.", "e.g."), or it sits between digits split across two tokens ("3." "5").
 * After an ambiguous abbreviation ("etc.", "U.S.", "a.m.") or an ellipsis, a sentence ends only if
 * the next word starts with a capital letter — the one signal that a new sentence began.
 */
export function endsSentence(text: string, next: string | undefined): boolean {
  let chars = Array.from(text);
  while (chars.length > 0 && CLOSERS.has(chars[chars.length - 1] ?? '')) chars = chars.slice(0, -1);
  const last = chars[chars.length - 1];
  if (last === undefined) return false;
  if (FINAL_MARKS.has(last)) return true;
  const nextStartsSentence = next === undefined || startsWithUppercase(next);
  if (last === '…') return nextStartsSentence;
  if (last !== '.') return false;

  const body = chars.slice(0, -1).join('');
  if (body.endsWith('..')) return nextStartsSentence; // "..." written as three periods
  const key = splitAffixes(body).core.toLowerCase();
  if (key === '') return true; // a lone "." token, as some engines emit, closes the sentence
  if (NEVER_FINAL.has(key)) return false;
  if (/\d$/u.test(key) && next !== undefined && /^\d/u.test(next)) return false;
  if (AMBIGUOUS.has(key) || DOTTED_INITIALISM.test(key)) return nextStartsSentence;
  return true;
}
