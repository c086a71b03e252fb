import type { CatalogModel } from '../../models/catalog.types.js';

export const SAMPLE_RATE = 16_000;

/** A word as an engine reports it, timed relative to the start of the audio it was given. */
export interface EngineWord {
  text: string;
  /** Seconds from the start of the given samples. */
  start: number;
  end: number;
  /** 0..1 */
  confidence: number;
}

export interface AsrResult {
  words: EngineWord[];
  /** Language the engine detected or used, when it knows. */
  language?: string;
  languageConfidence?: number;
}

export interface AsrOptions {
  /** Language to transcribe; absent with `detectLanguage` false means the model's default. */
  language?: string;
  detectLanguage: boolean;
  /** Translate into English instead of transcribing (only for models with `translation`). */
  translate: boolean;
  /** Key terms to favour (only for models with `hints`). */
  hints: string[];
}

/** A model on disk, resolved and ready to be verified and loaded. */
export interface ResolvedModel {
  model: CatalogModel;
  /** Absolute path of each file by its catalog `name`. */
  files: Record<string, string>;
  /** Expected sha256 by file name (published, or recorded at pull time). */
  sha256: Record<string, string | undefined>;
}

export interface LoadedAsrModel {
  /** Transcribes 16 kHz mono float samples. */
  transcribe(samples: Float32Array, options: AsrOptions, signal: AbortSignal): Promise<AsrResult>;
  dispose(): void;
}

export interface EngineRuntimeOptions {
  /** Threads an engine may use. */
  threads: number;
  /** Directory for temporary files (e.g. WAV chunks for CLI engines). */
  tmpDir: string;
  tools: { pocketsphinx: string };
}

/** An ASR runtime. Runs inside the engine host process, never on the API's event loop. */
export interface AsrEngine {
  readonly id: 'sherpa' | 'sphinx';
  load(model: ResolvedModel, options: EngineRuntimeOptions): Promise<LoadedAsrModel>;
}
