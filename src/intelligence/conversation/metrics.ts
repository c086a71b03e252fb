import type { Transcript } from '../../domain/transcript.js';
import { isDisfluency } from '../../text/text-filters.js';
import { type Sentence, splitSentences } from '../../text/sentences.js';
import { joinWords } from '../../text/transcript-text.js';
import type { AskedQuestion, SentimentLabel } from '../results.js';
import { COMPOUND_THRESHOLD } from '../sentiment/index.js';
import type { ConversationMetrics, SpeakerTalk } from './conversation.types.js';
import { ACKNOWLEDGE_CUES, CLOSE_CUES, findCues, OBJECTION_CUES } from './cues.js';
import { speakerTurns, type Turn } from './turns.js';

/** Scores a sentence's sentiment, -1..1 (VADER's compound); injected so tests need no lexicon. */
export type SentimentScorer = (text: string) => number;

export interface MeasuredConversation {
  speakers: SpeakerTalk[];
  metrics: ConversationMetrics;
}

const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;

const duration = (turns: readonly Turn[]): number => turns.reduce((sum, t) => sum + (t.endMs - t.startMs), 0);

function label(compound: number): SentimentLabel {
  if (compound >= COMPOUND_THRESHOLD) return 'POSITIVE';
  if (compound <= -COMPOUND_THRESHOLD) return 'NEGATIVE';
  return 'NEUTRAL';
}

/** Sentences never span two turns, so a turn without final punctuation does not run into the next. */
const sentencesOf = (turns: readonly Turn[]): Sentence[] => turns.flatMap((t) => splitSentences(t.words));

/**
 * Longest stretch of consecutive rep turns (first start to last end) with no one else's turn in
 * between: a pause inside a monologue is still the rep holding the floor.
 */
function longestMonologue(turns: readonly Turn[], rep: number): number {
  let longest = 0;
  let startMs: number | undefined;
  for (const turn of turns) {
    if (turn.speaker !== rep) {
      startMs = undefined;
      continue;
    }
    startMs ??= turn.startMs;
    longest = Math.max(longest, turn.endMs - startMs);
  }
  return longest;
}

/**
 * Objections the prospect raised (a sentence by anyone but the rep with an objection cue) and how
 * many the rep addressed: the rep's next turn acknowledges it (an acknowledgement cue) or asks a
 * question about it.
 */
function objections(
  turns: readonly Turn[],
  rep: number,
  repQuestions: readonly AskedQuestion[],
): { raised: number; addressed: number } {
  let raised = 0;
  let addressed = 0;
  for (const sentence of sentencesOf(turns.filter((t) => t.speaker !== rep))) {
    if (findCues(sentence.text, OBJECTION_CUES).length === 0) continue;
    raised++;
    const reply = turns.find((t) => t.speaker === rep && t.startMs >= sentence.endMs);
    if (!reply) continue;
    const text = joinWords(reply.words);
    const asked = repQuestions.some((q) => q.startMs >= reply.startMs && q.startMs < reply.endMs);
    if (asked || findCues(text, ACKNOWLEDGE_CUES).length > 0) addressed++;
  }
  return { raised, addressed };
}

/**
 * Measures a call from the rep's side. `questions` are every question detected in the call (the
 * questions add-on's result); only the rep's count.
 */
export function measureConversation(
  transcript: Pick<Transcript, 'utterances' | 'words'>,
  rep: number,
  questions: readonly AskedQuestion[],
  sentiment: SentimentScorer,
): MeasuredConversation {
  const turns = speakerTurns(transcript);
  const repTurns = turns.filter((t) => t.speaker === rep);
  const repWords = repTurns.flatMap((t) => t.words);
  const totalTalkMs = duration(turns);
  const repTalkMs = duration(repTurns);
  const callMs = turns.length === 0 ? 0 : Math.max(...turns.map((t) => t.endMs)) - turns[0]!.startMs;
  const fillerWordCount = repWords.filter((w) => isDisfluency(w.text)).length;
  // Undiarized words count as speaker 0 (see speakerTurns), and so do their questions.
  const repQuestions = questions.filter((q) => (q.speaker ?? 0) === rep);

  const sentenceScores = new Map<Sentence, number>();
  const allSentences = sentencesOf(turns);
  for (const s of allSentences) sentenceScores.set(s, sentiment(s.text));
  const sentimentOf = (sentences: readonly Sentence[]): number =>
    round(mean(sentences.map((s) => sentenceScores.get(s) ?? 0)), 3);

  const speakerIds = [...new Set(turns.map((t) => t.speaker))].sort((a, b) => a - b);
  const speakers: SpeakerTalk[] = speakerIds.map((speaker) => {
    const own = turns.filter((t) => t.speaker === speaker);
    const words = own.flatMap((t) => t.words);
    return {
      speaker,
      talkMs: duration(own),
      words: words.length,
      fillerWords: words.filter((w) => isDisfluency(w.text)).length,
      sentimentScore: sentimentOf(allSentences.filter((s) => (s.speaker ?? 0) === speaker)),
    };
  });

  const repSentences = sentencesOf(repTurns);
  const overall = sentimentOf(allSentences);
  const { raised, addressed } = objections(turns, rep, repQuestions);
  return {
    speakers,
    metrics: {
      callMs,
      totalTalkMs,
      repTalkMs,
      repWords: repWords.length,
      wordsPerMinute: repTalkMs > 0 ? round(repWords.length / (repTalkMs / 60_000), 1) : null,
      fillerWordCount,
      fillerWordsPer100: repWords.length > 0 ? round((100 * fillerWordCount) / repWords.length, 1) : 0,
      questionsAsked: repQuestions.length,
      questionsPer10Min: callMs > 0 ? round((repQuestions.length * 600_000) / callMs, 1) : 0,
      talkRatio: totalTalkMs > 0 ? round(repTalkMs / totalTalkMs, 2) : 0,
      longestMonologueMs: longestMonologue(turns, rep),
      averageSentenceWords: round(mean(repSentences.map((s) => s.words.length)), 1),
      overallSentiment: label(overall),
      sentimentScore: overall,
      objectionsRaised: raised,
      objectionsAddressed: addressed,
      closeCues: findCues(joinWords(repWords), CLOSE_CUES),
    },
  };
}
