import type { SummaryType } from '../../domain/transcription-request.js';
import { condenseToFit, textRoom } from '../llm/chunking.js';
import type { LlmClient } from '../llm/llm-client.js';

export type SummaryStyle = 'informative' | 'conversational' | 'catchy';

/** What each summary type asks for, and how many tokens its answer may take. */
const TYPES: Record<SummaryType, { ask: string; maxTokens: number }> = {
  bullets: {
    ask: 'Summarize it as 3 to 6 bullet points. Put each on its own line starting with "- ".',
    maxTokens: 400,
  },
  bullets_verbose: {
    ask: 'Summarize it as 6 to 12 detailed bullet points of one or two sentences each. Put each on its own line starting with "- ".',
    maxTokens: 1000,
  },
  gist: { ask: 'Give its gist in at most six words, with no final punctuation.', maxTokens: 30 },
  headline: { ask: 'Write a single-sentence headline for it.', maxTokens: 80 },
  paragraph: { ask: 'Summarize it as one paragraph of 3 to 5 sentences.', maxTokens: 400 },
};

const STYLES: Record<SummaryStyle, string> = {
  informative: 'Write in a neutral, factual tone.',
  conversational: 'Write in a warm, plain, conversational tone, as if telling a friend.',
  catchy: 'Write in a punchy, attention-grabbing tone.',
};

const SYSTEM =
  'You summarize transcripts of recorded speech. Use only what the transcript says; do not add facts. ' +
  'Answer with the summary alone: no preamble, no closing remarks.';

const NOTES_INSTRUCTIONS =
  'Write concise notes, as "- " bullet points, of everything important in this part: topics, facts, ' +
  'decisions, names and numbers. Answer with the notes alone.';

/**
 * An abstractive summary by the LLM. A transcript too long for one prompt is summarized by
 * map-reduce: each chunk becomes notes, and the summary is written from the notes.
 */
export async function llmSummary(
  llm: LlmClient,
  transcriptPassages: readonly string[],
  type: SummaryType,
  style: SummaryStyle,
  signal?: AbortSignal,
): Promise<string> {
  const { ask, maxTokens } = TYPES[type];
  const instructions = `${ask} ${STYLES[style]}`;
  const room = textRoom(llm, SYSTEM + instructions + 'Notes taken from a transcript, part by part:\n\n');
  const notesTokens = Math.max(128, Math.min(1024, Math.floor(room / 4)));
  const { text, rounds } = await condenseToFit(transcriptPassages, {
    llm,
    room,
    ...(signal && { signal }),
    condense: (chunk, { index, count }) =>
      llm.complete(
        [
          { role: 'system', content: SYSTEM },
          {
            role: 'user',
            content: `${NOTES_INSTRUCTIONS}\n\nPart ${index + 1} of ${count} of the transcript:\n\n${chunk}`,
          },
        ],
        { maxTokens: notesTokens, ...(signal && { signal }) },
      ),
  });
  const source = rounds === 0 ? 'Transcript:' : 'Notes taken from a transcript, part by part:';
  const answer = await llm.complete(
    [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `${instructions}\n\n${source}\n\n${text}` },
    ],
    { maxTokens, ...(signal && { signal }) },
  );
  return normalizeSummary(type, answer);
}

/**
 * Puts an LLM's answer in the shape the type promises: bullets as "- " lines whatever marker the
 * model chose ("*", "•", "1."), a gist or headline on one line without wrapping quotes.
 */
export function normalizeSummary(type: SummaryType, answer: string): string {
  const text = answer.trim();
  if (type === 'bullets' || type === 'bullets_verbose') {
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => `- ${line.replace(/^(?:[-*•–]|\d+[.)])\s*/, '')}`)
      .join('\n');
  }
  if (type === 'gist' || type === 'headline') {
    const line = text.replace(/\s+/g, ' ').replace(/^["“'](.*)["”']$/, '$1');
    return type === 'gist' ? line.replace(/[.!]+$/, '') : line;
  }
  return text;
}
