import type { DiarizationEngine } from './diarization-engine.js';

export type DiarizationEngineId = DiarizationEngine['id'];

/** Diarization runtimes, imported lazily: the sherpa one loads a native addon. */
const loaders: Record<DiarizationEngineId, () => Promise<DiarizationEngine>> = {
  builtin: async () => (await import('./builtin/index.js')).builtinDiarizationEngine,
  sherpa: async () => (await import('./sherpa.diarization.js')).sherpaDiarizationEngine,
};

export async function loadDiarizationEngine(id: DiarizationEngineId): Promise<DiarizationEngine> {
  return loaders[id]();
}
