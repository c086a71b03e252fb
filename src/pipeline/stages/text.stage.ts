import type { Segment, Word } from '../../domain/transcript.js';
import type { TranscriptionRequest } from '../../domain/transcription-request.js';
import type { CatalogModel } from '../../models/catalog.types.js';
import { applyCustomSpelling } from '../../text/custom-spelling.js';
import { formatWords } from '../../text/format-words.js';
import { applyTextFilters } from '../../text/text-filters.js';
import { buildSegments, joinWords } from '../../text/transcript-text.js';

export interface TranscriptText {
  words: Word[];
  segments: Segment[];
  text: string;
}

/**
 * Turns recognized words into the transcript's text: punctuation and casing as requested (with a
 * fallback for engines that emit none), then the caller's custom spellings. `modelPunctuated`:
 * the words were already punctuated by a punctuation model (see `punctuate.stage.ts`), so the
 * fallback must not run.
 */
export function buildText(
  words: Word[],
  speechSpansMs: readonly { startMs: number; endMs: number }[],
  request: TranscriptionRequest,
  model: CatalogModel,
  options: { modelPunctuated?: boolean } = {},
): TranscriptText {
  const formatted = formatWords(words, speechSpansMs, {
    punctuate: request.punctuate,
    formatText: request.formatText,
    engineHasPunctuation: model.punctuation || options.modelPunctuated === true,
  });
  const filtered = request.textFilters ? applyTextFilters(formatted, request.textFilters) : formatted;
  const spelled = applyCustomSpelling(filtered, request.customSpelling);
  return { words: spelled, segments: buildSegments(spelled, speechSpansMs), text: joinWords(spelled) };
}
