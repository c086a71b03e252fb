import { deflateSync } from 'node:zlib';
import type { Word } from '../../../domain/transcript.js';

/** Confidence floor, so a word scored 0 gives a large but finite log probability. */
const MIN_CONFIDENCE = 1e-6;

/**
 * Whisper's `avg_logprob` is the mean log probability of a segment's tokens. Our engines give each
 * word a confidence in [0, 1]; the mean of their natural logs is the same measure at word level
 * (0 for certain words, below -1 for doubtful ones, which is where Whisper clients start to distrust
 * a segment). No words: 0.
 */
export function averageLogProbability(words: readonly Pick<Word, 'confidence'>[]): number {
  if (words.length === 0) return 0;
  const sum = words.reduce((total, w) => total + Math.log(Math.max(MIN_CONFIDENCE, w.confidence)), 0);
  return sum / words.length;
}

/**
 * Whisper's `compression_ratio`: the UTF-8 text's length over its zlib-compressed length (as
 * Python's `zlib.compress` at the default level). Above 2.4 Whisper treats a segment as repetitive.
 * Empty text: 0, as Whisper computes it.
 */
export function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length / deflateSync(bytes).length;
}
