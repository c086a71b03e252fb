import { EarshotError, isEarshotError } from '../../domain/errors.js';
import type { ChatMessage, CompletionUsage, LlmClient } from '../llm/llm-client.js';
import { buildPassages, retrievePassages, type Retrieval, type TranscriptLine } from '../retrieval/index.js';
import { buildChatMessages, renderPassage, systemPrompt } from './chat-prompt.js';

/** Earlier user turns searched after the question itself, for follow-ups that lean on them. */
const CONTEXT_TURNS = 2;
/** Tokens each message costs beyond its text (role, separators), as chat templates add them. */
const MESSAGE_OVERHEAD_TOKENS = 4;

export interface TranscriptChatInput {
  /** The transcript, in order: timed segments, or sentences of plain text without times. */
  lines: readonly TranscriptLine[];
  /** The conversation so far (user and assistant turns), ending with the user's question. */
  conversation: readonly ChatMessage[];
  maxTokens: number;
  temperature: number;
  signal?: AbortSignal;
}

export interface TranscriptChatAnswer {
  /** The model's answer as it wrote it, citations included. */
  content: string;
  model: string;
  usage: CompletionUsage;
  /** How the transcript was shown to the model (see `Retrieval`). */
  context: { mode: Retrieval['mode']; passages: number; totalPassages: number };
}

/**
 * Answers the last user message about a transcript. The whole transcript is sent when it fits the
 * model's context next to the conversation and the answer; otherwise the passages that match the
 * question best (BM25), so a long recording is searched rather than cut off.
 */
export async function chatOverTranscript(
  llm: LlmClient,
  input: TranscriptChatInput,
): Promise<TranscriptChatAnswer> {
  const passages = buildPassages(input.lines);
  const timed = passages.some((p) => p.startMs !== null);
  const overhead =
    llm.countTokens(systemPrompt({ mode: 'retrieved', passages: [] }, timed)) +
    input.conversation.reduce((sum, m) => sum + llm.countTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0) +
    MESSAGE_OVERHEAD_TOKENS;
  const budgetTokens = llm.contextTokens - input.maxTokens - overhead;
  if (budgetTokens <= 0) {
    throw new EarshotError(
      'badRequest',
      `messages and max_tokens leave no room for the transcript in the model's context of ${llm.contextTokens} tokens (EARSHOT_LLM_CONTEXT_TOKENS): send fewer or shorter messages, or a smaller max_tokens`,
      { param: 'messages' },
    );
  }
  const userTurns = input.conversation.filter((m) => m.role === 'user').map((m) => m.content);
  const queries = userTurns.slice(-1 - CONTEXT_TURNS).reverse();
  const retrieval = retrievePassages(passages, {
    queries,
    budgetTokens,
    // Passages are separated by a blank line (and "…" where some were left out): count it too.
    cost: (p) => llm.countTokens(renderPassage(p)) + 1,
  });
  const messages = buildChatMessages(retrieval, timed, input.conversation);
  const options = {
    maxTokens: input.maxTokens,
    temperature: input.temperature,
    ...(input.signal && { signal: input.signal }),
  };
  try {
    const completion = llm.completeWithUsage
      ? await llm.completeWithUsage(messages, options)
      : await estimated(llm, messages, options);
    return {
      content: completion.content,
      model: llm.model,
      usage: completion.usage,
      context: { mode: retrieval.mode, passages: retrieval.passages.length, totalPassages: passages.length },
    };
  } catch (error) {
    throw asTimeout(error) ?? error;
  }
}

/** A client that cannot report usage: its own estimate, as its budget checks use. */
async function estimated(
  llm: LlmClient,
  messages: ChatMessage[],
  options: Parameters<LlmClient['complete']>[1],
): Promise<{ content: string; usage: CompletionUsage }> {
  const content = await llm.complete(messages, options);
  const promptTokens = messages.reduce((sum, m) => sum + llm.countTokens(m.content), 0);
  const completionTokens = llm.countTokens(content);
  return { content, usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } };
}

/**
 * The client reports a provider that did not answer in time as unreachable; a caller waiting on a
 * synchronous answer should see a gateway timeout instead, which it may retry.
 */
function asTimeout(error: unknown): EarshotError | undefined {
  if (!isEarshotError(error) || error.code !== 'fetchFailed') return undefined;
  const cause = error.cause;
  if (!(cause instanceof Error) || cause.name !== 'TimeoutError') return undefined;
  return new EarshotError('timeout', 'The LLM provider did not answer in time (EARSHOT_LLM_TIMEOUT_MS)', {
    cause: error,
  });
}
