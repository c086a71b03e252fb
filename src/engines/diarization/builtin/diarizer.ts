/**
 * The builtin diarizer, from feature frames to speaker turns:
 *
 *  1. MFCCs c1–c19, mean- and variance-normalised over the recording's speech (c0, the loudness,
 *     is left out: it says more about the distance to the microphone than about the voice).
 *  2. 1.5 s windows every 0.5 s inside each speech region, each embedded as GMM-UBM statistics
 *     (ubm.ts): a 64-component UBM trained on the recording itself.
 *  3. Spectral clustering with the speaker count read from the eigengap (clustering.ts). Windows
 *     that share frames are not allowed to be each other's neighbours: overlapping windows are
 *     similar because they hold the same audio, and with them in the graph the eigengap counted
 *     stretches of time instead of speakers (pyannote_sample at a 0.75 s hop: 10 clusters instead
 *     of 2 and DER 72.9% with a 0.25 s collar; 2 clusters and 3.5% once they were left out).
 *  4. GMM/Viterbi resegmentation at the 10 ms frame level (resegment.ts).
 *  4b. When the count was estimated and may be 1, a ΔBIC test of one speaker against the split
 *     found (speaker-count.ts): the eigengap of a few windows is no evidence of a second speaker.
 *  5. Overlapped speech: a second speaker where a two-speaker model explains the frames better than
 *     any single speaker (overlap.ts).
 *
 * The steps are synchronous number crunching; between them the diarizer yields to the event loop so
 * an abort can land, and reports progress.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { SpeakerTurn } from '../diarization-engine.js';
import { spectralClustering } from './clustering.js';
import { normalisedFeatures, slidingWindows, type FrameWindow } from './embeddings.js';
import { FRAME_SHIFT } from './features.js';
import { DEFAULT_OVERLAP_OPTIONS, detectOverlap } from './overlap.js';
import { resegment } from './resegment.js';
import { ONE_SPEAKER_LAMBDA, splitEvidence } from './speaker-count.js';
import { throwIfAborted, type SpeechFeatures, type SpeechRun } from './speech-features.js';
import { principalProjection, trainUbm, ubmEmbeddings } from './ubm.js';

export interface DiarizerConfig {
  /** UBM components (embedding size = components × 20). */
  ubmComponents: number;
  /** MAP relevance factor of the window supervectors. */
  relevance: number;
  /** Embeddings are projected onto this many principal directions when there are more windows. */
  pcaDims: number;
  windowFrames: number;
  hopFrames: number;
  /** A speech region shorter than this gets no window of its own (resegmentation labels it). */
  minWindowFrames: number;
  /** Components of each speaker's GMM in resegmentation. */
  gmmComponents: number;
  /** Resegmentation train–decode rounds. */
  rounds: number;
  /** Log-probability cost of a change of speaker between adjacent frames. */
  switchPenalty: number;
  /** Resegmentation drops a speaker left with fewer frames (when the count is not fixed). */
  minSpeakerFrames: number;
  /** Rounds of overlapped-speech detection at most (0: none). */
  overlapRounds: number;
  /**
   * λ of the one-speaker ΔBIC test (speaker-count.ts), used when the count is estimated and 1 is
   * allowed; 0 turns the test off.
   */
  oneSpeakerLambda: number;
}

