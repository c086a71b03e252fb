import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, SHARED_DIR } from '../../../test/helpers/shared-data.js';
import { analyzeSentiment, polarityScores } from './vader.js';
import {
  loadVaderLexicon,
  parseVaderLexicon,
  setVaderLexiconPath,
  vaderLexiconFile,
  vaderLexiconPath,
} from './vader-lexicon.js';

// The shared data directory as the tests see it (EARSHOT_SHARED_DIR or ../shared).
setVaderLexiconPath(vaderLexiconFile(SHARED_DIR));

const close = (actual: number, expected: number, digits = 4): void =>
  assert.equal(actual.toFixed(digits), expected.toFixed(digits));

describe('VADER polarity scores', () => {
  // Expected compounds are the ones the VADER authors publish for these sentences.
  const published: [string, number][] = [
    ['VADER is smart, handsome, and funny.', 0.8316],
    ['VADER is smart, handsome, and funny!', 0.8439],
    ['VADER is very smart, handsome, and funny.', 0.8545],
    ['VADER is VERY SMART, handsome, and FUNNY.', 0.9227],
    ['VADER is VERY SMART, handsome, and FUNNY!!!', 0.9342],
    ['VADER is not smart, handsome, nor funny.', -0.7424],
    ['The book was good.', 0.4404],
    ['At least it isnt a horrible book.', 0.431],
    ['The book was only kind of good.', 0.3832],
    ['The plot was good, but the characters are uncompelling and the dialog is not great.', -0.7042],
    ['Today SUX!', -0.5461],
    ["Today only kinda sux! But I'll get by, lol", 0.5249],
  ];
  for (const [text, compound] of published) {
    it(`scores "${text}" as ${compound}`, () => close(polarityScores(text).compound, compound));
  }

  it('splits intensity into positive, neutral and negative shares', () => {
    const scores = polarityScores('VADER is smart, handsome, and funny.');
    close(scores.pos, 0.746, 3);
    close(scores.neu, 0.254, 3);
    assert.equal(scores.neg, 0);
  });

  it('negates a sentiment word up to three words later', () => {
    assert.ok(polarityScores('The service was good.').compound > 0);
    assert.ok(polarityScores("The service wasn't good.").compound < 0);
    assert.ok(polarityScores('The service was not very good.').compound < 0);
    assert.ok(polarityScores('This is not bad at all.').compound > 0);
  });

  it('weighs the clause after "but" more than the one before', () => {
    assert.ok(polarityScores('The price was high but the quality is excellent.').compound > 0.5);
    assert.ok(polarityScores('The quality is excellent but the delivery was terrible.').compound < -0.3);
  });

  it('lets a dampener weaken, never strengthen, a negative word', () => {
    const plain = polarityScores('That was bad.').compound;
    const dampened = polarityScores('That was kind of bad.').compound;
    assert.ok(dampened < 0 && dampened > plain, `${dampened} vs ${plain}`);
  });

  it('does not treat capitalised short words such as OK as shouting', () => {
    close(polarityScores('that is OK with me').compound, polarityScores('that is ok with me').compound);
  });

  it('returns zeros for text without words', () => {
    assert.deepEqual(polarityScores(' ... '), { pos: 0, neu: 0, neg: 0, compound: 0 });
  });
});

describe('analyzeSentiment', () => {
  it('labels with the ±0.05 compound thresholds and a confidence in 0..1', () => {
    const positive = analyzeSentiment('Thanks, that was really helpful!');
    assert.equal(positive.sentiment, 'POSITIVE');
    close(positive.confidence, (1 + positive.compound) / 2);
    const negative = analyzeSentiment('The app keeps crashing and I am furious.');
    assert.equal(negative.sentiment, 'NEGATIVE');
    close(negative.confidence, (1 - negative.compound) / 2);
    const neutral = analyzeSentiment('The meeting is on Tuesday at three.');
    assert.deepEqual(neutral, { sentiment: 'NEUTRAL', confidence: 1, compound: 0 });
  });

  it('reaches at least 70% accuracy on the labelled transcript sentences', () => {
    const file = path.join(REPO_ROOT, 'test', 'data', 'sentiment.jsonl');
    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string; sentiment: string });
    assert.ok(rows.length >= 120);
    const correct = rows.filter((row) => analyzeSentiment(row.text).sentiment === row.sentiment).length;
    const accuracy = correct / rows.length;
    console.log(`sentiment accuracy: ${correct}/${rows.length} = ${accuracy.toFixed(3)}`);
    assert.ok(accuracy >= 0.7, `accuracy ${accuracy}`);
  });
});

describe('VADER lexicon', () => {
  it('parses token and mean valence from each line', () => {
    const lexicon = parseVaderLexicon('good\t1.9\t0.9\t[2, 2]\n:)\t2.0\t1.2\t[1]\n\nbroken line\n');
    assert.deepEqual(
      [...lexicon],
      [
        ['good', 1.9],
        [':)', 2],
      ],
    );
  });

  it('reads the shared lexicon once and caches it', () => {
    const lexicon = loadVaderLexicon();
    assert.ok(lexicon.size > 7000);
    assert.equal(lexicon.get('good'), 1.9);
    assert.equal(loadVaderLexicon(), lexicon);
  });

  it('names the path and the environment variable when the file is missing', () => {
    const missing = path.join(REPO_ROOT, 'no-such-dir', 'vader_lexicon.txt');
    setVaderLexiconPath(missing);
    try {
      assert.equal(vaderLexiconPath(), missing);
      assert.throws(
        () => loadVaderLexicon(),
        (error: Error) =>
          error.message.includes(missing) && error.message.includes('EARSHOT_SENTIMENT_LEXICON'),
      );
    } finally {
      setVaderLexiconPath(vaderLexiconFile(SHARED_DIR));
    }
  });

  it('defaults to the shared directory beside the repository', () => {
    setVaderLexiconPath(undefined);
    try {
      assert.equal(vaderLexiconPath(), vaderLexiconFile(path.join(REPO_ROOT, '..', 'shared')));
    } finally {
      setVaderLexiconPath(vaderLexiconFile(SHARED_DIR));
    }
  });

  it('places the lexicon under data/text/vader of a shared directory', () => {
    assert.equal(
      vaderLexiconFile('/srv/shared'),
      path.join('/srv/shared', 'data', 'text', 'vader', 'vader_lexicon.txt'),
    );
  });
});
