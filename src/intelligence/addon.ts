import type { Logger } from 'pino';
import type { IntelligenceRequest } from '../domain/transcription-request.js';
import type { Transcript } from '../domain/transcript.js';
import type { LlmClient } from './llm/llm-client.js';
import type { AddonName, AddonResults } from './results.js';

export interface AddonContext {
  /** The finished transcript (already redacted when redaction was asked for). */
  transcript: Transcript;
  request: IntelligenceRequest;
  /** The configured LLM provider, or null. */
  llm: LlmClient | null;
  signal: AbortSignal;
  log: Logger;
}

/**
 * One analysis of the `intelligence` stage. Each runs on its own: a failure is recorded in its
 * result and never fails the transcript or the other add-ons.
 */
export interface Addon<N extends AddonName = AddonName> {
  readonly name: N;
  /** Whether the request asks for this add-on. */
  wanted(request: IntelligenceRequest): boolean;
  run(context: AddonContext): Promise<AddonResults[N]>;
}
