import type { Task } from '../../../domain/transcription-request.js';
import type { Segment, Transcript, Utterance, Word } from '../../../domain/transcript.js';
import { renderSubtitles } from '../../../exporters/subtitles.exporter.js';
import type { ResponseFormat } from './audio-params.js';
import { openAiLanguageName } from './language-name.js';
import { averageLogProbability, compressionRatio } from './segment-stats.js';

export interface RenderOptions {
  format: ResponseFormat;
  task: Task;
  /** verbose_json: include `words`. */
  words: boolean;
  /** verbose_json: include `segments`. */
  segments: boolean;
}

/** A response body and the media type the openai SDK needs to parse it (JSON) or keep it (text). */
export interface RenderedAudioResponse {
  contentType: string;
  body: string | Record<string, unknown>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** OpenAI serves text, srt and vtt as text/plain, and its SDK returns any non-JSON body as a string. */
const TEXT_TYPE = 'text/plain; charset=utf-8';

const seconds = (ms: number): number => ms / 1000;

/** OpenAI bills whole seconds and reports `usage.seconds` the same way. */
function usage(t: Transcript): { type: 'duration'; seconds: number } {
  return { type: 'duration', seconds: Math.ceil(t.durationMs / 1000) };
}

/**
 * verbose_json segments, with every field the SDK types. Values are honest where we have a
 * measure: `avg_logprob` from the words' confidences, `compression_ratio` from the text as Whisper
 * computes it, `no_speech_prob` 0 because segments are voice activity regions that hold words,
 * `temperature` 0 because decoding is greedy. `seek` is the segment's start in 10 ms frames
 * (Whisper's unit); `tokens` is empty, since the engines expose no Whisper token ids. The text
 * starts with a space as Whisper's does, so joining segment texts gives the transcript.
 */
function renderSegments(t: Transcript): Record<string, unknown>[] {
  // A segment's times cover its words: a word belongs to the segment holding its midpoint.
  const wordsOf = (segment: Segment): Word[] =>
    t.words.filter((w) => {
      const mid = (w.startMs + w.endMs) / 2;
      return (
        mid >= segment.startMs &&
        mid <= segment.endMs &&
        (segment.channel === undefined || w.channel === segment.channel)
      );
    });
  return t.segments.map((segment, id) => ({
    id,
    seek: Math.floor(segment.startMs / 10),
    start: seconds(segment.startMs),
    end: seconds(segment.endMs),
    text: ` ${segment.text}`,
    tokens: [],
    temperature: 0,
    avg_logprob: averageLogProbability(wordsOf(segment)),
    compression_ratio: compressionRatio(segment.text),
    no_speech_prob: 0,
  }));
}

function renderVerbose(t: Transcript, options: RenderOptions): Record<string, unknown> {
  return {
    task: options.task,
    // A translation's text is English, and OpenAI reports the output language for it.
    language:
      options.task === 'translate' ? 'english' : t.language ? openAiLanguageName(t.language) : 'unknown',
    duration: seconds(t.durationMs),
    text: t.text,
    ...(options.segments && { segments: renderSegments(t) }),
    ...(options.words && {
      words: t.words
        .filter((w) => w.text.trim() !== '')
        .map((w) => ({ word: w.text, start: seconds(w.startMs), end: seconds(w.endMs) })),
    }),
    ...(options.task === 'transcribe' && { usage: usage(t) }),
  };
}

/** Speaker 0, 1, … → A, B, … Z, AA, AB, … as OpenAI labels speakers it does not know by name. */
export function speakerLabel(index: number): string {
  let label = '';
  for (let n = index; n >= 0; n = Math.floor(n / 26) - 1) label = String.fromCharCode(65 + (n % 26)) + label;
  return label;
}

/** diarized_json: one segment per speaker turn (utterance); without speakers, one per speech segment. */
function renderDiarized(t: Transcript): Record<string, unknown> {
  const turns: Pick<Utterance, 'startMs' | 'endMs' | 'text' | 'speaker'>[] =
    t.utterances ?? t.segments.map((s) => ({ startMs: s.startMs, endMs: s.endMs, text: s.text }));
  return {
    task: 'transcribe',
    duration: seconds(t.durationMs),
    text: t.text,
    segments: turns.map((turn, i) => ({
      type: 'transcript.text.segment',
      id: `seg_${i}`,
      start: seconds(turn.startMs),
      end: seconds(turn.endMs),
      text: turn.text,
      speaker: speakerLabel(turn.speaker ?? 0),
    })),
    usage: usage(t),
  };
}

/** The finished transcript in the caller's `response_format`. */
export function renderAudioResponse(t: Transcript, options: RenderOptions): RenderedAudioResponse {
  switch (options.format) {
    case 'json':
      // Translations answer `{text}` only (the SDK's Translation type).
      return {
        contentType: JSON_TYPE,
        body: options.task === 'transcribe' ? { text: t.text, usage: usage(t) } : { text: t.text },
      };
    case 'verbose_json':
      return { contentType: JSON_TYPE, body: renderVerbose(t, options) };
    case 'diarized_json':
      return { contentType: JSON_TYPE, body: renderDiarized(t) };
    case 'text':
      return { contentType: TEXT_TYPE, body: `${t.text}\n` };
    case 'srt':
    case 'vtt':
      return { contentType: TEXT_TYPE, body: renderSubtitles(t, { format: options.format }) };
  }
}
