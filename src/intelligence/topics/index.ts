export { topicsAddon } from './topics.addon.js';
export { classifyTopics, labelText, TOPIC_DEFAULTS } from './topics.js';
export type { TopicOptions } from './topics.js';
export { IAB_TOPICS } from './iab-taxonomy.js';
export type { TopicDefinition } from './iab-taxonomy.js';
