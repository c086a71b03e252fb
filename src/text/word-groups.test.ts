import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { majoritySpeaker, wordsByChannel } from './word-groups.js';

const word = (text: string, extra: Partial<Word> = {}): Word => ({
  text,
  startMs: 0,
  endMs: 1,
  confidence: 1,
  ...extra,
});

describe('word groups', () => {
  it('splits words by channel, keeping their order', () => {
    const words = [word('a', { channel: 0 }), word('b', { channel: 1 }), word('c', { channel: 0 })];
    assert.deepEqual(
      wordsByChannel(words).map((g) => g.map((w) => w.text)),
      [['a', 'c'], ['b']],
    );
    assert.deepEqual(wordsByChannel([word('x'), word('y')]).length, 1);
  });

  it('finds the speaker of most words, the first one on a tie, or none', () => {
    assert.equal(
      majoritySpeaker([word('a', { speaker: 1 }), word('b', { speaker: 0 }), word('c', { speaker: 0 })]),
      0,
    );
    assert.equal(majoritySpeaker([word('a', { speaker: 1 }), word('b', { speaker: 0 })]), 1);
    assert.equal(majoritySpeaker([word('a')]), undefined);
  });
});
