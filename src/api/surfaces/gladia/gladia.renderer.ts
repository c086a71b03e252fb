import { ErrorCodes } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import type { Transcript, Utterance, Word } from '../../../domain/transcript.js';
import {
  renderSubtitles,
  SUBTITLE_DEFAULTS,
  type SubtitleOptions,
} from '../../../exporters/subtitles.exporter.js';
import { baseLanguage } from '../../../models/model-selection.js';
import { assignSpans } from '../../../text/regions.js';
import { splitSentences } from '../../../text/sentences.js';
import { renderGladiaAddons } from './gladia-addons.renderer.js';
import { joinWords } from '../../../text/transcript-text.js';
import {
  type GladiaFileInfo,
  type GladiaSubtitlesConfig,
  SUBTITLES_CONFIG_DEFAULTS,
} from './gladia-params.js';

/** Gladia's job statuses; its SDK polls until `done` or `error`. */
export type GladiaStatus = 'queued' | 'processing' | 'done' | 'error';

/**
 * What the Gladia surface keeps in a job's `surfaceParams`: the `request_params` to echo and what
 * it knows about the file when the job is submitted.
 */
export interface GladiaSurfaceParams {
  request_params: Record<string, unknown>;
  file: GladiaFileInfo;
}

/** `error_code` of a cancelled job (Gladia has no cancelled status; such a job shows as an error). */
const CANCELLED_ERROR_CODE = ErrorCodes.cancelled;

export function gladiaStatus(job: Pick<Job, 'status'>): GladiaStatus {
  switch (job.status) {
    case 'completed':
      return 'done';
    case 'cancelled':
      return 'error';
    default:
      return job.status;
  }
}

/**
 * The HTTP status Gladia reports as a failed job's `error_code`: the status of the error that
 * ended it. Bad input (audio that is not audio, a URL that cannot be fetched, too little speech)
 * is 400, as Gladia's callback example shows for a failed transcription; server faults are 5xx.
 * A job with no recorded code (written before codes were stored) counts as a server fault.
 */
export function gladiaErrorCode(job: Pick<Job, 'status' | 'errorCode'>): number | null {
  if (job.status === 'cancelled') return CANCELLED_ERROR_CODE;
  if (job.status !== 'error') return null;
  return job.errorCode ? ErrorCodes[job.errorCode] : ErrorCodes.internal;
}

export function gladiaErrorMessage(job: Pick<Job, 'status' | 'error'>): string {
  if (job.status === 'cancelled') return 'The job was cancelled';
  return job.error ?? 'Transcription failed';
}

const seconds = (ms: number): number => ms / 1000;

/** Gladia's language codes are ISO 639-1 (`en`), not regional variants (`en_us`). */
function gladiaLanguage(code: string | null | undefined): string | null {
  return code ? baseLanguage(code) : null;
}

function renderWord(word: Word): Record<string, unknown> {
  return {
    word: word.text,
    start: seconds(word.startMs),
    end: seconds(word.endMs),
    confidence: word.confidence,
  };
}

function meanConfidence(words: readonly Word[]): number {
  return words.length === 0 ? 0 : words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
}

/**
 * Utterances as the transcript has them (diarization or several channels), otherwise one per
 * speech segment: the words whose midpoint falls in the segment (see `assignSpans`).
 */
export function utterancesOf(transcript: Transcript): Utterance[] {
  if (transcript.utterances) return transcript.utterances;
  const owner = assignSpans(transcript.words, transcript.segments);
  const groups = new Map<number, Word[]>();
  transcript.words.forEach((word, i) => {
    const key = owner[i] ?? -1;
    const group = groups.get(key) ?? [];
    group.push(word);
    groups.set(key, group);
  });
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, words]) => {
      const segment = transcript.segments[index];
      const first = words[0]!;
      return {
        text: joinWords(words),
        startMs: first.startMs,
        endMs: Math.max(...words.map((w) => w.endMs)),
        confidence: meanConfidence(words),
        ...(segment?.language !== undefined && { language: segment.language }),
        ...(first.channel !== undefined && { channel: first.channel }),
        words,
      };
    });
}

