/**
 * `npm run bench -- [dir] [--json out.json] [--model id]… [--repeat n] [--only files|joined] [--verbose]`
 *
 * For every installed ASR model, on every recording in `<dir>/refs.tsv` (default
 * ../shared/data/audio/speech, or EARSHOT_BENCH_DIR): WER and real-time factor of
 *   (a) the engine called directly, in this process, once on the whole decoded file, and
 *   (b) the pipeline as `earshot transcribe` runs it (ingest → probe → decode → VAD → chunks →
 *       engine host → text),
 * the pipeline's overhead against (a), and where the pipeline's time goes. Then the same on all
 * recordings joined into one file, where VAD cuts the audio into several chunks.
 *
 * Runs are sequential, (a) then (b) per file, after one throwaway run of each. Wall time on a
 * shared 2-core machine is noisy, so CPU time (this process tree, children included) is reported
 * beside it, and `--repeat n` runs each file n times, direct and pipeline alternating, and keeps
 * the least disturbed: the fastest run, and the smallest CPU time.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../src/config/config.js';
import type { StageName } from '../src/domain/job.js';
import { defaultTranscriptionRequest } from '../src/domain/transcription-request.js';
import type { AsrOptions, LoadedAsrModel } from '../src/engines/asr/asr-engine.js';
import { chunkParallelism, isAsrRuntime, loadAsrEngine } from '../src/engines/asr/asr-registry.js';
import { type CallOptions, EngineHost } from '../src/engines/host/engine-host.js';
import type { HostMethod, HostMethods } from '../src/engines/host/protocol.js';
import { createEnglishNormalizer, loadSpellingMap } from '../src/eval/english-normalizer.js';
import { wordErrorRate } from '../src/eval/wer.js';
import { createLogger } from '../src/logger.js';
import { MediaTool } from '../src/media/media-tool.js';
import { readPcmSlice } from '../src/media/pcm-file.js';
import { isSystemModel, loadCatalog } from '../src/models/catalog.js';
import type { CatalogModel } from '../src/models/catalog.types.js';
import { ModelStore } from '../src/models/model-store.js';
import { runTranscriptionPipeline } from '../src/pipeline/transcription.pipeline.js';
import { LocalBlobStore } from '../src/store/local.blob-store.js';
import { installVad } from '../test/helpers/server.js';
import { speechReferences, SPEECH_DIR, WHISPER_DATA_DIR } from '../test/helpers/shared-data.js';
import { treeCpuSeconds } from './lib/proc.js';
import { fixed, pct, table, verdict, writeJson } from './lib/report.js';
import { joinRecordings } from './lib/speech-audio.js';

const SAMPLE_RATE = 16_000;
/** What the pipeline passes to the engine for a default request (transcribe.stage.ts). */
const ASR_OPTIONS: AsrOptions = { detectLanguage: false, translate: false, hints: [] };
/** Audio used to measure an engine call's fixed cost (process start, model load): 0.5 s. */
const FIXED_COST_SAMPLES = SAMPLE_RATE / 2;

/** The engine host, timing each call it forwards (IPC + PCM read in the host + inference). */
class TimedEngineHost extends EngineHost {
  calls: { method: HostMethod; ms: number; audioSeconds: number }[] = [];

  override async call<M extends HostMethod>(
    method: M,
    params: HostMethods[M]['params'],
    options: CallOptions & { label?: string } = {},
  ): Promise<HostMethods[M]['result']> {
    const started = performance.now();
    try {
      return await super.call(method, params, options);
    } finally {
      const audioSeconds = 'endSample' in params ? (params.endSample - params.startSample) / SAMPLE_RATE : 0;
      this.calls.push({ method, ms: performance.now() - started, audioSeconds });
    }
  }
}

/** A recording to transcribe, with its reference and its samples decoded once up front. */
interface Item {
  id: string;
  file: string;
  reference: string;
  samples: Float32Array;
}

/** Pipeline stages as the progress callback announces them, plus model selection before the first. */
type Phase = 'select model' | StageName;
const PHASES: Phase[] = ['select model', 'ingest', 'probe', 'decode', 'vad', 'transcribe', 'text'];

interface Timed {
  text: string;
  ms: number;
  cpuMs: number;
}

