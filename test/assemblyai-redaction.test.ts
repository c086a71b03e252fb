/**
 * PII redaction through the official `assemblyai` SDK against a real server: real speech, the
 * real sphinx engine, the real PII recognizers and ffmpeg. What counts as PII is whatever the
 * recognizers find in the unredacted transcript of the same recording, so the test checks the
 * redaction, not the recognizer's recall.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssemblyAI, type TranscribeParams, type Transcript } from 'assemblyai';
import { loadConfig } from '../src/config/config.js';
import { UrlSigner } from '../src/api/signed-url.js';
import { findEntities } from '../src/intelligence/pii/detect-pii.js';
import { BEEP_HZ } from '../src/intelligence/pii/redacted-audio.js';
import { MediaTool } from '../src/media/media-tool.js';
import { speechFile } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-redact-0001';
const POLL = { pollingInterval: 150, pollingTimeout: 120_000 };
/** LJSpeech: "... before the woodcutters of the Netherlands ..."; sphinx hears a place name there. */
const RECORDING = speechFile('LJ001-0003.wav');
const POLICIES = ['person_name', 'location', 'organization', 'phone_number'] as const;
const RATE = 16_000;

const tools = loadConfig().tools;
const media = new MediaTool({ ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe });

/** Share of the energy of 16 kHz samples at `hz` (Goertzel), 0..1. */
function toneShare(samples: Float32Array, hz: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / RATE);
  let [s1, s2] = [0, 0];
  for (const x of samples) [s1, s2] = [x + coeff * s1 - s2, s1];
  const energy = samples.reduce((sum, x) => sum + x * x, 0);
  return energy === 0 ? 0 : (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((samples.length / 2) * energy);
}

function rms(samples: Float32Array): number {
  return Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / Math.max(1, samples.length));
}

