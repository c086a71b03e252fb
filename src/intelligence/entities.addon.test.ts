import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Transcript, Word } from '../domain/transcript.js';
import type { AddonContext } from './addon.js';
import { entitiesAddon } from './entities.addon.js';

/** Words of `text`, one every 500 ms lasting 400 ms, from `startMs`. */
function wordsOf(text: string, startMs = 0, extra: Partial<Word> = {}): Word[] {
  return text.split(' ').map((t, i) => ({
    text: t,
    startMs: startMs + i * 500,
    endMs: startMs + i * 500 + 400,
    confidence: 0.9,
    ...extra,
  }));
}

function contextOf(words: Word[], channels = 1): AddonContext {
  const transcript: Transcript = {
    language: 'en',
    languageConfidence: 1,
    durationMs: Math.max(0, ...words.map((w) => w.endMs)),
    channels,
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
    request: { entities: true },
    llm: null,
    signal: new AbortController().signal,
    log: pino({ level: 'silent' }),
  };
}

describe('entities add-on', () => {
  it('is wanted only when entities are requested', () => {
    assert.equal(entitiesAddon.wanted({ entities: true }), true);
    assert.equal(entitiesAddon.wanted({ entities: false }), false);
    assert.equal(entitiesAddon.wanted({}), false);
  });

  it('finds entities with the times and text of the words they cover', async () => {
    const words = wordsOf(
      'Hi, my name is John Smith. My number is five five five, one two three, four five six seven and I live in Chicago.',
    );
    const entities = await entitiesAddon.run(contextOf(words));
    assert.deepEqual(entities, [
      { type: 'person_name', text: 'John Smith', startMs: 2000, endMs: 2900 },
      // "five" is word 9 (4,500 ms) and "seven" word 18 (ends at 9,400 ms).
      {
        type: 'phone_number',
        text: 'five five five, one two three, four five six seven',
        startMs: 4500,
        endMs: 9400,
      },
      { type: 'location', text: 'Chicago', startMs: 11_500, endMs: 11_900 },
    ]);
  });

  it('runs channel by channel, so no entity spans both sides of a call', async () => {
    // Interleaved in time: the agent's digits and the caller's must not join into one number.
    const agent = wordsOf('your card number is four one one one', 0, { channel: 0 });
    const caller = wordsOf('one one one one one one one one one one one one', 250, { channel: 1 });
    const email = wordsOf('email me at jane dot doe at example dot com', 10_000, { channel: 1 });
    const words = [...agent, ...caller, ...email].sort((a, b) => a.startMs - b.startMs);
    const entities = await entitiesAddon.run(contextOf(words, 2));
    assert.deepEqual(entities, [
      { type: 'email_address', text: 'jane dot doe at example dot com', startMs: 11_500, endMs: 14_900 },
    ]);
  });

  it('returns nothing for a transcript without entities', async () => {
    assert.deepEqual(await entitiesAddon.run(contextOf(wordsOf('i have two kids and a dog'))), []);
    assert.deepEqual(await entitiesAddon.run(contextOf([])), []);
  });
});
