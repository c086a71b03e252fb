import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../../../domain/errors.js';
import { parseTranscriptParams } from './transcript-params.js';

const UPLOAD_ID = '01900000-0000-7000-8000-000000000001';
const ours = (url: string): string | undefined =>
  url === 'http://me/v2/upload/' + UPLOAD_ID ? UPLOAD_ID : undefined;

function refused(body: unknown, pattern: RegExp, param: string): void {
  assert.throws(
    () => parseTranscriptParams(body, ours),
    (error: unknown) => {
      assert.ok(error instanceof EarshotError);
      assert.match(error.message, pattern);
      assert.equal(error.param, param);
      assert.equal(error.status, 400);
      return true;
    },
  );
}

describe('parseTranscriptParams (AssemblyAI → canonical)', () => {
  it('maps every supported option', () => {
    const { request, echo, paramNames } = parseTranscriptParams(
      {
        audio_url: 'https://media.example.com/a.mp3',
        audio_start_from: 1000,
        audio_end_at: 5000,
        language_code: 'en_US',
        punctuate: false,
        format_text: false,
        custom_spelling: [{ from: ['k8s'], to: 'Kubernetes' }],
        word_boost: ['Earshot'],
        boost_param: 'high',
        speech_model: 'sphinx-en-us',
        speech_threshold: 0.2,
        webhook_url: 'https://hooks.example.com/x',
        webhook_auth_header_name: 'X-Token',
        webhook_auth_header_value: 'secret',
        speaker_labels: false,
      },
      ours,
    );
    assert.deepEqual(request, {
      audio: { kind: 'url', url: 'https://media.example.com/a.mp3' },
      task: 'transcribe',
      codeSwitching: false,
      multichannel: false,
      audioStartMs: 1000,
      audioEndMs: 5000,
      speechModels: ['sphinx-en-us'],
      languageCode: 'en_us',
      languageDetection: false,
      punctuate: false,
      formatText: false,
      customSpelling: [{ from: ['k8s'], to: 'Kubernetes' }],
      keyterms: ['Earshot'],
      hintBoost: 'high',
      minSpeechFraction: 0.2,
      textFilters: { filterProfanity: false, keepDisfluencies: false },
      webhook: { url: 'https://hooks.example.com/x', authHeader: { name: 'X-Token', value: 'secret' } },
    });
    assert.equal(paramNames.keyterms, 'word_boost');
    assert.equal(echo.webhook_auth_header_value, undefined, 'the secret is never echoed');
    assert.equal(echo.webhook_auth_header_name, 'X-Token');
  });

  it('recognises our own upload URLs and defaults punctuation and formatting on', () => {
    const { request } = parseTranscriptParams({ audio_url: `http://me/v2/upload/${UPLOAD_ID}` }, ours);
    assert.deepEqual(request.audio, { kind: 'upload', uploadId: UPLOAD_ID });
    assert.equal(request.punctuate, true);
    assert.equal(request.formatText, true);
  });

  it('maps speaker labels and multichannel', () => {
    const audio_url = 'https://media.example.com/a.mp3';
    const { request } = parseTranscriptParams(
      {
        audio_url,
        speaker_labels: true,
        speaker_options: { min_speakers_expected: 2, max_speakers_expected: 4 },
        dual_channel: true,
      },
      ours,
    );
    assert.deepEqual(request.diarization, { minSpeakers: 2, maxSpeakers: 4 });
    assert.equal(request.multichannel, true);
    const exact = parseTranscriptParams(
      { audio_url, speaker_labels: true, speakers_expected: 3 },
      ours,
    ).request;
    assert.deepEqual(exact.diarization, { speakersExpected: 3 });
    assert.equal(
      parseTranscriptParams({ audio_url, speaker_labels: false }, ours).request.diarization,
      undefined,
    );
    refused({ audio_url, speakers_expected: 2 }, /need speaker_labels: true/, 'speakers_expected');
    refused(
      {
        audio_url,
        speaker_labels: true,
        speaker_options: { min_speakers_expected: 5, max_speakers_expected: 2 },
      },
      /greater than max_speakers_expected/,
      'speaker_options',
    );
    refused(
      { audio_url, speaker_labels: true, speakers_expected: 0 },
      /speakers_expected/,
      'speakers_expected',
    );
  });

  it('refuses what it cannot honour, by name', () => {
    const audio_url = 'https://media.example.com/a.mp3';
    refused({ audio_url, temperature: 0.5 }, /Not supported by this server yet: temperature/, 'temperature');
    refused(
      { audio_url, auto_chapters: true, summarization: true },
      /cannot be used together/,
      'summarization',
    );
    refused({ audio_url, summary_type: 'gist' }, /need summarization: true/, 'summary_type');
    refused({ audio_url, redact_pii: true }, /redact_pii_policies/, 'redact_pii_policies');
    refused({ audio_url, colour: 'blue' }, /Unknown parameter: colour/, 'colour');
    refused({}, /audio_url is required/, 'audio_url');
    refused({ audio_url: 'ftp://x/a.mp3' }, /must be an http or https URL/, 'audio_url');
    refused({ audio_url: 'not a url' }, /not a valid URL/, 'audio_url');
    refused(
      { audio_url, audio_start_from: 5000, audio_end_at: 4000 },
      /greater than audio_start_from/,
      'audio_end_at',
    );
    refused({ audio_url, audio_start_from: -1 }, /audio_start_from/, 'audio_start_from');
    refused({ audio_url, speech_threshold: 2 }, /speech_threshold/, 'speech_threshold');
    refused({ audio_url, punctuate: 'yes' }, /punctuate has the wrong type/, 'punctuate');
    refused(
      { audio_url, webhook_url: 'https://h.example.com', webhook_auth_header_name: 'X' },
      /must be given together/,
      'webhook_auth_header_name',
    );
    refused(
      { audio_url, webhook_url: 'file:///etc/passwd' },
      /webhook_url must be an http or https URL/,
      'webhook_url',
    );
    refused(
      { audio_url, speech_model: 'a', speech_models: ['b'] },
      /either speech_model or speech_models/,
      'speech_models',
    );
    refused([1, 2], /must be a JSON object/, 'body');
  });
});