/**
 * One Gladia utterance. Speakers are 0-based integers, as Gladia numbers them (its schema:
 * `speaker` minimum 0) and as the canonical transcript does; `speaker` is present only when
 * diarization was asked for. `channel` is always present (0 for a single mix).
 */
function renderUtterance(
  utterance: Utterance,
  transcript: Transcript,
  diarized: boolean,
): Record<string, unknown> {
  return {
    start: seconds(utterance.startMs),
    end: seconds(utterance.endMs),
    confidence: utterance.confidence,
    channel: utterance.channel ?? 0,
    ...(diarized && utterance.speaker !== undefined && { speaker: utterance.speaker }),
    words: utterance.words.map(renderWord),
    text: utterance.text,
    language: gladiaLanguage(utterance.language ?? transcript.language),
  };
}

/**
 * The exporter options for Gladia's `subtitles_config`. `style: "compliance"` applies broadcast
 * caption rules wherever the caller did not set a value: each caption on screen 1 to 6 seconds
 * (the default style holds a caption only as long as its words, up to 7 s); both styles default
 * to 2 rows of 42 characters. Captions never overlap in either style.
 */
export function subtitleOptions(config: GladiaSubtitlesConfig): Omit<SubtitleOptions, 'format'> {
  const compliance = config.style === 'compliance';
  const rows = config.maximum_rows_per_caption ?? SUBTITLE_DEFAULTS.lines;
  const perRow = config.maximum_characters_per_row ?? SUBTITLE_DEFAULTS.charsPerLine;
  const maxSeconds = config.maximum_duration ?? (compliance ? 6 : undefined);
  const minSeconds = config.minimum_duration ?? (compliance ? 1 : undefined);
  return {
    maxLines: rows,
    charsPerCaption: perRow * rows,
    ...(maxSeconds !== undefined && { maxCaptionMs: Math.round(maxSeconds * 1000) }),
    ...(minSeconds !== undefined && { minCaptionMs: Math.round(minSeconds * 1000) }),
  };
}

function renderSubtitleFiles(
  transcript: Transcript,
  config: GladiaSubtitlesConfig,
): Record<string, unknown>[] {
  const formats = [...new Set(config.formats ?? SUBTITLES_CONFIG_DEFAULTS.formats)];
  const options = subtitleOptions(config);
  return formats.map((format) => ({
    format,
    subtitles: renderSubtitles(transcript, { ...options, format }),
  }));
}

/**
 * Sentences in the two places Gladia has put them. `transcription.sentences` follows Gladia's
 * OpenAPI schema and SDK types: a list of add-on results whose `results` are the sentence texts.
 * The deprecated `result.sentences` follows Gladia's feature documentation, whose `results` are
 * objects with `sentence`, times, words, confidence, language, speaker and channel.
 */
