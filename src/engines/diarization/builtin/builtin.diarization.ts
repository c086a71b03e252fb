/**
 * The `builtin` diarization engine: speaker turns from signal features alone, with no model files,
 * in plain TypeScript. See diarizer.ts for the method and the measurements behind it.
 *
 * Cost, measured on an hour of the shared recordings looped (55 min of speech, this 2-core
 * machine): 36 s on one core — features 5 s, UBM 1.5 s, window embeddings and PCA 8 s, clustering
 * 11 s, resegmentation 5 s, overlap detection 5 s. That is 1% of the audio's duration against the
 * 5% budget, so the engine runs on one thread and the `threads` option is not used.
 */
import { EarshotError } from '../../../domain/errors.js';
import type {
  DiarizationEngine,
  DiarizationHooks,
  DiarizationInput,
  DiarizationOptions,
  LoadedDiarizer,
  SpeakerTurn,
} from '../diarization-engine.js';
import {
  DEFAULT_CONFIG,
  diarizeFeatures,
  type DiarizerConfig,
  type DiarizerTrace,
  type SpeakerBounds,
} from './diarizer.js';
import { FeatureExtractor } from './features.js';
import { extractSpeechFeatures, throwIfAborted } from './speech-features.js';

/** Upper bound on the estimated speaker count when the caller gives none. */
export const DEFAULT_MAX_SPEAKERS = 10;

/** Share of the progress bar for feature extraction (reading the file); the rest is diarization. */
const FEATURE_SHARE = 0.3;

export const builtinDiarizationEngine: DiarizationEngine = {
  id: 'builtin',
  load(_models, _options) {
    return Promise.resolve(new BuiltinDiarizer());
  },
};

/** Extra hooks for tests and the benchmark. */
export interface BuiltinDiarizerInternals {
  config?: Partial<DiarizerConfig>;
  onTrace?: (trace: DiarizerTrace) => void;
}

export class BuiltinDiarizer implements LoadedDiarizer {
  private readonly extractor = new FeatureExtractor();

  constructor(private readonly internals: BuiltinDiarizerInternals = {}) {}

  async diarize(input: DiarizationInput, hooks: DiarizationHooks): Promise<SpeakerTurn[]> {
    const bounds = speakerBounds(input.options);
    throwIfAborted(hooks.signal);
    const features = await extractSpeechFeatures(input.pcmPath, input.speech, this.extractor, {
      signal: hooks.signal,
      onProgress: (fraction) => hooks.onProgress?.(FEATURE_SHARE * fraction),
    });
    return diarizeFeatures(
      features,
      bounds,
      { ...DEFAULT_CONFIG, ...this.internals.config },
      {
        signal: hooks.signal,
        onProgress: (fraction) => hooks.onProgress?.(FEATURE_SHARE + (1 - FEATURE_SHARE) * fraction),
        onTrace: this.internals.onTrace,
      },
    );
  }

  dispose(): void {}
}

/** Checks the caller's speaker options and turns them into clustering bounds. */
export function speakerBounds(options: DiarizationOptions): SpeakerBounds {
  const count = (name: keyof DiarizationOptions): number | undefined => {
    const value = options[name];
    if (value === undefined) return undefined;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new EarshotError('badRequest', `${name} must be a whole number of at least 1 (got ${value}).`, {
        param: name,
      });
    }
    return value;
  };
  const fixed = count('numSpeakers');
  const min = count('minSpeakers') ?? 1;
  const max = count('maxSpeakers') ?? Math.max(DEFAULT_MAX_SPEAKERS, min);
  if (min > max) {
    throw new EarshotError('badRequest', `minSpeakers (${min}) is more than maxSpeakers (${max}).`, {
      param: 'minSpeakers',
    });
  }
  if (
    fixed !== undefined &&
    (fixed < min || fixed > max) &&
    (options.minSpeakers !== undefined || options.maxSpeakers !== undefined)
  ) {
    throw new EarshotError(
      'badRequest',
      `numSpeakers (${fixed}) is outside minSpeakers–maxSpeakers (${min}–${max}).`,
      {
        param: 'numSpeakers',
      },
    );
  }
  return fixed !== undefined ? { fixed, min: fixed, max: fixed } : { min, max };
}
