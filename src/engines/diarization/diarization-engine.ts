import type { SpeechRegion } from '../vad/vad-engine.js';
import type { ResolvedModel } from '../asr/asr-engine.js';

/**
 * One speaker talking, in samples (16 kHz) on the timeline of the audio given to the engine.
 * Turns of different speakers may overlap (two people talking at once).
 */
export interface SpeakerTurn {
  start: number;
  end: number;
  /** 0-based speaker index, numbered in order of first appearance. */
  speaker: number;
}

export interface DiarizationOptions {
  /** Exact number of speakers, when the caller knows it. */
  numSpeakers?: number;
  /** Bounds on the number of speakers when it is estimated. */
  minSpeakers?: number;
  maxSpeakers?: number;
}

export interface DiarizationInput {
  /** Raw float32le 16 kHz mono samples. */
  pcmPath: string;
  /** Where VAD found speech in that file (sorted, non-overlapping). */
  speech: readonly SpeechRegion[];
  options: DiarizationOptions;
}

export interface DiarizationHooks {
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
}

export interface LoadedDiarizer {
  diarize(input: DiarizationInput, hooks: DiarizationHooks): Promise<SpeakerTurn[]>;
  dispose(): void;
}

/** A diarization runtime. Runs inside the engine host process, never on the API's event loop. */
export interface DiarizationEngine {
  readonly id: 'builtin' | 'sherpa';
  /** `models` are the engine's model files (none for `builtin`). */
  load(models: readonly ResolvedModel[], options: { threads: number }): Promise<LoadedDiarizer>;
}
