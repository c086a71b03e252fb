import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../../../domain/job.js';
import type { Transcript, Word } from '../../../domain/transcript.js';
import { defaultTranscriptionRequest } from '../../../domain/transcription-request.js';
import {
  gladiaErrorCode,
  renderGladiaCallback,
  renderGladiaJob,
  renderGladiaResult,
  subtitleOptions,
} from './gladia.renderer.js';

const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const UPLOAD_ID = '0190a1b2-0000-7e5f-8a9b-0c1d2e3f4a5b';

function w(text: string, startMs: number, endMs: number, extra: Partial<Word> = {}): Word {
  return { text, startMs, endMs, confidence: 0.8, ...extra };
}

const WORDS = [w('Hello', 500, 900), w('world.', 950, 1400), w('Second', 3000, 3400), w('one.', 3450, 3900)];

function transcript(overrides: Partial<Transcript> = {}): Transcript {
  return {
    language: 'en_us',
    languageConfidence: null,
    durationMs: 4250,
    channels: 1,
    text: 'Hello world. Second one.',
    words: WORDS,
    segments: [
      { startMs: 400, endMs: 1500, text: 'Hello world.' },
      { startMs: 2900, endMs: 4000, text: 'Second one.' },
    ],
    utterances: null,
    confidence: 0.8,
    speakers: null,
    engine: { id: 'sphinx', model: 'sphinx-en-us' },
    speechMs: 2200,
    addons: {},
    ...overrides,
  };
}

function job(overrides: Partial<Job> = {}, params: Record<string, unknown> = {}): Job {
  return {
    id: ID,
    tenantId: 't',
    surface: 'gladia',
    status: 'completed',
    request: defaultTranscriptionRequest({ kind: 'upload', uploadId: UPLOAD_ID }),
    surfaceParams: {
      request_params: { audio_url: `http://x/v2/upload/${UPLOAD_ID}`, sentences: false, ...params },
      file: { filename: 'a.wav', source: null },
    },
    metadata: { user: 'John' },
    progress: null,
    error: null,
    errorCode: null,
    transcript: transcript(),
    audioDurationMs: 4250,
    webhookStatusCode: null,
    createdAt: new Date('2026-01-09T10:00:00.000Z'),
    startedAt: new Date('2026-01-09T10:00:01.000Z'),
    completedAt: new Date('2026-01-09T10:00:03.500Z'),
    deletedAt: null,
    ...overrides,
  };
}

type Json = Record<string, unknown>;

