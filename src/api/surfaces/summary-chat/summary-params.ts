import { z } from 'zod';
import type { Config } from '../../../config/config.js';
import { EarshotError } from '../../../domain/errors.js';
import {
  defaultTranscriptionRequest,
  type SummaryType,
  type TranscriptionRequest,
} from '../../../domain/transcription-request.js';
import { parseFields } from './parse-body.js';
import { readTranscript, transcriptFields } from './transcript-input.js';

/** The model name `/api/summary` reports, and accepts, when no LLM provider is configured. */
export const EXTRACTIVE_MODEL = 'extractive';

/** The endpoint's formats → the summary add-on's types. */
export const SUMMARY_FORMATS = {
  /** One paragraph. */
  paragraph: 'paragraph',
  /** A short list: three to five bullets. */
  bullet_points: 'bullets',
  /** A longer list of the main points: five to ten bullets. */
  key_points: 'bullets_verbose',
} as const satisfies Record<string, SummaryType>;
export type SummaryFormat = keyof typeof SUMMARY_FORMATS;

const summaryFields = z
  .object({
    ...transcriptFields,
    model_name: z.string().trim().min(1).max(200).optional(),
    max_length: z.number().int('must be a whole number of words').min(1).max(10_000).optional(),
    format: z
      .enum(Object.keys(SUMMARY_FORMATS) as [SummaryFormat, ...SummaryFormat[]], {
        error: `must be one of ${Object.keys(SUMMARY_FORMATS).join(', ')}`,
      })
      .default('paragraph'),
  })
  .strict();

/** What the job keeps of the caller's parameters (`surfaceParams`), read back by the renderer. */
export interface SummaryEcho {
  kind: 'summary';
  format: SummaryFormat;
  max_length: number | null;
  /** The model that writes the summary: the configured LLM, or `extractive`. */
  model: string;
  source: 'transcript' | 'full_text';
}

export interface SummaryParams {
  request: TranscriptionRequest;
  echo: SummaryEcho;
}

/**
 * `POST /api/summary/` body → a job over the caller's transcript running the summary and topics
 * add-ons. `model_name` may only name the model this server summarises with (the configured LLM,
 * or `extractive` without one): the add-on cannot switch models per job, and a summary by another
 * model than the one asked for would be a silent substitution.
 */
export function parseSummaryBody(body: Record<string, unknown>, llm: Config['llm']): SummaryParams {
  const p = parseFields(summaryFields, body);
  const model = llm?.model ?? EXTRACTIVE_MODEL;
  if (p.model_name !== undefined && p.model_name !== model) {
    throw new EarshotError(
      'badRequest',
      `model_name: this server summarises with ${JSON.stringify(model)}${llm ? ' (the configured LLM)' : ' (no LLM is configured: set EARSHOT_LLM_URL and EARSHOT_LLM_MODEL for written summaries)'}; ${JSON.stringify(p.model_name)} is not available`,
      { param: 'model_name' },
    );
  }
  const input = readTranscript(p.transcript, p.full_text);
  const request = defaultTranscriptionRequest({ kind: 'transcript', transcript: input.provided });
  request.intelligence = { summary: { type: SUMMARY_FORMATS[p.format] }, topics: true };
  return {
    request,
    echo: {
      kind: 'summary',
      format: p.format,
      max_length: p.max_length ?? null,
      model,
      source: input.source,
    },
  };
}

/** The echo stored with a job, if the job is a summary job made by this endpoint. */
export function summaryEcho(surfaceParams: Record<string, unknown>): SummaryEcho | undefined {
  return surfaceParams.kind === 'summary' ? (surfaceParams as unknown as SummaryEcho) : undefined;
}

export { summaryFields as summaryFieldsSchema };
