import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameLogLikelihoods, trainGmm } from './gmm.js';
import { resegment, viterbi } from './resegment.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}
/** Standard normal by Box–Muller. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

describe('viterbi', () => {
  it('ignores one-frame blips that cost less than the switch penalty, keeps long changes', () => {
    // Speaker 0 for 50 frames then speaker 1 for 50, each frame favouring its speaker by 1 nat,
    // except two single frames that favour the other one by 3.
    const count = 100;
    const ll = [new Float64Array(count), new Float64Array(count)];
    for (let t = 0; t < count; t++) {
      const s = t < 50 ? 0 : 1;
      (ll[s] as Float64Array)[t] = 0;
      (ll[1 - s] as Float64Array)[t] = -1;
    }
    for (const t of [20, 70]) {
      const s = t < 50 ? 0 : 1;
      (ll[s] as Float64Array)[t] = -3;
      (ll[1 - s] as Float64Array)[t] = 0;
    }
    const labels = viterbi(ll, count, [{ start: 0, end: count }], 10);
    assert.deepEqual([...labels], [...Array<number>(50).fill(0), ...Array<number>(50).fill(1)]);
    // Without a penalty every frame goes its own way.
    assert.equal(viterbi(ll, count, [{ start: 0, end: count }], 0)[20], 1);
  });

  it('changes speaker for free between runs', () => {
    const ll = [Float64Array.from([0, 0, -1, -1]), Float64Array.from([-1, -1, 0, 0])];
    const oneRun = viterbi(ll, 4, [{ start: 0, end: 4 }], 5);
    assert.equal(new Set(oneRun).size, 1);
    const twoRuns = viterbi(
      ll,
      4,
      [
        { start: 0, end: 2 },
        { start: 2, end: 4 },
      ],
      5,
    );
    assert.deepEqual([...twoRuns], [0, 0, 1, 1]);
  });
});

describe('trainGmm and resegment', () => {
  it('learn two sources and move a misplaced boundary to where the data changes', () => {
    const random = lcg(21);
    const dim = 4;
    const count = 600;
    const features = new Float32Array(count * dim);
    for (let t = 0; t < count; t++) {
      const mean = t < 300 ? -1 : 1;
      for (let d = 0; d < dim; d++) features[t * dim + d] = mean + 0.7 * gaussian(random);
    }
    const gmm = trainGmm(
      features,
      dim,
      Int32Array.from({ length: 300 }, (_, i) => i),
      {
        components: 2,
        iterations: 5,
      },
    );
    const ll = frameLogLikelihoods(gmm, features, count);
    const meanOf = (from: number, to: number): number =>
      ll.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    assert.ok(meanOf(0, 300) > meanOf(300, 600) + 5, 'a model fits its own data better');

    // Initial labels put the boundary 100 frames late; a third of the frames are unknown.
    const initial = Int32Array.from({ length: count }, (_, t) => (t % 3 === 0 ? -1 : t < 400 ? 0 : 1));
    const result = resegment(features, dim, count, [{ start: 0, end: count }], initial, {
      components: 2,
      emIterations: 4,
      rounds: 5,
      switchPenalty: 10,
      minFrames: 10,
    });
    assert.equal(result.speakers, 2);
    const changes = [...result.labels].flatMap((l, t) => (t > 0 && l !== result.labels[t - 1] ? [t] : []));
    assert.equal(changes.length, 1);
    assert.ok(Math.abs((changes[0] as number) - 300) <= 5, `boundary at ${changes[0]}`);
  });
});
