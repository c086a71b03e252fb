/**
 * The `sherpa` diarization engine: sherpa-onnx's offline speaker diarization, i.e. a pyannote
 * segmentation-3.0 model (who is active in each frame of a sliding 10 s window, up to 3 local
 * speakers), a speaker-embedding model (3D-Speaker, WeSpeaker or NeMo: one vector per local speaker
 * and window) and agglomerative clustering of those vectors into speakers.
 *
 * How it runs, and why:
 * - Only the speech the VAD found is diarized: the regions (padded a little, pauses of up to 1 s
 *   kept as recorded) are read one by one and laid end to end with 0.5 s of silence between them.
 *   Memory is that buffer, not the file; turns are mapped back to the file's timeline and cut at
 *   the joins, so a turn never spans a long silence. The buffer is capped at 4 h of speech
 *   (`MAX_SPEECH_SAMPLES`): sherpa clusters a whole recording at once, so longer audio would need
 *   block-wise diarization with speakers linked across blocks, which this engine does not do.
 * - Models load with sherpa's synchronous constructor (it has no async one), which aborts the
 *   process on a file onnxruntime cannot parse, exits it when required metadata is missing, and
 *   leaves an embedding model without `framework` metadata to segfault later. So both files are
 *   checked first (ONNX framing and every metadata key sherpa reads) and refused as `modelCorrupt`;
 *   what still gets past (a file framed correctly but garbled inside) takes down only the engine
 *   host process this runs in.
 * - A run goes through the addon's `offlineSpeakerDiarizationProcessAsync` (a libuv worker thread:
 *   the host's event loop stays free). If onnxruntime fails inside that thread, sherpa never settles
 *   the promise; a watchdog turns that into `engineCrashed` and the next call starts a fresh native
 *   instance (the old one is kept referenced, as its thread may still be running). A run cannot be
 *   interrupted: cancellation is checked between file reads and between runs.
 * - Speaker counts: `numSpeakers` sets sherpa's `numClusters`. `minSpeakers`/`maxSpeakers` are
 *   clamps: the run uses the distance threshold, and when the count it finds falls outside the
 *   bounds it runs again with `numClusters` set to the nearest bound (see `clusterWithinBounds`).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';

import { EarshotError } from '../../domain/errors.js';
import { pcmSampleCount, readPcmSlice } from '../../media/pcm-file.js';
import type { CatalogModel, ModelKind } from '../../models/catalog.types.js';
import { SAMPLE_RATE, type ResolvedModel } from '../asr/asr-engine.js';
import {
  inspectOnnxFile,
  loadSherpaOnnx,
  processSpeakerDiarization,
  type SherpaOfflineSpeakerDiarization,
  type SherpaOfflineSpeakerDiarizationConfig,
  type SherpaSpeakerSegment,
} from '../sherpa-onnx.js';
import type { SpeechRegion } from '../vad/vad-engine.js';
import type {
  DiarizationEngine,
  DiarizationHooks,
  DiarizationInput,
  DiarizationOptions,
  LoadedDiarizer,
  SpeakerTurn,
} from './diarization-engine.js';

/**
 * Cosine distance (complete linkage) under which two embeddings are one speaker when the count is
 * estimated: sherpa-onnx's default and documented value. Real embedding models may want other values;
 * it has not been tuned here (no real speech models on the build machines).
 */
export const CLUSTER_THRESHOLD = 0.5;
/** Turns shorter than this are dropped (sherpa's default; 0 cannot be asked for). */
const MIN_DURATION_ON_S = 0.3;
/** Same-speaker turns closer than this are joined (sherpa's default). */
const MIN_DURATION_OFF_S = 0.5;

export interface LayoutSettings {
  /** Context added on each side of a VAD region, in samples. */
  padSamples: number;
  /** Pauses up to this long between regions are kept as recorded, in samples. */
  keptGapSamples: number;
  /** Silence laid between regions that are further apart, in samples. */
  separatorSamples: number;
}

export const DEFAULT_LAYOUT: LayoutSettings = {
  padSamples: Math.round(0.25 * SAMPLE_RATE),
  keptGapSamples: SAMPLE_RATE,
  separatorSamples: Math.round(0.5 * SAMPLE_RATE),
};

