import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Transcript, Word } from '../../domain/transcript.js';
import { SHARED_DIR } from '../../../test/helpers/shared-data.js';
import type { Addon, AddonContext } from '../addon.js';
import { keyPhrasesAddon } from '../key-phrases/key-phrases.addon.js';
import { sentimentAddon } from '../sentiment/sentiment.addon.js';
import { topicsAddon } from './topics.addon.js';
import { setVaderLexiconPath, vaderLexiconFile } from '../sentiment/vader-lexicon.js';

// Read the lexicon from the shared data directory the tests use (EARSHOT_SHARED_DIR or ../shared).
setVaderLexiconPath(vaderLexiconFile(SHARED_DIR));

/**
 * Sentiment, key phrases and topics over a one-hour call (~9,000 words, two speakers). The target
 * is well under 2 s each; the assertion is looser (10 s) so a busy CI machine does not flake, and
 * the measured times are printed.
 */
const SENTENCES = [
  'Thanks for joining the quarterly business review this morning.',
  'Revenue grew eight percent and the sales pipeline looks strong for the next quarter.',
  'The customer support team closed most of the open support tickets last week.',
  'Unfortunately the mobile app crashed twice after the latest software update.',
  'We need to fix the login bug before the product launch in March.',
  'The marketing campaign brought in a lot of new leads from enterprise customers.',
  'Honestly I am disappointed that the data migration is still delayed.',
  'The new pricing model is simple and customers really like it.',
  'Our engineers moved the database servers to the new data center.',
  'Let me share my screen so we can look at the budget together.',
];

function hourLongWords(): Word[] {
  const words: Word[] = [];
  let t = 0;
  let sentence = 0;
  while (words.length < 9000) {
    const text = SENTENCES[sentence % SENTENCES.length]!;
    const speaker = Math.floor(sentence / 3) % 2;
    for (const token of text.split(' ')) {
      words.push({ text: token, startMs: t, endMs: t + 300, confidence: 0.9, speaker });
      t += 400;
    }
    t += 600;
    sentence++;
  }
  return words;
}

function contextOf(words: Word[]): AddonContext {
  const transcript: Transcript = {
    language: 'en',
    languageConfidence: 1,
    durationMs: words.at(-1)!.endMs,
    channels: 1,
    text: words.map((w) => w.text).join(' '),
    words,
    segments: [],
    utterances: null,
    confidence: 0.9,
    speakers: 2,
    engine: { id: 'test', model: 'test' },
    speechMs: 0,
    addons: {},
  };
  return {
    transcript,
    request: { sentiment: true, keyPhrases: true, topics: true },
    llm: null,
    signal: new AbortController().signal,
    log: pino({ level: 'silent' }),
  };
}

describe('intelligence add-ons on a one-hour transcript', () => {
  const context = contextOf(hourLongWords());
  const addons: Addon[] = [sentimentAddon, keyPhrasesAddon, topicsAddon];
  for (const addon of addons) {
    it(`${addon.name} finishes quickly`, async () => {
      // Warm run first: loading the lexicon or the POS model is a one-off cost, timed separately.
      const coldStart = performance.now();
      await addon.run(context);
      const cold = performance.now() - coldStart;
      const start = performance.now();
      const result = await addon.run(context);
      const warm = performance.now() - start;
      console.log(
        `${addon.name}: ${context.transcript.words.length} words, cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms`,
      );
      assert.ok(warm < 10_000, `${warm} ms`);
      const size = Array.isArray(result)
        ? result.length
        : (result as { segments: unknown[] }).segments.length;
      assert.ok(size > 0);
    });
  }
});
