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

/** Tokens one completion spent, as the provider reported them (estimated when it reports none). */
export interface CompletionUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface CompletionWithUsage {
  content: string;
  usage: CompletionUsage;
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
  /**
   * `complete` with the tokens it spent, for callers that report usage (the chat API). Optional so
   * that clients which cannot count (test doubles) still satisfy the interface.
   */
  completeWithUsage?(messages: ChatMessage[], options?: CompletionOptions): Promise<CompletionWithUsage>;
  /** Asks for JSON, validates it against `schema`, and retries once with the error when invalid. */
  completeJson<T>(messages: ChatMessage[], schema: z.ZodType<T>, options?: CompletionOptions): Promise<T>;
}
