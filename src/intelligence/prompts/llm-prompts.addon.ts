import type { Addon } from '../addon.js';
import { condenseToFit, textRoom } from '../llm/chunking.js';
import type { LlmClient } from '../llm/llm-client.js';
import { requireLlm } from '../llm/require-llm.js';
import { transcriptPassages } from '../llm/transcript-passages.js';
import type { PromptAnswer } from '../results.js';

/** Most tokens one answer may take. */
const ANSWER_TOKENS = 1024;
/** Most tokens the notes taken from one chunk may take. */
const NOTES_TOKENS = 512;
/** What the model answers for a chunk with nothing relevant; such chunks are dropped. */
const NOTHING = 'NONE';

const SYSTEM =
  'You answer questions and follow instructions about a transcript of recorded speech. Base your answer ' +
  'only on the transcript; if it does not contain what is asked, say so.';

/**
 * Gladia's `audio_to_llm`: each prompt is answered over the whole transcript by the LLM, one prompt
 * after another. A transcript too long for one prompt is read chunk by chunk, keeping notes of what
 * is relevant to the prompt, and the answer is written from the notes.
 */
export const llmPromptsAddon: Addon<'llmPrompts'> = {
  name: 'llmPrompts',
  wanted: (request) => (request.llmPrompts?.length ?? 0) > 0,
  async run({ transcript, request, llm, signal }) {
    const client = requireLlm(llm, 'Answering prompts over the transcript (audio_to_llm)');
    const passages = transcriptPassages(transcript);
    const answers: PromptAnswer[] = [];
    for (const prompt of request.llmPrompts ?? []) {
      answers.push({ prompt, answer: await answerPrompt(client, passages, prompt, signal) });
    }
    return answers;
  },
};

export async function answerPrompt(
  llm: LlmClient,
  passages: readonly string[],
  prompt: string,
  signal?: AbortSignal,
): Promise<string> {
  const room = textRoom(llm, SYSTEM + notesInstructions(prompt, 1, 1, 0) + finalWithNotes(prompt, ''));
  const { text, rounds } = await condenseToFit(passages, {
    llm,
    room,
    ...(signal && { signal }),
    condense: async (chunk, { index, count, round }) => {
      const notes = await llm.complete(
        [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `${notesInstructions(prompt, index, count, round)}\n\n${chunk}` },
        ],
        { maxTokens: NOTES_TOKENS, ...(signal && { signal }) },
      );
      return notes.trim().replace(/[.!]$/, '').toUpperCase() === NOTHING ? '' : notes;
    },
  });
  const question =
    rounds === 0
      ? `Transcript:\n\n${text}\n\nInstruction: ${prompt}`
      : finalWithNotes(prompt, text === '' ? '(nothing relevant was found)' : text);
  const answer = await llm.complete(
    [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: question },
    ],
    { maxTokens: ANSWER_TOKENS, ...(signal && { signal }) },
  );
  return answer.trim();
}

function notesInstructions(prompt: string, index: number, count: number, round: number): string {
  const what =
    round === 0 ? `part ${index + 1} of ${count} of a transcript` : `notes taken from a transcript`;
  return (
    `Below is ${what}. Write concise notes of everything in it that is relevant to the instruction ` +
    `"${prompt}", keeping names, numbers and quotes exact. If nothing is relevant, answer exactly ${NOTHING}.`
  );
}

function finalWithNotes(prompt: string, notes: string): string {
  return (
    `Notes relevant to the instruction, taken from each part of a long transcript:\n\n${notes}\n\n` +
    `Using these notes as the transcript's content, respond to the instruction.\n\nInstruction: ${prompt}`
  );
}
