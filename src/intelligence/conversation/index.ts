export { conversationAddon, NO_LLM_REASON } from './conversation.addon.js';
export { RUBRIC_DESCRIPTION, scoreConversation } from './rubric.js';
export { measureConversation } from './metrics.js';
export { CONVERSATION_DIMENSIONS } from './conversation.types.js';
export type {
  ConversationAnalysis,
  ConversationCoaching,
  ConversationDimension,
  ConversationMetrics,
  ConversationScores,
  SpeakerTalk,
} from './conversation.types.js';
