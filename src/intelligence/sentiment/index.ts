export { sentimentAddon, sentenceSentiments } from './sentiment.addon.js';
export { analyzeSentiment, polarityScores, COMPOUND_THRESHOLD } from './vader.js';
export type { PolarityScores, SentimentAnalysis } from './vader.js';
export { loadVaderLexicon, setVaderLexiconPath, vaderLexiconPath } from './vader-lexicon.js';
