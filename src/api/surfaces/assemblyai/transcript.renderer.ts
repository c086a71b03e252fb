import type { Job } from '../../../domain/job.js';
import type { Transcript, Utterance, Word } from '../../../domain/transcript.js';
import type { JobSummary } from '../../../store/metadata.store.js';
import { renderIntelligenceFields } from './intelligence.renderer.js';
import { speakerOf } from './speaker-labels.js';

export interface AssemblyAiWord {
  text: string;
  start: number;
  end: number;
  confidence: number;
  speaker: string | null;
  channel: string | null;
}

export function renderWord(word: Word): AssemblyAiWord {
  return {
    text: word.text,
    start: word.startMs,
    end: word.endMs,
    confidence: roundConfidence(word.confidence),
    speaker: speakerOf(word),
    channel: word.channel === undefined ? null : String(word.channel + 1),
  };
}

export function renderUtterance(utterance: Utterance): Record<string, unknown> {
  return {
    text: utterance.text,
    start: utterance.startMs,
    end: utterance.endMs,
    confidence: roundConfidence(utterance.confidence),
    speaker: speakerOf(utterance),
    channel: utterance.channel === undefined ? null : String(utterance.channel + 1),
    words: utterance.words.map(renderWord),
  };
}

function roundConfidence(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

/** AssemblyAI reports this status vocabulary only; its SDK polls until `completed` or `error`. */
function statusOf(job: Pick<Job, 'status'>): 'queued' | 'processing' | 'completed' | 'error' {
  return job.status === 'cancelled' ? 'error' : job.status;
}

function errorOf(job: Pick<Job, 'status' | 'error' | 'deletedAt'>): string | undefined {
  if (job.status === 'cancelled')
    return job.deletedAt ? 'Transcript was deleted by user.' : 'Transcript was cancelled.';
  return job.status === 'error' ? (job.error ?? 'Transcription failed') : undefined;
}

const DELETED_AUDIO_URL = 'http://deleted_by_user';

function flag(params: Record<string, unknown>, name: string, fallback: unknown = null): unknown {
  return params[name] ?? fallback;
}

/**
 * The full AssemblyAI transcript object. Fields for features this server does not implement yet
 * carry their off values, as AssemblyAI shows them when not requested.
 */
export function renderTranscript(job: Job, options: { audioUrl: string | null }): Record<string, unknown> {
  const p = job.surfaceParams;
  const t: Transcript | null = job.transcript;
  const deleted = job.deletedAt !== null;
  const completed = job.status === 'completed';
  const body: Record<string, unknown> = {
    id: job.id,
    status: statusOf(job),
    audio_url: deleted ? DELETED_AUDIO_URL : options.audioUrl,
    text: deleted ? 'Deleted by user.' : completed ? (t?.text ?? '') : null,
    words: deleted ? [] : completed ? (t?.words.map(renderWord) ?? []) : null,
    utterances: deleted || !completed ? null : (t?.utterances?.map(renderUtterance) ?? null),
    confidence: completed && t ? (t.confidence === null ? null : roundConfidence(t.confidence)) : null,
    audio_duration:
      job.audioDurationMs === null
        ? t
          ? Math.round(t.durationMs) / 1000
          : null
        : Math.round(job.audioDurationMs) / 1000,
    // AssemblyAI reports the channel count only for multichannel requests.
    audio_channels: p.multichannel || p.dual_channel ? (t?.channels ?? null) : null,
    language_code: t?.language ?? job.request.languageCode ?? null,
    language_detection: flag(p, 'language_detection', false),
    language_confidence: t?.languageConfidence ?? null,
    language_confidence_threshold: null,
    language_codes: null,
    language_model: 'assemblyai_default',
    acoustic_model: 'assemblyai_default',
    speech_model: flag(p, 'speech_model'),
    speech_models: flag(p, 'speech_models'),
    speech_model_used: t?.engine.model ?? job.request.speechModels[0] ?? null,
    punctuate: flag(p, 'punctuate', true),
    format_text: flag(p, 'format_text', true),
    audio_start_from: flag(p, 'audio_start_from'),
    audio_end_at: flag(p, 'audio_end_at'),
    word_boost: flag(p, 'word_boost', []),
    keyterms_prompt: flag(p, 'keyterms_prompt', []),
    boost_param: flag(p, 'boost_param'),
    custom_spelling: flag(p, 'custom_spelling'),
    speech_threshold: flag(p, 'speech_threshold'),
    webhook_url: flag(p, 'webhook_url'),
    webhook_auth: p.webhook_auth_header_name != null,
    webhook_auth_header_name: flag(p, 'webhook_auth_header_name'),
    webhook_status_code: job.webhookStatusCode,
    dual_channel: flag(p, 'dual_channel'),
    multichannel: flag(p, 'multichannel'),
    speaker_labels: flag(p, 'speaker_labels', false),
    speakers_expected: flag(p, 'speakers_expected'),
    speaker_options: flag(p, 'speaker_options'),
    ...renderIntelligenceFields(p, deleted ? null : t, completed),
    custom_topics: false,
    topics: [],
    speed_boost: false,
    throttled: false,
  };
  const error = errorOf(job);
  if (error !== undefined) body.error = error;
  return body;
}

/** One row of `GET /v2/transcript`. */
export function renderListItem(
  job: JobSummary,
  options: { resourceUrl: string; audioUrl: string | null },
): Record<string, unknown> {
  return {
    id: job.id,
    resource_url: options.resourceUrl,
    status: statusOf(job),
    created: job.createdAt.toISOString(),
    completed: job.completedAt ? job.completedAt.toISOString() : null,
    audio_url: job.deletedAt ? DELETED_AUDIO_URL : options.audioUrl,
    error: errorOf(job) ?? null,
  };
}