/**
 * Most speech diarized in one pass: 4 h (920 MB of samples, which the addon copies once more).
 * Also well inside sherpa's 32-bit sample count.
 */
export const MAX_SPEECH_SAMPLES = 4 * 3600 * SAMPLE_RATE;

/** The watchdog allows a run at least this long… */
const WATCHDOG_MIN_MS = 10 * 60_000;
/** …or this many times the audio's duration (sherpa runs far faster than real time on a CPU). */
const WATCHDOG_REALTIME_FACTOR = 3;

export interface SherpaDiarizerInternals {
  /** Milliseconds a run may take before it is presumed lost, given its number of samples. */
  watchdogMs?(samples: number): number;
}

export const sherpaDiarizationEngine: DiarizationEngine = {
  id: 'sherpa',
  load: (models, options) => loadSherpaDiarizer(models, options),
};

/** `sherpaDiarizationEngine.load`, with knobs for tests of the rarely reached paths. */
export async function loadSherpaDiarizer(
  models: readonly ResolvedModel[],
  options: { threads: number },
  internals: SherpaDiarizerInternals = {},
): Promise<LoadedDiarizer> {
  const segmentation = pickModel(models, 'segmentation');
  const embedding = pickModel(models, 'speaker-embedding');
  const segmentationFile = await locateModelFile(segmentation);
  const embeddingFile = await locateModelFile(embedding);

  const segmentationMetadata = await inspectModelFile(segmentation.model, segmentationFile);
  const segmentationProblem = segmentationMetadataProblem(segmentationMetadata);
  if (segmentationProblem !== undefined) {
    throw new EarshotError(
      'modelCorrupt',
      `Could not load model ${segmentation.model.id}: ${path.basename(segmentationFile)} is not a pyannote ` +
        `segmentation model sherpa-onnx can run: ${segmentationProblem}`,
    );
  }
  const sampleRate = Number(segmentationMetadata.sample_rate);
  if (sampleRate !== SAMPLE_RATE) {
    throw new EarshotError(
      'engineUnavailable',
      `Model ${segmentation.model.id} works on ${sampleRate} Hz audio; Earshot decodes audio to ${SAMPLE_RATE} Hz`,
    );
  }
  const embeddingMetadata = await inspectModelFile(embedding.model, embeddingFile);
  const embeddingProblem = embeddingMetadataProblem(embeddingMetadata);
  if (embeddingProblem !== undefined) {
    throw new EarshotError(
      'modelCorrupt',
      `Could not load model ${embedding.model.id}: ${path.basename(embeddingFile)} is not a speaker-embedding ` +
        `model sherpa-onnx can run: ${embeddingProblem}`,
    );
  }

  const numThreads = Math.max(1, Math.floor(options.threads));
  const config: SherpaOfflineSpeakerDiarizationConfig = {
    segmentation: { pyannote: { model: segmentationFile }, numThreads, provider: 'cpu', debug: 0 },
    embedding: { model: embeddingFile, numThreads, provider: 'cpu', debug: 0 },
    clustering: { threshold: CLUSTER_THRESHOLD },
    minDurationOn: MIN_DURATION_ON_S,
    minDurationOff: MIN_DURATION_OFF_S,
  };
  const label = `${segmentation.model.id} + ${embedding.model.id}`;
  const windowSize = Number(segmentationMetadata.window_size);
  return new SherpaDiarizer(label, config, createNative(label, config), windowSize, internals);
}

function pickModel(models: readonly ResolvedModel[], kind: ModelKind): ResolvedModel {
  const found = models.filter((m) => m.model.kind === kind);
  const [only] = found;
  if (!only || found.length > 1) {
    const given = models.map((m) => `${m.model.id} (${m.model.kind})`).join(', ') || 'none';
    throw new EarshotError(
      'modelMissing',
      `The sherpa diarizer needs one segmentation model and one speaker-embedding model; got ${given}`,
    );
  }
  return only;
}

