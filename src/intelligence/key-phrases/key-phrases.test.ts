import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addonContext,
  timedWords,
  transcriptOf,
  type WordOptions,
} from '../../../test/fixtures/transcripts.js';
import { keyPhrasesAddon } from './key-phrases.addon.js';
import { extractKeyPhrases } from './key-phrases.js';
import { CooccurrenceGraph } from './textrank.js';

/** Words of `text`, one every 500 ms lasting 400 ms, from `startMs`. */
const wordsOf = (text: string, startMs = 0, options: WordOptions = {}) =>
  timedWords(text, { msPerWord: 500, sentencePauseMs: 0, startMs, ...options });

const SUPPORT_CALL =
  'Our customer support team handles support tickets every day. Customer support tickets doubled after the ' +
  'pricing change. The new pricing model confused customers. We will review the pricing model and the ' +
  'customer support process next week.';

describe('TextRank graph', () => {
  it('ranks the hub of a star above its leaves, scores summing to one', () => {
    const graph = new CooccurrenceGraph();
    for (const leaf of ['a', 'b', 'c', 'd']) graph.link('hub', leaf);
    graph.addVertex('alone');
    const ranks = graph.rank();
    const total = [...ranks.values()].reduce((x, y) => x + y, 0);
    assert.equal(total.toFixed(6), '1.000000');
    assert.ok(ranks.get('hub')! > 3 * ranks.get('a')!);
    assert.equal(ranks.get('a')!.toFixed(9), ranks.get('d')!.toFixed(9));
  });
});

describe('extractKeyPhrases', () => {
  const phrases = extractKeyPhrases(wordsOf(SUPPORT_CALL, 0, { speaker: 0 }));
  const byText = new Map(phrases.map((p) => [p.text, p]));

  it('ranks the most connected recurring phrase first with rank 1', () => {
    assert.deepEqual(phrases[0], {
      text: 'customer support',
      count: 3,
      rank: 1,
      timestamps: [
        { startMs: 500, endMs: 1400 },
        { startMs: 4500, endMs: 5400 },
        { startMs: 15500, endMs: 16400 },
      ],
    });
  });

  it('returns ranks in 0..1, highest first', () => {
    for (let i = 1; i < phrases.length; i++) assert.ok(phrases[i]!.rank <= phrases[i - 1]!.rank);
    assert.ok(phrases.every((p) => p.rank > 0 && p.rank <= 1));
  });

  it('counts every occurrence and times each from its words', () => {
    assert.deepEqual(byText.get('pricing model'), {
      text: 'pricing model',
      count: 2,
      rank: byText.get('pricing model')!.rank,
      timestamps: [
        { startMs: 9500, endMs: 10400 },
        { startMs: 13500, endMs: 14400 },
      ],
    });
  });

  it('groups inflections by stem and lowercases the text', () => {
    assert.equal(byText.get('customer')?.count, 4);
    assert.ok(phrases.every((p) => p.text === p.text.toLowerCase()));
  });

  it('builds phrases as adjectives then nouns and leaves out conversational nouns', () => {
    assert.ok(byText.has('confused customers'));
    assert.ok(!byText.has('pricing model confused customers'));
    // "new" qualifies anything: it would only split "pricing model" into near-duplicates.
    assert.ok(!byText.has('new pricing model'));
    assert.ok(!phrases.some((p) => /\b(week|day)\b/.test(p.text)), phrases.map((p) => p.text).join(', '));
  });

  it('leaves out a phrase that only ever occurs inside one longer phrase', () => {
    const found = extractKeyPhrases(
      wordsOf(
        'The regional data center failed overnight. Engineers rebuilt the regional data center. ' +
          'The regional data center runs the billing system again.',
      ),
    );
    const texts = found.map((p) => p.text);
    assert.equal(found.find((p) => p.text === 'regional data center')?.count, 3);
    assert.ok(!texts.includes('data center'), texts.join(', '));
    assert.ok(!texts.includes('regional data'), texts.join(', '));
  });

  it('never joins words across a change of speaker', () => {
    const words = [
      ...wordsOf('We approved the budget', 0, { speaker: 0 }),
      ...wordsOf('review meetings matter for the budget review', 3000, { speaker: 1 }),
    ];
    const found = extractKeyPhrases(words);
    const budgetReview = found.find((p) => p.text === 'budget review');
    assert.deepEqual(budgetReview?.timestamps, [{ startMs: 5500, endMs: 6400 }]);
  });

  it('returns nothing for an empty transcript', () => {
    assert.deepEqual(extractKeyPhrases([]), []);
  });
});

describe('keyPhrasesAddon', () => {
  it('is wanted only when key phrases are requested', () => {
    assert.equal(keyPhrasesAddon.wanted({ keyPhrases: true }), true);
    assert.equal(keyPhrasesAddon.wanted({ sentiment: true }), false);
  });

  it('runs over the transcript words', async () => {
    const result = await keyPhrasesAddon.run(
      addonContext(transcriptOf(wordsOf(SUPPORT_CALL)), { keyPhrases: true }),
    );
    assert.equal(result[0]?.text, 'customer support');
    assert.ok(result.length >= 5 && result.length <= 15);
  });
});
