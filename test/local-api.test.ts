/**
 * The local transcription API (`/api/transcribe`, `/api/retranslate`) against a real server
 * process, real speech, the real sphinx engine, Silero VAD and the builtin diarization engine:
 * plain HTTP (fetch + FormData, as a browser sends it) and a `ws` client following a job live.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createEnglishNormalizer, loadSpellingMap } from '../src/eval/english-normalizer.js';
import { wordErrorRate } from '../src/eval/wer.js';
import { speechFile, speechReferences, WHISPER_DATA_DIR } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-local-api-0001';
const AUTH = { authorization: `Bearer ${KEY}` };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '01900000-0000-7000-8000-00000000dead';
const NOT_FOUND = 'Transcription job not found or expired';

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

const SEGMENT_KEYS = [
  'end',
  'end_display',
  'id',
  'speaker',
  'speaker_confidence',
  'start',
  'start_display',
  'text',
];
const display = (seconds: number): string => {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
};

describe('local transcription API (/api/transcribe)', () => {
  let server: TestServer;
  let workDir: string;
  /** Four recordings with 4 s of silence between them: several sphinx chunks (cut at gaps > 2 s). */
  let longFile: string;
  let clipFile: string;
  const seenResponses: { url: string; headers: Headers }[] = [];
  let normalize: (text: string) => string;

  async function call(
    method: string,
    url: string,
    init: { body?: FormData | string; headers?: Json } = {},
  ): Promise<Answer> {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: { ...AUTH, ...(init.headers as Record<string, string>) },
      ...(init.body !== undefined && { body: init.body }),
    });
    seenResponses.push({ url: `${method} ${url}`, headers: response.headers });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Json) : {},
      headers: response.headers,
    };
  }

  async function form(
    fields: Record<string, string>,
    file?: { path: string; name: string; type?: string },
  ): Promise<FormData> {
    const data = new FormData();
    if (file)
      data.append(
        'file',
        new Blob([await readFile(file.path)], { type: file.type ?? 'audio/wav' }),
        file.name,
      );
    for (const [key, value] of Object.entries(fields)) data.append(key, value);
    return data;
  }

  async function upload(filePath: string, fields: Record<string, string> = {}): Promise<string> {
    const res = await call('POST', '/api/transcribe/', {
      body: await form(fields, { path: filePath, name: path.basename(filePath) }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['job_id', 'message', 'status']);
    assert.match(String(res.body.job_id), UUID);
    assert.equal(res.body.status, 'processing');
    return String(res.body.job_id);
  }

  async function waitDone(jobId: string, timeoutMs = 180_000): Promise<Json[]> {
    const seen: Json[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await call('GET', `/api/transcribe/status/${jobId}`);
      assert.equal(res.status, 200);
      seen.push(res.body);
      if (res.body.status !== 'processing') return seen;
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-local-api-'));
    longFile = path.join(workDir, 'four-recordings.wav');
    const inputs = ['jfk.wav', 'LJ001-0001.wav', '1089-134686-0000.flac', 'LJ001-0003.wav'];
    const norm = 'aresample=16000,aformat=sample_fmts=s16:channel_layouts=mono';
    const parts = inputs.map((_, i) => `[${i}:a]${norm}[a${i}]`);
    const silence = `[${inputs.length}:a]${norm},asplit=${inputs.length - 1}${inputs
      .slice(1)
      .map((_, i) => `[s${i}]`)
      .join('')}`;
    const order = inputs.map((_, i) => (i === 0 ? '[a0]' : `[s${i - 1}][a${i}]`)).join('');
    const concat = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      ...inputs.flatMap((f) => ['-i', speechFile(f)]),
      '-f',
      'lavfi',
      '-t',
      '4',
      '-i',
      'anullsrc=r=16000:cl=mono',
      '-filter_complex',
      `${parts.join(';')};${silence};${order}concat=n=${inputs.length * 2 - 1}:v=0:a=1[out]`,
      '-map',
      '[out]',
      longFile,
    ]);
    assert.equal(concat.status, 0, concat.stderr.toString());
    clipFile = path.join(workDir, 'jfk-clip.wav');
    const clip = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      speechFile('jfk.wav'),
      '-ss',
      '3',
      '-to',
      '8.2',
      clipFile,
    ]);
    assert.equal(clip.status, 0, clip.stderr.toString());
    normalize = createEnglishNormalizer(await loadSpellingMap(path.join(WHISPER_DATA_DIR, 'english.json')));
    // One engine thread: sphinx transcribes the chunks one after another, as a slow machine would,
    // so the live socket can be seen delivering chunks while the job still runs.
    server = await startServer({
      env: { EARSHOT_API_KEYS: `${KEY}:local`, EARSHOT_WORKERS: '1', EARSHOT_ENGINE_THREADS: '1' },
    });
  });

  after(async () => {
    await server?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('serves service metadata at /', async () => {
    const res = await call('GET', '/', { headers: { authorization: '' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'Earshot');
    assert.equal(typeof res.body.version, 'string');
    assert.equal((res.body.endpoints as Json).transcribe, '/api/transcribe/');
  });

  it('lists models with their install state; sphinx-en-us is downloaded', async () => {
    const res = await call('GET', '/api/transcribe/models');
    assert.equal(res.status, 200);
    const list = res.body.models as Json[];
    for (const m of list) {
      assert.deepEqual(Object.keys(m).sort(), [
        'description',
        'full_name',
        'is_downloaded',
        'name',
        'size_mb',
      ]);
    }
    assert.deepEqual(
      list.find((m) => m.name === 'sphinx-en-us'),
      {
        name: 'sphinx-en-us',
        full_name: 'sphinx/sphinx-en-us',
        is_downloaded: true,
        size_mb: null,
        description: list.find((m) => m.name === 'sphinx-en-us')?.description,
      },
    );
    const tiny = list.find((m) => m.name === 'whisper-tiny.en')!;
    assert.equal(tiny.is_downloaded, false);
    assert.ok(typeof tiny.size_mb === 'number' && tiny.size_mb > 50, `size_mb ${String(tiny.size_mb)}`);
    assert.ok(!list.some((m) => String(m.name).startsWith('silero')), 'only speech recognition models');
  });

  let jfkJob: string;
  let jfkResult: Json;

  it('uploads, reports progress and returns a diarized result with exact shapes', async () => {
    jfkJob = await upload(speechFile('jfk.wav'));
    const statuses = await waitDone(jfkJob);
    for (const s of statuses) {
      assert.deepEqual(Object.keys(s).sort(), [
        'job_id',
        'message',
        'progress',
        'stage',
        'status',
        'updated_at',
      ]);
      assert.equal(s.job_id, jfkJob);
      assert.ok(typeof s.progress === 'number' && s.progress >= 0 && s.progress <= 100);
      assert.ok(typeof s.updated_at === 'number' && Math.abs(s.updated_at - Date.now() / 1000) < 600);
    }
    const last = statuses.at(-1)!;
    assert.deepEqual(
      { status: last.status, progress: last.progress, message: last.message, stage: last.stage },
      { status: 'completed', progress: 100, message: 'Transcription completed', stage: 'completed' },
    );

    const res = await call('GET', `/api/transcribe/result/${jfkJob}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    jfkResult = res.body;
    assert.deepEqual(Object.keys(jfkResult).sort(), ['audio_duration', 'language', 'segments', 'text']);
    assert.equal(jfkResult.audio_duration, 11);
    assert.equal(jfkResult.language, 'en');
    const segments = jfkResult.segments as Json[];
    assert.ok(segments.length >= 1);
    let previousEnd = 0;
    segments.forEach((s, i) => {
      assert.deepEqual(Object.keys(s).sort(), SEGMENT_KEYS);
      assert.equal(s.id, `seg-${i + 1}`);
      const [start, end] = [s.start as number, s.end as number];
      assert.ok(start >= previousEnd - 0.001 && start <= end && end <= 11, `segment ${start}-${end}`);
      assert.equal(s.start_display, display(start));
      assert.equal(s.end_display, display(end));
      // diarize defaults to true: every segment has a speaker, numbered from 1.
      assert.match(String(s.speaker), /^SPEAKER_[1-9]\d*$/);
      assert.equal(s.speaker_confidence, null);
      previousEnd = end;
    });
    assert.equal(segments[0]!.speaker, 'SPEAKER_1', 'the first voice heard is SPEAKER_1');
    assert.equal(segments.map((s) => s.text).join(' '), jfkResult.text);
    const reference = speechReferences().find((r) => r.id === 'jfk')!.reference;
    const { wer } = wordErrorRate([{ reference, hypothesis: String(jfkResult.text) }], normalize);
    assert.ok(wer < 0.5, `WER ${wer.toFixed(3)} of "${String(jfkResult.text)}"`);
  });

  it('lists jobs with count', async () => {
    const res = await call('GET', '/api/transcribe/jobs');
    assert.equal(res.status, 200);
    const jobs = res.body.jobs as Json[];
    assert.equal(res.body.count, jobs.length);
    const mine = jobs.find((j) => j.job_id === jfkJob)!;
    assert.deepEqual(Object.keys(mine).sort(), [
      'created_at',
      'filename',
      'job_id',
      'message',
      'progress',
      'status',
      'updated_at',
    ]);
    assert.deepEqual(
      { status: mine.status, progress: mine.progress, filename: mine.filename },
      { status: 'completed', progress: 100, filename: 'jfk.wav' },
    );
    const debug = await call('GET', `/api/transcribe/debug/${jfkJob}`);
    assert.equal(debug.status, 200);
    assert.equal(debug.body.job_id, jfkJob);
    assert.ok((debug.body.cached_segments as number) >= 1);
    assert.equal(debug.body.model, 'sphinx-en-us');
    assert.equal(debug.body.diarize, true);
  });

  it('streams a multi-chunk job live: segments arrive while it runs, then the result', async () => {
    const jobId = await upload(longFile, { model_name: 'sphinx-en-us', language: 'en', diarize: 'true' });
    // Not finished yet: the result is a 409 with a detail, not a 404.
    const early = await call('GET', `/api/transcribe/result/${jobId}`);
    assert.equal(early.status, 409);
    assert.deepEqual(Object.keys(early.body), ['detail']);

    const socket = new WebSocket(
      `${server.url.replace(/^http/, 'ws')}/api/transcribe/live/${jobId}?token=${KEY}`,
    );
    const messages: Json[] = [];
    const closed = await new Promise<{ code: number }>((resolve, reject) => {
      socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Json));
      socket.on('close', (code) => resolve({ code }));
      socket.on('error', reject);
    });
    assert.equal(closed.code, 1000);
    assert.equal(messages[0]!.type, 'status');
    const types = messages.map((m) => m.type);
    const completedAt = messages.findIndex((m) => m.type === 'status' && m.status === 'completed');
    const firstSegment = types.indexOf('segment');
    assert.ok(firstSegment >= 0 && completedAt > firstSegment, `order: ${types.join(',')}`);
    // Live, not replayed: a status that still says processing comes after a segment.
    assert.ok(
      messages.slice(firstSegment + 1).some((m) => m.type === 'status' && m.status === 'processing'),
      `a processing status after the first segment: ${types.join(',')}`,
    );
    assert.equal(types.lastIndexOf('segment') < completedAt, true, 'every segment before completed');
    const result = messages.at(-1)!;
    assert.equal(result.type, 'result');
    assert.equal(result.status, 'completed');

    const statuses = messages.filter((m) => m.type === 'status');
    for (const s of statuses) {
      assert.deepEqual(Object.keys(s).sort(), [
        'chunk_info',
        'job_id',
        'message',
        'progress',
        'stage',
        'status',
        'type',
      ]);
      const info = s.chunk_info as Json;
      assert.deepEqual(Object.keys(info).sort(), ['chunk_progress', 'current_chunk', 'total_chunks']);
    }
    const chunked = statuses.map((s) => s.chunk_info as { current_chunk: number; total_chunks: number });
    const total = Math.max(...chunked.map((c) => c.total_chunks));
    assert.ok(total >= 3, `several chunks (${total})`);
    assert.ok(
      chunked.some((c) => c.current_chunk > 0 && c.current_chunk < c.total_chunks),
      'a status reported part of the chunks done',
    );
    assert.deepEqual(statuses.at(-1)!.chunk_info, {
      current_chunk: total,
      total_chunks: total,
      chunk_progress: 100,
    });

    const live = messages.filter((m) => m.type === 'segment');
    for (const s of live) {
      assert.deepEqual(
        Object.keys(s).sort(),
        [...SEGMENT_KEYS, 'chunk_index', 'job_id', 'total_chunks', 'type'].sort(),
      );
      assert.equal(s.job_id, jobId);
      assert.equal(s.speaker, null);
    }
    assert.ok(new Set(live.map((s) => s.chunk_index)).size >= 3, 'segments from several chunks');
    // The live segments say what the final result says. Only sentence punctuation may differ: the
    // final text also ends sentences where diarization finds a change of speaker.
    const wordsOf = (text: unknown): string[] =>
      String(text)
        .toLowerCase()
        .split(/\s+/)
        .map((w) => w.replace(/[.?!,]+$/u, ''))
        .filter(Boolean);
    assert.deepEqual(wordsOf(live.map((s) => s.text).join(' ')), wordsOf(result.text));
    const final = await call('GET', `/api/transcribe/result/${jobId}`);
    assert.deepEqual(
      { ...result, type: undefined, status: undefined, job_id: undefined },
      {
        ...final.body,
        type: undefined,
        status: undefined,
        job_id: undefined,
      },
    );
    assert.ok((final.body.segments as Json[]).every((s) => /^SPEAKER_\d+$/.test(String(s.speaker))));
    assert.ok(
      Math.abs((final.body.audio_duration as number) - 52.757) < 0.2,
      `duration ${String(final.body.audio_duration)}`,
    );
  });

  it('re-transcribes a range of the earlier upload (segment-from-full)', async () => {
    const res = await call('POST', `/api/retranslate/segment-from-full?job_id=${jfkJob}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        segment_id: 'seg-2',
        start_time: 3.0,
        end_time: 8.2,
        model_name: 'sphinx-en-us',
        language: 'en',
      }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), [
      'confidence',
      'model_used',
      'segment_id',
      'speaker',
      'text',
    ]);
    assert.equal(res.body.segment_id, 'seg-2');
    assert.equal(res.body.model_used, 'sphinx-en-us');
    assert.equal(res.body.speaker, 'SPEAKER_1');
    assert.ok(typeof res.body.confidence === 'number' && res.body.confidence > 0 && res.body.confidence <= 1);
    const { wer } = wordErrorRate(
      [{ reference: 'ask not what your country can do for you', hypothesis: String(res.body.text) }],
      normalize,
    );
    assert.ok(wer < 0.5, `WER ${wer.toFixed(3)} of "${String(res.body.text)}"`);
    // The retranslation job is not one of the listed transcription jobs.
    const list = await call('GET', '/api/transcribe/jobs');
    assert.equal((list.body.jobs as Json[]).length, list.body.count);
    assert.ok((list.body.jobs as Json[]).every((j) => j.filename !== null));

    // The same fields as a multipart form work too.
    const viaForm = await call('POST', `/api/retranslate/segment-from-full?job_id=${jfkJob}`, {
      body: await form({ segment_id: 'seg-2', start_time: '3', end_time: '8.2', model_name: 'sphinx-en-us' }),
    });
    assert.equal(viaForm.status, 200, JSON.stringify(viaForm.body));
    assert.equal(viaForm.body.text, res.body.text);
  });

  it('re-transcribes an uploaded clip (segment)', async () => {
    const res = await call('POST', '/api/retranslate/segment', {
      body: await form(
        {
          segment_id: 'clip-1',
          start_time: '3',
          end_time: '8.2',
          model_name: 'sphinx-en-us',
          language: 'en',
        },
        { path: clipFile, name: 'clip.wav' },
      ),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), [
      'confidence',
      'model_used',
      'segment_id',
      'speaker',
      'text',
    ]);
    assert.equal(res.body.segment_id, 'clip-1');
    assert.equal(res.body.model_used, 'sphinx-en-us');
    assert.equal(res.body.speaker, null);
    const { wer } = wordErrorRate(
      [{ reference: 'ask not what your country can do for you', hypothesis: String(res.body.text) }],
      normalize,
    );
    assert.ok(wer < 0.5, `WER ${wer.toFixed(3)} of "${String(res.body.text)}"`);
  });

  it('answers unknown ids with 404 and a detail', async () => {
    const status = await call('GET', `/api/transcribe/status/${UNKNOWN_ID}`);
    assert.equal(status.status, 404);
    assert.deepEqual(
      { ...status.body, updated_at: 0 },
      {
        job_id: UNKNOWN_ID,
        status: 'not_found',
        message: NOT_FOUND,
        progress: 0,
        updated_at: 0,
        detail: NOT_FOUND,
      },
    );
    for (const url of [
      `/api/transcribe/result/${UNKNOWN_ID}`,
      `/api/transcribe/debug/${UNKNOWN_ID}`,
      '/api/transcribe/result/not-a-job-id',
    ]) {
      const res = await call('GET', url);
      assert.equal(res.status, 404, url);
      assert.deepEqual(res.body, { detail: NOT_FOUND }, url);
    }
    const retranslate = await call('POST', `/api/retranslate/segment-from-full?job_id=${UNKNOWN_ID}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ segment_id: 's', start_time: 0, end_time: 1 }),
    });
    assert.equal(retranslate.status, 404);
    assert.deepEqual(retranslate.body, { detail: NOT_FOUND });
    const route = await call('GET', '/api/transcribe/nothing-here');
    assert.equal(route.status, 404);
    assert.deepEqual(Object.keys(route.body), ['detail']);

    const socket = new WebSocket(
      `${server.url.replace(/^http/, 'ws')}/api/transcribe/live/${UNKNOWN_ID}?api_key=${KEY}`,
    );
    const messages: Json[] = [];
    const code = await new Promise<number>((resolve, reject) => {
      socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Json));
      socket.on('close', (c) => resolve(c));
      socket.on('error', reject);
    });
    assert.equal(code, 4404);
    assert.deepEqual(
      messages.map((m) => [m.type, m.status]),
      [
        ['status', 'not_found'],
        ['error', 'not_found'],
      ],
    );
  });

  it('refuses bad input with 4xx and a detail', async () => {
    const text = path.join(workDir, 'notes.wav');
    await writeFile(text, 'these are my meeting notes, not audio\n'.repeat(50));
    const cases: [string, Promise<Answer>, number, RegExp][] = [
      [
        'non-audio upload',
        call('POST', '/api/transcribe/', { body: await form({}, { path: text, name: 'notes.wav' }) }),
        400,
        /not audio/,
      ],
      [
        'no file',
        call('POST', '/api/transcribe/', { body: await form({ diarize: 'false' }) }),
        400,
        /^file: is required/,
      ],
      [
        'bad boolean',
        call('POST', '/api/transcribe/', {
          body: await form({ diarize: 'perhaps' }, { path: clipFile, name: 'c.wav' }),
        }),
        400,
        /^diarize: must be true or false/,
      ],
      [
        'unknown field',
        call('POST', '/api/transcribe/', {
          body: await form({ beam_size: '5' }, { path: clipFile, name: 'c.wav' }),
        }),
        400,
        /Unknown field: beam_size/,
      ],
      [
        'model not installed',
        call('POST', '/api/transcribe/', {
          body: await form({ model_name: 'tiny.en' }, { path: clipFile, name: 'c.wav' }),
        }),
        400,
        /whisper-tiny\.en is not installed/,
      ],
      [
        'not multipart',
        call('POST', '/api/transcribe/', { body: 'hello', headers: { 'content-type': 'text/plain' } }),
        415,
        /multipart/,
      ],
      [
        'bad range',
        call('POST', `/api/retranslate/segment-from-full?job_id=${jfkJob}`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ segment_id: 's', start_time: 5, end_time: 2 }),
        }),
        400,
        /^end_time: must be greater than start_time/,
      ],
      [
        'range past the end',
        call('POST', `/api/retranslate/segment-from-full?job_id=${jfkJob}`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ segment_id: 's', start_time: 30, end_time: 40 }),
        }),
        400,
        /^start_time: 30 s is past the end of the audio \(11 s\)/,
      ],
      [
        'unknown query parameter',
        call('GET', `/api/transcribe/status/${jfkJob}?verbose=1`),
        400,
        /Unknown query parameter: verbose/,
      ],
      [
        'wrong key',
        call('GET', '/api/transcribe/jobs', { headers: { authorization: 'Bearer wrong-key-000' } }),
        401,
        /invalid API key/,
      ],
      [
        'no key',
        call('GET', '/api/transcribe/models', { headers: { authorization: '' } }),
        401,
        /API key missing/,
      ],
    ];
    for (const [name, pending, status, detail] of cases) {
      const res = await pending;
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(Object.keys(res.body), ['detail'], name);
      assert.match(String(res.body.detail), detail, name);
    }
    // A key in the URL is only for the WebSocket, which browsers cannot give headers.
    const inUrl = await call('GET', `/api/transcribe/jobs?token=${KEY}`, { headers: { authorization: '' } });
    assert.equal(inUrl.status, 401);
    const socket = new WebSocket(
      `${server.url.replace(/^http/, 'ws')}/api/transcribe/live/${jfkJob}?token=wrong-key-000`,
    );
    const refusedWith = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      socket.on('open', () => resolve(101));
    });
    assert.equal(refusedWith, 401);
  });

  it('puts X-Request-ID and X-Process-Time-Ms on every response', () => {
    assert.ok(seenResponses.length > 20);
    const ids = new Set<string>();
    for (const { url, headers } of seenResponses) {
      const id = headers.get('x-request-id') ?? '';
      assert.match(id, UUID, `${url} X-Request-ID`);
      ids.add(id);
      assert.match(headers.get('x-process-time-ms') ?? '', /^\d+\.\d{2}$/, `${url} X-Process-Time-Ms`);
    }
    assert.equal(ids.size, seenResponses.length, 'one request id per request');
  });
});
