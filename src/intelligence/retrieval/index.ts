export { Bm25Index } from './bm25.js';
export type { Bm25Hit, Bm25Options } from './bm25.js';
export { buildPassages, PASSAGE_DEFAULTS, splitLongLine } from './passages.js';
export type { Passage, PassageOptions, TranscriptLine } from './passages.js';
export { evenlySpread, retrievePassages } from './retrieve.js';
export type { Retrieval, RetrievalOptions } from './retrieve.js';
