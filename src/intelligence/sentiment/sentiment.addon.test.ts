import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Transcript, Word } from '../../domain/transcript.js';
import { SHARED_DIR } from '../../../test/helpers/shared-data.js';
import type { AddonContext } from '../addon.js';
import { sentimentAddon } from './sentiment.addon.js';
import { setVaderLexiconPath, vaderLexiconFile } from './vader-lexicon.js';

// Read the lexicon from the shared data directory the tests use (EARSHOT_SHARED_DIR or ../shared).
setVaderLexiconPath(vaderLexiconFile(SHARED_DIR));

/** Words of `text`, 300 ms each with 100 ms gaps, starting at `startMs`. */
function wordsOf(text: string, startMs: number, extra: Partial<Word> = {}): Word[] {
  return text.split(' ').map((t, i) => ({
    text: t,
    startMs: startMs + i * 400,
    endMs: startMs + i * 400 + 300,
    confidence: 0.9,
    ...extra,
  }));
}

function contextOf(words: Word[]): AddonContext {
  const transcript: Transcript = {
    language: 'en',
    languageConfidence: 1,
    durationMs: Math.max(0, ...words.map((w) => w.endMs)),
    channels: 1,
    text: words.map((w) => w.text).join(' '),
    words,
    segments: [],
    utterances: null,
    confidence: 0.9,
    speakers: null,
    engine: { id: 'test', model: 'test' },
    speechMs: 0,
    addons: {},
  };
  return {
    transcript,
    request: { sentiment: true },
    llm: null,
    signal: new AbortController().signal,
    log: pino({ level: 'silent' }),
  };
}

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
    const results = await sentimentAddon.run(contextOf(words));
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
    const results = await sentimentAddon.run(contextOf(words));
    assert.deepEqual(
      results.map((r) => [r.text, r.sentiment, r.channel, r.startMs, r.endMs]),
      [
        ['I love this plan.', 'POSITIVE', 0, 0, 1500],
        ['This plan is terrible.', 'NEGATIVE', 1, 200, 1700],
      ],
    );
  });

  it('returns no sentences for an empty transcript', async () => {
    assert.deepEqual(await sentimentAddon.run(contextOf([])), []);
  });
});
