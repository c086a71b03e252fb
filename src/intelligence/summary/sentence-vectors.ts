import type { Sentence } from '../../text/sentences.js';
import { contentStems } from './terms.js';
import { tfIdfVectors, type TermVector } from './textrank.js';

/** Sentences with what the extractive methods compare them by. */
export interface AnalysedSentences {
  sentences: readonly Sentence[];
  /** Content stems of each sentence, in order. */
  stems: string[][];
  /** TF-IDF vector of each sentence, IDF taken over all of them. */
  vectors: TermVector[];
}

export function analyseSentences(sentences: readonly Sentence[]): AnalysedSentences {
  const stems = sentences.map((s) => contentStems(s.text));
  return { sentences, stems, vectors: tfIdfVectors(stems) };
}
