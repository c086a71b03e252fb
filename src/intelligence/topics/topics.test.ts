import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addonContext, timedWords, transcriptOf } from '../../../test/fixtures/transcripts.js';
import { IAB_TOPICS } from './iab-taxonomy.js';
import { topicsAddon } from './topics.addon.js';
import { classifyTopics, labelText } from './topics.js';

const SOCCER =
  'What a match last night. Messi scored twice in the second half and the goalkeeper had no chance. ' +
  'The striker said after the game that winning the Champions League is the target, and the coach agreed ' +
  'that the midfielder was the best player on the pitch. The fans in the stadium sang until the end.';
const SPACE =
  'NASA launched the rocket this morning from Cape Canaveral. The spacecraft will reach orbit in about ten ' +
  'minutes, and the astronauts will dock with the space station before heading toward the moon. Engineers ' +
  'say the satellite they carry will study how the planet looks from lunar orbit for the next two years.';
const ECONOMY =
  'The central bank raised interest rates again to fight inflation. Economists worry that the economy ' +
  'could slip into a recession as unemployment rises and consumer prices stay high.';
const GADGETS =
  'Apple announced a new iPhone with a faster chip and a better camera. The smartphone ships with new ' +
  'headphones and the smartwatch gets an update too.';

const top = (text: string): string | undefined => labelText(text)[0]?.label;

/** Words of `text`, one every 400 ms lasting 300 ms, from `startMs`. */
const wordsOf = (text: string, startMs = 0) =>
  timedWords(text, { msPerWord: 400, sentencePauseMs: 0, startMs });

describe('IAB taxonomy subset', () => {
  it('has at least 80 distinct labels across the top-level tiers, each with keywords', () => {
    const labels = IAB_TOPICS.map((t) => t.label);
    assert.ok(labels.length >= 80, `${labels.length}`);
    assert.equal(new Set(labels).size, labels.length);
    assert.ok(new Set(labels.map((l) => l.split('>')[0])).size >= 25);
    for (const topic of IAB_TOPICS) {
      assert.match(topic.label, /^[A-Za-z&]+(>[A-Za-z&]+)*$/);
      assert.ok(topic.keywords.length >= 3, topic.label);
    }
  });
});

describe('labelText', () => {
  it('labels obvious texts with their IAB category', () => {
    assert.equal(top(SOCCER), 'Sports>Soccer');
    assert.equal(top(SPACE), 'Science>Space');
    assert.equal(top(ECONOMY), 'BusinessAndFinance>Economy');
    assert.equal(top(GADGETS), 'Technology&Computing>ConsumerElectronics');
  });

  it('gives relevances in 0..1, highest first, strong for a clear topic', () => {
    const labels = labelText(SPACE);
    assert.ok(labels[0]!.relevance > 0.9, `${labels[0]!.relevance}`);
    for (const l of labels) assert.ok(l.relevance >= 0.1 && l.relevance <= 1);
    for (let i = 1; i < labels.length; i++) assert.ok(labels[i]!.relevance <= labels[i - 1]!.relevance);
  });

  it('matches inflections through stems', () => {
    assert.equal(top('The astronauts watched two rockets and several satellites'), 'Science>Space');
  });

  it('does not mistake common words whose stems collide with keywords', () => {
    // "in" shares the stem of "inning", "well" of "wellness", "new" of "news".
    assert.deepEqual(labelText('We are doing well in the new office, thanks for asking.'), []);
    assert.equal(top('The universe is expanding'), 'Science>Space');
    assert.equal(top('She went to the university'), 'Education>CollegeEducation');
  });

  it('returns no labels for text without topic words', () => {
    assert.deepEqual(labelText('Okay, yes, I think so too.'), []);
  });
});

describe('topicsAddon', () => {
  it('is wanted only when topics are requested', () => {
    assert.equal(topicsAddon.wanted({ topics: true }), true);
    assert.equal(topicsAddon.wanted({ keyPhrases: true }), false);
  });

  it('labels each segment and summarises the transcript', async () => {
    const soccer = wordsOf(SOCCER);
    const lastSoccer = soccer.at(-1)!;
    // A 5 s pause after a segment of 40+ words starts the next segment.
    const space = wordsOf(SPACE, lastSoccer.endMs + 5000);
    const result = await topicsAddon.run(addonContext(transcriptOf([...soccer, ...space]), { topics: true }));
    assert.equal(result.segments.length, 2);
    const [first, second] = result.segments;
    assert.equal(first!.text, SOCCER);
    assert.deepEqual([first!.startMs, first!.endMs], [0, lastSoccer.endMs]);
    assert.equal(first!.labels[0]!.label, 'Sports>Soccer');
    assert.equal(second!.labels[0]!.label, 'Science>Space');
    assert.deepEqual([second!.startMs, second!.endMs], [space[0]!.startMs, space.at(-1)!.endMs]);

    const summary = Object.entries(result.summary);
    const expected = (label: string): number =>
      result.segments.reduce((sum, s, i) => {
        const words = i === 0 ? soccer.length : space.length;
        const relevance = s.labels.find((l) => l.label === label)?.relevance ?? 0;
        return sum + (relevance * words) / (soccer.length + space.length);
      }, 0);
    assert.equal(result.summary['Sports>Soccer']!.toFixed(6), expected('Sports>Soccer').toFixed(6));
    assert.equal(result.summary['Science>Space']!.toFixed(6), expected('Science>Space').toFixed(6));
    for (let i = 1; i < summary.length; i++) assert.ok(summary[i]![1] <= summary[i - 1]![1]);
  });

  it('keeps a short transcript in one segment', () => {
    const result = classifyTopics(wordsOf(ECONOMY));
    assert.equal(result.segments.length, 1);
    assert.equal(Object.keys(result.summary)[0], 'BusinessAndFinance>Economy');
  });

  it('returns no segments for an empty transcript', () => {
    assert.deepEqual(classifyTopics([]), { segments: [], summary: {} });
  });
});
