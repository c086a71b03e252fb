import type { Word } from '../../domain/transcript.js';
import { splitSentences } from '../../text/sentences.js';
import type { TopicLabel, TopicsResult } from '../results.js';
import {
  iabTopicIndex,
  matchKeywords,
  topicTokens,
  type IndexedKeyword,
  type TopicIndex,
} from './topic-index.js';

export interface TopicOptions {
  /**
   * A segment takes no further sentence once it has this many words.
   * @defaultValue 120
   */
  maxSegmentWords?: number;
  /**
   * A silence this long (ms) ends a segment that already has `minSegmentWords` words.
   * @defaultValue 3000
   */
  pauseMs?: number;
  /** @defaultValue 40 */
  minSegmentWords?: number;
  /**
   * Labels below this relevance are left out of a segment.
   * @defaultValue 0.1
   */
  minRelevance?: number;
  /** @defaultValue 5 */
  maxLabelsPerSegment?: number;
  /**
   * Evidence at which a label's confidence reaches 1 − 1/e; one distinctive keyword is worth ~4.9.
   * @defaultValue 8
   */
  evidenceScale?: number;
}

export const TOPIC_DEFAULTS = {
  maxSegmentWords: 120,
  pauseMs: 3_000,
  minSegmentWords: 40,
  minRelevance: 0.1,
  maxLabelsPerSegment: 5,
  evidenceScale: 8,
} as const;

/**
 * AssemblyAI's `iab_categories`: IAB taxonomy labels per stretch of the transcript and for the
 * whole. A knowledge-light classifier: the transcript is cut into ~paragraph segments, each
 * segment's keyword matches are weighted TF-IDF style (sublinear count × inverse label frequency
 * × phrase length), and a label's evidence becomes a confidence 1 − e^(−evidence/scale), scaled
 * by its share of the segment's strongest label so the dominant topic leads.
 */
export function classifyTopics(
  words: readonly Word[],
  options: TopicOptions = {},
  index: TopicIndex = iabTopicIndex(),
): TopicsResult {
  const o = { ...TOPIC_DEFAULTS, ...options };
  const segments = segmentWords(words, o).map((segment) => ({
    text: segment.text,
    startMs: segment.startMs,
    endMs: segment.endMs,
    wordCount: segment.wordCount,
    labels: labelText(segment.text, index, o),
  }));
  return {
    segments: segments.map(({ wordCount: _, ...segment }) => segment),
    summary: summarize(segments),
  };
}

interface TextSegment {
  text: string;
  startMs: number;
  endMs: number;
  wordCount: number;
}

/** Consecutive sentences packed into segments of up to `maxSegmentWords`, cut early at long pauses. */
function segmentWords(words: readonly Word[], o: Required<TopicOptions>): TextSegment[] {
  const segments: TextSegment[] = [];
  let current: { texts: string[]; startMs: number; endMs: number; wordCount: number } | undefined;
  for (const sentence of splitSentences(words)) {
    if (sentence.text.trim() === '') continue;
    if (current !== undefined) {
      const full = current.wordCount >= o.maxSegmentWords;
      const paused = current.wordCount >= o.minSegmentWords && sentence.startMs - current.endMs >= o.pauseMs;
      if (full || paused) {
        segments.push(close(current));
        current = undefined;
      }
    }
    current ??= { texts: [], startMs: sentence.startMs, endMs: sentence.endMs, wordCount: 0 };
    current.texts.push(sentence.text);
    current.endMs = Math.max(current.endMs, sentence.endMs);
    current.wordCount += sentence.words.length;
  }
  if (current !== undefined) segments.push(close(current));
  return segments;
}

function close(s: { texts: string[]; startMs: number; endMs: number; wordCount: number }): TextSegment {
  return { text: s.texts.join(' '), startMs: s.startMs, endMs: s.endMs, wordCount: s.wordCount };
}

/** Labels of one piece of text, most relevant first. */
export function labelText(
  text: string,
  index: TopicIndex = iabTopicIndex(),
  options: TopicOptions = {},
): TopicLabel[] {
  const o = { ...TOPIC_DEFAULTS, ...options };
  const counts = new Map<IndexedKeyword, number>();
  for (const keyword of matchKeywords(index, topicTokens(text)))
    counts.set(keyword, (counts.get(keyword) ?? 0) + 1);
  const evidence = new Map<number, number>();
  for (const [keyword, count] of counts) {
    const weight = (1 + Math.log(count)) * keyword.idf * keyword.keys.length;
    for (const label of keyword.labels) evidence.set(label, (evidence.get(label) ?? 0) + weight);
  }
  const strongest = Math.max(0, ...evidence.values());
  if (strongest === 0) return [];
  const labels: TopicLabel[] = [];
  for (const [label, e] of evidence) {
    const confidence = 1 - Math.exp(-e / o.evidenceScale);
    const relevance = confidence * (e / strongest);
    if (relevance >= o.minRelevance) labels.push({ label: index.labels[label]!, relevance });
  }
  labels.sort((a, b) => b.relevance - a.relevance || (a.label < b.label ? -1 : 1));
  return labels.slice(0, o.maxLabelsPerSegment);
}

/**
 * Relevance of each label over the whole transcript: its segment relevances averaged with each
 * segment weighted by its number of words, highest first.
 */
function summarize(segments: readonly { wordCount: number; labels: TopicLabel[] }[]): Record<string, number> {
  const totalWords = segments.reduce((sum, s) => sum + s.wordCount, 0);
  const totals = new Map<string, number>();
  for (const segment of segments)
    for (const { label, relevance } of segment.labels)
      totals.set(label, (totals.get(label) ?? 0) + (relevance * segment.wordCount) / totalWords);
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}
