import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { formatWords, isQuestion } from './format-words.js';

function w(text: string, startMs: number, endMs: number, extra: Partial<Word> = {}): Word {
  return { text, startMs, endMs, confidence: 0.9, ...extra };
}

const texts = (words: Word[]) => words.map((x) => x.text);

const FALLBACK = { punctuate: true, formatText: true, engineHasPunctuation: false } as const;

void describe('formatWords: punctuation fallback', () => {
  // Two speech segments as pocketsphinx emits them: lowercase, no punctuation.
  const words = [
    w('hello', 0, 400),
    w('world', 450, 900),
    w('how', 1500, 1700),
    w('are', 1750, 1900),
    w('you', 1950, 2200),
    w("i'm", 3000, 3200), // 800 ms pause inside the second segment
    w('fine', 3250, 3600),
    w('thanks', 3650, 3900),
  ];
  const segments = [
    { startMs: 0, endMs: 1000 },
    { startMs: 1400, endMs: 4000 },
  ];

  void it('ends sentences at segment ends and long pauses, asks questions, capitalises', () => {
    assert.deepEqual(texts(formatWords(words, segments, FALLBACK)), [
      'Hello',
      'world.',
      'How',
      'are',
      'you?',
      "I'm",
      'fine',
      'thanks.',
    ]);
  });

  void it('never changes the number of words, their times, confidences, speakers or channels', () => {
    const input = words.map((x, i) => ({ ...x, speaker: i % 2, channel: 0, confidence: i / 10 }));
    const out = formatWords(input, segments, FALLBACK);
    assert.deepEqual(
      out.map(({ text: _text, ...rest }) => rest),
      input.map(({ text: _text, ...rest }) => rest),
    );
  });

  void it('does not modify its input', () => {
    const input = [w('hello', 0, 400)];
    formatWords(input, [], FALLBACK);
    assert.deepEqual(input, [w('hello', 0, 400)]);
  });

  void it('ends a sentence at a pause of exactly the threshold, not one millisecond less', () => {
    const at = [w('one', 0, 300), w('two', 1000, 1300), w('three', 1999, 2300)];
    assert.deepEqual(texts(formatWords(at, [], FALLBACK)), ['One.', 'Two', 'three.']);
    const custom = formatWords(at, [], { ...FALLBACK, sentencePauseMs: 600 });
    assert.deepEqual(texts(custom), ['One.', 'Two.', 'Three.']);
  });

  void it('ends a sentence where the speaker changes', () => {
    const turns = [w('yes', 0, 300, { speaker: 0 }), w('no', 350, 600, { speaker: 1 })];
    assert.deepEqual(texts(formatWords(turns, [], FALLBACK)), ['Yes.', 'No.']);
  });

  void it('assigns a word straddling a segment edge by its midpoint', () => {
    const edge = [w('a', 0, 200), w('b', 650, 1460), w('c', 1470, 1600)];
    // b starts in the first segment but its midpoint (1055) lies in the second, so the first
    // sentence ends at "a" (the 450 ms pause alone would not end it).
    assert.deepEqual(
      texts(
        formatWords(
          edge,
          [
            { startMs: 0, endMs: 1000 },
            { startMs: 1000, endMs: 2000 },
          ],
          FALLBACK,
        ),
      ),
      ['A.', 'B', 'c.'],
    );
  });

  void it('keeps lowercase and adds punctuation when formatText is false', () => {
    assert.deepEqual(texts(formatWords(words, segments, { ...FALLBACK, formatText: false })), [
      'hello',
      'world.',
      'how',
      'are',
      'you?',
      "i'm",
      'fine',
      'thanks.',
    ]);
  });

  void it('gives an empty result for no words and handles a single word', () => {
    assert.deepEqual(formatWords([], [], FALLBACK), []);
    assert.deepEqual(formatWords([w('ok', 0, 100)], [{ startMs: 0, endMs: 500 }], FALLBACK), [
      w('Ok.', 0, 100),
    ]);
  });
});

