import type { AddonResult, Transcript } from '../../../domain/transcript.js';
import type { IntelligenceRequest } from '../../../domain/transcription-request.js';
import type { AddonName, AddonResults } from '../../../intelligence/results.js';

const seconds = (ms: number): number => ms / 1000;

/**
 * Gladia's wrapper around every add-on's output: `{success, is_empty, exec_time, error, results}`,
 * exec_time in seconds, and on failure `results: null` with `{status_code, exception, message}`.
 */
function wrap<N extends AddonName>(
  transcript: Transcript,
  name: N,
  render: (result: AddonResults[N]) => unknown,
  isEmpty: (result: AddonResults[N]) => boolean,
): Record<string, unknown> {
  const entry = transcript.addons[name] as AddonResult<AddonResults[N]> | undefined;
  if (entry?.status !== 'success') {
    return {
      success: false,
      is_empty: true,
      exec_time: seconds(entry?.execMs ?? 0),
      error: {
        status_code: 500,
        exception: 'AddonError',
        message: entry?.status === 'error' ? entry.error : `${name} did not run`,
      },
      results: null,
    };
  }
  return {
    success: true,
    is_empty: isEmpty(entry.result),
    exec_time: seconds(entry.execMs),
    error: null,
    results: render(entry.result),
  };
}

const span = (x: { startMs: number; endMs: number }) => ({
  start: seconds(x.startMs),
  end: seconds(x.endMs),
});

/**
 * The add-on blocks of Gladia's `result`, each present only when its flag was on. Sentiments are
 * lowercase as Gladia writes them; moderation gives the transcript with every sentence flagged by
 * content safety replaced by `[moderated]`.
 */
export function renderGladiaAddons(
  transcript: Transcript,
  request: IntelligenceRequest | undefined,
): Record<string, unknown> {
  if (!request) return {};
  const out: Record<string, unknown> = {};
  if (request.entities) {
    out.named_entity_recognition = wrap(
      transcript,
      'entities',
      (entities) => entities.map((e) => ({ entity_type: e.type, text: e.text, ...span(e) })),
      (entities) => entities.length === 0,
    );
  }
  if (request.sentiment) {
    out.sentiment_analysis = wrap(
      transcript,
      'sentiment',
      (sentences) =>
        sentences.map((s) => ({
          text: s.text,
          sentiment: s.sentiment.toLowerCase(),
          confidence: s.confidence,
          ...span(s),
          channel: s.channel ?? 0,
          ...(s.speaker !== undefined && { speaker: s.speaker }),
        })),
      (sentences) => sentences.length === 0,
    );
  }
  if (request.contentSafety) {
    out.moderation = wrap(
      transcript,
      'contentSafety',
      (safety) => moderatedText(transcript.text, safety.segments),
      (safety) => safety.segments.length === 0,
    );
  }
  if (request.chapters) {
    out.chapterization = wrap(
      transcript,
      'chapters',
      (chapters) =>
        chapters.map((c) => ({
          headline: c.headline,
          gist: c.gist,
          summary: c.summary,
          abstractive_summary: c.summary,
          ...span(c),
        })),
      (chapters) => chapters.length === 0,
    );
  }
  if (request.summary) {
    out.summarization = wrap(
      transcript,
      'summary',
      (summary) => summary.text,
      (summary) => summary.text.trim() === '',
    );
  }
  if (request.llmPrompts?.length) {
    out.audio_to_llm = wrap(
      transcript,
      'llmPrompts',
      (answers) =>
        answers.map((a) => ({
          success: true,
          is_empty: a.answer.trim() === '',
          exec_time: 0,
          error: null,
          results: { prompt: a.prompt, response: a.answer },
        })),
      (answers) => answers.length === 0,
    );
  }
  if (request.translation) {
    out.translation = wrap(
      transcript,
      'translation',
      (translations) =>
        Object.entries(translations).map(([language, text]) => ({
          error: null,
          full_transcript: text,
          languages: [language],
          utterances: [],
        })),
      (translations) => Object.keys(translations).length === 0,
    );
  }
  return out;
}

/** The transcript text with each flagged segment's text replaced (segments are verbatim slices). */
function moderatedText(text: string, flagged: readonly { text: string }[]): string {
  let out = text;
  for (const segment of flagged) {
    if (segment.text) out = out.split(segment.text).join('[moderated]');
  }
  return out;
}
