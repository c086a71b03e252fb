/**
 * Spectral clustering of window embeddings with the number of clusters read from the eigengap,
 * after Park et al., "Auto-Tuning Spectral Clustering for Speaker Diarization Using Normalized
 * Maximum Eigengap" (NME-SC, IEEE SPL 2019): the cosine-similarity graph keeps each window's p
 * nearest neighbours, and p is chosen where the largest eigengap of the graph Laplacian is widest
 * for the fewest neighbours (p / normalised maximum eigengap is smallest). No threshold is tuned:
 * both p and the speaker count are read from the data.
 *
 * The graph is sparse (p entries per row), its eigenvectors come from Lanczos iterations, so an hour
 * of audio (~5000 windows) needs no n×n matrix.
 */
import { kMeans, lanczosLargest } from './linalg.js';

export interface ClusteringOptions {
  /** Exact number of clusters. */
  fixed?: number | undefined;
  /** Bounds on the estimated number. */
  min: number;
  max: number;
}

export interface ClusteringResult {
  labels: Int32Array;
  clusters: number;
  /** The chosen number of neighbours per row. */
  neighbours: number;
  /** Laplacian eigenvalues (ascending) of the chosen graph, for diagnostics. */
  eigenvalues: number[];
}

/**
 * Upper bound on p. Measured: the chosen p was 4–11 on 30–80 windows and 12 on an hour (4137
 * windows); larger p only costs time (graph products grow with p).
 */
const MAX_NEIGHBOURS = 200;

const MIN_NEIGHBOURS = 3;

/** The estimated count is looked for up to this many (or `max` if larger), then clamped. */
const SEARCH_MAX = 10;

/**
 * For each row, the indices of its most cosine-similar rows, most similar first, leaving out the
 * pairs `excluded` says (itself, and windows that share frames with it). Returns `count` per row,
 * fewer if some row has fewer candidates, and how many that is.
 */
export function nearestNeighbours(
  embeddings: Float64Array,
  n: number,
  dim: number,
  count: number,
  excluded: (i: number, j: number) => boolean = (i, j) => i === j,
): { neighbours: Int32Array; perRow: number } {
  // Rows are ranked with a native numeric sort of packed keys: the similarity, quantised to 2^-28,
  // above the column index (n < 2^22), so no comparator function runs (it cost 10 s for an hour).
  // Each row's similarities are computed when it is ranked: twice the arithmetic of using symmetry,
  // but memory stays n·count instead of n² (an hour: 6 MB instead of 170 MB).
  const rows: Float64Array[] = [];
  let perRow = Math.max(0, Math.min(count, n - 1));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const oi = i * dim;
    let m = 0;
    for (let j = 0; j < n; j++) {
      if (excluded(i, j)) continue;
      const oj = j * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += (embeddings[oi + d] as number) * (embeddings[oj + d] as number);
      s = Math.min(1, Math.max(-1, s));
      keys[m++] = Math.round((1 - s) * 2 ** 28) * 2 ** 22 + j;
    }
    const sorted = keys.subarray(0, m).sort();
    rows.push(sorted.slice(0, Math.min(m, count)));
    perRow = Math.min(perRow, m);
  }
  const neighbours = new Int32Array(n * perRow);
  rows.forEach((row, i) => {
    for (let r = 0; r < perRow; r++) neighbours[i * perRow + r] = (row[r] as number) % 2 ** 22;
  });
  return { neighbours, perRow };
}

