import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Word } from '../domain/transcript.js';
import { applyPunctuatedText } from './apply-punctuated-text.js';

function words(...texts: string[]): Word[] {
  return texts.map((text, i) => ({
    text,
    startMs: i * 500,
    endMs: i * 500 + 400,
    confidence: 0.9,
    speaker: 1,
  }));
}

test('marks attach to the word before; sentence starts are capitalised; times are kept', () => {
  const input = words('hello', 'world', 'how', 'are', 'you', 'i', 'am', 'fine');
  const { words: out, matched } = applyPunctuatedText(input, 'hello world，how are you？i am fine。');
  assert.equal(matched, 8);
  assert.deepEqual(
    out.map((w) => w.text),
    ['Hello', 'world,', 'how', 'are', 'you?', 'I', 'am', 'fine.'],
  );
  assert.deepEqual(
    out.map((w) => [w.startMs, w.endMs, w.confidence, w.speaker]),
    input.map((w) => [w.startMs, w.endMs, w.confidence, w.speaker]),
  );
});

test('the pause mark becomes a comma; <unk> marks are dropped; the engine casing is kept', () => {
  const { words: out } = applyPunctuatedText(
    words('the', 'NASA', 'report', 'is', 'ready'),
    'the NASA、report<unk> is ready。',
  );
  assert.deepEqual(
    out.map((w) => w.text),
    ['The', 'NASA,', 'report', 'is', 'ready.'],
  );
});

test('marks after Chinese words stay full-width', () => {
  const { words: out } = applyPunctuatedText(words('你好', '世界', '我们', '走'), '你好，世界。我们走？');
  assert.deepEqual(
    out.map((w) => w.text),
    ['你好，', '世界。', '我们', '走？'],
  );
});

test('ASCII marks, spaces around marks and a case-changed word are matched', () => {
  const { words: out, matched } = applyPunctuatedText(words("don't", 'go', 'now'), "Don't , go. now !");
  assert.equal(matched, 3);
  assert.deepEqual(
    out.map((w) => w.text),
    ["Don't,", 'go.', 'Now!'],
  );
});

test('where the output stops matching, the remaining words come back unchanged', () => {
  const input = words('one', 'two', 'three', 'four');
  const { words: out, matched } = applyPunctuatedText(input, 'one，two。tree four。');
  assert.equal(matched, 2);
  assert.deepEqual(
    out.map((w) => w.text),
    ['One,', 'two.', 'three', 'four'],
  );
  assert.deepEqual(applyPunctuatedText(input, '').matched, 0);
});

test('several marks after a word collapse to the last; empty words stay empty', () => {
  const { words: out } = applyPunctuatedText(words('yes', '', 'no'), 'yes，。no？');
  assert.deepEqual(
    out.map((w) => w.text),
    ['Yes.', '', 'No?'],
  );
});
