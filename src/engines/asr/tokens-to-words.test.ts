import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { EngineWord } from './asr-engine.js';
import {
  splitTextIntoWords,
  spreadWordsOverSpan,
  tokensToWords,
  UNREPORTED_CONFIDENCE,
  type TokenTimeline,
} from './tokens-to-words.js';

const FRAME = 0.04;

/** Rounds times so float noise does not hide the values under test. */
function rounded(words: EngineWord[]): EngineWord[] {
  const r = (x: number): number => Math.round(x * 1e6) / 1e6;
  return words.map((w) => ({ text: w.text, start: r(w.start), end: r(w.end), confidence: r(w.confidence) }));
}

function timeline(tokens: string[], timestamps: number[], extra: Partial<TokenTimeline> = {}): TokenTimeline {
  return { text: tokens.join(''), tokens, timestamps, ...extra };
}

describe('tokensToWords: boundaries', () => {
  test('`▁` starts a word; continuation tokens join it', () => {
    const words = tokensToWords(timeline(['▁hel', 'lo', '▁world'], [0.48, 0.8, 1.56]), {
      frameSeconds: FRAME,
    });
    assert.deepEqual(
      words.map((w) => w.text),
      ['hello', 'world'],
    );
  });

  test("sherpa's space-prefixed tokens and Whisper's leading spaces start words too", () => {
    const words = tokensToWords(timeline([' hel', 'lo', ' world', '!'], [0.48, 0.8, 1.56, 1.7]), {
      frameSeconds: FRAME,
    });
    assert.deepEqual(
      words.map((w) => w.text),
      ['hello', 'world!'],
    );
  });

  test('each Han, Hiragana and Katakana character is a word; punctuation joins the previous one', () => {
    const words = tokensToWords(
      timeline(['你', '好', '，', '世界', '。', 'テ'], [0, 0.2, 0.4, 0.5, 0.9, 0.95]),
      {
        frameSeconds: FRAME,
        audioSeconds: 1,
      },
    );
    assert.deepEqual(
      words.map((w) => w.text),
      ['你', '好，', '世', '界。', 'テ'],
    );
  });

  test('Hangul follows the spaces, not one word per character', () => {
    const words = tokensToWords(timeline(['▁안녕', '하세요', '▁세계'], [0, 0.3, 0.6]), {
      frameSeconds: FRAME,
    });
    assert.deepEqual(
      words.map((w) => w.text),
      ['안녕하세요', '세계'],
    );
  });

  test('special tokens are dropped', () => {
    const words = tokensToWords(
      timeline(['<|en|>', '▁hi', '<unk>', '▁there', '</s>'], [0, 0.1, 0.2, 0.3, 0.4]),
      { frameSeconds: FRAME },
    );
    assert.deepEqual(
      words.map((w) => w.text),
      ['hi', 'there'],
    );
  });

  test('byte-fallback tokens are decoded as UTF-8 before splitting', () => {
    const words = tokensToWords(
      timeline(
        ['▁I', '▁like', '▁', '<0xE4>', '<0xBD>', '<0xA0>', '▁caf', '<0xC3>', '<0xA9>'],
        [0, 0.2, 0.4, 0.4, 0.44, 0.48, 0.6, 0.7, 0.74],
      ),
      { frameSeconds: FRAME },
    );
    assert.deepEqual(
      rounded(words).map((w) => [w.text, w.start]),
      [
        ['I', 0],
        ['like', 0.2],
        ['你', 0.4],
        ['café', 0.6],
      ],
    );
  });

  test('opening punctuation joins the next word, closing punctuation the previous one', () => {
    const words = tokensToWords(
      timeline(['▁(', '▁see', '▁below', '▁)', '▁"', 'Yes', '."'], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
      {
        frameSeconds: FRAME,
      },
    );
    assert.deepEqual(
      words.map((w) => w.text),
      ['(see', 'below)', '"Yes."'],
    );
  });

  test('no tokens, or only special ones, give no words', () => {
    assert.deepEqual(tokensToWords(timeline([], []), { frameSeconds: FRAME }), []);
    assert.deepEqual(tokensToWords(timeline(['<unk>'], [0.1]), { frameSeconds: FRAME }), []);
  });
});

describe('tokensToWords: times', () => {
  test('without durations a word ends where the next begins; the last one frame after its token', () => {
    const words = tokensToWords(timeline(['▁hel', 'lo', '▁yes'], [0.48, 0.8, 1.56]), { frameSeconds: FRAME });
    assert.deepEqual(rounded(words), [
      { text: 'hello', start: 0.48, end: 1.56, confidence: UNREPORTED_CONFIDENCE },
      { text: 'yes', start: 1.56, end: 1.6, confidence: UNREPORTED_CONFIDENCE },
    ]);
  });

  test('without durations the next silence ends a word before the next word does', () => {
    const words = tokensToWords(timeline(['▁hel', 'lo', '▁yes'], [0.48, 0.8, 1.56]), {
      frameSeconds: FRAME,
      audioSeconds: 3,
      silences: [
        { start: 0, end: 0.5 },
        { start: 1.0, end: 1.6 },
        { start: 2.0, end: 3.0 },
      ],
    });
    assert.deepEqual(
      rounded(words).map((w) => [w.text, w.start, w.end]),
      [
        ['hello', 0.48, 1.0],
        ['yes', 1.56, 2.0],
      ],
    );
  });

  test('a last word with no silence after it ends at the end of the audio', () => {
    const words = tokensToWords(timeline(['▁hi'], [0.2]), { frameSeconds: FRAME, audioSeconds: 0.9 });
    assert.deepEqual(
      rounded(words).map((w) => [w.start, w.end]),
      [[0.2, 0.9]],
    );
  });

  test('durations give exact ends and log-probabilities give confidence', () => {
    const words = tokensToWords(
      timeline(['▁the', '▁cat', 's'], [0.1, 0.5, 0.7], {
        durations: [0.2, 0.16, 0.08],
        logProbs: [-0.1, -0.2, -0.4],
      }),
      { frameSeconds: FRAME },
    );
    assert.deepEqual(
      rounded(words),
      rounded([
        { text: 'the', start: 0.1, end: 0.3, confidence: Math.exp(-0.1) },
        { text: 'cats', start: 0.5, end: 0.78, confidence: Math.exp(-0.3) },
      ]),
    );
  });

  test('a zero duration is treated as unknown, and ends never pass the next word or the audio', () => {
    const words = tokensToWords(timeline(['▁a', '▁b', '▁c'], [0.1, 0.3, 0.5], { durations: [0.5, 0, 2] }), {
      frameSeconds: FRAME,
      audioSeconds: 1,
    });
    assert.deepEqual(
      rounded(words).map((w) => [w.text, w.start, w.end]),
      [
        ['a', 0.1, 0.3],
        ['b', 0.3, 0.5],
        ['c', 0.5, 1],
      ],
    );
  });

  test('a token holding several CJK words is shared among them by characters', () => {
    const words = tokensToWords(timeline(['你好', '世界'], [0, 0.4]), {
      frameSeconds: FRAME,
      audioSeconds: 1,
    });
    assert.deepEqual(
      rounded(words).map((w) => [w.text, w.start, w.end]),
      [
        ['你', 0, 0.2],
        ['好', 0.2, 0.4],
        ['世', 0.4, 0.7],
        ['界', 0.7, 1],
      ],
    );
  });

  test('timestamps, durations or probabilities of the wrong length are ignored', () => {
    const words = tokensToWords(timeline(['▁a', '▁b'], [0.1, 0.3], { durations: [0.1], logProbs: [-1] }), {
      frameSeconds: FRAME,
    });
    assert.deepEqual(
      rounded(words).map((w) => [w.start, w.end, w.confidence]),
      [
        [0.1, 0.3, 1],
        [0.3, 0.34, 1],
      ],
    );
    // No usable timestamps at all: estimated from the text over the voiced span.
    const estimated = tokensToWords(
      { text: 'a bb', tokens: ['▁a', '▁bb'], timestamps: [0.1] },
      { frameSeconds: FRAME, voicedSpan: { start: 1, end: 1.3 } },
    );
    assert.deepEqual(
      rounded(estimated).map((w) => [w.text, w.start, w.end]),
      [
        ['a', 1, 1.1],
        ['bb', 1.1, 1.3],
      ],
    );
  });

  test('confidence is the geometric mean probability of the word, within [0, 1]', () => {
    const words = tokensToWords(
      timeline(['▁x', 'y', '▁z'], [0, 0.1, 0.2], { logProbs: [0, -Math.log(4), 0.5] }),
      { frameSeconds: FRAME },
    );
    assert.equal(words[0]?.confidence, Math.exp(-Math.log(4) / 2));
    assert.equal(words[1]?.confidence, 1, 'a positive log-probability (rounding) is capped at 1');
  });

  test('the fallback confidence can be chosen', () => {
    const words = tokensToWords(timeline(['▁x'], [0]), { frameSeconds: FRAME, fallbackConfidence: 0.5 });
    assert.equal(words[0]?.confidence, 0.5);
  });
});

describe('estimates for models without timestamps', () => {
  test('words are spread over the voiced span in proportion to their characters', () => {
    const words = tokensToWords(
      {
        text: ' And so my fellow Americans',
        tokens: [' And', ' so', ' my', ' fellow', ' Americans'],
        timestamps: [],
      },
      { frameSeconds: FRAME, voicedSpan: { start: 0.3, end: 2.5 } },
    );
    // 3 + 2 + 2 + 6 + 9 = 22 characters over 2.2 s: 0.1 s per character.
    assert.deepEqual(
      rounded(words).map((w) => [w.text, w.start, w.end]),
      [
        ['And', 0.3, 0.6],
        ['so', 0.6, 0.8],
        ['my', 0.8, 1.0],
        ['fellow', 1.0, 1.6],
        ['Americans', 1.6, 2.5],
      ],
    );
  });

  test('without a voiced span the words cover the whole audio', () => {
    const words = tokensToWords(
      { text: 'ab cd', tokens: [], timestamps: [] },
      { frameSeconds: FRAME, audioSeconds: 2 },
    );
    assert.deepEqual(
      rounded(words).map((w) => [w.start, w.end]),
      [
        [0, 1],
        [1, 2],
      ],
    );
  });

  test('spreadWordsOverSpan handles no words and a zero-length span', () => {
    assert.deepEqual(spreadWordsOverSpan([], { start: 0, end: 1 }), []);
    assert.deepEqual(spreadWordsOverSpan(['a'], { start: 2, end: 2 }, 0.7), [
      { text: 'a', start: 2, end: 2, confidence: 0.7 },
    ]);
  });

  test('splitTextIntoWords uses the same rules as tokens', () => {
    assert.deepEqual(splitTextIntoWords(' Hello, world! 你好。 ( ok )'), [
      'Hello,',
      'world!',
      '你',
      '好。',
      '(ok)',
    ]);
    assert.deepEqual(splitTextIntoWords('   '), []);
  });
});
