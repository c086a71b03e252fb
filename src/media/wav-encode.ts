/**
 * Encodes mono float samples (-1..1) as a 16-bit PCM WAV file, for tools that read WAV files
 * (pocketsphinx). Samples outside -1..1 are clipped rather than wrapped, and NaN becomes silence.
 *
 * @param sampleRate samples per second, e.g. 16 000.
 */
export function encodeWav16(samples: Float32Array, sampleRate: number): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0)
    throw new RangeError(`invalid sample rate ${sampleRate}`);
  const dataBytes = samples.length * 2;
  const header = 44;
  const out = Buffer.alloc(header + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4); // the size of everything after this field
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16); // fmt chunk size for plain PCM
  out.writeUInt16LE(1, 20); // format 1 = integer PCM
  out.writeUInt16LE(1, 22); // channels
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  out.writeUInt16LE(2, 32); // bytes per frame
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] ?? 0;
    // Scale by 32767 so that +1 and -1 map symmetrically and never overflow.
    const clipped = Number.isNaN(x) ? 0 : Math.max(-1, Math.min(1, x));
    out.writeInt16LE(Math.round(clipped * 32767), header + i * 2);
  }
  return out;
}
