import { splitParagraphs } from '../../text/sentences.js';
import type { Addon } from '../addon.js';
import type { ContentSafetyResult, SafetyLabel } from '../results.js';
import { classifyText } from './classifier.js';

/** AssemblyAI's default `content_safety_confidence` (50%). */
const DEFAULT_MIN_CONFIDENCE = 0.5;

/** Severity bands of AssemblyAI's `severity_score_summary`: below 0.4 low, below 0.7 medium. */
const LOW_BELOW = 0.4;
const MEDIUM_BELOW = 0.7;

/**
 * AssemblyAI's `content_safety`: each paragraph of the transcript (a run of sentences by one
 * speaker, at most 150 words — about the passages AssemblyAI labels) is classified on its own, and
 * only paragraphs with a label at or above the requested confidence are listed.
 */
export const contentSafetyAddon: Addon<'contentSafety'> = {
  name: 'contentSafety',
  wanted: (request) => request.contentSafety !== undefined,
  run({ transcript, request }) {
    const minConfidence = request.contentSafety?.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    const segments: ContentSafetyResult['segments'] = [];
    for (const paragraph of splitParagraphs(transcript.words)) {
      const labels = classifyText(paragraph.text).filter((l) => l.confidence >= minConfidence);
      if (labels.length > 0) {
        segments.push({ text: paragraph.text, startMs: paragraph.startMs, endMs: paragraph.endMs, labels });
      }
    }
    return Promise.resolve(summarize(segments));
  },
};

/**
 * The whole-transcript figures. A label's summary confidence is the chance that at least one of its
 * passages really has it, treating passages as independent (noisy-OR of their confidences); its
 * severity summary is the share of its passages in each severity band.
 */
export function summarize(segments: ContentSafetyResult['segments']): ContentSafetyResult {
  const byLabel = new Map<string, SafetyLabel[]>();
  for (const segment of segments) {
    for (const label of segment.labels) {
      let list = byLabel.get(label.label);
      if (!list) byLabel.set(label.label, (list = []));
      list.push(label);
    }
  }
  const summary: ContentSafetyResult['summary'] = {};
  const severitySummary: ContentSafetyResult['severitySummary'] = {};
  for (const [label, hits] of [...byLabel].sort(([a], [b]) => a.localeCompare(b))) {
    summary[label] = 1 - hits.reduce((doubt, h) => doubt * (1 - h.confidence), 1);
    const share = (test: (severity: number) => boolean) =>
      hits.filter((h) => test(h.severity)).length / hits.length;
    severitySummary[label] = {
      low: share((s) => s < LOW_BELOW),
      medium: share((s) => s >= LOW_BELOW && s < MEDIUM_BELOW),
      high: share((s) => s >= MEDIUM_BELOW),
    };
  }
  return { segments, summary, severitySummary };
}
