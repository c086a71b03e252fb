/**
 * Synthetic conversations with a known answer, for the builtin diarizer's tests and benchmark: the
 * recordings of several single speakers cut at the ends of their phrases and interleaved as turns,
 * with short silences between them. The reference is each speaker's own VAD speech inside the
 * pieces taken from it, so it is as exact as the VAD that will also be given to the diarizer.
 *
 * Not engine code: nothing in the diarizer imports it.
 */
import type { SpeechRegion } from '../../vad/vad-engine.js';

const SAMPLE_RATE = 16_000;

export interface SyntheticSpeaker {
  name: string;
  /** 16 kHz mono samples of this speaker alone (several recordings joined). */
  samples: Float32Array;
  /** Speech regions of `samples` (sorted, disjoint), in samples. */
  speech: readonly SpeechRegion[];
}

export interface ConversationOptions {
  /** Seed of the pseudo-random turn order and lengths. */
  seed: number;
  /** A turn lasts at least this long before it ends at the next phrase end, in seconds. @defaultValue 2 */
  minTurnSeconds?: number;
  /** ... and at most this long (it is cut inside a phrase if none ends sooner). @defaultValue 6 */
  maxTurnSeconds?: number;
  /** Silence between turns, in seconds, drawn uniformly. @defaultValue [0.2, 0.8] */
  gapSeconds?: readonly [number, number];
  /** Stop when the conversation is this long. @defaultValue until a speaker runs out */
  maxSeconds?: number;
}

export interface SyntheticConversation {
  samples: Float32Array;
  /** Who speaks when, in seconds, speaker names as given. */
  reference: { start: number; end: number; speaker: string }[];
  /** Turns as cut, in seconds (speech and the pauses inside it). */
  turns: { start: number; end: number; speaker: string }[];
}

/**
 * Interleaves turns of `speakers` (never the same speaker twice in a row) until every speaker but
 * one has run out of audio, or `maxSeconds` is reached.
 */
export function composeConversation(
  speakers: readonly SyntheticSpeaker[],
  options: ConversationOptions,
): SyntheticConversation {
  const minTurn = Math.round((options.minTurnSeconds ?? 2) * SAMPLE_RATE);
  const maxTurn = Math.round((options.maxTurnSeconds ?? 6) * SAMPLE_RATE);
  const [gapMin, gapMax] = options.gapSeconds ?? [0.2, 0.8];
  const maxSamples = Math.round((options.maxSeconds ?? Infinity) * SAMPLE_RATE);
  let seed = options.seed >>> 0 || 1;
  const random = (): number => {
    // xorshift32: deterministic across platforms.
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 2 ** 32;
  };

  // Each speaker's read position starts at its first speech.
  const position = speakers.map((s) => s.speech[0]?.start ?? s.samples.length);
  const pieces: { speaker: number; from: number; to: number; gap: number }[] = [];
  let previous = -1;
  let total = 0;
  for (;;) {
    const candidates = speakers
      .map((_, i) => i)
      .filter(
        (i) =>
          // One speaker alone talks turn after turn, with pauses between them.
          (i !== previous || speakers.length === 1) &&
          hasSpeechAfter(speakers[i] as SyntheticSpeaker, position[i] as number),
      );
    if (candidates.length === 0) break;
    const speakerIndex = candidates[Math.floor(random() * candidates.length)] as number;
    const speaker = speakers[speakerIndex] as SyntheticSpeaker;
    const from = position[speakerIndex] as number;
    const target = from + minTurn + Math.floor(random() * (maxTurn - minTurn));
    // End at the first phrase end at or after the target length, but not later than maxTurn.
    const phraseEnd = speaker.speech.find((r) => r.end >= target)?.end ?? speaker.samples.length;
    const to = Math.min(phraseEnd, from + maxTurn, speaker.samples.length);
    const gap = Math.round((gapMin + random() * (gapMax - gapMin)) * SAMPLE_RATE);
    if (total + (to - from) + gap > maxSamples) break;
    pieces.push({ speaker: speakerIndex, from, to, gap });
    total += to - from + gap;
    // The speaker resumes at its next speech.
    position[speakerIndex] = speaker.speech.find((r) => r.end > to)?.start ?? speaker.samples.length;
    if (position[speakerIndex] < to) position[speakerIndex] = to;
    previous = speakerIndex;
  }

  const samples = new Float32Array(total);
  const reference: SyntheticConversation['reference'] = [];
  const turns: SyntheticConversation['turns'] = [];
  let at = 0;
  for (const piece of pieces) {
    const speaker = speakers[piece.speaker] as SyntheticSpeaker;
    samples.set(speaker.samples.subarray(piece.from, piece.to), at);
    const offset = at - piece.from;
    turns.push({
      start: at / SAMPLE_RATE,
      end: (at + piece.to - piece.from) / SAMPLE_RATE,
      speaker: speaker.name,
    });
    for (const r of speaker.speech) {
      const start = Math.max(r.start, piece.from);
      const end = Math.min(r.end, piece.to);
      if (end > start) {
        reference.push({
          start: (start + offset) / SAMPLE_RATE,
          end: (end + offset) / SAMPLE_RATE,
          speaker: speaker.name,
        });
      }
    }
    at += piece.to - piece.from + piece.gap;
  }
  return { samples, reference, turns };
}

