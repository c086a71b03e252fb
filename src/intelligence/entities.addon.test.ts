import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { addonContext, timedWords, transcriptOf, type WordOptions } from '../../test/fixtures/transcripts.js';
import { entitiesAddon } from './entities.addon.js';

/** Words of `text`, one every 500 ms lasting 400 ms, from `startMs`. */
const wordsOf = (text: string, startMs = 0, options: WordOptions = {}) =>
  timedWords(text, { msPerWord: 500, sentencePauseMs: 0, startMs, ...options });

const run = (words: Word[]) => entitiesAddon.run(addonContext(transcriptOf(words), { entities: true }));

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
    const entities = await run(words);
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
    const entities = await run(words);
    assert.deepEqual(entities, [
      { type: 'email_address', text: 'jane dot doe at example dot com', startMs: 11_500, endMs: 14_900 },
    ]);
  });

  it('returns nothing for a transcript without entities', async () => {
    assert.deepEqual(await run(wordsOf('i have two kids and a dog')), []);
    assert.deepEqual(await run([]), []);
  });
});
