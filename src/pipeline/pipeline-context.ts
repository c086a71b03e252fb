import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { JobProgress, StageName } from '../domain/job.js';
import type { EngineHost } from '../engines/host/engine-host.js';
import type { LlmClient } from '../intelligence/llm/llm-client.js';
import type { MediaTool } from '../media/media-tool.js';
import type { ModelStore } from '../models/model-store.js';
import type { BlobStore } from '../store/blob.store.js';

/** Structured facts some stages report beside the message. */
export type ProgressDetails = Pick<JobProgress, 'chunks'>;

/** Long-lived things every pipeline run uses. */
export interface PipelineDeps {
  config: Config;
  blobs: BlobStore;
  media: MediaTool;
  engines: EngineHost;
  models: ModelStore;
  /** The optional LLM provider for analyses that can use one. */
  llm: LlmClient | null;
  log: Logger;
}

/** One run of the pipeline: what each stage receives besides its input. */
export interface StageContext extends PipelineDeps {
  tenantId: string;
  /** The job being run; absent for the CLI, which keeps no derived files (e.g. redacted audio). */
  jobId?: string;
  /** A private scratch directory, removed after the run. */
  workDir: string;
  signal: AbortSignal;
  /** Reports progress within the current stage, `fraction` 0..1. */
  progress(stage: StageName, fraction: number, message: string, details?: ProgressDetails): void;
}

/**
 * Share of the job's overall progress each stage covers, so the percentage moves steadily:
 * transcription dominates the run time.
 */
export const STAGE_SPAN: Record<StageName, [number, number]> = {
  queued: [0, 0],
  ingest: [0, 5],
  probe: [5, 6],
  decode: [6, 15],
  vad: [15, 22],
  transcribe: [22, 88],
  diarize: [88, 95],
  text: [95, 96],
  intelligence: [96, 99],
  finalize: [99, 100],
};

export function overallPercent(stage: StageName, fraction: number): number {
  const [from, to] = STAGE_SPAN[stage];
  return Math.round(from + (to - from) * Math.min(1, Math.max(0, fraction)));
}

/**
 * The context for one channel of `count` transcribed separately: each stage's progress covers this
 * channel's share, and messages name the channel.
 */
export function channelContext(ctx: StageContext, index: number, count: number): StageContext {
  if (count === 1) return ctx;
  return {
    ...ctx,
    progress: (stage, fraction, message, details) =>
      ctx.progress(
        stage,
        (index + fraction) / count,
        `${message} (channel ${index + 1} of ${count})`,
        details,
      ),
  };
}
