/**
 * Silero voice activity detection through sherpa-onnx's `Vad`.
 *
 * Audio is fed in 512-sample windows, the model's own window size. Sherpa's `Vad` marks a whole
 * `acceptWaveform` call as speech when any window in it is speech, so feeding large blocks merges
 * and shifts regions (measured on jfk.wav: one wrong region [2.85 s, 10.98 s] with 51200-sample
 * blocks, four correct ones with 512-sample windows).
 *
 * Files are read in blocks and never held whole in memory (three hours of 16 kHz float32 is
 * 690 MB); between blocks the loop yields to the event loop so a cancellation can land.
 */
import { access, open } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import { EarshotError } from '../../domain/errors.js';
import { SAMPLE_RATE } from '../asr/asr-engine.js';
import { inspectOnnxFile, loadSherpaOnnx, type SherpaVad } from '../sherpa-onnx.js';
import { padRegions } from './speech-regions.js';

export { padRegions };
import type { SpeechRegion, VadOptions } from './vad-engine.js';

/** Samples per Silero call at 16 kHz. */
export const SILERO_WINDOW_SAMPLES = 512;

/** Windows per block read from a file: 128 × 512 samples = 4.1 s = 256 KiB. */
const WINDOWS_PER_BLOCK = 128;

/**
 * Sherpa counts samples in 32-bit integers, which overflow after 2^31 samples (37 hours). Longer
 * audio is processed in epochs of 2^30 samples (18.6 hours): the detector is flushed and reset and
 * later regions are offset, so a region that spans an epoch boundary is split there.
 */
const EPOCH_SAMPLES = 2 ** 30;

/**
 * Initial capacity of sherpa's sample buffer, in seconds. It holds the current speech region and
 * grows (with a warning on stderr) for longer ones; sherpa's default `maxSpeechDuration` (20 s)
 * keeps regions shorter by raising the threshold to find a split point.
 */
const BUFFER_SECONDS = 120;

export interface VadHooks {
  /** Called after each block with the fraction of the audio processed (0..1). */
  onProgress?(fraction: number): void;
  /** Aborting rejects with EarshotError `cancelled` at the next block. */
  signal?: AbortSignal;
  /** Threads for onnxruntime. @defaultValue 1 (Silero is too small to gain from more). */
  threads?: number;
}

/** Internal knobs, for tests of the rarely reached paths. */
export interface VadInternals {
  epochSamples?: number;
  windowsPerBlock?: number;
}

/**
 * Speech regions of a raw float32 little-endian 16 kHz mono file (what `ffmpeg -f f32le` writes),
 * in samples on the file's timeline, padded by `options.padMs` and merged where they touch.
 */
export async function detectSpeechInFile(
  pcmPath: string,
  modelPath: string,
  options: VadOptions,
  hooks: VadHooks = {},
  internals: VadInternals = {},
): Promise<SpeechRegion[]> {
  const blockSamples = SILERO_WINDOW_SAMPLES * (internals.windowsPerBlock ?? WINDOWS_PER_BLOCK);
  let handle;
  try {
    handle = await open(pcmPath, 'r');
  } catch (error) {
    throw new EarshotError('invalidAudio', `Cannot read decoded audio ${pcmPath}: ${describe(error)}`, {
      cause: error,
    });
  }
  try {
    const { size } = await handle.stat();
    const totalSamples = Math.floor(size / 4);
    const detector = await SileroDetector.create(
      modelPath,
      options,
      hooks.threads ?? 1,
      internals.epochSamples,
    );
    // One reusable block; the Buffer is a byte view of the same memory, so reads need no copy.
    const block = new Float32Array(blockSamples);
    const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
    let position = 0;
    for (;;) {
      throwIfAborted(hooks.signal);
      let filled = 0;
      // A read may return fewer bytes than asked; keep reading until the block is full or the file ends.
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      position += filled;
      // A trailing partial sample (a truncated file) is ignored.
      const samples = Math.floor(filled / 4);
      if (samples > 0) detector.feed(block.subarray(0, samples));
      hooks.onProgress?.(size === 0 ? 1 : Math.min(1, position / size));
      if (filled < bytes.length) break;
      await yieldToEventLoop();
    }
    const regions = padRegions(detector.finish(), msToSamples(options.padMs), totalSamples);
    detector.release();
    return regions;
  } finally {
    await handle.close();
  }
}

