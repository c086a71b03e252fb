import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import type { ProvidedTranscript } from '../../../domain/transcription-request.js';
import type { TranscriptLine } from '../../../intelligence/retrieval/index.js';

/**
 * The transcript a caller sends to `/api/summary` and `/api/chat`: `transcript`, the segments of a
 * local API result (`GET /api/transcribe/result/{id}`'s `segments`, times in seconds), or
 * `full_text`, plain text without times. Shared by both endpoints so they accept exactly the same.
 */

/** About 100 hours of speech: beyond that a request is a mistake, not a transcript. */
const MAX_SECONDS = 100 * 3600;
const MAX_SEGMENTS = 50_000;
const MAX_TEXT_CHARS = 2_000_000;

const seconds = z.number().nonnegative('must not be negative').max(MAX_SECONDS);

/**
 * A segment as the local API renders it. Its derived fields (`id`, `speaker_confidence`, the
 * display times) are accepted so a result's segments can be sent back unchanged; they carry
 * nothing the times and text do not.
 */
const segmentSchema = z
  .object({
    start: seconds,
    end: seconds,
    text: z.string().max(100_000),
    speaker: z.string().trim().max(100).nullable().optional(),
    id: z.string().max(200).optional(),
    speaker_confidence: z.number().nullable().optional(),
    start_display: z.string().max(40).optional(),
    end_display: z.string().max(40).optional(),
  })
  .strict()
  .refine((s) => s.end >= s.start, { message: 'must not be before start', path: ['end'] });

export const transcriptFields = {
  transcript: z.array(segmentSchema).max(MAX_SEGMENTS).optional(),
  full_text: z.string().max(MAX_TEXT_CHARS).optional(),
};

export type Segment = z.infer<typeof segmentSchema>;

/** The caller's transcript, in the two forms the analyses take. */
export interface TranscriptInput {
  /** Segments with times (from `transcript`), or sentences without times (from `full_text`). */
  lines: TranscriptLine[];
  /** The same, as the canonical request's caller-provided transcript. */
  provided: ProvidedTranscript;
  /** Which field it came from, echoed with the job. */
  source: 'transcript' | 'full_text';
}

const toMs = (s: number): number => Math.round(s * 1000);

/**
 * `transcript` or `full_text` → the transcript to analyse. When both are sent, `transcript` is
 * used: it has the times that answers cite (`full_text` is then normally its text joined). Neither,
 * or one with no words, is a 400 naming the field.
 */
export function readTranscript(
  transcript: readonly Segment[] | undefined,
  fullText: string | undefined,
): TranscriptInput {
  if (transcript !== undefined) {
    const kept = transcript.filter((s) => s.text.trim() !== '');
    if (kept.length === 0) {
      throw new EarshotError('badRequest', 'transcript: has no text (every segment is empty)', {
        param: 'transcript',
      });
    }
    const lines = [...kept]
      .sort((a, b) => a.start - b.start)
      .map((s) => ({
        startMs: toMs(s.start),
        endMs: toMs(s.end),
        text: s.text.trim(),
        ...(s.speaker !== undefined && s.speaker !== null && s.speaker !== '' && { speaker: s.speaker }),
      }));
    return {
      lines,
      provided: {
        utterances: lines.map((l) => ({
          startMs: l.startMs,
          endMs: l.endMs,
          text: l.text,
          ...(l.speaker !== undefined && { speaker: l.speaker }),
        })),
      },
      source: 'transcript',
    };
  }
  if (fullText !== undefined) {
    const text = fullText.trim();
    if (text === '') throw new EarshotError('badRequest', 'full_text: has no text', { param: 'full_text' });
    return {
      lines: splitTextSentences(text).map((sentence) => ({ text: sentence })),
      // No times are known: one utterance at 0, so the analyses see the words but claim no timing.
      provided: { utterances: [{ startMs: 0, endMs: 0, text }] },
      source: 'full_text',
    };
  }
  throw new EarshotError('badRequest', 'transcript: is required (or send the plain text as full_text)', {
    param: 'transcript',
  });
}

/** Plain text → sentences, at `.`, `?`, `!` or `…` followed by white space, and at line breaks. */
export function splitTextSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
