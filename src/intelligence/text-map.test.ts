import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapWords, spanTime, wordsInSpan } from './text-map.js';

describe('word text map', () => {
  const words = [
    { text: 'Call', startMs: 0, endMs: 200 },
    { text: 'John', startMs: 200, endMs: 500 },
    { text: '', startMs: 500, endMs: 500 },
    { text: 'Smith.', startMs: 600, endMs: 900 },
  ];
  const map = mapWords(words);

  it('joins words with single spaces and records each range', () => {
    assert.equal(map.text, 'Call John Smith.');
    assert.deepEqual(map.ranges, [
      [0, 4],
      [5, 9],
      [9, 9],
      [10, 16],
    ]);
  });

  it('maps a character span to the words it touches and their time', () => {
    const start = map.text.indexOf('John');
    const end = start + 'John Smith'.length;
    assert.deepEqual(wordsInSpan(map, start, end), [1, 3]);
    assert.deepEqual(spanTime(map, words, start, end), { startMs: 200, endMs: 900 });
    assert.equal(spanTime(map, words, 4, 5), undefined);
  });
});
