import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { findDateAt, MONTHS } from './dates.js';
import { digitWindows, pickWindows, readDigits, tokenDigits, type DigitReading } from './numbers.js';
import { PRIORITY, tokenSpan, type Candidate, type PiiDocument } from './recognizer.js';
import { cues, hasCueBefore, type Token } from './tokens.js';

/** Card numbers, their expiration dates and security codes, IBANs and bank account numbers. */

const CARD_CUES = cues(
  'card',
  'credit',
  'debit',
  'visa',
  'mastercard',
  'amex',
  'american express',
  'discover',
  'number',
);
/** Issuer prefixes of the networks whose 15- and 16-digit numbers people read out. */
const CARD_ISSUER = /^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5))/;

/** The Luhn mod-10 check every payment card number carries in its last digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function findCards(doc: PiiDocument): Candidate[] {
  const out: Candidate[] = [];
  for (const run of doc.runs) {
    // A card number is all of what is read out; a Luhn-valid stretch inside a longer run is chance.
    const windows = digitWindows(run, 13, 19).filter(
      (w) => run.digits.length > 19 || (w.start === run.start && w.end === run.end),
    );
    const picked = pickWindows(
      windows,
      (w) =>
        passesLuhn(w.digits) &&
        (hasCueBefore(doc.tokens, w.start, CARD_CUES, 10) ||
          ((w.digits.length === 15 || w.digits.length === 16) && CARD_ISSUER.test(w.digits))),
    );
    for (const w of picked)
      out.push(tokenSpan(doc.tokens, w.start, w.end, 'credit_card_number', PRIORITY.checksummed));
  }
  return out;
}

/**
 * The number announced by a cue: the first digit sequence starting within the next five tokens
 * ("the cvv *on the back is* two oh four"), or undefined. A sentence end stops the search.
 */
function valueAfter(tokens: readonly Token[], cueEnd: number): DigitReading | undefined {
  for (let i = cueEnd; i < Math.min(tokens.length, cueEnd + 5); i++) {
    const run = readDigits(tokens, i);
    if (run) return run;
    if (/[.?!;]/.test(tokens[i]!.trail)) return undefined;
  }
  return undefined;
}

/** Indexes just after each occurrence of a cue phrase. */
function* cueEnds(tokens: readonly Token[], phrases: readonly (readonly string[])[]): Generator<number> {
  for (let i = 0; i < tokens.length; i++) {
    for (const phrase of phrases) {
      if (phrase.every((word, k) => tokens[i + k]?.norm === word)) {
        yield i + phrase.length;
        break;
      }
    }
  }
}

const EXPIRATION_CUES = cues(
  'expires',
  'expiration',
  'expiry',
  'exp',
  'expire',
  'valid thru',
  'valid through',
  'good thru',
  'good through',
);

/** "04/26", "oh four twenty six", "0426", "four twenty six", "12/2027": a month then a year. */
function isMonthYear(digits: string): boolean {
  const monthDigits = digits.length === 3 || digits.length === 5 ? 1 : 2;
  const month = Number(digits.slice(0, monthDigits));
  const year = digits.slice(monthDigits);
  return month >= 1 && month <= 12 && (year.length === 2 || (year.length === 4 && year.startsWith('20')));
}

export function findExpirations(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (const cueEnd of cueEnds(tokens, EXPIRATION_CUES)) {
    // "expires april twenty twenty six" / "expires in march 2027".
    const monthAt = [cueEnd, cueEnd + 1, cueEnd + 2].find((i) => MONTHS[tokens[i]?.norm ?? ''] !== undefined);
    const date = monthAt === undefined ? undefined : findDateAt(tokens, monthAt);
    if (date) {
      out.push(tokenSpan(tokens, date.start, date.end, 'credit_card_expiration', PRIORITY.cardDetail));
      continue;
    }
    const run = valueAfter(tokens, cueEnd);
    if (!run) continue;
    const best = digitWindows(run, 3, 6).find((w) => w.start === run.start && isMonthYear(w.digits));
    if (best)
      out.push(tokenSpan(tokens, best.start, best.end, 'credit_card_expiration', PRIORITY.cardDetail));
  }
  return out;
}

const CVV_CUES = cues(
  'cvv',
  'cvc',
  'cvv2',
  'csc',
  'security code',
  'verification code',
  'three digit code',
  'digit code',
  'code on the back',
);

export function findCvvs(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (const cueEnd of cueEnds(tokens, CVV_CUES)) {
    const run = valueAfter(tokens, cueEnd);
    if (!run) continue;
    // The code is the whole of what is read out; a longer number is something else.
    if (run.digits.length === 3 || run.digits.length === 4) {
      out.push(tokenSpan(tokens, run.start, run.end, 'credit_card_cvv', PRIORITY.cardDetail));
    }
  }
  return out;
}

const ACCOUNT_CUES = cues(
  'account number',
  'account',
  'acct',
  'account no',
  'checking',
  'savings',
  'sort code',
);
const ROUTING_CUES = cues('routing number', 'routing', 'aba', 'transit number');

/** The ABA routing number checksum (weights 3, 7, 1) that every US routing number satisfies. */
export function isRoutingNumber(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * weights[i % 3]!;
  return sum % 10 === 0;
}

export function findBankAccounts(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  const add = (cueSet: readonly (readonly string[])[], accept: (digits: string) => boolean): void => {
    for (const cueEnd of cueEnds(tokens, cueSet)) {
      const run = valueAfter(tokens, cueEnd);
      if (run && accept(run.digits))
        out.push(tokenSpan(tokens, run.start, run.end, 'banking_information', PRIORITY.bankAccount));
    }
  };
  add(ACCOUNT_CUES, (digits) => digits.length >= 6 && digits.length <= 17);
  add(ROUTING_CUES, isRoutingNumber);
  return out;
}

/** What a token contributes to a spelled-out IBAN: a digit word its digits, else itself. */
function ibanPiece(token: Token): string | undefined {
  return tokenDigits(token.norm) ?? (/^[a-z0-9]+$/.test(token.norm) ? token.norm : undefined);
}

/**
 * IBANs, written ("GB82 WEST 1234 5698 7654 32") or spelled out. Only the ISO 13616 mod-97 check
 * decides, so ordinary words never pass for one.
 */
export function findIbans(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]!.norm;
    // An IBAN starts with its country code: two letters, said alone or glued to the check digits.
    if (
      !/^[a-z]{2}\d{2}[a-z0-9]*$/.test(first) &&
      !(/^[a-z]$/.test(first) && /^[a-z]$/.test(tokens[i + 1]?.norm ?? ''))
    )
      continue;
    let text = '';
    let best: number | undefined;
    for (let k = i; k < tokens.length && text.length < 34; k++) {
      const piece = ibanPiece(tokens[k]!);
      if (piece === undefined) break;
      text += piece;
      if (text.length >= 15 && isValidIBAN(electronicFormatIBAN(text) ?? '')) best = k + 1;
    }
    if (best !== undefined) {
      out.push(tokenSpan(tokens, i, best, 'banking_information', PRIORITY.checksummed));
      i = best - 1;
    }
  }
  return out;
}
