import type { Word } from '../../domain/transcript.js';
import { type Sentence, splitSentences } from '../../text/sentences.js';
import type { Addon } from '../addon.js';
import type { AskedQuestion } from '../results.js';
import { isRealQuestion } from './question-classifier.js';
import { assignLevels, type FoundQuestion, type LevelOptions } from './question-levels.js';
import { majoritySpeaker, wordsByChannel } from '../../text/word-groups.js';

/**
 * A pause this long inside an unpunctuated run of words ends a sentence. Without punctuation
 * (punctuation turned off, or an engine that has none) a speaker's whole turn is one "sentence",
 * and a question asked after a remark ("thanks for coming … what do you do") would hide in it.
 */
export const UNPUNCTUATED_PAUSE_MS = 700;

export interface QuestionOptions extends LevelOptions {
  /** @defaultValue 700 (see `UNPUNCTUATED_PAUSE_MS`) */
  pauseMs?: number;
}

/**
 * The `questions` analysis: every real question asked in the conversation, with its asker, times
 * and level (1: main question, 2: follow-up; see `assignLevels`). Sentences never cross a speaker
 * change, and each channel is split on its own.
 */
export const questionsAddon: Addon<'questions'> = {
  name: 'questions',
  wanted: (request) => request.questions === true,
  run: ({ transcript, signal }) => {
    signal.throwIfAborted();
    return Promise.resolve(detectQuestions(transcript.words));
  },
};

export function detectQuestions(words: readonly Word[], options: QuestionOptions = {}): AskedQuestion[] {
  const pauseMs = options.pauseMs ?? UNPUNCTUATED_PAUSE_MS;
  const sentences = wordsByChannel(words)
    .flatMap((channelWords) => splitSentences(channelWords))
    .flatMap((sentence) => splitAtPauses(sentence, pauseMs))
    .sort((a, b) => a.startMs - b.startMs || (a.channel ?? 0) - (b.channel ?? 0));
  const found: FoundQuestion[] = sentences
    .filter((sentence) => sentence.text.trim() !== '' && isRealQuestion(sentence.text))
    .map((sentence) => {
      const question: FoundQuestion = {
        text: sentence.text.trim(),
        startMs: sentence.startMs,
        endMs: sentence.endMs,
      };
      const speaker = majoritySpeaker(sentence.words);
      if (speaker !== undefined) question.speaker = speaker;
      if (sentence.channel !== undefined) question.channel = sentence.channel;
      return question;
    });
  const levels = assignLevels(found, words, options);
  return found.map((q, i) => {
    const asked: AskedQuestion = {
      question: q.text,
      level: levels[i] ?? 1,
      startMs: q.startMs,
      endMs: q.endMs,
    };
    if (q.speaker !== undefined) asked.speaker = q.speaker;
    if (q.channel !== undefined) asked.channel = q.channel;
    return asked;
  });
}

/** A sentence without any sentence punctuation, cut at pauses of `pauseMs` or more. */
function splitAtPauses(sentence: Sentence, pauseMs: number): Sentence[] {
  if (/[.?!？]/u.test(sentence.text)) return [sentence];
  const pieces: Word[][] = [];
  let current: Word[] = [];
  for (const word of sentence.words) {
    const previous = current[current.length - 1];
    if (previous && word.startMs - previous.endMs >= pauseMs) {
      pieces.push(current);
      current = [];
    }
    current.push(word);
  }
  if (current.length > 0) pieces.push(current);
  return pieces.length <= 1 ? [sentence] : pieces.flatMap((piece) => splitSentences(piece));
}
