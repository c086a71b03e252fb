/**
 * A transcript cut into passages: the unit that is retrieved for a question and cited by time.
 * Passages are runs of consecutive segments up to a word budget, so a cited passage is short
 * enough to check by ear, yet long enough to carry the context of an answer.
 */

/** One piece of the caller's transcript: a segment with times, or a sentence of plain text. */
export interface TranscriptLine {
  /** Start in ms; absent for plain text, which has no times. */
  startMs?: number;
  endMs?: number;
  text: string;
  speaker?: string;
}

export interface Passage {
  /** Position in the transcript, from 0. */
  index: number;
  /** Start of the first line in ms, or null for plain text. */
  startMs: number | null;
  endMs: number | null;
  lines: TranscriptLine[];
  /** The lines' text joined, for ranking. */
  text: string;
}

export interface PassageOptions {
  /**
   * A passage takes no further line once it has this many words (a single longer line is split
   * into pieces of this size, its time shared out in proportion).
   * @defaultValue 120
   */
  maxWords?: number;
}

export const PASSAGE_DEFAULTS = { maxWords: 120 } as const;

const countWords = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/**
 * Lines → passages, in order. A line longer than `maxWords` is split first, so every passage
 * stays within the budget and retrieval never has to take a huge block to get one sentence.
 */
export function buildPassages(lines: readonly TranscriptLine[], options: PassageOptions = {}): Passage[] {
  const maxWords = options.maxWords ?? PASSAGE_DEFAULTS.maxWords;
  const passages: Passage[] = [];
  let current: TranscriptLine[] = [];
  let words = 0;
  const flush = (): void => {
    if (current.length === 0) return;
    const first = current[0]!;
    const last = current.at(-1)!;
    passages.push({
      index: passages.length,
      startMs: first.startMs ?? null,
      endMs: last.endMs ?? null,
      lines: current,
      text: current.map((l) => l.text).join(' '),
    });
    current = [];
    words = 0;
  };
  for (const line of lines.flatMap((l) => splitLongLine(l, maxWords))) {
    const n = countWords(line.text);
    if (n === 0) continue;
    if (words > 0 && words + n > maxWords) flush();
    current.push(line);
    words += n;
  }
  flush();
  return passages;
}

/** A line of more than `maxWords` words as pieces of `maxWords`, times interpolated by word. */
export function splitLongLine(line: TranscriptLine, maxWords: number): TranscriptLine[] {
  const tokens = line.text.split(/\s+/).filter(Boolean);
  if (tokens.length <= maxWords) return [line];
  const pieces: TranscriptLine[] = [];
  const timed = line.startMs !== undefined && line.endMs !== undefined;
  const span = timed ? line.endMs! - line.startMs! : 0;
  for (let from = 0; from < tokens.length; from += maxWords) {
    const to = Math.min(tokens.length, from + maxWords);
    pieces.push({
      text: tokens.slice(from, to).join(' '),
      ...(timed && {
        startMs: line.startMs! + Math.round((span * from) / tokens.length),
        endMs: line.startMs! + Math.round((span * to) / tokens.length),
      }),
      ...(line.speaker !== undefined && { speaker: line.speaker }),
    });
  }
  return pieces;
}
