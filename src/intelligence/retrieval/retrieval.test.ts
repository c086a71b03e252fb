import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bm25Index } from './bm25.js';
import { buildPassages, splitLongLine } from './passages.js';
import { evenlySpread, retrievePassages } from './retrieve.js';

describe('BM25', () => {
  const docs = [
    'We talked about the refund policy and the refunds customers asked for.',
    'The weather in Lisbon was sunny all week.',
    'Shipping takes three days; a refund takes five.',
  ];

  it('ranks documents by stemmed content terms, best first', () => {
    // "refunds" finds "refund" too; the passage saying it twice ranks first.
    const hits = new Bm25Index(docs).search('How long do refunds take?');
    assert.deepEqual(
      hits.map((h) => h.index),
      [0, 2],
    );
    assert.ok(hits[0]!.score > hits[1]!.score);
    assert.deepEqual(
      new Bm25Index(docs).search('weather Lisbon').map((h) => h.index),
      [1],
    );
  });

  it('gives rarer terms more weight, and never a negative weight', () => {
    const index = new Bm25Index(docs);
    assert.ok(index.idf('lisbon') > index.idf('refund'));
    assert.ok(index.idf('refund') > 0);
    // ln(1 + (3 - 1 + 0.5) / (1 + 0.5))
    assert.equal(index.idf('lisbon'), Math.log(1 + 2.5 / 1.5));
  });

  it('finds nothing for stop words only', () => {
    assert.deepEqual(new Bm25Index(docs).search('what is this about?'), []);
  });
});

describe('passages', () => {
  it('packs lines into passages up to the word budget, keeping times', () => {
    const lines = [
      { startMs: 0, endMs: 1000, text: 'one two three', speaker: 'A' },
      { startMs: 1000, endMs: 2000, text: 'four five' },
      { startMs: 2000, endMs: 3000, text: 'six seven eight' },
      { startMs: 3000, endMs: 3500, text: '   ' },
    ];
    const passages = buildPassages(lines, { maxWords: 5 });
    assert.deepEqual(
      passages.map((p) => [p.index, p.startMs, p.endMs, p.text]),
      [
        [0, 0, 2000, 'one two three four five'],
        [1, 2000, 3000, 'six seven eight'],
      ],
    );
    assert.equal(passages[0]!.lines[0]!.speaker, 'A');
  });

  it('splits a long line with its time shared out by word', () => {
    const pieces = splitLongLine({ startMs: 1000, endMs: 2000, text: 'a b c d', speaker: 'S' }, 3);
    assert.deepEqual(pieces, [
      { text: 'a b c', startMs: 1000, endMs: 1750, speaker: 'S' },
      { text: 'd', startMs: 1750, endMs: 2000, speaker: 'S' },
    ]);
    assert.deepEqual(splitLongLine({ text: 'a b c d' }, 2), [{ text: 'a b' }, { text: 'c d' }]);
  });
});

describe('retrieval', () => {
  const passages = buildPassages(
    [
      'The quarterly budget review starts now.',
      'Marketing spent most of its money on billboards.',
      'Lunch was sandwiches again.',
      'The budget for next quarter grows by ten percent.',
    ].map((text, i) => ({ startMs: i * 10_000, endMs: i * 10_000 + 5000, text })),
    { maxWords: 10 },
  );
  const cost = (p: { text: string }): number => p.text.length;

  it('sends everything when it fits', () => {
    const r = retrievePassages(passages, { queries: ['budget'], budgetTokens: 10_000, cost });
    assert.equal(r.mode, 'full');
    assert.equal(r.passages.length, 4);
  });

  it('takes the best matches within the budget, in transcript order', () => {
    const r = retrievePassages(passages, { queries: ['What is the budget?'], budgetTokens: 100, cost });
    assert.equal(r.mode, 'retrieved');
    assert.deepEqual(
      r.passages.map((p) => p.index),
      [0, 3],
    );
  });

  it('ranks the question before earlier turns', () => {
    const r = retrievePassages(passages, {
      queries: ['billboards?', 'budget'],
      budgetTokens: 60,
      cost,
    });
    assert.deepEqual(
      r.passages.map((p) => p.index),
      [1],
    );
  });

  it('spreads passages over the transcript when nothing matches', () => {
    const r = retrievePassages(passages, { queries: ['what is this about?'], budgetTokens: 90, cost });
    assert.equal(r.mode, 'sampled');
    // Spread order for 4 is 2, 1, 3, 0: 2 (27) and 1 (48) fit in 90; 3 (49) and 0 (39) do not.
    assert.deepEqual(
      r.passages.map((p) => p.index),
      [1, 2],
    );
    assert.deepEqual(evenlySpread(8), [4, 2, 6, 1, 3, 5, 7, 0]);
    assert.deepEqual(evenlySpread(1), [0]);
    assert.deepEqual(evenlySpread(0), []);
  });
});
