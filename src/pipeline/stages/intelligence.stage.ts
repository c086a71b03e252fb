import type { AddonResult, Transcript } from '../../domain/transcript.js';
import type { IntelligenceRequest } from '../../domain/transcription-request.js';
import type { AddonContext } from '../../intelligence/addon.js';
import { ADDONS } from '../../intelligence/addons.js';
import type { LlmClient } from '../../intelligence/llm/llm-client.js';
import type { StageContext } from '../pipeline-context.js';

/**
 * Runs the requested analyses on the finished transcript. Each add-on runs on its own and records success or failure in `transcript.addons`.
 */
export async function runIntelligence(
  transcript: Transcript,
  request: IntelligenceRequest,
  inputPath: string,
  llm: LlmClient | null,
  ctx: StageContext,
): Promise<Transcript> {
  const wanted = ADDONS.filter((addon) => addon.wanted(request));
  const steps = wanted.length;
  let done = 0;
  const step = (name: string): void =>
    ctx.progress('intelligence', done++ / Math.max(1, steps), `Running ${name}`);
  const addons: Record<string, AddonResult> = { ...transcript.addons };
  const current = transcript;

  if (request.redactPii) {
    // Surfaces refuse redaction while no recognizer is built in (see isAnalysisAvailable).
    throw new Error('PII redaction is not available on this server');
  }

  const context: AddonContext = { transcript: current, request, llm, signal: ctx.signal, log: ctx.log };
  for (const addon of wanted) {
    step(addon.name);
    const started = Date.now();
    try {
      const result = await addon.run(context);
      addons[addon.name] = { status: 'success', result, execMs: Date.now() - started };
    } catch (error) {
      ctx.signal.throwIfAborted();
      ctx.log.warn({ err: error, addon: addon.name }, 'add-on failed');
      addons[addon.name] = {
        status: 'error',
        error: error instanceof Error ? error.message : String(error),
        execMs: Date.now() - started,
      };
    }
  }
  ctx.progress('intelligence', 1, 'Analyses done');
  return { ...current, addons };
}