interface PipelineRun extends Timed {
  phaseMs: Partial<Record<Phase, number>>;
  chunks: number;
  /** Sum of the transcribe calls' durations (they overlap where chunks run in parallel). */
  engineCallMs: number;
  speechSeconds: number;
}

interface ItemResult {
  id: string;
  audioSeconds: number;
  reference: string;
  direct: Timed;
  pipeline: PipelineRun;
}

interface Env {
  tmp: string;
  config: Config;
  models: ModelStore;
  media: MediaTool;
  log: ReturnType<typeof createLogger>;
  normalize: (text: string) => string;
  repeat: number;
  verbose: boolean;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const cpuNowMs = (): number => treeCpuSeconds(process.pid) * 1000;
const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu0 = cpuNowMs();
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0, cpuMs: cpuNowMs() - cpu0 };
}

/** Of several runs, the least disturbed by other work: the fastest, with the smallest CPU time seen. */
function leastDisturbed<T extends Timed>(runs: T[]): T {
  const fastest = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...fastest, cpuMs: Math.min(...runs.map((r) => r.cpuMs)) };
}

async function benchModel(model: CatalogModel, items: Item[], warmUpItem: Item, env: Env) {
  const resolved = env.models.resolve(model.id);
  const tools = { pocketsphinx: env.config.tools.pocketsphinx };
  const runtime = { threads: env.config.asr.threads, tmpDir: path.join(env.tmp, 'direct'), tools };
  const parallel = chunkParallelism(model.runtime, env.config.asr.threads);
  const signal = new AbortController().signal;

  // (a) the engine in this process.
  const load = await timed(async () => (await loadAsrEngine(model.runtime)).load(resolved, runtime));
  const loaded: LoadedAsrModel = load.value;
  const direct = async (samples: Float32Array): Promise<Timed> => {
    const run = await timed(() => loaded.transcribe(samples, ASR_OPTIONS, signal));
    return { text: run.value.words.map((w) => w.text).join(' '), ms: run.ms, cpuMs: run.cpuMs };
  };

  // (b) the pipeline, with one engine host for every run, as a worker keeps one.
  const engines = new TimedEngineHost(
    { threads: env.config.asr.threads, tmpDir: path.join(env.tmp, 'engine'), tools, logLevel: 'warn' },
    env.log,
  );
  let runNo = 0;
  const pipeline = async (item: Item): Promise<PipelineRun> => {
    const workDir = path.join(env.tmp, `run-${runNo++}`);
    await mkdir(workDir);
    const request = defaultTranscriptionRequest({ kind: 'file', path: item.file });
    request.speechModels = [model.id];
    engines.calls = [];
    const marks: { phase: Phase; at: number }[] = [];
    let end = 0;
    const run = await timed(async () => {
      marks.push({ phase: 'select model', at: performance.now() });
      const transcript = await runTranscriptionPipeline(request, {
        config: env.config,
        llm: null,
        blobs: new LocalBlobStore(path.join(workDir, 'blobs')),
        media: env.media,
        engines,
        models: env.models,
        log: env.log,
        tenantId: 'bench',
        workDir,
        signal,
        progress: (stage) => {
          if (marks.at(-1)?.phase !== stage) marks.push({ phase: stage, at: performance.now() });
        },
      });
      end = performance.now();
      return transcript;
    });
    await rm(workDir, { recursive: true, force: true });
    const phaseMs: Partial<Record<Phase, number>> = {};
    marks.forEach(
      (m, i) => (phaseMs[m.phase] = (phaseMs[m.phase] ?? 0) + ((marks[i + 1]?.at ?? end) - m.at)),
    );
    const asr = engines.calls.filter((c) => c.method === 'transcribe');
    return {
      text: run.value.text,
      ms: run.ms,
      cpuMs: run.cpuMs,
      phaseMs,
      chunks: asr.length,
      engineCallMs: asr.reduce((s, c) => s + c.ms, 0),
      speechSeconds: asr.reduce((s, c) => s + c.audioSeconds, 0),
    };
  };

  const results: ItemResult[] = [];
  let warmup: { directMs: number; pipelineMs: number; fixedCall: Timed };
  try {
    // Warm-up, not counted: one short file each way (page cache, JIT, host start, model loads).
    const first = warmUpItem;
    const coldDirect = await direct(first.samples);
    const coldPipeline = await timed(() => pipeline(first));
    // What one engine call costs whatever its length: the median of three calls on 0.5 s.
    const tiny: Timed[] = [];
    for (let i = 0; i < 3; i++) tiny.push(await direct(first.samples.subarray(0, FIXED_COST_SAMPLES)));
    warmup = {
      directMs: load.ms + coldDirect.ms,
      pipelineMs: coldPipeline.ms,
      fixedCall: { text: '', ms: median(tiny.map((t) => t.ms)), cpuMs: median(tiny.map((t) => t.cpuMs)) },
    };

    for (const item of items) {
      const directRuns: Timed[] = [];
      const pipelineRuns: PipelineRun[] = [];
      for (let i = 0; i < env.repeat; i++) {
        directRuns.push(await direct(item.samples));
        pipelineRuns.push(await pipeline(item));
      }
      const d = leastDisturbed(directRuns);
      const p = leastDisturbed(pipelineRuns);
      results.push({
        id: item.id,
        audioSeconds: item.samples.length / SAMPLE_RATE,
        reference: item.reference,
        direct: d,
        pipeline: p,
      });
      if (env.verbose)
        process.stderr.write(`  ${item.id}: direct ${fixed(d.ms, 0)} ms, pipeline ${fixed(p.ms, 0)} ms\n`);
    }
  } finally {
    loaded.dispose();
    await engines.close();
  }

  const sum = (f: (r: ItemResult) => number): number => results.reduce((s, r) => s + f(r), 0);
  const wer = (pick: (r: ItemResult) => string, rs = results): number =>
    wordErrorRate(
      rs.map((r) => ({ reference: r.reference, hypothesis: pick(r) })),
      env.normalize,
    ).wer;
  const phaseMs = Object.fromEntries(
    PHASES.map((p) => [p, sum((r) => r.pipeline.phaseMs[p] ?? 0)]),
  ) as Record<Phase, number>;
  const engineMs = sum((r) => r.direct.ms);
  const engineCpuMs = sum((r) => r.direct.cpuMs);
  const pipelineMs = sum((r) => r.pipeline.ms);
  const pipelineCpuMs = sum((r) => r.pipeline.cpuMs);
  const audioSeconds = sum((r) => r.audioSeconds);
  return {
    model: model.id,
    runtime: model.runtime,
    files: results.length,
    audioSeconds,
    werDirect: wer((r) => r.direct.text),
    werPipeline: wer((r) => r.pipeline.text),
    engineMs,
    pipelineMs,
    engineCpuMs,
    pipelineCpuMs,
    rtfDirect: engineMs / 1000 / audioSeconds,
    rtfPipeline: pipelineMs / 1000 / audioSeconds,
    overhead: (pipelineMs - engineMs) / engineMs,
    cpuOverhead: (pipelineCpuMs - engineCpuMs) / engineCpuMs,
    phaseMs,
    chunks: sum((r) => r.pipeline.chunks),
    chunkParallelism: parallel,
    speechSeconds: sum((r) => r.pipeline.speechSeconds),
    engineCallMs: sum((r) => r.pipeline.engineCallMs),
    warmup,
    modelLoadMs: load.ms,
    perFile: results.map((r) => ({
      ...r,
      werDirect: wer((x) => x.direct.text, [r]),
      werPipeline: wer((x) => x.pipeline.text, [r]),
    })),
  };
}