/**
 * Measured choices. Pair EER = equal error rate of "same speaker?" on pairs of 1.5 s windows of
 * known speakers, averaged over pyannote_sample and three synthetic conversations; DER with a 0.25 s
 * collar on pyannote_sample / the AMI excerpt.
 *  - embedding: mean+std of MFCCs 13.4%, GMM-UBM statistics 5.3%; UBM of 32/64/128 components
 *    5.8/5.3/5.7%; deltas added 6.6%; 30 cepstra 7.3%; 24 mel bands 6.6%; 2 s windows 4.2% but
 *    fewer of them (DER 5.8% / 46.9% against 2.6% / 45.5%).
 *  - relevance factor 1/4/16: within 0.3% of each other.
 *  - the two parts of the embedding weighted equally: occupancy at 0.7/0.5/0.3 of the supervector's
 *    weight gave DER 4.1/7.2/7.8% on pyannote_sample (2.6% at 1) and lost speakers elsewhere (one
 *    speaker found on the AMI excerpt at 0.5).
 *  - PCA to 32 or 16 dimensions before clustering: 7.5/8.9%, so it is only used above 128 windows,
 *    where it keeps the similarity computation of an hour to seconds instead of 40 s.
 *  - hop 0.75 s / 0.5 s: DER 3.5% / 2.6% and 46.7% / 45.5%; on the 4-speaker synthetic conversation
 *    0.75 s split the one female reader into two clusters (5 speakers, DER 28%), 0.5 s did not.
 *  - switch penalty 10/20/40: DER 11.6/2.6/1.3% and 54.0/45.5/54.8% (a stiffer penalty also keeps
 *    the second speakers of overlap from being found).
 *  - resegmentation: without it 4.5% and (no overlap detection either) 62.7%.
 */
export const DEFAULT_CONFIG: DiarizerConfig = {
  ubmComponents: 64,
  relevance: 4,
  pcaDims: 128,
  windowFrames: 150,
  hopFrames: 50,
  minWindowFrames: 50,
  gmmComponents: 8,
  rounds: 3,
  switchPenalty: 20,
  minSpeakerFrames: 50,
  overlapRounds: DEFAULT_OVERLAP_OPTIONS.rounds,
  oneSpeakerLambda: ONE_SPEAKER_LAMBDA,
};

/** Windows at most; an hour of speech at a 0.5 s hop is 7200. */
const MAX_WINDOWS = 8000;

/** UBM training frames at most (evenly spaced): 500 s of speech train 64 components amply. */
const UBM_TRAINING_FRAMES = 50_000;

export interface SpeakerBounds {
  /** Exactly this many speakers (as long as there are that many windows of speech). */
  fixed?: number | undefined;
  min: number;
  max: number;
}

export interface DiarizerHooks {
  signal?: AbortSignal | undefined;
  /** Fraction (0..1) of this part of the work done. */
  onProgress?: ((fraction: number) => void) | undefined;
  /** Diagnostics for tests and the benchmark. */
  onTrace?: ((trace: DiarizerTrace) => void) | undefined;
}

export interface DiarizerTrace {
  windows: number;
  /** Speakers found by clustering, and left after resegmentation. */
  clusters: number;
  speakers: number;
  /** Neighbours per window in the chosen graph, and its smallest Laplacian eigenvalues. */
  neighbours: number;
  eigenvalues: number[];
  /** Speech frames with a second speaker. */
  overlapFrames: number;
  /** The one-speaker test's evidence for the split (speaker-count.ts), when it ran. */
  splitEvidence?: number | undefined;
}

