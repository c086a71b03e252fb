import { renderAnalysis } from '../api/surfaces/analyses/analyses.renderer.js';
import { renderGladiaCallback } from '../api/surfaces/gladia/gladia.renderer.js';
import type { Job, Surface } from '../domain/job.js';

/**
 * The body each API dialect posts to its caller's webhook when a job ends. AssemblyAI sends only
 * the id and status; the caller then fetches the transcript. Gladia sends the whole result
 * (`transcription.success`) or the error (`transcription.error`).
 */
export const webhookPayloads: Record<Surface, ((job: Job) => Record<string, unknown>) | null> = {
  assemblyai: (job) => ({
    transcript_id: job.id,
    status: job.status === 'completed' ? 'completed' : 'error',
  }),
  openai: null,
  gladia: renderGladiaCallback,
  local: null,
  cli: null,
  // The analysis object itself, as `GET /v1/analyses/{id}` shows it.
  analyses: renderAnalysis,
};
