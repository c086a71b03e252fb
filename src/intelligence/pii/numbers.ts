import type { Token } from './tokens.js';

/**
 * Spoken-number normalization. Speech recognition writes numbers either as digits ("555-1234") or
 * as words, and people read identifiers digit by digit ("five five five"), in pairs ("forty one
 * eleven"), with "oh" for zero and "double"/"triple" for repeats. Two readings are needed:
 * `readDigits` turns such a stretch into the digit string it spells (phones, cards, SSNs), and
 * `readCardinal` into the quantity it names (money, dates: "one hundred and five").
 */

const UNITS: Record<string, number> = {
  zero: 0,
  oh: 0,
  o: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
};
const TEENS: Record<string, number> = {
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const REPEATS: Record<string, number> = { double: 2, triple: 3 };
const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

/** Words said between digit groups: "five five five dash one two three", "oh four slash two six". */
const SPOKEN_SEPARATORS = new Set(['dash', 'hyphen', 'slash']);

/** "oh" and "o" stand for zero only inside a digit sequence, never on their own ("oh I see"). */
const ZERO_ALIASES = new Set(['oh', 'o']);

/** A token written in digits, possibly with the separators phone and card numbers are printed with. */
const DIGIT_LITERAL = /^\+?[\d()\-./]*\d[\d()\-./]*$/;
/** A number as a quantity: "25", "3,000", "25.99". */
const QUANTITY_LITERAL = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** The value of a number word below 100 that a single token spells ("seven", "twenty-five"). */
function smallNumber(norm: string): number | undefined {
  const single = UNITS[norm] ?? TEENS[norm] ?? TENS[norm];
  if (single !== undefined) return single;
  const [tens, unit, ...rest] = norm.split('-');
  if (rest.length > 0 || tens === undefined || unit === undefined) return undefined;
  const t = TENS[tens];
  const u = UNITS[unit];
  return t !== undefined && u !== undefined && u > 0 && !ZERO_ALIASES.has(unit) ? t + u : undefined;
}

/** The digits one token spells on its own ("7", "seven", "twenty-five"), or undefined. */
export function tokenDigits(norm: string): string | undefined {
  if (DIGIT_LITERAL.test(norm)) return norm.replace(/\D/g, '');
  const value = smallNumber(norm);
  return value === undefined ? undefined : String(value);
}

export function isNumberWord(norm: string): boolean {
  return smallNumber(norm) !== undefined || norm === 'hundred' || norm in SCALES;
}

/** A compound below 100 starting at `i`: a unit, a teen, or tens with an optional unit. */
function readCompound(tokens: readonly Token[], i: number): { value: number; end: number } | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  const value = smallNumber(token.norm);
  if (value === undefined) return undefined;
  const next = tokens[i + 1];
  // "twenty five" is one compound; "twenty-five" already was one token.
  if (TENS[token.norm] !== undefined && next && !endsSpokenRun(token)) {
    const unit = UNITS[next.norm];
    if (unit !== undefined && unit > 0) return { value: value + unit, end: i + 2 };
  }
  return { value, end: i + 1 };
}

/** Sentence-final punctuation ends a spoken number; commas do not ("five five five, one two three"). */
function endsSpokenRun(token: Token): boolean {
  return /[.?!;]/.test(token.trail);
}

/** A group of tokens that spells digits together: "7", "twenty five", "double five", "eight hundred". */
export interface DigitGroup {
  start: number;
  end: number;
  digits: string;
}

/** The digit string a stretch of tokens spells, group by group. */
export interface DigitReading {
  digits: string;
  /** Index of the first token. */
  start: number;
  /** Index after the last token. */
  end: number;
  /** The groups in order; separator words ("dash") between them belong to no group. */
  groups: DigitGroup[];
}

