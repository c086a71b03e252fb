import { z } from 'zod';
import { condenseToFit, textRoom } from '../llm/chunking.js';
import type { LlmClient } from '../llm/llm-client.js';

/** What the LLM writes for one chapter. */
export const chapterTextSchema = z.object({
  gist: z.string().min(1),
  headline: z.string().min(1),
  summary: z.string().min(1),
});
export type ChapterText = z.infer<typeof chapterTextSchema>;

const SYSTEM =
  'You describe one chapter of a transcript of recorded speech. Use only what the text says. ' +
  'Answer with JSON only: {"gist": string, "headline": string, "summary": string}, where gist is ' +
  'three to six words naming the topic, headline is one sentence, and summary is a paragraph of ' +
  'two to four sentences.';

const NOTES =
  'Write concise notes, as "- " bullet points, of everything important in this part of a chapter. ' +
  'Answer with the notes alone.';

/**
 * Gist, headline and summary of one chapter by the LLM, in one JSON call; a chapter too long for the
 * context is first condensed to notes chunk by chunk.
 */
export async function llmChapterText(
  llm: LlmClient,
  passages: readonly string[],
  signal?: AbortSignal,
): Promise<ChapterText> {
  const room = textRoom(llm, SYSTEM + 'Notes taken from the chapter, part by part:\n\n');
  const { text, rounds } = await condenseToFit(passages, {
    llm,
    room,
    ...(signal && { signal }),
    condense: (chunk, { index, count }) =>
      llm.complete([{ role: 'user', content: `${NOTES}\n\nPart ${index + 1} of ${count}:\n\n${chunk}` }], {
        maxTokens: Math.max(128, Math.min(1024, Math.floor(room / 4))),
        ...(signal && { signal }),
      }),
  });
  const source = rounds === 0 ? 'Chapter text:' : 'Notes taken from the chapter, part by part:';
  const answer = await llm.completeJson(
    [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `${source}\n\n${text}` },
    ],
    chapterTextSchema,
    { maxTokens: 500, ...(signal && { signal }) },
  );
  return {
    gist: answer.gist.trim().replace(/[.!]+$/, ''),
    headline: answer.headline.trim(),
    summary: answer.summary.trim(),
  };
}
