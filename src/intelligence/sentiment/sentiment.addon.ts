import type { Word } from '../../domain/transcript.js';
import { splitSentences, type Sentence } from '../../text/sentences.js';
import type { Addon } from '../addon.js';
import type { SentenceSentiment } from '../results.js';
import { analyzeSentiment } from './vader.js';
import { majoritySpeaker, wordsByChannel } from '../../text/word-groups.js';

/**
 * AssemblyAI's `sentiment_analysis`: one sentiment per sentence, scored with VADER. Sentences never
 * cross a speaker change (splitSentences cuts there) nor mix channels: each channel's words are
 * split on their own, so two people talking over each other on separate channels do not blend.
 */
export const sentimentAddon: Addon<'sentiment'> = {
  name: 'sentiment',
  wanted: (request) => request.sentiment === true,
  run: ({ transcript, signal }) => {
    signal.throwIfAborted();
    return Promise.resolve(sentenceSentiments(transcript.words));
  },
};

export function sentenceSentiments(words: readonly Word[]): SentenceSentiment[] {
  const sentences = wordsByChannel(words)
    .flatMap((channelWords) => splitSentences(channelWords))
    .sort((a, b) => a.startMs - b.startMs || (a.channel ?? 0) - (b.channel ?? 0));
  return sentences.filter((s) => s.text.trim() !== '').map(toSentiment);
}

function toSentiment(sentence: Sentence): SentenceSentiment {
  const { sentiment, confidence } = analyzeSentiment(sentence.text);
  const result: SentenceSentiment = {
    text: sentence.text,
    startMs: sentence.startMs,
    endMs: sentence.endMs,
    sentiment,
    confidence,
  };
  const speaker = majoritySpeaker(sentence.words);
  if (speaker !== undefined) result.speaker = speaker;
  if (sentence.channel !== undefined) result.channel = sentence.channel;
  return result;
}
