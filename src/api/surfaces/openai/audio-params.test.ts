import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../../../domain/errors.js';
import { type AudioEndpoint, parseAudioParams } from './audio-params.js';

const AUDIO = { kind: 'upload', uploadId: '0190a0a0-0000-7000-8000-000000000001' } as const;

/** Form fields as the SDK sends them: a list of [name, value] in order, names repeating. */
function form(entries: [string, string][]): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [name, value] of entries) fields.set(name, [...(fields.get(name) ?? []), value]);
  return fields;
}

const parse = (entries: [string, string][], endpoint: AudioEndpoint = 'transcriptions') =>
  parseAudioParams(form(entries), endpoint, AUDIO);

function refusal(entries: [string, string][], endpoint: AudioEndpoint = 'transcriptions'): EarshotError {
  try {
    parse(entries, endpoint);
  } catch (error) {
    assert.ok(error instanceof EarshotError, `expected an EarshotError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the form to be refused');
}

describe('OpenAI audio form → canonical request', () => {
  it('maps the defaults of a minimal transcription request', () => {
    const parsed = parse([['model', 'whisper-1']]);
    assert.equal(parsed.responseFormat, 'json');
    assert.equal(parsed.stream, false);
    assert.equal(parsed.words, false);
    assert.equal(parsed.segments, true);
    assert.deepEqual(parsed.request.audio, AUDIO);
    assert.equal(parsed.request.task, 'transcribe');
    // whisper-1 means the server's default model: no preference is passed on.
    assert.deepEqual(parsed.request.speechModels, []);
    assert.equal(parsed.request.languageCode, undefined);
    assert.equal(parsed.request.languageDetection, false);
    assert.deepEqual(parsed.request.keyterms, []);
    assert.equal(parsed.request.diarization, undefined);
    assert.deepEqual(parsed.echo, { model: 'whisper-1' });
  });

  it('maps OpenAI model names to aliases and passes catalog ids on', () => {
    assert.deepEqual(parse([['model', 'gpt-4o-transcribe']]).request.speechModels, []);
    assert.deepEqual(parse([['model', 'gpt-4o-mini-transcribe']]).request.speechModels, ['nano']);
    assert.deepEqual(parse([['model', 'sphinx-en-us']]).request.speechModels, ['sphinx-en-us']);
    assert.deepEqual(parse([['model', 'no-such-model']]).request.speechModels, ['no-such-model']);
    const missing = refusal([['language', 'en']]);
    assert.equal(missing.param, 'model');
    assert.equal(missing.status, 400);
  });

  it('reads repeated timestamp_granularities[] in any order with the other fields', () => {
    const parsed = parse([
      ['timestamp_granularities[]', 'word'],
      ['model', 'whisper-1'],
      ['timestamp_granularities[]', 'segment'],
      ['response_format', 'verbose_json'],
      ['language', 'EN'],
      ['temperature', '0'],
      ['chunking_strategy', 'auto'],
    ]);
    assert.equal(parsed.responseFormat, 'verbose_json');
    assert.equal(parsed.words, true);
    assert.equal(parsed.segments, true);
    assert.equal(parsed.request.languageCode, 'en');
    assert.deepEqual(parsed.echo.timestamp_granularities, ['word', 'segment']);
    const wordsOnly = parse([
      ['model', 'whisper-1'],
      ['response_format', 'verbose_json'],
      ['timestamp_granularities[]', 'word'],
    ]);
    assert.equal(wordsOnly.words, true);
    assert.equal(wordsOnly.segments, false);
  });

  it('refuses granularities without verbose_json, and unknown granularities', () => {
    const withJson = refusal([
      ['model', 'whisper-1'],
      ['timestamp_granularities[]', 'word'],
    ]);
    assert.equal(withJson.param, 'timestamp_granularities');
    assert.match(withJson.message, /verbose_json/);
    const unknown = refusal([
      ['model', 'whisper-1'],
      ['response_format', 'verbose_json'],
      ['timestamp_granularities[]', 'char'],
    ]);
    assert.equal(unknown.param, 'timestamp_granularities');
    assert.match(unknown.message, /char/);
  });

  it('names unknown fields in one 400', () => {
    const error = refusal([
      ['model', 'whisper-1'],
      ['beam_size', '5'],
      ['speaker_labels', 'true'],
    ]);
    assert.equal(error.status, 400);
    assert.equal(error.param, 'beam_size');
    assert.equal(error.message, 'Unknown parameters: beam_size, speaker_labels');
  });

  it('refuses a temperature other than 0, with param temperature', () => {
    assert.doesNotThrow(() =>
      parse([
        ['model', 'whisper-1'],
        ['temperature', '0.0'],
      ]),
    );
    const warm = refusal([
      ['model', 'whisper-1'],
      ['temperature', '0.7'],
    ]);
    assert.equal(warm.param, 'temperature');
    assert.equal(warm.code, 'unsupportedParameter');
    assert.match(warm.message, /greed/);
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['temperature', 'hot'],
      ]).param,
      'temperature',
    );
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['temperature', '1.5'],
      ]).param,
      'temperature',
    );
  });

  it('refuses include[]=logprobs and known speakers by name', () => {
    const logprobs = refusal([
      ['model', 'gpt-4o-transcribe'],
      ['include[]', 'logprobs'],
    ]);
    assert.equal(logprobs.param, 'include');
    assert.match(logprobs.message, /logprobs is not supported/);
    const speakers = refusal([
      ['model', 'gpt-4o-transcribe-diarize'],
      ['known_speaker_names[]', 'agent'],
    ]);
    assert.equal(speakers.param, 'known_speaker_names');
  });

  it('accepts chunking_strategy auto, or server_vad without tuning; refuses tuning by name', () => {
    assert.doesNotThrow(() =>
      parse([
        ['model', 'whisper-1'],
        ['chunking_strategy[type]', 'server_vad'],
      ]),
    );
    const tuned = refusal([
      ['model', 'whisper-1'],
      ['chunking_strategy[type]', 'server_vad'],
      ['chunking_strategy[threshold]', '0.3'],
    ]);
    assert.equal(tuned.param, 'chunking_strategy');
    assert.match(tuned.message, /chunking_strategy\[threshold\] is not supported/);
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['chunking_strategy', 'semantic'],
      ]).param,
      'chunking_strategy',
    );
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['chunking_strategy[type]', 'fixed'],
      ]).param,
      'chunking_strategy',
    );
  });

  it('honours prompt as key terms, which model selection checks against the model', () => {
    const parsed = parse([
      ['model', 'whisper-1'],
      ['prompt', 'Earshot, PocketSphinx;\nSilero'],
    ]);
    assert.deepEqual(parsed.request.keyterms, ['Earshot', 'PocketSphinx', 'Silero']);
  });

  it('maps diarized_json to a diarization request', () => {
    const parsed = parse([
      ['model', 'gpt-4o-transcribe-diarize'],
      ['response_format', 'diarized_json'],
    ]);
    assert.deepEqual(parsed.request.diarization, {});
    assert.equal(parsed.responseFormat, 'diarized_json');
  });

  it('streams only json or text, and reads stream as a boolean', () => {
    assert.equal(
      parse([
        ['model', 'whisper-1'],
        ['stream', 'true'],
      ]).stream,
      true,
    );
    assert.equal(
      parse([
        ['model', 'whisper-1'],
        ['stream', 'false'],
      ]).stream,
      false,
    );
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['stream', 'true'],
        ['response_format', 'srt'],
      ]).param,
      'stream',
    );
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['stream', 'yes'],
      ]).param,
      'stream',
    );
  });

  it('refuses a repeated scalar, a bad language and a text field named file', () => {
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['model', 'nano'],
      ]).param,
      'model',
    );
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['language', 'english'],
      ]).param,
      'language',
    );
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['file', 'jfk.wav'],
      ]).param,
      'file',
    );
    assert.equal(
      refusal([
        ['model', 'whisper-1'],
        ['response_format', 'xml'],
      ]).param,
      'response_format',
    );
  });

  it('translations: task translate, and only the fields the SDK sends there', () => {
    const parsed = parse(
      [
        ['model', 'whisper-1'],
        ['response_format', 'verbose_json'],
        ['temperature', '0'],
      ],
      'translations',
    );
    assert.equal(parsed.request.task, 'translate');
    assert.equal(parsed.segments, true);
    const language = refusal(
      [
        ['model', 'whisper-1'],
        ['language', 'fr'],
      ],
      'translations',
    );
    assert.equal(language.param, 'language');
    assert.match(language.message, /for \/v1\/audio\/translations: language/);
    assert.equal(
      refusal(
        [
          ['model', 'whisper-1'],
          ['response_format', 'diarized_json'],
        ],
        'translations',
      ).param,
      'response_format',
    );
    assert.equal(
      refusal(
        [
          ['model', 'whisper-1'],
          ['timestamp_granularities[]', 'word'],
        ],
        'translations',
      ).param,
      'timestamp_granularities[]',
    );
  });
});
