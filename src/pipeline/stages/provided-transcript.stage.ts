import type { Transcript, Utterance, Word } from '../../domain/transcript.js';
import type { ProvidedTranscript, TranscriptionRequest } from '../../domain/transcription-request.js';
import { spreadWordsOverSpan, splitTextIntoWords } from '../../engines/asr/tokens-to-words.js';
import { applyCustomSpelling } from '../../text/custom-spelling.js';
import { applyTextFilters } from '../../text/text-filters.js';
import { buildSegments, joinWords } from '../../text/transcript-text.js';

/** Confidence of words the caller supplied: they are taken as they are. */
const PROVIDED_CONFIDENCE = 1;

/**
 * A caller's own transcript as a canonical one, so the analyses run on it as on any other. Words
 * get times estimated within their utterance (in proportion to their length); speakers are
 * numbered by first appearance of the caller's labels, and the same text filters and spellings
 * apply as to recognized speech.
 */
export function transcriptFromUtterances(
  provided: ProvidedTranscript,
  request: Pick<TranscriptionRequest, 'textFilters' | 'customSpelling' | 'languageCode'>,
): Transcript {
  const speakerIndex = new Map<string, number>();
  const indexOf = (label: string | undefined): number | undefined => {
    if (label === undefined) return undefined;
    if (!speakerIndex.has(label)) speakerIndex.set(label, speakerIndex.size);
    return speakerIndex.get(label);
  };
  const utterances: Utterance[] = [];
  for (const u of [...provided.utterances].sort((a, b) => a.startMs - b.startMs)) {
    const speaker = indexOf(u.speaker);
    let words: Word[] = spreadWordsOverSpan(
      splitTextIntoWords(u.text),
      { start: u.startMs / 1000, end: Math.max(u.startMs, u.endMs) / 1000 },
      PROVIDED_CONFIDENCE,
    ).map((w) => ({
      text: w.text,
      startMs: Math.round(w.start * 1000),
      endMs: Math.round(w.end * 1000),
      confidence: w.confidence,
      ...(speaker !== undefined && { speaker }),
    }));
    if (request.textFilters) words = applyTextFilters(words, request.textFilters);
    words = applyCustomSpelling(words, request.customSpelling);
    if (words.length === 0) continue;
    utterances.push({
      text: joinWords(words),
      startMs: u.startMs,
      endMs: Math.max(u.startMs, u.endMs),
      confidence: PROVIDED_CONFIDENCE,
      ...(speaker !== undefined && { speaker }),
      words,
    });
  }
  const words = utterances.flatMap((u) => u.words);
  const spans = utterances.map((u) => ({ startMs: u.startMs, endMs: u.endMs }));
  const durationMs = utterances.reduce((end, u) => Math.max(end, u.endMs), 0);
  return {
    language: request.languageCode ?? null,
    languageConfidence: null,
    durationMs,
    channels: 1,
    text: joinWords(words),
    words,
    segments: buildSegments(words, spans),
    utterances: speakerIndex.size > 0 ? utterances : null,
    confidence: words.length > 0 ? PROVIDED_CONFIDENCE : null,
    speakers: speakerIndex.size > 0 ? speakerIndex.size : null,
    engine: { id: 'provided', model: 'caller-transcript' },
    speechMs: spans.reduce((sum, s) => sum + (s.endMs - s.startMs), 0),
    addons: {},
  };
}
