import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EarshotError } from '../domain/errors.js';
import { type FileKind, SNIFF_BYTES, sniffFileKind } from './file-sniff.js';
import { PCM_BYTES_PER_SAMPLE } from './pcm-file.js';
import { abortError, runTool, type ToolRunResult } from './tool-process.js';
import { readWavDeclaration } from './wav-header.js';

/** Sample rate of every decoded PCM file: what the speech models expect. */
export const PCM_SAMPLE_RATE = 16_000;
const SAMPLES_PER_MS = PCM_SAMPLE_RATE / 1000;

/**
 * A decode may come up short of the probed duration for harmless reasons (MP3 headers count the
 * encoder's padding, AAC rounds to 1024-sample frames), so only a gap larger than this is
 * truncation: at least 1 s, or 1 % of the expected length.
 */
const TRUNCATION_MIN_GAP_MS = 1000;
const TRUNCATION_GAP_FRACTION = 0.01;
/** A duration estimated from the bitrate (ADTS AAC, headerless MP3) can be off by a few percent. */
const ESTIMATED_TRUNCATION_GAP_FRACTION = 0.05;

/** ffprobe's JSON can list thousands of streams or tags in a hostile file; we keep at most this much. */
const MAX_PROBE_OUTPUT_BYTES = 4 * 1024 * 1024;

export interface MediaToolOptions {
  /** Path or name of the ffmpeg binary. @example '/usr/bin/ffmpeg' */
  ffmpeg: string;
  /** Path or name of the ffprobe binary. @example '/usr/bin/ffprobe' */
  ffprobe: string;
}

export interface AudioStreamInfo {
  /** The stream's index in the container (ffprobe's `index`). */
  index: number;
  /** ffmpeg's codec name, e.g. `mp3`, `aac`, `pcm_s16le`; `unknown` when ffprobe has none. */
  codec: string;
  sampleRate: number;
  channels: number;
  /** The stream's own duration, when the container records one (Matroska/WebM does not). */
  durationMs?: number;
}

export interface MediaInfo {
  /**
   * Duration of the file in integer ms: the container's duration, else the first audio stream's.
   * null when the file does not say (WebM from a browser's MediaRecorder, anything written to a pipe).
   * For a WAV whose header promises more data than the file holds, this is what the header promises.
   */
  durationMs: number | null;
  /**
   * True when there was no duration in the file's headers and ffmpeg guessed it from the bitrate
   * (raw AAC, MP3 without a Xing/Info header): usually close, but off by several percent for VBR.
   */
  durationEstimated: boolean;
  /** ffprobe's format name, e.g. `wav`, `mp3`, `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`. */
  formatName: string;
  /** Audio streams in container order; never empty (a file without audio is rejected). */
  audioStreams: AudioStreamInfo[];
  /** True when there is a real video stream (cover art embedded in music files does not count). */
  hasVideo: boolean;
  sizeBytes: number;
}

export interface ProbeOptions {
  signal?: AbortSignal | undefined;
}

export interface DecodeOptions {
  /** Where to start, in ms on the file's timeline. @defaultValue 0 */
  startMs?: number | undefined;
  /** Where to stop (exclusive), in ms on the file's timeline. @defaultValue the end of the audio */
  endMs?: number | undefined;
  /**
   * `mix` downmixes all channels (stereo: the average of left and right); a number keeps only that
   * channel, counted from 0 (0 = left). @defaultValue 'mix'
   */
  channel?: 'mix' | number | undefined;
  /** Aborting kills ffmpeg and rejects with `cancelled` (or with the reason, if an EarshotError). */
  signal?: AbortSignal | undefined;
  /** Called about twice a second with how much audio has been decoded so far, in ms. */
  onProgress?: ((decodedMs: number) => void) | undefined;
  /** The file's probe result when the caller has it already; otherwise the file is probed first. */
  info?: MediaInfo | undefined;
}

export interface DecodeResult {
  /** Samples written (16 kHz mono float32 little-endian). */
  samples: number;
  /** `samples` in ms, rounded. */
  durationMs: number;
  /** What ffmpeg complained about while still producing audio (for the job log), at most 10 lines. */
  warnings: string[];
}

const optionalNumber = z.union([z.number(), z.string()]).optional();
const probeSchema = z.object({
  streams: z
    .array(
      z.object({
        index: z.number().int(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        sample_rate: optionalNumber,
        channels: z.number().int().optional(),
        duration: optionalNumber,
        disposition: z.object({ attached_pic: z.number().optional() }).optional(),
      }),
    )
    .default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: optionalNumber,
    })
    .optional(),
});

