/**
 * GMM-UBM window embeddings. A "universal background model" (a diagonal GMM) is trained on the
 * recording's own speech frames; each window is then described by
 *   - how its frames spread over the UBM's components (zeroth-order statistics, square-rooted), and
 *   - where its frames sit inside each component (the component means MAP-adapted to the window,
 *     as offsets from the UBM in units of its standard deviations, weighted by √weight: the
 *     "GMM supervector" of Campbell et al. 2006, whose inner product approximates a KL divergence).
 * Both parts are centred over the windows and scaled to unit length, then joined.
 *
 * Measured (pair EER of windows of known speakers, 1.5 s windows): mean+std of MFCCs gives 15.7%
 * on pyannote_sample and 16.2% on a 4-speaker synthetic conversation; first-order supervectors
 * alone 4.5% and 38% (when speakers occupy different components, the offsets say little and
 * the occupancy says it all); both parts joined 5.7% and 9.4%.
 */
import { componentLogLikelihoods, trainGmm, type DiagonalGmm } from './gmm.js';
import type { FrameWindow } from './embeddings.js';
import { lanczosLargest, normalise } from './linalg.js';

export interface UbmOptions {
  components: number;
  /** At most this many frames (evenly spaced) train the UBM: its cost is then bounded. */
  maxTrainingFrames: number;
  emIterations: number;
}

export function trainUbm(
  features: Float32Array,
  dim: number,
  count: number,
  options: UbmOptions,
): DiagonalGmm {
  const step = Math.max(1, count / options.maxTrainingFrames);
  const rows: number[] = [];
  for (let x = 0; Math.floor(x) < count; x += step) rows.push(Math.floor(x));
  return trainGmm(features, dim, Int32Array.from(rows), {
    components: options.components,
    iterations: options.emIterations,
  });
}

/** Posteriors of the UBM's components for one frame, into `out` (sums to 1). */
export function componentPosteriors(
  ubm: DiagonalGmm,
  features: Float32Array,
  frame: number,
  out: Float64Array,
): void {
  componentLogLikelihoods(ubm, features, frame * ubm.dim, out);
  let max = -Infinity;
  for (let c = 0; c < ubm.components; c++) max = Math.max(max, out[c] as number);
  let sum = 0;
  for (let c = 0; c < ubm.components; c++) {
    const p = Math.exp((out[c] as number) - max);
    out[c] = p;
    sum += p;
  }
  for (let c = 0; c < ubm.components; c++) out[c] = (out[c] as number) / sum;
}

/** One row per window: [√occupancy (k) | MAP supervector (k·dim)], each part centred and unit-length. */
export function ubmEmbeddings(
  ubm: DiagonalGmm,
  features: Float32Array,
  windows: readonly FrameWindow[],
  relevance: number,
): { data: Float64Array; dim: number } {
  const { components: k, dim: d } = ubm;
  const n = windows.length;
  const occupancy = new Float64Array(n * k);
  const supervector = new Float64Array(n * k * d);
  const post = new Float64Array(k);
  const n0 = new Float64Array(k);
  const n1 = new Float64Array(k * d);
  const sqrtWeights = Float64Array.from(ubm.logWeights, (w) => Math.sqrt(Math.exp(w)));
  windows.forEach((w, row) => {
    n0.fill(0);
    n1.fill(0);
    for (let i = w.start; i < w.end; i++) {
      componentPosteriors(ubm, features, i, post);
      const o = i * d;
      for (let c = 0; c < k; c++) {
        const g = post[c] as number;
        if (g < 1e-5) continue;
        n0[c] = (n0[c] as number) + g;
        for (let j = 0; j < d; j++)
          n1[c * d + j] = (n1[c * d + j] as number) + g * (features[o + j] as number);
      }
    }
    const frames = w.end - w.start;
    for (let c = 0; c < k; c++) {
      const count = n0[c] as number;
      occupancy[row * k + c] = Math.sqrt(count / frames);
      // MAP adaptation of the mean: (n1 + r·μ) / (n0 + r); the offset from μ is n1 − n0·μ over n0 + r.
      const scale = (sqrtWeights[c] as number) / (count + relevance);
      for (let j = 0; j < d; j++) {
        const mu = ubm.means[c * d + j] as number;
        const offset = ((n1[c * d + j] as number) - count * mu) * scale;
        supervector[(row * k + c) * d + j] = offset * Math.sqrt(ubm.precisions[c * d + j] as number);
      }
    }
  });
  centreAndNormaliseRows(occupancy, n, k);
  centreAndNormaliseRows(supervector, n, k * d);
  const dim = k + k * d;
  const data = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) {
    data.set(occupancy.subarray(r * k, r * k + k), r * dim);
    data.set(supervector.subarray(r * k * d, (r + 1) * k * d), r * dim + k);
    normalise(data.subarray(r * dim, (r + 1) * dim));
  }
  return { data, dim };
}

