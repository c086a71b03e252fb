import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../../domain/errors.js';
import { condenseToFit, packChunks, PASSAGE_SEPARATOR, textRoom } from './chunking.js';

const countTokens = (text: string) => Math.ceil(text.length / 4);
const llm = { contextTokens: 1_000, countTokens };

describe('packChunks', () => {
  it('packs passages in order into chunks within the limit', () => {
    // 49 characters (13 tokens) each: three with their separators make 38 tokens, four 51.
    const passages = Array.from({ length: 10 }, (_, i) => `passage ${i} `.repeat(5).trim());
    const chunks = packChunks(passages, 40, countTokens);
    assert.equal(chunks.length, 4);
    assert.equal(chunks[0], passages.slice(0, 3).join(PASSAGE_SEPARATOR));
    for (const chunk of chunks) assert.ok(countTokens(chunk) <= 40, chunk);
    assert.equal(chunks.join(PASSAGE_SEPARATOR), passages.join(PASSAGE_SEPARATOR));
  });

  it('cuts a passage longer than the limit between words', () => {
    const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const chunks = packChunks(['short one', long], 20, countTokens);
    assert.equal(chunks[0], 'short one');
    for (const chunk of chunks) assert.ok(countTokens(chunk) <= 20);
    assert.equal(chunks.slice(1).join(' '), long);
  });
});

describe('textRoom', () => {
  it('leaves a margin and the instructions out of the context', () => {
    assert.equal(textRoom(llm, 'x'.repeat(400)), 900 - 100);
  });
  it('refuses a context too small for the instructions', () => {
    assert.throws(() => textRoom({ contextTokens: 100, countTokens }, 'x'.repeat(400)), EarshotError);
  });
});

describe('condenseToFit', () => {
  it('returns passages that fit as they are, without condensing', async () => {
    let calls = 0;
    const result = await condenseToFit(['a b c', 'd e f'], {
      llm,
      room: 100,
      condense: () => Promise.resolve(String(++calls)),
    });
    assert.deepEqual(result, { text: `a b c${PASSAGE_SEPARATOR}d e f`, rounds: 0 });
    assert.equal(calls, 0);
  });

  it('condenses chunk by chunk, round after round, until the text fits', async () => {
    const passages = Array.from({ length: 40 }, (_, i) => `sentence number ${i} `.repeat(4)); // ~20 tokens each
    const seen: { chunk: string; index: number; count: number; round: number }[] = [];
    const result = await condenseToFit(passages, {
      llm,
      room: 100,
      // Each chunk shrinks to a third of its length (at least 60 characters).
      condense: (chunk, info) => {
        seen.push({ chunk, ...info });
        return Promise.resolve(chunk.slice(0, Math.max(60, Math.floor(chunk.length / 3))));
      },
    });
    assert.ok(countTokens(result.text) <= 100);
    assert.ok(result.rounds >= 2, `rounds: ${result.rounds}`);
    const first = seen.filter((s) => s.round === 0);
    assert.equal(first.length, first[0]!.count);
    assert.ok(first.every((s) => countTokens(s.chunk) <= 100));
    assert.ok(first[0]!.chunk.startsWith('sentence number 0'));
  });

  it('stops when condensing does not shorten the text', async () => {
    await assert.rejects(
      condenseToFit(['x '.repeat(300), 'y '.repeat(300)], {
        llm,
        room: 100,
        condense: (chunk) => Promise.resolve(chunk),
      }),
      /did not shorten/,
    );
  });

  it('drops chunks condensed to nothing', async () => {
    const result = await condenseToFit(['keep '.repeat(100), 'drop '.repeat(100)], {
      llm,
      room: 130,
      condense: (chunk) => Promise.resolve(chunk.startsWith('keep') ? 'kept' : ''),
    });
    assert.deepEqual(result, { text: 'kept', rounds: 1 });
  });
});
