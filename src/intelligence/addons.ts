import type { Addon } from './addon.js';
import type { AddonName } from './results.js';

/**
 * Every add-on of the intelligence stage, in the order they run. Redaction is not here: it
 * rewrites the transcript, so the stage runs it first, before any of these.
 */
export const ADDONS: readonly Addon[] = [];

/** Analyses the stage runs itself rather than through `ADDONS`. */
const BUILT_INTO_STAGE: readonly AddonName[] = [];

/** Whether this server can run an analysis; surfaces refuse the ones it cannot. */
export function isAnalysisAvailable(name: AddonName): boolean {
  return BUILT_INTO_STAGE.includes(name) || ADDONS.some((addon) => addon.name === name);
}
