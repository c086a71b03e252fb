import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endsSentence } from './sentence-boundary.js';

void describe('endsSentence', () => {
  void it('ends at . ? ! and at the end of the text', () => {
    assert.equal(endsSentence('done.', 'next'), true);
    assert.equal(endsSentence('really?', 'yes'), true);
    assert.equal(endsSentence('wow!', 'and'), true);
    assert.equal(endsSentence('word', undefined), false);
    assert.equal(endsSentence('word,', 'next'), false);
  });

  void it('looks through closing quotes and brackets', () => {
    assert.equal(endsSentence('stop."', 'Then'), true);
    assert.equal(endsSentence('(yes!)', 'and'), true);
  });

  void it('does not end at titles and example abbreviations, whatever follows', () => {
    assert.equal(endsSentence('Mr.', 'Smith'), false);
    assert.equal(endsSentence('Dr.', 'Jones'), false);
    assert.equal(endsSentence('e.g.', 'The'), false);
    assert.equal(endsSentence('i.e.,', 'the'), false);
  });

  void it('ends after an ambiguous abbreviation or ellipsis only before a capital', () => {
    assert.equal(endsSentence('a.m.', 'tomorrow'), false);
    assert.equal(endsSentence('U.S.', 'The'), true);
    assert.equal(endsSentence('etc.', 'and'), false);
    assert.equal(endsSentence('etc.', 'We'), true);
    assert.equal(endsSentence('etc.', undefined), true);
    assert.equal(endsSentence('well...', 'maybe'), false);
    assert.equal(endsSentence('well…', 'Maybe'), true);
  });

  void it('does not end inside a decimal split across tokens', () => {
    assert.equal(endsSentence('3.', '5'), false);
    assert.equal(endsSentence('3.', 'Then'), true);
  });

  void it('treats a lone period token as a sentence end', () => {
    assert.equal(endsSentence('.', 'Next'), true);
  });
});
