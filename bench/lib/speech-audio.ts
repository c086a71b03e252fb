/** Long speech files for the benchmarks, made with ffmpeg from the shared recordings. */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { speechReferences, SPEECH_DIR } from '../../test/helpers/shared-data.js';

export function ffmpeg(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/**
 * Joins every recording in `dir/refs.tsv`, in order, into one 16 kHz mono 16-bit WAV and returns
 * its reference transcript (the references joined the same way).
 */
export async function joinRecordings(outPath: string, dir: string = SPEECH_DIR): Promise<string> {
  const refs = speechReferences(dir);
  const inputs = refs.flatMap((r) => ['-i', path.join(dir, r.audio)]);
  const filter =
    refs
      .map((_, i) => `[${i}:a]aresample=16000,aformat=sample_fmts=s16:channel_layouts=mono[a${i}]`)
      .join(';') + `;${refs.map((_, i) => `[a${i}]`).join('')}concat=n=${refs.length}:v=0:a=1[out]`;
  await ffmpeg([...inputs, '-filter_complex', filter, '-map', '[out]', '-c:a', 'pcm_s16le', outPath]);
  return refs.map((r) => r.reference).join(' ');
}

/**
 * Writes `seconds` of real speech to `outPath`: the joined recordings repeated as often as needed.
 * The container and codec follow `outPath`'s extension (`.wav` is 16-bit PCM: 115 MB per hour).
 */
export async function makeSpeechFile(
  outPath: string,
  seconds: number,
  dir: string = SPEECH_DIR,
): Promise<void> {
  const joined = `${outPath}.joined.wav`;
  try {
    await joinRecordings(joined, dir);
    const codec = path.extname(outPath) === '.wav' ? ['-c:a', 'pcm_s16le'] : [];
    await ffmpeg(['-stream_loop', '-1', '-i', joined, '-t', String(seconds), ...codec, outPath]);
  } finally {
    await rm(joined, { force: true });
  }
}
