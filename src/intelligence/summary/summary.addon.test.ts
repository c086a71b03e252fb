import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm, type FakeLlmHandler } from '../../../test/fixtures/fake-llm.js';
import { OpenAiCompatibleLlm } from '../llm/openai-compatible.llm.js';
import { normalizeSummary } from './llm.summary.js';
import { summaryAddon } from './summary.addon.js';
import {
  addonContext,
  buildTranscript,
  fakeLlmConfig,
  hourLongTranscript,
  TOPICS,
} from '../../../test/fixtures/transcripts.js';

const wildfires = buildTranscript(TOPICS.wildfires.join(' '));

describe('summary add-on, extractive (no LLM)', () => {
  const run = (
    type: 'bullets' | 'bullets_verbose' | 'gist' | 'headline' | 'paragraph',
    transcript = wildfires,
  ) => summaryAddon.run(addonContext(transcript, { summary: { type } }));

  it('is wanted only when a summary is asked for', () => {
    assert.equal(summaryAddon.wanted({ summary: { type: 'gist' } }), true);
    assert.equal(summaryAddon.wanted({ chapters: true }), false);
  });

  it('gives the most central sentences as bullets, in spoken order', async () => {
    const result = await run('bullets');
    assert.equal(result.method, 'extractive');
    assert.equal(result.type, 'bullets');
    const lines = result.text.split('\n');
    assert.equal(lines.length, 3);
    const positions = lines.map((line) => {
      assert.match(line, /^- [A-Z]/);
      const index = TOPICS.wildfires.indexOf(line.slice(2) as (typeof TOPICS.wildfires)[number]);
      assert.ok(index >= 0, `not a transcript sentence: ${line}`);
      return index;
    });
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    // The opening sentence names the subject the others elaborate: TextRank ranks it central.
    assert.equal(lines[0], `- ${TOPICS.wildfires[0]}`);
  });

  it('gives more bullets when verbose, one sentence for a headline, a phrase for a gist', async () => {
    const verbose = await run('bullets_verbose');
    assert.equal(verbose.text.split('\n').length, 5);
    const headline = await run('headline');
    assert.ok((TOPICS.wildfires as readonly string[]).includes(headline.text), headline.text);
    assert.equal((await run('gist')).text, 'Wildfire smoke');
    const paragraph = await run('paragraph');
    assert.equal(paragraph.text, (await run('bullets')).text.replace(/^- /gm, '').replace(/\n/g, ' '));
  });

  it('drops the spoken openers of a picked sentence', async () => {
    const transcript = buildTranscript(
      'So, the wildfire smoke reached New York and the air quality alerts began. ' +
        'Wildfire smoke and air quality alerts covered the city. Okay.',
    );
    const result = await run('headline', transcript);
    assert.equal(result.text, 'The wildfire smoke reached New York and the air quality alerts began.');
  });

  it('gives an empty summary for an empty transcript', async () => {
    const result = await run('bullets', buildTranscript(''));
    assert.deepEqual(result, { type: 'bullets', text: '', method: 'extractive' });
  });

  it('summarizes an hour of speech quickly', async () => {
    const hour = hourLongTranscript();
    assert.ok(hour.words.length >= 9_000);
    const started = performance.now();
    const result = await run('bullets', hour);
    const ms = performance.now() - started;
    console.log(`extractive summary of ${hour.words.length} words: ${ms.toFixed(0)} ms`);
    assert.equal(result.text.split('\n').length, 5);
    assert.ok(ms < 5_000, `${ms} ms`);
  });
});

