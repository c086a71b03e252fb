import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOSE_CUES, findCues, OBJECTION_CUES } from './cues.js';

void describe('findCues', () => {
  void it('matches whole words, with plural and verb endings, in list order', () => {
    assert.deepEqual(findCues("Let's agree next steps; I've scheduled the demo.", CLOSE_CUES), [
      'next step',
      'schedule',
      'demo',
    ]);
    assert.deepEqual(findCues('The design is signed off', CLOSE_CUES), ['sign']);
    assert.deepEqual(findCues('It’s too expensive, honestly.', OBJECTION_CUES), [
      'too expensive',
      'expensive',
    ]);
    assert.deepEqual(findCues('We demonstrated it', CLOSE_CUES), []);
  });
});
