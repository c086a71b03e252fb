export { questionsAddon, detectQuestions, UNPUNCTUATED_PAUSE_MS } from './questions.addon.js';
export type { QuestionOptions } from './questions.addon.js';
export { classifySentence, isRealQuestion } from './question-classifier.js';
export type { QuestionReason, QuestionVerdict } from './question-classifier.js';
export { assignLevels, LEVEL_DEFAULTS } from './question-levels.js';
export type { FoundQuestion, LevelOptions } from './question-levels.js';
