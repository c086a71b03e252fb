import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm, type FakeLlmHandler } from '../../../test/fixtures/fake-llm.js';
import { splitSentences } from '../../text/sentences.js';
import { OpenAiCompatibleLlm } from '../llm/openai-compatible.llm.js';
import {
  addonContext,
  buildTranscript,
  fakeLlmConfig,
  hourLongTranscript,
  TOPICS,
} from '../../../test/fixtures/transcripts.js';
import { chaptersAddon } from './chapters.addon.js';

// Three subjects of about 80 s each, told one after another.
const talk = buildTranscript([...TOPICS.wildfires, ...TOPICS.bread, ...TOPICS.football].join(' '));
const sentences = splitSentences(talk.words);
const firstOf = (topic: readonly string[]) => sentences.find((s) => s.text === topic[0])!;
const lastOf = (topic: readonly string[]) => sentences.find((s) => s.text === topic.at(-1))!;

describe('chapters add-on, extractive (no LLM)', () => {
  it('is wanted only when chapters are asked for', () => {
    assert.equal(chaptersAddon.wanted({ chapters: true }), true);
    assert.equal(chaptersAddon.wanted({}), false);
  });

  it('finds the changes of subject and times chapters by their words', async () => {
    const chapters = await chaptersAddon.run(addonContext(talk, { chapters: true }));
    assert.deepEqual(
      chapters.map((c) => [c.startMs, c.endMs]),
      [TOPICS.wildfires, TOPICS.bread, TOPICS.football].map((t) => [firstOf(t).startMs, lastOf(t).endMs]),
    );
    assert.equal(chapters[0]!.startMs, talk.words[0]!.startMs);
    assert.equal(chapters[2]!.endMs, talk.words.at(-1)!.endMs);
  });

  it('describes each chapter from its own sentences', async () => {
    const chapters = await chaptersAddon.run(addonContext(talk, { chapters: true }));
    assert.deepEqual(
      chapters.map((c) => c.gist),
      ['Wildfire smoke', 'Strong bread flour', 'Second half'],
    );
    const topics = [TOPICS.wildfires, TOPICS.bread, TOPICS.football] as readonly (readonly string[])[];
    chapters.forEach((chapter, i) => {
      assert.ok(topics[i]!.includes(chapter.headline), chapter.headline);
      const picked = topics[i]!.filter((s) => chapter.summary.includes(s));
      assert.equal(picked.length, 3, chapter.summary);
      assert.equal(picked.join(' '), chapter.summary);
    });
  });

  it('keeps a short recording as one chapter, and gives none for no words', async () => {
    const short = buildTranscript(TOPICS.bread.slice(0, 6).join(' '));
    const chapters = await chaptersAddon.run(addonContext(short, { chapters: true }));
    assert.equal(chapters.length, 1);
    assert.equal(chapters[0]!.startMs, 0);
    assert.equal(chapters[0]!.endMs, short.words.at(-1)!.endMs);
    assert.equal(chapters[0]!.summary.split('. ').length, 2);
    assert.deepEqual(await chaptersAddon.run(addonContext(buildTranscript(''), { chapters: true })), []);
  });

  it('chapters an hour of speech quickly, no chapter under a minute', async () => {
    const hour = hourLongTranscript();
    const started = performance.now();
    const chapters = await chaptersAddon.run(addonContext(hour, { chapters: true }));
    const ms = performance.now() - started;
    console.log(`chapters of ${hour.words.length} words: ${chapters.length} in ${ms.toFixed(0)} ms`);
    assert.ok(ms < 5_000, `${ms} ms`);
    assert.ok(chapters.length >= 30, `${chapters.length} chapters`);
    for (const [i, c] of chapters.entries()) {
      assert.ok(
        c.endMs - c.startMs >= 60_000 - 2_000 || i === chapters.length - 1,
        `${c.startMs}-${c.endMs}`,
      );
      if (i > 0) assert.ok(c.startMs > chapters[i - 1]!.endMs);
    }
  });
});

describe('chapters add-on with an LLM', () => {
  let fake: FakeLlm;
  let handler: FakeLlmHandler = () => '';
  before(async () => {
    fake = await startFakeLlm({ model: 'fake-model', apiKey: 'sk-fake', handler: (r) => handler(r) });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('asks for JSON for each chapter over that chapter only', async () => {
    handler = (r) => {
      const text = r.messages.at(-1)!.content;
      const topic = text.includes('sourdough') ? 'Bread' : text.includes('goalkeeper') ? 'Football' : 'Smoke';
      return JSON.stringify({
        gist: `${topic} talk.`,
        headline: `About ${topic}.`,
        summary: `All on ${topic}.`,
      });
    };
    const llm = new OpenAiCompatibleLlm(fakeLlmConfig(fake.url));
    const chapters = await chaptersAddon.run(addonContext(talk, { chapters: true }, llm));
    assert.deepEqual(
      chapters.map((c) => [c.gist, c.headline, c.summary]),
      [
        ['Smoke talk', 'About Smoke.', 'All on Smoke.'],
        ['Bread talk', 'About Bread.', 'All on Bread.'],
        ['Football talk', 'About Football.', 'All on Football.'],
      ],
    );
    assert.equal(chapters[1]!.startMs, firstOf(TOPICS.bread).startMs);
    assert.equal(fake.requests.length, 3);
    const second = fake.requests[1]!.messages.at(-1)!.content;
    for (const sentence of TOPICS.bread) assert.ok(second.includes(sentence), sentence);
    assert.ok(!second.includes(TOPICS.wildfires[0]) && !second.includes(TOPICS.football[0]));
    assert.match(fake.requests[1]!.messages[0]!.content, /JSON/);
  });

  it('keeps the extractive text of a chapter whose JSON stays invalid', async () => {
    handler = (r) =>
      r.messages.some((m) => m.content.includes('sourdough'))
        ? 'not json'
        : JSON.stringify({ gist: 'G', headline: 'H', summary: 'S' });
    const llm = new OpenAiCompatibleLlm(fakeLlmConfig(fake.url));
    const chapters = await chaptersAddon.run(addonContext(talk, { chapters: true }, llm));
    assert.equal(chapters[0]!.gist, 'G');
    assert.equal(chapters[1]!.gist, 'Strong bread flour');
    assert.equal(chapters[2]!.summary, 'S');
    assert.equal(fake.requests.length, 4); // one retry for the invalid answer
  });
});
