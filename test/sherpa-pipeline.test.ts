/**
 * The `sherpa` engine end to end through the server, set up the way an operator would: a model is
 * published on an HTTP server (here a generated tiny NeMo CTC model on 127.0.0.1, see
 * test/fixtures/tiny-models.ts), listed in an operator catalog (EARSHOT_MODELS_CATALOG) with its
 * URLs and sha256, installed with `earshot models pull`, and chosen per request with
 * `speech_model` through the official `assemblyai` SDK.
 *
 * The tiny model is not a speech recognizer: it reads a 4 kHz tone as the token "▁yes" and sound
 * below ~700 Hz as "▁hel". Silero VAD must still find speech, so the test audio is jfk.wav's real
 * speech, low-passed below 600 Hz (so the speech itself only ever reads as "hel", never as "yes"
 * or as a "lo" that would glue onto the word before it), with loud 4 kHz bursts laid over it at
 * known times inside Silero's speech regions. The "yes" words must come back at those times, on
 * the original timeline.
 *
 * Then the failures an operator meets: a model file damaged after installation (sha256 mismatch)
 * and model files that are not loadable ONNX. Each fails only its own job, with a message that
 * says what is wrong; the server and its engine host stay up.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssemblyAI, type Transcript, type TranscriptWord } from 'assemblyai';
import { encodeWav16 } from '../src/media/wav-encode.js';
import type { CatalogModel } from '../src/models/catalog.types.js';
import {
  generateTinyNemoCtcModel,
  TINY_BAND_TONES_HZ,
  TINY_SAMPLE_RATE,
  toneBurstSamples,
  writeGarbledModel,
  writeTruncatedModel,
} from './fixtures/tiny-models.js';
import { makeDataDir, startServer, type TestServer } from './helpers/server.js';
import { REPO_ROOT, speechFile } from './helpers/shared-data.js';

const BIN = path.join(REPO_ROOT, 'bin', 'earshot.js');
const KEY = 'sherpa-pipeline-key-01';
const POLL = { pollingInterval: 150, pollingTimeout: 120_000 };

const GOOD = 'tiny-ctc-en';
const TAMPERED = 'tiny-ctc-tampered';
const TRUNCATED = 'tiny-ctc-truncated';
const GARBLED = 'tiny-ctc-garbled';

/** 4 kHz bursts, inside Silero's speech regions of jfk.wav ([5.37, 7.69] and [8.16, 10.57] s). */
const BURSTS_S = [
  { startS: 5.6, endS: 5.9 },
  { startS: 9.0, endS: 9.3 },
];
/** Tolerance on a word's start: one 40 ms output frame of the model plus its 25 ms feature window. */
const TOLERANCE_MS = 80;

interface Served {
  path: string;
  body: Buffer;
}

