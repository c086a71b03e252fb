import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combine, detectOverlap } from './overlap.js';
import type { DiagonalGmm } from './gmm.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

function single(mean: number[], variance: number): DiagonalGmm {
  const dim = mean.length;
  const logDet = dim * Math.log(variance);
  return {
    components: 1,
    dim,
    logWeights: Float64Array.of(0),
    means: Float64Array.from(mean),
    precisions: new Float64Array(dim).fill(1 / variance),
    constants: Float64Array.of(-0.5 * (dim * Math.log(2 * Math.PI) + logDet)),
  };
}

describe('combine', () => {
  it('adds the two sources as powers, band by band', () => {
    const pair = combine(single([0, 2], 1), single([0, -10], 4));
    assert.equal(pair.components, 1);
    // Equal powers add to twice the power: +log 2. A source 12 nats quieter changes nothing visible.
    assert.ok(Math.abs((pair.means[0] as number) - Math.log(2)) < 1e-12);
    assert.ok(Math.abs((pair.means[1] as number) - 2) < 1e-4);
    // Variance: half from each when they are equal, the louder one's when it dominates.
    assert.ok(Math.abs(1 / (pair.precisions[0] as number) - 2.5) < 1e-12);
    assert.ok(Math.abs(1 / (pair.precisions[1] as number) - 1) < 1e-4);
  });
});

describe('detectOverlap', () => {
  it('marks frames where two speakers sound at once, and nothing in single-speaker speech', (t) => {
    // Two "speakers" with different spectral shapes in 8 log-mel bands; frames 600–800 are both at
    // once (their powers added); the rest alternate in 100-frame turns.
    const random = lcg(8);
    const bands = 8;
    const shapeA = [2, 3, 4, 3, 1, 0, -1, -2];
    const shapeB = [-2, -1, 0, 1, 3, 4, 3, 2];
    const count = 1200;
    const logMel = new Float32Array(count * bands);
    const labels = new Int32Array(count);
    const runnerUp = new Int32Array(count);
    const truth: boolean[] = [];
    for (let t = 0; t < count; t++) {
      const both = t >= 600 && t < 800;
      const who = Math.floor(t / 100) % 2;
      for (let b = 0; b < bands; b++) {
        const a = (shapeA[b] as number) + 0.5 * gaussian(random);
        const c = (shapeB[b] as number) + 0.5 * gaussian(random);
        logMel[t * bands + b] = both ? Math.log(Math.exp(a) + Math.exp(c)) : who === 0 ? a : c;
      }
      labels[t] = who;
      runnerUp[t] = 1 - who;
      truth.push(both);
    }
    const second = detectOverlap(logMel, bands, count, [{ start: 0, end: count }], labels, runnerUp, 2);
    let hits = 0;
    let falseAlarms = 0;
    for (let t = 0; t < count; t++) {
      if ((second[t] as number) >= 0) {
        assert.equal(second[t], 1 - (labels[t] as number), 'the second speaker is the other one');
        if (truth[t]) hits++;
        else falseAlarms++;
      }
    }
    // The ±0.25 s average blurs the two edges of the overlap: most of it is found.
    t.diagnostic(`overlap frames found: ${hits} of 200; false: ${falseAlarms} of 1000`);
    assert.ok(hits >= 140, `overlap frames found: ${hits} of 200`);
    assert.ok(falseAlarms <= 10, `false overlap frames: ${falseAlarms}`);
  });

  it('finds nothing with one speaker', () => {
    const second = detectOverlap(
      new Float32Array(80),
      8,
      10,
      [{ start: 0, end: 10 }],
      new Int32Array(10),
      new Int32Array(10).fill(-1),
      1,
    );
    assert.ok(second.every((s) => s === -1));
  });
});
