import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentStems } from './terms.js';
import { cosine, pickCentral, textRank, tfIdfVectors } from './textrank.js';

describe('TextRank', () => {
  const sentences = [
    'Wildfire smoke covered the city.',
    'The wildfire smoke made the air hazardous.',
    'Hazardous air kept children inside.',
    'My cat likes tuna.',
  ];
  const stems = sentences.map(contentStems);
  const vectors = tfIdfVectors(stems);

  it('builds unit-length TF-IDF vectors of content stems', () => {
    assert.deepEqual(stems[1], ['wildfir', 'smoke', 'air', 'hazard']);
    for (const v of vectors) assert.ok(Math.abs(cosine(v, v) - 1) < 1e-9);
    assert.equal(cosine(vectors[0]!, vectors[3]!), 0);
  });

  it('ranks the sentence that links the others highest, and scores sum to 1', () => {
    const scores = textRank(vectors);
    assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    const best = scores.indexOf(Math.max(...scores));
    assert.equal(best, 1);
    assert.ok(scores[3]! < scores[0]! && scores[3]! < scores[2]!);
  });

  it('picks central sentences without near-duplicates', () => {
    const dup = tfIdfVectors([...stems, stems[1]!].map((s) => s));
    const scores = textRank(dup);
    const picked = pickCentral(scores, dup, [4, 4, 4, 4, 4], 2, { minTerms: 1 });
    assert.equal(picked.length, 2);
    assert.ok(!(picked.includes(1) && picked.includes(4)), `picked both copies: ${picked.join()}`);
  });
});