void describe('renderGladiaJob', () => {
  void it('renders a done job as Gladia’s envelope, times in seconds', () => {
    const out = renderGladiaJob(job());
    assert.equal(out.id, ID);
    assert.equal(out.request_id, 'G-0190a1b2');
    assert.equal(out.version, 2);
    assert.equal(out.status, 'done');
    assert.equal(out.kind, 'pre-recorded');
    assert.equal(out.created_at, '2026-01-09T10:00:00.000Z');
    assert.equal(out.completed_at, '2026-01-09T10:00:03.500Z');
    assert.deepEqual(out.custom_metadata, { user: 'John' });
    assert.equal(out.error_code, null);
    assert.deepEqual(out.file, {
      id: UPLOAD_ID,
      filename: 'a.wav',
      source: null,
      audio_duration: 4.25,
      number_of_channels: 1,
    });
    const result = out.result as Json;
    assert.deepEqual(result.metadata, {
      audio_duration: 4.25,
      number_of_distinct_channels: 1,
      billing_time: 4.25,
      transcription_time: 2.5,
    });
    const transcription = result.transcription as Json;
    assert.equal(transcription.full_transcript, 'Hello world. Second one.');
    assert.deepEqual(transcription.languages, ['en']);
    assert.equal('sentences' in transcription, false);
    assert.equal('subtitles' in transcription, false);
  });

  void it('builds one utterance per segment when the transcript has none, with no speaker field', () => {
    const utterances = (renderGladiaResult(job())!.transcription as Json).utterances as Json[];
    assert.equal(utterances.length, 2);
    assert.deepEqual(utterances[0], {
      start: 0.5,
      end: 1.4,
      confidence: 0.8,
      channel: 0,
      words: [
        { word: 'Hello', start: 0.5, end: 0.9, confidence: 0.8 },
        { word: 'world.', start: 0.95, end: 1.4, confidence: 0.8 },
      ],
      text: 'Hello world.',
      language: 'en',
    });
    assert.equal(utterances[1]!.text, 'Second one.');
  });

  void it('gives 0-based integer speakers when diarization was asked for', () => {
    const words = WORDS.map((word, i) => ({ ...word, speaker: i < 2 ? 0 : 1 }));
    const diarized = job({
      request: { ...defaultTranscriptionRequest({ kind: 'upload', uploadId: UPLOAD_ID }), diarization: {} },
      transcript: transcript({
        words,
        speakers: 2,
        utterances: [
          {
            text: 'Hello world.',
            startMs: 500,
            endMs: 1400,
            confidence: 0.8,
            speaker: 0,
            words: words.slice(0, 2),
          },
          {
            text: 'Second one.',
            startMs: 3000,
            endMs: 3900,
            confidence: 0.8,
            speaker: 1,
            words: words.slice(2),
          },
        ],
      }),
    });
    const utterances = (renderGladiaResult(diarized)!.transcription as Json).utterances as Json[];
    assert.deepEqual(
      utterances.map((u) => u.speaker),
      [0, 1],
    );
  });

  void it('adds sentences in both of Gladia’s shapes when asked', () => {
    const result = renderGladiaResult(job({}, { sentences: true }))!;
    const [addon] = (result.transcription as Json).sentences as Json[];
    assert.deepEqual(addon, {
      success: true,
      is_empty: false,
      exec_time: 0,
      error: null,
      results: ['Hello world.', 'Second one.'],
    });
    const detailed = (result.sentences as Json).results as Json[];
    assert.equal(detailed.length, 2);
    assert.equal(detailed[1]!.sentence, 'Second one.');
    assert.equal(detailed[1]!.start, 3);
    assert.equal(detailed[1]!.end, 3.9);
    assert.equal(detailed[1]!.language, 'en');
    assert.equal(detailed[1]!.channel, 0);
    assert.equal((detailed[1]!.words as Json[]).length, 2);
  });

  void it('renders each requested subtitles format with the row and character limits', () => {
    const result = renderGladiaResult(
      job(
        {},
        {
          subtitles: true,
          subtitles_config: {
            formats: ['srt', 'vtt'],
            maximum_characters_per_row: 6,
            maximum_rows_per_caption: 1,
          },
        },
      ),
    )!;
    const subtitles = (result.transcription as Json).subtitles as { format: string; subtitles: string }[];
    assert.deepEqual(
      subtitles.map((s) => s.format),
      ['srt', 'vtt'],
    );
    assert.equal(
      subtitles[0]!.subtitles,
      '1\n00:00:00,500 --> 00:00:00,900\nHello\n\n2\n00:00:00,950 --> 00:00:01,400\nworld.\n\n' +
        '3\n00:00:03,000 --> 00:00:03,400\nSecond\n\n4\n00:00:03,450 --> 00:00:03,900\none.\n',
    );
    assert.ok(subtitles[1]!.subtitles.startsWith('WEBVTT\n\n00:00:00.500 --> 00:00:00.900\nHello\n'));
  });

  void it('maps subtitles_config to exporter options; compliance holds captions 1 to 6 s', () => {
    assert.deepEqual(subtitleOptions({}), { maxLines: 2, charsPerCaption: 84 });
    assert.deepEqual(subtitleOptions({ style: 'compliance' }), {
      maxLines: 2,
      charsPerCaption: 84,
      maxCaptionMs: 6000,
      minCaptionMs: 1000,
    });
    assert.deepEqual(
      subtitleOptions({
        style: 'compliance',
        maximum_characters_per_row: 30,
        maximum_rows_per_caption: 3,
        minimum_duration: 0.5,
        maximum_duration: 2.25,
      }),
      { maxLines: 3, charsPerCaption: 90, maxCaptionMs: 2250, minCaptionMs: 500 },
    );
  });

  void it('shows queued and processing jobs without a result, and failed ones with an HTTP error_code', () => {
    const queued = renderGladiaJob(
      job({ status: 'queued', transcript: null, completedAt: null, startedAt: null }),
    );
    assert.equal(queued.status, 'queued');
    assert.equal(queued.result, null);
    assert.equal(queued.completed_at, null);
    const failed = job({
      status: 'error',
      transcript: null,
      error: 'The file is not audio.',
      errorCode: 'invalidAudio',
    });
    const out = renderGladiaJob(failed);
    assert.equal(out.status, 'error');
    assert.equal(out.error_code, 400);
    assert.deepEqual(out.post_session_metadata, { error: 'The file is not audio.' });
    assert.equal(gladiaErrorCode({ status: 'error', errorCode: 'internal' }), 500);
    assert.equal(gladiaErrorCode({ status: 'error', errorCode: null }), 500);
    assert.equal(gladiaErrorCode({ status: 'error', errorCode: 'timeout' }), 504);
    assert.equal(gladiaErrorCode({ status: 'cancelled', errorCode: null }), 499);
    assert.equal(gladiaErrorCode({ status: 'completed', errorCode: null }), null);
  });
});

void describe('renderGladiaCallback', () => {
  void it('sends the result on success and the error on failure, as Gladia’s callback schema says', () => {
    const success = renderGladiaCallback(job());
    assert.equal(success.id, ID);
    assert.equal(success.event, 'transcription.success');
    assert.deepEqual(success.payload, renderGladiaResult(job()));
    assert.deepEqual(success.custom_metadata, { user: 'John' });

    const failure = renderGladiaCallback(
      job({
        status: 'error',
        transcript: null,
        metadata: null,
        error: 'Bad audio',
        errorCode: 'invalidAudio',
      }),
    );
    assert.deepEqual(failure, {
      id: ID,
      event: 'transcription.error',
      error: { code: 400, message: 'Bad audio' },
    });
  });
});
