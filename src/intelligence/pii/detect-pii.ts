import { PII_POLICIES, type PiiPolicy } from '../../domain/transcription-request.js';
import type { EntityType } from '../results.js';
import { findEmails, findIpAddresses, findPhones, findUrls } from './contact.recognizer.js';
import { findDates } from './dates.js';
import { findDatesOfBirth, findSsns } from './identity.recognizer.js';
import { findMoney } from './money.recognizer.js';
import { findNamedEntities } from './ner.recognizer.js';
import { findDigitRuns } from './numbers.js';
import { findBankAccounts, findCards, findCvvs, findExpirations, findIbans } from './payment.recognizer.js';
import type { Candidate, EntitySpan, PiiDocument, Recognizer } from './recognizer.js';
import { tokenize } from './tokens.js';

export type { EntitySpan } from './recognizer.js';

/**
 * Entity and PII detection over speech-recognition text: written and spoken forms, validated with
 * real checks (libphonenumber, Luhn, mod-97, SSA rules, the public suffix list) and named entities
 * from compromise. Each recognizer proposes spans; overlaps go to the more specific type.
 */

/** Each recognizer with the types it can propose, so a request runs only what it needs. */
const RECOGNIZERS: readonly { types: readonly EntityType[]; find: Recognizer }[] = [
  { types: ['phone_number'], find: findPhones },
  { types: ['email_address'], find: findEmails },
  { types: ['url'], find: findUrls },
  { types: ['ip_address'], find: findIpAddresses },
  { types: ['credit_card_number'], find: findCards },
  { types: ['credit_card_expiration'], find: findExpirations },
  { types: ['credit_card_cvv'], find: findCvvs },
  { types: ['banking_information'], find: findBankAccounts },
  { types: ['banking_information'], find: findIbans },
  { types: ['us_social_security_number'], find: findSsns },
  { types: ['date_of_birth'], find: findDatesOfBirth },
  { types: ['date'], find: findDates },
  { types: ['money_amount'], find: findMoney },
  { types: ['person_name', 'location', 'organization', 'nationality'], find: findNamedEntities },
];

/**
 * Recognizers whose spans take words away from others: run even when their type is not asked for,
 * so that "john dot smith at example dot com" is never redacted as the name "john" alone.
 */
const ALWAYS_RUN = new Set<Recognizer>([findEmails, findUrls, findCards, findDatesOfBirth]);

/** Every entity type some recognizer finds. */
export const SUPPORTED_ENTITY_TYPES: readonly EntityType[] = [
  ...new Set(RECOGNIZERS.flatMap((r) => r.types)),
];

/**
 * The PII policies detected with measured quality (see `npm run bench:intelligence`): every policy
 * some recognizer finds. A policy none finds is refused by the API rather than silently missed.
 */
export const SUPPORTED_PII_POLICIES: readonly PiiPolicy[] = PII_POLICIES.filter((policy) =>
  (SUPPORTED_ENTITY_TYPES as readonly string[]).includes(policy),
);

/**
 * Keeps the strongest candidates: by priority, then length, then position; a candidate that
 * overlaps one already kept is dropped. Sorting makes this O(n log n).
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Kept spans sorted by start, searched by bisection, so each check is O(log n).
  const starts: Candidate[] = [];
  for (const candidate of ranked) {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.start < candidate.start) lo = mid + 1;
      else hi = mid;
    }
    const before = starts[lo - 1];
    const after = starts[lo];
    if ((before && before.end > candidate.start) || (after && after.start < candidate.end)) continue;
    starts.splice(lo, 0, candidate);
  }
  return starts;
}

/**
 * The entities of the given types in `text`: `[start, end)` character offsets covering exactly
 * the entity's words, sorted by position, never overlapping.
 */
export function findEntities(text: string, types: readonly EntityType[]): EntitySpan[] {
  const wanted = new Set(types);
  if (wanted.size === 0 || text.trim() === '') return [];
  const tokens = tokenize(text);
  const doc: PiiDocument = { text, tokens, runs: findDigitRuns(tokens) };
  const candidates: Candidate[] = [];
  for (const recognizer of RECOGNIZERS) {
    if (!ALWAYS_RUN.has(recognizer.find) && !recognizer.types.some((t) => wanted.has(t))) continue;
    candidates.push(...recognizer.find(doc));
  }
  return resolveOverlaps(candidates)
    .filter((c) => wanted.has(c.type))
    .map(({ type, start, end }) => ({ type, start, end }));
}
