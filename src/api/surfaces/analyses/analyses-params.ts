import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import type { JobMetadata } from '../../../domain/job.js';
import {
  type AudioSource,
  defaultTranscriptionRequest,
  type ProvidedTranscript,
  type TranscriptionRequest,
} from '../../../domain/transcription-request.js';

/** Most utterances a caller's transcript may have (a ten-hour call of short turns). */
export const MAX_UTTERANCES = 20_000;

/** Partner ids kept as job metadata, so lists can filter on them. */
export const PARTNER_FIELDS = ['partner_org_id', 'partner_rep_id', 'parent_session_id'] as const;

const utterance = z
  .object({
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    speaker: z.union([z.string().trim().min(1).max(100), z.number().int().nonnegative()]),
    text: z.string().max(100_000),
  })
  .strict()
  .refine((u) => u.end >= u.start, { message: 'end must not be before start' });

/** A transcript as callers send it (inline or behind `transcript_url`); times in milliseconds. */
export const analysisTranscriptSchema = z
  .object({ utterances: z.array(utterance).min(1).max(MAX_UTTERANCES) })
  .strict();

const partnerId = z.string().trim().min(1).max(200);

export const analysisOptionsSchema = z
  .object({
    /** The rep's speaker label: a caller transcript's label, or a recording's letter (A, B, …). */
    rep_speaker: z.union([z.string().trim().min(1).max(100), z.number().int().nonnegative()]).optional(),
    /** Recordings only: how many people speak, when known. */
    speakers_expected: z.number().int().min(1).max(10).optional(),
  })
  .strict();

export const createAnalysisSchema = z
  .object({
    recording_url: z.string().url().optional(),
    transcript_url: z.string().url().optional(),
    transcript: analysisTranscriptSchema.optional(),
    callback_url: z.string().url().optional(),
    options: analysisOptionsSchema.optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    partner_org_id: partnerId.optional(),
    partner_rep_id: partnerId.optional(),
    parent_session_id: partnerId.optional(),
  })
  .strict();

export type CreateAnalysisBody = z.infer<typeof createAnalysisSchema>;
export type AnalysisTranscript = z.infer<typeof analysisTranscriptSchema>;

/** What the surface keeps with the job to render the analysis object back. */
export interface AnalysesSurfaceParams {
  recording_url: string | null;
  transcript_url: string | null;
  callback_url: string | null;
  options: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  partner_org_id: string | null;
  partner_rep_id: string | null;
  parent_session_id: string | null;
  /** A caller transcript's speaker labels by speaker index; null for recordings (letters). */
  speaker_labels: string[] | null;
}

/** A zod failure as one 400 naming the first bad field (`transcript.utterances.3.end`). */
export function zodError(error: z.ZodError, prefix = ''): EarshotError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const path = [...issue.path, issue.keys[0]].join('.');
    return new EarshotError('unsupportedParameter', `Unknown parameter: ${prefix}${path}`, {
      param: `${prefix}${path}`,
    });
  }
  const path = `${prefix}${issue.path.join('.')}` || prefix.replace(/\.$/, '') || 'body';
  return new EarshotError('badRequest', `${path}: ${issue.message}`, { param: path });
}

export function parseCreateAnalysis(body: unknown): CreateAnalysisBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EarshotError('badRequest', 'The body must be a JSON object');
  }
  const parsed = createAnalysisSchema.safeParse(body);
  if (!parsed.success) throw zodError(parsed.error);
  const sources = (['recording_url', 'transcript_url', 'transcript'] as const).filter(
    (key) => parsed.data[key] !== undefined,
  );
  if (sources.length !== 1) {
    throw new EarshotError(
      'badRequest',
      sources.length === 0
        ? 'One of recording_url, transcript_url or transcript is required'
        : `Give only one of recording_url, transcript_url or transcript, not ${sources.join(' and ')}`,
      { param: sources[1] ?? 'recording_url' },
    );
  }
  if (parsed.data.options?.speakers_expected !== undefined && !parsed.data.recording_url) {
    throw new EarshotError('badRequest', 'options.speakers_expected applies to recording_url only', {
      param: 'options.speakers_expected',
    });
  }
  return parsed.data;
}