interface FileServer {
  url: string;
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

/** Publishes files over HTTP on 127.0.0.1, as a model host (or an internal mirror) would. */
async function serveFiles(files: Served[]): Promise<FileServer> {
  const byPath = new Map(files.map((f) => [f.path, f.body]));
  const requests: FileServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    const body = byPath.get(urlPath);
    const status = body ? 200 : 404;
    requests.push({ method: req.method ?? '', path: urlPath, status });
    res.writeHead(status, { 'content-length': body?.length ?? 0 });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function catalogEntry(
  id: string,
  baseUrl: string,
  files: { name: string; role: 'model' | 'tokens'; body: Buffer; urlPath: string }[],
): CatalogModel {
  return {
    id,
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'nemo-ctc',
    description: `Tiny generated NeMo CTC model (${id}) for tests`,
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    // Below every real model, so "best" still means sphinx on this server.
    accuracyRank: -100,
    license: 'MIT',
    homepage: baseUrl,
    files: files.map((f) => ({
      name: f.name,
      role: f.role,
      url: `${baseUrl}${f.urlPath}`,
      sizeBytes: f.body.length,
      sha256: sha256(f.body),
    })),
  };
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/**
 * jfk.wav's speech, low-passed below 600 Hz (three passes, for a steep edge) and halved, plus
 * 4 kHz bursts at amplitude 0.4: 16-bit WAV bytes at 16 kHz.
 */
function speechWithBursts(): Buffer {
  const decoded = spawnSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      speechFile('jfk.wav'),
      '-af',
      'lowpass=f=600,lowpass=f=600,lowpass=f=600',
      '-ac',
      '1',
      '-ar',
      String(TINY_SAMPLE_RATE),
      '-f',
      'f32le',
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(decoded.status, 0, decoded.stderr?.toString());
  // Copy into a fresh (aligned) buffer before viewing it as floats.
  const speech = new Float32Array(new Uint8Array(decoded.stdout).buffer);
  assert.equal(speech.length, 11 * TINY_SAMPLE_RATE);
  const tones = toneBurstSamples(
    11,
    BURSTS_S.map((b) => ({ ...b, hz: TINY_BAND_TONES_HZ.high })),
    0.4,
  );
  const mixed = speech.map((x, i) => 0.5 * x + (tones[i] ?? 0));
  assert.ok(
    mixed.every((x) => Math.abs(x) < 1),
    'no clipping',
  );
  return encodeWav16(mixed, TINY_SAMPLE_RATE);
}

/** A word as a person reads it: lower case, without the punctuation formatting may add. */
function bare(word: TranscriptWord): string {
  return word.text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function assertYesAtBursts(t: Transcript, fromMs: number): void {
  assert.equal(t.status, 'completed', t.error ?? undefined);
  assert.equal(t.speech_model_used, GOOD);
  assert.ok(t.words && t.words.length > 0);
  let previousStart = fromMs;
  for (const w of t.words) {
    assert.ok(Number.isInteger(w.start) && Number.isInteger(w.end), `integer ms: ${w.start}-${w.end}`);
    assert.ok(
      w.start >= previousStart && w.start <= w.end && w.end <= 11_000,
      `${w.text} ${w.start}-${w.end}`,
    );
    previousStart = w.start;
  }
  // The low-passed speech reads as "hel" and nothing else; each burst is exactly one "yes".
  assert.deepEqual([...new Set(t.words.map(bare))].sort(), ['hel', 'yes']);
  const yes = t.words.filter((w) => bare(w) === 'yes').map((w) => w.start);
  assert.equal(yes.length, BURSTS_S.length, `"yes" at ${yes.join(', ')} ms`);
  BURSTS_S.forEach((burst, i) => {
    const expected = burst.startS * 1000;
    assert.ok(
      Math.abs(yes[i]! - expected) <= TOLERANCE_MS,
      `"yes" ${i + 1} starts at ${yes[i]} ms, expected ${expected} ± ${TOLERANCE_MS} ms on the original timeline`,
    );
  });
}

describe('a generated sherpa model, pulled from a catalog and served through the API', () => {
  let root: string;
  let dataDir: string;
  let files: FileServer;
  let env: Record<string, string>;
  let server: TestServer | undefined;
  let client: AssemblyAI;
  let uploadUrl: string;
  const catalog: CatalogModel[] = [];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'earshot-sherpa-pipeline-'));
    dataDir = await makeDataDir();

    const generated = await generateTinyNemoCtcModel(path.join(root, 'origin', 'good'));
    const model = await readFile(generated.modelPath);
    const tokens = await readFile(generated.tokensPath);
    await writeTruncatedModel(path.join(root, 'origin', 'truncated', 'model.onnx'));
    await writeGarbledModel(path.join(root, 'origin', 'garbled', 'model.onnx'));
    const truncated = await readFile(path.join(root, 'origin', 'truncated', 'model.onnx'));
    const garbled = await readFile(path.join(root, 'origin', 'garbled', 'model.onnx'));

    files = await serveFiles([
      { path: '/tiny/model.onnx', body: model },
      { path: '/tiny/tokens.txt', body: tokens },
      { path: '/broken/truncated.onnx', body: truncated },
      { path: '/broken/garbled.onnx', body: garbled },
    ]);
    const tokensFile = {
      name: 'tokens.txt',
      role: 'tokens' as const,
      body: tokens,
      urlPath: '/tiny/tokens.txt',
    };
    catalog.push(
      catalogEntry(GOOD, files.url, [
        { name: 'model.onnx', role: 'model', body: model, urlPath: '/tiny/model.onnx' },
        tokensFile,
      ]),
      // The same files under a second id: damaged after installation, before any engine loaded it.
      catalogEntry(TAMPERED, files.url, [
        { name: 'model.onnx', role: 'model', body: model, urlPath: '/tiny/model.onnx' },
        tokensFile,
      ]),
      // Published broken: the checksums match what is served, so only loading can tell.
      catalogEntry(TRUNCATED, files.url, [
        { name: 'model.onnx', role: 'model', body: truncated, urlPath: '/broken/truncated.onnx' },
        tokensFile,
      ]),
      catalogEntry(GARBLED, files.url, [
        { name: 'model.onnx', role: 'model', body: garbled, urlPath: '/broken/garbled.onnx' },
        tokensFile,
      ]),
    );
    const catalogFile = path.join(root, 'catalog.json');
    await writeFile(catalogFile, JSON.stringify({ models: catalog }, null, 2));
    env = { EARSHOT_DATA_DIR: dataDir, EARSHOT_MODELS_CATALOG: catalogFile };

    await writeFile(path.join(root, 'jfk-with-beeps.wav'), speechWithBursts());
  });

  after(async () => {
    await server?.stop();
    await files?.close();
    await rm(root, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  const transcribe = (params: Parameters<AssemblyAI['transcripts']['transcribe']>[0]): Promise<Transcript> =>
    client.transcripts.transcribe(params, POLL);
  const withModel = (id: string): { speech_model: 'best' } => ({ speech_model: id as 'best' });

  it('earshot models pull downloads the catalog models over HTTP, verifies and installs them', async () => {
    const ids = catalog.map((m) => m.id);
    const pull = await runCli(['models', 'pull', ...ids], env);
    assert.equal(pull.code, 0, `${pull.stdout}\n${pull.stderr}`);
    assert.equal(
      pull.stdout,
      ids
        .map((id) => `${id}: installed (2 of 2 files fetched) in ${path.join(dataDir, 'models', id)}\n`)
        .join(''),
    );
    // Every file came from the model host (tokens.txt once per model that lists it).
    assert.deepEqual(
      files.requests.filter((r) => r.status !== 200),
      [],
    );
    assert.deepEqual(
      files.requests.map((r) => r.path).sort(),
      [
        '/broken/garbled.onnx',
        '/broken/truncated.onnx',
        '/tiny/model.onnx',
        '/tiny/model.onnx',
        ...Array<string>(4).fill('/tiny/tokens.txt'),
      ].sort(),
    );
    for (const model of catalog) {
      for (const file of model.files) {
        const installed = await readFile(path.join(dataDir, 'models', model.id, file.name));
        assert.equal(sha256(installed), file.sha256, `${model.id}/${file.name}`);
      }
    }
    const list = await runCli(['models', 'list'], env);
    assert.equal(list.code, 0);
    for (const id of ids)
      assert.match(
        list.stdout,
        new RegExp(`^${id}\\s+asr\\s+sherpa\\s+en\\s+\\S+ (?:B|KiB)\\s+installed$`, 'm'),
      );
  });

  it('a job with speech_model set to the pulled model hears each 4 kHz burst as "yes" at its time', async () => {
    server = await startServer({
      dataDir,
      env: { ...env, EARSHOT_API_KEYS: `${KEY}:ops`, EARSHOT_WORKERS: '1' },
    });
    client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
    const health = (await (await fetch(`${server.url}/health`)).json()) as {
      models: { installed: string[] };
    };
    assert.deepEqual(
      health.models.installed.filter((id) => id.startsWith('tiny-')).sort(),
      catalog.map((m) => m.id).sort(),
    );

    uploadUrl = await client.files.upload(path.join(root, 'jfk-with-beeps.wav'));
    const t = await transcribe({ audio: uploadUrl, ...withModel(GOOD) });
    assertYesAtBursts(t, 0);
    assert.equal(t.audio_duration, 11);
    assert.equal(t.language_code, 'en');
    assert.equal(t.speech_model, GOOD);
  });

  it('audio_start_from keeps the words on the original timeline', async () => {
    const t = await transcribe({ audio: uploadUrl, ...withModel(GOOD), audio_start_from: 5000 });
    assertYesAtBursts(t, 5000);
    assert.equal(t.audio_start_from, 5000);
    assert.ok(t.words!.every((w) => w.start >= 5000));
  });

  it('a model file damaged after installation fails its job with the sha256 mismatch; the server stays up', async () => {
    const file = path.join(dataDir, 'models', TAMPERED, 'model.onnx');
    const bytes = await readFile(file);
    // Flip a few bytes in the middle: same size, so only the checksum can tell.
    for (let i = 0; i < 8; i++) bytes[Math.floor(bytes.length / 2) + i]! ^= 0xff;
    await writeFile(file, bytes);
    const expected = catalog.find((m) => m.id === TAMPERED)!.files[0]!.sha256!;
    const actual = sha256(bytes);
    assert.notEqual(actual, expected);

    const verify = await runCli(['models', 'verify', TAMPERED], env);
    assert.equal(verify.code, 1);
    assert.ok(
      verify.stdout.startsWith(
        `${TAMPERED}: FAILED\n` +
          `  BAD SHA256 model.onnx  sha256 ${actual}, expected ${expected} (published)\n` +
          `  ok         tokens.txt  sha256 matches (published)\n`,
      ),
      verify.stdout,
    );

    const t = await transcribe({ audio: uploadUrl, ...withModel(TAMPERED) });
    assert.equal(t.status, 'error');
    assert.equal(
      t.error,
      `Model ${TAMPERED}: file model.onnx (${file}) is damaged: sha256 ${actual}, expected ${expected} (published). ` +
        `Run \`earshot models pull ${TAMPERED}\` to download it again.`,
    );
    const health = await fetch(`${server!.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    // The good model still works on the same engine host.
    assertYesAtBursts(await transcribe({ audio: uploadUrl, ...withModel(GOOD) }), 0);
  });

  it('a truncated or unparsable ONNX file fails its job with "Could not load model"; nothing crashes', async () => {
    const [truncated, garbled] = await Promise.all([
      transcribe({ audio: uploadUrl, ...withModel(TRUNCATED) }),
      transcribe({ audio: uploadUrl, ...withModel(GARBLED) }),
    ]);
    assert.equal(truncated.status, 'error');
    // Caught by the ONNX framing check before sherpa sees the file…
    assert.match(
      truncated.error!,
      new RegExp(`^Could not load model ${TRUNCATED}: model\\.onnx: .*truncated`),
    );
    assert.equal(garbled.status, 'error');
    // …or refused by onnxruntime itself, through the asynchronous loader that rejects instead of aborting.
    assert.match(garbled.error!, new RegExp(`^Could not load model ${GARBLED}: .*Protobuf parsing failed`));

    // The server, its worker and its engine host are all still the same processes, and still work.
    assert.equal(server!.process.exitCode, null);
    assert.doesNotMatch(server!.stderr(), /engine host crashed|worker exited; restarting/);
    assert.equal((await fetch(`${server!.url}/health`)).status, 200);
    const sphinx = await transcribe({ audio: speechFile('LJ001-0002.wav') });
    assert.equal(sphinx.status, 'completed', sphinx.error ?? undefined);
    assert.equal(sphinx.speech_model_used, 'sphinx-en-us');
    assert.ok(sphinx.words!.length > 0);
  });
});