function hasSpeechAfter(speaker: SyntheticSpeaker, position: number): boolean {
  // At least half a second of speech left.
  let left = 0;
  for (const r of speaker.speech) left += Math.max(0, r.end - Math.max(r.start, position));
  return left >= SAMPLE_RATE / 2;
}

/**
 * Single speakers among the shared recordings (`../shared/data/audio/speech`): LJSpeech is one
 * female reader, LibriSpeech 1089 one male reader, jfk and beckett two other men.
 */
export const SHARED_SPEAKERS = {
  lj: Array.from({ length: 16 }, (_, i) => `LJ001-${String(i + 1).padStart(4, '0')}.wav`),
  '1089': [
    '1089-134686-0000.flac',
    '1089-134686-0001.flac',
    '1089-134691-0000.flac',
    '1089-134691-0001.flac',
  ],
  jfk: ['jfk.wav'],
  beckett: ['beckett.wav'],
} as const;

export type SharedSpeakerName = keyof typeof SHARED_SPEAKERS;

export interface SyntheticSet {
  id: string;
  speakers: readonly SharedSpeakerName[];
  options: ConversationOptions;
}

/** The synthetic conversations the tests and `npm run bench:diarization -- --synthetic` score. */
export const SYNTHETIC_SETS: readonly SyntheticSet[] = [
  { id: 'syn1_lj', speakers: ['lj'], options: { seed: 1, maxSeconds: 60 } },
  { id: 'syn2_lj_1089', speakers: ['lj', '1089'], options: { seed: 2 } },
  { id: 'syn2_jfk_1089', speakers: ['jfk', '1089'], options: { seed: 3 } },
  { id: 'syn3', speakers: ['lj', '1089', 'jfk'], options: { seed: 4 } },
  { id: 'syn4', speakers: ['lj', '1089', 'jfk', 'beckett'], options: { seed: 5 } },
  {
    id: 'syn4_short_turns',
    speakers: ['lj', '1089', 'jfk', 'beckett'],
    options: { seed: 6, minTurnSeconds: 1, maxTurnSeconds: 3 },
  },
];

/**
 * Loads the shared speakers a set needs: `decode` gives a file's 16 kHz mono samples, `detect`
 * its speech regions (the real VAD).
 */
export async function loadSharedSpeakers(
  names: readonly SharedSpeakerName[],
  speechDir: string,
  decode: (file: string) => Promise<Float32Array>,
  detect: (samples: Float32Array) => Promise<SpeechRegion[]>,
): Promise<SyntheticSpeaker[]> {
  const speakers: SyntheticSpeaker[] = [];
  for (const name of names) {
    const parts: Float32Array[] = [];
    for (const file of SHARED_SPEAKERS[name]) parts.push(await decode(`${speechDir}/${file}`));
    const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      samples.set(part, at);
      at += part.length;
    }
    speakers.push({ name, samples, speech: await detect(samples) });
  }
  return speakers;
}
