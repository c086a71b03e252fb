import { readFile } from 'node:fs/promises';
import { EarshotError } from '../domain/errors.js';

/**
 * English text normalisation for word error rate, following the rules Whisper's authors describe
 * for their English evaluations: lowercase; drop bracketed and parenthesised text and filler words;
 * expand contractions and titles; spell numbers as digits (with ordinals, decimals, currencies and
 * percentages); British → American spelling; drop punctuation, symbols and diacritics.
 *
 * Both the reference and the hypothesis go through the same function, so formatting choices
 * ("25" vs "twenty-five", "colour" vs "color", "Mr." vs "mister") stop counting as errors.
 *
 * Deliberate differences from the reference implementation, each a fix of a slip there:
 * "ninth" is an ordinal (there it is only the misspelling "nineth"); "$0.5" is 50 cents (there 5);
 * a currency sign or "%" with no number beside it is removed at either end of the text too; and
 * only a lone "1"/"1s" is written back as "one"/"ones" (there "$1" became "$one", then "one").
 */

/** Loads the British → American spelling map (Whisper's `english.json`) from `path`. */
export async function loadSpellingMap(path: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new EarshotError('internal', `cannot read the spelling map ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EarshotError('internal', `spelling map ${path} is not a JSON object`);
  }
  const map: Record<string, string> = {};
  for (const [from, to] of Object.entries(parsed)) {
    if (typeof to !== 'string') {
      throw new EarshotError('internal', `spelling map ${path}: the value for "${from}" is not a string`);
    }
    map[from] = to;
  }
  return map;
}

/** Returns a normaliser that applies the English rules, using `spellingMap` for British spellings. */
export function createEnglishNormalizer(spellingMap: Record<string, string>): (text: string) => string {
  // A Map so that words like "constructor" are never looked up on Object.prototype.
  const spellings = new Map(Object.entries(spellingMap));
  return (text) => normalizeEnglish(text, spellings);
}

// Python's `\b` is Unicode-aware while JavaScript's is ASCII-only; these look-arounds keep
// "café" or "naïve" from gaining word boundaries in the middle.
const WORD_START = String.raw`(?<![\p{L}\p{N}_])`;
const WORD_END = String.raw`(?![\p{L}\p{N}_])`;

function wordRegex(body: string): RegExp {
  return new RegExp(`${WORD_START}(?:${body})${WORD_END}`, 'gu');
}

const FILLERS = wordRegex('hmm|mm|mhm|mmm|uh|um');

/** Applied in order: specific forms before the general suffix rules that would otherwise eat them. */
const REPLACEMENTS: readonly (readonly [RegExp, string])[] = [
  // Common contractions and spoken forms.
  [wordRegex("won't"), 'will not'],
  [wordRegex("can't"), 'can not'],
  [wordRegex("let's"), 'let us'],
  [wordRegex("ain't"), 'aint'],
  [wordRegex("y'all"), 'you all'],
  [wordRegex('wanna'), 'want to'],
  [wordRegex('gotta'), 'got to'],
  [wordRegex('gonna'), 'going to'],
  [wordRegex("i'ma"), 'i am going to'],
  [wordRegex('imma'), 'i am going to'],
  [wordRegex('woulda'), 'would have'],
  [wordRegex('coulda'), 'could have'],
  [wordRegex('shoulda'), 'should have'],
  [wordRegex("ma'am"), 'madam'],
  // Abbreviated titles (the period, if any, is removed later).
  ...(
    [
      ['mr', 'mister'],
      ['mrs', 'missus'],
      ['st', 'saint'],
      ['dr', 'doctor'],
      ['prof', 'professor'],
      ['capt', 'captain'],
      ['gov', 'governor'],
      ['ald', 'alderman'],
      ['gen', 'general'],
      ['sen', 'senator'],
      ['rep', 'representative'],
      ['pres', 'president'],
      ['rev', 'reverend'],
      ['hon', 'honorable'],
      ['asst', 'assistant'],
      ['assoc', 'associate'],
      ['lt', 'lieutenant'],
      ['col', 'colonel'],
      ['jr', 'junior'],
      ['sr', 'senior'],
      ['esq', 'esquire'],
    ] as const
  ).map(([short, long]) => [wordRegex(short), `${long} `] as const),
  // Perfect tenses, where "'s" and "'d" mean has/had rather than is/would.
  [new RegExp(`'d been${WORD_END}`, 'gu'), ' had been'],
  [new RegExp(`'s been${WORD_END}`, 'gu'), ' has been'],
  [new RegExp(`'d gone${WORD_END}`, 'gu'), ' had gone'],
  [new RegExp(`'s gone${WORD_END}`, 'gu'), ' has gone'],
  [new RegExp(`'d done${WORD_END}`, 'gu'), ' had done'], // "'s done" is ambiguous, so left alone
  [new RegExp(`'s got${WORD_END}`, 'gu'), ' has got'],
  // General contractions.
  [new RegExp(`n't${WORD_END}`, 'gu'), ' not'],
  [new RegExp(`'re${WORD_END}`, 'gu'), ' are'],
  [new RegExp(`'s${WORD_END}`, 'gu'), ' is'],
  [new RegExp(`'d${WORD_END}`, 'gu'), ' would'],
  [new RegExp(`'ll${WORD_END}`, 'gu'), ' will'],
  [new RegExp(`'t${WORD_END}`, 'gu'), ' not'],
  [new RegExp(`'ve${WORD_END}`, 'gu'), ' have'],
  [new RegExp(`'m${WORD_END}`, 'gu'), ' am'],
];

/** Letters NFKD does not decompose, spelled the way a reader would type them in ASCII. */
const EXTRA_DIACRITICS: Readonly<Record<string, string>> = {
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  ß: 'ss',
  ẞ: 'SS',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'th',
  ł: 'l',
  Ł: 'L',
};

/** Symbols that carry meaning next to a number, kept until numbers are standardised. */
const NUMERIC_SYMBOLS = new Set(['.', '%', '$', '¢', '€', '£']);

/** NFKD, then: accents dropped, other marks, symbols and punctuation become spaces. */
const NONSPACING_MARK = /^\p{Mn}$/u;
const MARK_SYMBOL_OR_PUNCTUATION = /^[\p{M}\p{S}\p{P}]$/u;

function removeSymbolsAndDiacritics(text: string, keep: ReadonlySet<string>): string {
  let out = '';
  for (const char of text.normalize('NFKD')) {
    const replacement = EXTRA_DIACRITICS[char];
    if (keep.has(char)) out += char;
    else if (replacement !== undefined) out += replacement;
    else if (NONSPACING_MARK.test(char)) continue;
    else if (MARK_SYMBOL_OR_PUNCTUATION.test(char)) out += ' ';
    else out += char;
  }
  return out;
}

function normalizeEnglish(input: string, spellings: ReadonlyMap<string, string>): string {
  let s = input.toLowerCase();
  s = s.replace(/[<[][^>\]]*[>\]]/g, ''); // [NOISE], <unk>, [inaudible]
  s = s.replace(/\([^)]+?\)/g, ''); // (laughs)
  s = s.replace(FILLERS, '');
  s = s.replace(/\s+'/g, "'"); // "he 's" → "he's", so the contraction rules see it
  for (const [pattern, replacement] of REPLACEMENTS) s = s.replace(pattern, replacement);
  s = s.replace(/(\d),(\d)/g, '$1$2'); // thousands separators
  s = s.replace(/\.([^0-9]|$)/g, ' $1'); // periods that are not decimal points
  s = removeSymbolsAndDiacritics(s, NUMERIC_SYMBOLS);
  s = standardizeNumbers(s);
  s = s
    .split(/\s+/)
    .map((word) => spellings.get(word) ?? word)
    .join(' ');
  // Currency signs, periods and percent signs that did not end up beside a number.
  s = s.replace(/[.$¢€£](?=[^0-9]|$)/g, ' ');
  s = s.replace(/(^|[^0-9])%/g, '$1 ');
  return s.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Numbers: spelled-out numbers → digits.

const ONES_NAMES = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const TENS_NAMES = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
const MULTIPLIER_NAMES = [
  'hundred',
  'thousand',
  'million',
  'billion',
  'trillion',
  'quadrillion',
  'quintillion',
  'sextillion',
  'septillion',
  'octillion',
  'nonillion',
  'decillion',
] as const;

/** A number word that ends the number and carries a suffix: "fifth" → 5 + "th", "sixes" → 6 + "s". */
interface Suffixed {
  value: number;
  suffix: string;
}

const ZEROS = new Set(['o', 'oh', 'zero']);
const ONES = new Map<string, number>(ONES_NAMES.map((name, i) => [name, i + 1]));
const IRREGULAR_ORDINALS: Readonly<Record<string, string>> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};
const ONES_SUFFIXED = new Map<string, Suffixed>();
for (const [name, value] of ONES) {
  ONES_SUFFIXED.set(name === 'six' ? 'sixes' : `${name}s`, { value, suffix: 's' });
  const ordinal = IRREGULAR_ORDINALS[name] ?? `${name}th`;
  const suffix = value === 1 ? 'st' : value === 2 ? 'nd' : value === 3 ? 'rd' : 'th';
  ONES_SUFFIXED.set(ordinal, { value, suffix });
}
ONES_SUFFIXED.set('zeroth', { value: 0, suffix: 'th' });

