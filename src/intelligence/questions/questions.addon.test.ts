import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Word } from '../../domain/transcript.js';
import { addonContext, buildTranscript, type Turn } from '../../../test/fixtures/transcripts.js';
import { detectQuestions, questionsAddon } from './questions.addon.js';

/**
 * A sales discovery call: speaker 0 asks, speaker 1 answers. Known questions, in order, with the
 * level each rule gives them (see assignLevels).
 */
const CALL: Turn[] = [
  { speaker: 0, text: 'Thanks for joining today. Where are you based these days?' },
  { speaker: 1, text: "I'm in Denver now." },
  // Same voice, 2.3 s later, after a four-word answer: a follow-up.
  { speaker: 0, text: 'How long have you lived there?' },
  {
    speaker: 1,
    text: 'About three years. We moved for my job at a hospital, and we really love the mountains and the weather, and the kids are happy at their new school, you know?',
  },
  // After a long answer, nothing ties it back: a new main question.
  { speaker: 0, text: 'What does your team do at the hospital?' },
  { speaker: 1, text: "We run the billing systems. It's a lot of work, right?" },
  // Opens with a follow-up cue.
  { speaker: 0, text: 'And what tools do you use for billing?' },
  {
    speaker: 1,
    text: 'Mostly spreadsheets, and a billing system from a vendor that nobody on the team likes very much because it crashes every month.',
  },
  { speaker: 0, text: 'Would you be open to a demo next week?' },
  // The other voice, with a cue.
  { speaker: 1, text: 'Sure. What about Tuesday?' },
  // Shares "demo" with the main question.
  { speaker: 0, text: 'Tuesday works. Could your manager join the demo too?' },
  { speaker: 1, text: 'I will ask her.' },
  { speaker: 0, text: 'Great, see you then.' },
];

const EXPECTED = [
  { question: 'Where are you based these days?', level: 1, startMs: 1900, endMs: 4200, speaker: 0 },
  { question: 'How long have you lived there?', level: 2, startMs: 6500, endMs: 8800, speaker: 0 },
  {
    question: 'What does your team do at the hospital?',
    level: 1,
    startMs: 22_200,
    endMs: 25_300,
    speaker: 0,
  },
  {
    question: 'And what tools do you use for billing?',
    level: 2,
    startMs: 30_700,
    endMs: 33_800,
    speaker: 0,
  },
  {
    question: 'Would you be open to a demo next week?',
    level: 1,
    startMs: 43_300,
    endMs: 46_800,
    speaker: 0,
  },
  { question: 'What about Tuesday?', level: 2, startMs: 47_900, endMs: 49_000, speaker: 1 },
  { question: 'Could your manager join the demo too?', level: 2, startMs: 50_500, endMs: 53_200, speaker: 0 },
];

/** The call as a recogniser without punctuation or casing gives it: same words, same times. */
function unpunctuated(words: readonly Word[]): Word[] {
  return words.map((word) => ({ ...word, text: word.text.replace(/[?.,!]/g, '').toLowerCase() }));
}

describe('questions add-on', () => {
  it('finds the real questions of a call, with askers, times and levels', () => {
    const transcript = buildTranscript(CALL);
    assert.deepEqual(detectQuestions(transcript.words), EXPECTED);
  });

  it('finds the same questions without any punctuation, cutting turns at pauses', () => {
    // 800 ms after each sentence: the pauses a recogniser's output still has.
    const transcript = buildTranscript(CALL, { sentencePauseMs: 800 });
    const found = detectQuestions(unpunctuated(transcript.words));
    assert.deepEqual(
      found.map(({ question, level, speaker }) => ({ question, level, speaker })),
      EXPECTED.map(({ question, level, speaker }) => ({
        question: question.replace(/[?.,!]/g, '').toLowerCase(),
        level,
        speaker,
      })),
    );
  });

  it('finds nothing in fillers and tagged statements', () => {
    const transcript = buildTranscript([
      { speaker: 0, text: "It was a long week, you know? Right? We shipped it, didn't we?" },
      { speaker: 1, text: 'Who knows? Okay?' },
    ]);
    assert.deepEqual(detectQuestions(transcript.words), []);
  });

  it('levels questions without speaker labels by time and cues', () => {
    const transcript = buildTranscript(
      'What is your name? How do you spell it? I grew up in a small town by the sea where my parents ran a bakery for thirty years and everyone knew everyone else. Which school did you go to? Or did you study at home?',
    );
    assert.deepEqual(
      detectQuestions(transcript.words).map(({ question, level }) => ({ question, level })),
      [
        { question: 'What is your name?', level: 1 },
        { question: 'How do you spell it?', level: 2 },
        { question: 'Which school did you go to?', level: 1 },
        { question: 'Or did you study at home?', level: 2 },
      ],
    );
  });

  it('runs when the request asks for questions', async () => {
    assert.equal(questionsAddon.wanted({ questions: true }), true);
    assert.equal(questionsAddon.wanted({ summary: { type: 'gist' } }), false);
    const transcript = buildTranscript(CALL);
    assert.deepEqual(await questionsAddon.run(addonContext(transcript, { questions: true })), EXPECTED);
  });
});