describe('PII redaction through the AssemblyAI SDK', () => {
  let server: TestServer;
  let client: AssemblyAI;
  let workDir: string;
  let plain: Transcript;
  /** The words of the unredacted transcript the recognizers call PII, with their types. */
  let pii: { text: string; type: string; start: number; end: number }[];

  before(async () => {
    server = await startServer({ env: { EARSHOT_API_KEYS: `${KEY}:acme` } });
    client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
    workDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-redaction-'));
    plain = await client.transcripts.transcribe({ audio: RECORDING }, POLL);
    assert.equal(plain.status, 'completed', plain.error);
    pii = findEntities(plain.text!, POLICIES).map((span) => ({
      type: span.type,
      text: plain.text!.slice(span.start, span.end),
      start: span.start,
      end: span.end,
    }));
    // Without PII in the recording this test would prove nothing.
    assert.ok(pii.length > 0, `the recognizers find PII in "${plain.text}"`);
  });

  after(async () => {
    await server?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** The unredacted text with each PII span replaced. */
  function expectedText(replace: (span: (typeof pii)[number]) => string): string {
    let text = plain.text!;
    for (const span of [...pii].reverse())
      text = text.slice(0, span.start) + replace(span) + text.slice(span.end);
    return text;
  }

  async function decode(bytes: Buffer, name: string): Promise<Float32Array> {
    const file = path.join(workDir, name);
    await writeFile(file, bytes);
    await media.decodeToPcm(file, `${file}.f32`);
    const pcm = await readFile(`${file}.f32`);
    return new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
  }

  it('entity_name: placeholders in text and words, a beeped MP3 behind a signed URL', async () => {
    const t = await client.transcripts.transcribe(
      {
        audio: RECORDING,
        redact_pii: true,
        redact_pii_policies: [...POLICIES],
        redact_pii_sub: 'entity_name',
        redact_pii_audio: true,
      },
      POLL,
    );
    assert.equal(t.status, 'completed', t.error);
    assert.equal(
      t.text,
      expectedText((span) => `[${span.type.toUpperCase()}]`),
    );
    const words = t.words!.map((w) => w.text);
    for (const span of pii) {
      assert.ok(words.includes(`[${span.type.toUpperCase()}]`), `placeholder for ${span.type}`);
      for (const original of span.text.split(' ')) {
        assert.ok(!words.includes(original), `"${original}" is not in the words`);
        assert.doesNotMatch(t.text, new RegExp(`\\b${original}\\b`, 'i'));
      }
    }
    // Everything else is as it was.
    assert.equal(
      words.length,
      plain.words!.length - pii.reduce((n, s) => n + s.text.split(' ').length - 1, 0),
    );
    const srt = await client.transcripts.subtitles(t.id, 'srt');
    for (const span of pii) assert.doesNotMatch(srt, new RegExp(`\\b${span.text}\\b`, 'i'));

    const redacted = await client.transcripts.redactedAudio(t.id);
    assert.equal(redacted.status, 'redacted_audio_ready');
    const url = new URL(redacted.redacted_audio_url);
    assert.equal(url.origin, server.url);
    assert.match(url.search, /^\?expires=\d+&signature=[0-9a-f]{64}$/);

    // What the SDK's redactedAudioFile() does: a bare fetch, no key.
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'audio/mpeg');
    const body = Buffer.from(await response.arrayBuffer());
    assert.equal(Number(response.headers.get('content-length')), body.length);
    const viaSdk = await client.transcripts.redactedAudioFile(t.id);
    assert.deepEqual(Buffer.from(await viaSdk.arrayBuffer()), body);

    const file = path.join(workDir, 'redacted.mp3');
    await writeFile(file, body);
    const info = await media.probe(file);
    assert.equal(info.formatName, 'mp3');
    assert.ok(Math.abs(info.durationMs! - t.audio_duration! * 1000) < 150, `duration ${info.durationMs}`);

    // A 1 kHz beep where each placeholder word is; speech elsewhere.
    const samples = await decode(body, 'redacted-copy.mp3');
    for (const word of t.words!.filter((w) => w.text.startsWith('['))) {
      const inside = samples.subarray(((word.start + 10) * RATE) / 1000, ((word.end - 10) * RATE) / 1000);
      assert.ok(toneShare(inside, BEEP_HZ) > 0.9, `beep over ${word.text} ${word.start}-${word.end}`);
    }
    const first = t.words![0]!;
    const speech = samples.subarray((first.start * RATE) / 1000, (first.end * RATE) / 1000);
    assert.ok(toneShare(speech, BEEP_HZ) < 0.2 && rms(speech) > 0.01, 'the first word is still speech');
  });

  it('refuses a tampered, expired or missing signature with 403', async () => {
    const t = await client.transcripts.transcribe(
      { audio: RECORDING, redact_pii: true, redact_pii_policies: ['location'], redact_pii_audio: true },
      POLL,
    );
    const { redacted_audio_url } = await client.transcripts.redactedAudio(t.id);
    const url = new URL(redacted_audio_url);
    const signature = url.searchParams.get('signature')!;

    const tampered = new URL(url);
    tampered.searchParams.set('signature', (signature[0] === '0' ? '1' : '0') + signature.slice(1));
    const forged = await fetch(tampered);
    assert.equal(forged.status, 403);
    assert.deepEqual(await forged.json(), { error: 'The URL signature is not valid.' });

    const longer = new URL(url);
    longer.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    assert.equal((await fetch(longer)).status, 403);

    const otherJob = new URL(url.href.replace(t.id, plain.id));
    assert.equal((await fetch(otherJob)).status, 403);

    assert.equal((await fetch(`${url.origin}${url.pathname}`)).status, 403);

    // Signed with the server's own key (generated in its data directory), but a minute ago.
    const key = await readFile(path.join(server.dataDir, 'url-signing.key'), 'utf8');
    const past = new UrlSigner(Buffer.from(key.trim()), () => Date.now() - 120_000);
    const expired = await fetch(`${url.origin}${past.signPath(url.pathname, 60)}`);
    assert.equal(expired.status, 403);
    assert.deepEqual(await expired.json(), { error: 'The URL has expired.' });
    // The same key and a fresh expiry work, so it was the expiry that was refused.
    const fresh = new UrlSigner(Buffer.from(key.trim()));
    assert.equal((await fetch(`${url.origin}${fresh.signPath(url.pathname, 60)}`)).status, 200);
  });

  it('hash substitution with silenced WAV audio', async () => {
    // redact_pii_audio_options is in AssemblyAI's API but not in this SDK version's types; the SDK
    // sends it as given.
    const params: TranscribeParams & { redact_pii_audio_options: object } = {
      audio: RECORDING,
      redact_pii: true,
      redact_pii_policies: [...POLICIES],
      redact_pii_sub: 'hash',
      redact_pii_audio: true,
      redact_pii_audio_quality: 'wav',
      redact_pii_audio_options: { override_audio_redaction_method: 'silence' },
    };
    const t = await client.transcripts.transcribe(params, POLL);
    assert.equal(t.status, 'completed', t.error);
    assert.equal(
      t.text,
      expectedText((span) => span.text.replace(/\S/g, '#')),
    );
    const hashed = t.words!.filter((w) => /^#+\p{P}*$/u.test(w.text));
    assert.equal(
      hashed.length,
      pii.reduce((n, s) => n + s.text.split(' ').length, 0),
    );

    const file = await client.transcripts.redactedAudioFile(t.id);
    const samples = await decode(Buffer.from(await file.arrayBuffer()), 'redacted.wav');
    for (const word of hashed) {
      const inside = samples.subarray(((word.start + 10) * RATE) / 1000, ((word.end - 10) * RATE) / 1000);
      assert.equal(rms(inside), 0, `silence over ${word.text}`);
    }
  });

  it('answers AssemblyAI-style errors for transcripts without redacted audio', async () => {
    await assert.rejects(
      client.transcripts.redactedAudio(plain.id),
      /Redacted audio is not available: redact_pii_audio was not enabled/,
    );
    await assert.rejects(
      client.transcripts.redactedAudio('0190a0f0-0000-7000-8000-000000000000'),
      /not found/i,
    );
    const noKey = await fetch(`${server.url}/v2/transcript/${plain.id}/redacted-audio`);
    assert.equal(noKey.status, 401);
  });

  it('refuses a policy it does not support, naming it', async () => {
    await assert.rejects(
      client.transcripts.submit({
        audio: RECORDING,
        redact_pii: true,
        redact_pii_policies: ['location', 'medical_condition'],
      }),
      /medical_condition/,
    );
    const response = await fetch(`${server.url}/v2/transcript`, {
      method: 'POST',
      headers: { authorization: KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        audio_url: plain.audio_url,
        redact_pii: true,
        redact_pii_policies: ['blood_type'],
      }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /blood_type/);
  });
});
