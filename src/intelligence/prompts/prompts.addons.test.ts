import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm, type FakeLlmHandler } from '../../../test/fixtures/fake-llm.js';
import { EarshotError } from '../../domain/errors.js';
import type { IntelligenceRequest } from '../../domain/transcription-request.js';
import type { Addon } from '../addon.js';
import { OpenAiCompatibleLlm } from '../llm/openai-compatible.llm.js';
import { addonContext, buildTranscript, fakeLlmConfig, TOPICS } from '../../../test/fixtures/transcripts.js';
import { llmPromptsAddon } from './llm-prompts.addon.js';
import { languageName, translationAddon } from './translation.addon.js';

const all = [...TOPICS.wildfires, ...TOPICS.bread, ...TOPICS.football];
const talk = buildTranscript(all.join(' '));
const short = buildTranscript([
  { speaker: 0, text: 'Did you finish the report?' },
  { speaker: 1, text: 'Yes, I sent it to Maria on Friday.' },
]);

describe('LLM prompts and translation add-ons', () => {
  let fake: FakeLlm;
  let handler: FakeLlmHandler = () => '';
  before(async () => {
    fake = await startFakeLlm({ model: 'fake-model', apiKey: 'sk-fake', handler: (r) => handler(r) });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.rejected.length = 0;
  });
  const llm = (contextTokens = 8_000) => new OpenAiCompatibleLlm(fakeLlmConfig(fake.url, contextTokens));
  const userText = (i: number) => fake.requests[i]!.messages.at(-1)!.content;

  it('are wanted only when asked for', () => {
    assert.equal(llmPromptsAddon.wanted({ llmPrompts: ['Who?'] }), true);
    assert.equal(llmPromptsAddon.wanted({ llmPrompts: [] }), false);
    assert.equal(translationAddon.wanted({ translation: { targetLanguages: ['fr'] } }), true);
    assert.equal(translationAddon.wanted({}), false);
  });

  it('refuse to run without an LLM, saying how to configure one', async () => {
    const cases: [Addon<'llmPrompts'> | Addon<'translation'>, IntelligenceRequest][] = [
      [llmPromptsAddon, { llmPrompts: ['Who?'] }],
      [translationAddon, { translation: { targetLanguages: ['fr'] } }],
    ];
    for (const [addon, request] of cases) {
      await assert.rejects(
        addon.run(addonContext(short, request)),
        (error: unknown) =>
          error instanceof EarshotError &&
          error.code === 'engineUnavailable' &&
          /EARSHOT_LLM_URL/.test(error.message),
      );
    }
  });

  it('answer each prompt over the speaker-labelled transcript', async () => {
    handler = (r) => (r.messages.at(-1)!.content.endsWith('Who got the report?') ? 'Maria.' : 'On Friday.');
    const answers = await llmPromptsAddon.run(
      addonContext(short, { llmPrompts: ['Who got the report?', 'When was it sent?'] }, llm()),
    );
    assert.deepEqual(answers, [
      { prompt: 'Who got the report?', answer: 'Maria.' },
      { prompt: 'When was it sent?', answer: 'On Friday.' },
    ]);
    assert.equal(fake.requests.length, 2);
    assert.equal(fake.requests[0]!.model, 'fake-model');
    assert.equal(fake.requests[0]!.authorization, 'Bearer sk-fake');
    assert.match(userText(0), /Speaker A: Did you finish the report\?/);
    assert.match(userText(0), /Speaker B: Yes, I sent it to Maria on Friday\./);
    assert.deepEqual(fake.rejected, []);
  });

  it('read a long transcript chunk by chunk, dropping chunks with nothing relevant', async () => {
    handler = (r) => {
      const text = r.messages.at(-1)!.content;
      if (/^Below is part/.test(text))
        return text.includes('sourdough') ? '- the starter needs daily feeding' : 'NONE';
      return 'Feed the starter every day.';
    };
    const [answer] = await llmPromptsAddon.run(
      addonContext(talk, { llmPrompts: ['How do you keep a sourdough starter?'] }, llm(1_000)),
    );
    assert.deepEqual(answer, {
      prompt: 'How do you keep a sourdough starter?',
      answer: 'Feed the starter every day.',
    });
    const chunks = fake.requests.slice(0, -1);
    assert.ok(chunks.length >= 2);
    for (const sentence of all) {
      assert.equal(chunks.filter((r) => r.messages.at(-1)!.content.includes(sentence)).length, 1, sentence);
    }
    const final = userText(fake.requests.length - 1);
    assert.match(final, /the starter needs daily feeding/);
    assert.doesNotMatch(final, /NONE/);
    assert.match(final, /Instruction: How do you keep a sourdough starter\?$/);
  });

  it('translate into each language in chunks that fit, covering all the text once', async () => {
    handler = (r) => {
      const language = /into (\w+)/.exec(r.messages[0]!.content)?.[1] ?? '?';
      return `[${language}] ${r.messages[1]!.content}`;
    };
    const result = await translationAddon.run(
      addonContext(talk, { translation: { targetLanguages: ['fr', 'de', 'en_us'] } }, llm(600)),
    );
    assert.deepEqual(Object.keys(result), ['fr', 'de', 'en_us']);
    // The source is English already: no request, the text as it is.
    assert.equal(result.en_us, talk.text);
    const french = fake.requests.filter((r) => /French \(fr\)/.test(r.messages[0]!.content));
    const german = fake.requests.filter((r) => /German \(de\)/.test(r.messages[0]!.content));
    assert.equal(french.length + german.length, fake.requests.length);
    assert.ok(french.length >= 2, `${french.length} French chunks`);
    assert.equal(french.length, german.length);
    for (const r of french) {
      const tokens = Math.ceil(r.messages[1]!.content.length / 4);
      assert.ok(tokens <= 500 && r.maxTokens >= tokens * 2.5, `${tokens} tokens, max_tokens ${r.maxTokens}`);
    }
    const expected = french
      .map((r) => `[French] ${r.messages[1]!.content}`)
      .join(' ')
      .replace(/\s+/g, ' ');
    assert.equal(result.fr, expected);
    assert.equal(result.fr.replace(/\[French\] /g, ''), talk.text);
  });

  it('name languages for the prompt', () => {
    assert.equal(languageName('fr'), 'French (fr)');
    assert.equal(languageName('pt_br'), 'Brazilian Portuguese (pt_br)');
    assert.equal(languageName('xx-not-a-code!'), 'xx-not-a-code!');
  });
});
