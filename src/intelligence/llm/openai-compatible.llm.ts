import type { z } from 'zod';
import type { Config } from '../../config/config.js';
import { EarshotError } from '../../domain/errors.js';
import type { ChatMessage, CompletionOptions, CompletionWithUsage, LlmClient } from './llm-client.js';

type LlmConfig = NonNullable<Config['llm']>;

/** Default answer budget when a caller names none. */
const DEFAULT_MAX_ANSWER_TOKENS = 1024;

/**
 * An `LlmClient` over any OpenAI-compatible `POST {url}/chat/completions` endpoint. One instance
 * serves one job: it counts the tokens the job spends and refuses to go past the job's budget, so a
 * long recording cannot run up an unbounded bill.
 */
export class OpenAiCompatibleLlm implements LlmClient {
  readonly model: string;
  readonly contextTokens: number;
  private spentTokens = 0;

  constructor(
    private readonly config: LlmConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.model = config.model;
    this.contextTokens = config.contextTokens;
  }

  /** About four characters per token for English text; close enough for budgeting. */
  countTokens(text: string): number {
    return Math.ceil(text.length / 4);
  }

  async complete(messages: ChatMessage[], options: CompletionOptions = {}): Promise<string> {
    return (await this.completeWithUsage(messages, options)).content;
  }

  async completeWithUsage(
    messages: ChatMessage[],
    options: CompletionOptions = {},
  ): Promise<CompletionWithUsage> {
    const maxTokens = options.maxTokens ?? DEFAULT_MAX_ANSWER_TOKENS;
    const promptTokens = messages.reduce((sum, m) => sum + this.countTokens(m.content), 0);
    if (this.spentTokens + promptTokens + maxTokens > this.config.maxTokensPerJob) {
      throw new EarshotError(
        'badRequest',
        `the LLM token budget of this job (${this.config.maxTokensPerJob}, EARSHOT_LLM_MAX_TOKENS_PER_JOB) would be exceeded`,
      );
    }
    const signals = [AbortSignal.timeout(this.config.timeoutMs), ...(options.signal ? [options.signal] : [])];
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.config.url}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.config.apiKey && { authorization: `Bearer ${this.config.apiKey}` }),
        },
        body: JSON.stringify({
          model: this.model,
          messages,
          max_tokens: maxTokens,
          temperature: options.temperature ?? 0,
        }),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new EarshotError('fetchFailed', `the LLM provider could not be reached: ${describe(error)}`, {
        cause: error,
      });
    }
    const body = (await response.json().catch(() => null)) as ChatCompletion | null;
    if (!response.ok) {
      throw new EarshotError(
        'fetchFailed',
        `the LLM provider answered ${response.status}: ${body?.error?.message ?? response.statusText}`,
      );
    }
    const content = body?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') {
      throw new EarshotError('fetchFailed', 'the LLM provider sent no answer (choices[0].message.content)');
    }
    // Providers that report no usage (some local servers) get the same estimate the budget uses.
    const promptUsed = body?.usage?.prompt_tokens ?? promptTokens;
    const completionUsed = body?.usage?.completion_tokens ?? this.countTokens(content);
    const totalUsed = body?.usage?.total_tokens ?? promptUsed + completionUsed;
    this.spentTokens += totalUsed;
    return {
      content,
      usage: { promptTokens: promptUsed, completionTokens: completionUsed, totalTokens: totalUsed },
    };
  }

  async completeJson<T>(
    messages: ChatMessage[],
    schema: z.ZodType<T>,
    options?: CompletionOptions,
  ): Promise<T> {
    const ask = [...messages];
    let lastError = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await this.complete(ask, options);
      const parsed = parseJson(answer);
      const checked = parsed.ok ? schema.safeParse(parsed.value) : null;
      if (checked?.success) return checked.data;
      lastError = parsed.ok ? (checked?.error.message ?? 'invalid') : parsed.error;
      // One retry, telling the model what was wrong: small local models often fix it then.
      ask.push(
        { role: 'assistant', content: answer },
        {
          role: 'user',
          content: `That was not valid JSON of the requested shape (${lastError}). Answer again with only the JSON.`,
        },
      );
    }
    throw new EarshotError('fetchFailed', `the LLM provider did not return valid JSON: ${lastError}`);
  }
}

interface ChatCompletion {
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
  error?: { message?: string };
}

/** Parses JSON, tolerating the Markdown code fence many models wrap it in. */
function parseJson(answer: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(answer);
  try {
    return { ok: true, value: JSON.parse((fenced?.[1] ?? answer).trim()) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The job's LLM client, or null when no provider is configured. */
export function createLlmClient(config: Config['llm']): LlmClient | null {
  return config ? new OpenAiCompatibleLlm(config) : null;
}
