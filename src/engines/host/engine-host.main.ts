/**
 * The engine host: a child process of a worker that runs every native inference call (VAD, ASR).
 * A native crash (some runtimes abort on a corrupt model) takes down only this process; the
 * worker fails the job with a clear message and starts a new host. Models stay loaded between
 * calls.
 */
import { mkdirSync } from 'node:fs';
import { pino } from 'pino';
import { describeError, EarshotError, isEarshotError } from '../../domain/errors.js';
import { readPcmSlice } from '../../media/pcm-file.js';
import { verifyModelForLoading } from '../../models/model-verifier.js';
import type { EngineRuntimeOptions, LoadedAsrModel, ResolvedModel } from '../asr/asr-engine.js';
import { loadAsrEngine } from '../asr/asr-registry.js';
import type { LoadedDiarizer } from '../diarization/diarization-engine.js';
import { type DiarizationEngineId, loadDiarizationEngine } from '../diarization/diarization-registry.js';
import { type LoadedPunctuator, loadSherpaPunctuation } from '../punctuation/sherpa.punctuation.js';
import { detectSpeechInFile } from '../vad/silero.vad.js';
import type { HostMethods, HostRequest, HostResponse } from './protocol.js';

const runtime = JSON.parse(process.argv[2] ?? '{}') as EngineRuntimeOptions & { logLevel: string };
const log = pino(
  { level: runtime.logLevel ?? 'info', base: { role: 'engine-host', pid: process.pid } },
  pino.destination(2),
);
mkdirSync(runtime.tmpDir, { recursive: true });

/** Loaded ASR models by model id. One at a time: a second model evicts the first to bound memory. */
const loadedModels = new Map<string, Promise<LoadedAsrModel>>();
const inFlight = new Map<number, AbortController>();
/** Loaded diarizers by engine and model ids; small, so kept for the life of the process. */
const loadedDiarizers = new Map<string, Promise<LoadedDiarizer>>();

function loadDiarizer(engineId: DiarizationEngineId, models: ResolvedModel[]): Promise<LoadedDiarizer> {
  const key = [engineId, ...models.map((m) => m.model.id)].join('|');
  let loading = loadedDiarizers.get(key);
  if (!loading) {
    loading = (async () => {
      for (const model of models) await verifyModelForLoading(model);
      const engine = await loadDiarizationEngine(engineId);
      return engine.load(models, { threads: runtime.threads });
    })();
    loadedDiarizers.set(key, loading);
    loading.catch(() => loadedDiarizers.delete(key));
  }
  return loading;
}

/** Loaded punctuation models by model id; loaded on first use and kept (one is usually installed). */
const loadedPunctuators = new Map<string, Promise<LoadedPunctuator>>();

function loadPunctuator(model: ResolvedModel): Promise<LoadedPunctuator> {
  let loading = loadedPunctuators.get(model.model.id);
  if (!loading) {
    loading = (async () => {
      await verifyModelForLoading(model);
      const started = Date.now();
      const loaded = await loadSherpaPunctuation(model, { threads: runtime.threads });
      log.info({ model: model.model.id, ms: Date.now() - started }, 'punctuation model loaded');
      return loaded;
    })();
    loadedPunctuators.set(model.model.id, loading);
    loading.catch(() => loadedPunctuators.delete(model.model.id));
  }
  return loading;
}

function send(message: HostResponse): void {
  process.send?.(message);
}

async function loadModel(model: ResolvedModel): Promise<LoadedAsrModel> {
  const cached = loadedModels.get(model.model.id);
  if (cached) return cached;
  for (const [id, other] of loadedModels) {
    loadedModels.delete(id);
    other.then((m) => m.dispose()).catch(() => undefined);
  }
  const loading = (async () => {
    await verifyModelForLoading(model);
    const engine = await loadAsrEngine(model.model.runtime);
    const started = Date.now();
    const loaded = await engine.load(model, runtime);
    log.info({ model: model.model.id, ms: Date.now() - started }, 'model loaded');
    return loaded;
  })();
  loadedModels.set(model.model.id, loading);
  loading.catch(() => loadedModels.delete(model.model.id));
  return loading;
}

const handlers: {
  [M in keyof HostMethods]: (
    params: HostMethods[M]['params'],
    id: number,
    signal: AbortSignal,
  ) => Promise<HostMethods[M]['result']>;
} = {
  async vad(params, id, signal) {
    await verifyModelForLoading(params.model);
    const [modelPath] = Object.values(params.model.files);
    if (!modelPath)
      throw new EarshotError('modelMissing', `VAD model ${params.model.model.id} lists no file`);
    return detectSpeechInFile(params.pcmPath, modelPath, params.options, {
      signal,
      threads: 1,
      onProgress: (fraction) => send({ type: 'progress', id, fraction }),
    });
  },
  async diarize(params, id, signal) {
    const diarizer = await loadDiarizer(params.engine, params.models);
    return diarizer.diarize(
      { pcmPath: params.pcmPath, speech: params.speech, options: params.options },
      { signal, onProgress: (fraction) => send({ type: 'progress', id, fraction }) },
    );
  },
  async punctuate(params, _id, signal) {
    const punctuator = await loadPunctuator(params.model);
    return punctuator.punctuate(params.texts, signal);
  },
  async transcribe(params, _id, signal) {
    const model = await loadModel(params.model);
    const samples = await readPcmSlice(params.pcmPath, params.startSample, params.endSample);
    return model.transcribe(samples, params.options, signal);
  },
};

async function handle(request: Extract<HostRequest, { type: 'call' }>): Promise<void> {
  const controller = new AbortController();
  inFlight.set(request.id, controller);
  try {
    const handler = handlers[request.method] as (p: unknown, id: number, s: AbortSignal) => Promise<unknown>;
    const result = await handler(request.params, request.id, controller.signal);
    send({ type: 'result', id: request.id, result });
  } catch (error) {
    const code = isEarshotError(error) ? error.code : 'internal';
    if (!isEarshotError(error)) log.error({ err: error, method: request.method }, 'engine call failed');
    send({ type: 'error', id: request.id, error: { code, message: describeError(error) } });
  } finally {
    inFlight.delete(request.id);
  }
}

process.on('message', (request: HostRequest) => {
  if (request.type === 'cancel') inFlight.get(request.id)?.abort();
  else void handle(request);
});

// The worker is our only reason to exist: when it goes, so do we.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