/** ffprobe writes numbers as strings and "N/A" for unknown values. */
function toNumber(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * ms as a person reads it: "61.0 s" up to ten minutes, "1 h 02 min 05 s" beyond.
 * @param unitFor pick the unit as if formatting this value, so two numbers in one sentence match.
 */
export function formatDurationForPeople(ms: number, unitFor: number = ms): string {
  if (unitFor < 600_000) return `${(ms / 1000).toFixed(1)} s`;
  const whole = Math.round(ms / 1000);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h} h ${mm} min ${ss} s` : `${m} min ${ss} s`;
}

/** Lines ffmpeg adds after the real complaint: a summary or a hint, never the reason itself. */
const STDERR_NOISE = [/^Conversion failed!?$/i, /^Exiting normally/i, /^To ignore this, add a trailing/i];

/** The most useful line of ffmpeg's stderr: the last real one, without "[decoder @ 0x…]" or a final dot. */
function meaningfulLine(lines: readonly string[]): string | undefined {
  return lines
    .map((line) =>
      line
        .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '')
        .trim()
        .replace(/\.$/, ''),
    )
    .filter((line) => line !== '' && !STDERR_NOISE.some((noise) => noise.test(line)))
    .at(-1);
}

/** ffmpeg reads still images (BMP, TIFF …) as one-frame video; to an uploader they are not media. */
const IMAGE_KIND: FileKind = { id: 'image', label: 'an image', media: false };

function notMedia(kind: FileKind | undefined): EarshotError {
  const detail = kind && !kind.media ? ` (it looks like ${kind.label})` : '';
  return new EarshotError('invalidAudio', `The file is not audio or video that can be decoded${detail}.`);
}

/**
 * ffmpeg and ffprobe behind one class: the rest of Earshot never builds a command line. Paths are
 * passed as `file:` URLs so a file name can never be read as another protocol or an option, and only
 * the `file` protocol is allowed, so no media file can make ffmpeg open a network address.
 */
export class MediaTool {
  private readonly ffmpeg: string;
  private readonly ffprobe: string;

  constructor(options: MediaToolOptions) {
    this.ffmpeg = options.ffmpeg;
    this.ffprobe = options.ffprobe;
  }

  /**
   * Says what a file holds. Rejects with `invalidAudio` and a message for the person who uploaded
   * it when the file is empty, is not media, has no audio track or has a zero-length one.
   * Other failures (the file is missing, ffprobe cannot be started) are not the uploader's fault
   * and surface as they are.
   */
  async probe(filePath: string, options: ProbeOptions = {}): Promise<MediaInfo> {
    const absolute = path.resolve(filePath);
    const file = await open(absolute, 'r');
    let kind: FileKind | undefined;
    let sizeBytes: number;
    let wav: Awaited<ReturnType<typeof readWavDeclaration>>;
    try {
      const stats = await file.stat();
      if (!stats.isFile()) throw new EarshotError('internal', `${absolute} is not a regular file`);
      sizeBytes = stats.size;
      if (sizeBytes === 0) throw new EarshotError('invalidAudio', 'The file is empty (0 bytes).');
      const head = Buffer.alloc(Math.min(SNIFF_BYTES, sizeBytes));
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      kind = sniffFileKind(head.subarray(0, bytesRead));
      // Certainly not media: say so without running ffprobe (and never hand it a playlist).
      if (kind && !kind.media) throw notMedia(kind);
      wav = kind?.id === 'wav' ? await readWavDeclaration(file, sizeBytes) : undefined;
    } finally {
      await file.close();
    }
    // A complete PCM WAV says everything about itself in its header: no need to start ffprobe
    // (~70 ms, a noticeable share of the work on short clips).
    const fromHeader = wav && mediaInfoFromWavHeader(wav, sizeBytes);
    if (fromHeader) return fromHeader;

    const run = await runTool(
      this.ffprobe,
      [
        '-hide_banner',
        // Warnings, not just errors: "Estimating duration from bitrate" tells us a duration is a guess.
        '-loglevel',
        'warning',
        '-protocol_whitelist',
        'file',
        '-of',
        'json',
        '-show_entries',
        'format=format_name,duration:stream=index,codec_type,codec_name,sample_rate,channels,duration' +
          ':stream_disposition=attached_pic',
        `file:${absolute}`,
      ],
      { signal: options.signal, maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES },
    );
    if (run.exitCode !== 0) throw this.probeFailure(run, kind);

    let parsed: z.infer<typeof probeSchema>;
    try {
      parsed = probeSchema.parse(JSON.parse(run.stdout));
    } catch (error) {
      throw new EarshotError('internal', 'ffprobe printed output that could not be read.', { cause: error });
    }

    const formatName = parsed.format?.format_name ?? 'unknown';
    const audioStreams: AudioStreamInfo[] = parsed.streams
      .filter((s) => s.codec_type === 'audio')
      .map((s) => {
        const durationSeconds = toNumber(s.duration);
        return {
          index: s.index,
          codec: s.codec_name ?? 'unknown',
          sampleRate: toNumber(s.sample_rate) ?? 0,
          channels: s.channels ?? 0,
          ...(durationSeconds !== undefined && { durationMs: Math.round(durationSeconds * 1000) }),
        };
      });
    // Album art in MP3/M4A files is a one-frame "video" stream flagged as an attached picture.
    const hasVideo = parsed.streams.some(
      (s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1,
    );

    const firstAudio = audioStreams[0];
    if (!firstAudio) {
      if (formatName.endsWith('_pipe') || formatName === 'image2') throw notMedia(IMAGE_KIND);
      if (hasVideo) throw new EarshotError('invalidAudio', 'The file contains video but no audio track.');
      throw new EarshotError('invalidAudio', 'The file contains no audio track.');
    }

    const formatSeconds = toNumber(parsed.format?.duration);
    const streamSeconds = toNumber(parsed.streams.find((s) => s.index === firstAudio.index)?.duration);
    let durationSeconds = formatSeconds ?? streamSeconds;
    let durationEstimated =
      durationSeconds !== undefined &&
      run.stderrTail.some((line) => /Estimating duration from bitrate/i.test(line));

    // Only a header that promises more than the file holds (or nothing at all) overrides ffprobe:
    // when the file holds more, the size field may have wrapped past 4 GiB and ffprobe knows better.
    if (wav && (wav.declaredDataBytes > wav.presentDataBytes || wav.declaredDataBytes === 0)) {
      // The header's promise is what the file should hold; ffprobe's figure for a cut WAV is a guess.
      durationSeconds = wav.declaredDurationMs / 1000;
      durationEstimated = false;
      firstAudio.durationMs = Math.round(wav.declaredDurationMs);
    }
    if (durationSeconds === 0) {
      throw new EarshotError('invalidAudio', 'The audio track is empty: it lasts 0 seconds.');
    }

    return {
      durationMs: durationSeconds === undefined ? null : Math.round(durationSeconds * 1000),
      durationEstimated,
      formatName,
      audioStreams,
      hasVideo,
      sizeBytes,
    };
  }

  private probeFailure(run: ToolRunResult, kind: FileKind | undefined): EarshotError {
    // An MP4 whose index was meant to come at the end: the typical upload that stopped half-way.
    if (kind?.id === 'mp4' && run.stderrTail.some((line) => /moov atom not found/i.test(line))) {
      return new EarshotError(
        'invalidAudio',
        'The file looks like an MP4/M4A/MOV file but it is incomplete: its index (the "moov" atom) is ' +
          'missing, which usually means the upload or recording was cut off.',
      );
    }
    if (kind?.media) {
      return new EarshotError(
        'invalidAudio',
        `The file looks like ${kind.label} but it is damaged and cannot be read.`,
      );
    }
    return notMedia(kind);
  }

  /**
   * Decodes the first audio stream to 16 kHz mono float32 little-endian samples in `outPath`.
   * ffmpeg writes the file itself, so memory use does not grow with the length of the audio.
   *
   * Trimming is sample-exact: sample i of a cut starting at `startMs` is sample `startMs * 16 + i` of
   * a decode of the whole file, whatever the format.
   *
   * Rejects with `invalidAudio` when nothing can be decoded, when ffmpeg fails, or when clearly less
   * audio comes out than the file promises (a truncated upload); with `badRequest` for a start past
   * the end or a channel the file does not have; with `cancelled` when the signal aborts. On failure
   * the partial output file is removed.
   */
  async decodeToPcm(filePath: string, outPath: string, options: DecodeOptions = {}): Promise<DecodeResult> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw abortError(signal, 'decoding the audio');
    const startMs = options.startMs ?? 0;
    const endMs = options.endMs;
    const channel = options.channel ?? 'mix';
    if (!Number.isSafeInteger(startMs) || startMs < 0) {
      throw new EarshotError(
        'badRequest',
        `The start of the audio to decode must be a whole number of ms ≥ 0.`,
      );
    }
    if (endMs !== undefined && (!Number.isSafeInteger(endMs) || endMs <= startMs)) {
      throw new EarshotError(
        'badRequest',
        'The end of the audio to decode must be a whole number of ms after its start.',
      );
    }

    const info = options.info ?? (await this.probe(filePath, { signal }));
    const stream = info.audioStreams[0];
    if (!stream) throw new EarshotError('invalidAudio', 'The file contains no audio track.');
    if (channel !== 'mix' && (!Number.isSafeInteger(channel) || channel < 0 || channel >= stream.channels)) {
      throw new EarshotError(
        'badRequest',
        `Channel ${channel} does not exist: the audio has ${stream.channels} channel${stream.channels === 1 ? '' : 's'}, ` +
          `numbered from 0.`,
      );
    }
    // The audio stream's own duration wins: in a video the audio track may be shorter than the file.
    const fullMs = stream.durationMs ?? info.durationMs;
    if (fullMs !== null && startMs >= fullMs) {
      throw new EarshotError(
        'badRequest',
        `The requested start (${formatDurationForPeople(startMs)}) is at or past the end of the audio ` +
          `(${formatDurationForPeople(fullMs)}).`,
      );
    }

    if (path.resolve(filePath) === path.resolve(outPath)) {
      throw new EarshotError('internal', 'decodeToPcm was asked to overwrite its own input.');
    }
    const args = this.decodeArgs(
      path.resolve(filePath),
      path.resolve(outPath),
      startMs,
      endMs,
      channel,
      stream,
    );
    let reportedMs = -1;
    const onStdoutLine = onProgress
      ? (line: string): void => {
          // `-progress pipe:1` prints key=value lines; out_time_us is the output position.
          const match = /^out_time_us=(\d+)$/.exec(line);
          if (!match) return;
          const ms = Math.floor(Number(match[1]) / 1000);
          if (ms > reportedMs) {
            reportedMs = ms;
            onProgress(ms);
          }
        }
      : undefined;

    try {
      const run = await runTool(this.ffmpeg, args, { signal, onStdoutLine });
      if (run.exitCode !== 0) {
        const reason =
          meaningfulLine(run.stderrTail) ?? `ffmpeg exited with status ${run.exitCode ?? run.exitSignal}`;
        throw new EarshotError('invalidAudio', `The audio could not be decoded: ${reason}.`);
      }
      const { size } = await stat(outPath);
      const samples = Math.floor(size / PCM_BYTES_PER_SAMPLE);
      const decodedMs = samples / SAMPLES_PER_MS;
      const complaint = meaningfulLine(run.stderrTail);
      if (samples === 0 && startMs > 0 && fullMs === null) {
        // Without a known duration the start could not be checked before decoding.
        throw new EarshotError(
          'badRequest',
          `The requested start (${formatDurationForPeople(startMs)}) is at or past the end of the audio.`,
        );
      }
      if (samples === 0) {
        throw new EarshotError(
          'invalidAudio',
          `No audio could be decoded from the file${complaint ? ` (${complaint})` : ': its audio track is empty'}.`,
        );
      }
      if (fullMs !== null) {
        const expectedMs = Math.min(endMs ?? Infinity, fullMs) - startMs;
        const fraction = info.durationEstimated ? ESTIMATED_TRUNCATION_GAP_FRACTION : TRUNCATION_GAP_FRACTION;
        const clearlyShort = expectedMs - decodedMs > Math.max(TRUNCATION_MIN_GAP_MS, expectedMs * fraction);
        // A header duration is a promise; an estimated one is only believed when ffmpeg also
        // reported decode errors, so a poor guess alone never fails a good file.
        if (clearlyShort && (!info.durationEstimated || run.stderrLineCount > 0)) {
          const what = startMs > 0 || endMs !== undefined ? 'the requested part' : 'it';
          throw new EarshotError(
            'invalidAudio',
            `The audio appears to be truncated or corrupt: ${what} should last ${formatDurationForPeople(expectedMs)} ` +
              `but only ${formatDurationForPeople(decodedMs, expectedMs)} could be decoded.`,
          );
        }
      }
      return {
        samples,
        durationMs: Math.round(decodedMs),
        warnings: run.stderrTail.slice(-10),
      };
    } catch (error) {
      // A half-written PCM file must not be mistaken for a result by a retried stage.
      await rm(outPath, { force: true });
      throw error;
    }
  }

  private decodeArgs(
    input: string,
    output: string,
    startMs: number,
    endMs: number | undefined,
    channel: 'mix' | number,
    stream: AudioStreamInfo,
  ): string[] {
    const filters: string[] = [];
    const pan = channelFilter(channel, stream.channels);
    if (pan) filters.push(pan);
    filters.push(`aresample=${PCM_SAMPLE_RATE}`);
    if (startMs > 0 || endMs !== undefined) {
      // Trim on the count of 16 kHz samples, after resampling, so a cut is exactly the same samples as
      // the same range of a decode of the whole file. ffmpeg's input-side -ss is faster but not exact:
      // measured on Ogg Vorbis it lands up to 136 samples off, on WebM 128 (ms timestamps), and any seek
      // point that is not on both sample grids shifts every resampled sample by a fraction. Decoding
      // the skipped part instead costs about 2 s of CPU per hour of audio skipped.
      const range = [`start_sample=${startMs * SAMPLES_PER_MS}`];
      if (endMs !== undefined) range.push(`end_sample=${endMs * SAMPLES_PER_MS}`);
      // N/SR/TB: timestamps become sample counts, so container timestamp quirks cannot move the cut;
      // PTS-STARTPTS makes -progress report time from the start of the cut.
      filters.push('asetpts=N/SR/TB', `atrim=${range.join(':')}`, 'asetpts=PTS-STARTPTS');
    }
    return [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostats',
      '-progress',
      'pipe:1',
      '-protocol_whitelist',
      'file',
      '-i',
      `file:${input}`,
      '-map',
      '0:a:0',
      '-af',
      filters.join(','),
      // Other layouts than stereo (5.1 …) get ffmpeg's standard downmix, which knows the centre channel.
      '-ac',
      '1',
      '-ar',
      String(PCM_SAMPLE_RATE),
      '-c:a',
      'pcm_f32le',
      '-f',
      'f32le',
      '-y',
      `file:${output}`,
    ];
  }
}

function channelFilter(channel: 'mix' | number, channels: number): string | undefined {
  // pan works in the input's sample format; in 16-bit, averaging would round to 16 bits.
  if (channel !== 'mix') return `aformat=sample_fmts=flt,pan=mono|c0=c${channel}`;
  // ffmpeg's own stereo downmix (-ac 1) sums at 0.707 each, which lifts dual-mono recordings by
  // 3 dB and can push peaks past 1.0; the plain average keeps them at their level.
  if (channels === 2) return 'aformat=sample_fmts=flt,pan=mono|c0=0.5*c0+0.5*c1';
  return undefined;
}

const WAV_CODECS: Record<number, (bits: number) => string> = {
  0x0001: (bits) => (bits === 8 ? 'pcm_u8' : `pcm_s${bits}le`),
  0x0003: (bits) => `pcm_f${bits}le`,
  0x0006: () => 'pcm_alaw',
  0x0007: () => 'pcm_mulaw',
};

/**
 * MediaInfo straight from a WAV header, when the header describes the file exactly: a known sample
 * format, a data chunk that is all there (a cut file goes to ffprobe and the truncation checks) and
 * a file under 4 GiB (past that the 32-bit size fields wrap).
 */
export function mediaInfoFromWavHeader(
  wav: NonNullable<Awaited<ReturnType<typeof readWavDeclaration>>>,
  sizeBytes: number,
): MediaInfo | undefined {
  const { tag, channels, sampleRate, bitsPerSample } = wav.format;
  const codec = WAV_CODECS[tag];
  const complete = wav.declaredDataBytes > 0 && wav.declaredDataBytes <= wav.presentDataBytes;
  if (
    !codec ||
    !complete ||
    sizeBytes >= 2 ** 32 ||
    channels === 0 ||
    sampleRate === 0 ||
    bitsPerSample === 0
  ) {
    return undefined;
  }
  const durationMs = Math.round(wav.declaredDurationMs);
  if (durationMs === 0) return undefined;
  return {
    durationMs,
    durationEstimated: false,
    formatName: 'wav',
    audioStreams: [{ index: 0, codec: codec(bitsPerSample), sampleRate, channels, durationMs }],
    hasVideo: false,
    sizeBytes,
  };
}
