/**
 * The documented response schemas against what the surfaces' renderers produce, in the states a
 * job can be in. Strict: a field a renderer sends that the document does not name fails, as does
 * a documented required field a renderer leaves out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../../domain/job.js';
import type { PartialSegment, Transcript, Word } from '../../domain/transcript.js';
import { defaultTranscriptionRequest } from '../../domain/transcription-request.js';
import { loadCatalog } from '../../models/catalog.js';
import { renderListItem, renderTranscript } from '../surfaces/assemblyai/transcript.renderer.js';
import { renderGladiaJob } from '../surfaces/gladia/gladia.renderer.js';
import {
  renderDebug,
  renderJobListItem,
  renderModel,
  renderNotFoundStatus,
  renderResult,
  renderRetranslation,
  renderStatus,
} from '../surfaces/local/local.renderer.js';
import { renderAudioResponse } from '../surfaces/openai/audio.renderer.js';
import { buildOpenApiDocument } from './openapi.document.js';
import { checkValue } from './schema-check.js';

const doc = buildOpenApiDocument({ version: '0.0.0' });

function conforms(schema: string, value: unknown): void {
  const problems = checkValue({ $ref: `#/components/schemas/${schema}` }, value, { root: doc, strict: true });
  assert.deepEqual(problems, [], `${schema}:\n${JSON.stringify(value, null, 1).slice(0, 2000)}`);
}

const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const UPLOAD_ID = '0190a1b2-0000-7e5f-8a9b-0c1d2e3f4a5b';

const w = (text: string, startMs: number, endMs: number, extra: Partial<Word> = {}): Word => ({
  text,
  startMs,
  endMs,
  confidence: 0.8,
  ...extra,
});

const WORDS = [w('Hello', 500, 900), w('world.', 950, 1400), w('Second', 3000, 3400), w('one.', 3450, 3900)];
const SPOKEN = WORDS.map((word, i) => ({ ...word, speaker: i < 2 ? 0 : 1 }));
const CHANNELS = WORDS.map((word, i) => ({ ...word, channel: i < 2 ? 0 : 1 }));

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

const diarized = transcript({
  words: SPOKEN,
  speakers: 2,
  utterances: [
    {
      text: 'Hello world.',
      startMs: 500,
      endMs: 1400,
      confidence: 0.8,
      speaker: 0,
      words: SPOKEN.slice(0, 2),
    },
    { text: 'Second one.', startMs: 3000, endMs: 3900, confidence: 0.8, speaker: 1, words: SPOKEN.slice(2) },
  ],
});

const multichannel = transcript({
  words: CHANNELS,
  channels: 2,
  utterances: [
    {
      text: 'Hello world.',
      startMs: 500,
      endMs: 1400,
      confidence: 0.8,
      channel: 0,
      words: CHANNELS.slice(0, 2),
    },
    {
      text: 'Second one.',
      startMs: 3000,
      endMs: 3900,
      confidence: 0.8,
      channel: 1,
      words: CHANNELS.slice(2),
    },
  ],
});

function job(overrides: Partial<Job> = {}): Job {
  return {
    id: ID,
    tenantId: 't',
    surface: 'assemblyai',
    status: 'completed',
    request: defaultTranscriptionRequest({ kind: 'upload', uploadId: UPLOAD_ID }),
    surfaceParams: {},
    metadata: null,
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

const queued = { status: 'queued', transcript: null, startedAt: null, completedAt: null } as const;
const failed = {
  status: 'error',
  transcript: null,
  error: 'The file is not audio',
  errorCode: 'invalidAudio',
} as const;

void describe('AssemblyAI response schemas', () => {
  const echo = {
    audio_url: 'https://example.com/a.wav',
    speaker_labels: true,
    speaker_options: { min_speakers_expected: 1, max_speakers_expected: 3 },
    custom_spelling: [{ from: ['Earshot'], to: 'EarShot' }],
    word_boost: ['hello'],
    boost_param: 'high',
    webhook_url: 'https://example.com/hook',
    webhook_auth_header_name: 'x-secret',
    speech_model: 'best',
    multichannel: false,
    audio_start_from: 100,
    audio_end_at: 4000,
  };

  void it('covers the transcript in every state', () => {
    const url = { audioUrl: 'https://example.com/a.wav' };
    conforms('AssemblyAITranscript', renderTranscript(job(), url));
    conforms(
      'AssemblyAITranscript',
      renderTranscript(job({ surfaceParams: echo, transcript: diarized }), url),
    );
    conforms(
      'AssemblyAITranscript',
      renderTranscript(job({ surfaceParams: { multichannel: true }, transcript: multichannel }), url),
    );
    conforms('AssemblyAITranscript', renderTranscript(job({ ...queued, surfaceParams: echo }), url));
    conforms('AssemblyAITranscript', renderTranscript(job(failed), { audioUrl: null }));
    conforms(
      'AssemblyAITranscript',
      renderTranscript(job({ status: 'cancelled', deletedAt: new Date() }), { audioUrl: null }),
    );
  });

  void it('covers list items', () => {
    const options = { resourceUrl: `http://x/v2/transcript/${ID}`, audioUrl: 'http://x/a.wav' };
    conforms('AssemblyAITranscriptListItem', renderListItem(job(), options));
    conforms('AssemblyAITranscriptListItem', renderListItem(job(failed), { ...options, audioUrl: null }));
    conforms('AssemblyAITranscriptListItem', renderListItem(job(queued), options));
  });

  void it('fails on a field the document does not name', () => {
    const body = { ...renderTranscript(job(), { audioUrl: null }), surprise: 1 };
    const problems = checkValue({ $ref: '#/components/schemas/AssemblyAITranscript' }, body, {
      root: doc,
      strict: true,
    });
    assert.deepEqual(problems, ['$: property "surprise" is not in the document']);
  });
});

void describe('Gladia response schemas', () => {
  const params = (extra: Record<string, unknown> = {}) => ({
    request_params: { audio_url: `http://x/v2/upload/${UPLOAD_ID}`, ...extra },
    file: { filename: 'a.wav', source: null },
  });

  void it('covers the job envelope in every state, with every add-on', () => {
    conforms('GladiaJob', renderGladiaJob(job({ surface: 'gladia', surfaceParams: params() })));
    conforms(
      'GladiaJob',
      renderGladiaJob(
        job({
          surface: 'gladia',
          surfaceParams: params({
            sentences: true,
            subtitles: true,
            subtitles_config: { formats: ['srt', 'vtt'], style: 'default' },
            diarization: true,
          }),
          request: {
            ...defaultTranscriptionRequest({ kind: 'upload', uploadId: UPLOAD_ID }),
            diarization: {},
          },
          transcript: diarized,
          metadata: { user: 'John', n: 3 },
        }),
      ),
    );
    conforms(
      'GladiaJob',
      renderGladiaJob(
        job({
          surface: 'gladia',
          surfaceParams: params(),
          request: {
            ...defaultTranscriptionRequest({ kind: 'upload', uploadId: UPLOAD_ID }),
            multichannel: true,
          },
          transcript: multichannel,
        }),
      ),
    );
    conforms('GladiaJob', renderGladiaJob(job({ ...queued, surface: 'gladia', surfaceParams: params() })));
    conforms('GladiaJob', renderGladiaJob(job({ ...failed, surface: 'gladia', surfaceParams: params() })));
    conforms('GladiaJob', renderGladiaJob(job({ status: 'cancelled', transcript: null, surface: 'gladia' })));
  });
});

void describe('OpenAI response schemas', () => {
  const t = transcript();
  const render = (format: 'json' | 'verbose_json' | 'diarized_json', task: 'transcribe' | 'translate') =>
    renderAudioResponse(t, { format, task, words: true, segments: true });

  void it('covers json, verbose_json and diarized_json', () => {
    conforms('OpenAITranscription', render('json', 'transcribe').body);
    conforms('OpenAITranslation', render('json', 'translate').body);
    conforms('OpenAIVerboseTranscription', render('verbose_json', 'transcribe').body);
    conforms('OpenAIVerboseTranscription', render('verbose_json', 'translate').body);
    conforms(
      'OpenAIVerboseTranscription',
      renderAudioResponse(t, { format: 'verbose_json', task: 'transcribe', words: false, segments: false })
        .body,
    );
    conforms(
      'OpenAIDiarizedTranscription',
      renderAudioResponse(diarized, {
        format: 'diarized_json',
        task: 'transcribe',
        words: false,
        segments: false,
      }).body,
    );
    conforms('OpenAIDiarizedTranscription', render('diarized_json', 'transcribe').body);
  });

  void it('sends JSON formats as JSON and text formats as text, as documented', () => {
    for (const format of ['json', 'verbose_json', 'diarized_json'] as const) {
      assert.match(render(format, 'transcribe').contentType, /^application\/json/);
    }
    for (const format of ['text', 'srt', 'vtt'] as const) {
      const out = renderAudioResponse(t, { format, task: 'transcribe', words: false, segments: true });
      assert.match(out.contentType, /^text\/plain/);
      assert.equal(typeof out.body, 'string');
    }
  });
});

void describe('local API response schemas', () => {
  const partial: PartialSegment = {
    seq: 0,
    chunkIndex: 0,
    chunkCount: 2,
    startMs: 500,
    endMs: 1400,
    text: 'Hello world.',
    words: WORDS.slice(0, 2),
  };
  const running = job({
    ...queued,
    status: 'processing',
    startedAt: new Date('2026-01-09T10:00:01.000Z'),
    progress: { stage: 'transcribe', percent: 40, message: 'Transcribed chunk 1/2 (40%)' },
    surfaceParams: { filename: 'a.wav' },
  });

  void it('covers status, not-found status, job list items, results and debug', () => {
    for (const state of [
      job(),
      running,
      job(queued),
      job(failed),
      job({ status: 'cancelled', transcript: null }),
    ]) {
      conforms('LocalStatus', renderStatus(state));
      conforms('LocalDebug', renderDebug(state, [partial]));
      conforms('LocalDebug', renderDebug(state, []));
    }
    conforms('LocalNotFoundStatus', renderNotFoundStatus(ID));
    conforms('LocalJobList', { jobs: [renderJobListItem(running), renderJobListItem(job())], count: 2 });
    conforms('LocalResult', renderResult(transcript()));
    conforms('LocalResult', renderResult(diarized));
    conforms('LocalRetranslation', renderRetranslation('seg-1', transcript(), 'SPEAKER_1'));
    conforms('LocalRetranslation', renderRetranslation('seg-1', transcript({ confidence: null }), null));
  });

  void it('covers the model list', () => {
    const models = loadCatalog()
      .filter((m) => m.kind === 'asr')
      .map((model, i) =>
        renderModel({
          model,
          status: i % 2 === 0 ? 'installed' : 'missing',
          system: false,
          filesPresent: 0,
          filesTotal: model.files.length,
          sizeBytes: i % 3 === 0 ? undefined : 1234567,
          sizeIsApprox: false,
        }),
      );
    assert.ok(models.length > 0);
    conforms('LocalModelList', { models });
  });
});