async function locateModelFile(resolved: ResolvedModel): Promise<string> {
  const { model } = resolved;
  const entry = model.files.find((f) => f.role === 'model');
  if (!entry) throw new EarshotError('modelMissing', `Model ${model.id} lists no model file in the catalog`);
  const file = resolved.files[entry.name];
  if (file === undefined)
    throw new EarshotError('modelMissing', `Model ${model.id}: no path was resolved for ${entry.name}`);
  try {
    await access(file);
  } catch {
    throw new EarshotError(
      'modelMissing',
      `Model ${model.id} is missing ${entry.name} (${file}); pull it with \`earshot models pull ${model.id}\``,
    );
  }
  return file;
}

async function inspectModelFile(model: CatalogModel, file: string): Promise<Record<string, string>> {
  const inspection = await inspectOnnxFile(file);
  if (inspection.problem !== undefined) {
    throw new EarshotError(
      'modelCorrupt',
      `Could not load model ${model.id}: ${path.basename(file)}: ${inspection.problem}`,
    );
  }
  return inspection.metadata;
}

/** Why `value` is not what sherpa's `atoi` needs (digits, at least `min`); undefined when it is. */
function integerProblem(metadata: Record<string, string>, key: string, min: number): string | undefined {
  const value = metadata[key];
  // sherpa treats an empty value as a missing one.
  if (value === undefined || value === '') return `its metadata has no "${key}" (sherpa-onnx would exit)`;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    return `metadata "${key}" is "${value}", expected an integer of at least ${min}`;
  }
  return undefined;
}

/**
 * What is wrong with a segmentation model's metadata for sherpa-onnx 1.13.8 (which exits the
 * process on a missing key, and writes out of bounds when `num_classes` disagrees with the
 * powerset); undefined when nothing is.
 */
export function segmentationMetadataProblem(metadata: Record<string, string>): string | undefined {
  const keys = [
    'sample_rate',
    'window_size',
    'receptive_field_size',
    'receptive_field_shift',
    'num_speakers',
    'powerset_max_classes',
    'num_classes',
  ];
  for (const key of keys) {
    const problem = integerProblem(metadata, key, 1);
    if (problem !== undefined) return problem;
  }
  const speakers = Number(metadata.num_speakers);
  const maxClasses = Number(metadata.powerset_max_classes);
  if (maxClasses > 2) return `metadata "powerset_max_classes" is ${maxClasses}; sherpa-onnx supports 1 or 2`;
  const classes = 1 + speakers + (maxClasses === 2 ? (speakers * (speakers - 1)) / 2 : 0);
  if (Number(metadata.num_classes) !== classes) {
    return `metadata "num_classes" is ${metadata.num_classes}; ${speakers} speakers with overlaps of up to ${maxClasses} make ${classes}`;
  }
  if (Number(metadata.window_size) < Number(metadata.receptive_field_size)) {
    return `metadata "window_size" (${metadata.window_size}) is shorter than "receptive_field_size" (${metadata.receptive_field_size})`;
  }
  return undefined;
}

const EMBEDDING_FRAMEWORKS = ['wespeaker', '3d-speaker', 'nemo'];

/**
 * What is wrong with a speaker-embedding model's metadata for sherpa-onnx 1.13.8; undefined when
 * nothing is. Without `framework` sherpa creates no extractor and segfaults at the first run; a
 * missing number, an empty `language` or an unknown normalization exits the process.
 */
export function embeddingMetadataProblem(metadata: Record<string, string>): string | undefined {
  const framework = metadata.framework;
  if (framework === undefined || framework === '') {
    return 'its metadata has no "framework" (wespeaker, 3d-speaker or nemo); sherpa-onnx would crash on it';
  }
  if (!EMBEDDING_FRAMEWORKS.includes(framework)) {
    return `metadata "framework" is "${framework}"; sherpa-onnx knows ${EMBEDDING_FRAMEWORKS.join(', ')}`;
  }
  const nemo = framework === 'nemo';
  const minimums: [string, number][] = nemo
    ? [
        ['output_dim', 1],
        ['feat_dim', 1],
        ['sample_rate', 1],
        ['window_size_ms', 1],
        ['window_stride_ms', 1],
      ]
    : [
        ['output_dim', 1],
        ['sample_rate', 1],
        ['normalize_samples', 0],
      ];
  for (const [key, min] of minimums) {
    const problem = integerProblem(metadata, key, min);
    if (problem !== undefined) return problem;
  }
  if (!metadata.language) return 'its metadata has no "language" (sherpa-onnx would exit)';
  const normalize = metadata.feature_normalize_type ?? '';
  const allowed = nemo ? ['', 'per_feature'] : ['', 'global-mean'];
  if (!allowed.includes(normalize)) {
    return `metadata "feature_normalize_type" is "${normalize}"; sherpa-onnx accepts ${allowed
      .filter((a) => a !== '')
      .join(' or ')} for ${framework} models`;
  }
  return undefined;
}

