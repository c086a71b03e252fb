import type { Addon } from '../addon.js';
import { extractKeyPhrases } from './key-phrases.js';

/** AssemblyAI's `auto_highlights`: key phrases of the whole transcript, ranked by TextRank. */
export const keyPhrasesAddon: Addon<'keyPhrases'> = {
  name: 'keyPhrases',
  wanted: (request) => request.keyPhrases === true,
  run: ({ transcript, signal }) => {
    signal.throwIfAborted();
    return Promise.resolve(extractKeyPhrases(transcript.words));
  },
};
