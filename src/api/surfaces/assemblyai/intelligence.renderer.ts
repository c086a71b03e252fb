import type { AddonResult, Transcript } from '../../../domain/transcript.js';
import type { AddonName, AddonResults } from '../../../intelligence/results.js';
import { speakerOf } from './speaker-labels.js';

type Params = Record<string, unknown>;

function result<N extends AddonName>(t: Transcript | null, name: N): AddonResults[N] | undefined {
  const entry = t?.addons[name] as AddonResult<AddonResults[N]> | undefined;
  return entry?.status === 'success' ? entry.result : undefined;
}

/** AssemblyAI marks a requested model that failed as `unavailable` in its result object. */
function statusOf(t: Transcript | null, name: AddonName): 'success' | 'unavailable' {
  return t?.addons[name]?.status === 'success' ? 'success' : 'unavailable';
}

const timestamp = (x: { startMs: number; endMs: number }) => ({ start: x.startMs, end: x.endMs });
const round = (value: number, digits = 5): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The add-on fields of an AssemblyAI transcript, filled from the canonical results: each field is
 * present only as AssemblyAI shows it — null/false when not requested, results when requested.
 */
export function renderIntelligenceFields(
  p: Params,
  t: Transcript | null,
  completed: boolean,
): Record<string, unknown> {
  const on = (name: string): boolean => p[name] === true;
  const done = completed && t !== null;
  const entities = result(t, 'entities');
  const sentiment = result(t, 'sentiment');
  const keyPhrases = result(t, 'keyPhrases');
  const topics = result(t, 'topics');
  const safety = result(t, 'contentSafety');
  const chapters = result(t, 'chapters');
  const summary = result(t, 'summary');
  const translation = result(t, 'translation');
  return {
    redact_pii: on('redact_pii'),
    redact_pii_audio: on('redact_pii_audio'),
    redact_pii_audio_quality: p.redact_pii_audio_quality ?? null,
    redact_pii_audio_options: p.redact_pii_audio_options ?? null,
    redact_pii_policies: p.redact_pii_policies ?? null,
    redact_pii_sub: p.redact_pii_sub ?? (on('redact_pii') ? 'hash' : null),
    filter_profanity: on('filter_profanity'),
    disfluencies: on('disfluencies'),
    entity_detection: on('entity_detection'),
    entities:
      on('entity_detection') && done
        ? (entities ?? []).map((e) => ({ entity_type: e.type, text: e.text, start: e.startMs, end: e.endMs }))
        : null,
    sentiment_analysis: on('sentiment_analysis'),
    sentiment_analysis_results:
      on('sentiment_analysis') && done
        ? (sentiment ?? []).map((s) => ({
            text: s.text,
            start: s.startMs,
            end: s.endMs,
            sentiment: s.sentiment,
            confidence: round(s.confidence),
            speaker: speakerOf(s),
            channel: s.channel === undefined ? null : String(s.channel + 1),
          }))
        : null,
    auto_highlights: on('auto_highlights'),
    auto_highlights_result:
      on('auto_highlights') && done
        ? {
            status: statusOf(t, 'keyPhrases'),
            results: (keyPhrases ?? []).map((k) => ({
              count: k.count,
              rank: round(k.rank, 2),
              text: k.text,
              timestamps: k.timestamps.map(timestamp),
            })),
          }
        : null,
    iab_categories: on('iab_categories'),
    iab_categories_result:
      on('iab_categories') && done
        ? {
            status: statusOf(t, 'topics'),
            results: (topics?.segments ?? []).map((s) => ({
              text: s.text,
              labels: s.labels.map((l) => ({ relevance: round(l.relevance), label: l.label })),
              timestamp: timestamp(s),
            })),
            summary: topics?.summary ?? {},
          }
        : null,
    content_safety: on('content_safety'),
    content_safety_confidence: p.content_safety_confidence ?? null,
    content_safety_labels:
      on('content_safety') && done
        ? {
            status: statusOf(t, 'contentSafety'),
            results: (safety?.segments ?? []).map((s) => ({
              text: s.text,
              labels: s.labels.map((l) => ({
                label: l.label,
                confidence: round(l.confidence),
                severity: round(l.severity),
              })),
              timestamp: timestamp(s),
            })),
            summary: safety?.summary ?? {},
            severity_score_summary: safety?.severitySummary ?? {},
          }
        : null,
    auto_chapters: on('auto_chapters'),
    chapters:
      on('auto_chapters') && done
        ? (chapters ?? []).map((c) => ({
            gist: c.gist,
            headline: c.headline,
            summary: c.summary,
            start: c.startMs,
            end: c.endMs,
          }))
        : null,
    summarization: on('summarization'),
    summary_type: p.summary_type ?? (on('summarization') ? 'bullets' : null),
    summary_model: p.summary_model ?? (on('summarization') ? 'informative' : null),
    summary: on('summarization') && done ? (summary?.text ?? null) : null,
    speech_understanding: p.speech_understanding ?? null,
    ...(p.speech_understanding != null && done && { translated_texts: translation ?? {} }),
  };
}
