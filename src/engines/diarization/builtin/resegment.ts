/**
 * Frame-level resegmentation: each speaker found by clustering gets a GMM trained on its frames,
 * and a Viterbi pass over the speech frames picks one speaker per 10 ms frame, paying a penalty for
 * every change of speaker inside a speech run. Retrained on the new labels and repeated, this moves
 * boundaries from the 0.5 s grid of the windows to the frame, and relabels the short runs that had
 * no window. (The classic GMM/HMM resegmentation of the pre-neural diarization systems.)
 */
import { frameLogLikelihoods, trainGmm, type DiagonalGmm } from './gmm.js';

const MAX_TRAINING_FRAMES = 20_000;

export interface ResegmentationOptions {
  /** Speaker models' components. */
  components: number;
  /** EM iterations per split while training a model. */
  emIterations: number;
  /** Train–decode rounds. */
  rounds: number;
  /** Log-probability cost of a change of speaker between two adjacent frames. */
  switchPenalty: number;
  /** A speaker left with fewer frames than this is dropped and its frames redistributed. */
  minFrames: number;
}

export interface Resegmentation {
  labels: Int32Array;
  /** Per speaker, the log-likelihood of every frame (for overlap detection). */
  logLikelihoods: Float64Array[];
  speakers: number;
}

/**
 * @param labels initial speaker of each frame, −1 for unknown (not used for training).
 * @param runs contiguous stretches of frames; a change of speaker across a gap between runs is free.
 */
export function resegment(
  features: Float32Array,
  dim: number,
  count: number,
  runs: readonly { start: number; end: number }[],
  initial: Int32Array,
  options: ResegmentationOptions,
): Resegmentation {
  let labels: Int32Array = Int32Array.from(initial);
  let logLikelihoods: Float64Array[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const models = trainSpeakerModels(features, dim, labels, options);
    if (models.length === 0) break;
    logLikelihoods = models.map((m) => frameLogLikelihoods(m, features, count));
    const next = viterbi(logLikelihoods, count, runs, options.switchPenalty);
    let changed = 0;
    for (let i = 0; i < count; i++) if (next[i] !== labels[i]) changed++;
    labels = next;
    if (changed === 0) break;
  }
  const speakers = logLikelihoods.length;
  return { labels, logLikelihoods, speakers };
}

/** One model per label with enough frames; labels are renumbered 0… in the order of the models. */
function trainSpeakerModels(
  features: Float32Array,
  dim: number,
  labels: Int32Array,
  options: ResegmentationOptions,
): DiagonalGmm[] {
  let maxLabel = -1;
  for (const l of labels) maxLabel = Math.max(maxLabel, l);
  const members: number[][] = Array.from({ length: maxLabel + 1 }, () => []);
  labels.forEach((l, i) => {
    if (l >= 0) members[l]?.push(i);
  });
  const models: DiagonalGmm[] = [];
  for (const rows of members) {
    if (rows.length < options.minFrames) continue;
    // An evenly spaced subset bounds the cost for long recordings; 20 000 frames (200 s) train
    // 8 components of 19 dimensions amply.
    const step = Math.max(1, rows.length / MAX_TRAINING_FRAMES);
    const subset: number[] = [];
    for (let x = 0; Math.floor(x) < rows.length; x += step) subset.push(rows[Math.floor(x)] as number);
    models.push(
      trainGmm(features, dim, Int32Array.from(subset), {
        components: options.components,
        iterations: options.emIterations,
      }),
    );
  }
  return models;
}

/**
 * The most likely speaker sequence: δ_t(s) = ll_t(s) + max(δ_{t−1}(s), max_{s'≠s} δ_{t−1}(s') − penalty),
 * with no penalty at the first frame of a run.
 */
export function viterbi(
  logLikelihoods: readonly Float64Array[],
  count: number,
  runs: readonly { start: number; end: number }[],
  penalty: number,
): Int32Array {
  const speakers = logLikelihoods.length;
  const labels = new Int32Array(count).fill(-1);
  if (speakers === 0) return labels;
  const back = new Int16Array(count * speakers);
  let delta = new Float64Array(speakers);
  let next = new Float64Array(speakers);
  for (const run of runs) {
    for (let s = 0; s < speakers; s++) delta[s] = (logLikelihoods[s] as Float64Array)[run.start] as number;
    for (let t = run.start + 1; t < run.end; t++) {
      // Best and second best of the previous frame: the best other speaker is one of them.
      let best = 0;
      let second = -1;
      for (let s = 1; s < speakers; s++) {
        if ((delta[s] as number) > (delta[best] as number)) {
          second = best;
          best = s;
        } else if (second < 0 || (delta[s] as number) > (delta[second] as number)) second = s;
      }
      for (let s = 0; s < speakers; s++) {
        const other = s === best ? second : best;
        const stay = delta[s] as number;
        const move = other >= 0 ? (delta[other] as number) - penalty : -Infinity;
        const from = stay >= move ? s : other;
        back[t * speakers + s] = from;
        next[s] = Math.max(stay, move) + ((logLikelihoods[s] as Float64Array)[t] as number);
      }
      [delta, next] = [next, delta];
    }
    let state = 0;
    for (let s = 1; s < speakers; s++) if ((delta[s] as number) > (delta[state] as number)) state = s;
    for (let t = run.end - 1; t >= run.start; t--) {
      labels[t] = state;
      if (t > run.start) state = back[t * speakers + state] as number;
    }
  }
  return labels;
}
