import { createReadStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EarshotError } from '../../domain/errors.js';
import type { MediaTool } from '../../media/media-tool.js';
import { runTool } from '../../media/tool-process.js';
import type { BlobStore } from '../../store/blob.store.js';

/** A stretch of the audio to hide, in ms on the transcript's timeline. */
export interface AudioSpan {
  startMs: number;
  endMs: number;
}

export interface RedactedAudioOptions {
  /** Container and codec of the result. */
  format: 'mp3' | 'wav';
  /** Silence each span instead of covering it with a beep. */
  silence: boolean;
}

export interface RedactedAudioDeps {
  media: MediaTool;
  /** Path or name of the ffmpeg binary (`config.tools.ffmpeg`). */
  ffmpeg: string;
  blobs: BlobStore;
  /** Where the result is stored. */
  blobKey: string;
  /** A scratch directory for the filter script and the encoded file (removed by the caller). */
  workDir: string;
  signal: AbortSignal;
}

export interface RedactedAudioResult {
  blobKey: string;
  sizeBytes: number;
  /** The spans actually hidden, padded and merged, in ms. */
  spans: AudioSpan[];
}

/**
 * Added before and after each span: word times from a recognizer are often a few tens of ms
 * tight, and a clipped first consonant can be enough to recognise a name.
 */
export const REDACTION_PAD_MS = 50;
export const BEEP_HZ = 1000;
/** Peak of the beep, -12 dBFS: clearly audible over speech without being painful on headphones. */
export const BEEP_AMPLITUDE = 0.25;
/** ffmpeg's `sine` source plays at 1/8 of full scale. */
const SINE_SOURCE_AMPLITUDE = 1 / 8;
/**
 * Audio is cut into frames this long and whole frames are hidden. ffmpeg's timeline switches
 * (`enable=`) act per frame, so the frame size is the precision; 5 ms is far below the padding.
 */
const FRAME_MS = 5;
/** Ranges per `volume` filter, so no single expression grows deep enough to strain ffmpeg's parser. */
const RANGES_PER_FILTER = 100;
/** Sample rates the MP3 encoder accepts; other rates are raised to the next one. */
const MP3_SAMPLE_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

/** Pads each span, clamps it at 0, sorts and merges the ones that touch or overlap. */
export function mergeSpans(spans: readonly AudioSpan[], padMs: number = REDACTION_PAD_MS): AudioSpan[] {
  const padded = spans
    .filter((s) => s.endMs >= s.startMs)
    .map((s) => ({ startMs: Math.max(0, s.startMs - padMs), endMs: s.endMs + padMs }))
    .sort((a, b) => a.startMs - b.startMs);
  const merged: AudioSpan[] = [];
  for (const span of padded) {
    const last = merged.at(-1);
    if (last && span.startMs <= last.endMs) last.endMs = Math.max(last.endMs, span.endMs);
    else merged.push({ ...span });
  }
  return merged;
}

/** Inclusive ranges of frame numbers. `end` null: to the end of the audio. */
interface FrameRange {
  start: number;
  end: number | null;
}

/** The frames each span touches: a frame partly inside a span is hidden whole. */
function spanFrames(spans: readonly AudioSpan[], frameMs: number): FrameRange[] {
  const ranges: FrameRange[] = [];
  for (const span of spans) {
    const start = Math.floor(span.startMs / frameMs);
    const end = Math.max(start, Math.ceil(span.endMs / frameMs) - 1);
    const last = ranges.at(-1);
    if (last && last.end !== null && start <= last.end + 1) last.end = Math.max(last.end, end);
    else ranges.push({ start, end });
  }
  return ranges;
}

/** The frames between (and around) the hidden ones, where the beep must be silent. */
function gapFrames(hidden: readonly FrameRange[]): FrameRange[] {
  const gaps: FrameRange[] = [];
  let next = 0;
  for (const range of hidden) {
    if (range.start > next) gaps.push({ start: next, end: range.start - 1 });
    next = (range.end ?? 0) + 1;
  }
  gaps.push({ start: next, end: null });
  return gaps;
}

/** A chain of `volume=0` filters that mutes the given frame ranges (`n` is the frame number). */
function muteChain(ranges: readonly FrameRange[]): string[] {
  const filters: string[] = [];
  for (let i = 0; i < ranges.length; i += RANGES_PER_FILTER) {
    const terms = ranges
      .slice(i, i + RANGES_PER_FILTER)
      .map((r) => (r.end === null ? `gte(n,${r.start})` : `between(n,${r.start},${r.end})`));
    filters.push(`volume=0:enable='${terms.join('+')}'`);
  }
  return filters;
}

