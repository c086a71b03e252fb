/** The sentiment of a sentence or a whole conversation (AssemblyAI's labels). */
export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
