import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../../domain/transcript.js';
import {
  addonContext,
  timedWords,
  transcriptOf,
  type WordOptions,
} from '../../../test/fixtures/transcripts.js';
import { SHARED_DIR } from '../../../test/helpers/shared-data.js';
import { sentimentAddon } from './sentiment.addon.js';
import { setVaderLexiconPath, vaderLexiconFile } from './vader-lexicon.js';

// Read the lexicon from the shared data directory the tests use (EARSHOT_SHARED_DIR or ../shared).
setVaderLexiconPath(vaderLexiconFile(SHARED_DIR));

/** Words of `text`, 300 ms each with 100 ms gaps, starting at `startMs`. */
const wordsOf = (text: string, startMs: number, options: WordOptions = {}) =>
  timedWords(text, { msPerWord: 400, sentencePauseMs: 0, startMs, ...options });

const run = (words: Word[]) => sentimentAddon.run(addonContext(transcriptOf(words), { sentiment: true }));

describe('sentimentAddon', () => {
  it('is wanted only when sentiment is requested', () => {
    assert.equal(sentimentAddon.wanted({ sentiment: true }), true);
    assert.equal(sentimentAddon.wanted({ entities: true }), false);
  });

  it('labels each sentence with its times and speaker', async () => {
    const words = [
      ...wordsOf('Thanks so much, the support was excellent.', 0, { speaker: 0 }),
      ...wordsOf('The invoice goes out on Monday.', 3000, { speaker: 0 }),
      ...wordsOf('I am really disappointed with the delay.', 6000, { speaker: 1 }),
    ];
    const results = await run(words);
    assert.deepEqual(
      results.map((r) => [r.text, r.sentiment, r.startMs, r.endMs, r.speaker]),
      [
        ['Thanks so much, the support was excellent.', 'POSITIVE', 0, 2700, 0],
        ['The invoice goes out on Monday.', 'NEUTRAL', 3000, 5300, 0],
        ['I am really disappointed with the delay.', 'NEGATIVE', 6000, 8700, 1],
      ],
    );
    for (const r of results) assert.ok(r.confidence > 0.5 && r.confidence <= 1, `${r.confidence}`);
    assert.equal(results[0]?.channel, undefined);
  });

  it('splits each channel on its own when channels overlap in time', async () => {
    const left = wordsOf('I love this plan.', 0, { channel: 0 });
    const right = wordsOf('This plan is terrible.', 200, { channel: 1 });
    const words = [...left, ...right].sort((a, b) => a.startMs - b.startMs);
    const results = await run(words);
    assert.deepEqual(
      results.map((r) => [r.text, r.sentiment, r.channel, r.startMs, r.endMs]),
      [
        ['I love this plan.', 'POSITIVE', 0, 0, 1500],
        ['This plan is terrible.', 'NEGATIVE', 1, 200, 1700],
      ],
    );
  });

  it('returns no sentences for an empty transcript', async () => {
    assert.deepEqual(await run([]), []);
  });
});
