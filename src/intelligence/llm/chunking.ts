import { EarshotError } from '../../domain/errors.js';
import type { LlmClient } from './llm-client.js';

/**
 * Fitting long transcripts into a model's context window: pack passages into chunks that fit, and
 * when the whole does not fit, condense it chunk by chunk (the "map" of map-reduce) until it does.
 */

/** Separator between passages inside a chunk; also what `condenseToFit` joins its result with. */
export const PASSAGE_SEPARATOR = '\n\n';

/**
 * Share of the context kept free of prompt text: `countTokens` is an estimate (about four
 * characters a token), and languages other than English often need more tokens than it says.
 */
const ESTIMATE_MARGIN = 0.1;

/**
 * Tokens left for transcript text in one prompt, after the instructions around it (`overhead`,
 * the prompt's own text) and a margin for the estimate's error.
 */
export function textRoom(llm: Pick<LlmClient, 'contextTokens' | 'countTokens'>, overhead: string): number {
  const room = Math.floor(llm.contextTokens * (1 - ESTIMATE_MARGIN)) - llm.countTokens(overhead);
  if (room < 64) {
    throw new EarshotError(
      'badRequest',
      `the LLM context (${llm.contextTokens} tokens, EARSHOT_LLM_CONTEXT_TOKENS) is too small for this prompt`,
    );
  }
  return room;
}

/**
 * Packs passages, in order, into as few chunks as possible of at most `maxTokens` each. A passage
 * longer than that on its own is cut between words.
 */
export function packChunks(
  passages: readonly string[],
  maxTokens: number,
  countTokens: (text: string) => number,
): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const passage of passages.flatMap((p) => splitLongPassage(p, maxTokens, countTokens))) {
    const joined = current === '' ? passage : current + PASSAGE_SEPARATOR + passage;
    if (current !== '' && countTokens(joined) > maxTokens) {
      chunks.push(current);
      current = passage;
    } else {
      current = joined;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/** Cuts a passage between words into pieces of at most `maxTokens` (a word is never split). */
function splitLongPassage(
  passage: string,
  maxTokens: number,
  countTokens: (text: string) => number,
): string[] {
  if (countTokens(passage) <= maxTokens) return [passage];
  const pieces: string[] = [];
  let current = '';
  for (const word of passage.split(/\s+/)) {
    const joined = current === '' ? word : `${current} ${word}`;
    if (current !== '' && countTokens(joined) > maxTokens) {
      pieces.push(current);
      current = word;
    } else {
      current = joined;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

export interface ChunkInfo {
  /** 0-based position of the chunk in this round. */
  index: number;
  count: number;
  /** 0 for chunks of the transcript itself, then 1, 2, … for chunks of earlier results. */
  round: number;
}

export interface CondenseOptions {
  llm: Pick<LlmClient, 'contextTokens' | 'countTokens'>;
  /** Tokens the final prompt may spend on this text (see `textRoom`). */
  room: number;
  /** Reduces one chunk to a shorter text (notes, a partial answer); may return '' to drop it. */
  condense: (chunk: string, info: ChunkInfo) => Promise<string>;
  signal?: AbortSignal;
  /** @defaultValue 4 */
  maxRounds?: number;
}

export interface Condensed {
  /** The passages, or what condensing left of them, joined: fits in `room`. */
  text: string;
  /** How many condensing rounds ran; 0 when the passages fitted as they were. */
  rounds: number;
}

/**
 * Joins the passages when they fit in `room`; otherwise condenses them chunk by chunk, and the
 * results again if needed, until the text fits. Chunks are done one after another, not in
 * parallel: a self-hosted model serves one request at a time anyway, and the job's token budget
 * then stops the work at the first refusal.
 */
export async function condenseToFit(
  passages: readonly string[],
  options: CondenseOptions,
): Promise<Condensed> {
  const { llm, room, condense, signal } = options;
  const maxRounds = options.maxRounds ?? 4;
  let pieces = passages.filter((p) => p.trim() !== '');
  for (let round = 0; ; round++) {
    const text = pieces.join(PASSAGE_SEPARATOR);
    if (llm.countTokens(text) <= room) return { text, rounds: round };
    if (round === maxRounds) {
      throw new EarshotError(
        'internal',
        `the transcript could not be condensed to fit the LLM context in ${maxRounds} rounds`,
      );
    }
    const chunks = packChunks(pieces, room, llm.countTokens.bind(llm));
    const condensed: string[] = [];
    for (const [index, chunk] of chunks.entries()) {
      signal?.throwIfAborted();
      const result = (await condense(chunk, { index, count: chunks.length, round })).trim();
      if (result !== '') condensed.push(result);
    }
    // A model that answers with more than it was given would loop forever; stop instead.
    if (llm.countTokens(condensed.join(PASSAGE_SEPARATOR)) >= llm.countTokens(text)) {
      throw new EarshotError('internal', 'the LLM did not shorten the transcript when asked to condense it');
    }
    pieces = condensed;
  }
}
