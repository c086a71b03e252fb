import path from 'node:path';
import { EarshotError } from '../../domain/errors.js';
import type { TranscriptionRequest } from '../../domain/transcription-request.js';
import type { MediaInfo } from '../../media/media-tool.js';
import type { StageContext } from '../pipeline-context.js';

export interface DecodedAudio {
  info: MediaInfo;
  /** The channel decoded (0-based), or `mix` for all channels mixed down. */
  channel: 'mix' | number;
  /** Raw float32 16 kHz mono samples of the (trimmed) audio. */
  pcmPath: string;
  samples: number;
  /** Where the decoded audio starts on the original timeline (the trim offset), in ms. */
  offsetMs: number;
  /** Duration of the whole input, in ms. */
  totalDurationMs: number;
}

function formatDuration(ms: number): string {
  const totalMinutes = Math.round(ms / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

/** Checks what the file is and refuses what we cannot or will not process, before decoding. */
export async function probe(
  inputPath: string,
  request: TranscriptionRequest,
  ctx: StageContext,
): Promise<MediaInfo> {
  ctx.progress('probe', 0, 'Reading audio format');
  const info = await ctx.media.probe(inputPath, { signal: ctx.signal });
  const limitMs = ctx.config.limits.maxAudioSeconds * 1000;
  if (info.durationMs !== null && info.durationMs > limitMs) {
    throw new EarshotError(
      'invalidAudio',
      `The audio lasts ${formatDuration(info.durationMs)}, longer than this server's limit of ${formatDuration(limitMs)}.`,
    );
  }
  const start = request.audioStartMs ?? 0;
  if (info.durationMs !== null && start >= info.durationMs) {
    throw new EarshotError(
      'badRequest',
      // Every API names the start differently; the message says what it means instead.
      `The requested start of the audio (${start} ms) is past its end (${info.durationMs} ms).`,
    );
  }
  return info;
}

/** Decodes (and trims) to 16 kHz mono float32 on disk; the file streams through, never held whole. */
export async function decode(
  inputPath: string,
  info: MediaInfo,
  request: TranscriptionRequest,
  ctx: StageContext,
  channel: 'mix' | number = 'mix',
): Promise<DecodedAudio> {
  const pcmPath = path.join(ctx.workDir, channel === 'mix' ? 'audio.f32' : `audio.channel${channel}.f32`);
  const startMs = request.audioStartMs ?? 0;
  const endMs = request.audioEndMs;
  const expectedMs = (endMs ?? info.durationMs ?? 0) - startMs;
  ctx.progress('decode', 0, 'Decoding audio');
  const decoded = await ctx.media.decodeToPcm(inputPath, pcmPath, {
    ...(startMs > 0 && { startMs }),
    ...(endMs !== undefined && { endMs }),
    channel,
    info,
    signal: ctx.signal,
    onProgress: (decodedMs) =>
      expectedMs > 0 && ctx.progress('decode', decodedMs / expectedMs, 'Decoding audio'),
  });
  if (decoded.warnings.length > 0) ctx.log.info({ warnings: decoded.warnings }, 'decoded with warnings');
  const limitMs = ctx.config.limits.maxAudioSeconds * 1000;
  if (decoded.durationMs > limitMs) {
    throw new EarshotError(
      'invalidAudio',
      `The audio is longer than this server's limit of ${formatDuration(limitMs)}.`,
    );
  }
  return {
    info,
    channel,
    pcmPath,
    samples: decoded.samples,
    offsetMs: startMs,
    totalDurationMs: info.durationMs ?? startMs + decoded.durationMs,
  };
}
