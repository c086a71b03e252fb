import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../../domain/errors.js';
import type { ChatMessage, CompletionOptions, LlmClient } from '../llm/llm-client.js';
import { formatTimestamp, renderPassage } from './chat-prompt.js';
import { chatOverTranscript } from './transcript-chat.js';

/** Records what it is asked and answers with a fixed text; counts a token per 4 characters. */
function recordingLlm(contextTokens: number, withUsage = true) {
  const calls: { messages: ChatMessage[]; options: CompletionOptions | undefined }[] = [];
  const countTokens = (text: string): number => Math.ceil(text.length / 4);
  const llm: LlmClient = {
    model: 'test-model',
    contextTokens,
    countTokens,
    complete: (messages, options) => {
      calls.push({ messages, options });
      return Promise.resolve('It was approved [00:01:05].');
    },
    completeJson: () => Promise.reject(new Error('not used')),
    ...(withUsage && {
      completeWithUsage: (messages: ChatMessage[], options?: CompletionOptions) => {
        calls.push({ messages, options });
        return Promise.resolve({
          content: 'It was approved [00:01:05].',
          usage: { promptTokens: 11, completionTokens: 7, totalTokens: 18 },
        });
      },
    }),
  };
  return { llm, calls };
}

describe('chat over a transcript', () => {
  it('formats citation times', () => {
    assert.equal(formatTimestamp(0), '00:00:00');
    assert.equal(formatTimestamp(65_999), '00:01:05');
    assert.equal(formatTimestamp(3_723_000), '01:02:03');
    assert.equal(
      renderPassage({
        index: 0,
        startMs: 65_000,
        endMs: 70_000,
        lines: [
          { startMs: 65_000, endMs: 67_000, text: 'Approved.', speaker: 'SPEAKER_1' },
          { startMs: 67_000, endMs: 70_000, text: 'Good.' },
        ],
        text: 'Approved. Good.',
      }),
      '[00:01:05] SPEAKER_1: Approved.\n[00:01:07] Good.',
    );
    assert.equal(
      renderPassage({ index: 2, startMs: null, endMs: null, lines: [{ text: 'x' }], text: 'x' }),
      '[passage 3] x',
    );
  });

  it('sends a short transcript whole, with times, and passes the options and usage through', async () => {
    const { llm, calls } = recordingLlm(4000);
    const answer = await chatOverTranscript(llm, {
      lines: [
        { startMs: 60_000, endMs: 65_000, text: 'Shall we approve the budget?', speaker: 'SPEAKER_1' },
        { startMs: 65_000, endMs: 66_000, text: 'Yes, approved.', speaker: 'SPEAKER_2' },
      ],
      conversation: [{ role: 'user', content: 'Was the budget approved?' }],
      maxTokens: 300,
      temperature: 0.5,
    });
    assert.equal(answer.content, 'It was approved [00:01:05].');
    assert.equal(answer.model, 'test-model');
    assert.deepEqual(answer.usage, { promptTokens: 11, completionTokens: 7, totalTokens: 18 });
    assert.deepEqual(answer.context, { mode: 'full', passages: 1, totalPassages: 1 });
    const [call] = calls;
    assert.equal(call!.options?.maxTokens, 300);
    assert.equal(call!.options?.temperature, 0.5);
    assert.equal(call!.messages.length, 2);
    assert.deepEqual(call!.messages[1], { role: 'user', content: 'Was the budget approved?' });
    const system = call!.messages[0]!.content;
    assert.match(
      system,
      /\[00:01:00\] SPEAKER_1: Shall we approve the budget\?\n\[00:01:05\] SPEAKER_2: Yes, approved\./,
    );
    assert.match(system, /for example \[00:01:23\]/);
    assert.match(system, /Below is the complete transcript\./);
  });

  it('estimates usage for a client that cannot report it', async () => {
    const { llm } = recordingLlm(4000, false);
    const answer = await chatOverTranscript(llm, {
      lines: [{ text: 'Plain text.' }],
      conversation: [{ role: 'user', content: 'Hi?' }],
      maxTokens: 100,
      temperature: 0,
    });
    assert.equal(answer.usage.completionTokens, Math.ceil('It was approved [00:01:05].'.length / 4));
    assert.equal(answer.usage.totalTokens, answer.usage.promptTokens + answer.usage.completionTokens);
  });

  it('refuses a conversation that leaves no room for the transcript', async () => {
    const { llm } = recordingLlm(600);
    await assert.rejects(
      chatOverTranscript(llm, {
        lines: [{ text: 'x' }],
        conversation: [{ role: 'user', content: 'y'.repeat(2000) }],
        maxTokens: 100,
        temperature: 0,
      }),
      (error: unknown) => error instanceof EarshotError && error.param === 'messages' && error.status === 400,
    );
  });
});