function outputSampleRate(format: RedactedAudioOptions['format'], inputRate: number): number {
  if (format === 'wav') return inputRate;
  return MP3_SAMPLE_RATES.find((rate) => rate >= inputRate) ?? 48_000;
}

/**
 * The ffmpeg filter graph: the original's first audio track with each span muted, plus (unless
 * `silence`) a 1 kHz sine gated to sound only inside the spans. Both are cut into equal frames
 * counted from the first sample, so frame `n` is the same stretch of audio in both and on the
 * transcript's timeline (which counts samples, not container timestamps).
 */
export function buildFilterGraph(
  spans: readonly AudioSpan[],
  options: RedactedAudioOptions,
  inputRate: number,
  channels: number,
): string {
  const frameSamples = Math.max(1, Math.round((inputRate * FRAME_MS) / 1000));
  const frameMs = (frameSamples * 1000) / inputRate;
  const hidden = spanFrames(spans, frameMs);
  const layout = channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels}c`;
  const format = `aformat=sample_fmts=fltp:sample_rates=${inputRate}:channel_layouts=${layout}`;
  const outRate = outputSampleRate(options.format, inputRate);
  const resample = outRate === inputRate ? [] : [`aresample=${outRate}`];

  const original = ['asetpts=N/SR/TB', format, `asetnsamples=n=${frameSamples}:p=0`, ...muteChain(hidden)];
  if (options.silence || hidden.length === 0) {
    return `[0:a:0]${[...original, ...resample].join(',')}[out]`;
  }
  const beep = [
    `sine=frequency=${BEEP_HZ}:sample_rate=${inputRate}:samples_per_frame=${frameSamples}`,
    `volume=${BEEP_AMPLITUDE / SINE_SOURCE_AMPLITUDE}`,
    format,
    ...muteChain(gapFrames(hidden)),
  ];
  return [
    `[0:a:0]${original.join(',')}[speech]`,
    `${beep.join(',')}[beep]`,
    // duration=first: the sine never ends; normalize=0: amix would otherwise halve both inputs.
    `[speech][beep]amix=inputs=2:duration=first:dropout_transition=0:normalize=0${resample.map((f) => `,${f}`).join('')}[out]`,
  ].join(';\n');
}

/**
 * Writes a copy of the input audio with every PII span (padded by {@link REDACTION_PAD_MS} and
 * merged) replaced by a 1 kHz beep or by silence, in one ffmpeg run, and stores it under
 * `deps.blobKey`. Video is dropped; all channels are kept.
 */
export async function renderRedactedAudio(
  inputPath: string,
  entities: readonly AudioSpan[],
  options: RedactedAudioOptions,
  deps: RedactedAudioDeps,
): Promise<RedactedAudioResult> {
  const info = await deps.media.probe(inputPath, { signal: deps.signal });
  const stream = info.audioStreams[0]!;
  const spans = mergeSpans(entities);
  const scriptPath = path.join(deps.workDir, 'redaction-filter.txt');
  const outPath = path.join(deps.workDir, `redacted.${options.format}`);
  // A script file rather than an argument: one range per entity can outgrow a command line.
  await writeFile(scriptPath, buildFilterGraph(spans, options, stream.sampleRate, stream.channels));
  const codec =
    options.format === 'wav'
      ? ['-c:a', 'pcm_s16le', '-f', 'wav']
      : ['-c:a', 'libmp3lame', '-q:a', '4', '-f', 'mp3'];
  try {
    const run = await runTool(
      deps.ffmpeg,
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-protocol_whitelist',
        'file',
        '-i',
        `file:${path.resolve(inputPath)}`,
        '-filter_complex_script',
        `file:${scriptPath}`,
        '-map',
        '[out]',
        '-map_metadata',
        '-1',
        ...codec,
        '-y',
        `file:${outPath}`,
      ],
      { signal: deps.signal },
    );
    if (run.exitCode !== 0) {
      throw new EarshotError(
        'internal',
        `The redacted audio could not be written: ${run.stderrTail.at(-1) ?? `ffmpeg exited with ${run.exitCode ?? run.exitSignal}`}`,
      );
    }
    const sizeBytes = await deps.blobs.put(deps.blobKey, createReadStream(outPath));
    return { blobKey: deps.blobKey, sizeBytes, spans };
  } finally {
    await rm(outPath, { force: true });
    await rm(scriptPath, { force: true });
  }
}
