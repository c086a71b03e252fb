import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PII_POLICIES } from '../../domain/transcription-request.js';
import { ENTITY_TYPES, type EntityType } from '../results.js';
import { findEntities, SUPPORTED_ENTITY_TYPES, SUPPORTED_PII_POLICIES } from './detect-pii.js';
import { passesLuhn } from './payment.recognizer.js';
import { evaluate, loadLabelledSet, scores } from '../../eval/entity-spans.js';

/** The compiled test runs from dist/src/intelligence/pii/; the set lives in the source tree. */
const PII_SET = path.resolve(import.meta.dirname, '../../../../test/data/pii.jsonl');

/** `[type, covered text]` of each entity found, for readable assertions. */
function found(text: string, types: readonly EntityType[] = SUPPORTED_ENTITY_TYPES): [EntityType, string][] {
  return findEntities(text, types).map((e) => [e.type, text.slice(e.start, e.end)]);
}

describe('findEntities on the labelled set', () => {
  it('meets the recall and precision targets (exact spans)', async () => {
    const items = await loadLabelledSet(PII_SET);
    assert.ok(items.length >= 150, `${items.length} sentences`);
    const result = evaluate(
      items,
      items.map((item) => findEntities(item.text, SUPPORTED_ENTITY_TYPES)),
    );
    const recall = (type: EntityType): number => scores(result.byType.get(type)!.exact).recall;
    for (const type of [
      'email_address',
      'phone_number',
      'credit_card_number',
      'us_social_security_number',
    ] as const) {
      assert.ok(recall(type) >= 0.95, `${type} recall ${recall(type)}`);
    }
    for (const type of ['person_name', 'location'] as const) {
      assert.ok(recall(type) >= 0.85, `${type} recall ${recall(type)}`);
    }
    const overall = scores(result.exact);
    assert.ok(overall.precision >= 0.9, `precision ${overall.precision}`);
  });
});

describe('findEntities', () => {
  it('reads spoken phone numbers, with "oh", "double" and pauses', () => {
    assert.deepEqual(found('my number is five five five one two three four five six seven'), [
      ['phone_number', 'five five five one two three four five six seven'],
    ]);
    assert.deepEqual(found('you can text me on six four six double five five, oh one two three'), [
      ['phone_number', 'six four six double five five, oh one two three'],
    ]);
    assert.deepEqual(found('call the office at (212) 555-0147.'), [['phone_number', '(212) 555-0147']]);
  });

  it('reads spoken email addresses and tells them from sites', () => {
    assert.deepEqual(found('my email is john dot smith at example dot com'), [
      ['email_address', 'john dot smith at example dot com'],
    ]);
    assert.deepEqual(found('meet us at example dot com'), [['url', 'example dot com']]);
    // Not a public suffix: no address, no site.
    assert.deepEqual(found('my email is john at example dot notatld', ['email_address', 'url']), []);
  });

  it('keeps Luhn-valid card numbers only', () => {
    assert.equal(passesLuhn('4111111111111111'), true);
    assert.equal(passesLuhn('4111111111111112'), false);
    assert.deepEqual(found('my card number is 4111 1111 1111 1111'), [
      ['credit_card_number', '4111 1111 1111 1111'],
    ]);
    assert.deepEqual(found('my card number is 4111 1111 1111 1112'), []);
    assert.deepEqual(
      found(
        'card four one one one one one one one one one one one one one one one expires oh four twenty six cvv one two three',
      ),
      [
        ['credit_card_number', 'four one one one one one one one one one one one one one one one'],
        ['credit_card_expiration', 'oh four twenty six'],
        ['credit_card_cvv', 'one two three'],
      ],
    );
  });

  it('validates IBANs with their checksum', () => {
    assert.deepEqual(found('my iban is GB82 WEST 1234 5698 7654 32'), [
      ['banking_information', 'GB82 WEST 1234 5698 7654 32'],
    ]);
    // One digit changed: the mod-97 check fails.
    assert.deepEqual(found('my iban is GB82 WEST 1234 5698 7654 33'), []);
  });

  it('needs the SSN shape or the word for it, and the SSA rules', () => {
    assert.deepEqual(found('my social is one two three four five six seven eight nine'), [
      ['us_social_security_number', 'one two three four five six seven eight nine'],
    ]);
    assert.deepEqual(found('ssn 123-45-6789'), [['us_social_security_number', '123-45-6789']]);
    // Area 666 is never issued.
    assert.deepEqual(found('ssn 666-45-6789'), []);
    assert.deepEqual(found('the reference is one two three four five six seven eight nine'), []);
  });

  it('reads dates of birth, dates, money and IP addresses', () => {
    assert.deepEqual(found('i was born on march third nineteen eighty five and paid twenty five dollars'), [
      ['date_of_birth', 'march third nineteen eighty five'],
      ['money_amount', 'twenty five dollars'],
    ]);
    assert.deepEqual(found('ping one nine two dot one six eight dot zero dot one on june fifth'), [
      ['ip_address', 'one nine two dot one six eight dot zero dot one'],
      ['date', 'june fifth'],
    ]);
  });

  it('leaves ordinary talk alone', () => {
    for (const text of [
      'i have two kids',
      'call me maybe',
      'may i ask who is calling',
      'the bank of the river',
      'i lost ten pounds',
    ]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('returns only the types asked for, never an email as a name', () => {
    const text = 'this is john dot smith at example dot com from chicago';
    assert.deepEqual(found(text, ['person_name']), []);
    assert.deepEqual(found(text, ['location']), [['location', 'chicago']]);
  });

  it('lists only policies and types that exist', () => {
    for (const policy of SUPPORTED_PII_POLICIES)
      assert.ok((PII_POLICIES as readonly string[]).includes(policy));
    for (const type of SUPPORTED_ENTITY_TYPES) assert.ok((ENTITY_TYPES as readonly string[]).includes(type));
  });
});
