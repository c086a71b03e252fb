import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { applyCustomSpelling } from './custom-spelling.js';

function w(text: string, startMs: number, endMs: number, extra: Partial<Word> = {}): Word {
  return { text, startMs, endMs, confidence: 0.9, ...extra };
}

const texts = (words: Word[]) => words.map((x) => x.text);

const RULES = [
  { from: ['gettleman'], to: 'Gettleman' },
  { from: ['dee carlo', 'decarlo'], to: 'DeCarlo' },
  { from: ['k8s'], to: 'Kubernetes' },
];

void describe('applyCustomSpelling', () => {
  void it('replaces whole words case-insensitively and keeps the punctuation around them', () => {
    const words = [
      w('Mr.', 0, 100),
      w('gettleman,', 100, 200),
      w('"GETTLEMAN"', 200, 300),
      w('uses', 300, 400),
      w('K8s.', 400, 500),
      w('gettlemans', 500, 600),
    ];
    assert.deepEqual(texts(applyCustomSpelling(words, RULES)), [
      'Mr.',
      'Gettleman,',
      '"Gettleman"',
      'uses',
      'Kubernetes.',
      'gettlemans',
    ]);
  });

  void it('merges a multi-word match into one word: first start, last end, lowest confidence', () => {
    const words = [
      w('met', 0, 100, { speaker: 1, channel: 0 }),
      w('Dee', 120, 300, { confidence: 0.8, speaker: 1, channel: 0 }),
      w('carlo.', 310, 700, { confidence: 0.6, speaker: 1, channel: 0 }),
      w('Then', 900, 1000, { speaker: 1, channel: 0 }),
    ];
    assert.deepEqual(applyCustomSpelling(words, RULES), [
      w('met', 0, 100, { speaker: 1, channel: 0 }),
      w('DeCarlo.', 120, 700, { confidence: 0.6, speaker: 1, channel: 0 }),
      w('Then', 900, 1000, { speaker: 1, channel: 0 }),
    ]);
  });

  void it('does not match a phrase across punctuation or a change of speaker', () => {
    const punctuated = [w('dee,', 0, 100), w('carlo', 100, 200)];
    assert.deepEqual(texts(applyCustomSpelling(punctuated, RULES)), ['dee,', 'carlo']);
    const turns = [w('dee', 0, 100, { speaker: 0 }), w('carlo', 100, 200, { speaker: 1 })];
    assert.deepEqual(texts(applyCustomSpelling(turns, RULES)), ['dee', 'carlo']);
  });

  void it('prefers the longer phrase, then the earlier rule, and does not chain', () => {
    const words = ['new', 'york', 'new', 'sequel', 'a', 'b'].map((t, i) => w(t, i * 100, i * 100 + 90));
    const rules = [
      { from: ['new'], to: 'NEW' },
      { from: ['New York'], to: 'NYC' },
      { from: ['sequel'], to: 'SQL' },
      { from: ['SEQUEL'], to: 'Sequel' },
      { from: ['a'], to: 'b' },
      { from: ['b'], to: 'c' },
    ];
    const out = applyCustomSpelling(words, rules);
    assert.deepEqual(texts(out), ['NYC', 'NEW', 'SQL', 'b', 'c']);
    assert.deepEqual(
      out.map((x) => [x.startMs, x.endMs]),
      [
        [0, 190],
        [200, 290],
        [300, 390],
        [400, 490],
        [500, 590],
      ],
    );
  });

  void it('folds typographic apostrophes when matching', () => {
    assert.deepEqual(
      texts(applyCustomSpelling([w('O’Neil', 0, 100)], [{ from: ["o'neil"], to: "O'Neill" }])),
      ["O'Neill"],
    );
  });

  void it('returns the words unchanged with no rules, and nothing for no words', () => {
    const words = [w('hello', 0, 100)];
    assert.deepEqual(applyCustomSpelling(words, []), words);
    assert.deepEqual(applyCustomSpelling([], RULES), []);
    // A rule whose `from` is blank never matches (an empty word included).
    assert.deepEqual(texts(applyCustomSpelling([w('', 0, 1)], [{ from: ['  '], to: 'x' }])), ['']);
  });
});