/** Speech regions of in-memory 16 kHz mono samples; the same processing as `detectSpeechInFile`. */
export async function detectSpeechInSamples(
  samples: Float32Array,
  modelPath: string,
  options: VadOptions,
  hooks: VadHooks = {},
  internals: VadInternals = {},
): Promise<SpeechRegion[]> {
  const blockSamples = SILERO_WINDOW_SAMPLES * (internals.windowsPerBlock ?? WINDOWS_PER_BLOCK);
  const detector = await SileroDetector.create(
    modelPath,
    options,
    hooks.threads ?? 1,
    internals.epochSamples,
  );
  for (let from = 0; from < samples.length; from += blockSamples) {
    throwIfAborted(hooks.signal);
    detector.feed(samples.subarray(from, Math.min(samples.length, from + blockSamples)));
    hooks.onProgress?.(Math.min(1, (from + blockSamples) / samples.length));
    if (from + blockSamples < samples.length) await yieldToEventLoop();
  }
  hooks.onProgress?.(1);
  const regions = padRegions(detector.finish(), msToSamples(options.padMs), samples.length);
  detector.release();
  return regions;
}

/**
 * Native detectors kept between calls, by model path and options: creating one loads and checks
 * the model (~65 ms), a fixed cost every job would pay again. Reset before reuse.
 */
const idleDetectors = new Map<string, SherpaVad[]>();
const MAX_IDLE_DETECTORS = 2;

/** Feeds windows to one sherpa `Vad` and collects its regions on the caller's timeline. */
class SileroDetector {
  private readonly carry = new Float32Array(SILERO_WINDOW_SAMPLES);
  private carried = 0;
  /** Samples given to the current epoch's detector. */
  private fedInEpoch = 0;
  /** Timeline offset of the current epoch. */
  private epochOffset = 0;
  private readonly regions: SpeechRegion[] = [];

  private constructor(
    private readonly vad: SherpaVad,
    private readonly epochSamples: number,
    private readonly poolKey: string,
  ) {}

  static async create(
    modelPath: string,
    options: VadOptions,
    threads: number,
    epochSamples = EPOCH_SAMPLES,
  ): Promise<SileroDetector> {
    validateOptions(options);
    const poolKey = [modelPath, options.threshold, options.minSilenceMs, options.minSpeechMs, threads].join(
      '|',
    );
    const epoch = Math.max(SILERO_WINDOW_SAMPLES, epochSamples - (epochSamples % SILERO_WINDOW_SAMPLES));
    const pooled = idleDetectors.get(poolKey)?.pop();
    if (pooled) return new SileroDetector(pooled, epoch, poolKey);
    try {
      await access(modelPath);
    } catch (error) {
      // Sherpa does not throw for a missing file: it returns a detector that silently finds no speech.
      throw new EarshotError('modelMissing', `VAD model file not found: ${modelPath}`, { cause: error });
    }
    const { problem } = await inspectOnnxFile(modelPath);
    if (problem !== undefined) {
      // Checked first because sherpa's synchronous constructor aborts the process on such a file.
      throw new EarshotError('modelCorrupt', `Could not load VAD model ${modelPath}: ${problem}`);
    }
    const { Vad } = loadSherpaOnnx();
    const vad = new Vad(
      {
        sileroVad: {
          model: modelPath,
          threshold: options.threshold,
          minSilenceDuration: options.minSilenceMs / 1000,
          minSpeechDuration: options.minSpeechMs / 1000,
          windowSize: SILERO_WINDOW_SAMPLES,
        },
        sampleRate: SAMPLE_RATE,
        numThreads: Math.max(1, Math.floor(threads)),
        debug: 0,
      },
      BUFFER_SECONDS,
    );
    return new SileroDetector(vad, epoch, poolKey);
  }

