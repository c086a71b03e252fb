/**
 * The Gladia v2 pre-recorded surface driven by the official `@gladiaio/sdk` against a real server
 * process, real speech and the real sphinx engine and Silero VAD; plain fetch where the SDK cannot
 * reach (missing key, JSON uploads, content types).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GladiaClient } from '@gladiaio/sdk';
import { speechFile } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY_A = 'gladia-key-alpha-01';
const KEY_B = 'gladia-key-beta-002';
/** Test HTTP servers bind here; it is the only private address the server may fetch from. */
const ALLOWED_HOST = '127.0.0.2';
const POLL = { interval: 150, timeout: 120_000 };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type PreRecorded = ReturnType<GladiaClient['preRecordedV2']>;
type JobResponse = Awaited<ReturnType<PreRecorded['get']>>;
type Json = Record<string, unknown>;

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.2 that serves `routes` and records every request. */
async function listen(
  routes: Record<string, { type: string; body: Buffer | string }> = {},
): Promise<Receiver> {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const route = routes[req.url ?? ''];
      if (route) {
        res.writeHead(200, { 'content-type': route.type });
        res.end(route.body);
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, ALLOWED_HOST, resolve));
  return {
    url: `http://${ALLOWED_HOST}:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The SDK's HttpError (its class is not exported): a status and the parsed error body. */
interface HttpErrorLike {
  name: string;
  status: number;
  requestId?: string;
  url: string;
  responseBody?: Json | string;
}

async function httpError(promise: Promise<unknown>): Promise<HttpErrorLike> {
  try {
    await promise;
  } catch (error) {
    const e = error as HttpErrorLike;
    assert.equal(e.name, 'HttpError', String(error));
    return e;
  }
  assert.fail('expected the request to fail');
}

/** Asserts Gladia's error shape for a 4xx and returns the message. */
function gladiaErrorBody(error: HttpErrorLike, status: number): string {
  assert.equal(error.status, status);
  const body = error.responseBody as Json;
  assert.equal(body.statusCode, status);
  assert.equal(typeof body.message, 'string');
  assert.equal(typeof body.request_id, 'string');
  assert.equal(error.requestId, body.request_id);
  assert.ok(!Number.isNaN(Date.parse(String(body.timestamp))), 'timestamp is an ISO date');
  assert.equal(body.path, new URL(error.url, 'http://localhost').pathname);
  return body.message as string;
}

describe('Gladia v2 pre-recorded API through the official SDK', () => {
  let server: TestServer;
  let alpha: PreRecorded;
  let beta: PreRecorded;
  let receiver: Receiver;
  let uploaded: Awaited<ReturnType<PreRecorded['uploadFile']>>;
  let jfk: JobResponse;
  const batch = `batch-${randomUUID()}`;

  before(async () => {
    receiver = await listen({
      '/speech.wav': { type: 'audio/wav', body: await readFile(speechFile('LJ001-0002.wav')) },
      '/notes.txt': { type: 'text/plain', body: 'These are meeting notes, not audio.\n'.repeat(50) },
    });
    server = await startServer({
      env: {
        EARSHOT_API_KEYS: `${KEY_A}:alpha,${KEY_B}:beta`,
        EARSHOT_ALLOWED_PRIVATE_HOSTS: ALLOWED_HOST,
        EARSHOT_MAX_UPLOAD_BYTES: String(8 * 1024 * 1024),
        EARSHOT_WORKERS: '2',
      },
    });
    alpha = new GladiaClient({ apiKey: KEY_A, apiUrl: server.url }).preRecordedV2();
    beta = new GladiaClient({ apiKey: KEY_B, apiUrl: server.url }).preRecordedV2();
    uploaded = await alpha.uploadFile(speechFile('jfk.wav'));
    const created = await alpha.create({
      audio_url: uploaded.audio_url,
      sentences: true,
      subtitles: true,
      subtitles_config: {
        formats: ['srt', 'vtt'],
        maximum_characters_per_row: 20,
        maximum_rows_per_caption: 1,
      },
      custom_metadata: { batch, n: 0, speaker: 'JFK' },
    });
    jfk = await alpha.poll(created.id, POLL);
  });

  after(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('uploads a file and describes its audio', async () => {
    assert.match(uploaded.audio_url, new RegExp(`^${server.url}/v2/upload/[0-9a-f-]{36}$`));
    const { audio_metadata: meta } = uploaded;
    assert.match(meta.id, UUID_RE);
    assert.equal(meta.filename, 'jfk.wav');
    assert.equal(meta.extension, 'wav');
    assert.equal(meta.size, (await readFile(speechFile('jfk.wav'))).length);
    assert.equal(meta.audio_duration, 11);
    assert.equal(meta.number_of_channels, 1);
  });

  it('transcribes to done with Gladia’s envelope and types', () => {
    assert.equal(jfk.status, 'done');
    assert.match(jfk.id, UUID_RE);
    assert.equal(jfk.request_id, `G-${jfk.id.slice(0, 8)}`);
    assert.equal(jfk.version, 2);
    assert.equal(jfk.kind, 'pre-recorded');
    assert.match(jfk.created_at, ISO_RE);
    assert.match(jfk.completed_at!, ISO_RE);
    assert.ok(jfk.completed_at! >= jfk.created_at);
    assert.equal(jfk.error_code, null);
    assert.deepEqual(jfk.custom_metadata, { batch, n: 0, speaker: 'JFK' });
    assert.deepEqual(jfk.file, {
      id: uploaded.audio_metadata.id,
      filename: 'jfk.wav',
      source: null,
      audio_duration: 11,
      number_of_channels: 1,
    });
    const params = jfk.request_params!;
    assert.equal(params.audio_url, uploaded.audio_url);
    assert.equal(params.sentences, true);
    assert.equal(params.diarization, false);
    assert.deepEqual(params.language_config, { languages: [], code_switching: false });
    assert.deepEqual(params.subtitles_config, {
      formats: ['srt', 'vtt'],
      maximum_characters_per_row: 20,
      maximum_rows_per_caption: 1,
      style: 'default',
    });

    const result = jfk.result!;
    assert.equal(result.metadata.audio_duration, 11);
    assert.equal(result.metadata.number_of_distinct_channels, 1);
    assert.equal(result.metadata.billing_time, 11);
    assert.ok(result.metadata.transcription_time > 0 && result.metadata.transcription_time < 120);
    const t = result.transcription!;
    assert.deepEqual(t.languages, ['en']);
    // Real speech through sphinx: the famous line is (mostly) there.
    assert.match(t.full_transcript.toLowerCase(), /country/);
    assert.ok(t.utterances.length >= 1);
    let previousStart = -1;
    const words = t.utterances.flatMap((u) => u.words);
    for (const u of t.utterances) {
      assert.equal(typeof u.text, 'string');
      assert.equal(u.channel, 0);
      assert.equal(u.language, 'en');
      assert.equal('speaker' in u, false, 'no speaker without diarization');
      assert.ok(u.start <= u.end && u.confidence >= 0 && u.confidence <= 1);
      assert.equal(u.text, u.words.map((w) => w.word).join(' '));
    }
    for (const w of words) {
      assert.ok(w.start >= 0 && w.end <= 11 && w.start <= w.end, `${w.word} ${w.start}-${w.end} s`);
      assert.ok(w.start >= previousStart, 'words in time order');
      assert.ok(w.confidence >= 0 && w.confidence <= 1);
      previousStart = w.start;
    }
    assert.equal(t.full_transcript, words.map((w) => w.word).join(' '));
  });

  it('returns sentences and well-formed SRT and VTT subtitles when asked', () => {
    const t = jfk.result!.transcription!;
    const [sentences] = t.sentences!;
    assert.equal(sentences!.success, true);
    assert.equal(sentences!.error, null);
    assert.ok(sentences!.results!.length >= 2);
    assert.equal(sentences!.results!.join(' '), t.full_transcript);
    const detailed = (jfk.result as unknown as { sentences: { results: Json[] } }).sentences.results;
    assert.equal(detailed.length, sentences!.results!.length);
    assert.equal(detailed[0]!.sentence, sentences!.results![0]);
    assert.equal(typeof detailed[0]!.start, 'number');

    const subtitles = t.subtitles!;
    assert.deepEqual(
      subtitles.map((s) => s.format),
      ['srt', 'vtt'],
    );
    const srt = subtitles[0]!.subtitles;
    const cues = srt.trim().split('\n\n');
    assert.ok(cues.length >= 3);
    const firstWord = t.utterances[0]!.words[0]!;
    cues.forEach((cue, i) => {
      const [index, timing, ...lines] = cue.split('\n');
      assert.equal(index, String(i + 1));
      assert.match(timing!, /^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$/);
      assert.equal(lines.length, 1, 'one row per caption');
      assert.ok(lines[0]!.length <= 20 || !lines[0]!.includes(' '), `"${lines[0]}" within 20 characters`);
    });
    const startMs = Math.round(firstWord.start * 1000);
    const stamp = `00:00:${String(Math.floor(startMs / 1000)).padStart(2, '0')},${String(startMs % 1000).padStart(3, '0')}`;
    assert.ok(cues[0]!.split('\n')[1]!.startsWith(stamp), `${cues[0]} starts at ${stamp}`);
    const vtt = subtitles[1]!.subtitles;
    assert.ok(vtt.startsWith('WEBVTT\n\n'));
    assert.equal(vtt.trim().split('\n\n').length - 1, cues.length);
    assert.match(vtt, /\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}/);
  });

  it('answers every JSON request with application/json, and 201 with result_url on create', async () => {
    const get = await fetch(`${server.url}/v2/pre-recorded/${jfk.id}`, {
      headers: { 'x-gladia-key': KEY_A },
    });
    assert.equal(get.status, 200);
    assert.match(get.headers.get('content-type') ?? '', /^application\/json/);
    const created = await fetch(`${server.url}/v2/pre-recorded`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY_A, 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: uploaded.audio_url, custom_metadata: { batch: `${batch}-other` } }),
    });
    assert.equal(created.status, 201);
    assert.match(created.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await created.json()) as { id: string; result_url: string };
    assert.equal(body.result_url, `${server.url}/v2/pre-recorded/${body.id}`);
    await alpha.poll(body.id, POLL);
  });

  it('lists newest first with offset, limit, status and custom_metadata filters, and next keeps them', async () => {
    // Two more jobs of this batch (n = 1, 2) besides the first one (n = 0).
    const audio = await alpha.uploadFile(speechFile('LJ001-0002.wav'));
    const ids: string[] = [jfk.id];
    for (const n of [1, 2]) {
      const { id } = await alpha.create({ audio_url: audio.audio_url, custom_metadata: { batch, n } });
      ids.push(id);
    }
    for (const id of ids.slice(1)) await alpha.poll(id, POLL);

    const first = await alpha.list({ limit: 2, status: ['done'], custom_metadata: { batch } });
    assert.deepEqual(
      first.items.map((i) => i.id),
      [ids[2], ids[1]],
    );
    assert.ok(first.items.every((i) => i.status === 'done' && i.kind === 'pre-recorded'));
    assert.equal(first.items[0]!.custom_metadata!.n, 2);
    assert.equal(typeof first.items[0]!.result!.transcription!.full_transcript, 'string');
    assert.ok(first.next);
    const next = new URL(first.next);
    assert.deepEqual(next.searchParams.getAll('status'), ['done']);
    assert.equal(next.searchParams.get('custom_metadata[batch]'), batch);
    assert.equal(next.searchParams.get('offset'), '2');
    assert.equal(new URL(first.current).searchParams.get('offset'), '0');
    assert.equal(new URL(first.first).searchParams.get('offset'), '0');

    const second = await alpha.list({ url: first.next });
    assert.deepEqual(
      second.items.map((i) => i.id),
      [ids[0]],
    );
    assert.equal(second.next, null);

    // A number filters as its string; other statuses and other batches do not match.
    const byNumber = await alpha.list({ custom_metadata: { batch, n: 1 } });
    assert.deepEqual(
      byNumber.items.map((i) => i.id),
      [ids[1]],
    );
    assert.equal(
      (await alpha.list({ status: ['queued', 'error'], custom_metadata: { batch } })).items.length,
      0,
    );
    assert.equal((await alpha.list({ offset: 1, limit: 5, custom_metadata: { batch } })).items.length, 2);
    // Another key's jobs are invisible.
    assert.equal((await beta.list({ custom_metadata: { batch } })).items.length, 0);
  });

  it('serves the uploaded audio back with its bytes and an audio content type', async () => {
    const bytes = Buffer.from(await alpha.getFile(jfk.id));
    assert.ok(bytes.equals(await readFile(speechFile('jfk.wav'))));
    const raw = await fetch(`${server.url}/v2/pre-recorded/${jfk.id}/file`, {
      headers: { 'x-gladia-key': KEY_A },
    });
    assert.equal(raw.headers.get('content-type'), 'audio/wav');
  });

  it('deletes a job for real: 202, then 404 for the job, its file and in lists', async () => {
    const audio = await alpha.uploadFile(speechFile('LJ001-0002.wav'));
    const { id } = await alpha.create({
      audio_url: audio.audio_url,
      custom_metadata: { batch: `${batch}-del` },
    });
    await alpha.poll(id, POLL);
    assert.equal(await alpha.delete(id), true);
    gladiaErrorBody(await httpError(alpha.get(id)), 404);
    gladiaErrorBody(await httpError(alpha.getFile(id)), 404);
    assert.equal((await alpha.list({ custom_metadata: { batch: `${batch}-del` } })).items.length, 0);
    gladiaErrorBody(await httpError(alpha.delete(id)), 404);
    gladiaErrorBody(await httpError(alpha.delete(randomUUID())), 404);
    // Another key cannot delete (or see) this key's job.
    gladiaErrorBody(await httpError(beta.delete(jfk.id)), 404);
    assert.equal((await alpha.get(jfk.id)).status, 'done');
  });

  it('refuses a wrong or missing key with 401 before looking anything up', async () => {
    const intruder = new GladiaClient({ apiKey: 'not-a-key', apiUrl: server.url }).preRecordedV2();
    const message = gladiaErrorBody(await httpError(intruder.get(randomUUID())), 401);
    assert.match(message, /invalid API key/);
    gladiaErrorBody(await httpError(intruder.uploadFile(speechFile('jfk.wav'))), 401);
    const missing = await fetch(`${server.url}/v2/pre-recorded/${randomUUID()}`);
    assert.equal(missing.status, 401);
    const body = (await missing.json()) as Json;
    assert.equal(body.statusCode, 401);
    assert.match(body.message as string, /missing/);
  });

  it('refuses unknown and unsupported options with a 400 naming them', async () => {
    const unsupported = gladiaErrorBody(
      await httpError(
        alpha.createUntyped({ audio_url: uploaded.audio_url, structured_data_extraction: true }),
      ),
      400,
    );
    assert.match(unsupported, /structured_data_extraction/);
    const unknown = gladiaErrorBody(
      await httpError(alpha.createUntyped({ audio_url: uploaded.audio_url, shiny_feature: 1 })),
      400,
    );
    assert.match(unknown, /shiny_feature/);
    // Several candidate languages need a model that detects languages; sphinx does not.
    const detect = gladiaErrorBody(
      await httpError(
        alpha.create({ audio_url: uploaded.audio_url, language_config: { languages: ['en', 'fr'] } }),
      ),
      400,
    );
    assert.match(detect, /detect/);
    const switching = gladiaErrorBody(
      await httpError(
        alpha.create({ audio_url: uploaded.audio_url, language_config: { code_switching: true } }),
      ),
      400,
    );
    assert.match(switching, /[Cc]ode switching|detect/);
    // audio_url on a private address (not ours) is refused without fetching it.
    const privateUrl = gladiaErrorBody(
      await httpError(alpha.create({ audio_url: 'http://127.0.0.1:9/a.wav' })),
      400,
    );
    assert.match(privateUrl, /refused/);
  });

  it('maps diarization (0-based integer speakers), or refuses it while the server has none', async () => {
    const attempt = alpha.create({
      audio_url: uploaded.audio_url,
      diarization: true,
      diarization_config: { min_speakers: 1, max_speakers: 2 },
    });
    const outcome = await attempt.then(
      (created) => ({ created }),
      (error: unknown) => ({ error: error as HttpErrorLike }),
    );
    if ('error' in outcome) {
      // JobService refused diarization until the pipeline's diarize stage landed.
      assert.match(gladiaErrorBody(outcome.error, 400), /[Dd]iarization/);
      return;
    }
    const done = await alpha.poll(outcome.created.id, POLL);
    assert.equal(done.request_params!.diarization, true);
    for (const u of done.result!.transcription!.utterances) {
      assert.ok(Number.isInteger(u.speaker) && u.speaker! >= 0 && u.speaker! <= 1, `speaker ${u.speaker}`);
    }
  });

  it('refuses an upload that is not audio with a 4xx', async () => {
    const notes = new File(['Meeting notes, not audio.\n'.repeat(100)], 'notes.txt', { type: 'text/plain' });
    const message = gladiaErrorBody(await httpError(alpha.uploadFile(notes)), 400);
    assert.match(message, /audio|media/i);
  });

  it('refuses a multipart upload over the size limit with 413', async () => {
    const form = new FormData();
    form.append('audio', new Blob([Buffer.alloc(9 * 1024 * 1024)]), 'big.wav');
    const response = await fetch(`${server.url}/v2/upload`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY_A },
      body: form,
    });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as Json).statusCode, 413);
  });

  it('refuses a multipart upload without the audio field', async () => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(speechFile('LJ001-0002.wav'))]), 'a.wav');
    const response = await fetch(`${server.url}/v2/upload`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY_A },
      body: form,
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as Json).message as string, /"audio"/);
  });

  it('uploads from a JSON {audio_url} with x-gladia-key, through the SSRF guard', async () => {
    const response = await fetch(`${server.url}/v2/upload`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY_A, 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${receiver.url}/speech.wav` }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as { audio_url: string; audio_metadata: Json };
    assert.equal(body.audio_metadata.filename, 'speech.wav');
    assert.equal(body.audio_metadata.source, `${receiver.url}/speech.wav`);
    assert.equal(body.audio_metadata.size, (await readFile(speechFile('LJ001-0002.wav'))).length);
    assert.equal(body.audio_metadata.number_of_channels, 1);
    const refused = await fetch(`${server.url}/v2/upload`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY_A, 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: 'http://[::ffff:127.0.0.1]/a.wav' }),
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as Json).statusCode, 400);
    // A malformed body is answered in Gladia's shape too, though no route code ran yet.
    const malformed = await fetch(`${server.url}/v2/upload`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY_A, 'content-type': 'application/json' },
      body: '{"audio_url": ',
    });
    assert.equal(malformed.status, 400);
    const malformedBody = (await malformed.json()) as Json;
    assert.equal(malformedBody.statusCode, 400);
    assert.equal(malformedBody.path, '/v2/upload');
    assert.match(String(malformedBody.message), /Malformed JSON/);
  });

  it('transcribes an audio_url and sends getFile to that URL', async () => {
    const done = await alpha.transcribe(`${receiver.url}/speech.wav`, {}, POLL);
    assert.equal(done.status, 'done');
    assert.deepEqual(done.file, {
      id: done.id,
      filename: 'speech.wav',
      source: `${receiver.url}/speech.wav`,
      audio_duration: done.result!.metadata.audio_duration,
      number_of_channels: 1,
    });
    const bytes = Buffer.from(await alpha.getFile(done.id));
    assert.ok(bytes.equals(await readFile(speechFile('LJ001-0002.wav'))));
  });

  it('calls back on success (PUT) and on error (POST) with Gladia’s callback bodies', async () => {
    const ok = await alpha.create({
      audio_url: uploaded.audio_url,
      callback: true,
      callback_config: { url: `${receiver.url}/hook/ok`, method: 'PUT' },
      custom_metadata: { batch: `${batch}-cb` },
    });
    const success = await waitFor(() => receiver.requests.find((r) => r.url === '/hook/ok'));
    assert.equal(success.method, 'PUT');
    assert.match(success.headers['content-type'] ?? '', /^application\/json/);
    const body = JSON.parse(success.body) as Json;
    assert.equal(body.id, ok.id);
    assert.equal(body.event, 'transcription.success');
    assert.deepEqual(body.custom_metadata, { batch: `${batch}-cb` });
    const done = await alpha.get(ok.id);
    assert.deepEqual(body.payload, JSON.parse(JSON.stringify(done.result)));

    const bad = await alpha.create({
      audio_url: `${receiver.url}/notes.txt`,
      callback: true,
      callback_config: { url: `${receiver.url}/hook/bad` },
    });
    await assert.rejects(
      alpha.poll(bad.id, POLL),
      new RegExp(`Pre-recorded job ${bad.id} failed with error code: 400`),
    );
    const failed = await alpha.get(bad.id);
    assert.equal(failed.status, 'error');
    assert.equal(failed.error_code, 400);
    const error = await waitFor(() => receiver.requests.find((r) => r.url === '/hook/bad'));
    assert.equal(error.method, 'POST');
    const errorBody = JSON.parse(error.body) as {
      id: string;
      event: string;
      error: { code: number; message: string };
    };
    assert.equal(errorBody.id, bad.id);
    assert.equal(errorBody.event, 'transcription.error');
    assert.equal(errorBody.error.code, 400);
    assert.match(errorBody.error.message, /audio|media/i);
  });
});
