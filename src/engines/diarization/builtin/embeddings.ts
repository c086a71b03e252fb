/**
 * Windows of speech frames for segment-level speaker embeddings (ubm.ts), and the per-recording
 * normalisation of the frames they are computed from.
 */

/** A window of speech frames: [start, end) into the speech-frame arrays. */
export interface FrameWindow {
  start: number;
  end: number;
}

/**
 * Windows of `length` frames every `hop` frames inside each run; the last one is aligned to the
 * run's end so no speech is left out. A run shorter than `length` but at least `minLength` frames
 * long gets one window of its own length; shorter runs get none (resegmentation labels them).
 */
export function slidingWindows(
  runs: readonly { start: number; end: number }[],
  length: number,
  hop: number,
  minLength: number,
): FrameWindow[] {
  const windows: FrameWindow[] = [];
  for (const run of runs) {
    const size = run.end - run.start;
    if (size < minLength) continue;
    if (size <= length) {
      windows.push({ start: run.start, end: run.end });
      continue;
    }
    let start = run.start;
    for (; start + length <= run.end; start += hop) windows.push({ start, end: start + length });
    const last = windows[windows.length - 1] as FrameWindow;
    if (last.end < run.end) windows.push({ start: run.end - length, end: run.end });
  }
  return windows;
}

/**
 * Per-dimension mean and variance of the frames, for normalising them (cepstral mean and variance
 * normalisation over the whole recording's speech).
 */
export function featureMoments(
  features: Float32Array,
  count: number,
  dim: number,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) {
      const x = features[i * dim + j] as number;
      mean[j] = (mean[j] as number) + x;
      sq[j] = (sq[j] as number) + x * x;
    }
  }
  const std = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    const m = (mean[j] as number) / Math.max(1, count);
    mean[j] = m;
    std[j] = Math.sqrt(Math.max(1e-8, (sq[j] as number) / Math.max(1, count) - m * m));
  }
  return { mean, std };
}

/** A copy of columns [from, to) of the frames, each normalised to zero mean and unit variance. */
export function normalisedFeatures(
  features: Float32Array,
  count: number,
  dim: number,
  from: number,
  to: number,
): Float32Array {
  const { mean, std } = featureMoments(features, count, dim);
  const width = to - from;
  const out = new Float32Array(count * width);
  for (let i = 0; i < count; i++) {
    for (let j = from; j < to; j++) {
      out[i * width + j - from] =
        ((features[i * dim + j] as number) - (mean[j] as number)) / (std[j] as number);
    }
  }
  return out;
}