/** One group of a digit sequence starting at `i`: its digits and the index after it. */
function readDigitGroup(
  tokens: readonly Token[],
  i: number,
  first: boolean,
): { digits: string; end: number } | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  if (DIGIT_LITERAL.test(token.norm)) return { digits: token.norm.replace(/\D/g, ''), end: i + 1 };
  const repeat = REPEATS[token.norm];
  if (repeat !== undefined && !endsSpokenRun(token)) {
    const unit = tokens[i + 1] ? UNITS[tokens[i + 1]!.norm] : undefined;
    if (unit !== undefined) return { digits: String(unit).repeat(repeat), end: i + 2 };
    return undefined;
  }
  // A leading "oh" is an interjection more often than a zero; it counts only before another digit.
  if (first && ZERO_ALIASES.has(token.norm)) {
    const next = tokens[i + 1];
    if (!next || endsSpokenRun(token) || !(next.norm in UNITS || DIGIT_LITERAL.test(next.norm))) {
      return undefined;
    }
  }
  const compound = readCompound(tokens, i);
  if (!compound) return undefined;
  let value = compound.value;
  let end = compound.end;
  // "eight hundred" is 800 and "one hundred ninety two" is 192, not 1100 or 10092.
  const last = tokens[end - 1]!;
  if (value > 0 && value < 10 && tokens[end]?.norm === 'hundred' && !endsSpokenRun(last)) {
    value *= 100;
    end++;
    let next = end;
    if (tokens[next]?.norm === 'and') next++;
    const rest = endsSpokenRun(tokens[end - 1]!) ? undefined : readCompound(tokens, next);
    // A bare unit after "hundred" is the next digit ("eight hundred five five five" is a toll-free
    // prefix), unless "and" joins it ("one hundred and five").
    const joined = next > end || (rest !== undefined && UNITS[tokens[next]!.norm] === undefined);
    if (rest && joined && rest.value > 0) {
      value += rest.value;
      end = rest.end;
    }
    return { digits: String(value), end };
  }
  return { digits: String(value), end };
}

/**
 * Reads the longest digit sequence starting at token `start`, or undefined when the token starts
 * none. Separator words a reader says between groups ("dash") are taken in without digits.
 */
export function readDigits(tokens: readonly Token[], start: number): DigitReading | undefined {
  let digits = '';
  const groups: DigitGroup[] = [];
  let i = start;
  while (i < tokens.length) {
    const previous = tokens[i - 1];
    if (i > start && previous && endsSpokenRun(previous)) break;
    const group = readDigitGroup(tokens, i, i === start);
    if (!group) {
      // "five five five dash one two three": the dash belongs to the number only between digits.
      const next = i + 1 < tokens.length ? readDigitGroup(tokens, i + 1, false) : undefined;
      if (i > start && SPOKEN_SEPARATORS.has(tokens[i]!.norm) && next) {
        i++;
        continue;
      }
      break;
    }
    digits += group.digits;
    groups.push({ start: i, end: group.end, digits: group.digits });
    i = group.end;
  }
  if (digits === '') return undefined;
  return { digits, start, end: i, groups };
}

/**
 * Every maximal digit sequence in the tokens, in order. Each token belongs to at most one, so the
 * whole pass is linear.
 */
export function findDigitRuns(tokens: readonly Token[]): DigitReading[] {
  const runs: DigitReading[] = [];
  for (let i = 0; i < tokens.length;) {
    const run = readDigits(tokens, i);
    if (run) {
      runs.push(run);
      i = run.end;
    } else i++;
  }
  return runs;
}

/** A sub-stretch of a digit run: tokens `[start, end)` and the digits they spell. */
export interface DigitWindow {
  start: number;
  end: number;
  digits: string;
}

/**
 * Every stretch of whole groups inside a run whose digit count is in `[min, max]`, longest first,
 * then leftmost. A run holds a few dozen groups at most, so the quadratic walk stays small.
 */