const TENS = new Map<string, number>(TENS_NAMES.map((name, i) => [name, (i + 2) * 10]));
const TENS_SUFFIXED = new Map<string, Suffixed>();
for (const [name, value] of TENS) {
  TENS_SUFFIXED.set(name.replace('y', 'ies'), { value, suffix: 's' });
  TENS_SUFFIXED.set(name.replace('y', 'ieth'), { value, suffix: 'th' });
}

const MULTIPLIERS = new Map<string, bigint>(
  MULTIPLIER_NAMES.map((name, i) => [name, i === 0 ? 100n : 10n ** BigInt(3 * i)]),
);
const MULTIPLIERS_SUFFIXED = new Map<string, { value: bigint; suffix: string }>();
for (const [name, value] of MULTIPLIERS) {
  MULTIPLIERS_SUFFIXED.set(`${name}s`, { value, suffix: 's' });
  MULTIPLIERS_SUFFIXED.set(`${name}th`, { value, suffix: 'th' });
}

const DECIMAL_WORDS = new Set([...ONES.keys(), ...TENS.keys(), ...ZEROS]);
/** Sign words, applied only when a number follows. */
const PRECEDING_PREFIXERS = new Map([
  ['minus', '-'],
  ['negative', '-'],
  ['plus', '+'],
  ['positive', '+'],
]);
/** Currency words, which move in front of the number they follow: "five dollars" → "$5". */
const FOLLOWING_PREFIXERS = new Map([
  ['pound', '£'],
  ['pounds', '£'],
  ['euro', '€'],
  ['euros', '€'],
  ['dollar', '$'],
  ['dollars', '$'],
  ['cent', '¢'],
  ['cents', '¢'],
]);
const PREFIX_SYMBOLS = new Set([...PRECEDING_PREFIXERS.values(), ...FOLLOWING_PREFIXERS.values()]);
const SPECIALS = new Set(['and', 'double', 'triple', 'point']);

