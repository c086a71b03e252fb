/**
 * Typed, lazy access to `sherpa-onnx-node`.
 *
 * The package is CommonJS with a native addon (and its own onnxruntime). It is loaded with
 * `createRequire` on first use, so importing an engine module costs nothing until a model is
 * actually loaded, and a machine without the addon fails only when sherpa is chosen.
 *
 * Only what Earshot uses is typed here; the shapes follow the addon's `types.js` and the config
 * keys its C++ side reads (`scripts/node-addon-api/src/*.cc` in k2-fsa/sherpa-onnx).
 */
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { EarshotError } from '../domain/errors.js';

export interface SherpaFeatureConfig {
  sampleRate?: number;
  featureDim?: number;
}

export interface SherpaOfflineModelConfig {
  transducer?: { encoder: string; decoder: string; joiner: string };
  nemoCtc?: { model: string };
  whisper?: {
    encoder: string;
    decoder: string;
    /** Empty: detect the language (multilingual models). */
    language?: string;
    task?: 'transcribe' | 'translate';
    tailPaddings?: number;
    /** 1: per-token times from cross-attention (only models exported with attention outputs). */
    enableTokenTimestamps?: number;
  };
  moonshine?: { preprocessor: string; encoder: string; uncachedDecoder: string; cachedDecoder: string };
  senseVoice?: { model: string; language?: string; useInverseTextNormalization?: number };
  tokens: string;
  numThreads?: number;
  provider?: string;
  debug?: number;
  /** `transducer` (icefall/k2) or `nemo_transducer` (NeMo Parakeet/TDT); empty lets sherpa read the encoder's metadata. */
  modelType?: string;
  /** For hotwords: how phrases are split into tokens (`bpe`, `cjkchar`, `cjkchar+bpe`). */
  modelingUnit?: string;
  bpeVocab?: string;
}

export interface SherpaOfflineRecognizerConfig {
  featConfig?: SherpaFeatureConfig;
  modelConfig: SherpaOfflineModelConfig;
  decodingMethod?: 'greedy_search' | 'modified_beam_search';
  maxActivePaths?: number;
  hotwordsScore?: number;
}

/** What `decodeAsync` resolves to (`OfflineRecognitionResult::AsJsonString()` in C++). */
export interface SherpaOfflineResult {
  text: string;
  /** Language the model reported (`en` for Whisper, `<|en|>` for SenseVoice), or empty. */
  lang: string;
  emotion?: string;
  event?: string;
  tokens: string[];
  /** Start of each token in seconds; empty when the model gives none (Whisper, Moonshine). */
  timestamps: number[];
  /** Duration of each token in seconds; only TDT transducers and Whisper with attention outputs. */
  durations?: number[];
  /** Log-probability of each token; only transducers. */
  ys_log_probs?: number[];
}

export interface SherpaOfflineStream {
  acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void;
  setOption(key: string, value: string): void;
}

export interface SherpaOfflineRecognizer {
  readonly config: SherpaOfflineRecognizerConfig;
  /** `hotwords`: phrases separated by `/`; needs `modified_beam_search` (transducers only). */
  createStream(hotwords?: string): SherpaOfflineStream;
  /** Runs on a libuv worker thread, off the event loop. */
  decodeAsync(stream: SherpaOfflineStream): Promise<SherpaOfflineResult>;
  /** Replaces the runtime config (Whisper: language/task; SenseVoice: language). */
  setConfig(config: SherpaOfflineRecognizerConfig): void;
}

export interface SherpaOfflineRecognizerClass {
  /**
   * Loads the model on a worker thread. Unlike the synchronous constructor (deliberately not typed
   * here), it rejects on a corrupt ONNX file instead of aborting the process.
   */
  createAsync(config: SherpaOfflineRecognizerConfig): Promise<SherpaOfflineRecognizer>;
}

export interface SherpaVadConfig {
  sileroVad: {
    model: string;
    threshold: number;
    /** Seconds. */
    minSilenceDuration: number;
    /** Seconds. */
    minSpeechDuration: number;
    /** Samples per model call: 512 for Silero at 16 kHz. */
    windowSize: number;
    /** Seconds after which the VAD raises its threshold to find a split point. */
    maxSpeechDuration?: number;
  };
  sampleRate: number;
  numThreads?: number;
  provider?: string;
  debug?: number;
}

export interface SherpaSpeechSegment {
  /** First sample, counted from the first sample given to this detector. */
  start: number;
  samples: Float32Array;
}

export interface SherpaVad {
  acceptWaveform(samples: Float32Array): void;
  isEmpty(): boolean;
  isDetected(): boolean;
  front(enableExternalBuffer?: boolean): SherpaSpeechSegment;
  pop(): void;
  flush(): void;
  reset(): void;
}

/** Note: synchronous; a corrupt model file aborts the process, so verify checksums first. */
export type SherpaVadClass = new (config: SherpaVadConfig, bufferSizeInSeconds: number) => SherpaVad;

