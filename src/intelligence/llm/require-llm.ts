import { EarshotError } from '../../domain/errors.js';
import type { LlmClient } from './llm-client.js';

/**
 * The LLM client for a feature only an LLM can do (free-form prompts, translation), or a clear
 * error naming the settings that enable it.
 */
export function requireLlm(llm: LlmClient | null, feature: string): LlmClient {
  if (llm) return llm;
  throw new EarshotError(
    'engineUnavailable',
    `${feature} needs an LLM provider, and none is configured (set EARSHOT_LLM_URL and EARSHOT_LLM_MODEL)`,
  );
}
