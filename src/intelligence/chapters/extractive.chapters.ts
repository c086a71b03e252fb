import type { Sentence } from '../../text/sentences.js';
import type { Chapter } from '../results.js';
import { gistOf } from '../summary/gist.js';
import type { AnalysedSentences } from '../summary/sentence-vectors.js';
import { pickCentral, textRank } from '../summary/textrank.js';
import { tidySentence } from '../summary/tidy.js';

/** A chapter's headline is cut at a clause boundary past this many words. */
const HEADLINE_MAX_WORDS = 25;

/** A chapter as the sentence range `[first, end)` of the transcript's sentences. */
export interface ChapterSpan {
  first: number;
  end: number;
}

/**
 * Chapters described from their own sentences: the headline is the chapter's most central
 * sentence by TextRank, the summary its two or three most central ones in spoken order, and the
 * gist its best key phrase, weighed by how particular each term is to this chapter (TF-IDF with the
 * chapters as documents) so that a word said throughout the talk does not name every chapter.
 */
export function describeChapters(analysed: AnalysedSentences, spans: readonly ChapterSpan[]): Chapter[] {
  const chapterTerms = spans.map(({ first, end }) => analysed.stems.slice(first, end).flat());
  const documentFrequency = new Map<string, number>();
  for (const terms of chapterTerms) {
    for (const term of new Set(terms)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  return spans.map(({ first, end }, c) => {
    const sentences = analysed.sentences.slice(first, end);
    const vectors = analysed.vectors.slice(first, end);
    const termCounts = analysed.stems.slice(first, end).map((s) => s.length);
    const best = pickCentral(textRank(vectors), vectors, termCounts, summaryLength(sentences.length));
    const frequency = new Map<string, number>();
    for (const term of chapterTerms[c]!) frequency.set(term, (frequency.get(term) ?? 0) + 1);
    const idf = (term: string) => Math.log(1 + spans.length / (documentFrequency.get(term) ?? 1));
    return {
      startMs: sentences[0]!.startMs,
      endMs: sentences.at(-1)!.endMs,
      gist: gistOf(joinSentences(sentences), (term) => (frequency.get(term) ?? 0) * idf(term)),
      headline: tidySentence(sentences[best[0]!]!.text, { maxWords: HEADLINE_MAX_WORDS }),
      summary: [...best]
        .sort((a, b) => a - b)
        .map((i) => tidySentence(sentences[i]!.text))
        .join(' '),
    };
  });
}

/** Two sentences for a short chapter, three for a longer one. */
function summaryLength(sentenceCount: number): number {
  return Math.min(sentenceCount, sentenceCount >= 12 ? 3 : 2);
}

/** Sentences joined so that each one ends a phrase (see `gistOf`), even without punctuation. */
export function joinSentences(sentences: readonly Sentence[]): string {
  return sentences.map((s) => s.text).join(' . ');
}
