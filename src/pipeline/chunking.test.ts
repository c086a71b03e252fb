import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planChunks, splitLongRegion } from './chunking.js';

describe('planChunks', () => {
  const options = { maxChunkSamples: 100, maxGapSamples: 20 };

  it('merges close regions while the chunk fits', () => {
    const chunks = planChunks(
      [
        { start: 0, end: 30 },
        { start: 40, end: 80 },
        { start: 90, end: 130 },
      ],
      options,
    );
    assert.deepEqual(
      chunks.map((c) => [c.start, c.end, c.regions.length]),
      [
        [0, 80, 2],
        [90, 130, 1],
      ],
    );
  });

  it('starts a new chunk after a long silence', () => {
    const chunks = planChunks(
      [
        { start: 0, end: 10 },
        { start: 31, end: 40 },
      ],
      options,
    );
    assert.deepEqual(
      chunks.map((c) => [c.start, c.end]),
      [
        [0, 10],
        [31, 40],
      ],
    );
  });

  it('gives no chunks for no speech', () => {
    assert.deepEqual(planChunks([], options), []);
  });
});

describe('splitLongRegion', () => {
  it('leaves a short region alone', () => {
    assert.deepEqual(
      splitLongRegion({ start: 5, end: 50 }, 100, 10, () => 1),
      [{ start: 5, end: 50 }],
    );
  });

  it('cuts at the quietest frame in the last third of each piece', () => {
    // Frames are searched from 66 in steps of 10; the quiet one starts at 76 → cut in its middle.
    const energy = (s: number): number => (s >= 75 && s < 85 ? 0.01 : 1);
    const pieces = splitLongRegion({ start: 0, end: 250 }, 100, 10, energy);
    assert.deepEqual(pieces[0], { start: 0, end: 81 });
    for (const piece of pieces) assert.ok(piece.end - piece.start <= 100);
    assert.equal(pieces.at(-1)?.end, 250);
    for (let i = 1; i < pieces.length; i++) assert.equal(pieces[i]?.start, pieces[i - 1]?.end);
  });
});
