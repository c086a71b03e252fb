import type { z } from 'zod';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionOptions {
  signal?: AbortSignal;
  /** Most tokens the answer may use. */
  maxTokens?: number;
  /** @defaultValue 0 (repeatable answers) */
  temperature?: number;
}

/**
 * An OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, OpenAI). Optional: features
 * that can only be done by an LLM are refused when none is configured; the others fall back to
 * local methods.
 */
export interface LlmClient {
  readonly model: string;
  /** Rough token count of a text, for budgeting prompts (no tokenizer needed). */
  countTokens(text: string): number;
  /** Most tokens a prompt may carry, leaving room for the answer. */
  readonly contextTokens: number;
  complete(messages: ChatMessage[], options?: CompletionOptions): Promise<string>;
  /** Asks for JSON, validates it against `schema`, and retries once with the error when invalid. */
  completeJson<T>(messages: ChatMessage[], schema: z.ZodType<T>, options?: CompletionOptions): Promise<T>;
}
