import { splitSentences, type Sentence } from '../../text/sentences.js';
import type { Addon } from '../addon.js';
import { speakerName } from '../llm/transcript-passages.js';
import type { Chapter } from '../results.js';
import { analyseSentences } from '../summary/sentence-vectors.js';
import { describeChapters, type ChapterSpan } from './extractive.chapters.js';
import { llmChapterText } from './llm.chapters.js';
import { textTile } from './text-tiling.js';

/**
 * AssemblyAI's `auto_chapters`: chapters found by TextTiling, described extractively, or by the LLM
 * when one is configured. If the LLM fails on a chapter, the rest keep their extractive text — a
 * chapter is never lost because its description could not be written.
 */
export const chaptersAddon: Addon<'chapters'> = {
  name: 'chapters',
  wanted: (request) => request.chapters === true,
  async run({ transcript, llm, signal, log }) {
    const sentences = splitSentences(transcript.words);
    if (sentences.length === 0) return [];
    const analysed = analyseSentences(sentences);
    const spans = chapterSpans(
      textTile(sentences.map((s, i) => ({ terms: analysed.stems[i]!, startMs: s.startMs, endMs: s.endMs }))),
      sentences.length,
    );
    const chapters = describeChapters(analysed, spans);
    if (!llm) return chapters;
    const described: Chapter[] = [];
    for (const [i, chapter] of chapters.entries()) {
      const span = spans[i]!;
      try {
        const text = await llmChapterText(llm, passagesOf(sentences.slice(span.first, span.end)), signal);
        described.push({ ...chapter, ...text });
      } catch (error) {
        signal.throwIfAborted();
        log.warn({ err: error, chapter: i }, 'LLM chapter description failed; keeping the extractive one');
        described.push(chapter);
      }
    }
    return described;
  },
};

/** Boundaries (sentence indexes where chapters start) to `[first, end)` spans covering all. */
function chapterSpans(boundaries: readonly number[], sentenceCount: number): ChapterSpan[] {
  const starts = [0, ...boundaries];
  return starts.map((first, i) => ({ first, end: starts[i + 1] ?? sentenceCount }));
}

/** The chapter's sentences as LLM passages, labelled with the speaker wherever the speaker changes. */
function passagesOf(sentences: readonly Sentence[]): string[] {
  return sentences.map((s, i) =>
    s.speaker !== undefined && s.speaker !== sentences[i - 1]?.speaker
      ? `${speakerName(s.speaker)}: ${s.text}`
      : s.text,
  );
}