function renderSentences(
  transcript: Transcript,
  diarized: boolean,
): { texts: Record<string, unknown>; detailed: Record<string, unknown> } {
  const sentences = splitSentences(transcript.words);
  const addon = { success: true, is_empty: sentences.length === 0, exec_time: 0, error: null };
  return {
    texts: { ...addon, results: sentences.map((s) => s.text) },
    detailed: {
      ...addon,
      results: sentences.map((s) => ({
        sentence: s.text,
        start: seconds(s.startMs),
        end: seconds(s.endMs),
        words: s.words.map(renderWord),
        confidence: s.confidence,
        language: gladiaLanguage(transcript.language),
        ...(diarized && s.speaker !== undefined && { speaker: s.speaker }),
        channel: s.channel ?? 0,
      })),
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the Gladia surface stored with the job (nothing for a tombstone, whose params are wiped). */
function surfaceParamsOf(job: Pick<Job, 'surfaceParams'>): Partial<GladiaSurfaceParams> {
  const { request_params: requestParams, file } = job.surfaceParams;
  return {
    ...(isRecord(requestParams) && { request_params: requestParams }),
    ...(isRecord(file) && {
      file: {
        filename: typeof file.filename === 'string' ? file.filename : null,
        source: typeof file.source === 'string' ? file.source : null,
      },
    }),
  };
}

function requestParamsOf(job: Pick<Job, 'surfaceParams'>): Record<string, unknown> {
  return surfaceParamsOf(job).request_params ?? {};
}

/**
 * Gladia's `result` for a finished job (also the `payload` of its success callback); null until
 * the job is done. Times are in seconds.
 */
export function renderGladiaResult(job: Job): Record<string, unknown> | null {
  const transcript = job.transcript;
  if (job.status !== 'completed' || !transcript) return null;
  const params = requestParamsOf(job);
  const diarized = job.request.diarization !== undefined;
  const distinctChannels = job.request.multichannel ? transcript.channels : 1;
  const audioDuration = seconds(transcript.durationMs);
  const transcriptionTime =
    job.startedAt && job.completedAt ? seconds(job.completedAt.getTime() - job.startedAt.getTime()) : 0;
  const languages = [
    ...new Set(
      [transcript.language, ...(transcript.utterances ?? []).map((u) => u.language)]
        .map(gladiaLanguage)
        .filter((code): code is string => code !== null),
    ),
  ];
  const transcription: Record<string, unknown> = {
    full_transcript: transcript.text,
    languages,
    utterances: utterancesOf(transcript).map((u) => renderUtterance(u, transcript, diarized)),
  };
  const result: Record<string, unknown> = {
    metadata: {
      audio_duration: audioDuration,
      number_of_distinct_channels: distinctChannels,
      billing_time: audioDuration * distinctChannels,
      transcription_time: transcriptionTime,
    },
    transcription,
  };
  if (params.sentences === true) {
    const { texts, detailed } = renderSentences(transcript, diarized);
    transcription.sentences = [texts];
    result.sentences = detailed;
  }
  if (params.subtitles === true) {
    const config = (params.subtitles_config ?? SUBTITLES_CONFIG_DEFAULTS) as GladiaSubtitlesConfig;
    transcription.subtitles = renderSubtitleFiles(transcript, config);
  }
  Object.assign(result, renderGladiaAddons(transcript, job.request.intelligence));
  return result;
}

/** The file object of the envelope: known at once for our uploads, measured once processed. */
function renderFile(job: Job): Record<string, unknown> {
  const info = surfaceParamsOf(job).file;
  const durationMs = job.transcript?.durationMs ?? job.audioDurationMs;
  return {
    id: job.request.audio.kind === 'upload' ? job.request.audio.uploadId : job.id,
    filename: info?.filename ?? null,
    source: info?.source ?? null,
    audio_duration: durationMs === null ? null : seconds(durationMs),
    number_of_channels: job.transcript?.channels ?? null,
  };
}

/**
 * Gladia's pre-recorded job envelope (`GET /v2/pre-recorded/{id}`, list items). `request_id` is a
 * debug id derived from the job id, as Gladia's are (`G-` and the id's first 8 hex digits);
 * `post_session_metadata` carries the error message of a failed job, which the envelope has no
 * other field for.
 */
export function renderGladiaJob(job: Job): Record<string, unknown> {
  const status = gladiaStatus(job);
  return {
    id: job.id,
    request_id: `G-${job.id.slice(0, 8)}`,
    version: 2,
    status,
    created_at: job.createdAt.toISOString(),
    completed_at: status === 'done' || status === 'error' ? (job.completedAt?.toISOString() ?? null) : null,
    custom_metadata: job.metadata ?? null,
    error_code: gladiaErrorCode(job),
    post_session_metadata: status === 'error' ? { error: gladiaErrorMessage(job) } : {},
    kind: 'pre-recorded',
    file: renderFile(job),
    request_params: requestParamsOf(job),
    result: renderGladiaResult(job),
  };
}

/**
 * The body of Gladia's callback (`callback_config`) when a job ends, as its OpenAPI schema defines
 * `CallbackTranscriptionSuccessPayload` / `CallbackTranscriptionErrorPayload`.
 */
export function renderGladiaCallback(job: Job): Record<string, unknown> {
  const metadata = job.metadata ? { custom_metadata: job.metadata } : {};
  const result = renderGladiaResult(job);
  if (result) return { id: job.id, event: 'transcription.success', payload: result, ...metadata };
  return {
    id: job.id,
    event: 'transcription.error',
    error: { code: gladiaErrorCode(job) ?? ErrorCodes.internal, message: gladiaErrorMessage(job) },
    ...metadata,
  };
}
