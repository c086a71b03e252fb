/**
 * Feature frames of the speech regions of a PCM file, on one global frame grid (frame t covers
 * samples [160·t, 160·t + 400)), so frames from different regions keep their place in time.
 * The file is read region by region in blocks; only the features are kept (20 MFCCs and 40 log-mel
 * energies per 10 ms: 86 MB per hour of speech).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { EarshotError } from '../../../domain/errors.js';
import { readPcmSlice } from '../../../media/pcm-file.js';
import type { SpeechRegion } from '../../vad/vad-engine.js';
import { FeatureExtractor, FRAME_LENGTH, FRAME_SHIFT } from './features.js';

/** Frames computed per read: 30 s. */
const BLOCK_FRAMES = 3000;

export interface SpeechFeatures {
  /** Number of speech frames. */
  count: number;
  /** Global frame index of each speech frame, ascending. */
  frame: Int32Array;
  /** count × dim MFCCs (c0 first). */
  mfcc: Float32Array;
  dim: number;
  /** count × melBands log-mel energies (not normalised: overlap detection adds them as powers). */
  logMel: Float32Array;
  melBands: number;
  /** [start, end) into the frame arrays for each speech region that has frames, and the region. */
  runs: SpeechRun[];
}

export interface SpeechRun {
  /** [start, end) into the speech-frame arrays. */
  start: number;
  end: number;
  /** The speech region the frames lie in, in samples. */
  region: SpeechRegion;
}

export interface FeatureHooks {
  signal?: AbortSignal | undefined;
  /** Fraction (0..1) of the speech processed. */
  onProgress?: ((fraction: number) => void) | undefined;
}

/** First and one-past-last global frame lying wholly inside [start, end) samples. */
export function framesInside(region: SpeechRegion): { first: number; end: number } {
  const first = Math.ceil(region.start / FRAME_SHIFT);
  const end = Math.floor((region.end - FRAME_LENGTH) / FRAME_SHIFT) + 1;
  return { first, end: Math.max(first, end) };
}

export async function extractSpeechFeatures(
  pcmPath: string,
  speech: readonly SpeechRegion[],
  extractor: FeatureExtractor,
  hooks: FeatureHooks = {},
): Promise<SpeechFeatures> {
  const dim = extractor.cepstra;
  let total = 0;
  for (const region of speech) {
    const { first, end } = framesInside(region);
    total += end - first;
  }
  const frame = new Int32Array(total);
  const mfcc = new Float32Array(total * dim);
  const bands = extractor.melBands;
  const logMel = new Float32Array(total * bands);
  const runs: SpeechFeatures['runs'] = [];
  let at = 0;
  let lastFrame = -1;
  for (const region of speech) {
    const { first, end } = framesInside(region);
    // Regions are sorted and disjoint, but a frame grid cell can straddle two touching regions.
    const from = Math.max(first, lastFrame + 1);
    if (end <= from) continue;
    const runStart = at;
    for (let t0 = from; t0 < end; t0 += BLOCK_FRAMES) {
      throwIfAborted(hooks.signal);
      const t1 = Math.min(end, t0 + BLOCK_FRAMES);
      const samples = await readPcmSlice(pcmPath, t0 * FRAME_SHIFT, (t1 - 1) * FRAME_SHIFT + FRAME_LENGTH);
      const features = extractor.compute(samples);
      mfcc.set(features.mfcc.subarray(0, (t1 - t0) * dim), at * dim);
      logMel.set(features.logMel.subarray(0, (t1 - t0) * bands), at * bands);
      for (let t = t0; t < t1; t++) frame[at++] = t;
      hooks.onProgress?.(at / Math.max(1, total));
      await yieldToEventLoop();
    }
    lastFrame = end - 1;
    runs.push({ start: runStart, end: at, region: { start: region.start, end: region.end } });
  }
  return {
    count: at,
    frame: frame.subarray(0, at),
    mfcc: mfcc.subarray(0, at * dim),
    dim,
    logMel: logMel.subarray(0, at * bands),
    melBands: bands,
    runs,
  };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new EarshotError('cancelled', 'Speaker diarization was cancelled', { cause: signal.reason });
  }
}
