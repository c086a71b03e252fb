import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { MULTISPEAKER_DIR, speechFile } from '../../test/helpers/shared-data.js';
import { loadConfig } from '../config/config.js';
import { EarshotError } from '../domain/errors.js';
import { type DecodeOptions, formatDurationForPeople, MediaTool } from './media-tool.js';
import { pcmSampleCount, readPcmSlice } from './pcm-file.js';

const run = promisify(execFile);
const tools = loadConfig().tools;
const media = new MediaTool({ ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe });

const LJ = 'LJ001-0001';
const STEREO = path.join(MULTISPEAKER_DIR, 'fw_stereo_diarization.wav');
const FLOAT_WAV = path.join(MULTISPEAKER_DIR, 'ami_pyannote_tst00.wav');

/** A fresh directory for one test, removed when the test ends. */
async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-media-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs ffmpeg to make a test input (never committed: always generated into a temp dir). */
async function ffmpeg(...args: string[]): Promise<void> {
  await run(tools.ffmpeg, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

async function decode(
  t: TestContext,
  input: string,
  options: DecodeOptions = {},
): Promise<{ samples: Float32Array; durationMs: number; outPath: string }> {
  const outPath = path.join(await tempDir(t), 'out.f32');
  const result = await media.decodeToPcm(input, outPath, options);
  assert.equal(await pcmSampleCount(outPath), result.samples);
  return { samples: await readPcmSlice(outPath, 0, result.samples), durationMs: result.durationMs, outPath };
}

async function rejection(promise: Promise<unknown>): Promise<EarshotError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EarshotError, `expected an EarshotError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

function correlation(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Interleaved 16-bit samples of a plain 44-byte-header WAV, as floats the way ffmpeg scales them. */
function wavInt16Channel(file: string, channel: number, channels: number): Float32Array {
  const bytes = readFileSync(file);
  assert.equal(bytes.toString('latin1', 36, 40), 'data', 'fixture must be a plain 44-byte-header WAV');
  const frames = bytes.readUInt32LE(40) / 2 / channels;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = bytes.readInt16LE(44 + (i * channels + channel) * 2) / 32768;
  return out;
}

/** Deterministic bytes (mulberry32), so a "random" file is the same on every run. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let a = seed;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    out[i] = ((x ^ (x >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

async function cutInHalf(source: string, target: string): Promise<void> {
  const bytes = await readFile(source);
  await writeFile(target, bytes.subarray(0, Math.floor(bytes.length / 2)));
}

/** PIDs of live processes whose command line mentions `needle` (Linux /proc). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

describe('MediaTool.probe', () => {
  // Values measured with ffprobe 5.1 on the shared files.
  const cases = [
    { file: speechFile(`${LJ}.wav`), format: 'wav', codec: 'pcm_s16le', rate: 22050, channels: 1, ms: 9655 },
    { file: speechFile(`${LJ}.flac`), format: 'flac', codec: 'flac', rate: 22050, channels: 1, ms: 9655 },
    // The MP3's Xing/LAME header counts the encoder's delay and padding: 62 ms more than the audio.
    { file: speechFile(`${LJ}.mp3`), format: 'mp3', codec: 'mp3', rate: 22050, channels: 1, ms: 9718 },
    {
      file: speechFile('beckett.wav'),
      format: 'wav',
      codec: 'pcm_s16le',
      rate: 16000,
      channels: 1,
      ms: 9963,
    },
    {
      file: speechFile('1089-134686-0000.flac'),
      format: 'flac',
      codec: 'flac',
      rate: 16000,
      channels: 1,
      ms: 10435,
    },
    { file: speechFile('jfk.flac'), format: 'flac', codec: 'flac', rate: 44100, channels: 2, ms: 11000 },
    { file: FLOAT_WAV, format: 'wav', codec: 'pcm_f32le', rate: 16000, channels: 1, ms: 30000 },
    { file: STEREO, format: 'wav', codec: 'pcm_s16le', rate: 16000, channels: 2, ms: 5000 },
  ];
  for (const c of cases) {
    test(`reads ${path.basename(c.file)}`, async () => {
      const info = await media.probe(c.file);
      assert.deepEqual(info, {
        durationMs: c.ms,
        durationEstimated: false,
        formatName: c.format,
        audioStreams: [
          { index: 0, codec: c.codec, sampleRate: c.rate, channels: c.channels, durationMs: c.ms },
        ],
        hasVideo: false,
        sizeBytes: (await stat(c.file)).size,
      });
    });
  }

  test('a video with a shorter audio track: file duration from the container, audio duration per stream', async (t) => {
    const file = path.join(await tempDir(t), 'clip.mp4');
    await ffmpeg(
      ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=8'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=48000:duration=3'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file],
    );
    const info = await media.probe(file);
    assert.equal(info.hasVideo, true);
    assert.equal(info.durationMs, 8000);
    assert.equal(info.formatName, 'mov,mp4,m4a,3gp,3g2,mj2');
    assert.deepEqual(info.audioStreams, [
      { index: 1, codec: 'aac', sampleRate: 48000, channels: 1, durationMs: 3000 },
    ]);
  });

  test('cover art in an MP3 is not video', async (t) => {
    const dir = await tempDir(t);
    const cover = path.join(dir, 'cover.png');
    const file = path.join(dir, 'with-cover.mp3');
    await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=32x32', '-frames:v', '1', cover);
    await ffmpeg(
      ...['-i', speechFile(`${LJ}.mp3`), '-i', cover, '-map', '0', '-map', '1', '-c', 'copy'],
      ...['-disposition:v', 'attached_pic', file],
    );
    const info = await media.probe(file);
    assert.equal(info.hasVideo, false);
    assert.equal(info.audioStreams.length, 1);
    assert.equal(info.durationMs, 9718);
  });

  test('WebM written to a pipe has no duration: reported as unknown, not guessed', async (t) => {
    const file = path.join(await tempDir(t), 'live.webm');
    await run('sh', [
      '-c',
      `"${tools.ffmpeg}" -nostdin -loglevel error -i "${speechFile(`${LJ}.wav`)}" -c:a libopus -f webm - > "${file}"`,
    ]);
    const info = await media.probe(file);
    assert.equal(info.durationMs, null);
    assert.equal(info.durationEstimated, false);
    assert.equal(info.formatName, 'matroska,webm');
    // Still decodable, to the exact length of the source.
    const decoded = await decode(t, file, { info });
    assert.equal(decoded.samples.length, 154481);
  });

  test('raw ADTS AAC has no duration header: the bitrate estimate is flagged as such', async (t) => {
    const file = path.join(await tempDir(t), 'raw.aac');
    await ffmpeg('-i', speechFile(`${LJ}.wav`), '-c:a', 'aac', '-f', 'adts', file);
    const info = await media.probe(file);
    assert.equal(info.formatName, 'aac');
    assert.equal(info.durationEstimated, true);
    // The guess is 3 % long here (9.946 s for 9.655 s of audio): why it is flagged.
    assert.equal(info.durationMs, 9946);
  });

  test('a file named like an option or a protocol is read as a plain file', async (t) => {
    const file = path.join(await tempDir(t), '-i concat:x|y ?#1.wav');
    await copyFile(speechFile(`${LJ}.wav`), file);
    assert.equal((await media.probe(file)).durationMs, 9655);
    assert.equal((await decode(t, file)).samples.length, 154481);
  });

  describe('rejections a person can understand', () => {
    const notMedia = (kind?: string): string =>
      `The file is not audio or video that can be decoded${kind ? ` (it looks like ${kind})` : ''}.`;

    const cases: { name: string; content: () => Buffer | string; message: string }[] = [
      { name: 'empty.wav', content: () => '', message: 'The file is empty (0 bytes).' },
      {
        name: 'notes.txt',
        content: () => 'Meeting notes\nAlice: hello\nBob: hi — café ☕\n',
        message: notMedia('a text file'),
      },
      {
        name: 'page.mp3',
        content: () => '<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>',
        message: notMedia('an HTML web page'),
      },
      { name: 'reply.wav', content: () => '{"error":"quota exceeded"}', message: notMedia('JSON data') },
      {
        name: 'doc.m4a',
        content: () => '%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n',
        message: notMedia('a PDF document'),
      },
      {
        name: 'bundle.ogg',
        content: () => Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]),
        message: notMedia('a ZIP archive or an Office document'),
      },
      { name: 'noise.mp3', content: () => pseudoRandomBytes(65536, 42), message: notMedia() },
      { name: 'noise2.bin', content: () => pseudoRandomBytes(4096, 7), message: notMedia() },
    ];
    for (const c of cases) {
      test(c.name, async (t) => {
        const file = path.join(await tempDir(t), c.name);
        await writeFile(file, c.content());
        const error = await rejection(media.probe(file));
        assert.equal(error.code, 'invalidAudio');
        assert.equal(error.message, c.message);
      });
    }

    test('a PNG image', async (t) => {
      const file = path.join(await tempDir(t), 'photo.png');
      await ffmpeg('-f', 'lavfi', '-i', 'color=c=blue:s=64x48', '-frames:v', '1', file);
      const error = await rejection(media.probe(file));
      assert.equal(error.message, notMedia('a PNG image'));
    });

    test('a BMP image (no magic bytes we know: ffprobe reads it as one-frame video)', async (t) => {
      const file = path.join(await tempDir(t), 'picture.bmp');
      await ffmpeg('-f', 'lavfi', '-i', 'color=c=blue:s=64x48', '-frames:v', '1', file);
      const error = await rejection(media.probe(file));
      assert.equal(error.message, notMedia('an image'));
    });

    test('a playlist naming a real file on this server is refused, never followed', async (t) => {
      const dir = await tempDir(t);
      const playlist = path.join(dir, 'upload.m3u8');
      await writeFile(
        playlist,
        `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:9.6,\n${speechFile(`${LJ}.wav`)}\n#EXT-X-ENDLIST\n`,
      );
      const error = await rejection(media.probe(playlist));
      assert.equal(error.message, notMedia('a playlist (upload the media file itself, not a playlist)'));
      const decodeError = await rejection(media.decodeToPcm(playlist, path.join(dir, 'out.f32')));
      assert.equal(decodeError.message, error.message);
      assert.equal(existsSync(path.join(dir, 'out.f32')), false);
    });

    test('a video without audio', async (t) => {
      const file = path.join(await tempDir(t), 'silent-film.mp4');
      await ffmpeg(
        ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=3'],
        ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', file],
      );
      const error = await rejection(media.probe(file));
      assert.equal(error.code, 'invalidAudio');
      assert.equal(error.message, 'The file contains video but no audio track.');
    });

    test('a WAV with a header and no samples lasts 0 seconds', async (t) => {
      const file = path.join(await tempDir(t), 'nothing.wav');
      await ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '0', '-c:a', 'pcm_s16le', file);
      assert.equal((await stat(file)).size, 78);
      const error = await rejection(media.probe(file));
      assert.equal(error.message, 'The audio track is empty: it lasts 0 seconds.');
    });

    test('an MP4 cut off before its index (moov atom at the end)', async (t) => {
      const dir = await tempDir(t);
      const whole = path.join(dir, 'whole.m4a');
      const cut = path.join(dir, 'cut.m4a');
      await ffmpeg('-i', speechFile(`${LJ}.wav`), '-c:a', 'aac', whole);
      await cutInHalf(whole, cut);
      const error = await rejection(media.probe(cut));
      assert.equal(
        error.message,
        'The file looks like an MP4/M4A/MOV file but it is incomplete: its index (the "moov" atom) is missing, ' +
          'which usually means the upload or recording was cut off.',
      );
    });

    test('an ID3 tag with no MP3 frames after it', async (t) => {
      const file = path.join(await tempDir(t), 'tag-only.mp3');
      await ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '0', '-c:a', 'libmp3lame', file);
      const error = await rejection(media.probe(file));
      assert.equal(error.message, 'The file looks like an MP3 file but it is damaged and cannot be read.');
    });
  });

  test('a complete PCM WAV is described from its header, exactly as ffprobe would', async () => {
    const noProbe = new MediaTool({ ffmpeg: tools.ffmpeg, ffprobe: '/nonexistent/ffprobe' });
    for (const file of [speechFile(`${LJ}.wav`), path.join(MULTISPEAKER_DIR, 'ami_pyannote_tst00.wav')]) {
      const fast = await noProbe.probe(file);
      const slow = await media.probe(file);
      assert.equal(fast.durationMs, slow.durationMs);
      assert.deepEqual(
        fast.audioStreams.map(({ codec, sampleRate, channels }) => ({ codec, sampleRate, channels })),
        slow.audioStreams.map(({ codec, sampleRate, channels }) => ({ codec, sampleRate, channels })),
      );
      assert.equal(fast.hasVideo, false);
    }
  });

  test('a missing file is a server-side error, not the uploader’s', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(media.probe(path.join(dir, 'gone.wav')), { code: 'ENOENT' });
  });

  test('a wrong ffprobe path fails with an internal error naming the tool', async () => {
    const broken = new MediaTool({ ffmpeg: tools.ffmpeg, ffprobe: '/nonexistent/ffprobe' });
    // FLAC: a complete PCM WAV is read from its header without ffprobe.
    const error = await rejection(broken.probe(speechFile(`${LJ}.flac`)));
    assert.equal(error.code, 'internal');
    assert.equal(error.message, 'The media tool "/nonexistent/ffprobe" could not be started (ENOENT).');
  });
});