/** Speaker labels in the order the pipeline numbers them: first appearance, utterances by start time. */
export function speakerLabels(transcript: AnalysisTranscript): string[] {
  const sorted = [...transcript.utterances].sort((a, b) => a.start - b.start);
  return [...new Set(sorted.map((u) => String(u.speaker)))];
}

/** A recording's speaker letter (A, B, …, then numbers) for a speaker index. */
export function speakerLetter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : String(index + 1);
}

function repIndex(rep: string | number | undefined, labels: string[] | null): number | undefined {
  if (rep === undefined) return undefined;
  const label = String(rep);
  if (labels) {
    const index = labels.indexOf(label);
    if (index < 0) {
      throw new EarshotError(
        'badRequest',
        `options.rep_speaker "${label}" is not a speaker of the transcript (speakers: ${labels.join(', ')})`,
        { param: 'options.rep_speaker' },
      );
    }
    return index;
  }
  // A recording's speakers are found by diarization and named by letter, in order of first speech.
  const index = /^[A-Z]$/i.test(label) ? label.toUpperCase().charCodeAt(0) - 65 : -1;
  if (index < 0) {
    throw new EarshotError(
      'badRequest',
      `options.rep_speaker must be a speaker letter (A, B, …) for a recording, got "${label}"`,
      { param: 'options.rep_speaker' },
    );
  }
  return index;
}

function providedTranscript(transcript: AnalysisTranscript): ProvidedTranscript {
  return {
    utterances: transcript.utterances.map((u) => ({
      startMs: u.start,
      endMs: u.end,
      text: u.text,
      speaker: String(u.speaker),
    })),
  };
}

export interface ParsedAnalysis {
  request: TranscriptionRequest;
  surfaceParams: AnalysesSurfaceParams;
  metadata: JobMetadata | undefined;
}

/**
 * The canonical request for an analysis. `transcript` is the caller's transcript, inline or
 * already fetched from `transcript_url`. Fillers are kept, since counting them is part of the
 * analysis; a recording is diarized, since the analysis is about who said what.
 */
export function toAnalysisRequest(
  body: CreateAnalysisBody,
  transcript: AnalysisTranscript | undefined,
): ParsedAnalysis {
  const labels = transcript ? speakerLabels(transcript) : null;
  const audio: AudioSource = transcript
    ? { kind: 'transcript', transcript: providedTranscript(transcript) }
    : { kind: 'url', url: body.recording_url! };
  const rep = repIndex(body.options?.rep_speaker, labels);
  const speakersExpected = body.options?.speakers_expected;
  const request: TranscriptionRequest = {
    ...defaultTranscriptionRequest(audio),
    ...(!transcript && { diarization: speakersExpected ? { speakersExpected } : {} }),
    textFilters: { filterProfanity: false, keepDisfluencies: true },
    intelligence: { sentiment: true, conversation: rep === undefined ? {} : { repSpeaker: rep } },
    ...(body.callback_url && { webhook: { url: body.callback_url } }),
  };
  const partners = Object.fromEntries(
    PARTNER_FIELDS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]!]),
  );
  return {
    request,
    surfaceParams: {
      recording_url: body.recording_url ?? null,
      transcript_url: body.transcript_url ?? null,
      callback_url: body.callback_url ?? null,
      options: body.options ?? {},
      metadata: body.metadata ?? null,
      partner_org_id: body.partner_org_id ?? null,
      partner_rep_id: body.partner_rep_id ?? null,
      parent_session_id: body.parent_session_id ?? null,
      speaker_labels: labels,
    },
    metadata: Object.keys(partners).length > 0 ? partners : undefined,
  };
}
