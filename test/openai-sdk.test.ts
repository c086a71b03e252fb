/**
 * The OpenAI audio surface driven by the official `openai` SDK against a real server process, real
 * speech, the real sphinx engine and Silero VAD. Uploads go both ways the SDK sends them: an
 * `fs.ReadStream` (chunked, no Content-Length, file part first) and `toFile(buffer)` (FormData).
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI, {
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  toFile,
} from 'openai';
import { createEnglishNormalizer, loadSpellingMap } from '../src/eval/english-normalizer.js';
import { wordErrorRate } from '../src/eval/wer.js';
import { MULTISPEAKER_DIR, speechFile, speechReferences, WHISPER_DATA_DIR } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-openai-0001';
const TENANT = 'alpha';
const JFK = speechFile('jfk.wav');
const JFK_SECONDS = 11;

/** Every object the server still stores for the tenant: uploads and job outputs. */
async function storedObjects(server: TestServer): Promise<string[]> {
  const root = path.join(server.dataDir, 'blobs', 'tenants', TENANT);
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function rejection<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}`);
}

async function waitFor(probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('OpenAI audio API through the official SDK', () => {
  let server: TestServer;
  let client: OpenAI;
  /** The json answer for jfk.wav sent as a stream: the text the other formats are compared with. */
  let jfkText: string;

  before(async () => {
    server = await startServer({
      env: { EARSHOT_API_KEYS: `${KEY}:${TENANT}`, EARSHOT_WORKERS: '2' },
    });
    // No retries: a test must see the first answer.
    client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
  });

  after(async () => {
    await server?.stop();
  });

  it('json from a chunked fs stream: text and usage, and nothing kept afterwards', async () => {
    const result = await client.audio.transcriptions.create({
      file: createReadStream(JFK),
      model: 'whisper-1',
    });
    assert.deepEqual(Object.keys(result), ['text', 'usage']);
    assert.deepEqual(result.usage, { type: 'duration', seconds: JFK_SECONDS });
    assert.match(result.text, /country/);
    jfkText = result.text;
    // OpenAI keeps nothing: the job, its outputs and the uploaded audio are gone.
    assert.deepEqual(await storedObjects(server), []);
    assert.match(server.stderr(), /"msg":"job deleted"/);
  });

  it('json from toFile(buffer) gives the same transcript', async () => {
    const result = await client.audio.transcriptions.create({
      file: await toFile(await readFile(JFK), 'jfk.wav'),
      model: 'gpt-4o-transcribe',
      language: 'en',
      temperature: 0,
    });
    assert.equal(result.text, jfkText);
    assert.deepEqual(await storedObjects(server), []);
  });

  it('recognises real speech: WER on three recordings stays under the measured bound', async () => {
    const refs = speechReferences().filter((r) => ['jfk', '1089-134686-0000', 'LJ001-0001'].includes(r.id));
    const results = await Promise.all(
      refs.map((r) =>
        client.audio.transcriptions.create({
          file: createReadStream(speechFile(r.audio)),
          model: 'whisper-1',
        }),
      ),
    );
    const normalize = createEnglishNormalizer(
      await loadSpellingMap(path.join(WHISPER_DATA_DIR, 'english.json')),
    );
    const { wer } = wordErrorRate(
      refs.map((r, i) => ({ reference: r.reference, hypothesis: results[i]!.text })),
      normalize,
    );
    // The same bound as the AssemblyAI surface: the same pipeline behind a different dialect.
    assert.ok(wer < 0.45, `WER ${wer.toFixed(3)} should be < 0.45`);
  });

  it('text, srt and vtt come back as strings', async () => {
    const text = await client.audio.transcriptions.create({
      file: createReadStream(JFK),
      model: 'whisper-1',
      response_format: 'text',
    });
    assert.equal(typeof text, 'string');
    assert.equal(text, `${jfkText}\n`);

    const srt = await client.audio.transcriptions.create({
      file: await toFile(await readFile(JFK), 'jfk.wav'),
      model: 'whisper-1',
      response_format: 'srt',
    });
    assert.equal(typeof srt, 'string');
    const cues = srt.trimEnd().split('\n\n');
    assert.ok(cues.length >= 2, srt);
    cues.forEach((cue, i) => {
      const [number, timing, ...lines] = cue.split('\n');
      assert.equal(number, String(i + 1));
      const m = /^(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})$/.exec(timing ?? '');
      assert.ok(m, `SRT timing: ${timing}`);
      const end = Number(m[5]) * 3600 + Number(m[6]) * 60 + Number(m[7]) + Number(m[8]) / 1000;
      assert.ok(end <= JFK_SECONDS, `cue ends within the audio: ${timing}`);
      assert.ok(lines.length >= 1);
    });
    const srtWords = cues.flatMap((cue) => cue.split('\n').slice(2).join(' ').split(' '));
    assert.deepEqual(srtWords, jfkText.split(' '));

    const vtt = await client.audio.transcriptions.create({
      file: createReadStream(JFK),
      model: 'whisper-1',
      response_format: 'vtt',
    });
    assert.equal(typeof vtt, 'string');
    assert.ok(vtt.startsWith('WEBVTT\n\n'), vtt);
    assert.match(vtt, /\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n/);
    assert.deepEqual(await storedObjects(server), []);
  });

  it('verbose_json with word and segment granularities: every field, in seconds', async () => {
    const result = await client.audio.transcriptions.create({
      file: createReadStream(JFK),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
    });
    assert.deepEqual(Object.keys(result), [
      'task',
      'language',
      'duration',
      'text',
      'segments',
      'words',
      'usage',
    ]);
    assert.equal((result as unknown as { task: string }).task, 'transcribe');
    assert.equal(result.language, 'english');
    assert.equal(result.duration, JFK_SECONDS);
    assert.equal(result.text, jfkText);

    const segments = result.segments ?? [];
    assert.ok(segments.length >= 2, `segments: ${segments.length}`);
    segments.forEach((s, i) => {
      assert.deepEqual(Object.keys(s).sort(), [
        'avg_logprob',
        'compression_ratio',
        'end',
        'id',
        'no_speech_prob',
        'seek',
        'start',
        'temperature',
        'text',
        'tokens',
      ]);
      assert.equal(s.id, i);
      assert.ok(Number.isInteger(s.seek) && s.seek === Math.floor(s.start * 100), `seek ${s.seek}`);
      assert.ok(s.start >= 0 && s.start < s.end && s.end <= JFK_SECONDS, `segment ${s.start}-${s.end}`);
      assert.deepEqual(s.tokens, []);
      assert.equal(s.temperature, 0);
      assert.equal(s.no_speech_prob, 0);
      assert.ok(s.avg_logprob <= 0 && Number.isFinite(s.avg_logprob), `avg_logprob ${s.avg_logprob}`);
      assert.ok(
        s.compression_ratio > 0 && s.compression_ratio < 2.4,
        `compression_ratio ${s.compression_ratio}`,
      );
      assert.ok(s.text.startsWith(' '), 'segment text starts with a space, as Whisper writes it');
    });
    assert.equal(segments.map((s) => s.text).join(''), ` ${jfkText}`);

    const words = result.words ?? [];
    assert.ok(words.length >= 10, `words: ${words.length}`);
    let previous = 0;
    for (const w of words) {
      assert.deepEqual(Object.keys(w), ['word', 'start', 'end']);
      assert.ok(
        w.start >= previous && w.start <= w.end && w.end <= JFK_SECONDS,
        `${w.word} ${w.start}-${w.end}`,
      );
      // Seconds with millisecond precision, not milliseconds.
      assert.equal(Math.round(w.start * 1000) / 1000, w.start);
      previous = w.start;
    }
    assert.equal(words.map((w) => w.word).join(' '), jfkText);
    assert.deepEqual(result.usage, { type: 'duration', seconds: JFK_SECONDS });
  });

  it('verbose_json with only the word granularity has no segments', async () => {
    const result = await client.audio.transcriptions.create({
      file: await toFile(await readFile(JFK), 'jfk.wav'),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word'],
    });
    assert.equal(result.segments, undefined);
    assert.ok((result.words ?? []).length >= 10);
  });

  it('stream=true: text deltas as server-sent events, then the final text', async () => {
    const stream = await client.audio.transcriptions.create({
      file: createReadStream(JFK),
      model: 'gpt-4o-transcribe',
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    assert.ok(last?.type === 'transcript.text.done', JSON.stringify(events));
    assert.equal(last.text, jfkText);
    const deltas = events.slice(0, -1);
    assert.ok(deltas.length >= 1);
    assert.ok(deltas.every((e) => e.type === 'transcript.text.delta'));
    // One chunk of audio: its delta is the whole text.
    assert.equal(deltas.map((e) => (e.type === 'transcript.text.delta' ? e.delta : '')).join(''), jfkText);
    assert.deepEqual(await storedObjects(server), []);
  });

  it('translations: a 400 naming model when no installed model can translate', async () => {
    const error = await rejection(
      client.audio.translations.create({ file: createReadStream(JFK), model: 'whisper-1' }),
      BadRequestError,
    );
    assert.equal(error.status, 400);
    assert.equal(error.param, 'model');
    assert.match(error.message, /sphinx-en-us cannot translate speech to English/);
    assert.deepEqual(await storedObjects(server), []);
  });

  it('lists the installed model and the aliases, each naming the model it runs on', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    const ids = models.map((m) => m.id);
    assert.ok(ids.includes('sphinx-en-us'), ids.join(', '));
    for (const alias of ['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe', 'best', 'nano']) {
      assert.ok(ids.includes(alias), `${alias} listed`);
    }
    // Only what can run here: no model that is not installed.
    assert.ok(!ids.includes('whisper-tiny') && !ids.includes('silero-vad-v6.2'), ids.join(', '));
    for (const m of models) {
      assert.equal(m.object, 'model');
      assert.equal(m.owned_by, 'earshot');
      assert.ok(Number.isInteger(m.created) && m.created > 0);
      assert.equal((m as unknown as { root: string }).root, 'sphinx-en-us');
    }
    const whisper = await client.models.retrieve('whisper-1');
    assert.equal(whisper.id, 'whisper-1');
    const missing = await rejection(client.models.retrieve('whisper-large-v3'), NotFoundError);
    assert.equal(missing.status, 404);
  });

  it('a wrong key is an AuthenticationError (401)', async () => {
    const wrong = new OpenAI({ apiKey: 'key-wrong-0000', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const upload = await rejection(
      wrong.audio.transcriptions.create({ file: createReadStream(JFK), model: 'whisper-1' }),
      AuthenticationError,
    );
    assert.equal(upload.status, 401);
    assert.equal(upload.code, 'invalid_api_key');
    assert.equal((await rejection(wrong.models.list(), AuthenticationError)).status, 401);
    assert.deepEqual(await storedObjects(server), []);
  });

  it("a file that is not audio is a 400 with the job's message", async () => {
    const error = await rejection(
      client.audio.transcriptions.create({
        file: await toFile(Buffer.from('This is a text file, not a recording.\n'.repeat(200)), 'notes.wav'),
        model: 'whisper-1',
      }),
      BadRequestError,
    );
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalidAudio');
    assert.match(error.message, /not audio or video that can be decoded/);
    assert.deepEqual(await storedObjects(server), []);
  });

  it('options this server cannot honour are a 400 naming the parameter', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ temperature: 0.7 }, 'temperature', /greed/],
      [{ include: ['logprobs'] }, 'include', /logprobs is not supported/],
      [{ model: 'whisper-large-v3' }, 'model', /"whisper-large-v3" is not a known model/],
      [{ prompt: 'Earshot, PocketSphinx' }, 'prompt', /does not support prompt/],
      [{ chunking_strategy: { type: 'server_vad', threshold: 0.2 } }, 'chunking_strategy', /threshold/],
      [
        { response_format: 'json', timestamp_granularities: ['word'] },
        'timestamp_granularities',
        /verbose_json/,
      ],
    ];
    for (const [params, param, message] of cases) {
      const error = await rejection(
        client.audio.transcriptions.create({
          file: createReadStream(JFK),
          model: 'whisper-1',
          ...params,
        } as OpenAI.Audio.TranscriptionCreateParamsNonStreaming),
        BadRequestError,
      );
      assert.equal(error.param, param, JSON.stringify(params));
      assert.match(error.message, message);
    }
    assert.deepEqual(await storedObjects(server), []);
  });

  it('diarized_json: speaker turns with letters from diarization', async () => {
    const result = (await client.audio.transcriptions.create({
      file: createReadStream(path.join(MULTISPEAKER_DIR, 'pyannote_sample.wav')),
      model: 'gpt-4o-transcribe-diarize',
      response_format: 'diarized_json',
    })) as unknown as OpenAI.Audio.TranscriptionDiarized;
    assert.deepEqual(Object.keys(result), ['task', 'duration', 'text', 'segments', 'usage']);
    assert.equal(result.task, 'transcribe');
    assert.equal(result.duration, 30);
    assert.ok(result.segments.length >= 2, `segments: ${result.segments.length}`);
    let previous = 0;
    result.segments.forEach((s, i) => {
      assert.deepEqual(Object.keys(s), ['type', 'id', 'start', 'end', 'text', 'speaker']);
      assert.equal(s.type, 'transcript.text.segment');
      assert.equal(s.id, `seg_${i}`);
      assert.ok(s.start >= previous && s.start < s.end && s.end <= 30, `turn ${s.start}-${s.end}`);
      assert.match(s.speaker, /^[A-Z]+$/);
      previous = s.start;
    });
    // The recording has two speakers; labels start at A in order of appearance.
    const speakers = [...new Set(result.segments.map((s) => s.speaker))];
    assert.equal(speakers[0], 'A');
    assert.ok(speakers.length >= 2, `speakers: ${speakers.join(', ')}`);
    assert.deepEqual(await storedObjects(server), []);
  });
});

describe('OpenAI audio API upload limit', () => {
  let server: TestServer;
  let client: OpenAI;

  before(async () => {
    server = await startServer({
      env: { EARSHOT_API_KEYS: `${KEY}:${TENANT}`, EARSHOT_MAX_UPLOAD_BYTES: '100000' },
    });
    client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
  });

  after(async () => {
    await server?.stop();
  });

  it('answers 413 in the OpenAI shape for a chunked stream and for a buffer', async () => {
    const jfk = await readFile(JFK);
    assert.ok(jfk.length > 100_000);
    for (const file of [createReadStream(JFK), await toFile(jfk, 'jfk.wav')]) {
      const error = await rejection(
        client.audio.transcriptions.create({ file, model: 'whisper-1' }),
        APIError,
      );
      assert.equal(error.status, 413);
      assert.equal(error.param, 'file');
      assert.equal(error.message, '413 The file is larger than the limit of 100000 bytes');
    }
    assert.deepEqual(await storedObjects(server), []);
  });
});

describe('OpenAI audio API when the caller goes away', () => {
  let server: TestServer;
  let client: OpenAI;

  // A server of its own: the SDK opens a fresh connection after an abort, which the server's
  // graceful stop then waits on until the client lets it go.
  before(async () => {
    server = await startServer({ env: { EARSHOT_API_KEYS: `${KEY}:${TENANT}`, EARSHOT_WORKERS: '1' } });
    client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
  });

  after(async () => {
    await server?.stop();
  });

  it('a caller that goes away cancels the job and leaves nothing behind', async () => {
    const controller = new AbortController();
    const deleted = (server.stderr().match(/"msg":"job deleted"/g) ?? []).length;
    const submitted = (server.stderr().match(/"msg":"job submitted"/g) ?? []).length;
    const pending = client.audio.transcriptions.create(
      { file: createReadStream(speechFile('1089-134686-0000.flac')), model: 'whisper-1' },
      { signal: controller.signal },
    );
    await waitFor(() => (server.stderr().match(/"msg":"job submitted"/g) ?? []).length > submitted);
    controller.abort();
    await rejection(pending, APIUserAbortError);
    await waitFor(() => (server.stderr().match(/"msg":"job deleted"/g) ?? []).length > deleted);
    assert.deepEqual(await storedObjects(server), []);
  });
});