/** How speaker embeddings are grouped into speakers (sherpa's agglomerative "fast clustering"). */
export interface SherpaFastClusteringConfig {
  /** Exact number of clusters; when > 0, `threshold` is ignored. */
  numClusters?: number;
  /**
   * Cosine distance (1 - similarity, complete linkage) under which embeddings join one speaker:
   * larger means fewer speakers. 0 or absent means sherpa's default, 0.5.
   */
  threshold?: number;
}

export interface SherpaOfflineSpeakerDiarizationConfig {
  segmentation: {
    /** pyannote segmentation-3.0 style model (input `[1, 1, window]`, output `[1, frames, classes]`). */
    pyannote: { model: string };
    numThreads?: number;
    debug?: number;
    provider?: string;
  };
  /** A 3D-Speaker, WeSpeaker or NeMo speaker-embedding model (its `framework` metadata says which). */
  embedding: { model: string; numThreads?: number; debug?: number; provider?: string };
  clustering?: SherpaFastClusteringConfig;
  /**
   * Seconds; a turn shorter than this is dropped. 0 or absent means sherpa's default, 0.3 (0 cannot be
   * asked for: the C API replaces a zero with the default).
   */
  minDurationOn?: number;
  /** Seconds; a gap shorter than this inside one speaker's speech is closed. 0 or absent: 0.5. */
  minDurationOff?: number;
}

/** One speaker turn from `process`, in seconds from the first sample given. */
export interface SherpaSpeakerSegment {
  start: number;
  end: number;
  /** Cluster index; indices of clusters that won no frame are skipped. */
  speaker: number;
}

export interface SherpaOfflineSpeakerDiarization {
  readonly config: SherpaOfflineSpeakerDiarizationConfig;
  /** Sample rate the segmentation model expects (its `sample_rate` metadata). */
  readonly sampleRate: number;
  /** The native object, for the addon's functions the class does not wrap. */
  readonly handle: unknown;
  /** Synchronous: blocks the thread for the whole run. See `processSpeakerDiarization`. */
  process(samples: Float32Array): SherpaSpeakerSegment[];
  /** Replaces the clustering settings; models stay loaded. Not safe while a run is in progress. */
  setConfig(config: { clustering: SherpaFastClusteringConfig }): void;
}

/**
 * Loads both models synchronously: there is no async constructor. A file onnxruntime cannot parse
 * aborts the process (exit 134), required metadata missing exits it (255), and an embedding model
 * without `framework` metadata segfaults at the first `process` — check files before constructing.
 * A missing file or an invalid config throws a catchable TypeError ("Please check your config!").
 */
export type SherpaOfflineSpeakerDiarizationClass = new (
  config: SherpaOfflineSpeakerDiarizationConfig,
) => SherpaOfflineSpeakerDiarization;

/** Config of sherpa's offline punctuation (a CT-Transformer model). */
export interface SherpaOfflinePunctuationConfig {
  model: { ctTransformer: string; numThreads?: number; debug?: number; provider?: string };
}

export interface SherpaOfflinePunctuation {
  /**
   * Synchronous. Returns the text with the model's marks (full-width `，。？、`) after words; words
   * keep their spelling, and a word followed by a mark has no space after it.
   */
  addPunct(text: string): string;
}

/**
 * Loads the model synchronously (there is no async constructor): a file onnxruntime cannot parse
 * aborts the process, and missing metadata (`tokens`, `punctuations`, `vocab_size`, `unk_symbol`)
 * exits it.
 */
export type SherpaOfflinePunctuationClass = new (
  config: SherpaOfflinePunctuationConfig,
) => SherpaOfflinePunctuation;

export interface SherpaOnnxModule {
  OfflineRecognizer: SherpaOfflineRecognizerClass;
  OfflinePunctuation: SherpaOfflinePunctuationClass;
  Vad: SherpaVadClass;
  OfflineSpeakerDiarization: SherpaOfflineSpeakerDiarizationClass;
  version: string;
  onnxruntimeVersion?: string;
}

/** Functions of the native addon itself (`sherpa-onnx-node/addon.js`) that the package does not wrap. */
interface SherpaAddon {
  /**
   * Runs a diarization on a libuv worker thread, on a copy of `samples` (so the caller's array may be
   * released at once). `onProgress(done, total)` counts speaker-embedding computations; calls can
   * arrive after the promise has settled.
   */
  offlineSpeakerDiarizationProcessAsync?(
    handle: unknown,
    samples: Float32Array,
    onProgress: (done: number, total: number) => void,
  ): Promise<SherpaSpeakerSegment[]>;
}

let loaded: SherpaOnnxModule | undefined;
let loadedAddon: SherpaAddon | undefined;

/**
 * The `sherpa-onnx-node` module, loaded (native addon included) on first call.
 * @throws EarshotError `engineUnavailable` when the package or its platform addon is missing.
 */
