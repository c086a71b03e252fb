import type { Addon } from './addon.js';
import { chaptersAddon } from './chapters/index.js';
import { conversationAddon } from './conversation/index.js';
import { entitiesAddon } from './entities.addon.js';
import { llmPromptsAddon, translationAddon } from './prompts/index.js';
import { questionsAddon } from './questions/index.js';
import { contentSafetyAddon } from './safety/index.js';
import { summaryAddon } from './summary/index.js';
import { keyPhrasesAddon } from './key-phrases/index.js';
import { sentimentAddon } from './sentiment/index.js';
import { topicsAddon } from './topics/index.js';
import type { AddonName } from './results.js';

/**
 * Every add-on of the intelligence stage, in the order they run. Redaction is not here: it
 * rewrites the transcript, so the stage runs it first, before any of these.
 */
export const ADDONS: readonly Addon[] = [
  entitiesAddon,
  sentimentAddon,
  keyPhrasesAddon,
  topicsAddon,
  contentSafetyAddon,
  chaptersAddon,
  summaryAddon,
  llmPromptsAddon,
  translationAddon,
  questionsAddon,
  conversationAddon,
];

/** Analyses the stage runs itself rather than through `ADDONS`. */
const BUILT_INTO_STAGE: readonly AddonName[] = ['redaction'];

/** Whether this server can run an analysis; surfaces refuse the ones it cannot. */
export function isAnalysisAvailable(name: AddonName): boolean {
  return BUILT_INTO_STAGE.includes(name) || ADDONS.some((addon) => addon.name === name);
}
