import { open, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';

/**
 * Decoded audio lives on disk as raw float32 little-endian mono samples (what
 * `MediaTool.decodeToPcm` writes): three hours are 690 MB, so stages read the slices they need
 * instead of loading the whole file.
 */
export const PCM_BYTES_PER_SAMPLE = 4;

const littleEndianHost = os.endianness() === 'LE';

/** Number of samples in a PCM file. Throws when the size is not a whole number of samples. */
export async function pcmSampleCount(filePath: string): Promise<number> {
  const { size } = await stat(filePath);
  if (size % PCM_BYTES_PER_SAMPLE !== 0) {
    throw new Error(`${filePath} is not float32 PCM: its size (${size} bytes) is not a multiple of 4`);
  }
  return size / PCM_BYTES_PER_SAMPLE;
}

/**
 * Reads samples `[startSample, endSampleExclusive)`; only that byte range is read from disk.
 * Throws a RangeError for a range outside the file: a caller asking past the end has miscounted.
 */
export async function readPcmSlice(
  filePath: string,
  startSample: number,
  endSampleExclusive: number,
): Promise<Float32Array> {
  if (!Number.isSafeInteger(startSample) || !Number.isSafeInteger(endSampleExclusive)) {
    throw new RangeError(`PCM slice bounds must be integers, got [${startSample}, ${endSampleExclusive})`);
  }
  if (startSample < 0 || endSampleExclusive < startSample) {
    throw new RangeError(`invalid PCM slice [${startSample}, ${endSampleExclusive})`);
  }
  const count = endSampleExclusive - startSample;
  const bytes = new Uint8Array(count * PCM_BYTES_PER_SAMPLE);
  const file = await open(filePath, 'r');
  try {
    let filled = 0;
    // A single read may return fewer bytes than asked; loop until the slice is full or the file ends.
    while (filled < bytes.length) {
      const { bytesRead } = await file.read(
        bytes,
        filled,
        bytes.length - filled,
        startSample * PCM_BYTES_PER_SAMPLE + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled < bytes.length) {
      const total = Math.floor((await file.stat()).size / PCM_BYTES_PER_SAMPLE);
      throw new RangeError(
        `PCM slice [${startSample}, ${endSampleExclusive}) goes past the end of ${filePath} (${total} samples)`,
      );
    }
  } finally {
    await file.close();
  }
  if (littleEndianHost) return new Float32Array(bytes.buffer, 0, count);
  const view = new DataView(bytes.buffer);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = view.getFloat32(i * PCM_BYTES_PER_SAMPLE, true);
  return samples;
}

/** Writes samples as a raw float32 little-endian file (tests, and stages that produce PCM). */
export async function writePcmFile(filePath: string, samples: Float32Array): Promise<void> {
  if (littleEndianHost) {
    await writeFile(filePath, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    return;
  }
  const bytes = new Uint8Array(samples.length * PCM_BYTES_PER_SAMPLE);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setFloat32(i * PCM_BYTES_PER_SAMPLE, samples[i] ?? 0, true);
  await writeFile(filePath, bytes);
}
