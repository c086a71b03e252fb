import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transcript } from '../../../domain/transcript.js';
import { EarshotError } from '../../../domain/errors.js';
import { parseChatBody } from './chat-params.js';
import { parseSummaryBody } from './summary-params.js';
import { renderSummary, topicName, topicNames, trimToWords } from './summary.renderer.js';
import { readTranscript, splitTextSentences } from './transcript-input.js';

const LLM = {
  url: 'http://127.0.0.1:1/v1',
  model: 'm1',
  apiKey: undefined,
  timeoutMs: 1000,
  contextTokens: 4000,
  maxTokensPerJob: 100_000,
};

function refused(run: () => unknown, message: string, param: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof EarshotError, String(error));
    assert.equal(error.message, message);
    assert.equal(error.param, param);
    assert.equal(error.status, 400);
    return true;
  });
}

describe('summary and chat input', () => {
  it('reads result segments (seconds) as a provided transcript in ms, in time order', () => {
    const input = readTranscript(
      [
        { start: 2.5, end: 3, text: ' later ', speaker: 'SPEAKER_2', id: 'seg-2', speaker_confidence: null },
        { start: 0, end: 1.25, text: 'first', speaker: null },
        { start: 1.25, end: 2, text: '  ' },
      ],
      'ignored when transcript is given',
    );
    assert.equal(input.source, 'transcript');
    assert.deepEqual(input.lines, [
      { startMs: 0, endMs: 1250, text: 'first' },
      { startMs: 2500, endMs: 3000, text: 'later', speaker: 'SPEAKER_2' },
    ]);
    assert.deepEqual(input.provided.utterances, input.lines);
  });

  it('reads full_text as sentences without times', () => {
    const input = readTranscript(undefined, 'One. Two?\nThree');
    assert.deepEqual(input.lines, [{ text: 'One.' }, { text: 'Two?' }, { text: 'Three' }]);
    assert.deepEqual(input.provided, { utterances: [{ startMs: 0, endMs: 0, text: 'One. Two?\nThree' }] });
    assert.deepEqual(splitTextSentences('Wait… what! ok'), ['Wait…', 'what!', 'ok']);
    refused(
      () => readTranscript(undefined, undefined),
      'transcript: is required (or send the plain text as full_text)',
      'transcript',
    );
    refused(
      () => readTranscript([{ start: 0, end: 1, text: '' }], undefined),
      'transcript: has no text (every segment is empty)',
      'transcript',
    );
  });

  it('maps summary formats and checks the model name', () => {
    const p = parseSummaryBody(
      { full_text: 'Hi there.', format: 'key_points', max_length: 50, model_name: null },
      null,
    );
    assert.deepEqual(p.request.intelligence, { summary: { type: 'bullets_verbose' }, topics: true });
    assert.equal(p.request.audio.kind, 'transcript');
    assert.deepEqual(p.echo, {
      kind: 'summary',
      format: 'key_points',
      max_length: 50,
      model: 'extractive',
      source: 'full_text',
    });
    assert.deepEqual(parseSummaryBody({ full_text: 'x' }, LLM).echo.format, 'paragraph');
    assert.equal(parseSummaryBody({ full_text: 'x', model_name: 'm1' }, LLM).echo.model, 'm1');
    assert.deepEqual(
      parseSummaryBody({ full_text: 'x', format: 'bullet_points' }, LLM).request.intelligence?.summary,
      { type: 'bullets' },
    );
    assert.throws(
      () => parseSummaryBody({ full_text: 'x', model_name: 'm2' }, LLM),
      /^EarshotError: model_name: this server summarises with "m1"/,
    );
  });

  it('reads chat bodies with defaults and refuses what cannot be answered', () => {
    const p = parseChatBody({ full_text: 'Hi.', messages: [{ role: 'user', content: ' Who? ' }] }, LLM);
    assert.deepEqual(p.conversation, [{ role: 'user', content: 'Who?' }]);
    assert.equal(p.maxTokens, 1024);
    assert.equal(p.temperature, 0.2);
    refused(
      () => parseChatBody({ full_text: 'Hi.', messages: [{ role: 'tool', content: 'x' }] }, LLM),
      'messages[0].role: must be user or assistant (the server writes the system message)',
      'messages[0].role',
    );
    refused(
      () =>
        parseChatBody(
          { full_text: 'Hi.', messages: [{ role: 'user', content: 'x' }], max_tokens: 4000 },
          LLM,
        ),
      "max_tokens: must be less than the model's context of 4000 tokens (EARSHOT_LLM_CONTEXT_TOKENS)",
      'max_tokens',
    );
  });
});

describe('summary renderer', () => {
  it('trims to whole sentences or bullets within max_length words', () => {
    assert.equal(trimToWords('One two three. Four five. Six.', null), 'One two three. Four five. Six.');
    assert.equal(trimToWords('One two three. Four five. Six.', 5), 'One two three. Four five.');
    assert.equal(trimToWords('One two three. Four five. Six.', 4), 'One two three.');
    assert.equal(trimToWords('One two three. Four five.', 2), 'One two…');
    assert.equal(trimToWords('- a b\n- c d\n- e', 4), '- a b\n- c d');
    assert.equal(trimToWords('- a b c\n- d', 2), '- a b…');
  });

  it('names topics by their most specific tier', () => {
    assert.equal(topicName('Automotive>AutoType>GreenVehicles'), 'Green Vehicles');
    assert.equal(topicName('Technology&Computing'), 'Technology & Computing');
    assert.deepEqual(
      topicNames({
        segments: [],
        summary: { 'A>GreenVehicles': 0.5, 'B>GreenVehicles': 0.4, Automotive: 0.9, Travel: 0.05 },
      }),
      ['Automotive', 'Green Vehicles'],
    );
  });

  it('reports the model that wrote the summary', () => {
    const transcript = {
      addons: {
        summary: {
          status: 'success',
          execMs: 1,
          result: { type: 'paragraph', text: 'A b. C d e.', method: 'extractive' },
        },
        topics: { status: 'success', execMs: 1, result: { segments: [], summary: { Automotive: 0.8 } } },
      },
    } as unknown as Transcript;
    const echo = {
      kind: 'summary' as const,
      format: 'paragraph' as const,
      max_length: 3,
      model: 'm1',
      source: 'transcript' as const,
    };
    assert.deepEqual(renderSummary(transcript, echo), {
      summary: 'A b.',
      topics: ['Automotive'],
      length: 2,
      model_used: 'extractive',
    });
    const failed = {
      addons: { ...transcript.addons, topics: { status: 'error', execMs: 1, error: 'boom' } },
    } as unknown as Transcript;
    assert.throws(() => renderSummary(failed, echo), /Topic detection failed: boom/);
  });
});
