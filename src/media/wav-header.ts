import type { FileHandle } from 'node:fs/promises';

/**
 * What a WAV file's own header promises. ffprobe cannot tell us this for a truncated WAV: when the
 * `data` chunk claims more bytes than the file holds it silently estimates the duration from the
 * file size, so a WAV cut in half looks like a complete file of half the length. Reading the header
 * ourselves is the only way to say "it should last 9.7 s".
 */
export interface WavDeclaration {
  /** Bytes the `data` chunk says it holds. */
  declaredDataBytes: number;
  /** Bytes of sample data actually present after the `data` chunk header. */
  presentDataBytes: number;
  /** Duration the header declares, in ms (not rounded). */
  declaredDurationMs: number;
  /** The `fmt ` chunk: format tag (1 PCM, 3 float, 6 A-law, 7 µ-law), channels, rate, bits. */
  format: { tag: number; channels: number; sampleRate: number; bitsPerSample: number };
}

/** Format tags whose blocks are single sample frames: PCM, IEEE float, A-law, µ-law. */
const FRAME_PER_BLOCK_TAGS = new Set([0x0001, 0x0003, 0x0006, 0x0007]);

/** Chunks walked before giving up: real files have a handful (fmt, LIST, bext, iXML, fact, data). */
const MAX_CHUNKS = 64;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * Walks the RIFF chunks of a WAV file (only the 8-byte chunk headers and the `fmt ` chunk are read,
 * so large chunks before `data` cost nothing). Returns undefined when the header makes no usable
 * promise: not RIFF/WAVE (RF64 included), no `fmt ` before `data`, or a data size of 0 or 0xFFFFFFFF
 * with bytes after it, which is what tools writing WAV to a pipe leave because they cannot seek back
 * to fill it in.
 */
export async function readWavDeclaration(
  file: FileHandle,
  fileSize: number,
): Promise<WavDeclaration | undefined> {
  const riff = await readAt(file, 0, 12);
  if (
    riff.length < 12 ||
    riff.toString('latin1', 0, 4) !== 'RIFF' ||
    riff.toString('latin1', 8, 12) !== 'WAVE'
  ) {
    return undefined;
  }
  let offset = 12;
  let blockAlign = 0;
  let sampleRate = 0;
  let channels = 0;
  let bitsPerSample = 0;
  let tag = 0;
  for (let i = 0; i < MAX_CHUNKS && offset + 8 <= fileSize; i++) {
    const header = await readAt(file, offset, 8);
    if (header.length < 8) return undefined;
    const id = header.toString('latin1', 0, 4);
    const size = header.readUInt32LE(4);
    const bodyStart = offset + 8;
    if (id === 'fmt ') {
      const fmt = await readAt(file, bodyStart, Math.min(size, 26));
      if (fmt.length < 16) return undefined;
      // WAVE_FORMAT_EXTENSIBLE keeps the real format tag at the start of its sub-format GUID.
      tag = fmt.readUInt16LE(0) === 0xfffe && fmt.length >= 26 ? fmt.readUInt16LE(24) : fmt.readUInt16LE(0);
      // Only formats with one sample frame per block: for ADPCM, GSM or MP3-in-WAV a block holds many
      // frames and the data size says nothing exact about the duration.
      if (!FRAME_PER_BLOCK_TAGS.has(tag)) return undefined;
      channels = fmt.readUInt16LE(2);
      sampleRate = fmt.readUInt32LE(4);
      blockAlign = fmt.readUInt16LE(12);
      bitsPerSample = fmt.readUInt16LE(14);
    } else if (id === 'data') {
      if (blockAlign === 0 || sampleRate === 0) return undefined;
      const presentDataBytes = Math.max(0, fileSize - bodyStart);
      const unset = size === 0xffffffff || (size === 0 && presentDataBytes > 0);
      if (unset) return undefined;
      return {
        declaredDataBytes: size,
        presentDataBytes,
        declaredDurationMs: (Math.floor(size / blockAlign) / sampleRate) * 1000,
        format: { tag, channels, sampleRate, bitsPerSample },
      };
    }
    // Chunks are padded to an even size.
    offset = bodyStart + size + (size % 2);
  }
  return undefined;
}