void describe('formatWords: engine punctuation', () => {
  const engine = [
    w('hello', 0, 100),
    w('world.', 100, 200),
    w('iPhone', 200, 300),
    w('sales', 300, 400),
    w('rose,', 400, 500),
    w('e.g.', 500, 600),
    w('in', 600, 700),
    w('march.', 700, 800),
    w('mr.', 800, 900),
    w('smith', 900, 1000),
    w('and', 1000, 1100),
    w('i', 1100, 1200),
    w('agree.', 1200, 1300),
  ];

  void it('keeps the punctuation and capitalises sentence starts and "I", not after abbreviations', () => {
    const out = formatWords(engine, [], { punctuate: true, formatText: true, engineHasPunctuation: true });
    assert.deepEqual(texts(out), [
      'Hello',
      'world.',
      'iPhone',
      'sales',
      'rose,',
      'e.g.',
      'in',
      'march.',
      'Mr.',
      'smith',
      'and',
      'I',
      'agree.',
    ]);
  });

  void it('strips punctuation when punctuate is false and lowercases when formatText is false', () => {
    const input = [
      w('Hello,', 0, 1),
      w('World.', 1, 2),
      w("It's", 2, 3),
      w('3.5', 3, 4),
      w('well-known', 4, 5),
      w('—', 5, 6),
      w('"U.S."', 6, 7),
      w('40%.', 7, 8),
    ];
    const opts = { punctuate: false, engineHasPunctuation: true };
    assert.deepEqual(texts(formatWords(input, [], { ...opts, formatText: false })), [
      'hello',
      'world',
      "it's",
      '3.5',
      'well-known',
      '',
      'us',
      '40%',
    ]);
    // With formatting on, the engine's casing stays; with no sentence ends left, only the first
    // word is a sentence start.
    assert.deepEqual(texts(formatWords(input, [], { ...opts, formatText: true })), [
      'Hello',
      'World',
      "It's",
      '3.5',
      'well-known',
      '',
      'US',
      '40%',
    ]);
  });

  void it('capitalises the contractions of "I", with either apostrophe', () => {
    const input = ["i've", 'said', 'i’ll', 'and', "i'd", 'but', 'it', 'is', 'ice'].map((t, i) =>
      w(t, i, i + 1),
    );
    const out = formatWords(input, [], { punctuate: true, formatText: true, engineHasPunctuation: true });
    assert.deepEqual(texts(out), ["I've", 'said', 'I’ll', 'and', "I'd", 'but', 'it', 'is', 'ice']);
  });

  void it('does not add punctuation to an engine that has its own', () => {
    const input = [w('no', 0, 100), w('punctuation', 2000, 2100)];
    const out = formatWords(input, [], { punctuate: true, formatText: false, engineHasPunctuation: true });
    assert.deepEqual(texts(out), ['no', 'punctuation']);
  });
});

void describe('isQuestion', () => {
  const q = (s: string) => isQuestion(s.split(' '));

  void it('recognises subject–auxiliary inversion', () => {
    assert.equal(q('is it ready'), true);
    assert.equal(q('can the model run'), true);
    assert.equal(q('do you know'), true);
    assert.equal(q('what is your name'), true);
    assert.equal(q('why do they care'), true);
    assert.equal(q("what's the time"), true);
    assert.equal(q('how many are there'), true);
    assert.equal(q('why'), true);
    assert.equal(q('so what is the plan'), true);
    assert.equal(q('and um can we go'), true);
  });

  void it('leaves declaratives and imperatives alone', () => {
    assert.equal(q('what I mean is this'), false);
    assert.equal(q('when I was young'), false);
    assert.equal(q('do the dishes'), false);
    assert.equal(q('have a nice day'), false);
    assert.equal(q('may the best team win'), false);
    assert.equal(q('is'), false);
    assert.equal(q('so'), false);
    assert.equal(q('so we are done'), false);
    assert.equal(q('the cat is here'), false);
    assert.equal(isQuestion([]), false);
  });
});
