export { buildChatMessages, formatTimestamp, renderPassage, systemPrompt } from './chat-prompt.js';
export { chatOverTranscript } from './transcript-chat.js';
export type { TranscriptChatAnswer, TranscriptChatInput } from './transcript-chat.js';
