import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { splitParagraphs, splitSentences } from './sentences.js';

function w(text: string, startMs: number, endMs: number, extra: Partial<Word> = {}): Word {
  return { text, startMs, endMs, confidence: 0.5, ...extra };
}

/** Words "w0".."w{n-1}", 100 ms each, back to back, with extra silence before the given indexes. */
function run(n: number, pauses: Record<number, number> = {}): Word[] {
  const words: Word[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += pauses[i] ?? 0;
    words.push(w(`w${i}`, t, t + 100));
    t += 100;
  }
  return words;
}

const sentenceTexts = (words: Word[]) => splitSentences(words).map((s) => s.text);

void describe('splitSentences', () => {
  void it('builds sentences with text, times, mean confidence and words', () => {
    const words = [
      w('Hello', 0, 400, { confidence: 0.25 }),
      w('there.', 400, 800, { confidence: 0.75 }),
      w('Bye!', 1000, 1300, { confidence: 1 }),
    ];
    assert.deepEqual(splitSentences(words), [
      { text: 'Hello there.', startMs: 0, endMs: 800, confidence: 0.5, words: words.slice(0, 2) },
      { text: 'Bye!', startMs: 1000, endMs: 1300, confidence: 1, words: words.slice(2) },
    ]);
  });

  void it('carries speaker and channel, and splits where either changes', () => {
    const words = [
      w('yes', 0, 100, { speaker: 0, channel: 1 }),
      w('no', 100, 200, { speaker: 1, channel: 1 }),
      w('maybe', 200, 300, { speaker: 1, channel: 0 }),
    ];
    assert.deepEqual(
      splitSentences(words).map(({ text, speaker, channel }) => ({ text, speaker, channel })),
      [
        { text: 'yes', speaker: 0, channel: 1 },
        { text: 'no', speaker: 1, channel: 1 },
        { text: 'maybe', speaker: 1, channel: 0 },
      ],
    );
  });

  void it('splits on . ? ! but not after abbreviations or inside decimals', () => {
    const words =
      'Mr. Smith met Dr. Jones, e.g. at 10 a.m. today. It costs 3. 5 dollars? Yes! In the U.S. The end.'
        .split(' ')
        .map((t, i) => w(t, i * 100, i * 100 + 90));
    assert.deepEqual(sentenceTexts(words), [
      'Mr. Smith met Dr. Jones, e.g. at 10 a.m. today.',
      'It costs 3. 5 dollars?',
      'Yes!',
      'In the U.S.',
      'The end.',
    ]);
  });

  void it('splits after closing quotes and after a punctuation-only token', () => {
    const words = ['He', 'said', '"stop."', 'Then', 'left', '.', 'Done'].map((t, i) =>
      w(t, i * 100, i * 100 + 90),
    );
    assert.deepEqual(sentenceTexts(words), ['He said "stop."', 'Then left .', 'Done']);
  });

  void it('cuts a sentence over 40 words at its longest pause in the middle half', () => {
    // 45 words: a 500 ms pause before w5 (outside the middle half) and 300 ms before w30.
    const words = run(45, { 5: 500, 30: 300 });
    assert.deepEqual(
      splitSentences(words).map((s) => [s.words.length, s.startMs, s.endMs]),
      [
        [30, 0, 3500],
        [15, 3800, 5300],
      ],
    );
  });

  void it('breaks a tie between equal pauses at the gap nearest the middle, then the earlier', () => {
    // 41 words, no pauses at all: gaps 20 and 21 are equally near the middle (20.5).
    assert.deepEqual(
      splitSentences(run(41)).map((s) => s.words.length),
      [20, 21],
    );
  });

  void it('cuts a sentence over 30 s, but never a single word', () => {
    const words = [w('a', 0, 1000), w('b', 20000, 21000), w('c', 35000, 36000)];
    assert.deepEqual(sentenceTexts(words), ['a', 'b c']);
    assert.deepEqual(sentenceTexts([w('long', 0, 45000)]), ['long']);
  });

  void it('honours custom bounds', () => {
    assert.deepEqual(
      splitSentences(run(8, { 2: 50, 6: 10 }), { maxWords: 4 }).map((s) => s.text),
      ['w0 w1', 'w2 w3 w4 w5', 'w6 w7'],
    );
  });

  void it('returns nothing for no words', () => {
    assert.deepEqual(splitSentences([]), []);
  });
});

void describe('splitParagraphs', () => {
  void it('starts a paragraph at a pause of 2 s or more between sentences, not 1999 ms', () => {
    const words = [
      w('One.', 0, 500),
      w('Two.', 2499, 3000), // 1999 ms after "One."
      w('Three.', 5000, 5500), // 2000 ms after "Two."
    ];
    assert.deepEqual(
      splitParagraphs(words).map((p) => [p.text, p.startMs, p.endMs]),
      [
        ['One. Two.', 0, 3000],
        ['Three.', 5000, 5500],
      ],
    );
  });

  void it('starts a paragraph when the speaker changes', () => {
    const words = [w('Hi.', 0, 100, { speaker: 0 }), w('Hello.', 200, 300, { speaker: 1 })];
    assert.deepEqual(
      splitParagraphs(words).map((p) => [p.text, p.speaker]),
      [
        ['Hi.', 0],
        ['Hello.', 1],
      ],
    );
  });

  void it('closes a paragraph before a sentence that would take it past maxWords', () => {
    const words = 'a b c. d e f. g h i. j.'.split(' ').map((t, i) => w(t, i * 100, i * 100 + 90));
    assert.deepEqual(
      splitParagraphs(words, { maxWords: 7 }).map((p) => p.text),
      ['a b c. d e f.', 'g h i. j.'],
    );
  });

  void it('computes the paragraph confidence over all its words', () => {
    const words = [
      w('A.', 0, 1, { confidence: 0.25 }),
      w('B', 2, 3, { confidence: 0.5 }),
      w('c.', 4, 5, { confidence: 0.75 }),
    ];
    assert.deepEqual(splitParagraphs(words), [
      { text: 'A. B c.', startMs: 0, endMs: 5, confidence: 0.5, words },
    ]);
    assert.deepEqual(splitParagraphs([]), []);
  });
});
