import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averageLogProbability, compressionRatio } from './segment-stats.js';
import { openAiLanguageName } from './language-name.js';

describe('Whisper-style segment statistics', () => {
  it('averages the natural log of word confidences, with a floor for zero', () => {
    assert.equal(averageLogProbability([]), 0);
    assert.equal(averageLogProbability([{ confidence: 1 }, { confidence: 1 }]), 0);
    assert.ok(Math.abs(averageLogProbability([{ confidence: Math.E ** -2 }]) + 2) < 1e-12);
    assert.ok(Math.abs(averageLogProbability([{ confidence: 0 }]) - Math.log(1e-6)) < 1e-12);
  });

  it('computes the compression ratio as Python zlib.compress does', () => {
    // Values printed by Python 3: len(b) / len(zlib.compress(b)).
    assert.equal(
      compressionRatio('And so my fellow Americans ask not what your country can do for you'),
      67 / 66,
    );
    assert.equal(compressionRatio(''), 0);
    // Repetitive text (a decoding loop) compresses well: above Whisper's 2.4 threshold.
    assert.ok(compressionRatio('thank you '.repeat(30)) > 2.4);
  });
});

describe('OpenAI language names', () => {
  it('names languages in lowercase English as Whisper does', () => {
    assert.equal(openAiLanguageName('en'), 'english');
    assert.equal(openAiLanguageName('EN_us'), 'english');
    assert.equal(openAiLanguageName('de'), 'german');
    assert.equal(openAiLanguageName('nn'), 'nynorsk');
    assert.equal(openAiLanguageName('tl'), 'tagalog');
    assert.equal(openAiLanguageName('ht'), 'haitian creole');
    assert.equal(openAiLanguageName('qqq'), 'qqq');
  });
});
