import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { assignSpeakers, buildUtterances, countSpeakers, renumberSpeakersByAppearance } from './speakers.js';

const word = (text: string, startMs: number, endMs: number, extra: Partial<Word> = {}): Word => ({
  text,
  startMs,
  endMs,
  confidence: 0.9,
  ...extra,
});

describe('assignSpeakers', () => {
  const turns = [
    { startMs: 0, endMs: 1000, speaker: 1 },
    { startMs: 900, endMs: 2000, speaker: 0 },
    { startMs: 3000, endMs: 4000, speaker: 1 },
  ];

  it('gives each word the speaker covering most of it, also where turns overlap', () => {
    const out = assignSpeakers(
      [word('a', 100, 400), word('b', 850, 1000), word('c', 950, 1500), word('d', 3100, 3300)],
      turns,
    );
    assert.deepEqual(
      out.map((w) => w.speaker),
      [1, 1, 0, 1],
    );
  });

  it('gives words in gaps the nearest turn, so no word is left without a speaker', () => {
    const out = assignSpeakers(
      [word('gap', 2300, 2400), word('late', 2800, 2900), word('end', 5000, 5100)],
      turns,
    );
    assert.deepEqual(
      out.map((w) => w.speaker),
      [0, 1, 1],
    );
  });

  it('leaves words alone without turns', () => {
    assert.equal(assignSpeakers([word('a', 0, 10)], [])[0]!.speaker, undefined);
  });
});

describe('buildUtterances', () => {
  it('splits on speaker change and on long pauses', () => {
    const words = [
      word('Hello', 0, 300, { speaker: 0 }),
      word('there.', 300, 600, { speaker: 0 }),
      word('Hi.', 700, 900, { speaker: 1 }),
      word('Later', 4000, 4300, { speaker: 1 }),
    ];
    const utterances = buildUtterances(words);
    assert.deepEqual(
      utterances.map((u) => [u.text, u.startMs, u.endMs, u.speaker, u.words.length]),
      [
        ['Hello there.', 0, 600, 0, 2],
        ['Hi.', 700, 900, 1, 1],
        ['Later', 4000, 4300, 1, 1],
      ],
    );
    assert.equal(utterances[0]!.confidence, 0.9);
  });

  it('groups each channel on its own, then interleaves by start', () => {
    const words = [
      word('left', 0, 500, { channel: 0 }),
      word('right', 200, 600, { channel: 1 }),
      word('again', 600, 900, { channel: 0 }),
      word('too', 700, 1000, { channel: 1 }),
    ];
    assert.deepEqual(
      buildUtterances(words).map((u) => [u.text, u.channel]),
      [
        ['left again', 0],
        ['right too', 1],
      ],
    );
  });
});

describe('renumberSpeakersByAppearance / countSpeakers', () => {
  it('numbers speakers by first word, per channel', () => {
    const words = [
      word('a', 0, 1, { speaker: 3 }),
      word('b', 1, 2, { speaker: 1 }),
      word('c', 2, 3, { speaker: 3 }),
      word('d', 0, 1, { speaker: 5, channel: 1 }),
    ];
    const out = renumberSpeakersByAppearance(words);
    assert.deepEqual(
      out.map((w) => w.speaker),
      [0, 1, 0, 0],
    );
    assert.equal(countSpeakers(out), 3);
  });
});
