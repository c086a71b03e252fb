import type { SpeechRegion } from './vad-engine.js';

/**
 * Widens each region by `pad` samples on both sides, clamps to [0, length] and merges regions that
 * then overlap or touch, so the result is sorted and never overlapping.
 */
export function padRegions(regions: readonly SpeechRegion[], pad: number, length: number): SpeechRegion[] {
  const sorted = [...regions].sort((a, b) => a.start - b.start);
  const out: SpeechRegion[] = [];
  for (const region of sorted) {
    const start = Math.max(0, region.start - pad);
    const end = Math.min(length, region.end + pad);
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else out.push({ start, end });
  }
  return out;
}
