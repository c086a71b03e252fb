import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import type { TranscriptChatInput } from '../../../intelligence/chat/index.js';
import type { LlmClient } from '../../../intelligence/llm/llm-client.js';
import { parseFields } from './parse-body.js';
import { readTranscript, transcriptFields } from './transcript-input.js';

/**
 * @defaultValue 1024 tokens, the LLM client's own default answer budget.
 */
export const DEFAULT_CHAT_MAX_TOKENS = 1024;
/** Low by default: answers about a transcript should stick to what it says. */
export const DEFAULT_CHAT_TEMPERATURE = 0.2;

const message = z
  .object({
    role: z.enum(['user', 'assistant'], {
      error: 'must be user or assistant (the server writes the system message)',
    }),
    content: z.string().trim().min(1, 'must not be empty').max(100_000),
  })
  .strict();

const chatFields = z
  .object({
    ...transcriptFields,
    messages: z.array(message).min(1, 'must hold at least one message').max(200),
    model_name: z.string().trim().min(1).max(200).optional(),
    temperature: z.number().min(0, 'must be between 0 and 2').max(2, 'must be between 0 and 2').optional(),
    max_tokens: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
  })
  .strict();

/**
 * `POST /api/chat/` body → the chat over the caller's transcript. The conversation must end with
 * the user's question; `model_name` may only name the configured model (there is one LLM
 * provider, and answering with another model than the one asked for would be a silent swap);
 * `max_tokens` must leave room in the model's context for the transcript.
 */
export function parseChatBody(
  body: Record<string, unknown>,
  llm: Pick<LlmClient, 'model' | 'contextTokens'>,
): Omit<TranscriptChatInput, 'signal'> {
  const p = parseFields(chatFields, body);
  if (p.messages.at(-1)!.role !== 'user') {
    throw new EarshotError(
      'badRequest',
      `messages[${p.messages.length - 1}].role: the last message must be the user's question`,
      { param: `messages[${p.messages.length - 1}].role` },
    );
  }
  if (p.model_name !== undefined && p.model_name !== llm.model) {
    throw new EarshotError(
      'badRequest',
      `model_name: ${JSON.stringify(p.model_name)} is not available; this server chats with ${JSON.stringify(llm.model)} (see GET /api/chat/models)`,
      { param: 'model_name' },
    );
  }
  const maxTokens = p.max_tokens ?? DEFAULT_CHAT_MAX_TOKENS;
  if (maxTokens >= llm.contextTokens) {
    throw new EarshotError(
      'badRequest',
      `max_tokens: must be less than the model's context of ${llm.contextTokens} tokens (EARSHOT_LLM_CONTEXT_TOKENS)`,
      { param: 'max_tokens' },
    );
  }
  const input = readTranscript(p.transcript, p.full_text);
  return {
    lines: input.lines,
    conversation: p.messages,
    maxTokens,
    temperature: p.temperature ?? DEFAULT_CHAT_TEMPERATURE,
  };
}

export { chatFields as chatFieldsSchema };