  /** Resets the native detector and keeps it for the next call with the same model and options. */
  release(): void {
    this.vad.reset();
    const idle = idleDetectors.get(this.poolKey) ?? [];
    if (idle.length < MAX_IDLE_DETECTORS) idle.push(this.vad);
    idleDetectors.set(this.poolKey, idle);
  }

  /** Accepts any number of samples; they are given to the model one 512-sample window at a time. */
  feed(samples: Float32Array): void {
    let i = 0;
    if (this.carried > 0) {
      const take = Math.min(SILERO_WINDOW_SAMPLES - this.carried, samples.length);
      this.carry.set(samples.subarray(0, take), this.carried);
      this.carried += take;
      i = take;
      if (this.carried < SILERO_WINDOW_SAMPLES) return;
      this.acceptWindow(this.carry);
      this.carried = 0;
    }
    for (; i + SILERO_WINDOW_SAMPLES <= samples.length; i += SILERO_WINDOW_SAMPLES) {
      this.acceptWindow(samples.subarray(i, i + SILERO_WINDOW_SAMPLES));
    }
    if (i < samples.length) {
      this.carry.set(samples.subarray(i));
      this.carried = samples.length - i;
    }
    this.drain();
  }

  /** Processes the last partial window (zero-padded), flushes an open region and returns all regions. */
  finish(): SpeechRegion[] {
    const realEnd = this.epochOffset + this.fedInEpoch + this.carried;
    if (this.carried > 0) {
      this.carry.fill(0, this.carried);
      this.acceptWindow(this.carry);
      this.carried = 0;
    }
    this.closeOpenRegion(realEnd);
    // The zero padding of the last window must not extend a region past the audio.
    return this.regions
      .map((r) => ({ start: Math.min(r.start, realEnd), end: Math.min(r.end, realEnd) }))
      .filter((r) => r.end > r.start);
  }

  /**
   * Flushes the region that is still open at the end of the audio (or of an epoch) and makes it end
   * at `end`. Measured with sherpa-onnx-node 1.13.8: `flush()` ends the open region one window
   * (512 samples) before the last sample it was given, so the end is set here instead.
   */
  private closeOpenRegion(end: number): void {
    const open = this.vad.isDetected();
    this.vad.flush();
    this.drain();
    const last = this.regions[this.regions.length - 1];
    if (open && last) last.end = Math.max(last.end, end);
  }

  private acceptWindow(window: Float32Array): void {
    if (this.fedInEpoch + SILERO_WINDOW_SAMPLES > this.epochSamples) {
      this.closeOpenRegion(this.epochOffset + this.fedInEpoch);
      this.vad.reset();
      this.epochOffset += this.fedInEpoch;
      this.fedInEpoch = 0;
    }
    this.vad.acceptWaveform(window);
    this.fedInEpoch += SILERO_WINDOW_SAMPLES;
  }

  private drain(): void {
    while (!this.vad.isEmpty()) {
      const segment = this.vad.front();
      const start = this.epochOffset + segment.start;
      this.regions.push({ start, end: start + segment.samples.length });
      this.vad.pop();
    }
  }
}

function validateOptions(options: VadOptions): void {
  const problems: string[] = [];
  if (!(options.threshold > 0 && options.threshold < 1))
    problems.push(`threshold must be between 0 and 1 (got ${options.threshold})`);
  for (const key of ['minSilenceMs', 'minSpeechMs', 'padMs'] as const) {
    if (!(Number.isFinite(options[key]) && options[key] >= 0))
      problems.push(`${key} must be a non-negative number (got ${options[key]})`);
  }
  if (problems.length > 0)
    throw new EarshotError('badRequest', `Invalid VAD options: ${problems.join('; ')}`);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new EarshotError('cancelled', 'Voice activity detection was cancelled', { cause: signal.reason });
}

function msToSamples(ms: number): number {
  return Math.round((ms * SAMPLE_RATE) / 1000);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
