export { llmPromptsAddon, answerPrompt } from './llm-prompts.addon.js';
export { translationAddon, translate, languageName } from './translation.addon.js';
