import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { searchWords } from './word-search.js';

function w(text: string, startMs: number, endMs: number): Word {
  return { text, startMs, endMs, confidence: 0.9 };
}

const WORDS = [
  w('Smoke', 250, 650), // 0
  w('from', 700, 900), // 1
  w('the', 950, 1000), // 2
  w('wildfires,', 1100, 1600), // 3
  w('smoke.', 2000, 2400), // 4
  w('Air', 3000, 3200), // 5
  w('—', 3200, 3250), // 6: punctuation-only
  w('quality', 3300, 3700), // 7
  w("don't", 4000, 4200), // 8
  w('3.5', 4300, 4600), // 9
];

void describe('searchWords', () => {
  void it('counts case- and punctuation-insensitive hits, orders by count, leaves out misses', () => {
    assert.deepEqual(searchWords(WORDS, ['wildfires', 'fire', 'smoke', 'air quality']), {
      total_count: 4,
      matches: [
        {
          text: 'smoke',
          count: 2,
          timestamps: [
            [250, 650],
            [2000, 2400],
          ],
          indexes: [0, 4],
        },
        { text: 'wildfires', count: 1, timestamps: [[1100, 1600]], indexes: [3] },
        // A phrase: one hit, first word's index, first start to last end, across the dash.
        { text: 'air quality', count: 1, timestamps: [[3000, 3700]], indexes: [5] },
      ],
    });
  });

  void it('ignores punctuation in terms too, but keeps numbers apart', () => {
    const result = searchWords(WORDS, ['Dont', 'SMOKE!', '35', '3.5']);
    assert.deepEqual(
      result.matches.map((m) => [m.text, m.count, m.indexes]),
      [
        ['SMOKE!', 2, [0, 4]],
        ['Dont', 1, [8]],
        ['3.5', 1, [9]],
      ],
    );
    assert.equal(result.total_count, 4);
  });

  void it('searches a repeated term once and ignores empty or punctuation-only terms', () => {
    const result = searchWords(WORDS, ['smoke', 'Smoke.', '', '  ', '...']);
    assert.deepEqual(
      result.matches.map((m) => m.text),
      ['smoke'],
    );
    assert.equal(result.total_count, 2);
  });

  void it('does not count overlapping hits of one phrase', () => {
    const words = ['ha', 'ha', 'ha'].map((t, i) => w(t, i * 100, i * 100 + 90));
    assert.deepEqual(searchWords(words, ['ha ha']), {
      total_count: 1,
      matches: [{ text: 'ha ha', count: 1, timestamps: [[0, 190]], indexes: [0] }],
    });
  });

  void it('finds parts of a word that holds several tokens, reporting that word', () => {
    const words = [w('in', 0, 100), w('New York', 100, 600), w('city', 600, 900)];
    assert.deepEqual(searchWords(words, ['york city']).matches, [
      { text: 'york city', count: 1, timestamps: [[100, 900]], indexes: [1] },
    ]);
  });

  void it('matches whole words only', () => {
    assert.deepEqual(searchWords(WORDS, ['smok', 'wild']), { total_count: 0, matches: [] });
  });

  void it('returns no matches for no words or no terms', () => {
    assert.deepEqual(searchWords([], ['smoke']), { total_count: 0, matches: [] });
    assert.deepEqual(searchWords(WORDS, []), { total_count: 0, matches: [] });
  });
});
