import type { SummaryType } from '../../domain/transcription-request.js';
import type { Sentence } from '../../text/sentences.js';
import { gistOf } from './gist.js';
import { analyseSentences } from './sentence-vectors.js';
import { pickCentral, textRank } from './textrank.js';
import { tidySentence } from './tidy.js';

/** A headline longer than this is cut at a clause boundary. */
const HEADLINE_MAX_WORDS = 25;

/**
 * How many sentences a summary of `type` takes from a transcript of `n` sentences: about one in
 * fifteen (one in eight for verbose bullets), within bounds that keep it a summary.
 */
export function sentenceBudget(type: SummaryType, n: number): number {
  const clamp = (x: number, lo: number, hi: number) => Math.min(n, Math.max(lo, Math.min(hi, x)));
  switch (type) {
    case 'headline':
    case 'gist':
      return Math.min(n, 1);
    case 'bullets':
    case 'paragraph':
      return clamp(Math.round(n / 15), 3, 5);
    case 'bullets_verbose':
      return clamp(Math.round(n / 8), 5, 10);
  }
}

/**
 * An extractive summary: the most central sentences by TextRank, in the order they were said.
 * `bullets` give one "- " line each, `paragraph` joins them, `headline` is the single most central
 * sentence, and `gist` the transcript's best key phrase. Empty when there are no sentences.
 */
export function extractiveSummary(sentences: readonly Sentence[], type: SummaryType): string {
  if (sentences.length === 0) return '';
  if (type === 'gist') return gistOf(sentences.map((s) => s.text).join('. '));
  const analysed = analyseSentences(sentences);
  const scores = textRank(analysed.vectors);
  const picked = pickCentral(
    scores,
    analysed.vectors,
    analysed.stems.map((s) => s.length),
    sentenceBudget(type, sentences.length),
  );
  if (type === 'headline') return tidySentence(sentences[picked[0]!]!.text, { maxWords: HEADLINE_MAX_WORDS });
  const lines = picked.sort((a, b) => a - b).map((i) => tidySentence(sentences[i]!.text));
  return type === 'paragraph' ? lines.join(' ') : lines.map((line) => `- ${line}`).join('\n');
}
