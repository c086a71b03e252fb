/**
 * Diagonal-covariance Gaussian mixtures trained by EM, the per-speaker models of resegmentation.
 */

export interface DiagonalGmm {
  components: number;
  dim: number;
  /** log weight of each component. */
  logWeights: Float64Array;
  /** components × dim. */
  means: Float64Array;
  /** components × dim inverse variances. */
  precisions: Float64Array;
  /** Per component: log weight − ½(dim·log 2π + Σ log variance). */
  constants: Float64Array;
}

export interface GmmTraining {
  components: number;
  iterations: number;
  /** Variances are kept above this (features are normalised to unit variance). @defaultValue 0.01 */
  varianceFloor?: number;
  seed?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Trains a GMM on the frames `rows` of `features` (count × dim). Starts from one Gaussian and splits
 * every component along its largest-variance axis until `components` is reached (LBG splitting), with
 * EM iterations after each split; deterministic, no random restarts needed.
 */
export function trainGmm(
  features: Float32Array,
  dim: number,
  rows: Int32Array,
  training: GmmTraining,
): DiagonalGmm {
  const floor = training.varianceFloor ?? 0.01;
  const target = Math.max(1, Math.min(training.components, Math.floor(rows.length / (2 * dim)) || 1));
  // One Gaussian: the data's mean and variance.
  let means: Float64Array = new Float64Array(dim);
  let variances: Float64Array = new Float64Array(dim);
  for (let r = 0; r < rows.length; r++) {
    const o = (rows[r] as number) * dim;
    for (let j = 0; j < dim; j++) means[j] = (means[j] as number) + (features[o + j] as number);
  }
  for (let j = 0; j < dim; j++) means[j] = (means[j] as number) / Math.max(1, rows.length);
  for (let r = 0; r < rows.length; r++) {
    const o = (rows[r] as number) * dim;
    for (let j = 0; j < dim; j++)
      variances[j] = (variances[j] as number) + ((features[o + j] as number) - (means[j] as number)) ** 2;
  }
  for (let j = 0; j < dim; j++)
    variances[j] = Math.max(floor, (variances[j] as number) / Math.max(1, rows.length));
  let weights: Float64Array = Float64Array.of(1);
  let components = 1;
  let gmm = build(weights, means, variances, components, dim);
  while (components < target) {
    const next = Math.min(target, components * 2);
    const newMeans = new Float64Array(next * dim);
    const newVariances = new Float64Array(next * dim);
    const newWeights = new Float64Array(next);
    newMeans.set(means);
    newVariances.set(variances);
    newWeights.set(weights);
    // Split the heaviest components first.
    const order = Array.from({ length: components }, (_, c) => c).sort(
      (a, b) => (weights[b] as number) - (weights[a] as number),
    );
    for (let s = 0; s < next - components; s++) {
      const c = order[s] as number;
      const to = components + s;
      for (let j = 0; j < dim; j++) {
        const sd = Math.sqrt(variances[c * dim + j] as number);
        newMeans[to * dim + j] = (means[c * dim + j] as number) + 0.2 * sd;
        newMeans[c * dim + j] = (means[c * dim + j] as number) - 0.2 * sd;
        newVariances[to * dim + j] = variances[c * dim + j] as number;
      }
      newWeights[c] = (weights[c] as number) / 2;
      newWeights[to] = (weights[c] as number) / 2;
    }
    means = newMeans;
    variances = newVariances;
    weights = newWeights;
    components = next;
    gmm = build(weights, means, variances, components, dim);
    for (let it = 0; it < training.iterations; it++) {
      ({ weights, means, variances } = emStep(gmm, features, rows, floor));
      gmm = build(weights, means, variances, components, dim);
    }
  }
  return gmm;
}

function build(
  weights: Float64Array,
  means: Float64Array,
  variances: Float64Array,
  components: number,
  dim: number,
): DiagonalGmm {
  const logWeights = new Float64Array(components);
  const precisions = new Float64Array(components * dim);
  const constants = new Float64Array(components);
  for (let c = 0; c < components; c++) {
    logWeights[c] = Math.log(Math.max(1e-12, weights[c] as number));
    let logDet = 0;
    for (let j = 0; j < dim; j++) {
      const v = variances[c * dim + j] as number;
      precisions[c * dim + j] = 1 / v;
      logDet += Math.log(v);
    }
    constants[c] = (logWeights[c] as number) - 0.5 * (dim * LOG_2PI + logDet);
  }
  return { components, dim, logWeights, means: Float64Array.from(means), precisions, constants };
}

/** One EM iteration; returns the re-estimated parameters. */
function emStep(
  gmm: DiagonalGmm,
  features: Float32Array,
  rows: Int32Array,
  floor: number,
): { weights: Float64Array; means: Float64Array; variances: Float64Array } {
  const { components: k, dim } = gmm;
  const n0 = new Float64Array(k);
  const n1 = new Float64Array(k * dim);
  const n2 = new Float64Array(k * dim);
  const post = new Float64Array(k);
  for (let r = 0; r < rows.length; r++) {
    const o = (rows[r] as number) * dim;
    componentLogLikelihoods(gmm, features, o, post);
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, post[c] as number);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const p = Math.exp((post[c] as number) - max);
      post[c] = p;
      sum += p;
    }
    for (let c = 0; c < k; c++) {
      const g = (post[c] as number) / sum;
      if (g < 1e-6) continue;
      n0[c] = (n0[c] as number) + g;
      for (let j = 0; j < dim; j++) {
        const x = features[o + j] as number;
        n1[c * dim + j] = (n1[c * dim + j] as number) + g * x;
        n2[c * dim + j] = (n2[c * dim + j] as number) + g * x * x;
      }
    }
  }
  const weights = new Float64Array(k);
  const means = new Float64Array(k * dim);
  const variances = new Float64Array(k * dim);
  const total = rows.length;
  for (let c = 0; c < k; c++) {
    const count = n0[c] as number;
    weights[c] = Math.max(count, 1e-3) / Math.max(1, total);
    for (let j = 0; j < dim; j++) {
      if (count < 1e-3) {
        // An empty component keeps its place.
        means[c * dim + j] = gmm.means[c * dim + j] as number;
        variances[c * dim + j] = 1 / (gmm.precisions[c * dim + j] as number);
        continue;
      }
      const m = (n1[c * dim + j] as number) / count;
      means[c * dim + j] = m;
      variances[c * dim + j] = Math.max(floor, (n2[c * dim + j] as number) / count - m * m);
    }
  }
  return { weights, means, variances };
}

/** Log p(x, component c) for every component, of the frame at `offset`, into `out`. */
export function componentLogLikelihoods(
  gmm: DiagonalGmm,
  features: Float32Array,
  offset: number,
  out: Float64Array,
): void {
  const { components, dim, means, precisions, constants } = gmm;
  for (let c = 0; c < components; c++) {
    let q = 0;
    const base = c * dim;
    for (let j = 0; j < dim; j++) {
      const d = (features[offset + j] as number) - (means[base + j] as number);
      q += d * d * (precisions[base + j] as number);
    }
    out[c] = (constants[c] as number) - 0.5 * q;
  }
}

/** log p(x) of every frame (count × dim features) under the GMM. */
export function frameLogLikelihoods(gmm: DiagonalGmm, features: Float32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  const scratch = new Float64Array(gmm.components);
  for (let i = 0; i < count; i++) {
    componentLogLikelihoods(gmm, features, i * gmm.dim, scratch);
    let max = -Infinity;
    for (let c = 0; c < gmm.components; c++) max = Math.max(max, scratch[c] as number);
    let sum = 0;
    for (let c = 0; c < gmm.components; c++) sum += Math.exp((scratch[c] as number) - max);
    out[i] = max + Math.log(sum);
  }
  return out;
}
