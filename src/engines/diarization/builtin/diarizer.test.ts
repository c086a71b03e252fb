import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelFrames, labelsToTurns, mergeTurns, numberByFirstAppearance } from './diarizer.js';
import { slidingWindows } from './embeddings.js';
import { framesInside } from './speech-features.js';

describe('slidingWindows', () => {
  it('covers each run, aligns the last window to its end, and skips runs that are too short', () => {
    const windows = slidingWindows(
      [
        { start: 0, end: 400 },
        { start: 400, end: 480 },
        { start: 480, end: 500 },
      ],
      150,
      50,
      50,
    );
    assert.deepEqual(windows, [
      { start: 0, end: 150 },
      { start: 50, end: 200 },
      { start: 100, end: 250 },
      { start: 150, end: 300 },
      { start: 200, end: 350 },
      { start: 250, end: 400 },
      { start: 400, end: 480 },
    ]);
    assert.deepEqual(slidingWindows([{ start: 0, end: 170 }], 150, 50, 50).at(-1), { start: 20, end: 170 });
  });
});

describe('frames and turns', () => {
  it('keeps whole 25 ms frames inside a region on the global 10 ms grid', () => {
    assert.deepEqual(framesInside({ start: 0, end: 16000 }), { first: 0, end: 98 });
    assert.deepEqual(framesInside({ start: 100, end: 1000 }), { first: 1, end: 4 });
    assert.deepEqual(framesInside({ start: 0, end: 399 }), { first: 0, end: 0 });
  });

  it('labels frames by the nearest window centre, and fills runs without windows from neighbours', () => {
    const runs = [
      { start: 0, end: 10 },
      { start: 10, end: 12 },
    ];
    const windows = [
      { start: 0, end: 4 },
      { start: 6, end: 10 },
    ];
    assert.deepEqual(
      [...labelFrames(12, runs, windows, Int32Array.from([3, 5]))],
      [3, 3, 3, 3, 3, 5, 5, 5, 5, 5, 5, 5],
    );
  });

  it('cuts turns halfway between frames and extends them to the region bounds', () => {
    // Region [1000, 3000): frames 7 … 16 (frame t covers 160t … 160t + 400).
    const region = { start: 1000, end: 3000 };
    const { first, end } = framesInside(region);
    const frame = Int32Array.from({ length: end - first }, (_, i) => first + i);
    const labels = Int32Array.from(frame, (t) => (t < 11 ? 0 : 1));
    const turns = labelsToTurns(labels, frame, [{ start: 0, end: frame.length, region }]);
    // The change is between frames 10 and 11: 160·10 + 280 = 1880.
    assert.deepEqual(turns, [
      { start: 1000, end: 1880, speaker: 0 },
      { start: 1880, end: 3000, speaker: 1 },
    ]);
    // −1 makes no turn.
    assert.deepEqual(
      labelsToTurns(new Int32Array(frame.length).fill(-1), frame, [{ start: 0, end: frame.length, region }]),
      [],
    );
  });

  it('merges touching turns of one speaker and numbers speakers by first appearance', () => {
    const merged = mergeTurns([
      { start: 0, end: 10, speaker: 4 },
      { start: 10, end: 20, speaker: 4 },
      { start: 5, end: 15, speaker: 2 },
      { start: 30, end: 40, speaker: 4 },
    ]);
    assert.deepEqual(numberByFirstAppearance(merged), [
      { start: 0, end: 20, speaker: 0 },
      { start: 5, end: 15, speaker: 1 },
      { start: 30, end: 40, speaker: 0 },
    ]);
  });
});