describe('MediaTool.decodeToPcm', () => {
  // Expected counts: the source's sample count × 16000 / rate, rounded up (ffmpeg keeps a partial
  // last sample). E.g. LJ001-0001 holds 212 893 samples at 22 050 Hz → 154 480.2 → 154 481.
  const cases = [
    { name: `${LJ}.wav`, file: speechFile(`${LJ}.wav`), samples: 154481, seconds: 9.655011 },
    { name: `${LJ}.flac`, file: speechFile(`${LJ}.flac`), samples: 154481, seconds: 9.655011 },
    // LAME's gapless header lets ffmpeg drop the encoder delay and padding: same count as the WAV.
    { name: `${LJ}.mp3`, file: speechFile(`${LJ}.mp3`), samples: 154481, seconds: 9.655011 },
    { name: 'beckett.wav', file: speechFile('beckett.wav'), samples: 159414, seconds: 9.963375 },
    {
      name: '1089-134686-0000.flac',
      file: speechFile('1089-134686-0000.flac'),
      samples: 166960,
      seconds: 10.435,
    },
    { name: 'jfk.flac (44.1 kHz stereo 24-bit)', file: speechFile('jfk.flac'), samples: 176000, seconds: 11 },
    { name: 'jfk.wav', file: speechFile('jfk.wav'), samples: 176000, seconds: 11 },
    { name: 'ami float32 wav', file: FLOAT_WAV, samples: 480001, seconds: 30.000063 },
  ];
  for (const c of cases) {
    test(`decodes ${c.name} to exactly ${c.samples} samples at 16 kHz`, async (t) => {
      const decoded = await decode(t, c.file);
      assert.equal(decoded.samples.length, c.samples);
      assert.ok(Math.abs(decoded.samples.length - c.seconds * 16000) <= 1);
      assert.equal(decoded.durationMs, Math.round(c.samples / 16));
    });
  }

  test('a 16 kHz mono WAV comes out as its own samples, bit for bit', async (t) => {
    const file = speechFile('beckett.wav');
    const decoded = await decode(t, file);
    assert.equal(maxAbsDiff(decoded.samples, wavInt16Channel(file, 0, 1)), 0);
  });

  test('jfk.flac (44.1 kHz stereo 24-bit) becomes the same 16 kHz mono audio as jfk.wav', async (t) => {
    const fromFlac = await decode(t, speechFile('jfk.flac'));
    const fromWav = await decode(t, speechFile('jfk.wav'));
    assert.equal(fromFlac.samples.length, fromWav.samples.length);
    // Measured 0.99999999998: same recording, resampled and downmixed without a level change.
    assert.ok(correlation(fromFlac.samples, fromWav.samples) > 0.99999);
    assert.ok(maxAbsDiff(fromFlac.samples, fromWav.samples) < 0.002);
  });

  describe('trimming', () => {
    const sources = [
      `${LJ}.wav`,
      `${LJ}.flac`,
      `${LJ}.mp3`,
      'jfk.flac',
      // Generated, lossy: the formats whose seeking ffmpeg gets wrong by a few samples.
      'ogg:libopus',
      'webm:libopus',
      'ogg:libvorbis',
      'm4a:aac',
    ];
    // [startMs, endMs]: whole and odd milliseconds, cuts before 1 s, open-ended cuts.
    const ranges: [number, number | undefined][] = [
      [2500, 5000],
      [500, 3000],
      [0, 4000],
      [3001, undefined],
      [7777, 9000],
    ];
    for (const source of sources) {
      test(`${source}: every cut equals the same range of the full decode`, async (t) => {
        let file = speechFile(source);
        if (source.includes(':')) {
          const [ext = '', codec = ''] = source.split(':');
          file = path.join(await tempDir(t), `lj.${ext}`);
          await ffmpeg('-i', speechFile(`${LJ}.wav`), '-c:a', codec, file);
        }
        const info = await media.probe(file);
        const full = await decode(t, file, { info });
        for (const [startMs, endMs] of ranges) {
          const cut = await decode(t, file, { startMs, endMs, info });
          const expected = (endMs === undefined ? full.samples.length : endMs * 16) - startMs * 16;
          assert.equal(cut.samples.length, expected, `[${startMs}, ${endMs}) sample count`);
          const reference = full.samples.subarray(startMs * 16, startMs * 16 + expected);
          // Measured 0 for every format: the cut is made on 16 kHz sample counts, after decoding.
          assert.ok(maxAbsDiff(cut.samples, reference) <= 1e-6, `[${startMs}, ${endMs}) content`);
        }
      });
    }

    test('an end past the end of the audio decodes to the end', async (t) => {
      const cut = await decode(t, speechFile(`${LJ}.wav`), { startMs: 9000, endMs: 60_000 });
      assert.equal(cut.samples.length, 154481 - 9000 * 16);
    });

    test('a start past the end is refused before decoding', async (t) => {
      const dir = await tempDir(t);
      const error = await rejection(
        media.decodeToPcm(speechFile(`${LJ}.wav`), path.join(dir, 'out.f32'), { startMs: 9655 }),
      );
      assert.equal(error.code, 'badRequest');
      assert.equal(error.message, 'The requested start (9.7 s) is at or past the end of the audio (9.7 s).');
    });

    test('a start past the end of audio of unknown length', async (t) => {
      const dir = await tempDir(t);
      const file = path.join(dir, 'live.webm');
      await run('sh', [
        '-c',
        `"${tools.ffmpeg}" -nostdin -loglevel error -i "${speechFile(`${LJ}.wav`)}" -c:a libopus -f webm - > "${file}"`,
      ]);
      const error = await rejection(media.decodeToPcm(file, path.join(dir, 'out.f32'), { startMs: 20_000 }));
      assert.equal(error.code, 'badRequest');
      assert.equal(error.message, 'The requested start (20.0 s) is at or past the end of the audio.');
      assert.equal(existsSync(path.join(dir, 'out.f32')), false);
    });

    test('an end before the start is refused', async (t) => {
      const dir = await tempDir(t);
      const error = await rejection(
        media.decodeToPcm(speechFile(`${LJ}.wav`), path.join(dir, 'out.f32'), { startMs: 3000, endMs: 3000 }),
      );
      assert.equal(error.code, 'badRequest');
    });
  });

  describe('channels', () => {
    test('left, right and mix of a two-speaker stereo file', async (t) => {
      const left = await decode(t, STEREO, { channel: 0 });
      const right = await decode(t, STEREO, { channel: 1 });
      const mix = await decode(t, STEREO, { channel: 'mix' });
      assert.equal(left.samples.length, 80000);
      assert.equal(right.samples.length, 80000);
      assert.equal(mix.samples.length, 80000);
      // The file is 16 kHz: each channel comes out as the file's own samples.
      assert.equal(maxAbsDiff(left.samples, wavInt16Channel(STEREO, 0, 2)), 0);
      assert.equal(maxAbsDiff(right.samples, wavInt16Channel(STEREO, 1, 2)), 0);
      // One speaker per channel: the channels are unrelated (measured correlation -0.006).
      assert.ok(Math.abs(correlation(left.samples, right.samples)) < 0.05);
      assert.ok(maxAbsDiff(left.samples, right.samples) > 0.1);
      // The mix is the plain average, not ffmpeg's 0.707 · (L + R).
      const average = left.samples.map((l, i) => (l + (right.samples[i] ?? 0)) / 2);
      assert.ok(maxAbsDiff(mix.samples, average) < 1e-6);
      assert.ok(maxAbsDiff(mix.samples, left.samples) > 0.1);
      assert.ok(maxAbsDiff(mix.samples, right.samples) > 0.1);
    });

    test('a channel the file does not have', async (t) => {
      const dir = await tempDir(t);
      const error = await rejection(media.decodeToPcm(STEREO, path.join(dir, 'out.f32'), { channel: 2 }));
      assert.equal(error.code, 'badRequest');
      assert.equal(error.message, 'Channel 2 does not exist: the audio has 2 channels, numbered from 0.');
    });

    test('four channels with no layout are mixed down', async (t) => {
      const file = path.join(await tempDir(t), 'quad.wav');
      await ffmpeg(
        ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'],
        ...['-af', 'pan=4c|c0=c0|c1=c0|c2=c0|c3=c0', '-c:a', 'pcm_s16le', file],
      );
      const info = await media.probe(file);
      assert.equal(info.audioStreams[0]?.channels, 4);
      const mix = await decode(t, file, { info });
      assert.equal(mix.samples.length, 32000);
      const third = await decode(t, file, { channel: 3 });
      assert.ok(correlation(mix.samples, third.samples) > 0.999);
    });
  });

  describe('generated formats', () => {
    // Each is made from LJ001-0001.wav (154 481 samples at 16 kHz) and must decode to the same audio.
    const formats = [
      { name: 'm4a (AAC)', file: 'lj.m4a', args: ['-c:a', 'aac', '-b:a', '64k'] },
      { name: 'ogg (Opus)', file: 'lj.ogg', args: ['-c:a', 'libopus', '-b:a', '32k'] },
      { name: 'webm (Opus)', file: 'lj.webm', args: ['-c:a', 'libopus', '-b:a', '32k'] },
      {
        name: 'mp4 video with AAC audio',
        file: 'lj.mp4',
        args: [
          ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=10'],
          ...[
            '-map',
            '1:v',
            '-map',
            '0:a',
            '-shortest',
            '-c:v',
            'libx264',
            '-pix_fmt',
            'yuv420p',
            '-c:a',
            'aac',
          ],
        ],
      },
    ];
    for (const f of formats) {
      test(f.name, async (t) => {
        const file = path.join(await tempDir(t), f.file);
        await ffmpeg('-i', speechFile(`${LJ}.wav`), ...f.args, file);
        const reference = await decode(t, speechFile(`${LJ}.wav`));
        const decoded = await decode(t, file);
        // Opus restores the exact length; MP4 keeps AAC's padding to whole 1024-sample frames
        // (at most 743 samples at 16 kHz; measured 72).
        assert.ok(decoded.samples.length >= 154481 && decoded.samples.length <= 154481 + 743);
        if (f.file.endsWith('.ogg') || f.file.endsWith('.webm')) assert.equal(decoded.samples.length, 154481);
        // Lossy, but aligned with the original: measured 0.988 (Opus 32k) to 0.999 (AAC 64k).
        assert.ok(correlation(decoded.samples, reference.samples) > 0.98);
      });
    }

    test('a video whose audio track is shorter than the video is not "truncated"', async (t) => {
      const file = path.join(await tempDir(t), 'clip.mp4');
      await ffmpeg(
        ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=8'],
        ...['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=48000:duration=3'],
        ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file],
      );
      const decoded = await decode(t, file);
      assert.ok(decoded.samples.length >= 48000 && decoded.samples.length <= 48000 + 341);
    });
  });

  describe('truncated files', () => {
    const truncatedMessage = (should: string, could: string): string =>
      `The audio appears to be truncated or corrupt: it should last ${should} but only ${could} could be decoded.`;

    // What ffmpeg 5.1 does with each, measured: the WAV decodes cleanly to the cut length (ffprobe
    // even reports the cut length), so only our reading of the RIFF header knows it is short; the
    // MP3's LAME header keeps the full frame count while the decode stops silently; FLAC's
    // STREAMINFO keeps the full length and the decoder reports "invalid residual" on the cut frame;
    // WebM keeps its duration element and the demuxer reports "File ended prematurely".
    const cases = [
      { source: speechFile(`${LJ}.wav`), name: 'cut.wav', message: truncatedMessage('9.7 s', '4.8 s') },
      { source: speechFile(`${LJ}.mp3`), name: 'cut.mp3', message: truncatedMessage('9.7 s', '4.8 s') },
      { source: speechFile(`${LJ}.flac`), name: 'cut.flac', message: truncatedMessage('9.7 s', '4.7 s') },
      { source: speechFile('jfk.flac'), name: 'cut-jfk.flac', message: truncatedMessage('11.0 s', '5.4 s') },
    ];
    for (const c of cases) {
      test(`${path.basename(c.source)} cut in half`, async (t) => {
        const dir = await tempDir(t);
        const file = path.join(dir, c.name);
        await cutInHalf(c.source, file);
        const outPath = path.join(dir, 'out.f32');
        const error = await rejection(media.decodeToPcm(file, outPath));
        assert.equal(error.code, 'invalidAudio');
        assert.equal(error.message, c.message);
        assert.equal(existsSync(outPath), false, 'the partial output is removed');
      });
    }

    // Generated by the encoder here, so the decodable part varies a little with its version.
    const generated = [
      { name: 'webm (Opus)', file: 'lj.webm', args: ['-c:a', 'libopus'] },
      {
        name: 'm4a with its index first (faststart)',
        file: 'lj.m4a',
        args: ['-c:a', 'aac', '-movflags', '+faststart'],
      },
    ];
    for (const g of generated) {
      test(`${g.name} cut in half`, async (t) => {
        const dir = await tempDir(t);
        const whole = path.join(dir, g.file);
        const cut = path.join(dir, `cut-${g.file}`);
        await ffmpeg('-i', speechFile(`${LJ}.wav`), ...g.args, whole);
        await cutInHalf(whole, cut);
        const error = await rejection(media.decodeToPcm(cut, path.join(dir, 'out.f32')));
        assert.match(
          error.message,
          /^The audio appears to be truncated or corrupt: it should last 9\.7 s but only 4\.\d s could be decoded\.$/,
        );
      });
    }

    test('a truncated long MP3 without decode errors, reported in minutes', async (t) => {
      const dir = await tempDir(t);
      const whole = path.join(dir, 'long.mp3');
      const cut = path.join(dir, 'cut.mp3');
      await ffmpeg(
        '-stream_loop',
        '69',
        '-i',
        speechFile(`${LJ}.wav`),
        '-c:a',
        'libmp3lame',
        '-q:a',
        '6',
        whole,
      );
      await cutInHalf(whole, cut);
      const error = await rejection(media.decodeToPcm(cut, path.join(dir, 'out.f32')));
      assert.match(
        error.message,
        /^The audio appears to be truncated or corrupt: it should last 11 min 16 s but only 5 min \d\d s could be decoded\.$/,
      );
    });

    test('the truncation is judged on the requested part', async (t) => {
      const dir = await tempDir(t);
      const file = path.join(dir, 'cut.flac');
      await cutInHalf(speechFile(`${LJ}.flac`), file);
      // Inside the part that survived: fine.
      const early = await decode(t, file, { startMs: 1000, endMs: 4000 });
      assert.equal(early.samples.length, 48000);
      const error = await rejection(
        media.decodeToPcm(file, path.join(dir, 'out.f32'), { startMs: 1000, endMs: 9000 }),
      );
      assert.equal(
        error.message,
        'The audio appears to be truncated or corrupt: the requested part should last 8.0 s but only 3.7 s could be decoded.',
      );
    });

    // Not detectable, measured: these formats have no length header, so the length ffprobe reports
    // is that of what is left, and the cut decodes without any error. The decode succeeds with
    // the shorter audio; these tests pin that down so a change in ffmpeg is noticed.
    const undetectable = [
      { name: 'ogg (Opus): duration comes from the last page', file: 'lj.ogg', args: ['-c:a', 'libopus'] },
      { name: 'ogg (Vorbis): same', file: 'lj.oga', args: ['-c:a', 'libvorbis', '-f', 'ogg'] },
      {
        name: 'raw ADTS AAC: duration estimated from the size',
        file: 'lj.aac',
        args: ['-c:a', 'aac', '-f', 'adts'],
      },
    ];
    for (const u of undetectable) {
      test(`undetectable: ${u.name}`, async (t) => {
        const dir = await tempDir(t);
        const whole = path.join(dir, u.file);
        const cut = path.join(dir, `cut-${u.file}`);
        await ffmpeg('-i', speechFile(`${LJ}.wav`), ...u.args, whole);
        await cutInHalf(whole, cut);
        const decoded = await decode(t, cut);
        assert.ok(decoded.samples.length > 0.35 * 154481 && decoded.samples.length < 0.65 * 154481);
      });
    }
  });

  describe('ffmpeg failures', () => {
    test('a non-zero exit becomes invalidAudio with the last meaningful stderr line', async (t) => {
      const dir = await tempDir(t);
      // A stand-in for ffmpeg that fails the way a real decode failure does; the real ffmpeg's
      // failures on real files are covered above. This pins the message clean-up.
      const fake = path.join(dir, 'ffmpeg');
      await writeFile(
        fake,
        '#!/bin/sh\n' +
          'echo "[mp3float @ 0x55d0c0ffee00] Header missing" >&2\n' +
          'echo "Error while decoding stream #0:0: Invalid data found when processing input" >&2\n' +
          'echo "Conversion failed!" >&2\n' +
          'exit 1\n',
      );
      await chmod(fake, 0o755);
      const failing = new MediaTool({ ffmpeg: fake, ffprobe: tools.ffprobe });
      const outPath = path.join(dir, 'out.f32');
      await writeFile(outPath, 'stale');
      const error = await rejection(failing.decodeToPcm(speechFile(`${LJ}.mp3`), outPath));
      assert.equal(error.code, 'invalidAudio');
      assert.equal(
        error.message,
        'The audio could not be decoded: Error while decoding stream #0:0: Invalid data found when processing input.',
      );
      assert.equal(existsSync(outPath), false);
    });

    test('probe info from another file: the real ffmpeg fails and says why', async (t) => {
      const dir = await tempDir(t);
      const video = path.join(dir, 'silent.mp4');
      await ffmpeg(
        ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=1'],
        ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', video],
      );
      const info = await media.probe(speechFile(`${LJ}.wav`));
      const error = await rejection(media.decodeToPcm(video, path.join(dir, 'out.f32'), { info }));
      assert.equal(error.code, 'invalidAudio');
      assert.equal(error.message, "The audio could not be decoded: Stream map '0:a:0' matches no streams.");
    });
  });
});