/** Every word the number parser may consume. Other words pass through untouched. */
const NUMBER_WORDS = new Set<string>([
  ...ZEROS,
  ...ONES.keys(),
  ...ONES_SUFFIXED.keys(),
  ...TENS.keys(),
  ...TENS_SUFFIXED.keys(),
  ...MULTIPLIERS.keys(),
  ...MULTIPLIERS_SUFFIXED.keys(),
  ...PRECEDING_PREFIXERS.keys(),
  ...FOLLOWING_PREFIXERS.keys(),
  'per',
  'percent',
  ...SPECIALS,
]);

const NUMERIC = /^\d+(\.\d+)?$/;

function standardizeNumbers(text: string): string {
  const words = splitNumberTokens(text).split(/\s+/).filter(Boolean);
  return joinCurrencyAndCents(parseNumberWords(words).join(' '));
}

/** Prepares text for the word parser: "two and a half" → "two point five", "5kg" → "5 kg", "5 th" → "5th". */
function splitNumberTokens(text: string): string {
  let s = text.replace(
    /(?<!\S)([a-z]+)(\s+)and\s+a\s+half(?![\p{L}\p{N}_])/gu,
    (match, word: string, space: string) =>
      DECIMAL_WORDS.has(word) || MULTIPLIERS.has(word) ? `${word}${space}point five` : match,
  );
  s = s.replace(/([a-z])([0-9])/g, '$1 $2');
  s = s.replace(/([0-9])([a-z])/g, '$1 $2');
  return s.replace(/([0-9])\s+(st|nd|rd|th|s)\b/g, '$1$2');
}

