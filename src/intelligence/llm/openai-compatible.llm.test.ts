import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import { startFakeLlm, type FakeLlm, type FakeLlmRequest } from '../../../test/fixtures/fake-llm.js';
import { EarshotError } from '../../domain/errors.js';
import { OpenAiCompatibleLlm } from './openai-compatible.llm.js';

describe('OpenAiCompatibleLlm against a fake OpenAI-compatible server', () => {
  let fake: FakeLlm;
  let answers: string[] = [];
  const handler = (_request: FakeLlmRequest): string => answers.shift() ?? 'default answer';

  before(async () => {
    fake = await startFakeLlm({ model: 'test-model', apiKey: 'sk-test', handler });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.rejected.length = 0;
    answers = [];
  });

  const client = (overrides: Partial<ConstructorParameters<typeof OpenAiCompatibleLlm>[0]> = {}) =>
    new OpenAiCompatibleLlm({
      url: fake.url,
      model: 'test-model',
      apiKey: 'sk-test',
      timeoutMs: 5_000,
      contextTokens: 4_000,
      maxTokensPerJob: 100_000,
      ...overrides,
    });

  it('sends the model, messages, answer budget, temperature and bearer key', async () => {
    answers = ['Paris.'];
    const answer = await client().complete(
      [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      { maxTokens: 50 },
    );
    assert.equal(answer, 'Paris.');
    assert.equal(fake.requests.length, 1);
    const request = fake.requests[0]!;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.model, 'test-model');
    assert.equal(request.authorization, 'Bearer sk-test');
    assert.equal(request.maxTokens, 50);
    assert.equal(request.temperature, 0);
    assert.deepEqual(request.messages, [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    assert.deepEqual(fake.rejected, []);
  });

  it('uses a default answer budget of 1024 tokens', async () => {
    await client().complete([{ role: 'user', content: 'hi' }]);
    assert.equal(fake.requests[0]?.maxTokens, 1024);
  });

  it('reports a wrong key as the provider answering 401', async () => {
    await assert.rejects(
      client({ apiKey: 'sk-wrong' }).complete([{ role: 'user', content: 'hi' }]),
      (error: unknown) =>
        error instanceof EarshotError && error.code === 'fetchFailed' && /answered 401/.test(error.message),
    );
    assert.deepEqual(fake.rejected, [{ status: 401, reason: 'missing or wrong bearer key' }]);
  });

  it('reports an error status with the provider message', async () => {
    fake.failNext(1, 503);
    await assert.rejects(
      client().complete([{ role: 'user', content: 'hi' }]),
      (error: unknown) =>
        error instanceof EarshotError && /answered 503: simulated failure/.test(error.message),
    );
  });

  it('validates JSON answers and retries once, telling the model what was wrong', async () => {
    answers = ['Sure! Here it is: {"title": ', '```json\n{"title": "Weather", "count": 2}\n```'];
    const schema = z.object({ title: z.string(), count: z.number() });
    const value = await client().completeJson([{ role: 'user', content: 'Give JSON' }], schema);
    assert.deepEqual(value, { title: 'Weather', count: 2 });
    assert.equal(fake.requests.length, 2);
    const retry = fake.requests[1]!.messages;
    assert.equal(retry.length, 3);
    assert.deepEqual(retry[1], { role: 'assistant', content: 'Sure! Here it is: {"title": ' });
    assert.equal(retry[2]?.role, 'user');
    assert.match(retry[2].content, /not valid JSON/);
  });

  it('retries when the JSON does not match the schema, and gives up after the second try', async () => {
    answers = ['{"title": 3}', '{"title": 4}'];
    await assert.rejects(
      client().completeJson([{ role: 'user', content: 'Give JSON' }], z.object({ title: z.string() })),
      (error: unknown) => error instanceof EarshotError && /did not return valid JSON/.test(error.message),
    );
    assert.equal(fake.requests.length, 2);
  });

  it('refuses a call that would exceed the job token budget, before sending it', async () => {
    const llm = client({ maxTokensPerJob: 1_200 });
    answers = ['x'.repeat(400)]; // ~100 completion tokens
    await llm.complete([{ role: 'user', content: 'y'.repeat(400) }], { maxTokens: 200 });
    assert.equal(fake.requests.length, 1);
    // Spent ~200 of 1200; 200 prompt + 900 answer tokens would go past it.
    await assert.rejects(
      llm.complete([{ role: 'user', content: 'y'.repeat(800) }], { maxTokens: 900 }),
      (error: unknown) =>
        error instanceof EarshotError && error.code === 'badRequest' && /budget/.test(error.message),
    );
    assert.equal(fake.requests.length, 1);
  });

  it('gives up on a provider that never answers after timeoutMs', async () => {
    fake.hangNext(1);
    const started = Date.now();
    await assert.rejects(
      client({ timeoutMs: 300 }).complete([{ role: 'user', content: 'hi' }]),
      (error: unknown) => error instanceof EarshotError && /could not be reached/.test(error.message),
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 3_000, `timed out after ${elapsed} ms`);
    assert.equal(fake.requests.length, 1);
  });

  it("stops when the caller's signal aborts, with the abort reason", async () => {
    fake.hangNext(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 100);
    await assert.rejects(
      client().complete([{ role: 'user', content: 'hi' }], { signal: controller.signal }),
      /job cancelled/,
    );
  });
});
