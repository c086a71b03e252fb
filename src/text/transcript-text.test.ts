import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { buildSegments, joinWords } from './transcript-text.js';

function w(text: string, startMs: number, endMs: number): Word {
  return { text, startMs, endMs, confidence: 0.9 };
}

void describe('joinWords', () => {
  void it('joins with single spaces and skips empty texts', () => {
    assert.equal(joinWords([w('Hello', 0, 1), w('', 1, 2), w('world.', 2, 3)]), 'Hello world.');
    assert.equal(joinWords([w(' padded ', 0, 1)]), 'padded');
    assert.equal(joinWords([]), '');
  });
});

void describe('buildSegments', () => {
  void it('groups words by the region holding their midpoint, else the nearest; drops empty regions', () => {
    const words = [
      w('a', 100, 300),
      w('b', 900, 1100), // midpoint 1000: inside region 0
      w('c', 1500, 1700), // midpoint 1600: 600 ms after region 0, 400 ms before region 1
      w('d', 2100, 2500),
      w('e', 3100, 3400), // midpoint 3250: nearest is region 1
    ];
    // Given out of order on purpose; region 2 holds no words.
    const regions = [
      { startMs: 2000, endMs: 3000 },
      { startMs: 0, endMs: 1000 },
      { startMs: 5000, endMs: 6000 },
    ];
    assert.deepEqual(buildSegments(words, regions), [
      { startMs: 0, endMs: 1100, text: 'a b' },
      { startMs: 1500, endMs: 3400, text: 'c d e' },
    ]);
  });

  void it('gives a word exactly between two regions to the earlier one', () => {
    const regions = [
      { startMs: 0, endMs: 1000 },
      { startMs: 2000, endMs: 3000 },
    ];
    assert.deepEqual(buildSegments([w('x', 1400, 1600)], regions), [{ startMs: 0, endMs: 1600, text: 'x' }]);
  });

  void it('makes one segment of all words when there are no regions, and none when there are no words', () => {
    assert.deepEqual(buildSegments([w('a', 10, 20), w('b', 5000, 5100)], []), [
      { startMs: 10, endMs: 5100, text: 'a b' },
    ]);
    assert.deepEqual(buildSegments([], [{ startMs: 0, endMs: 1000 }]), []);
  });
});
