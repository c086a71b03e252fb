/**
 * The Analyze API (`POST /analyze`, `GET /analyze/{job_id}`) against a real server process, real
 * speech, the real sphinx engine, Silero VAD and the builtin diarization: uploads, a media URL on
 * a local HTTP server, a page URL without yt-dlp, and bad input on both routes.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEnglishNormalizer, loadSpellingMap } from '../src/eval/english-normalizer.js';
import { wordErrorRate } from '../src/eval/wer.js';
import { speechFile, speechReferences, WHISPER_DATA_DIR } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-analyze-api-0001';
const AUTH = { authorization: `Bearer ${KEY}` };
/** The only private address the server may fetch from; the test's media server binds here. */
const ALLOWED_HOST = '127.0.0.2';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '01900000-0000-7000-8000-00000000dead';
const PROGRESS = ['queued', 'downloading', 'transcribing', 'analyzing', 'completed'];

type Json = Record<string, unknown>;

/** PATH without any directory holding a yt-dlp, so the "not installed" answer is what is tested. */
const PATH_WITHOUT_YT_DLP = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => dir !== '' && !existsSync(path.join(dir, 'yt-dlp')))
  .join(path.delimiter);

describe('Analyze API (/analyze)', () => {
  let server: TestServer;
  let media: http.Server;
  let mediaUrl: string;
  let jfkWav: Buffer;
  let normalize: (text: string) => string;

  async function call(method: string, url: string, init: { body?: FormData | string; headers?: Json } = {}) {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { ...AUTH, ...(init.headers as Record<string, string>) },
      ...(init.body !== undefined && { body: init.body }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, headers: res.headers };
  }

  function form(file: { bytes: Buffer; name: string; type: string } | null, fields: Json = {}): FormData {
    const data = new FormData();
    if (file) data.append('file', new Blob([file.bytes], { type: file.type }), file.name);
    for (const [k, v] of Object.entries(fields)) data.append(k, String(v));
    return data;
  }

  const postJson = (body: unknown) =>
    call('POST', '/analyze', {
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  /** Polls until the job finishes or fails; returns every distinct answer seen. */
  async function waitDone(jobId: string, timeoutMs = 180_000): Promise<Json[]> {
    const seen: Json[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await call('GET', `/analyze/${jobId}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      if (JSON.stringify(seen.at(-1)) !== JSON.stringify(res.body)) seen.push(res.body);
      if (res.body.status === 'finished' || res.body.status === 'failed') return seen;
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  function assertFinished(answer: Json, jobId: string, title: string): Json {
    assert.deepEqual(Object.keys(answer).sort(), ['meta', 'result', 'status']);
    assert.deepEqual(answer.meta, {
      job_id: jobId,
      job_type: 'analyze',
      message: 'Analysis completed',
      progress: 'completed',
      title,
    });
    assert.equal(answer.status, 'finished');
    const result = answer.result as Json;
    assert.deepEqual(Object.keys(result).sort(), ['questions', 'summary', 'transcript']);
    const transcript = result.transcript as Json[];
    assert.ok(transcript.length >= 1);
    let previousEnd = 0;
    for (const entry of transcript) {
      assert.deepEqual(Object.keys(entry).sort(), ['end_time', 'speaker', 'start_time', 'text']);
      const [start, end] = [entry.start_time as number, entry.end_time as number];
      assert.ok(Number.isInteger(start) && Number.isInteger(end), `integer ms ${start}-${end}`);
      assert.ok(start >= previousEnd && start <= end && end <= 11_000, `entry ${start}-${end}`);
      assert.match(String(entry.speaker), /^SPEAKER_[1-9]\d*$/);
      assert.ok(String(entry.text).trim() !== '');
      previousEnd = end;
    }
    assert.equal(transcript[0]!.speaker, 'SPEAKER_1');
    const texts = transcript.map((e) => e.text);
    // Every question found is one of the transcript's sentences, with its times and speaker.
    for (const q of result.questions as Json[]) {
      assert.deepEqual(Object.keys(q).sort(), ['end_time', 'level', 'question', 'speaker', 'start_time']);
      const sentence = transcript.find((e) => e.text === q.question);
      assert.ok(sentence, `question "${String(q.question)}" is a sentence of ${JSON.stringify(texts)}`);
      assert.deepEqual(
        [q.start_time, q.end_time, q.speaker],
        [sentence.start_time, sentence.end_time, sentence.speaker],
      );
      assert.ok(q.level === 1 || q.level === 2);
    }
    assert.equal((result.questions as Json[])[0]?.level ?? 1, 1, 'the first question is a main one');
    // A headline: one sentence of the transcript, tidied.
    assert.equal(typeof result.summary, 'string');
    assert.ok(String(result.summary).length > 10 && !String(result.summary).includes('\n'));
    const reference = speechReferences().find((r) => r.id === 'jfk')!.reference;
    const { wer } = wordErrorRate([{ reference, hypothesis: texts.join(' ') }], normalize);
    assert.ok(wer < 0.5, `WER ${wer.toFixed(3)} of "${texts.join(' ')}"`);
    return result;
  }

  before(async () => {
    jfkWav = await readFile(speechFile('jfk.wav'));
    normalize = createEnglishNormalizer(await loadSpellingMap(path.join(WHISPER_DATA_DIR, 'english.json')));
    media = http.createServer((req, res) => {
      if (req.url === '/media/jfk.wav') {
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': jfkWav.length });
        res.end(jfkWav);
      } else if (req.url === '/watch?v=abc') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>A talk</title><video src="/media/jfk.wav"></video>');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    });
    await new Promise<void>((resolve) => media.listen(0, ALLOWED_HOST, resolve));
    mediaUrl = `http://${ALLOWED_HOST}:${(media.address() as AddressInfo).port}`;
    server = await startServer({
      env: {
        EARSHOT_API_KEYS: `${KEY}:analyze`,
        EARSHOT_ALLOWED_PRIVATE_HOSTS: ALLOWED_HOST,
        EARSHOT_WORKERS: '2',
        PATH: PATH_WITHOUT_YT_DLP,
      },
    });
  });

  after(async () => {
    await server?.stop();
    await new Promise((resolve) => media?.close(resolve));
  });

  let uploaded: Json;

  it('analyzes an uploaded recording: stages, title, transcript, questions and summary', async () => {
    const res = await call('POST', '/analyze', {
      body: form({ bytes: jfkWav, name: 'jfk.wav', type: 'audio/wav' }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['job_id', 'message']);
    assert.match(String(res.body.job_id), UUID);
    assert.equal(res.body.message, 'Job enqueued');
    assert.match(res.headers.get('x-request-id') ?? '', UUID);
    assert.match(res.headers.get('x-process-time-ms') ?? '', /^\d+\.\d{2}$/);
    const seen = await waitDone(String(res.body.job_id));
    for (const answer of seen) {
      const meta = answer.meta as Json;
      assert.ok(PROGRESS.includes(String(meta.progress)), `progress ${String(meta.progress)}`);
      assert.equal(meta.title, 'jfk.wav');
      assert.ok(['queued', 'started', 'finished'].includes(String(answer.status)));
      if (answer.status !== 'finished') assert.equal(answer.result, null);
    }
    uploaded = assertFinished(seen.at(-1)!, String(res.body.job_id), 'jfk.wav');
  });

  it('analyzes a media URL the same way, titled by its file name', async () => {
    const res = await postJson({ url: `${mediaUrl}/media/jfk.wav`, model_name: 'sphinx-en-us' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.message, 'Job enqueued');
    const seen = await waitDone(String(res.body.job_id));
    const result = assertFinished(seen.at(-1)!, String(res.body.job_id), 'jfk.wav');
    // Same audio, same engine: the same words at the same times.
    assert.deepEqual(result.transcript, uploaded.transcript);
    assert.deepEqual(result.questions, uploaded.questions);
  });

  it('refuses a page URL when yt-dlp is not installed, naming it', async () => {
    const res = await postJson({ url: `${mediaUrl}/watch?v=abc` });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['detail']);
    assert.match(String(res.body.detail), /needs yt-dlp, which is not installed on this server/);
  });

  it('refuses bad input with {detail} and the right status', async () => {
    const cases: [string, Promise<{ status: number; body: Json }>, number, RegExp][] = [
      [
        'not audio',
        call('POST', '/analyze', {
          body: form({
            bytes: Buffer.from('just some text, not audio\n'),
            name: 'notes.txt',
            type: 'text/plain',
          }),
        }),
        400,
        /audio/i,
      ],
      [
        'missing file',
        call('POST', '/analyze', { body: form(null, { model_name: 'sphinx-en-us' }) }),
        400,
        /^file: is required$/,
      ],
      [
        'unknown form field',
        call('POST', '/analyze', {
          body: form({ bytes: jfkWav, name: 'jfk.wav', type: 'audio/wav' }, { speed: 2 }),
        }),
        400,
        /^Unknown field: speed$/,
      ],
      ['malformed JSON', postJson('{"url": '), 400, /^Malformed JSON body/],
      ['JSON array', postJson('[1]'), 400, /must be a JSON object/],
      ['missing url', postJson({ model_name: 'sphinx-en-us' }), 400, /^url: is required$/],
      ['not http', postJson({ url: 'ftp://example.com/a.wav' }), 400, /^url: must be an http\(s\) URL$/],
      [
        'unknown JSON field',
        postJson({ url: `${mediaUrl}/media/jfk.wav`, language: 'en' }),
        400,
        /^Unknown field: language$/,
      ],
      ['private host', postJson({ url: 'http://127.0.0.1:9/a.wav' }), 400, /url/],
      ['URL not found', postJson({ url: `${mediaUrl}/nothing.wav` }), 400, /404/],
      [
        'unknown model',
        postJson({ url: `${mediaUrl}/media/jfk.wav`, model_name: 'no-such-model' }),
        400,
        /"no-such-model" is not a known model/,
      ],
      ['no body', call('POST', '/analyze'), 400, /multipart\/form-data with a `file`, or JSON/],
      [
        'plain text body',
        call('POST', '/analyze', { body: 'hello', headers: { 'content-type': 'text/plain' } }),
        415,
        /multipart\/form-data with a `file`, or JSON/,
      ],
      ['unknown job', call('GET', `/analyze/${UNKNOWN_ID}`), 404, /^Analysis job not found$/],
      ['not a job id', call('GET', '/analyze/nope'), 404, /^Analysis job not found$/],
      [
        'no key',
        call('GET', `/analyze/${UNKNOWN_ID}`, { headers: { authorization: '' } }),
        401,
        /API key missing/,
      ],
      [
        'wrong key',
        postJson({ url: 'x' }).then(() =>
          call('POST', '/analyze', { headers: { authorization: 'Bearer wrong' } }),
        ),
        401,
        /invalid API key/,
      ],
    ];
    for (const [name, pending, status, detail] of cases) {
      const res = await pending;
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(Object.keys(res.body), ['detail'], name);
      assert.match(String(res.body.detail), detail, name);
    }
  });

  it('does not show other jobs of the tenant as analyses', async () => {
    const data = new FormData();
    data.append('file', new Blob([jfkWav], { type: 'audio/wav' }), 'jfk.wav');
    const started = await call('POST', '/api/transcribe/', { body: data });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const res = await call('GET', `/analyze/${String(started.body.job_id)}`);
    assert.deepEqual(res, { ...res, status: 404, body: { detail: 'Analysis job not found' } });
  });
});
