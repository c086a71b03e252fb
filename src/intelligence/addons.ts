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
import { EarshotError } from '../domain/errors.js';
import type { IntelligenceRequest } from '../domain/transcription-request.js';
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

/** The analyses a request asks for, by add-on name. */
export function requestedAnalyses(request: IntelligenceRequest): AddonName[] {
  const asked: Record<AddonName, boolean> = {
    redaction: request.redactPii !== undefined,
    entities: request.entities === true,
    sentiment: request.sentiment === true,
    keyPhrases: request.keyPhrases === true,
    topics: request.topics === true,
    contentSafety: request.contentSafety !== undefined,
    chapters: request.chapters === true,
    summary: request.summary !== undefined,
    llmPrompts: (request.llmPrompts?.length ?? 0) > 0,
    translation: request.translation !== undefined,
    questions: request.questions === true,
    conversation: request.conversation !== undefined,
  };
  return (Object.keys(asked) as AddonName[]).filter((name) => asked[name]);
}

/**
 * Refuses a request for analyses this server cannot run, naming each by the surface's own
 * parameter (`paramOf`), as every unsupported option is refused.
 */
export function assertAnalysesAvailable(
  request: IntelligenceRequest,
  paramOf: Partial<Record<AddonName, string>>,
): void {
  const params = requestedAnalyses(request)
    .filter((name) => !isAnalysisAvailable(name))
    .map((name) => paramOf[name] ?? name);
  if (params.length === 0) return;
  const them = params.length > 1 ? 'them' : 'it';
  throw new EarshotError(
    'unsupportedParameter',
    `Not supported by this server yet: ${params.join(', ')}. Remove ${them} or set ${them} to false/null.`,
    { param: params[0] },
  );
}
