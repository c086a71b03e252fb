import type { Word } from '../domain/transcript.js';

/** A stretch of speech on the audio's timeline: a VAD region or an engine segment. */
export interface TimeSpan {
  startMs: number;
  endMs: number;
}

/** Returns the spans sorted by start (then end), without changing the caller's array. */
export function sortSpans(spans: readonly TimeSpan[]): TimeSpan[] {
  return [...spans].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}

/**
 * For each word, the index (into `sorted`) of the span it belongs to: the span that contains the
 * word's midpoint, else the nearest one. Engines' word times and VAD edges disagree by tens of
 * milliseconds, so the midpoint is a steadier anchor than either end. At equal distance the earlier
 * span wins, because recognisers tend to stretch a region's last word past the VAD's end.
 * With no spans every word gets -1 (one region for all).
 */
export function assignSpans(words: readonly Word[], sorted: readonly TimeSpan[]): number[] {
  if (sorted.length === 0) return words.map(() => -1);
  return words.map((word) => {
    const mid = (word.startMs + word.endMs) / 2;
    // Last span that starts at or before the midpoint (binary search).
    let lo = 0;
    let hi = sorted.length - 1;
    let before = -1;
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if ((sorted[m]?.startMs ?? 0) <= mid) {
        before = m;
        lo = m + 1;
      } else {
        hi = m - 1;
      }
    }
    const prev = before >= 0 ? sorted[before] : undefined;
    const next = sorted[before + 1];
    if (prev !== undefined && mid <= prev.endMs) return before;
    const prevDistance = prev === undefined ? Infinity : mid - prev.endMs;
    const nextDistance = next === undefined ? Infinity : next.startMs - mid;
    return prevDistance <= nextDistance ? before : before + 1;
  });
}
