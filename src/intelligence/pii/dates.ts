import { readCardinal, tokenDigits } from './numbers.js';
import { PRIORITY, tokenSpan, type Candidate, type PiiDocument } from './recognizer.js';
import type { Token } from './tokens.js';

/**
 * Calendar dates as people say or write them: "march third nineteen eighty five", "June 5th,
 * 2024", "the fifth of june", "03/15/1990". A date needs a month: years alone and relative days
 * ("tomorrow", "next friday") are not calendar dates.
 */

export const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  sept: 9,
  october: 10,
  november: 11,
  december: 12,
};

/** Words that put a month name in a date's role when nothing else follows it ("in may"). */
const MONTH_LEAD_INS = new Set([
  'in',
  'of',
  'since',
  'until',
  'till',
  'by',
  'before',
  'after',
  'last',
  'next',
  'this',
  'early',
  'late',
  'mid',
  'during',
  'from',
  'through',
]);

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};
const ORDINAL_TENS: Record<string, number> = { twenty: 20, thirty: 30 };

/** Sentence-final punctuation ends a date; "June 5, 2024" keeps its comma. */
function endsPhrase(token: Token): boolean {
  return /[.?!;]/.test(token.trail);
}

interface Reading {
  value: number;
  end: number;
}

/** A day of the month: "third", "twenty first", "twenty-first", "3rd", "15", "twenty five". */
function readDay(tokens: readonly Token[], i: number): Reading | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  const literal = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(token.norm);
  if (literal) {
    const value = Number(literal[1]);
    return value >= 1 && value <= 31 ? { value, end: i + 1 } : undefined;
  }
  const [head = '', tail] = token.norm.split('-');
  if (tail !== undefined && ORDINAL_TENS[head] !== undefined && (ORDINALS[tail] ?? 10) < 10) {
    return { value: ORDINAL_TENS[head] + ORDINALS[tail]!, end: i + 1 };
  }
  if (ORDINALS[token.norm] !== undefined) return { value: ORDINALS[token.norm]!, end: i + 1 };
  const next = tokens[i + 1];
  if (
    ORDINAL_TENS[token.norm] !== undefined &&
    next &&
    !endsPhrase(token) &&
    (ORDINALS[next.norm] ?? 10) < 10
  ) {
    return { value: ORDINAL_TENS[token.norm]! + ORDINALS[next.norm]!, end: i + 2 };
  }
  const cardinal = readCardinal(tokens, i);
  if (cardinal && Number.isInteger(cardinal.value) && cardinal.value >= 1 && cardinal.value <= 31) {
    return { value: cardinal.value, end: cardinal.end };
  }
  return undefined;
}

/** Two-digit halves of a spoken year: "eighty five", "twenty", "oh five", "ten". */
function readYearHalf(tokens: readonly Token[], i: number): Reading | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  if (token.norm === 'oh' || token.norm === 'o') {
    const unit = tokens[i + 1] && !endsPhrase(token) ? tokenDigits(tokens[i + 1]!.norm) : undefined;
    return unit?.length === 1 && !/^\d$/.test(tokens[i + 1]!.norm)
      ? { value: Number(unit), end: i + 2 }
      : undefined;
  }
  const cardinal = readCardinal(tokens, i);
  if (!cardinal || /\d/.test(token.norm) || cardinal.value < 10 || cardinal.value > 99) return undefined;
  return { value: cardinal.value, end: cardinal.end };
}

/** A year: "1985", "nineteen eighty five", "two thousand and five", "twenty twenty four". */
export function readYear(tokens: readonly Token[], i: number): Reading | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  if (/^(?:19|20)\d\d$/.test(token.norm)) return { value: Number(token.norm), end: i + 1 };
  const century = { nineteen: 19, twenty: 20, eighteen: 18 }[token.norm];
  if (century !== undefined && !endsPhrase(token)) {
    if (tokens[i + 1]?.norm === 'hundred') return { value: century * 100, end: i + 2 };
    const half = readYearHalf(tokens, i + 1);
    if (half) return { value: century * 100 + half.value, end: half.end };
  }
  const cardinal = readCardinal(tokens, i);
  if (cardinal && !/\d/.test(token.norm) && cardinal.value >= 2000 && cardinal.value <= 2099) {
    return { value: cardinal.value, end: cardinal.end };
  }
  return undefined;
}

/** A date's tokens `[start, end)`. */
export interface DateRange {
  start: number;
  end: number;
}

/** A date starting with the month name at token `i`, or undefined. */
export function findDateAt(tokens: readonly Token[], i: number): DateRange | undefined {
  const month = tokens[i];
  if (!month || MONTHS[month.norm] === undefined) return undefined;
  let end = i + 1;
  if (!endsPhrase(month)) {
    const year = readYear(tokens, end);
    if (year) end = year.end;
    else {
      const day = readDay(tokens, end);
      if (day) {
        end = day.end;
        const after = tokens[end - 1]!;
        const dayYear = endsPhrase(after) ? undefined : readYear(tokens, end);
        if (dayYear) end = dayYear.end;
      }
    }
  }
  // A bare month name ("may", "march", "june") is a date only where a date is expected.
  if (end === i + 1 && !MONTH_LEAD_INS.has(tokens[i - 1]?.norm ?? '')) return undefined;
  return { start: i, end };
}

/** "the fifth of june (nineteen ninety)": the day's tokens first. */
function findDayOfMonthAt(tokens: readonly Token[], i: number): DateRange | undefined {
  const day = readDay(tokens, i);
  if (!day || /^\d+$/.test(tokens[i]!.norm) || tokens[day.end]?.norm !== 'of') return undefined;
  const month = tokens[day.end + 1];
  if (!month || MONTHS[month.norm] === undefined) return undefined;
  const year = endsPhrase(month) ? undefined : readYear(tokens, day.end + 2);
  return { start: i, end: year ? year.end : day.end + 2 };
}

/** Written dates: "03/15/1990", "3-15-90", "1990-03-15". */
function isNumericDate(norm: string): boolean {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(norm);
  if (iso) return validDay(Number(iso[2]), Number(iso[3]));
  const us = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$/.exec(norm);
  // Month first (US) or day first: either order names a date when its numbers fit.
  return us !== null && (validDay(Number(us[1]), Number(us[3])) || validDay(Number(us[3]), Number(us[1])));
}

function validDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Every calendar date in the tokens, in order, never overlapping. */
export function findDateRanges(tokens: readonly Token[]): DateRange[] {
  const out: DateRange[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const norm = tokens[i]!.norm;
    const range =
      MONTHS[norm] !== undefined
        ? findDateAt(tokens, i)
        : isNumericDate(norm)
          ? { start: i, end: i + 1 }
          : findDayOfMonthAt(tokens, i);
    if (range) {
      out.push(range);
      i = range.end - 1;
    }
  }
  return out;
}

export function findDates(doc: PiiDocument): Candidate[] {
  return findDateRanges(doc.tokens).map((r) => tokenSpan(doc.tokens, r.start, r.end, 'date', PRIORITY.date));
}