export function loadSherpaOnnx(): SherpaOnnxModule {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  try {
    loaded = require('sherpa-onnx-node') as SherpaOnnxModule;
  } catch (error) {
    throw new EarshotError(
      'engineUnavailable',
      `sherpa-onnx-node could not be loaded on ${process.platform}-${process.arch}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return loaded;
}

/**
 * Runs `diarization.process` off the event loop when the addon offers it (sherpa-onnx-node 1.13.8
 * has `offlineSpeakerDiarizationProcessAsync`, unwrapped by the package's class); otherwise runs
 * the synchronous `process`, which blocks this thread until it is done.
 * `onProgress` gets 0..1 and is never called after the promise settles.
 */
export async function processSpeakerDiarization(
  diarization: SherpaOfflineSpeakerDiarization,
  samples: Float32Array,
  onProgress?: (fraction: number) => void,
): Promise<SherpaSpeakerSegment[]> {
  loadSherpaOnnx();
  if (!loadedAddon) {
    const require = createRequire(import.meta.url);
    loadedAddon = require('sherpa-onnx-node/addon.js') as SherpaAddon;
  }
  const addon = loadedAddon;
  if (!addon.offlineSpeakerDiarizationProcessAsync) return diarization.process(samples);
  let settled = false;
  try {
    // Called as a method: the addon keeps a reference to `this` for the progress callback.
    return await addon.offlineSpeakerDiarizationProcessAsync(diarization.handle, samples, (done, total) => {
      if (!settled && total > 0) onProgress?.(Math.min(1, done / total));
    });
  } finally {
    settled = true;
  }
}

export interface OnnxFileInspection {
  /** Why the file cannot be a whole ONNX model; absent when its framing is intact. */
  problem?: string;
  /** The model's `metadata_props` (sherpa reads `vocab_size`, `model_type`, `subsampling_factor`…). */
  metadata: Record<string, string>;
}

/** `metadata_props` entries larger than this are not read (real ones are a few bytes to a few KB). */
const MAX_METADATA_ENTRY_BYTES = 1 << 20;

/**
 * Checks the outer protobuf framing of an ONNX file and reads its metadata: every top-level field of
 * the `ModelProto` must be well formed and end inside the file, and a graph must be present. Only
 * field headers and metadata entries are read, so this is cheap even for multi-gigabyte models.
 *
 * Why: sherpa's synchronous constructors (the VAD has no other) abort the whole process on a file
 * onnxruntime cannot parse. A truncated download — the usual corruption — fails this check and can
 * be reported instead. It is a guard, not proof: checksums are the real verification.
 */
export async function inspectOnnxFile(filePath: string): Promise<OnnxFileInspection> {
  const metadata: Record<string, string> = {};
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return { problem: 'the file is empty', metadata };
    const header = Buffer.alloc(20);
    let position = 0;
    let sawGraph = false;
    while (position < size) {
      const { bytesRead } = await handle.read(header, 0, header.length, position);
      const reader = new VarintReader(header.subarray(0, bytesRead));
      const key = reader.varint();
      if (key === undefined)
        return { problem: `a field header at byte ${position} is cut off or malformed`, metadata };
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      if (field === 0) return { problem: `an invalid field number at byte ${position}`, metadata };
      if (field === 7) sawGraph = true;
      let end: number;
      if (wireType === 0) {
        if (reader.varint() === undefined)
          return { problem: `a value at byte ${position} is cut off or malformed`, metadata };
        end = position + reader.offset;
      } else if (wireType === 1) {
        end = position + reader.offset + 8;
      } else if (wireType === 2) {
        const length = reader.varint();
        if (length === undefined)
          return { problem: `a length at byte ${position} is cut off or malformed`, metadata };
        end = position + reader.offset + length;
        if (field === 14 && end <= size && length <= MAX_METADATA_ENTRY_BYTES) {
          const entry = Buffer.alloc(length);
          await handle.read(entry, 0, length, position + reader.offset);
          const parsed = parseStringPair(entry);
          if (parsed) metadata[parsed[0]] = parsed[1];
        }
      } else if (wireType === 5) {
        end = position + reader.offset + 4;
      } else {
        return { problem: `an unknown wire type ${wireType} at byte ${position}`, metadata };
      }
      if (end > size) {
        return {
          problem: `a field at byte ${position} runs past the end of the file (${size} bytes): the file is truncated`,
          metadata,
        };
      }
      position = end;
    }
    return sawGraph ? { metadata } : { problem: 'the file has no ONNX graph', metadata };
  } finally {
    await handle.close();
  }
}

class VarintReader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  varint(): number | undefined {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.bytes.length) return undefined;
      const byte = this.bytes[this.offset++] ?? 0;
      // Multiplication, not bit shifts: lengths in large models exceed 32 bits.
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    return undefined;
  }
}

/** Decodes a `StringStringEntryProto` (key = field 1, value = field 2). */
function parseStringPair(bytes: Buffer): [string, string] | undefined {
  const reader = new VarintReader(bytes);
  let key = '';
  let value = '';
  while (reader.offset < bytes.length) {
    const tag = reader.varint();
    if (tag === undefined || tag % 8 !== 2) return undefined;
    const length = reader.varint();
    if (length === undefined || reader.offset + length > bytes.length) return undefined;
    const text = bytes.toString('utf8', reader.offset, reader.offset + length);
    reader.offset += length;
    if (Math.floor(tag / 8) === 1) key = text;
    else if (Math.floor(tag / 8) === 2) value = text;
  }
  return [key, value];
}
