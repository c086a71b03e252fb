import type { AddonResult, Transcript } from '../../domain/transcript.js';
import type { IntelligenceRequest } from '../../domain/transcription-request.js';
import type { AddonContext } from '../../intelligence/addon.js';
import { ADDONS } from '../../intelligence/addons.js';
import type { LlmClient } from '../../intelligence/llm/llm-client.js';
import { redactTranscript } from '../../intelligence/pii/redact.js';
import { setVaderLexiconPath } from '../../intelligence/sentiment/index.js';
import { renderRedactedAudio } from '../../intelligence/pii/redacted-audio.js';
import { blobKeys } from '../../store/blob-keys.js';
import type { StageContext } from '../pipeline-context.js';

/**
 * Runs the requested analyses on the finished transcript. PII redaction comes first and rewrites
 * the transcript every later analysis sees; unlike the add-ons, its failure fails the job, since a
 * transcript that should have been redacted must never be returned unredacted. Each add-on runs
 * on its own and records success or failure in `transcript.addons`.
 */
export async function runIntelligence(
  transcript: Transcript,
  request: IntelligenceRequest,
  inputPath: string,
  llm: LlmClient | null,
  ctx: StageContext,
): Promise<Transcript> {
  const wanted = ADDONS.filter((addon) => addon.wanted(request));
  if (request.sentiment) setVaderLexiconPath(ctx.config.sentimentLexiconFile);
  const redactionSteps = request.redactPii ? (request.redactPii.audio && ctx.jobId ? 2 : 1) : 0;
  const steps = redactionSteps + wanted.length;
  let done = 0;
  const step = (name: string): void =>
    ctx.progress('intelligence', done++ / Math.max(1, steps), `Running ${name}`);
  const addons: Record<string, AddonResult> = { ...transcript.addons };
  let current = transcript;

  if (request.redactPii) {
    step('PII redaction');
    const started = Date.now();
    const redacted = redactTranscript(transcript, request.redactPii);
    const { result } = redacted;
    const audio = request.redactPii.audio;
    // The CLI has no job to keep derived files under, so it never writes redacted audio.
    if (audio && ctx.jobId) {
      step('audio redaction');
      const blobKey = `${blobKeys.jobPrefix(ctx.tenantId, ctx.jobId)}redacted.${audio.format}`;
      await renderRedactedAudio(inputPath, result.entities, audio, {
        media: ctx.media,
        ffmpeg: ctx.config.tools.ffmpeg,
        blobs: ctx.blobs,
        blobKey,
        workDir: ctx.workDir,
        signal: ctx.signal,
      });
      result.audioBlobKey = blobKey;
    }
    current = redacted.transcript;
    addons.redaction = { status: 'success', result, execMs: Date.now() - started };
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
