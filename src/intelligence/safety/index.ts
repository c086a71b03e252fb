export { contentSafetyAddon } from './content-safety.addon.js';
export { classifyText } from './classifier.js';
export { SAFETY_LABELS, type SafetyLabelName } from './lexicon.js';