/** "$2 and ¢7" → "$2.07"; "$0.07" → "¢7"; a lone "1" is written "one" again, as people read it. */
function joinCurrencyAndCents(text: string): string {
  let s = text.replace(
    /([€£$])([0-9]+) (?:and )?¢([0-9]{1,2})\b/g,
    (_m, currency: string, whole: string, cents: string) => `${currency}${whole}.${cents.padStart(2, '0')}`,
  );
  s = s.replace(/[€£$]0\.([0-9]{1,2})\b/g, (_m, fraction: string) => `¢${Number(fraction.padEnd(2, '0'))}`);
  return s.replace(/(?<!\S)1(s?)(?!\S)/g, 'one$1');
}

/** An exact rational, for "1.5 million" → 1500000 without floating point. */
interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

/** Parses "12", "12.5" or "12." exactly; null for anything else. */
function toFraction(value: bigint | string): Fraction | null {
  if (typeof value === 'bigint') return { numerator: value, denominator: 1n };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(value);
  if (!match || value === '' || value === '.') return null;
  const whole = match[1] ?? '';
  const decimals = match[2] ?? '';
  return { numerator: BigInt(`${whole}${decimals}` || '0'), denominator: 10n ** BigInt(decimals.length) };
}

/** An exact product with an integer, or null when it is not a whole number. */
function scaleToInteger(value: bigint | string, multiplier: bigint): bigint | null {
  const f = toFraction(value);
  if (f === null) return null;
  const product = f.numerator * multiplier;
  return product % f.denominator === 0n ? product / f.denominator : null;
}

/**
 * Reads words left to right, accumulating a number. `value` is a bigint while the number is still
 * arithmetic ("one hundred" + "five" = 105) and a digit string once it is read digit-wise
 * ("nineteen ninety" → "1990", "oh five" → "05", "three point" → "3.").
 */
