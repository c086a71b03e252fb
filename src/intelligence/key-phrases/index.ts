export { keyPhrasesAddon } from './key-phrases.addon.js';
export { extractKeyPhrases, KEY_PHRASE_DEFAULTS } from './key-phrases.js';
export type { KeyPhraseOptions } from './key-phrases.js';
