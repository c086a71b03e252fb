import type { SpeechRegion } from '../engines/vad/vad-engine.js';

/** A stretch of audio sent to the recognizer in one call, in samples on the decoded timeline. */
export interface Chunk {
  start: number;
  end: number;
  /** The speech regions inside this chunk (clipped to it). */
  regions: SpeechRegion[];
}

export interface ChunkPlanOptions {
  /** Longest chunk, in samples. Whisper-family models see at most 30 s. */
  maxChunkSamples: number;
  /** A silence longer than this always starts a new chunk, so long pauses cost no compute. */
  maxGapSamples: number;
}

/**
 * Cuts a region longer than the chunk limit into pieces at its quietest moments. `energyAt`
 * returns the mean energy of a short frame starting at a sample; cuts are searched for in the
 * last third of each allowed piece, so a piece is never shorter than two thirds of the limit.
 */
export function splitLongRegion(
  region: SpeechRegion,
  maxSamples: number,
  frameSamples: number,
  energyAt: (sample: number) => number,
): SpeechRegion[] {
  const pieces: SpeechRegion[] = [];
  let start = region.start;
  while (region.end - start > maxSamples) {
    const searchFrom = start + Math.floor((maxSamples * 2) / 3);
    const searchTo = start + maxSamples - frameSamples;
    let cut = searchTo;
    let quietest = Number.POSITIVE_INFINITY;
    for (let s = searchFrom; s <= searchTo; s += frameSamples) {
      const energy = energyAt(s);
      if (energy < quietest) {
        quietest = energy;
        cut = s + Math.floor(frameSamples / 2);
      }
    }
    pieces.push({ start, end: cut });
    start = cut;
  }
  pieces.push({ start, end: region.end });
  return pieces;
}

/**
 * Groups speech regions (sorted, non-overlapping, each at most `maxChunkSamples` long) into
 * chunks: consecutive regions share a chunk while the chunk stays within the limit and the gap
 * between them is short. A chunk spans from its first region's start to its last region's end,
 * so word times map back with a single offset.
 */
export function planChunks(regions: readonly SpeechRegion[], options: ChunkPlanOptions): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (const region of regions) {
    const fits =
      current !== undefined &&
      region.start - current.end <= options.maxGapSamples &&
      region.end - current.start <= options.maxChunkSamples;
    if (current && fits) {
      current.end = region.end;
      current.regions.push({ ...region });
    } else {
      current = { start: region.start, end: region.end, regions: [{ ...region }] };
      chunks.push(current);
    }
  }
  return chunks;
}
