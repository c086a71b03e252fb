import type { ChatMessage } from '../llm/llm-client.js';
import type { Passage, Retrieval } from '../retrieval/index.js';

/**
 * The prompt of a chat over a transcript: one system message with the instructions and the
 * transcript passages, each line labelled with its time (`[00:01:23]`) so the model can cite
 * them, then the caller's conversation as it is.
 */

/** `83_456` → `00:01:23` (hours keep counting past 99): the citation label of a time. */
export function formatTimestamp(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

/**
 * A passage as the model reads it. Timed lines carry their start time and speaker
 * (`[00:01:23] SPEAKER_1: …`); plain text, which has no times, is labelled by passage number
 * (`[passage 3]`, from 1) so answers can still point at their source.
 */
export function renderPassage(passage: Passage): string {
  if (passage.startMs === null) return `[passage ${passage.index + 1}] ${passage.text}`;
  return passage.lines
    .map((line) => {
      const who = line.speaker !== undefined ? `${line.speaker}: ` : '';
      return `[${formatTimestamp(line.startMs ?? passage.startMs!)}] ${who}${line.text}`;
    })
    .join('\n');
}

const SCOPE: Record<Retrieval['mode'], string> = {
  full: 'Below is the complete transcript.',
  retrieved:
    'The transcript is too long to show whole: below are the passages most relevant to the conversation, in transcript order. Other parts of the transcript are not shown; gaps between passages are marked with "…".',
  sampled:
    'The transcript is too long to show whole: below are passages spread evenly over it, in transcript order. Other parts of the transcript are not shown; gaps between passages are marked with "…".',
};

/**
 * The system message. `timed` says whether the passages carry times; the citation instruction
 * names the label form the model actually sees.
 */
export function systemPrompt(retrieval: Retrieval, timed: boolean): string {
  const cite = timed
    ? 'After each statement, cite the transcript line(s) it rests on by their timestamp in square brackets exactly as shown, for example [00:01:23].'
    : 'After each statement, cite the passage(s) it rests on by their label in square brackets exactly as shown, for example [passage 3].';
  return [
    'You answer questions about a recorded conversation, using only its transcript below.',
    cite,
    'If the transcript does not contain the answer, say so plainly; never invent what was said.',
    SCOPE[retrieval.mode],
    '',
    'TRANSCRIPT',
    transcriptBlock(retrieval),
    'END OF TRANSCRIPT',
  ].join('\n');
}

/** The chosen passages, with "…" wherever passages in between were left out. */
function transcriptBlock(retrieval: Retrieval): string {
  const parts: string[] = [];
  let previous: number | undefined;
  for (const passage of retrieval.passages) {
    const skipped = previous === undefined ? passage.index > 0 : passage.index > previous + 1;
    if (skipped && retrieval.mode !== 'full') parts.push('…');
    parts.push(renderPassage(passage));
    previous = passage.index;
  }
  return parts.join('\n\n');
}

/** The messages sent to the model: the system message, then the caller's conversation. */
export function buildChatMessages(
  retrieval: Retrieval,
  timed: boolean,
  conversation: readonly ChatMessage[],
): ChatMessage[] {
  return [{ role: 'system', content: systemPrompt(retrieval, timed) }, ...conversation];
}