function createNative(
  label: string,
  config: SherpaOfflineSpeakerDiarizationConfig,
): SherpaOfflineSpeakerDiarization {
  const { OfflineSpeakerDiarization } = loadSherpaOnnx();
  try {
    return new OfflineSpeakerDiarization(config);
  } catch (error) {
    // A missing file or an invalid config (the files were checked, so rare) throws "Please check your config!".
    const reason = error instanceof Error ? error.message : String(error);
    throw new EarshotError('modelCorrupt', `Could not load diarization models ${label}: ${reason}`, {
      cause: error,
    });
  }
}

/** Natives whose run was abandoned by the watchdog: kept reachable so their memory outlives their thread. */
const abandoned: SherpaOfflineSpeakerDiarization[] = [];

type Clustering = number | undefined;

class SherpaDiarizer implements LoadedDiarizer {
  /** Runs one at a time: the clustering setting is per native instance, and memory is large. */
  private queue: Promise<unknown> = Promise.resolve();
  private native: SherpaOfflineSpeakerDiarization | undefined;
  private disposed = false;

  constructor(
    private readonly label: string,
    private readonly config: SherpaOfflineSpeakerDiarizationConfig,
    native: SherpaOfflineSpeakerDiarization,
    /** Samples the segmentation model sees at once (10 s for pyannote segmentation-3.0). */
    private readonly windowSize: number,
    private readonly internals: SherpaDiarizerInternals,
  ) {
    this.native = native;
  }

  diarize(input: DiarizationInput, hooks: DiarizationHooks): Promise<SpeakerTurn[]> {
    const run = this.queue.then(() => this.run(input, hooks));
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    // sherpa frees native memory when the handle is garbage-collected; a run in progress keeps it alive.
    this.disposed = true;
    this.native = undefined;
  }

  private async run(input: DiarizationInput, hooks: DiarizationHooks): Promise<SpeakerTurn[]> {
    if (this.disposed) throw new EarshotError('internal', `Diarizer ${this.label} was disposed`);
    throwIfCancelled(hooks.signal);
    validateOptions(input.options);
    const total = await pcmSampleCount(input.pcmPath);
    const layout = speechLayout(input.speech, total);
    if (layout.length === 0) return [];
    if (layout.length > MAX_SPEECH_SAMPLES) {
      throw new EarshotError(
        'invalidAudio',
        `Speaker diarization with sherpa handles at most ${MAX_SPEECH_SAMPLES / SAMPLE_RATE / 3600} h of speech ` +
          `in one recording; this one has ${(layout.length / SAMPLE_RATE / 3600).toFixed(1)} h`,
      );
    }
    // Audio of at most one window takes a path in sherpa that skips the embeddings and clustering
    // (speakers are the segmentation model's local labels, and numClusters is ignored). One sample
    // more makes two windows, so short audio is clustered like long audio.
    const samples = new Float32Array(Math.max(layout.length, this.windowSize + 1));
    for (const piece of layout.pieces) {
      throwIfCancelled(hooks.signal);
      const slice = await readPcmSlice(input.pcmPath, piece.sourceStart, piece.sourceStart + piece.length);
      samples.set(slice, piece.bufferStart);
    }

    const { options } = input;
    const passes = options.minSpeakers !== undefined || options.maxSpeakers !== undefined ? 2 : 1;
    let pass = 0;
    let reported = 0;
    const report = (fraction: number): void => {
      const overall = Math.min(0.99, (pass + fraction) / passes);
      if (overall > reported) {
        reported = overall;
        hooks.onProgress?.(overall);
      }
    };
    const segments = await clusterWithinBounds(async (numClusters) => {
      throwIfCancelled(hooks.signal);
      const result = await this.process(samples, numClusters, report);
      pass = Math.min(passes - 1, pass + 1);
      throwIfCancelled(hooks.signal);
      return result;
    }, options);
    hooks.onProgress?.(1);
    return turnsFromSegments(segments, layout);
  }

