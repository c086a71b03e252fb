import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { encodeWav16 } from './wav-encode.js';

describe('encodeWav16', () => {
  it('writes a canonical 44-byte header and little-endian 16-bit samples', () => {
    const wav = encodeWav16(new Float32Array([0, 0.5, -0.5, 1, -1]), 16_000);
    assert.equal(wav.length, 44 + 10);
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(4), 36 + 10);
    assert.equal(wav.toString('ascii', 8, 16), 'WAVEfmt ');
    assert.equal(wav.readUInt32LE(16), 16);
    assert.equal(wav.readUInt16LE(20), 1);
    assert.equal(wav.readUInt16LE(22), 1);
    assert.equal(wav.readUInt32LE(24), 16_000);
    assert.equal(wav.readUInt32LE(28), 32_000);
    assert.equal(wav.readUInt16LE(32), 2);
    assert.equal(wav.readUInt16LE(34), 16);
    assert.equal(wav.toString('ascii', 36, 40), 'data');
    assert.equal(wav.readUInt32LE(40), 10);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => wav.readInt16LE(44 + i * 2)),
      [0, 16384, -16383, 32767, -32767], // ±16383.5 rounds up,
    );
  });

  it('clips out-of-range samples and silences NaN', () => {
    const wav = encodeWav16(new Float32Array([2, -3, Number.NaN]), 8_000);
    assert.deepEqual(
      [0, 1, 2].map((i) => wav.readInt16LE(44 + i * 2)),
      [32767, -32767, 0],
    );
  });

  it('rejects an invalid sample rate', () => {
    assert.throws(() => encodeWav16(new Float32Array(1), 0), RangeError);
    assert.throws(() => encodeWav16(new Float32Array(1), 44.1), RangeError);
  });

  it('is read back by ffmpeg with the same samples', async () => {
    const samples = new Float32Array(1600).map((_, i) => Math.sin((2 * Math.PI * 440 * i) / 16_000) * 0.8);
    const dir = await mkdtemp(path.join(tmpdir(), 'earshot-wav-'));
    try {
      const file = path.join(dir, 'tone.wav');
      await writeFile(file, encodeWav16(samples, 16_000));
      const { stdout } = await promisify(execFile)(
        'ffmpeg',
        ['-loglevel', 'error', '-i', file, '-f', 's16le', '-'],
        {
          encoding: 'buffer',
        },
      );
      assert.equal(stdout.length, samples.length * 2);
      for (const i of [0, 10, 100, 1599]) {
        assert.equal(stdout.readInt16LE(i * 2), Math.round((samples[i] ?? 0) * 32767));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
