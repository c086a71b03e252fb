import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchKey, searchKey, splitAffixes, startsWithUppercase, stripPunctuation } from './token.js';

void describe('splitAffixes', () => {
  void it('separates leading and trailing punctuation from the core', () => {
    assert.deepEqual(splitAffixes('"Hello,"'), { prefix: '"', core: 'Hello', suffix: ',"' });
    assert.deepEqual(splitAffixes("don't"), { prefix: '', core: "don't", suffix: '' });
    assert.deepEqual(splitAffixes('U.S.'), { prefix: '', core: 'U.S', suffix: '.' });
  });

  void it('puts a punctuation-only token in the prefix, with an empty core', () => {
    assert.deepEqual(splitAffixes('—'), { prefix: '—', core: '', suffix: '' });
    assert.deepEqual(splitAffixes(''), { prefix: '', core: '', suffix: '' });
  });
});

void describe('stripPunctuation', () => {
  void it('strips edge punctuation and keeps apostrophes, hyphens and number separators inside', () => {
    const input = [
      'Hello,',
      'world.',
      "It's",
      '3.5',
      '3,000,000',
      '10:30.',
      'well-known',
      'U.S.',
      '"quoted"',
      '(yes?)',
    ];
    assert.deepEqual(input.map(stripPunctuation), [
      'Hello',
      'world',
      "It's",
      '3.5',
      '3,000,000',
      '10:30',
      'well-known',
      'US',
      'quoted',
      'yes',
    ]);
  });

  void it('keeps symbols that carry meaning', () => {
    assert.deepEqual(['40%', '$5', 'AT&T', '24/7', '#1', 'C++'].map(stripPunctuation), [
      '40%',
      '$5',
      'AT&T',
      '24/7',
      '#1',
      'C++',
    ]);
  });

  void it('turns a punctuation-only token into the empty string', () => {
    assert.deepEqual(['.', '—', '...', '?!'].map(stripPunctuation), ['', '', '', '']);
  });
});

void describe('matchKey and searchKey', () => {
  void it('matchKey lowercases the core and folds typographic apostrophes', () => {
    assert.equal(matchKey('“I’m,'), "i'm");
    assert.equal(matchKey('U.S.'), 'u.s');
  });

  void it('searchKey drops all punctuation except separators between digits', () => {
    assert.equal(searchKey("Don't"), 'dont');
    assert.equal(searchKey('U.S.'), 'us');
    assert.equal(searchKey('3.5,'), '3.5');
    assert.equal(searchKey('...'), '');
  });
});

void describe('startsWithUppercase', () => {
  void it('looks past leading punctuation, and is false for digits', () => {
    assert.equal(startsWithUppercase('"The'), true);
    assert.equal(startsWithUppercase('the'), false);
    assert.equal(startsWithUppercase('42'), false);
    assert.equal(startsWithUppercase(''), false);
  });
});
