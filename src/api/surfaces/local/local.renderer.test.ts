import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../../../domain/job.js';
import type { Transcript, Word } from '../../../domain/transcript.js';
import { defaultTranscriptionRequest } from '../../../domain/transcription-request.js';
import type { ModelStatus } from '../../../models/model-store.js';
import {
  chunkInfo,
  formatDisplayTime,
  renderDebug,
  renderJobListItem,
  renderLiveSegments,
  renderLiveStatus,
  renderModel,
  renderNotFoundStatus,
  renderResult,
  renderRetranslation,
  renderStatus,
  speakerOverRange,
} from './local.renderer.js';

const ID = '01900000-0000-7000-8000-000000000001';
const created = new Date('2024-04-05T10:00:00.000Z');

function job(patch: Partial<Job> = {}): Job {
  return {
    id: ID,
    tenantId: 'default',
    surface: 'local',
    status: 'queued',
    request: defaultTranscriptionRequest({ kind: 'upload', uploadId: 'u' }),
    surfaceParams: {},
    metadata: null,
    progress: null,
    error: null,
    errorCode: null,
    transcript: null,
    audioDurationMs: null,
    webhookStatusCode: null,
    createdAt: created,
    startedAt: null,
    completedAt: null,
    deletedAt: null,
    ...patch,
  };
}

const word = (text: string, startMs: number, endMs: number, speaker?: number): Word => ({
  text,
  startMs,
  endMs,
  confidence: 0.5,
  ...(speaker !== undefined && { speaker }),
});

function transcript(words: Word[], patch: Partial<Transcript> = {}): Transcript {
  return {
    language: 'en',
    languageConfidence: null,
    durationMs: 123_450,
    channels: 1,
    text: words.map((w) => w.text).join(' '),
    words,
    segments: [],
    utterances: null,
    confidence: 0.87654,
    speakers: null,
    engine: { id: 'sphinx', model: 'sphinx-en-us' },
    speechMs: 1000,
    addons: {},
    ...patch,
  };
}