export async function diarizeFeatures(
  speech: SpeechFeatures,
  bounds: SpeakerBounds,
  config: DiarizerConfig = DEFAULT_CONFIG,
  hooks: DiarizerHooks = {},
): Promise<SpeakerTurn[]> {
  const { count, dim } = speech;
  const step = async (fraction: number): Promise<void> => {
    hooks.onProgress?.(fraction);
    await yieldToEventLoop();
    throwIfAborted(hooks.signal);
  };
  if (count === 0) return [];
  const features = normalisedFeatures(speech.mfcc, count, dim, 1, dim);
  const featureDim = dim - 1;
  // Long recordings get a longer hop so the windows stay under MAX_WINDOWS: clustering costs grow
  // with the square of their number (3 h at 0.5 s would be 20 000 windows).
  const hop = Math.max(config.hopFrames, Math.ceil(count / MAX_WINDOWS));
  const windows = slidingWindows(speech.runs, config.windowFrames, hop, config.minWindowFrames);
  const trace: DiarizerTrace = {
    windows: windows.length,
    clusters: 1,
    speakers: 1,
    neighbours: 0,
    eigenvalues: [],
    overlapFrames: 0,
  };
  const single = bounds.fixed === 1 || bounds.max === 1 || windows.length < 2;

  let labels: Int32Array = new Int32Array(count);
  if (!single) {
    const ubm = trainUbm(features, featureDim, count, {
      components: config.ubmComponents,
      maxTrainingFrames: UBM_TRAINING_FRAMES,
      emIterations: 4,
    });
    await step(0.2);
    let embeddings = ubmEmbeddings(ubm, features, windows, config.relevance);
    if (windows.length > config.pcaDims && embeddings.dim > config.pcaDims) {
      embeddings = principalProjection(embeddings.data, windows.length, embeddings.dim, config.pcaDims);
    }
    await step(0.35);
    const sharesFrames = (i: number, j: number): boolean => {
      const a = windows[i] as FrameWindow;
      const b = windows[j] as FrameWindow;
      return i === j || (a.start < b.end && b.start < a.end);
    };
    const clustering = spectralClustering(
      embeddings.data,
      windows.length,
      embeddings.dim,
      bounds,
      sharesFrames,
    );
    trace.clusters = clustering.clusters;
    trace.neighbours = clustering.neighbours;
    trace.eigenvalues = clustering.eigenvalues;
    labels = labelFrames(count, speech.runs, windows, clustering.labels);
    await step(0.5);

    if (clustering.clusters > 1) {
      const fixed = bounds.fixed !== undefined;
      const result = resegment(features, featureDim, count, speech.runs, labels, {
        components: config.gmmComponents,
        emIterations: 4,
        rounds: config.rounds,
        switchPenalty: config.switchPenalty,
        // With a fixed count no speaker may be dropped.
        minFrames: fixed ? 1 : config.minSpeakerFrames,
      });
      // A fixed count is kept even if the Viterbi pass left a speaker without frames.
      if (!fixed || distinctLabels(result.labels) === clustering.clusters) {
        labels = result.labels;
        // One speaker unless the split explains the frames better than the extra Gaussians cost.
        const mayBeOne = !fixed && bounds.min <= 1 && config.oneSpeakerLambda > 0;
        let several = result.speakers > 1;
        if (mayBeOne && several) {
          trace.splitEvidence = splitEvidence(features, featureDim, labels);
          several = trace.splitEvidence > config.oneSpeakerLambda;
          if (!several) labels = new Int32Array(count);
        }
        await step(0.7);
        if (config.overlapRounds > 0 && several) {
          const runnerUp = runnersUp(result.logLikelihoods, labels, count);
          const second = detectOverlap(
            speech.logMel,
            speech.melBands,
            count,
            speech.runs,
            labels,
            runnerUp,
            result.speakers,
            { ...DEFAULT_OVERLAP_OPTIONS, rounds: config.overlapRounds },
          );
          const overlapTurns = labelsToTurns(second, speech.frame, speech.runs);
          trace.overlapFrames = second.reduce((n, s) => n + (s >= 0 ? 1 : 0), 0);
          const turns = [...labelsToTurns(labels, speech.frame, speech.runs), ...overlapTurns];
          trace.speakers = distinctLabels(labels);
          hooks.onTrace?.(trace);
          hooks.onProgress?.(1);
          return numberByFirstAppearance(mergeTurns(turns));
        }
      }
    }
    trace.speakers = distinctLabels(labels);
  }
  hooks.onTrace?.(trace);
  hooks.onProgress?.(1);
  return numberByFirstAppearance(mergeTurns(labelsToTurns(labels, speech.frame, speech.runs)));
}

function distinctLabels(labels: Int32Array): number {
  const seen = new Set<number>();
  for (const l of labels) if (l >= 0) seen.add(l);
  return seen.size;
}

