/**
 * Turns a recognizer's tokens into timed words. Pure functions: no I/O, no sherpa.
 *
 * Word boundaries:
 * - a token that starts with `▁` (sentencepiece) or whitespace (Whisper's byte-level BPE, and
 *   sherpa's CTC/transducer output, which turns `▁` into a space) starts a new word;
 * - each Han, Hiragana or Katakana character is a word of its own (Chinese and Japanese are written
 *   without spaces). Hangul is not: Korean separates words with spaces, which the tokens carry;
 * - punctuation joins the word before it, or the word after it for opening marks (`(`, `"`, `¿`);
 * - special tokens (`<unk>`, `<|en|>`, `<blk>`…) are dropped; runs of byte-fallback tokens
 *   (`<0xE4><0xBD><0xA0>`) are decoded as UTF-8 first.
 *
 * Times:
 * - start = the start of the word's first token;
 * - end = the end of its last token when the model reports token durations (TDT transducers,
 *   Whisper with cross-attention timestamps). Otherwise a token's end is unknown (CTC and most
 *   transducers report only where a token was emitted), and the word ends at whichever comes first:
 *   the next word's start, or the start of the next silent stretch of the audio after its last
 *   token (when the caller measured silences). A last word with neither ends at the audio's end,
 *   else one output frame after its last token;
 * - a token that holds several words (a multi-character CJK token) is shared among them in
 *   proportion to their characters.
 *
 * Confidence = exp(mean log-probability of the word's tokens) when the model reports them
 * (transducers). Otherwise see `UNREPORTED_CONFIDENCE`.
 */
import type { EngineWord } from './asr-engine.js';

/**
 * Confidence given to words when the model reports no probabilities (CTC, Whisper, Moonshine,
 * SenseVoice through sherpa). It is not a measurement: any constant would be equally uninformative,
 * and 1 is the one that makes no claim of doubt the engine never raised — clients that highlight or
 * drop low-confidence words leave these alone.
 */
export const UNREPORTED_CONFIDENCE = 1;

export interface Interval {
  /** Seconds. */
  start: number;
  end: number;
}

/** What a recognizer returned, in sherpa's terms. */
export interface TokenTimeline {
  /** The whole text; used when the tokens carry no timestamps. */
  text: string;
  tokens: readonly string[];
  /** Start of each token in seconds; ignored unless there is one per token. */
  timestamps?: readonly number[];
  /** Duration of each token in seconds; ignored unless there is one per token. */
  durations?: readonly number[];
  /** Natural-log probability of each token; ignored unless there is one per token. */
  logProbs?: readonly number[];
}

export interface WordTimingOptions {
  /** Seconds of one output frame of the model (feature shift × subsampling factor). */
  frameSeconds: number;
  /** Length of the audio in seconds; no word ends after it. */
  audioSeconds?: number;
  /** Silent stretches of the audio in seconds, sorted; they end words whose tokens have no duration. */
  silences?: readonly Interval[];
  /**
   * Where speech is, for models that give no timestamps at all (Whisper without attention outputs,
   * Moonshine): the words are spread over it in proportion to their length. These times are
   * estimates. @defaultValue [0, audioSeconds]
   */
  voicedSpan?: Interval;
  /** Confidence when the model reports no probabilities. @defaultValue UNREPORTED_CONFIDENCE */
  fallbackConfidence?: number;
}

/** One character of output, tied to the piece it came from. */
interface Atom {
  char: string;
  piece: number;
  /** Index among the visible characters of its piece, and their count. */
  index: number;
  count: number;
}

/** A run of tokens that reads as one unit: one token, or a run of byte-fallback tokens. */
interface Piece {
  text: string;
  firstToken: number;
  lastToken: number;
}

interface WordAtoms {
  text: string;
  atoms: Atom[];
}

const SPECIAL_TOKEN = /^<\|.*\|>$|^<\/?[A-Za-z_/-]+>$/;
const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;
const WORD_MARK = /[\s\u2581]/u;
/** Characters written without spaces between words: each is a word. */
const OWN_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const PUNCTUATION_ONLY = /^[\p{P}\p{S}]+$/u;
const OPENING = /^[\p{Ps}\p{Pi}¿¡]/u;