  /** One sherpa run with the given clustering, under the watchdog. */
  private async process(
    samples: Float32Array,
    numClusters: Clustering,
    onProgress: (fraction: number) => void,
  ): Promise<SherpaSpeakerSegment[]> {
    this.native ??= createNative(this.label, this.config);
    const native = this.native;
    native.setConfig({
      clustering: numClusters === undefined ? { threshold: CLUSTER_THRESHOLD } : { numClusters },
    });
    const limitMs =
      this.internals.watchdogMs?.(samples.length) ??
      Math.max(WATCHDOG_MIN_MS, Math.round((samples.length / SAMPLE_RATE) * 1000 * WATCHDOG_REALTIME_FACTOR));
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // The native run may still finish, or may never report back (sherpa-onnx-node 1.13.8 drops
        // the promise when onnxruntime throws in its worker thread). Either way it is not reused.
        abandoned.push(native);
        if (this.native === native) this.native = undefined;
        reject(
          new EarshotError(
            'engineCrashed',
            `Speaker diarization with ${this.label} did not finish within ${Math.round(limitMs / 1000)} s; ` +
              'onnxruntime may have failed on these models (see the engine host log)',
          ),
        );
      }, limitMs);
    });
    try {
      return await Promise.race([processSpeakerDiarization(native, samples, onProgress), watchdog]);
    } catch (error) {
      if (error instanceof EarshotError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new EarshotError('engineCrashed', `Speaker diarization with ${this.label} failed: ${reason}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

function validateOptions(options: DiarizationOptions): void {
  const check = (name: keyof DiarizationOptions): void => {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new EarshotError('badRequest', `${name} must be a whole number of at least 1, got ${value}`);
    }
  };
  check('numSpeakers');
  check('minSpeakers');
  check('maxSpeakers');
  const { minSpeakers, maxSpeakers } = options;
  if (minSpeakers !== undefined && maxSpeakers !== undefined && minSpeakers > maxSpeakers) {
    throw new EarshotError(
      'badRequest',
      `minSpeakers (${minSpeakers}) is larger than maxSpeakers (${maxSpeakers})`,
    );
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new EarshotError('cancelled', 'Speaker diarization was cancelled', { cause: signal.reason });
}

/** Number of distinct speakers in sherpa's segments. */
export function speakerCount(segments: readonly { speaker: number }[]): number {
  return new Set(segments.map((s) => s.speaker)).size;
}

/**
 * Runs the diarization (`run(numClusters)`; undefined clusters by distance threshold) so that the
 * speaker count honours the options:
 * - `numSpeakers`: one run with `numClusters` = numSpeakers;
 * - `minSpeakers`/`maxSpeakers`: a threshold run; if it finds more than max speakers, a second run
 *   with `numClusters` = max; if fewer than min, a second run with `numClusters` = min.
 *
 * sherpa's clustering clusters one embedding per (window, local speaker). When asked for more
 * clusters than there are embeddings (short audio, few turns), it puts every embedding in ONE
 * cluster. A forced run that comes back with one speaker is therefore retried with fewer clusters
 * (binary search down to 2) and the largest count that works is kept. The result can still hold
 * fewer speakers than asked: a cluster whose frames are all outvoted disappears. It never holds
 * more than `numSpeakers` or `maxSpeakers`.
 */
export async function clusterWithinBounds<T extends { speaker: number }>(
  run: (numClusters: number | undefined) => Promise<T[]>,
  options: DiarizationOptions,
): Promise<T[]> {
  if (options.numSpeakers !== undefined) return forcedClusters(run, options.numSpeakers, 1);
  const { minSpeakers, maxSpeakers } = options;
  const estimated = await run(undefined);
  const count = speakerCount(estimated);
  if (maxSpeakers !== undefined && count > maxSpeakers) return forcedClusters(run, maxSpeakers, 1);
  if (minSpeakers !== undefined && count < minSpeakers) {
    const forced = await forcedClusters(run, minSpeakers, Math.max(1, count));
    return speakerCount(forced) > count ? forced : estimated;
  }
  return estimated;
}

/** `run(k)`, or the largest `k'` in (floor, k) whose run does not collapse to one speaker. */
async function forcedClusters<T extends { speaker: number }>(
  run: (numClusters: number | undefined) => Promise<T[]>,
  k: number,
  floor: number,
): Promise<T[]> {
  const first = await run(k);
  if (k <= 1 || speakerCount(first) >= 2) return first;
  let best: T[] | undefined;
  let low = Math.max(2, floor + 1);
  let high = k - 1;
  while (low <= high) {
    const middle = Math.ceil((low + high) / 2);
    const result = await run(middle);
    if (speakerCount(result) >= 2) {
      best = result;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best ?? first;
}

/** A stretch of the file copied into the diarization buffer. */
export interface SpeechPiece {
  bufferStart: number;
  sourceStart: number;
  length: number;
}

export interface SpeechLayout {
  /** In buffer order, which is also file order. */
  pieces: SpeechPiece[];
  /** Samples in the buffer, separators included. */
  length: number;
}

/**
 * Where each VAD region goes in the diarization buffer: regions padded by `padSamples` and clamped
 * to the file, merged when they overlap or are at most `keptGapSamples` apart (the pause is kept),
 * and laid end to end with `separatorSamples` of silence between the rest.
 */
export function speechLayout(
  speech: readonly SpeechRegion[],
  totalSamples: number,
  settings: LayoutSettings = DEFAULT_LAYOUT,
): SpeechLayout {
  const regions = speech
    .map((r) => ({
      start: Math.max(0, Math.floor(r.start) - settings.padSamples),
      end: Math.min(totalSamples, Math.ceil(r.end) + settings.padSamples),
    }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const region of regions) {
    const last = merged[merged.length - 1];
    if (last && region.start - last.end <= settings.keptGapSamples) last.end = Math.max(last.end, region.end);
    else merged.push({ ...region });
  }
  const pieces: SpeechPiece[] = [];
  let length = 0;
  for (const region of merged) {
    if (pieces.length > 0) length += settings.separatorSamples;
    pieces.push({ bufferStart: length, sourceStart: region.start, length: region.end - region.start });
    length += region.end - region.start;
  }
  return { pieces, length };
}

/**
 * sherpa's segments (seconds in the buffer) as turns in samples on the file's timeline: each is cut
 * where it crosses a separator, and speakers are renumbered 0, 1, … in order of first appearance.
 */
export function turnsFromSegments(
  segments: readonly SherpaSpeakerSegment[],
  layout: SpeechLayout,
): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  const { pieces } = layout;
  for (const segment of segments) {
    const start = Math.round(segment.start * SAMPLE_RATE);
    const end = Math.round(segment.end * SAMPLE_RATE);
    for (let i = firstPieceEndingAfter(pieces, start); i < pieces.length; i++) {
      const piece = pieces[i];
      if (!piece || piece.bufferStart >= end) break;
      const from = Math.max(start, piece.bufferStart);
      const to = Math.min(end, piece.bufferStart + piece.length);
      if (to > from) {
        const offset = piece.sourceStart - piece.bufferStart;
        turns.push({ start: from + offset, end: to + offset, speaker: segment.speaker });
      }
    }
  }
  turns.sort((a, b) => a.start - b.start || a.end - b.end || a.speaker - b.speaker);
  return renumberSpeakers(turns);
}

/** Index of the first piece that ends after `sample` (binary search). */
function firstPieceEndingAfter(pieces: readonly SpeechPiece[], sample: number): number {
  let low = 0;
  let high = pieces.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const piece = pieces[middle];
    if (piece && piece.bufferStart + piece.length <= sample) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Speakers renumbered 0, 1, … in the order they first appear in `turns` (sorted by start). */
export function renumberSpeakers(turns: readonly SpeakerTurn[]): SpeakerTurn[] {
  const numbers = new Map<number, number>();
  return turns.map((turn) => {
    let speaker = numbers.get(turn.speaker);
    if (speaker === undefined) {
      speaker = numbers.size;
      numbers.set(turn.speaker, speaker);
    }
    return { ...turn, speaker };
  });
}
