import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearestNeighbours, spectralClustering } from './clustering.js';

/** n unit vectors in `dim` dimensions around `clusters` random centres; returns them and the truth. */
function blobs(clusters: number, n: number, dim: number, noise: number, seed: number) {
  let s = seed;
  const random = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, random));
  const data = new Float64Array(n * dim);
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    truth.push(c);
    let len = 0;
    for (let d = 0; d < dim; d++) {
      const v = (centres[c]?.[d] ?? 0) + noise * random();
      data[i * dim + d] = v;
      len += v * v;
    }
    for (let d = 0; d < dim; d++) data[i * dim + d] = (data[i * dim + d] as number) / Math.sqrt(len);
  }
  return { data, truth };
}

/** Whether two labellings are the same partition. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a.length; j++) if ((a[i] === a[j]) !== (b[i] === b[j])) return false;
  }
  return true;
}

describe('spectralClustering', () => {
  for (const clusters of [1, 2, 3, 5]) {
    it(`finds ${clusters} well-separated cluster(s) without being told`, () => {
      // With one cluster the points are pure noise around one direction.
      const { data, truth } = blobs(clusters, 80, 16, clusters === 1 ? 2 : 0.6, 17 + clusters);
      const result = spectralClustering(data, 80, 16, { min: 1, max: 10 });
      assert.equal(
        result.clusters,
        clusters,
        `eigenvalues ${result.eigenvalues.map((v) => v.toFixed(2)).join(' ')}`,
      );
      assert.ok(samePartition(result.labels, truth));
    });
  }

  it('obeys a fixed count and the bounds', () => {
    const { data } = blobs(3, 60, 16, 0.6, 5);
    assert.equal(spectralClustering(data, 60, 16, { fixed: 5, min: 1, max: 10 }).clusters, 5);
    assert.equal(new Set(spectralClustering(data, 60, 16, { fixed: 5, min: 1, max: 10 }).labels).size, 5);
    const atLeast4 = spectralClustering(data, 60, 16, { min: 4, max: 10 }).clusters;
    assert.ok(atLeast4 >= 4 && atLeast4 <= 10, `${atLeast4} clusters`);
    assert.equal(spectralClustering(data, 60, 16, { min: 1, max: 2 }).clusters, 2);
  });

  it('counts no more speakers than the windows can show (MIN_NEIGHBOURS + 1 per cluster)', () => {
    const { data } = blobs(4, 6, 16, 0.1, 3);
    assert.equal(spectralClustering(data, 6, 16, { min: 1, max: 10 }).clusters, 1);
    assert.equal(spectralClustering(data, 6, 16, { fixed: 3, min: 1, max: 10 }).clusters, 3);
    assert.equal(spectralClustering(new Float64Array(0), 0, 16, { min: 1, max: 10 }).clusters, 0);
  });
});

describe('nearestNeighbours', () => {
  it('ranks by cosine similarity and never pairs excluded rows', () => {
    // Points on a circle at angles 0, 10, 20, …: the nearest are the adjacent angles.
    const n = 12;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[2 * i] = Math.cos((i * 10 * Math.PI) / 180);
      data[2 * i + 1] = Math.sin((i * 10 * Math.PI) / 180);
    }
    const plain = nearestNeighbours(data, n, 2, 2);
    assert.equal(plain.perRow, 2);
    assert.deepEqual([...plain.neighbours.subarray(5 * 2, 6 * 2)].sort(), [4, 6]);
    // Excluding rows within 1 of each other (like windows that share frames).
    const apart = nearestNeighbours(data, n, 2, 2, (i, j) => Math.abs(i - j) <= 1);
    assert.deepEqual([...apart.neighbours.subarray(5 * 2, 6 * 2)].sort(), [3, 7]);
  });
});