/**
 * Timed words from a recognizer's tokens. Without usable timestamps the words come from `text`
 * and their times are estimated over `voicedSpan`.
 */
export function tokensToWords(timeline: TokenTimeline, options: WordTimingOptions): EngineWord[] {
  const n = timeline.tokens.length;
  const timestamps = perToken(timeline.timestamps, n);
  const fallbackConfidence = options.fallbackConfidence ?? UNREPORTED_CONFIDENCE;
  if (!timestamps || n === 0) {
    const span = options.voicedSpan ?? { start: 0, end: options.audioSeconds ?? 0 };
    return spreadWordsOverSpan(splitTextIntoWords(timeline.text), span, fallbackConfidence);
  }
  const durations = perToken(timeline.durations, n);
  const logProbs = perToken(timeline.logProbs, n);

  const pieces = toPieces(timeline.tokens);
  const words = groupAtoms(pieces);
  const pieceStart = (p: number): number => timestamps[pieces[p]?.firstToken ?? 0] ?? 0;
  /** End of a piece when the model says where it ends. */
  const knownEnd = (p: number): number | undefined => {
    const last = pieces[p]?.lastToken ?? 0;
    const duration = durations?.[last];
    return duration !== undefined && duration > 0 ? (timestamps[last] ?? 0) + duration : undefined;
  };
  /** Span used to share a piece among the words it holds. */
  const pieceEnd = (p: number): number =>
    knownEnd(p) ??
    (p + 1 < pieces.length ? pieceStart(p + 1) : unknownEnd(pieceStart(p), undefined, options));
  const atomTime = (atom: Atom, edge: 0 | 1): number => {
    const start = pieceStart(atom.piece);
    return start + ((atom.index + edge) / atom.count) * (pieceEnd(atom.piece) - start);
  };

  const starts = words.map((w) => atomTime(firstOf(w.atoms), 0));
  return words.map((word, i) => {
    const start = starts[i] ?? 0;
    const nextStart = starts[i + 1];
    const lastAtom = lastOf(word.atoms);
    let end: number;
    if (lastAtom.index < lastAtom.count - 1) {
      // The piece goes on into the next word: its share is all we know.
      end = atomTime(lastAtom, 1);
    } else {
      end = knownEnd(lastAtom.piece) ?? unknownEnd(pieceStart(lastAtom.piece), nextStart, options);
    }
    if (nextStart !== undefined) end = Math.min(end, nextStart);
    if (options.audioSeconds !== undefined) end = Math.min(end, options.audioSeconds);
    end = Math.max(end, start);
    return {
      text: word.text,
      start,
      end,
      confidence: wordConfidence(word.atoms, pieces, logProbs, fallbackConfidence),
    };
  });
}

/** Words of a plain text, by the same rules as tokens (spaces, CJK characters, punctuation). */
export function splitTextIntoWords(text: string): string[] {
  return groupAtoms([{ text, firstToken: 0, lastToken: 0 }]).map((w) => w.text);
}

/**
 * Estimated times for words whose model gave none: the words are laid end to end over `span`, each
 * taking a share proportional to its number of characters. Only an estimate — nothing in the model
 * output says where a word is — but it keeps words inside the speech and in order.
 */
export function spreadWordsOverSpan(
  words: readonly string[],
  span: Interval,
  confidence: number = UNREPORTED_CONFIDENCE,
): EngineWord[] {
  const lengths = words.map((w) => Math.max(1, [...w].length));
  const total = lengths.reduce((a, b) => a + b, 0);
  const duration = Math.max(0, span.end - span.start);
  let consumed = 0;
  return words.map((text, i) => {
    const start = span.start + (consumed / total) * duration;
    consumed += lengths[i] ?? 1;
    return { text, start, end: span.start + (consumed / total) * duration, confidence };
  });
}

