import { findDateRanges, readYear } from './dates.js';
import { digitWindows, pickWindows } from './numbers.js';
import { PRIORITY, tokenSpan, type Candidate, type PiiDocument } from './recognizer.js';
import { cues, hasCueBefore } from './tokens.js';

/** US social security numbers and dates of birth. */

const SSN_CUES = cues('social', 'ssn', 's s n', 'social security', 'security number', 'ss number');
const WRITTEN_SSN = /^\d{3}-\d{2}-\d{4}$/;

/**
 * The SSA's structural rules: no area 000, 666 or 900-999 (never issued), no group 00, no serial
 * 0000. Nine digits that break them are some other number.
 */
export function isPlausibleSsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

export function findSsns(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (const run of doc.runs) {
    const picked = pickWindows(
      digitWindows(run, 9, 9),
      (w) =>
        isPlausibleSsn(w.digits) &&
        // Nine digits are many things; the SSN's own dashed shape or the speaker saying so decides.
        ((w.end === w.start + 1 && WRITTEN_SSN.test(tokens[w.start]!.norm)) ||
          hasCueBefore(tokens, w.start, SSN_CUES, 10)),
    );
    for (const w of picked)
      out.push(tokenSpan(tokens, w.start, w.end, 'us_social_security_number', PRIORITY.ssn));
  }
  return out;
}

const BORN = cues('born');
const BIRTH_CUES = cues('born', 'birth', 'birthday', 'dob', 'd o b', 'birthdate', 'date of birth');

export function findDatesOfBirth(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (const range of findDateRanges(tokens)) {
    if (hasCueBefore(tokens, range.start, BIRTH_CUES, 6)) {
      out.push(tokenSpan(tokens, range.start, range.end, 'date_of_birth', PRIORITY.dateOfBirth));
    }
  }
  // "born in nineteen eighty five", "born in ohio in 1962": a year alone is a date of birth when
  // it follows "in" shortly after "born".
  for (let i = 2; i < tokens.length; i++) {
    if (tokens[i - 1]!.norm !== 'in' || !hasCueBefore(tokens, i - 1, BORN, 5)) continue;
    const year = readYear(tokens, i);
    if (year) out.push(tokenSpan(tokens, i, year.end, 'date_of_birth', PRIORITY.dateOfBirth));
  }
  return out;
}
