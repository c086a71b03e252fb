export { summaryAddon } from './summary.addon.js';
export { extractiveSummary } from './extractive.summary.js';
export { llmSummary, type SummaryStyle } from './llm.summary.js';
