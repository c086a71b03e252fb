import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wordErrorRate } from './wer.js';

describe('wordErrorRate', () => {
  it('counts nothing for identical texts', () => {
    const r = wordErrorRate([{ reference: 'a b c', hypothesis: 'a b c' }]);
    assert.deepEqual(
      { s: r.substitutions, d: r.deletions, i: r.insertions, n: r.referenceWords, e: r.errors, wer: r.wer },
      { s: 0, d: 0, i: 0, n: 3, e: 0, wer: 0 },
    );
  });

  it('counts a substitution, a deletion and an insertion', () => {
    // ref:  the cat sat on the mat
    // hyp:  the bat sat    the mat today   → cat→bat (S), on deleted (D), today inserted (I)
    const r = wordErrorRate([
      { reference: 'the cat sat on the mat', hypothesis: 'the bat sat the mat today' },
    ]);
    assert.equal(r.substitutions, 1);
    assert.equal(r.deletions, 1);
    assert.equal(r.insertions, 1);
    assert.equal(r.errors, 3);
    assert.equal(r.referenceWords, 6);
    assert.equal(r.wer, 0.5);
  });

  it('counts an empty hypothesis as all deletions and extra words as insertions', () => {
    const empty = wordErrorRate([{ reference: 'one two three four', hypothesis: '' }]);
    assert.deepEqual([empty.deletions, empty.substitutions, empty.insertions, empty.wer], [4, 0, 0, 1]);
    const extra = wordErrorRate([{ reference: 'yes', hypothesis: 'oh yes yes indeed' }]);
    assert.deepEqual([extra.insertions, extra.substitutions, extra.deletions, extra.wer], [3, 0, 0, 3]);
  });

  it('handles an empty reference', () => {
    assert.equal(wordErrorRate([{ reference: '', hypothesis: '' }]).wer, 0);
    const r = wordErrorRate([{ reference: '  ', hypothesis: 'noise' }]);
    assert.equal(r.insertions, 1);
    assert.equal(r.wer, Infinity);
  });

  it('pools edits over the corpus instead of averaging per-pair rates', () => {
    const r = wordErrorRate([
      { reference: 'a', hypothesis: 'b' }, // 1 error in 1 word: 100 %
      { reference: 'a b c d e f g h i', hypothesis: 'a b c d e f g h i' }, // 0 in 9
    ]);
    assert.equal(r.errors, 1);
    assert.equal(r.referenceWords, 10);
    assert.equal(r.wer, 0.1);
    assert.equal(r.pairs.length, 2);
    assert.equal(r.pairs[0]?.wer, 1);
    assert.equal(r.pairs[1]?.wer, 0);
    assert.deepEqual(r.pairs[0]?.referenceTokens, ['a']);
    assert.deepEqual(r.pairs[0]?.hypothesisTokens, ['b']);
  });

  it('is the minimum edit distance when words are shifted', () => {
    // "a b c d" vs "b c d e": deleting a and inserting e (2) beats four substitutions.
    const r = wordErrorRate([{ reference: 'a b c d', hypothesis: 'b c d e' }]);
    assert.equal(r.errors, 2);
    assert.equal(r.deletions, 1);
    assert.equal(r.insertions, 1);
    assert.equal(r.substitutions, 0);
  });

  it('applies the normaliser to both sides, and compares raw text without one', () => {
    const pair = [{ reference: 'Hello, World', hypothesis: 'hello world' }];
    assert.equal(wordErrorRate(pair).errors, 2);
    const lower = (s: string): string => s.toLowerCase().replace(/[^a-z ]/g, '');
    assert.equal(wordErrorRate(pair, lower).errors, 0);
  });
});
