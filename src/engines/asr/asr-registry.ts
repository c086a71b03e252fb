import { EarshotError } from '../../domain/errors.js';
import type { ModelRuntime } from '../../models/catalog.types.js';
import type { AsrEngine } from './asr-engine.js';

type AsrRuntime = Extract<ModelRuntime, 'sherpa' | 'sphinx'>;

/**
 * ASR runtimes by id, imported lazily so a runtime's native module loads only when a model of
 * that runtime is first used.
 */
const loaders: Record<AsrRuntime, () => Promise<AsrEngine>> = {
  sherpa: async () => (await import('./sherpa.engine.js')).sherpaEngine,
  sphinx: async () => (await import('./sphinx.engine.js')).sphinxEngine,
};

export function isAsrRuntime(runtime: ModelRuntime): runtime is AsrRuntime {
  return Object.hasOwn(loaders, runtime);
}

export async function loadAsrEngine(runtime: ModelRuntime): Promise<AsrEngine> {
  if (!isAsrRuntime(runtime))
    throw new EarshotError('engineUnavailable', `"${runtime}" is not a speech recognition runtime`);
  return loaders[runtime]();
}

/**
 * Longest chunk a runtime is given, in seconds. Whisper-family models see at most 30 s. Sphinx does
 * its own utterance segmentation and keeps its language-model context across it: measured on the
 * 22 shared recordings joined into one 149 s file, WER was 32.3% with 30 s chunks, 26.4% with 60 s
 * and 25.8% with 120 s (one process start per chunk costs ~1 s, too).
 */
export function maxChunkSeconds(runtime: ModelRuntime): number {
  return runtime === 'sphinx' ? 120 : 30;
}

/**
 * How many chunks of one job may be transcribed at once. Sphinx runs one single-threaded
 * process per chunk, so chunks spread over the cores; sherpa already uses every thread per
 * decode, so chunks go one at a time.
 */
export function chunkParallelism(runtime: ModelRuntime, threads: number): number {
  return runtime === 'sphinx' ? Math.max(1, threads) : 1;
}
