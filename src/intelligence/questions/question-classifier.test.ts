import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifySentence, type QuestionReason } from './question-classifier.js';

/** Sentence → expected reason; the punctuation-free form of each must classify the same way. */
const CASES: [string, QuestionReason][] = [
  ['Do you have any kids?', 'inversion'],
  ['Can we move the meeting to Friday?', 'inversion'],
  ['Is it ready for the launch?', 'inversion'],
  ['Would you be open to a pilot?', 'inversion'],
  ['Have you tried turning it off?', 'inversion'],
  ['Does Sarah know about the change?', 'inversion'],
  ["Isn't the deadline next week?", 'inversion'],
  ['So, do you know?', 'inversion'],
  ['Where did you grow up?', 'wh'],
  ['What time is it?', 'wh'],
  ['What kind of car do you drive?', 'wh'],
  ['How long have you worked there?', 'wh'],
  ['Who called the client yesterday?', 'wh'],
  ['Which team won the game?', 'wh'],
  ["What's your budget for this year?", 'wh'],
  ['Okay, so why?', 'wh'],
  ['I was wondering if you could send the slides.', 'embedded'],
  ['Can you tell me how the pricing works?', 'embedded'],
  ['Tell me why you left your last job.', 'embedded'],
  ["I'd like to know what the timeline is.", 'embedded'],
  ['What about the budget?', 'elliptical'],
  ['And how about the second phase?', 'elliptical'],
  ['Why not?', 'elliptical'],
  ['What I mean is that the price is too high.', 'statement'],
  ['When the meeting ends we leave.', 'statement'],
  ['How we did it was a secret.', 'statement'],
  ['Do the dishes before you go.', 'statement'],
  ['Have a nice weekend.', 'statement'],
  ['We shipped the release last week.', 'statement'],
  ['You know?', 'rhetorical'],
  ['Right?', 'rhetorical'],
  ['Okay?', 'rhetorical'],
  ['So, you know what I mean?', 'rhetorical'],
  ['See what I mean?', 'rhetorical'],
  ['Who knows?', 'rhetorical'],
  ["Isn't it?", 'rhetorical'],
  ['We shipped it last week, right?', 'rhetorical'],
  ["It's a good plan, isn't it?", 'rhetorical'],
  ['The demo went great, you know?', 'rhetorical'],
  ["They finished early, didn't they?", 'rhetorical'],
  ["It's pricey, don't you think?", 'rhetorical'],
];

const strip = (text: string): string => text.replace(/[?.,!]/g, '').toLowerCase();

describe('classifySentence', () => {
  for (const [text, reason] of CASES) {
    it(`"${text}" → ${reason}`, () => {
      const question = reason !== 'statement' && reason !== 'rhetorical';
      assert.deepEqual(classifySentence(text), { question, reason });
    });
    // Without a question mark, only the syntax can tell.
    it(`"${strip(text)}" (no punctuation) → ${reason}`, () => {
      const question = reason !== 'statement' && reason !== 'rhetorical';
      assert.equal(classifySentence(strip(text)).question, question);
    });
  }

  it('trusts a lone question mark on a statement (a declarative question)', () => {
    assert.deepEqual(classifySentence("You're moving to Denver?"), { question: true, reason: 'marked' });
    assert.deepEqual(classifySentence("you're moving to denver"), { question: false, reason: 'statement' });
  });

  it('keeps a question followed by a tag a question', () => {
    assert.deepEqual(classifySentence('Is the contract signed, you know?'), {
      question: true,
      reason: 'inversion',
    });
  });

  it('says nothing is asked by an empty sentence', () => {
    assert.deepEqual(classifySentence(' ... '), { question: false, reason: 'statement' });
  });
});
