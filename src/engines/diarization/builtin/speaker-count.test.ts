import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitEvidence } from './speaker-count.js';

/** n frames of `dim` standard normal values (Box–Muller on a fixed LCG), shifted by `offset`. */
function gaussianFrames(n: number, dim: number, offset: number, seed: number): Float32Array {
  let s = seed;
  const uniform = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) {
    out[i] = offset + Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}

describe('splitEvidence', () => {
  const dim = 19;
  const n = 1000;

  it('is far above the threshold for two distinct Gaussians and below 1 for an arbitrary split of one', () => {
    const two = new Float32Array(2 * n * dim);
    two.set(gaussianFrames(n, dim, 0, 3), 0);
    two.set(gaussianFrames(n, dim, 1.5, 5), n * dim);
    const halves = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? 0 : 1));
    assert.ok(splitEvidence(two, dim, halves) > 20, `${splitEvidence(two, dim, halves)}`);

    // Chance alone: ½·χ²(2d) of gain against d·log N of penalty, about 1/log N = 0.13 (measured 0.11).
    const one = gaussianFrames(2 * n, dim, 0, 7);
    const evidence = splitEvidence(one, dim, halves);
    assert.ok(evidence < 0.5, `${evidence}`);
  });

  it('leaves out unlabelled frames and needs two labels with frames', () => {
    const frames = gaussianFrames(100, dim, 0, 11);
    assert.equal(splitEvidence(frames, dim, new Int32Array(100)), 0);
    assert.equal(splitEvidence(frames, dim, new Int32Array(100).fill(-1)), 0);
    // Label 1 unused, label 2 on one frame: still two labels.
    const labels = new Int32Array(100);
    labels[5] = 2;
    assert.notEqual(splitEvidence(frames, dim, labels), 0);
    labels[5] = -1;
    assert.equal(splitEvidence(frames, dim, labels), 0);
  });
});