describe('summary add-on with an LLM', () => {
  let fake: FakeLlm;
  let handler: FakeLlmHandler = () => '';
  before(async () => {
    fake = await startFakeLlm({ model: 'fake-model', apiKey: 'sk-fake', handler: (r) => handler(r) });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('asks for the type and style over the whole transcript and normalizes the bullets', async () => {
    handler = () => '* Smoke from Canadian wildfires reached US cities.\n2. Air quality alerts were issued.';
    const llm = new OpenAiCompatibleLlm(fakeLlmConfig(fake.url));
    const result = await summaryAddon.run(
      addonContext(wildfires, { summary: { type: 'bullets', style: 'catchy' } }, llm),
    );
    assert.deepEqual(result, {
      type: 'bullets',
      method: 'llm',
      text: '- Smoke from Canadian wildfires reached US cities.\n- Air quality alerts were issued.',
    });
    assert.equal(fake.requests.length, 1);
    const [system, user] = fake.requests[0]!.messages;
    assert.equal(system?.role, 'system');
    assert.match(user!.content, /bullet points/);
    assert.match(user!.content, /punchy/);
    for (const sentence of TOPICS.wildfires) assert.ok(user!.content.includes(sentence), sentence);
    assert.equal(fake.requests[0]!.model, 'fake-model');
    assert.deepEqual(fake.rejected, []);
  });

  it('labels speakers in the transcript it sends', async () => {
    handler = () => 'Two people discussed the smoke.';
    const llm = new OpenAiCompatibleLlm(fakeLlmConfig(fake.url));
    const transcript = buildTranscript([
      { speaker: 0, text: TOPICS.wildfires[0] },
      { speaker: 1, text: TOPICS.wildfires[1] },
    ]);
    await summaryAddon.run(addonContext(transcript, { summary: { type: 'paragraph' } }, llm));
    const user = fake.requests[0]!.messages[1]!.content;
    assert.ok(user.includes(`Speaker A: ${TOPICS.wildfires[0]}`), user);
    assert.ok(user.includes(`Speaker B: ${TOPICS.wildfires[1]}`), user);
  });

  it('summarizes a transcript too long for the context by map-reduce', async () => {
    handler = (r) => {
      const user = r.messages.at(-1)!.content;
      const part = /Part (\d+) of (\d+)/.exec(user);
      return part ? `- notes of part ${part[1]}` : 'The talk covered wildfires, bread and football.';
    };
    const llm = new OpenAiCompatibleLlm(fakeLlmConfig(fake.url, 1_000));
    const transcript = buildTranscript([...TOPICS.wildfires, ...TOPICS.bread, ...TOPICS.football].join(' '));
    const result = await summaryAddon.run(addonContext(transcript, { summary: { type: 'headline' } }, llm));
    assert.deepEqual(result, {
      type: 'headline',
      method: 'llm',
      text: 'The talk covered wildfires, bread and football.',
    });
    const notes = fake.requests.slice(0, -1);
    assert.ok(notes.length >= 2, `${notes.length} chunk requests`);
    for (const request of fake.requests) {
      const tokens = request.messages.reduce((sum, m) => sum + Math.ceil(m.content.length / 4), 0);
      assert.ok(tokens <= 1_000, `a request of ${tokens} tokens overflows the context`);
    }
    // Every sentence reached the model in exactly one chunk.
    const sent = notes.map((r) => r.messages.at(-1)!.content).join('\n');
    for (const sentence of [...TOPICS.wildfires, ...TOPICS.bread, ...TOPICS.football]) {
      assert.equal(sent.split(sentence).length - 1, 1, sentence);
    }
    const final = fake.requests.at(-1)!.messages.at(-1)!.content;
    assert.match(final, /headline/);
    for (let i = 1; i <= notes.length; i++) assert.ok(final.includes(`- notes of part ${i}`));
  });

  it('falls back to the extractive summary when the LLM fails', async () => {
    fake.failNext(5);
    const llm = new OpenAiCompatibleLlm(fakeLlmConfig(fake.url));
    const result = await summaryAddon.run(addonContext(wildfires, { summary: { type: 'gist' } }, llm));
    assert.deepEqual(result, { type: 'gist', text: 'Wildfire smoke', method: 'extractive' });
    assert.equal(fake.requests.length, 1);
  });
});

describe('normalizeSummary', () => {
  it('unquotes headlines and strips a gist of its final stop', () => {
    assert.equal(normalizeSummary('headline', '"Smoke covers the city."'), 'Smoke covers the city.');
    assert.equal(normalizeSummary('gist', ' Wildfire smoke.\n'), 'Wildfire smoke');
    assert.equal(normalizeSummary('bullets_verbose', '• one\n\n- two\n3) three'), '- one\n- two\n- three');
  });
});
