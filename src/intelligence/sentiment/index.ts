export { sentimentAddon, sentenceSentiments } from './sentiment.addon.js';
export { analyzeSentiment, polarityScores, COMPOUND_THRESHOLD } from './vader.js';
export type { PolarityScores, SentimentAnalysis } from './vader.js';
export { loadVaderLexicon, setVaderLexiconPath, vaderLexiconPath, SHARED_DIR_ENV } from './vader-lexicon.js';