describe('MediaTool with an hour of audio', () => {
  let dir = '';
  let hour = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-media-hour-'));
    hour = path.join(dir, 'hour.ogg');
    // Opus at low complexity encodes an hour in ~5 s; a speech loop would take minutes.
    await ffmpeg(
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=3600'],
      ...['-c:a', 'libopus', '-b:a', '8k', '-application', 'voip', '-compression_level', '0', hour],
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('decodes one hour with flat memory, exact length and steady progress', async (t) => {
    const outPath = path.join(await tempDir(t), 'hour.f32');
    const progress: number[] = [];
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    let result;
    try {
      result = await media.decodeToPcm(hour, outPath, { onProgress: (ms) => progress.push(ms) });
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    t.diagnostic(
      `1 h of Opus decoded in ${seconds.toFixed(1)} s; RSS grew ${((peak - baseline) / 2 ** 20).toFixed(1)} MB`,
    );

    assert.equal(result.samples, 3600 * 16000);
    assert.equal(result.durationMs, 3_600_000);
    assert.equal((await stat(outPath)).size, 3600 * 16000 * 4);
    // The 230 MB of samples go from ffmpeg to the file, never through this process.
    assert.ok(peak - baseline < 50 * 2 ** 20, `RSS grew by ${peak - baseline} bytes`);
    assert.ok(progress.length >= 2, `progress reported ${progress.length} times`);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
    assert.ok((progress.at(-1) ?? 0) >= 3_500_000 && (progress.at(-1) ?? 0) <= 3_600_000);
    // Spot check: the sine is at full scale 1/8 (lavfi's default amplitude) everywhere, the end included.
    const tail = await readPcmSlice(outPath, result.samples - 16000, result.samples);
    const peakAmplitude = tail.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    assert.ok(peakAmplitude > 0.1 && peakAmplitude < 0.15, `tail peak ${peakAmplitude}`);
  });

  test('a cut 59 minutes in is exact without decoding into memory', async (t) => {
    const cut = await decode(t, hour, { startMs: 59 * 60_000, endMs: 59 * 60_000 + 2500 });
    assert.equal(cut.samples.length, 40000);
  });

  test('aborting kills ffmpeg, rejects with cancelled and removes the partial output', async (t) => {
    const outPath = path.join(await tempDir(t), 'aborted.f32');
    const controller = new AbortController();
    let abortedAt = 0;
    let runningAtAbort: number[] = [];
    const decoding = media.decodeToPcm(hour, outPath, {
      signal: controller.signal,
      onProgress: (ms) => {
        if (ms > 0 && abortedAt === 0) {
          abortedAt = performance.now();
          runningAtAbort = processesMentioning(outPath);
          controller.abort();
        }
      },
    });
    const error = await rejection(decoding);
    assert.equal(error.code, 'cancelled');
    assert.equal(error.message, 'Cancelled while running ffmpeg.');
    assert.equal(runningAtAbort.length, 1, 'ffmpeg was running when the signal fired');
    assert.ok(performance.now() - abortedAt < 1000, 'rejects promptly');
    assert.deepEqual(processesMentioning(outPath), [], 'no ffmpeg left behind');
    assert.equal(existsSync(outPath), false);
  });

  test('a progress callback that throws stops ffmpeg and fails the decode with its error', async (t) => {
    const outPath = path.join(await tempDir(t), 'progress-broke.f32');
    const broken = new Error('progress store is down');
    await assert.rejects(
      media.decodeToPcm(hour, outPath, {
        onProgress: () => {
          throw broken;
        },
      }),
      (error) => error === broken,
    );
    assert.deepEqual(processesMentioning(outPath), []);
    assert.equal(existsSync(outPath), false);
  });

  test('an abort whose reason is an EarshotError (a deadline) rejects with that error', async (t) => {
    const outPath = path.join(await tempDir(t), 'late.f32');
    const timeout = new EarshotError('timeout', 'The job took longer than its deadline.');
    const error = await rejection(media.decodeToPcm(hour, outPath, { signal: abortSoon(timeout) }));
    assert.equal(error, timeout);
    assert.deepEqual(processesMentioning(outPath), []);
  });

  test('an already aborted signal starts nothing', async (t) => {
    const outPath = path.join(await tempDir(t), 'never.f32');
    const error = await rejection(media.decodeToPcm(hour, outPath, { signal: AbortSignal.abort() }));
    assert.equal(error.code, 'cancelled');
    assert.equal(error.message, 'Cancelled while decoding the audio.');
    assert.equal(existsSync(outPath), false);
  });
});

/** A signal that aborts with `reason` 200 ms after it is made (ffmpeg is running by then). */
function abortSoon(reason: unknown): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), 200);
  return controller.signal;
}

test('formatDurationForPeople', () => {
  assert.equal(formatDurationForPeople(61_000), '61.0 s');
  assert.equal(formatDurationForPeople(30_249), '30.2 s');
  assert.equal(formatDurationForPeople(599_940), '599.9 s');
  assert.equal(formatDurationForPeople(676_000), '11 min 16 s');
  assert.equal(formatDurationForPeople(3_725_400), '1 h 02 min 05 s');
});
