import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConversationMetrics } from './conversation.types.js';
import { scoreConversation } from './rubric.js';

const base: ConversationMetrics = {
  callMs: 600_000,
  totalTalkMs: 600_000,
  repTalkMs: 300_000,
  repWords: 750,
  wordsPerMinute: 150,
  fillerWordCount: 0,
  fillerWordsPer100: 0,
  questionsAsked: 4,
  questionsPer10Min: 4,
  talkRatio: 0.5,
  longestMonologueMs: 30_000,
  averageSentenceWords: 12,
  overallSentiment: 'NEUTRAL',
  sentimentScore: 0,
  objectionsRaised: 0,
  objectionsAddressed: 0,
  closeCues: ['next step', 'schedule', 'proposal'],
};

void describe('scoreConversation', () => {
  void it('gives 100 everywhere inside every band (mood 50 at neutral sentiment)', () => {
    assert.deepEqual(scoreConversation(base, 0), {
      clarity: 100,
      influence: 75,
      objection: 100,
      discovery: 100,
      delivery: 100,
      close: 100,
      overall: 96,
    });
  });

  void it('takes points off outside each band, exactly as documented', () => {
    const scores = scoreConversation(
      {
        ...base,
        wordsPerMinute: 190, // 20 over: pace 60
        fillerWordsPer100: 3.5, // filler 65
        averageSentenceWords: 25, // 5 over: sentence 75
        talkRatio: 0.75, // 15 points over: talk 70
        questionsPer10Min: 1.5, // discovery 37.5 → 38
        objectionsRaised: 3,
        objectionsAddressed: 1, // 33
        closeCues: ['demo'], // 34
      },
      0.5, // mood 75
    );
    assert.deepEqual(scores, {
      clarity: 70, // 0.5 × 65 + 0.5 × 75
      influence: 73, // 0.5 × 70 + 0.5 × 75 = 72.5
      objection: 33,
      discovery: 38,
      delivery: 62, // 0.6 × 60 + 0.4 × 65
      close: 34,
      overall: 52, // (70 + 73 + 33 + 38 + 62 + 34) / 6 = 51.67
    });
  });

  void it('scores pace and sentences 0 when the rep never spoke', () => {
    const scores = scoreConversation({ ...base, wordsPerMinute: null, averageSentenceWords: 0 }, 0);
    assert.equal(scores.delivery, 40); // 0.6 × 0 + 0.4 × 100
    assert.equal(scores.clarity, 50);
  });
});
