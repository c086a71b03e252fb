import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { applyTextFilters, isProfanity } from './text-filters.js';

const words = (...texts: string[]): Word[] =>
  texts.map((text, i) => ({ text, startMs: i * 100, endMs: i * 100 + 90, confidence: 0.9 }));
const texts = (ws: Word[]): string => ws.map((w) => w.text).join(' ');

describe('applyTextFilters', () => {
  it('drops filler words and keeps their punctuation and capital letter', () => {
    const out = applyTextFilters(words('Um,', 'so', 'we', 'uh', 'left', 'um.'), {
      filterProfanity: false,
      keepDisfluencies: false,
    });
    assert.equal(texts(out), 'So we left.');
    assert.deepEqual(
      out.map((w) => w.startMs),
      [100, 200, 400],
    );
  });

  it('keeps filler words when disfluencies are kept', () => {
    const out = applyTextFilters(words('Um,', 'so'), { filterProfanity: false, keepDisfluencies: true });
    assert.equal(texts(out), 'Um, so');
  });

  it('masks profanity keeping the first letter and the punctuation', () => {
    const out = applyTextFilters(words('Well,', 'shit!', 'That', 'fucking', 'class.'), {
      filterProfanity: true,
      keepDisfluencies: true,
    });
    assert.equal(texts(out), 'Well, s***! That f****** class.');
  });

  it('never masks words that merely contain a profane word', () => {
    for (const word of ['class', 'Scunthorpe', 'assess', 'cocktail', 'passion', 'shitake']) {
      assert.equal(isProfanity(word), false, word);
    }
  });
});
