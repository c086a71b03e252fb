import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EarshotError, isEarshotError } from '../domain/errors.js';
import { runTool } from './tool-process.js';

/**
 * yt-dlp behind one adapter: downloads the audio of a web page (YouTube, Vimeo, SoundCloud…) that
 * is not itself a media file. It is optional: without it on PATH a page URL is refused with a 400
 * that names it, and direct media URLs still work.
 */

export interface YtDlpOptions {
  /**
   * The executable, looked up on PATH.
   * @defaultValue 'yt-dlp'
   */
  bin?: string;
  /** Largest download accepted, in bytes: passed to yt-dlp and checked on the file it wrote. */
  maxBytes: number;
  /** Time allowed for the whole download; yt-dlp is killed after it. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface YtDlpDownload {
  /** The audio file yt-dlp wrote, inside the directory it was given. */
  file: string;
  /** The page's media title; null when yt-dlp printed none. */
  title: string | null;
}

/** The file name yt-dlp writes (its extension is the audio codec's). */
const OUTPUT_NAME = 'audio';
/** Longest title kept: it is shown back to the caller, not trusted for anything. */
const MAX_TITLE_CHARS = 300;

/**
 * yt-dlp's arguments for one download: audio only (`-x`, the source's own codec when it can be
 * kept, since ffmpeg decodes anything later), no playlists, a size cap, a fixed output name in
 * `dir`, and two printed lines — the title before the download and the final path after it —
 * which `--no-simulate` keeps from turning the run into a dry run. `--` ends the options, so a URL
 * can never be read as one.
 */
export function ytDlpArgs(url: string, dir: string, maxBytes: number): string[] {
  return [
    '--no-playlist',
    '--no-progress',
    '--no-warnings',
    '--no-simulate',
    '--no-config',
    '--format',
    'bestaudio/best',
    '--extract-audio',
    '--audio-format',
    'best',
    '--max-filesize',
    String(maxBytes),
    '--output',
    path.join(dir, `${OUTPUT_NAME}.%(ext)s`),
    '--print',
    'before_dl:title',
    '--print',
    'after_move:filepath',
    '--',
    url,
  ];
}

/** Downloads the audio of the page at `url` into `dir` (an empty directory the caller removes). */
export async function downloadWithYtDlp(
  url: string,
  dir: string,
  options: YtDlpOptions,
): Promise<YtDlpDownload> {
  const bin = options.bin ?? 'yt-dlp';
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let result;
  try {
    result = await runTool(bin, ytDlpArgs(url, dir, options.maxBytes), { signal, maxStdoutBytes: 64 * 1024 });
  } catch (error) {
    throw translateFailure(error, bin, deadline, options.timeoutMs);
  }
  if (result.exitCode !== 0) {
    // yt-dlp's last error line says why (unsupported site, private video, too large…).
    const reason = result.stderrTail.filter((line) => /error/i.test(line)).at(-1) ?? result.stderrTail.at(-1);
    throw new EarshotError(
      'fetchFailed',
      `yt-dlp could not download ${url}: ${reason ?? `exit code ${result.exitCode}`}`,
      {
        param: 'url',
      },
    );
  }
  const lines = result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const file = await writtenFile(dir);
  const size = (await stat(file)).size;
  if (size > options.maxBytes) {
    throw new EarshotError(
      'payloadTooLarge',
      `The audio at ${url} is larger than the limit of ${options.maxBytes} bytes`,
      {
        param: 'url',
      },
    );
  }
  const title = lines.length > 1 ? (lines[0] ?? '').slice(0, MAX_TITLE_CHARS) : null;
  return { file, title: title || null };
}

/**
 * The audio file in `dir`. Looked up rather than taken from yt-dlp's printed path, so nothing
 * outside the directory can ever be read back.
 */
async function writtenFile(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter(
    (name) => name.startsWith(`${OUTPUT_NAME}.`) && !name.endsWith('.part'),
  );
  const name = names[0];
  if (name === undefined)
    throw new EarshotError('fetchFailed', 'yt-dlp finished without writing an audio file', { param: 'url' });
  return path.join(dir, name);
}

function translateFailure(error: unknown, bin: string, deadline: AbortSignal, timeoutMs: number): unknown {
  const cause = isEarshotError(error) ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code === 'ENOENT') {
    return new EarshotError(
      'badRequest',
      `This URL is a web page, not a media file: downloading its audio needs yt-dlp, which is not installed on this server (no "${bin}" on PATH). Install yt-dlp, or send a direct link to the audio or video file.`,
      { param: 'url' },
    );
  }
  if (deadline.aborted) {
    return new EarshotError('timeout', `yt-dlp did not finish within ${timeoutMs} ms`, { param: 'url' });
  }
  return error;
}