function centreAndNormaliseRows(data: Float64Array, n: number, dim: number): void {
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (data[r * dim + j] as number) / n;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dim; j++) data[r * dim + j] = (data[r * dim + j] as number) - (mean[j] as number);
    normalise(data.subarray(r * dim, (r + 1) * dim));
  }
}

/**
 * Projects the rows (n × dim) onto their `components` leading principal directions (no whitening),
 * then scales each to unit length. With components ≥ rank this only rotates, so cosines are kept;
 * with fewer it keeps the directions along which windows differ most and drops the noise.
 */
export function principalProjection(
  data: Float64Array,
  n: number,
  dim: number,
  components: number,
): { data: Float64Array; dim: number } {
  const m = Math.min(components, n, dim);
  const centred = Float64Array.from(data);
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (data[r * dim + j] as number) / n;
  for (let r = 0; r < n; r++)
    for (let j = 0; j < dim; j++)
      centred[r * dim + j] = (centred[r * dim + j] as number) - (mean[j] as number);
  const projected = new Float64Array(n * m);
  if (n <= dim) {
    // Through the n×n Gram matrix G = X·Xᵀ: its eigenvectors u give the projections √λ·u directly.
    const gram = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let j = 0; j < dim; j++)
          s += (centred[a * dim + j] as number) * (centred[b * dim + j] as number);
        gram[a * n + b] = s;
        gram[b * n + a] = s;
      }
    }
    const multiply = (x: Float64Array, y: Float64Array): void => {
      for (let a = 0; a < n; a++) {
        let s = 0;
        for (let b = 0; b < n; b++) s += (gram[a * n + b] as number) * (x[b] as number);
        y[a] = s;
      }
    };
    const { values, vectors } = lanczosLargest(n, multiply, m, Math.min(n, Math.max(2 * m, 60)));
    for (let c = 0; c < values.length; c++) {
      const scale = Math.sqrt(Math.max(0, values[c] as number));
      const u = vectors[c] as Float64Array;
      for (let r = 0; r < n; r++) projected[r * m + c] = scale * (u[r] as number);
    }
  } else {
    // Through the dim×dim covariance XᵀX, applied as Xᵀ(X·v) without forming it.
    const tmp = new Float64Array(n);
    const multiply = (x: Float64Array, y: Float64Array): void => {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (centred[r * dim + j] as number) * (x[j] as number);
        tmp[r] = s;
      }
      y.fill(0);
      for (let r = 0; r < n; r++) {
        const t = tmp[r] as number;
        for (let j = 0; j < dim; j++) y[j] = (y[j] as number) + t * (centred[r * dim + j] as number);
      }
    };
    const { vectors } = lanczosLargest(dim, multiply, m, Math.min(dim, Math.max(2 * m, 60)));
    vectors.forEach((v, c) => {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (centred[r * dim + j] as number) * (v[j] as number);
        projected[r * m + c] = s;
      }
    });
  }
  for (let r = 0; r < n; r++) normalise(projected.subarray(r * m, (r + 1) * m));
  return { data: projected, dim: m };
}