describe('local API renderer', () => {
  it('formats display times as HH:MM:SS.mmm', () => {
    assert.equal(formatDisplayTime(0), '00:00:00.000');
    assert.equal(formatDisplayTime(120), '00:00:00.120');
    assert.equal(formatDisplayTime(2340), '00:00:02.340');
    assert.equal(formatDisplayTime(3_723_456), '01:02:03.456');
    assert.equal(formatDisplayTime(100 * 3_600_000 + 59_999), '100:00:59.999');
    assert.equal(formatDisplayTime(-5), '00:00:00.000');
  });

  it('maps Earshot statuses onto the seed vocabulary, with the stage beside it', () => {
    const cases: [Partial<Job>, string, number, string, string][] = [
      [{ status: 'queued' }, 'processing', 0, 'Queued: waiting for a worker', 'queued'],
      [
        {
          status: 'processing',
          startedAt: new Date(created.getTime() + 1500),
          progress: {
            stage: 'transcribe',
            percent: 49.6,
            message: 'Transcribed chunk 2/5 (40%)',
            chunks: { done: 2, total: 5 },
          },
        },
        'processing',
        50,
        'Transcribed chunk 2/5 (40%)',
        'transcribe',
      ],
      [{ status: 'completed' }, 'completed', 100, 'Transcription completed', 'completed'],
      [
        {
          status: 'error',
          error: 'The file is empty',
          progress: { stage: 'probe', percent: 5, message: 'x' },
        },
        'failed',
        5,
        'The file is empty',
        'probe',
      ],
      [{ status: 'cancelled' }, 'failed', 0, 'Transcription was cancelled', 'cancelled'],
    ];
    for (const [patch, status, progress, message, stage] of cases) {
      const body = renderStatus(job(patch));
      assert.deepEqual(
        { status: body.status, progress: body.progress, message: body.message, stage: body.stage },
        { status, progress, message, stage },
        JSON.stringify(patch),
      );
      assert.equal(body.job_id, ID);
    }
    // updated_at: the latest lifecycle time, in Unix seconds.
    assert.equal(
      renderStatus(job({ startedAt: new Date(created.getTime() + 1500) })).updated_at,
      1712311201.5,
    );
  });

  it('answers unknown ids with the seed not_found body plus detail', () => {
    assert.deepEqual(renderNotFoundStatus('nope', created), {
      job_id: 'nope',
      status: 'not_found',
      message: 'Transcription job not found or expired',
      progress: 0,
      updated_at: 1712311200,
      detail: 'Transcription job not found or expired',
    });
  });

  it('renders results as sentence segments with SPEAKER_n labels counted from 1', () => {
    const words = [
      word('Hello', 120, 500, 0),
      word('there.', 500, 2340, 0),
      word('Hi', 3000, 3200, 1),
      word('you', 3200, 3500, 1),
      word('too.', 3500, 3900, 0),
    ];
    assert.deepEqual(renderResult(transcript(words)), {
      segments: [
        {
          id: 'seg-1',
          start: 0.12,
          end: 2.34,
          text: 'Hello there.',
          speaker: 'SPEAKER_1',
          speaker_confidence: null,
          start_display: '00:00:00.120',
          end_display: '00:00:02.340',
        },
        {
          id: 'seg-2',
          start: 3,
          end: 3.5,
          text: 'Hi you',
          speaker: 'SPEAKER_2',
          speaker_confidence: null,
          start_display: '00:00:03.000',
          end_display: '00:00:03.500',
        },
        {
          id: 'seg-3',
          start: 3.5,
          end: 3.9,
          text: 'too.',
          speaker: 'SPEAKER_1',
          speaker_confidence: null,
          start_display: '00:00:03.500',
          end_display: '00:00:03.900',
        },
      ],
      text: 'Hello there. Hi you too.',
      language: 'en',
      audio_duration: 123.45,
    });
  });

  it('leaves speaker null without diarization', () => {
    const result = renderResult(transcript([word('One.', 0, 400), word('Two.', 500, 900)]));
    assert.deepEqual(
      result.segments.map((s) => [s.text, s.speaker]),
      [
        ['One.', null],
        ['Two.', null],
      ],
    );
  });

  it('reads chunk counts from the transcribe stage progress and the partials seen', () => {
    const at = (stage: 'vad' | 'transcribe' | 'diarize', chunks?: { done: number; total: number }) =>
      chunkInfo(
        { status: 'processing', progress: { stage, percent: 30, message: 'm', ...(chunks && { chunks }) } },
        0,
      );
    assert.deepEqual(at('vad'), { current_chunk: 0, total_chunks: 0, chunk_progress: 0 });
    assert.deepEqual(at('transcribe', { done: 0, total: 5 }), {
      current_chunk: 0,
      total_chunks: 5,
      chunk_progress: 0,
    });
    assert.deepEqual(at('transcribe', { done: 2, total: 5 }), {
      current_chunk: 2,
      total_chunks: 5,
      chunk_progress: 40,
    });
    assert.deepEqual(at('transcribe', { done: 1, total: 3 }), {
      current_chunk: 1,
      total_chunks: 3,
      chunk_progress: 33,
    });
    assert.deepEqual(
      chunkInfo(
        { status: 'processing', progress: { stage: 'diarize', percent: 92, message: 'Finding speakers' } },
        4,
      ),
      {
        current_chunk: 4,
        total_chunks: 4,
        chunk_progress: 100,
      },
    );
    assert.deepEqual(chunkInfo({ status: 'completed', progress: null }, 3), {
      current_chunk: 3,
      total_chunks: 3,
      chunk_progress: 100,
    });
  });

  it('builds live status and segment messages', () => {
    const running = job({
      status: 'processing',
      progress: {
        stage: 'transcribe',
        percent: 60,
        message: 'Transcribed chunk 3/4 (75%)',
        chunks: { done: 3, total: 4 },
      },
    });
    assert.deepEqual(renderLiveStatus(running, 4), {
      type: 'status',
      job_id: ID,
      status: 'processing',
      message: 'Transcribed chunk 3/4 (75%)',
      progress: 60,
      chunk_info: { current_chunk: 3, total_chunks: 4, chunk_progress: 75 },
      stage: 'transcribe',
    });
    const segments = renderLiveSegments(ID, {
      seq: 2,
      chunkIndex: 1,
      chunkCount: 4,
      startMs: 10_000,
      endMs: 14_000,
      text: 'Ask not. What',
      words: [word('Ask', 10_000, 10_300), word('not.', 10_300, 10_800), word('What', 12_000, 12_400)],
    });
    assert.deepEqual(segments, [
      {
        type: 'segment',
        job_id: ID,
        id: 'live-2-1',
        start: 10,
        end: 10.8,
        text: 'Ask not.',
        speaker: null,
        speaker_confidence: null,
        start_display: '00:00:10.000',
        end_display: '00:00:10.800',
        chunk_index: 1,
        total_chunks: 4,
      },
      {
        type: 'segment',
        job_id: ID,
        id: 'live-2-2',
        start: 12,
        end: 12.4,
        text: 'What',
        speaker: null,
        speaker_confidence: null,
        start_display: '00:00:12.000',
        end_display: '00:00:12.400',
        chunk_index: 1,
        total_chunks: 4,
      },
    ]);
  });

  it('lists jobs with their file name', () => {
    assert.deepEqual(renderJobListItem(job({ surfaceParams: { filename: 'a.wav' } })), {
      job_id: ID,
      status: 'processing',
      progress: 0,
      updated_at: 1712311200,
      message: 'Queued: waiting for a worker',
      filename: 'a.wav',
      created_at: 1712311200,
    });
  });

  it('describes models with their install state and size in MiB', () => {
    const entry = (sizeBytes: number | undefined, status: ModelStatus['status']): ModelStatus => ({
      model: {
        id: 'whisper-tiny.en',
        kind: 'asr',
        runtime: 'sherpa',
        description: 'Whisper tiny.en',
        languages: ['en'],
        languageDetection: false,
        translation: false,
        punctuation: true,
        hints: false,
        accuracyRank: 20,
        license: 'MIT',
        homepage: 'https://example.com',
        files: [],
      },
      status,
      system: false,
      filesPresent: 0,
      filesTotal: 3,
      sizeBytes,
      sizeIsApprox: true,
    });
    assert.deepEqual(renderModel(entry(104_000_000, 'missing')), {
      name: 'whisper-tiny.en',
      full_name: 'sherpa/whisper-tiny.en',
      is_downloaded: false,
      size_mb: 99.2,
      description: 'Whisper tiny.en',
    });
    assert.equal(renderModel(entry(undefined, 'installed')).size_mb, null);
    assert.equal(renderModel(entry(undefined, 'installed')).is_downloaded, true);
  });

  it('finds the speaker who talks most in a range', () => {
    const words = [
      word('a', 0, 1000, 0),
      word('b', 1000, 1500, 1),
      word('c', 1500, 4000, 0),
      word('d', 4000, 9000, 1),
    ];
    assert.equal(speakerOverRange(words, 900, 1600), 'SPEAKER_2');
    assert.equal(speakerOverRange(words, 0, 4000), 'SPEAKER_1');
    assert.equal(speakerOverRange(words, 3500, 9000), 'SPEAKER_2');
    assert.equal(speakerOverRange(words, 10_000, 11_000), null);
    assert.equal(speakerOverRange([word('a', 0, 1000)], 0, 1000), null);
  });

  it('answers a retranslation with text, rounded confidence, speaker and model', () => {
    assert.deepEqual(renderRetranslation('seg-1', transcript([word('Hello.', 0, 500)]), 'SPEAKER_2'), {
      segment_id: 'seg-1',
      text: 'Hello.',
      confidence: 0.8765,
      speaker: 'SPEAKER_2',
      model_used: 'sphinx-en-us',
    });
    assert.equal(
      renderRetranslation('x', transcript([], { confidence: null, text: '' }), null).confidence,
      null,
    );
  });

  it('shows cached partials in the debug view', () => {
    const body = renderDebug(
      job({
        status: 'processing',
        progress: {
          stage: 'transcribe',
          percent: 40,
          message: 'Transcribed chunk 1/2 (50%)',
          chunks: { done: 1, total: 2 },
        },
        audioDurationMs: 30_000,
      }),
      [
        {
          seq: 0,
          chunkIndex: 0,
          chunkCount: 2,
          startMs: 0,
          endMs: 12_500,
          text: 'a b',
          words: [word('a', 0, 1), word('b', 2, 3)],
        },
      ],
    );
    assert.equal(body.cached_segments, 1);
    assert.equal(body.cached_words, 2);
    assert.equal(body.latest_time, 12.5);
    assert.equal(body.latest_time_display, '00:00:12.500');
    assert.deepEqual(body.chunk_info, { current_chunk: 1, total_chunks: 2, chunk_progress: 50 });
    assert.equal(body.audio_duration, 30);
    assert.equal(body.earshot_status, 'processing');
  });
});