export function digitWindows(run: DigitReading, min: number, max: number): DigitWindow[] {
  const out: DigitWindow[] = [];
  const { groups } = run;
  for (let a = 0; a < groups.length; a++) {
    let digits = '';
    for (let b = a; b < groups.length; b++) {
      digits += groups[b]!.digits;
      if (digits.length > max) break;
      if (digits.length >= min) out.push({ start: groups[a]!.start, end: groups[b]!.end, digits });
    }
  }
  return out.sort((x, y) => y.digits.length - x.digits.length || x.start - y.start);
}

/**
 * Picks windows that pass `accept`, longest first, never two sharing a token, so that a valid
 * 16-digit card is not also read as a phone number plus leftovers.
 */
export function pickWindows(
  windows: readonly DigitWindow[],
  accept: (window: DigitWindow) => boolean,
): DigitWindow[] {
  const taken: DigitWindow[] = [];
  for (const window of windows) {
    if (taken.some((t) => t.start < window.end && window.start < t.end)) continue;
    if (accept(window)) taken.push(window);
  }
  return taken;
}

/** A quantity read from the tokens: its value and the index after its last token. */
export interface CardinalReading {
  value: number;
  start: number;
  end: number;
}

/**
 * Reads a quantity starting at token `start`: "25", "3,000", "1.5 million", "twenty five",
 * "a hundred", "two thousand and five", "one hundred twenty three point five". Digit-by-digit
 * readings ("five five") are not quantities: the reading stops at the second unit.
 */
export function readCardinal(tokens: readonly Token[], start: number): CardinalReading | undefined {
  const first = tokens[start];
  if (!first) return undefined;
  if (QUANTITY_LITERAL.test(first.norm)) {
    let value = Number(first.norm.replace(/,/g, ''));
    let end = start + 1;
    const scale = tokens[end] && !endsSpokenRun(first) ? SCALES[tokens[end]!.norm] : undefined;
    if (scale !== undefined) {
      value *= scale;
      end++;
    }
    return { value, start, end };
  }
  let total = 0;
  let current = 0;
  let i = start;
  let read = false;
  /** What the previous token was, to tell "twenty five" (one number) from "five five" (two). */
  let last: 'none' | 'unit' | 'teen' | 'tens' | 'hundred' | 'scale' | 'and' = 'none';
  while (i < tokens.length) {
    const token = tokens[i]!;
    const norm = token.norm;
    if ((norm === 'a' || norm === 'an') && last === 'none') {
      const next = tokens[i + 1]?.norm;
      if (next !== 'hundred' && !(next !== undefined && next in SCALES)) break;
      current = 1;
      last = 'unit';
      read = true;
      i++;
      continue;
    }
    const small = ZERO_ALIASES.has(norm) ? undefined : smallNumber(norm);
    if (small !== undefined) {
      const kind = norm.includes('-')
        ? 'teen'
        : UNITS[norm] !== undefined
          ? 'unit'
          : TEENS[norm]
            ? 'teen'
            : 'tens';
      const fits =
        last === 'none' ||
        last === 'hundred' ||
        last === 'scale' ||
        last === 'and' ||
        (last === 'tens' && kind === 'unit' && small > 0);
      if (!fits) break;
      current += small;
      last = kind;
      read = true;
    } else if (norm === 'hundred' && read && current > 0 && current < 100 && last !== 'and') {
      current *= 100;
      last = 'hundred';
    } else if (norm in SCALES && read && last !== 'and' && last !== 'scale') {
      total += (current || 1) * SCALES[norm]!;
      current = 0;
      last = 'scale';
    } else if (norm === 'and' && (last === 'hundred' || last === 'scale')) {
      const next = tokens[i + 1];
      if (!next || smallNumber(next.norm) === undefined || ZERO_ALIASES.has(next.norm)) break;
      last = 'and';
    } else break;
    i++;
    if (endsSpokenRun(token)) break;
  }
  if (!read) return undefined;
  if (last === 'and') i--;
  return { value: total + current, start, end: i };
}
