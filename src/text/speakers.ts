import type { Utterance, Word } from '../domain/transcript.js';
import { joinWords } from './transcript-text.js';

/** A speaker's turn in milliseconds on the transcript's timeline. */
export interface TurnMs {
  startMs: number;
  endMs: number;
  speaker: number;
}

/**
 * Gives every word a speaker. A word takes the speaker whose turns overlap it most; where turns
 * overlap (two people at once) that is the one covering more of the word, so no word is dropped or
 * doubled. A word in a gap between turns takes the nearest turn's speaker, so with any turn at all
 * no word is left without a speaker. Turns must be sorted by start.
 */
export function assignSpeakers(words: readonly Word[], turns: readonly TurnMs[]): Word[] {
  if (turns.length === 0) return words.map((w) => ({ ...w }));
  let first = 0; // first turn that may still overlap a word (words are in time order)
  return words.map((word) => {
    while (first < turns.length && turns[first]!.endMs <= word.startMs && turns[first]!.endMs < word.endMs)
      first++;
    const overlap = new Map<number, number>();
    for (let i = Math.max(0, first - 1); i < turns.length && turns[i]!.startMs < word.endMs; i++) {
      const turn = turns[i]!;
      const shared = Math.min(word.endMs, turn.endMs) - Math.max(word.startMs, turn.startMs);
      // A zero-length word (start == end) counts as overlapping a turn that contains it.
      const covers = word.startMs === word.endMs && turn.startMs <= word.startMs && word.startMs < turn.endMs;
      if (shared > 0 || covers)
        overlap.set(turn.speaker, (overlap.get(turn.speaker) ?? 0) + Math.max(shared, 1e-6));
    }
    let speaker: number | undefined;
    let best = 0;
    for (const [candidate, amount] of overlap) {
      if (amount > best) [speaker, best] = [candidate, amount];
    }
    speaker ??= nearestTurn(turns, (word.startMs + word.endMs) / 2).speaker;
    return { ...word, speaker };
  });
}

function nearestTurn(turns: readonly TurnMs[], atMs: number): TurnMs {
  let nearest = turns[0]!;
  let distance = Number.POSITIVE_INFINITY;
  for (const turn of turns) {
    const d = atMs < turn.startMs ? turn.startMs - atMs : atMs > turn.endMs ? atMs - turn.endMs : 0;
    if (d < distance) [nearest, distance] = [turn, d];
  }
  return nearest;
}

/** Renumbers speakers in order of their first word, so the first voice heard is speaker 0 ("A"). */
export function renumberSpeakersByAppearance(words: readonly Word[]): Word[] {
  const order = new Map<string, number>();
  const key = (w: Word): string => `${w.channel ?? ''}:${w.speaker}`;
  const perChannel = new Map<number | undefined, number>();
  return words.map((w) => {
    if (w.speaker === undefined) return { ...w };
    if (!order.has(key(w))) {
      const next = perChannel.get(w.channel) ?? 0;
      order.set(key(w), next);
      perChannel.set(w.channel, next + 1);
    }
    return { ...w, speaker: order.get(key(w))! };
  });
}

export interface UtteranceOptions {
  /** A silence at least this long ends an utterance even when the speaker goes on. @defaultValue 2000 */
  maxPauseMs?: number;
}

export const DEFAULT_UTTERANCE_PAUSE_MS = 2000;

/**
 * Turn-by-turn utterances: consecutive words of one speaker on one channel, split where the
 * speaker or channel changes or a long pause falls. Words of several channels are grouped per
 * channel first and the utterances then interleaved by start time, so simultaneous talk on two
 * channels does not shred both into one-word utterances.
 */
export function buildUtterances(words: readonly Word[], options: UtteranceOptions = {}): Utterance[] {
  const maxPauseMs = options.maxPauseMs ?? DEFAULT_UTTERANCE_PAUSE_MS;
  const byChannel = new Map<number | undefined, Word[]>();
  for (const word of words) {
    const list = byChannel.get(word.channel) ?? [];
    list.push(word);
    byChannel.set(word.channel, list);
  }
  const utterances: Utterance[] = [];
  for (const channelWords of byChannel.values()) {
    let current: Word[] = [];
    const flush = (): void => {
      if (current.length > 0) utterances.push(toUtterance(current));
      current = [];
    };
    for (const word of channelWords) {
      const previous = current.at(-1);
      if (previous && (previous.speaker !== word.speaker || word.startMs - previous.endMs >= maxPauseMs))
        flush();
      current.push(word);
    }
    flush();
  }
  return utterances.sort((a, b) => a.startMs - b.startMs || (a.channel ?? 0) - (b.channel ?? 0));
}

function toUtterance(words: Word[]): Utterance {
  const first = words[0]!;
  return {
    text: joinWords(words),
    startMs: first.startMs,
    endMs: Math.max(...words.map((w) => w.endMs)),
    confidence: words.reduce((sum, w) => sum + w.confidence, 0) / words.length,
    ...(first.speaker !== undefined && { speaker: first.speaker }),
    ...(first.channel !== undefined && { channel: first.channel }),
    words,
  };
}

/** Distinct speakers among the words (per channel when channels were split). */
export function countSpeakers(words: readonly Word[]): number {
  return new Set(words.filter((w) => w.speaker !== undefined).map((w) => `${w.channel ?? ''}:${w.speaker}`))
    .size;
}
