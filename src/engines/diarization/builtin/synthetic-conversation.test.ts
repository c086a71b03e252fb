import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeConversation, type SyntheticSpeaker } from './synthetic-conversation.js';

const SR = 16_000;

/** A speaker whose samples hold its index + 1 wherever it speaks: 1 s phrases with 0.5 s pauses. */
function speaker(name: string, value: number, phrases: number): SyntheticSpeaker {
  const samples = new Float32Array(Math.round(phrases * 1.5 * SR));
  const speech = Array.from({ length: phrases }, (_, i) => ({
    start: Math.round(i * 1.5 * SR),
    end: Math.round((i * 1.5 + 1) * SR),
  }));
  for (const r of speech) samples.fill(value, r.start, r.end);
  return { name, samples, speech };
}

describe('composeConversation', () => {
  const speakers = [speaker('a', 1, 20), speaker('b', 2, 20), speaker('c', 3, 20)];

  it('is deterministic for a seed and alternates speakers', () => {
    const one = composeConversation(speakers, { seed: 4 });
    const two = composeConversation(speakers, { seed: 4 });
    assert.deepEqual(one.reference, two.reference);
    assert.notDeepEqual(composeConversation(speakers, { seed: 5 }).reference, one.reference);
    one.turns.forEach((turn, i) => {
      if (i > 0) assert.notEqual(turn.speaker, one.turns[i - 1]?.speaker);
    });
    assert.equal(new Set(one.turns.map((t) => t.speaker)).size, 3);
  });

  it('gives a reference that matches the samples: each speaker exactly where its audio is', () => {
    const { samples, reference } = composeConversation(speakers, { seed: 7, gapSeconds: [0.3, 0.6] });
    const value = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    let covered = 0;
    for (const r of reference) {
      const from = Math.round(r.start * SR);
      const to = Math.round(r.end * SR);
      covered += to - from;
      for (let i = from; i < to; i++) assert.equal(samples[i], value.get(r.speaker));
    }
    // Everything non-zero is referenced (turns never overlap).
    assert.equal(
      covered,
      samples.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0),
    );
  });

  it('lets a single speaker talk turn after turn and stops at maxSeconds', () => {
    const alone = composeConversation([speakers[0] as SyntheticSpeaker], { seed: 1, maxSeconds: 10 });
    assert.ok(alone.samples.length <= 10 * SR);
    assert.ok(alone.turns.length >= 2);
    assert.ok(alone.reference.every((r) => r.speaker === 'a'));
  });
});
