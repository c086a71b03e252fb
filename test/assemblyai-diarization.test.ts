/**
 * Speakers and channels through the official `assemblyai` SDK on the real multi-speaker
 * recordings: the builtin diarization engine (no model files) and multichannel transcription.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssemblyAI, type Transcript } from 'assemblyai';
import { createEnglishNormalizer, loadSpellingMap } from '../src/eval/english-normalizer.js';
import { diarizationErrorRate } from '../src/eval/der.js';
import { parseRttm } from '../src/eval/rttm.js';
import { wordErrorRate } from '../src/eval/wer.js';
import { MULTISPEAKER_DIR, WHISPER_DATA_DIR } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-diarize-0001';
const POLL = { pollingInterval: 150, pollingTimeout: 180_000 };
const sample = path.join(MULTISPEAKER_DIR, 'pyannote_sample.wav');
const stereo = path.join(MULTISPEAKER_DIR, 'fw_stereo_diarization.wav');

/** Utterances as hypothesis turns in seconds, for DER against the reference RTTM. */
function turnsOf(t: Transcript): { start: number; end: number; speaker: string }[] {
  return (t.utterances ?? []).map((u) => ({
    start: u.start / 1000,
    end: u.end / 1000,
    speaker: u.speaker ?? '?',
  }));
}

describe('speaker labels and multichannel through the AssemblyAI SDK', () => {
  let server: TestServer;
  let client: AssemblyAI;
  let uploaded: string;

  before(async () => {
    server = await startServer({ env: { EARSHOT_API_KEYS: KEY, EARSHOT_WORKERS: '2' } });
    client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
    uploaded = await client.files.upload(sample);
  });

  after(async () => {
    await server?.stop();
  });

  it('labels every word with a speaker and finds the two speakers of pyannote_sample', async () => {
    const t = await client.transcripts.transcribe({ audio_url: uploaded, speaker_labels: true }, POLL);
    assert.equal(t.status, 'completed', t.error);
    assert.equal(t.speaker_labels, true);
    assert.ok(t.words!.length > 20);
    for (const w of t.words!) assert.match(w.speaker ?? '', /^[A-Z]$/, `word "${w.text}" has a speaker`);
    const speakers = new Set(t.words!.map((w) => w.speaker));
    assert.ok(speakers.size >= 2 && speakers.size <= 3, `speakers ${[...speakers].join(',')}`);
    assert.equal(t.words![0]!.speaker, 'A', 'the first voice heard is A');
    // Utterances cover every word once, in order, and change speaker or pause between them.
    const utterances = t.utterances!;
    assert.deepEqual(
      utterances.flatMap((u) => u.words.map((w) => w.start)),
      t.words!.map((w) => w.start),
    );
    for (const u of utterances) {
      assert.ok(u.words.every((w) => w.speaker === u.speaker));
      assert.equal(u.text, u.words.map((w) => w.text).join(' '));
      assert.equal(u.start, u.words[0]!.start);
    }
    // DER of the utterances against the reference: the builtin engine measured well under this.
    const reference = parseRttm(await readFile(path.join(MULTISPEAKER_DIR, 'pyannote_sample.rttm'), 'utf8'));
    const der = diarizationErrorRate(
      reference.get('pyannote_sample') ?? [...reference.values()][0]!,
      turnsOf(t),
      {
        collarSeconds: 0.25,
      },
    );
    assert.ok(der.der < 0.35, `DER ${der.der.toFixed(3)} (word-level turns from sphinx) < 0.35`);
  });

  it('gives exactly the number of speakers asked for', async () => {
    for (const expected of [2, 3]) {
      const t = await client.transcripts.transcribe(
        { audio_url: uploaded, speaker_labels: true, speakers_expected: expected },
        POLL,
      );
      assert.equal(t.status, 'completed', t.error);
      assert.equal(t.speakers_expected, expected);
      assert.equal(new Set(t.words!.map((w) => w.speaker)).size, expected);
    }
  });

  it('transcribes each channel on its own and interleaves the utterances by time', async () => {
    const t = await client.transcripts.transcribe({ audio: stereo, multichannel: true }, POLL);
    assert.equal(t.status, 'completed', t.error);
    assert.equal(t.audio_channels, 2);
    assert.equal(t.multichannel, true);
    const channels = new Set(t.words!.map((w) => w.channel));
    assert.deepEqual([...channels].sort(), ['1', '2']);
    for (const w of t.words!) assert.equal(w.speaker, w.channel, 'multichannel speaker is the channel');
    const starts = t.utterances!.map((u) => u.start);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
    const normalize = createEnglishNormalizer(
      await loadSpellingMap(path.join(WHISPER_DATA_DIR, 'english.json')),
    );
    const textOf = (channel: string): string =>
      t
        .words!.filter((w) => w.channel === channel)
        .map((w) => w.text)
        .join(' ');
    const left = await readFile(path.join(MULTISPEAKER_DIR, 'fw_stereo_diarization.left.txt'), 'utf8');
    const right = await readFile(path.join(MULTISPEAKER_DIR, 'fw_stereo_diarization.right.txt'), 'utf8');
    const wer = wordErrorRate(
      [
        { reference: left, hypothesis: textOf('1') },
        { reference: right, hypothesis: textOf('2') },
      ],
      normalize,
    );
    // Each channel's words come from its own speaker: a swapped or mixed channel would score ~1.
    assert.ok(wer.wer < 0.6, `per-channel WER ${wer.wer.toFixed(3)}`);
  });

  it('labels channel and speaker together ("1A") when both are asked, and accepts dual_channel', async () => {
    const t = await client.transcripts.transcribe(
      { audio: stereo, dual_channel: true, speaker_labels: true },
      POLL,
    );
    assert.equal(t.status, 'completed', t.error);
    for (const w of t.words!) assert.match(w.speaker ?? '', new RegExp(`^${w.channel}[A-Z]$`));
  });
});
