import type { Segment, Word } from '../domain/transcript.js';
import { assignSpans, sortSpans, type TimeSpan } from './regions.js';

/**
 * The text of a run of words: their texts joined by single spaces. Words whose text is empty (a
 * punctuation-only token after punctuation was stripped) add nothing, so no double spaces appear.
 */
export function joinWords(words: readonly Pick<Word, 'text'>[]): string {
  let out = '';
  for (const word of words) {
    const text = word.text.trim();
    if (text === '') continue;
    out = out === '' ? text : `${out} ${text}`;
  }
  return out;
}

/**
 * Groups words into the transcript's segments, one per speech region (VAD region or engine
 * segment) that holds words. A word belongs to the region containing its midpoint, else the
 * nearest one (see `assignSpans`). Regions with no words give no segment: a segment exists to
 * carry text. A segment's times cover both its region and its words, since a recogniser's word
 * times may run slightly past the region's edges. With no regions, all words form one segment.
 * `regions` should not overlap; words are expected in time order.
 */
export function buildSegments(words: readonly Word[], regions: readonly TimeSpan[]): Segment[] {
  const sorted = sortSpans(regions);
  const owner = assignSpans(words, sorted);
  const segments: Segment[] = [];
  let first = 0;
  for (let i = 1; i <= words.length; i++) {
    if (i < words.length && owner[i] === owner[first]) continue;
    const group = words.slice(first, i);
    const head = group[0];
    const tail = group[group.length - 1];
    if (head !== undefined && tail !== undefined) {
      const region = sorted[owner[first] ?? -1];
      segments.push({
        startMs: Math.min(head.startMs, region?.startMs ?? head.startMs),
        endMs: Math.max(tail.endMs, region?.endMs ?? tail.endMs),
        text: joinWords(group),
      });
    }
    first = i;
  }
  return segments;
}