/** Clusters rows of unit-length `embeddings` (n × dim). */
export function spectralClustering(
  embeddings: Float64Array,
  n: number,
  dim: number,
  options: ClusteringOptions,
  excluded?: (i: number, j: number) => boolean,
): ClusteringResult {
  // Every window of a p-nearest-neighbour graph has p neighbours, so a group of windows can only be a
  // component of its own (what the eigengap counts as a speaker) with more than p members; with p at
  // least MIN_NEIGHBOURS, a speaker needs MIN_NEIGHBOURS + 1 windows. Fewer are not estimated: a 5 s
  // file of 6 windows came out as 5 clusters. A fixed count is obeyed regardless.
  const estimable = Math.max(1, Math.floor(n / (MIN_NEIGHBOURS + 1)));
  // The count is estimated over 1 … searchMax and then clamped into [min, max]: with max 2 on a
  // meeting of 3, the answer is 2, not whatever the eigengap between 1 and 2 clusters says.
  const searchMax = Math.max(1, Math.min(estimable, Math.max(SEARCH_MAX, options.max), n));
  const fixed = options.fixed !== undefined ? Math.max(1, Math.min(options.fixed, n)) : undefined;
  const low = Math.max(1, Math.min(options.min, n));
  const high = Math.max(low, Math.min(options.max, n));
  const single = { labels: new Int32Array(n), clusters: n === 0 ? 0 : 1, neighbours: 0, eigenvalues: [] };
  if (n <= 1 || fixed === 1 || high === 1 || (fixed === undefined && low === 1 && searchMax === 1))
    return single;
  const needed = Math.max(searchMax, fixed ?? 1, low);
  // Candidate p: up to a quarter of the windows (a speaker holding less than that of the
  // recording still gets a graph component of its own).
  const wanted = Math.max(1, Math.min(n - 1, Math.floor(n / 4), MAX_NEIGHBOURS));
  const { neighbours, perRow: pMax } = nearestNeighbours(embeddings, n, dim, wanted, excluded);
  if (pMax === 0) return single;
  // A k-nearest-neighbour graph of n points needs k of order log n to be connected (Brito et al.
  // 1997); with fewer, it falls apart into pieces that the eigengap counts as speakers (measured:
  // p = 2 gave 8 clusters on the 4-speaker AMI excerpt and 5 on pyannote_sample, p >= 3 gave 3 and 2).
  const pMin = Math.min(pMax, Math.max(MIN_NEIGHBOURS, Math.ceil(Math.log(n))));
  const candidates = candidateNeighbourCounts(pMin, pMax);

  let best:
    { p: number; ratio: number; k: number; values: Float64Array; vectors: Float64Array[] } | undefined;
  for (const p of candidates) {
    const { values, vectors } = laplacianSmallest(neighbours, n, pMax, p, needed + 1);
    // Eigengaps g_k = λ_{k+1} − λ_k for k = 1 … searchMax (λ ascending, 1-based in the paper); with
    // a fixed count only its own gap matters for choosing p.
    let gapMax = -Infinity;
    let k = fixed ?? 1;
    for (let c = fixed ?? 1; c <= (fixed ?? searchMax) && c < values.length; c++) {
      const gap = (values[c] as number) - (values[c - 1] as number);
      if (gap > gapMax) {
        gapMax = gap;
        k = c;
      }
    }
    const largest = largestLaplacianEigenvalue(neighbours, n, pMax, p);
    const normalisedGap = gapMax / Math.max(largest, 1e-12);
    const ratio = p / Math.max(normalisedGap, 1e-12);
    if (!best || ratio < best.ratio) best = { p, ratio, k, values, vectors };
  }
  if (!best) throw new Error('no clustering candidate');
  const k = fixed ?? Math.min(high, Math.max(low, best.k));
  // Spectral embedding: the k eigenvectors of the smallest eigenvalues, one row per window.
  const points = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const v = best.vectors[c] as Float64Array;
    for (let i = 0; i < n; i++) points[i * k + c] = v[i] as number;
  }
  const labels = k === 1 ? new Int32Array(n) : kMeans(points, n, k, k);
  return { labels, clusters: k, neighbours: best.p, eigenvalues: [...best.values] };
}

/** About 16 values of p spread geometrically from pMin to pMax. */
function candidateNeighbourCounts(pMin: number, pMax: number): number[] {
  const out = new Set<number>();
  const low = pMin;
  const steps = 16;
  for (let s = 0; s <= steps; s++) {
    out.add(Math.max(1, Math.round(low * (pMax / low) ** (s / steps))));
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * y ← A·x for the symmetrised binary p-nearest-neighbour graph A = (B + Bᵀ)/2, where B[i][j] = 1
 * when j is among i's first p neighbours; returns nothing, fills y. `degree` gets A's row sums.
 */
function graphMultiply(
  neighbours: Int32Array,
  n: number,
  stride: number,
  p: number,
  x: Float64Array,
  y: Float64Array,
): void {
  y.fill(0);
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    let acc = 0;
    for (let r = 0; r < p; r++) {
      const j = neighbours[i * stride + r] as number;
      acc += 0.5 * (x[j] as number);
      y[j] = (y[j] as number) + 0.5 * xi;
    }
    y[i] = (y[i] as number) + acc;
  }
}

function degrees(neighbours: Int32Array, n: number, stride: number, p: number): Float64Array {
  const ones = new Float64Array(n).fill(1);
  const d = new Float64Array(n);
  graphMultiply(neighbours, n, stride, p, ones, d);
  return d;
}

/** The `count` smallest eigenpairs of L = D − A, ascending. */
function laplacianSmallest(
  neighbours: Int32Array,
  n: number,
  stride: number,
  p: number,
  count: number,
): { values: Float64Array; vectors: Float64Array[] } {
  const d = degrees(neighbours, n, stride, p);
  let maxDegree = 0;
  for (let i = 0; i < n; i++) maxDegree = Math.max(maxDegree, d[i] as number);
  // λ(L) ⊂ [0, 2·maxDegree] (Gershgorin), so the smallest of L are the largest of c·I − L.
  const c = 2 * maxDegree;
  const ax = new Float64Array(n);
  const multiply = (x: Float64Array, y: Float64Array): void => {
    graphMultiply(neighbours, n, stride, p, x, ax);
    for (let i = 0; i < n; i++)
      y[i] = c * (x[i] as number) - (d[i] as number) * (x[i] as number) + (ax[i] as number);
  };
  const steps = Math.min(n, Math.max(4 * count, 80));
  const { values, vectors } = lanczosLargest(n, multiply, count, steps);
  return { values: values.map((v) => c - v), vectors };
}

function largestLaplacianEigenvalue(neighbours: Int32Array, n: number, stride: number, p: number): number {
  const d = degrees(neighbours, n, stride, p);
  const ax = new Float64Array(n);
  const multiply = (x: Float64Array, y: Float64Array): void => {
    graphMultiply(neighbours, n, stride, p, x, ax);
    for (let i = 0; i < n; i++) y[i] = (d[i] as number) * (x[i] as number) - (ax[i] as number);
  };
  return lanczosLargest(n, multiply, 1, Math.min(n, 30)).values[0] ?? 0;
}