/** Per frame, the most likely speaker other than its label (−1 with a single speaker). */
function runnersUp(logLikelihoods: readonly Float64Array[], labels: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count).fill(-1);
  for (let t = 0; t < count; t++) {
    let best = -1;
    let bestValue = -Infinity;
    logLikelihoods.forEach((ll, s) => {
      const v = ll[t] as number;
      if (s !== labels[t] && v > bestValue) {
        bestValue = v;
        best = s;
      }
    });
    out[t] = best;
  }
  return out;
}

/**
 * Each frame takes the label of the window whose centre is nearest, among the windows of its run;
 * frames of runs without a window get −1.
 */
export function labelFrames(
  count: number,
  runs: readonly { start: number; end: number }[],
  windows: readonly FrameWindow[],
  windowLabels: Int32Array,
): Int32Array {
  const labels = new Int32Array(count).fill(-1);
  const centre = (x: number): number =>
    ((windows[x] as FrameWindow).start + (windows[x] as FrameWindow).end) / 2;
  let w = 0;
  for (const run of runs) {
    while (w < windows.length && (windows[w] as FrameWindow).end <= run.start) w++;
    const first = w;
    let last = w;
    while (last < windows.length && (windows[last] as FrameWindow).start < run.end) last++;
    if (last === first) continue;
    let k = first;
    for (let i = run.start; i < run.end; i++) {
      while (k + 1 < last && Math.abs(centre(k + 1) - i) <= Math.abs(centre(k) - i)) k++;
      labels[i] = windowLabels[k] as number;
    }
    w = last;
  }
  // Frames of runs without a window: the label of the nearest labelled frame in time, so every
  // speech frame has a speaker even when resegmentation does not run.
  let lastLabel = -1;
  for (let i = 0; i < count; i++) {
    if ((labels[i] as number) >= 0) lastLabel = labels[i] as number;
    else if (lastLabel >= 0) labels[i] = lastLabel;
  }
  for (let i = count - 1, next = -1; i >= 0; i--) {
    if ((labels[i] as number) >= 0) next = labels[i] as number;
    else labels[i] = next;
  }
  return labels;
}

/**
 * Turns from frame labels: a turn ends where the label changes (halfway between the two frames'
 * centres) or where the speech region ends; the first and last frames of a region extend to the
 * region's bounds. Frames labelled −1 make no turn.
 */
export function labelsToTurns(
  labels: Int32Array,
  frame: Int32Array,
  runs: readonly SpeechRun[],
): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  for (const run of runs) {
    let start = run.region.start;
    for (let i = run.start; i < run.end; i++) {
      const label = labels[i] as number;
      const isLast = i === run.end - 1;
      if (isLast || labels[i + 1] !== label) {
        // Frame t covers samples [160t, 160t + 400): centres 160t + 200 and 160t + 360 for t, t+1.
        const end = isLast ? run.region.end : (frame[i] as number) * FRAME_SHIFT + 280;
        if (label >= 0 && end > start) turns.push({ start, end, speaker: label });
        start = end;
      }
    }
  }
  return turns;
}

/** Joins turns of the same speaker that overlap or touch. */
export function mergeTurns(turns: readonly SpeakerTurn[]): SpeakerTurn[] {
  const sorted = [...turns].sort((a, b) => a.speaker - b.speaker || a.start - b.start);
  const out: SpeakerTurn[] = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    if (last && last.speaker === t.speaker && t.start <= last.end) last.end = Math.max(last.end, t.end);
    else out.push({ ...t });
  }
  return out;
}

/** Renumbers speakers 0, 1, … in order of first appearance, and sorts turns by start. */
export function numberByFirstAppearance(turns: readonly SpeakerTurn[]): SpeakerTurn[] {
  const sorted = [...turns].sort((a, b) => a.start - b.start || a.end - b.end || a.speaker - b.speaker);
  const names = new Map<number, number>();
  return sorted.map((t) => {
    let id = names.get(t.speaker);
    if (id === undefined) {
      id = names.size;
      names.set(t.speaker, id);
    }
    return { ...t, speaker: id };
  });
}