function parseNumberWords(words: readonly string[]): string[] {
  const out: string[] = [];
  let value: bigint | string | null = null;
  let prefix: string | null = null;

  // Emits `text` (with any pending sign or currency in front) and clears the accumulator.
  const emit = (text: bigint | string): void => {
    out.push(`${prefix ?? ''}${text}`);
    value = null;
    prefix = null;
  };
  const flush = (): void => {
    if (value !== null) emit(value);
  };
  // Python-style truthiness of the accumulator as a digit string: null and 0 read as "".
  const digitsSoFar = (): string => (value === null || value === 0n ? '' : String(value));

  /** Appends a ones value (0 < n < 20) to the accumulator; returns the new value. */
  const withOnes = (current: bigint | string, ones: number, prev: string | undefined): bigint | string => {
    if (typeof current === 'string' || (prev !== undefined && ONES.has(prev))) {
      const text = String(current);
      // "fourteen fifty" is "1450"; a following "five" fills the tens' zero: "1455".
      if (prev !== undefined && TENS.has(prev) && ones < 10 && text.endsWith('0'))
        return text.slice(0, -1) + ones;
      return text + ones;
    }
    if (ones < 10) return current % 10n === 0n ? current + BigInt(ones) : `${current}${ones}`;
    return current % 100n === 0n ? current + BigInt(ones) : `${current}${ones}`;
  };

  let skipNext = false;
  for (let i = 0; i < words.length; i++) {
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const current = words[i] ?? '';
    const prev = words[i - 1];
    const next = words[i + 1];
    const nextIsNumeric = next !== undefined && NUMERIC.test(next);
    const nextCanBeNumber = nextIsNumeric || (next !== undefined && NUMBER_WORDS.has(next));
    const first = current.charAt(0);
    const hasPrefix = PREFIX_SYMBOLS.has(first);
    const bare = hasPrefix ? current.slice(1) : current;

    if (NUMERIC.test(bare)) {
      // Digits already: "3", "$5", "2.50".
      if (value !== null) {
        if (typeof value === 'string' && value.endsWith('.')) {
          value = value + current; // "three point 5", or parts of an address
          continue;
        }
        emit(value);
      }
      if (hasPrefix) prefix = first;
      const f = toFraction(bare);
      value = f !== null && f.numerator % f.denominator === 0n ? f.numerator / f.denominator : bare;
      continue;
    }
    if (!NUMBER_WORDS.has(current)) {
      flush();
      emit(current);
      continue;
    }
    if (ZEROS.has(current)) {
      value = `${digitsSoFar()}0`;
      continue;
    }
    const ones = ONES.get(current);
    if (ones !== undefined) {
      value = value === null ? BigInt(ones) : withOnes(value, ones, prev);
      continue;
    }
    const onesSuffixed = ONES_SUFFIXED.get(current);
    if (onesSuffixed !== undefined) {
      // An ordinal or plural ends the number.
      const { value: n, suffix } = onesSuffixed;
      emit(`${value === null ? n : withOnes(value, n, prev)}${suffix}`);
      continue;
    }
    const tens = TENS.get(current);
    if (tens !== undefined) {
      if (value === null) value = BigInt(tens);
      else if (typeof value === 'string') value = `${value}${tens}`;
      else value = value % 100n === 0n ? value + BigInt(tens) : `${value}${tens}`;
      continue;
    }
    const tensSuffixed = TENS_SUFFIXED.get(current);
    if (tensSuffixed !== undefined) {
      const { value: n, suffix } = tensSuffixed;
      let text: string;
      if (value === null) text = String(n);
      else if (typeof value === 'string') text = `${value}${n}`;
      else text = value % 100n === 0n ? String(value + BigInt(n)) : `${value}${n}`;
      emit(`${text}${suffix}`);
      continue;
    }
    const multiplier = MULTIPLIERS.get(current);
    if (multiplier !== undefined) {
      if (value === null) value = multiplier;
      else if (typeof value === 'string' || value === 0n) {
        const product = scaleToInteger(value, multiplier);
        if (product !== null) value = product;
        else {
          emit(value);
          value = multiplier;
        }
      } else value = applyMultiplier(value, multiplier);
      continue;
    }
    const multiplierSuffixed = MULTIPLIERS_SUFFIXED.get(current);
    if (multiplierSuffixed !== undefined) {
      const { value: m, suffix } = multiplierSuffixed;
      if (value === null) emit(`${m}${suffix}`);
      else if (typeof value === 'string') {
        const product = scaleToInteger(value, m);
        if (product !== null) emit(`${product}${suffix}`);
        else {
          emit(value);
          emit(`${m}${suffix}`);
        }
      } else emit(`${applyMultiplier(value, m)}${suffix}`);
      continue;
    }
    const sign = PRECEDING_PREFIXERS.get(current);
    if (sign !== undefined) {
      flush();
      if (nextCanBeNumber) prefix = sign;
      else emit(current);
      continue;
    }
    const currency = FOLLOWING_PREFIXERS.get(current);
    if (currency !== undefined) {
      if (value !== null) {
        prefix = currency;
        emit(value);
      } else emit(current);
      continue;
    }
    if (current === 'percent' || current === 'per') {
      if (value === null) emit(current);
      else if (current === 'percent') emit(`${value}%`);
      else if (next === 'cent') {
        emit(`${value}%`);
        skipNext = true;
      } else {
        emit(value);
        emit(current);
      }
      continue;
    }
    // The specials: "and", "double", "triple", "point". They matter only before a number.
    if (!nextCanBeNumber) {
      flush();
      emit(current);
    } else if (current === 'and') {
      // "one hundred and two" is 102; any other "and" separates numbers.
      if (prev === undefined || !MULTIPLIERS.has(prev)) {
        flush();
        emit(current);
      }
    } else if (current === 'double' || current === 'triple') {
      if (next !== undefined && (ONES.has(next) || ZEROS.has(next))) {
        const digit = String(ONES.get(next) ?? 0);
        value = digitsSoFar() + digit.repeat(current === 'double' ? 2 : 3);
        skipNext = true;
      } else {
        flush();
        emit(current);
      }
    } else if (next !== undefined && (DECIMAL_WORDS.has(next) || nextIsNumeric)) {
      value = `${digitsSoFar()}.`; // "point" before a digit word
    }
    // A "point" before another number word ("point hundred") is dropped, as in the reference rules.
  }
  flush();
  return out;
}

/** "two thousand five" × hundred multiplies only the part below a thousand: 2000 + 5 × 100. */
function applyMultiplier(value: bigint, multiplier: bigint): bigint {
  const thousands = (value / 1000n) * 1000n;
  return thousands + (value % 1000n) * multiplier;
}
