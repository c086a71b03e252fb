import type { EntityType } from '../results.js';
import type { DigitReading } from './numbers.js';
import type { Token } from './tokens.js';

/** An entity's `[start, end)` character offsets in the text it was found in. */
export interface EntitySpan {
  type: EntityType;
  start: number;
  end: number;
}

/**
 * A span a recognizer proposes. When proposals overlap, the higher `priority` wins: a validated,
 * specific type (a Luhn-checked card) beats a vaguer reading of the same words (a phone number).
 */
export interface Candidate extends EntitySpan {
  priority: number;
}

/** The text prepared once and shared by every recognizer. */
export interface PiiDocument {
  text: string;
  tokens: Token[];
  /** Every maximal digit sequence (written or spoken), see `findDigitRuns`. */
  runs: DigitReading[];
}

export type Recognizer = (doc: PiiDocument) => Candidate[];

/** How strongly each type's evidence speaks for it, used to settle overlaps. */
export const PRIORITY = {
  checksummed: 95, // cards (Luhn), IBANs (mod 97)
  email: 92,
  ssn: 90,
  ipAddress: 88,
  bankAccount: 85, // digits right after "account number" are that, whatever else they could be
  phone: 80,
  cardDetail: 75, // expiration, CVV
  url: 70,
  dateOfBirth: 65,
  money: 55,
  date: 50,
  organization: 44,
  person: 42,
  location: 40,
  nationality: 30,
} as const;

/** The candidate covering tokens `[from, to)`. */
export function tokenSpan(
  tokens: readonly Token[],
  from: number,
  to: number,
  type: EntityType,
  priority: number,
): Candidate {
  return { type, start: tokens[from]!.start, end: tokens[to - 1]!.end, priority };
}
