import type { AsrOptions, AsrResult, ResolvedModel } from '../asr/asr-engine.js';
import type { DiarizationOptions, SpeakerTurn } from '../diarization/diarization-engine.js';
import type { DiarizationEngineId } from '../diarization/diarization-registry.js';
import type { SpeechRegion, VadOptions } from '../vad/vad-engine.js';

/**
 * Messages between a worker and its engine host child process (Node IPC, `advanced`
 * serialization). Audio never crosses the pipe: the host reads the decoded PCM file itself.
 */
export interface HostMethods {
  vad: {
    params: { pcmPath: string; model: ResolvedModel; options: VadOptions };
    result: SpeechRegion[];
  };
  transcribe: {
    params: {
      model: ResolvedModel;
      pcmPath: string;
      /** First sample (16 kHz) of the slice to transcribe. */
      startSample: number;
      /** One past the last sample. */
      endSample: number;
      options: AsrOptions;
    };
    result: AsrResult;
  };
  /** Punctuation by a `punctuation` model, one output per text (see `sherpa.punctuation.ts`). */
  punctuate: {
    params: { model: ResolvedModel; texts: string[] };
    result: string[];
  };
  diarize: {
    params: {
      engine: DiarizationEngineId;
      /** The engine's model files (none for `builtin`). */
      models: ResolvedModel[];
      pcmPath: string;
      speech: SpeechRegion[];
      options: DiarizationOptions;
    };
    result: SpeakerTurn[];
  };
}

export type HostMethod = keyof HostMethods;

export type HostRequest =
  | {
      [M in HostMethod]: { type: 'call'; id: number; method: M; params: HostMethods[M]['params'] };
    }[HostMethod]
  | { type: 'cancel'; id: number };

export interface SerializedError {
  code: string;
  message: string;
}

export type HostResponse =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'ready' };
