import { readCardinal } from './numbers.js';
import { PRIORITY, tokenSpan, type Candidate, type PiiDocument } from './recognizer.js';
import { cues, hasCueBefore, type Token } from './tokens.js';

/**
 * Amounts of money: "$25", "$1.5 million", "twenty five dollars", "a hundred bucks", "ten
 * dollars and fifty cents", "€40". A quantity is money only with its currency.
 */

const CURRENCY_WORDS = new Set([
  'dollar',
  'dollars',
  'buck',
  'bucks',
  'cent',
  'cents',
  'euro',
  'euros',
  'yen',
  'rupee',
  'rupees',
  'peso',
  'pesos',
  'franc',
  'francs',
  'usd',
  'eur',
  'gbp',
  'grand',
  'pence',
]);
/** "Pounds" weighs as often as it pays; it is money only when the talk is about paying. */
const POUND_WORDS = new Set(['pound', 'pounds', 'quid']);
const PAYMENT_CUES = cues(
  'pay',
  'paid',
  'cost',
  'costs',
  'price',
  'owe',
  'owed',
  'charge',
  'charged',
  'spend',
  'spent',
  'fee',
  'worth',
  'earn',
  'earned',
  'salary',
  'bill',
  'sterling',
);
const SUBUNITS = new Set(['cent', 'cents', 'pence']);
const SYMBOL_AMOUNT = /^[$€£¥]\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^[$€£¥]\d+(?:\.\d+)?$/;
const SCALES = new Set(['thousand', 'million', 'billion', 'trillion', 'k']);

function isCurrency(tokens: readonly Token[], i: number, amountStart: number): boolean {
  const norm = tokens[i]?.norm ?? '';
  if (CURRENCY_WORDS.has(norm)) return true;
  return POUND_WORDS.has(norm) && hasCueBefore(tokens, amountStart, PAYMENT_CUES, 6);
}

/** "and fifty cents" after a whole amount: the index after it, or `end` when absent. */
function readSubunits(tokens: readonly Token[], end: number): number {
  if (tokens[end]?.norm !== 'and') return end;
  const cents = readCardinal(tokens, end + 1);
  return cents && SUBUNITS.has(tokens[cents.end]?.norm ?? '') ? cents.end + 1 : end;
}

export function findMoney(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let end: number | undefined;
    if (SYMBOL_AMOUNT.test(token.norm)) {
      end = i + 1;
      if (SCALES.has(tokens[end]?.norm ?? '') && !/[.?!;,]/.test(token.trail)) end++;
    } else {
      const amount = readCardinal(tokens, i);
      if (amount && isCurrency(tokens, amount.end, i)) end = readSubunits(tokens, amount.end + 1);
      else if (
        (token.norm === 'a' || token.norm === 'one') &&
        ['dollar', 'buck', 'euro'].includes(tokens[i + 1]?.norm ?? '')
      ) {
        end = readSubunits(tokens, i + 2);
      }
    }
    if (end !== undefined) {
      out.push(tokenSpan(tokens, i, end, 'money_amount', PRIORITY.money));
      i = end - 1;
    }
  }
  return out;
}
