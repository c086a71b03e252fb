import { joinWords } from '../text/transcript-text.js';
import type { Addon } from './addon.js';
import type { TranscriptEntity } from './results.js';
import { mapWords, spanTime, wordsInSpan } from './text-map.js';
import { wordsByChannel } from '../text/word-groups.js';

/** Sentence marks glued to an entity's last word ("Smith," → "Smith") are not part of it. */
const TRAILING_MARKS = /[.,!?;:…]+$/u;

/**
 * AssemblyAI's `entity_detection`: people, places, organizations, contact and payment details,
 * dates and amounts in the transcript, with the time of the words they cover.
 */
export const entitiesAddon: Addon<'entities'> = {
  name: 'entities',
  wanted: (request) => request.entities === true,
  run: async ({ transcript, signal }) => {
    // Loaded on first use: the tagger's lexicon takes a moment and memory a server without
    // entity requests never needs.
    const { findEntities, SUPPORTED_ENTITY_TYPES } = await import('./pii/detect-pii.js');
    const entities: TranscriptEntity[] = [];
    for (const words of wordsByChannel(transcript.words)) {
      signal.throwIfAborted();
      const map = mapWords(words);
      for (const span of findEntities(map.text, SUPPORTED_ENTITY_TYPES)) {
        const time = spanTime(map, words, span.start, span.end);
        if (!time) continue;
        const covered = wordsInSpan(map, span.start, span.end).map((i) => words[i]!);
        entities.push({ type: span.type, text: joinWords(covered).replace(TRAILING_MARKS, ''), ...time });
      }
    }
    return entities.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  },
};
