import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kMeans, lanczosLargest, tridiagonalEigen } from './linalg.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

describe('tridiagonalEigen', () => {
  it('returns eigenpairs in ascending order that satisfy T·v = λ·v', () => {
    const random = lcg(11);
    const n = 9;
    const d = Array.from({ length: n }, () => random() * 4 - 2);
    const e = Array.from({ length: n - 1 }, () => random() * 2 - 1);
    const { values, vectors } = tridiagonalEigen(d, e);
    for (let j = 0; j < n; j++) {
      if (j > 0) assert.ok((values[j] as number) >= (values[j - 1] as number));
      const v = vectors[j] as Float64Array;
      for (let i = 0; i < n; i++) {
        const tv =
          (d[i] as number) * (v[i] as number) +
          (i > 0 ? (e[i - 1] as number) * (v[i - 1] as number) : 0) +
          (i < n - 1 ? (e[i] as number) * (v[i + 1] as number) : 0);
        assert.ok(Math.abs(tv - (values[j] as number) * (v[i] as number)) < 1e-10);
      }
    }
    // A diagonal matrix: its diagonal, sorted.
    assert.deepEqual([...tridiagonalEigen([3, 1, 2], [0, 0]).values], [1, 2, 3]);
  });
});

describe('lanczosLargest', () => {
  it('finds the leading eigenpairs of a symmetric matrix', () => {
    const random = lcg(5);
    const n = 40;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const x = random() - 0.5;
        a[i * n + j] = x;
        a[j * n + i] = x;
      }
    }
    const multiply = (x: Float64Array, y: Float64Array): void => {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (a[i * n + j] as number) * (x[j] as number);
        y[i] = s;
      }
    };
    const { values, vectors } = lanczosLargest(n, multiply, 4, n);
    const y = new Float64Array(n);
    values.forEach((lambda, k) => {
      multiply(vectors[k] as Float64Array, y);
      for (let i = 0; i < n; i++)
        assert.ok(Math.abs((y[i] as number) - lambda * ((vectors[k] as Float64Array)[i] as number)) < 1e-8);
      if (k > 0) assert.ok(lambda <= (values[k - 1] as number));
    });
  });
});

describe('kMeans', () => {
  it('separates well-separated groups, whatever their order', () => {
    const random = lcg(9);
    const centres = [
      [0, 0],
      [10, 0],
      [0, 10],
    ];
    const truth: number[] = [];
    const points: number[] = [];
    for (let i = 0; i < 60; i++) {
      const c = i % 3;
      truth.push(c);
      points.push((centres[c]?.[0] ?? 0) + random(), (centres[c]?.[1] ?? 0) + random());
    }
    const labels = kMeans(Float64Array.from(points), 60, 2, 3);
    for (let i = 0; i < 60; i++) {
      for (let j = 0; j < 60; j++) assert.equal(labels[i] === labels[j], truth[i] === truth[j]);
    }
  });
});
