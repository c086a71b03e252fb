import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transcript } from '../../domain/transcript.js';
import { addonContext, buildTranscript, type Turn } from '../../../test/fixtures/transcripts.js';
import { SHARED_DIR } from '../../../test/helpers/shared-data.js';
import type { Addon } from '../addon.js';
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

/** Sentences in turns of three, words every 400 ms lasting 300 ms, 600 ms between sentences. */
function hourLongCall(): Transcript {
  const turns: Turn[] = [];
  for (let sentence = 0, words = 0; words < 9000; sentence++) {
    const text = SENTENCES[sentence % SENTENCES.length]!;
    turns.push({ speaker: Math.floor(sentence / 3) % 2, text });
    words += text.split(' ').length;
  }
  return buildTranscript(turns, { msPerWord: 400, sentencePauseMs: 600 });
}

describe('intelligence add-ons on a one-hour transcript', () => {
  const context = addonContext(hourLongCall(), { sentiment: true, keyPhrases: true, topics: true });
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