type Summary = Awaited<ReturnType<typeof benchModel>>;

function printDetails(s: Summary, label: string, verbose: boolean): void {
  console.log(
    `\n--- ${s.model}: ${label} (pipeline transcribes up to ${s.chunkParallelism} chunk(s) at once) ---`,
  );
  if (verbose) {
    console.log(
      table(
        ['file', 'audio s', 'direct ms', 'pipeline ms', 'chunks', 'WER direct', 'WER pipeline'],
        s.perFile.map((r) => [
          r.id,
          fixed(r.audioSeconds),
          fixed(r.direct.ms, 0),
          fixed(r.pipeline.ms, 0),
          String(r.pipeline.chunks),
          pct(r.werDirect),
          pct(r.werPipeline),
        ]),
      ),
    );
  }
  const perFile = (ms: number): string => fixed(ms / s.files, 1);
  console.log(
    table(
      ['pipeline wall time by stage', 'ms', 'share', 'ms per file'],
      [
        ...PHASES.map((p) => [
          p,
          fixed(s.phaseMs[p], 0),
          pct(s.phaseMs[p] / s.pipelineMs),
          perFile(s.phaseMs[p]),
        ]),
        ['total', fixed(s.pipelineMs, 0), '100.0%', perFile(s.pipelineMs)],
      ],
    ),
  );
  const outside = s.pipelineMs - s.phaseMs.transcribe;
  const w = s.warmup;
  console.log(
    [
      `engine (direct, whole files):   wall ${fixed(s.engineMs, 0)} ms, CPU ${fixed(s.engineCpuMs, 0)} ms, ${s.files} call(s)`,
      `pipeline:                       wall ${fixed(s.pipelineMs, 0)} ms, CPU ${fixed(s.pipelineCpuMs, 0)} ms → overhead wall ${pct(s.overhead)}, CPU ${pct(s.cpuOverhead)}`,
      `  transcribe stage:             ${fixed(s.phaseMs.transcribe, 0)} ms for ${s.chunks} chunk(s), ${fixed(s.speechSeconds)} s of the ${fixed(s.audioSeconds)} s sent to the engine`,
      `  engine-host transcribe calls: ${fixed(s.engineCallMs, 0)} ms summed, ${fixed(s.engineCallMs / Math.max(1, s.chunks), 0)} ms per chunk`,
      `  outside transcribe:           ${fixed(outside, 0)} ms = ${pct(outside / s.engineMs)} of engine time (probe ${fixed(s.phaseMs.probe, 0)}, decode ${fixed(s.phaseMs.decode, 0)}, VAD ${fixed(s.phaseMs.vad, 0)}, text ${fixed(s.phaseMs.text, 0)})`,
      `fixed cost of one engine call:  ${fixed(w.fixedCall.ms, 0)} ms wall, ${fixed(w.fixedCall.cpuMs, 0)} ms CPU on 0.5 s of audio (paid per chunk in the pipeline, per file direct)`,
      `warm-up (not counted):          model load + first direct call ${fixed(w.directMs, 0)} ms; first pipeline run ${fixed(w.pipelineMs, 0)} ms`,
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'string' },
      model: { type: 'string', multiple: true },
      repeat: { type: 'string', default: '1' },
      only: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
    },
  });
  const dir = path.resolve(positionals[0] ?? process.env.EARSHOT_BENCH_DIR ?? SPEECH_DIR);
  const baseConfig = loadConfig(process.env);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-'));
  try {
    // A models directory with the real Silero VAD plus links to the ASR models installed in
    // EARSHOT_MODELS_DIR, so nothing is written where the operator keeps models.
    const modelsDir = path.join(tmp, 'models');
    await installVad(modelsDir);
    const catalog = loadCatalog(baseConfig.modelsCatalogFile);
    const operatorModels = new ModelStore(baseConfig.modelsDir, catalog);
    for (const m of catalog) {
      if (m.kind === 'asr' && !isSystemModel(m) && operatorModels.isInstalled(m.id)) {
        await symlink(operatorModels.modelDir(m.id), path.join(modelsDir, m.id));
      }
    }
    const env: Env = {
      tmp,
      config: { ...baseConfig, modelsDir, asr: { ...baseConfig.asr, engine: 'auto', model: undefined } },
      models: new ModelStore(modelsDir, catalog),
      media: new MediaTool({ ffmpeg: baseConfig.tools.ffmpeg, ffprobe: baseConfig.tools.ffprobe }),
      log: createLogger({ logLevel: 'warn' }, 'bench'),
      normalize: createEnglishNormalizer(await loadSpellingMap(path.join(WHISPER_DATA_DIR, 'english.json'))),
      repeat: Math.max(1, Number(values.repeat) || 1),
      verbose: values.verbose ?? false,
    };
    const chosen = catalog.filter(
      (m) =>
        m.kind === 'asr' &&
        isAsrRuntime(m.runtime) &&
        env.models.isInstalled(m.id) &&
        (values.model === undefined || values.model.includes(m.id)),
    );
    if (chosen.length === 0) throw new Error('no installed ASR model to measure (see `earshot models list`)');

    // Decode every file once, up front: the direct runs read these samples.
    const decode = async (id: string, file: string, reference: string): Promise<Item> => {
      const pcm = path.join(tmp, `${id}.f32`);
      const { samples } = await env.media.decodeToPcm(file, pcm);
      return { id, file, reference, samples: await readPcmSlice(pcm, 0, samples) };
    };
    const files: Item[] = [];
    for (const ref of speechReferences(dir))
      files.push(await decode(ref.id, path.join(dir, ref.audio), ref.reference));
    const joinedPath = path.join(tmp, 'joined.wav');
    const joined =
      values.only === 'files'
        ? []
        : [await decode('joined', joinedPath, await joinRecordings(joinedPath, dir))];
    const audioSeconds = files.reduce((s, f) => s + f.samples.length / SAMPLE_RATE, 0);

    console.log(`Earshot ASR benchmark: ${files.length} files, ${fixed(audioSeconds)} s of speech in ${dir}`);
    console.log(
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ` +
        `engine threads ${env.config.asr.threads}, load average ${loadAverage()}, least disturbed of ${env.repeat} run(s)\n`,
    );
    console.log(
      [
        'engine time   = ONE in-process LoadedAsrModel.transcribe() call on the whole decoded file, model loaded',
        '                and warmed up (decoding not counted).',
        'pipeline time = runTranscriptionPipeline() as `earshot transcribe` runs it: ingest → probe → decode',
        '                (ffmpeg) → Silero VAD → chunks → engine host → text; engine host started and models',
        '                loaded by a warm-up run.',
        'overhead      = (pipeline − engine) / engine, in wall time and in CPU time (this process tree,',
        '                child processes included: pocketsphinx, ffmpeg, the engine host).',
        "RTF           = wall time / audio duration.  WER = corpus WER after Whisper's English normaliser.",
        'joined        = all recordings joined into one file: the engine gets it in one call, the pipeline in',
        '                VAD chunks of at most 30 s.',
      ].join('\n'),
    );

    const rows: { label: string; summary: Summary }[] = [];
    for (const model of chosen) {
      if (values.only !== 'joined') {
        const perFile = await benchModel(model, files, files[0] as Item, env);
        printDetails(perFile, 'each file', env.verbose);
        rows.push({ label: 'each file', summary: perFile });
      }
      if (joined.length > 0) {
        const long = await benchModel(model, joined, files[0] as Item, env);
        printDetails(long, 'joined into one file', false);
        rows.push({ label: 'joined', summary: long });
      }
    }

    console.log(`\n=== Summary (load average at the end ${loadAverage()}) ===`);
    console.log(
      table(
        [
          'model',
          'audio',
          'files',
          'audio s',
          'WER direct',
          'WER pipeline',
          'RTF direct',
          'RTF pipeline',
          'overhead wall',
          'overhead CPU',
        ],
        rows.map(({ label, summary: s }) => [
          s.model,
          label,
          String(s.files),
          fixed(s.audioSeconds),
          pct(s.werDirect),
          pct(s.werPipeline),
          fixed(s.rtfDirect, 3),
          fixed(s.rtfPipeline, 3),
          pct(s.overhead),
          pct(s.cpuOverhead),
        ]),
      ),
    );
    console.log(
      '\nTargets: pipeline overhead <= 10% of engine time; VAD chunking no worse than the engine on WER.',
    );
    for (const { label, summary: s } of rows) {
      const name = `${s.model}, ${label}:`;
      console.log(verdict(s.overhead <= 0.1, `${name} wall-time overhead ${pct(s.overhead)} <= 10%`));
      console.log(verdict(s.cpuOverhead <= 0.1, `${name} CPU-time overhead ${pct(s.cpuOverhead)} <= 10%`));
      console.log(
        verdict(
          s.werPipeline <= s.werDirect,
          `${name} WER pipeline ${pct(s.werPipeline)} <= direct ${pct(s.werDirect)}`,
        ),
      );
    }
    if (values.json) {
      await writeJson(values.json, {
        date: new Date().toISOString(),
        dir,
        machine: {
          cpus: os.cpus().length,
          cpu: os.cpus()[0]?.model,
          node: process.version,
          loadAverageAtEnd: os.loadavg(),
        },
        engineThreads: env.config.asr.threads,
        repeat: env.repeat,
        results: rows,
      });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