function unknownEnd(
  lastTokenStart: number,
  nextStart: number | undefined,
  options: WordTimingOptions,
): number {
  let end = nextStart ?? options.audioSeconds ?? lastTokenStart + options.frameSeconds;
  for (const silence of options.silences ?? []) {
    if (silence.start > lastTokenStart) {
      end = Math.min(end, silence.start);
      break;
    }
  }
  return end;
}

function wordConfidence(
  atoms: readonly Atom[],
  pieces: readonly Piece[],
  logProbs: readonly number[] | undefined,
  fallback: number,
): number {
  if (!logProbs) return fallback;
  const tokens = new Set<number>();
  for (const atom of atoms) {
    const piece = pieces[atom.piece];
    if (!piece) continue;
    for (let t = piece.firstToken; t <= piece.lastToken; t++) tokens.add(t);
  }
  let sum = 0;
  for (const t of tokens) sum += logProbs[t] ?? 0;
  const confidence = Math.exp(sum / Math.max(1, tokens.size));
  return Math.min(1, Math.max(0, confidence));
}

function perToken(values: readonly number[] | undefined, n: number): readonly number[] | undefined {
  return values && values.length === n && values.every(Number.isFinite) ? values : undefined;
}

/** Drops special tokens and decodes runs of byte-fallback tokens into text. */
function toPieces(tokens: readonly string[]): Piece[] {
  const pieces: Piece[] = [];
  let bytes: number[] = [];
  let bytesFrom = -1;
  const flushBytes = (last: number): void => {
    if (bytes.length === 0) return;
    const text = new TextDecoder('utf-8').decode(new Uint8Array(bytes));
    pieces.push({ text, firstToken: bytesFrom, lastToken: last });
    bytes = [];
  };
  tokens.forEach((token, i) => {
    const byte = BYTE_TOKEN.exec(token);
    if (byte) {
      if (bytes.length === 0) bytesFrom = i;
      bytes.push(parseInt(byte[1] ?? '0', 16));
      return;
    }
    flushBytes(i - 1);
    if (SPECIAL_TOKEN.test(token)) return;
    pieces.push({ text: token, firstToken: i, lastToken: i });
  });
  flushBytes(tokens.length - 1);
  return pieces;
}

/** Splits pieces into characters and groups them into words. */
function groupAtoms(pieces: readonly Piece[]): WordAtoms[] {
  const words: Atom[][] = [];
  let current: Atom[] = [];
  const boundary = (): void => {
    if (current.length > 0) words.push(current);
    current = [];
  };
  pieces.forEach((piece, p) => {
    const chars = [...piece.text];
    const visible = chars.filter((c) => !WORD_MARK.test(c));
    let index = 0;
    for (const char of chars) {
      if (WORD_MARK.test(char)) {
        boundary();
        continue;
      }
      const atom: Atom = { char, piece: p, index: index++, count: visible.length };
      if (OWN_WORD.test(char)) {
        boundary();
        current.push(atom);
        boundary();
      } else {
        current.push(atom);
      }
    }
  });
  boundary();
  return attachPunctuation(words).map((atoms) => ({ text: atoms.map((a) => a.char).join(''), atoms }));
}

/** Joins punctuation-only words to a neighbour: opening marks to the next word, others to the previous. */
function attachPunctuation(words: Atom[][]): Atom[][] {
  const out: Atom[][] = [];
  let pendingOpening: Atom[] = [];
  for (const atoms of words) {
    const text = atoms.map((a) => a.char).join('');
    if (PUNCTUATION_ONLY.test(text)) {
      const previous = out[out.length - 1];
      if (OPENING.test(text) || !previous) {
        pendingOpening.push(...atoms);
      } else {
        previous.push(...atoms);
      }
      continue;
    }
    out.push([...pendingOpening, ...atoms]);
    pendingOpening = [];
  }
  if (pendingOpening.length > 0) {
    const previous = out[out.length - 1];
    if (previous) previous.push(...pendingOpening);
    else out.push(pendingOpening);
  }
  return out;
}

function firstOf<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('empty word');
  return item;
}

function lastOf<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('empty word');
  return item;
}
