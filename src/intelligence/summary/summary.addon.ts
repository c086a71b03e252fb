import { splitSentences } from '../../text/sentences.js';
import type { Addon } from '../addon.js';
import { transcriptPassages } from '../llm/transcript-passages.js';
import { extractiveSummary } from './extractive.summary.js';
import { llmSummary } from './llm.summary.js';

/**
 * AssemblyAI's `summarization`: written by the LLM when one is configured, otherwise picked from
 * the transcript by TextRank. When the LLM fails (unreachable, out of budget) the extractive
 * summary is returned instead — `method` says which one the caller got.
 */
export const summaryAddon: Addon<'summary'> = {
  name: 'summary',
  wanted: (request) => request.summary !== undefined,
  async run({ transcript, request, llm, signal, log }) {
    const type = request.summary?.type ?? 'bullets';
    const style = request.summary?.style ?? 'informative';
    const passages = transcriptPassages(transcript);
    if (llm && passages.length > 0) {
      try {
        return { type, text: await llmSummary(llm, passages, type, style, signal), method: 'llm' };
      } catch (error) {
        signal.throwIfAborted();
        log.warn({ err: error }, 'LLM summary failed; falling back to the extractive summary');
      }
    }
    return { type, text: extractiveSummary(splitSentences(transcript.words), type), method: 'extractive' };
  },
};
