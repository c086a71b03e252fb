import type { Addon } from '../addon.js';
import { classifyTopics } from './topics.js';

/** AssemblyAI's `iab_categories`: IAB content taxonomy labels per segment and for the whole. */
export const topicsAddon: Addon<'topics'> = {
  name: 'topics',
  wanted: (request) => request.topics === true,
  run: ({ transcript, signal }) => {
    signal.throwIfAborted();
    return Promise.resolve(classifyTopics(transcript.words));
  },
};
