/**
 * `npm run bench:diarization -- [dir] [--speakers estimated|exact|both] [--synthetic] [--long seconds]
 *   [--engine builtin|sherpa]… [--json out.json] [--rttm out-dir]`
 *
 * For every `<name>.rttm` in `dir` (default ../shared/data/audio/multispeaker) with its audio beside
 * it (`<name>.wav`, `.flac`, …): decode to 16 kHz mono, find speech with the real Silero VAD (the
 * pipeline's settings), run each available diarization engine on it, and score the turns with
 * md-eval's DER: with a 0.25 s collar and without, split into missed speech, false alarm and
 * speaker confusion, with the estimated and reference speaker counts and the real-time factor of the
 * diarization alone (decoding and VAD not counted). `--speakers exact` gives the engines the
 * reference count instead of letting them estimate it; `both` runs each way.
 *
 * `--synthetic` adds conversations made from the shared single-speaker recordings (known answer:
 * see src/engines/diarization/builtin/synthetic-conversation.ts). `--long 3600` times the builtin
 * engine on an hour of speech (the shared recordings looped; it has no reference, only a time).
 *
 * Engines: `builtin` always; `sherpa` when its module and models are installed (skipped otherwise).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import type {
  DiarizationEngine,
  LoadedDiarizer,
  SpeakerTurn,
} from '../src/engines/diarization/diarization-engine.js';
import { loadDiarizationEngine } from '../src/engines/diarization/diarization-registry.js';
import {
  composeConversation,
  loadSharedSpeakers,
  SYNTHETIC_SETS,
} from '../src/engines/diarization/builtin/synthetic-conversation.js';
import { detectSpeechInFile, detectSpeechInSamples } from '../src/engines/vad/silero.vad.js';
import { DEFAULT_VAD_OPTIONS, type SpeechRegion } from '../src/engines/vad/vad-engine.js';
import { diarizationErrorRate, type DerResult, type SpeakerSegment } from '../src/eval/der.js';
import { formatRttm, parseRttm, turnsToSegments } from '../src/eval/rttm.js';
import { MediaTool } from '../src/media/media-tool.js';
import { readPcmSlice, writePcmFile } from '../src/media/pcm-file.js';
import { loadCatalog } from '../src/models/catalog.js';
import { selectDiarizer } from '../src/models/model-selection.js';
import { ModelStore } from '../src/models/model-store.js';
import { MULTISPEAKER_DIR, SPEECH_DIR, VAD_MODELS_DIR } from '../test/helpers/shared-data.js';
import { fixed, pct, table, verdict, writeJson } from './lib/report.js';
import { makeSpeechFile } from './lib/speech-audio.js';

const SAMPLE_RATE = 16_000;
const VAD_MODEL = path.join(VAD_MODELS_DIR, 'silero_vad_v6.2.onnx');
const AUDIO_EXTENSIONS = ['.wav', '.flac', '.mp3', '.ogg', '.opus', '.m4a'];
const COLLAR = 0.25;

/** A recording ready to diarize: decoded, with its speech regions and its reference. */
interface Item {
  id: string;
  pcmPath: string;
  seconds: number;
  speech: SpeechRegion[];
  reference: SpeakerSegment[];
  referenceSpeakers: number;
  /** Seconds when at least one reference speaker talks. */
  referenceSpeech: number;
}

interface Row {
  id: string;
  engine: string;
  mode: 'estimated' | 'exact';
  speakers: number;
  referenceSpeakers: number;
  referenceSpeech: number;
  withCollar: DerResult;
  noCollar: DerResult;
  seconds: number;
  diarizeMs: number;
  cpuMs: number;
  turns: SpeakerTurn[];
}

interface EngineEntry {
  id: string;
  loaded: LoadedDiarizer;
}

async function loadEngines(wanted: readonly string[] | undefined): Promise<EngineEntry[]> {
  const config = loadConfig(process.env);
  const out: EngineEntry[] = [];
  for (const id of ['builtin', 'sherpa'] as const) {
    if (wanted && !wanted.includes(id)) continue;
    if (id === 'builtin') {
      const engine = await loadDiarizationEngine('builtin');
      out.push({ id, loaded: await engine.load([], { threads: config.asr.threads }) });
      continue;
    }
    // sherpa: only when another engineer's module exists and its models are installed.
    const store = new ModelStore(config.modelsDir, loadCatalog(config.modelsCatalogFile));
    let modelIds: string[];
    try {
      modelIds = selectDiarizer(store, 'sherpa').modelIds;
    } catch (error) {
      console.log(`sherpa: skipped (${describe(error)})`);
      continue;
    }
    let engine: DiarizationEngine;
    try {
      engine = await loadDiarizationEngine('sherpa');
    } catch (error) {
      console.log(`sherpa: skipped, its module could not be loaded (${describe(error)})`);
      continue;
    }
    out.push({
      id,
      loaded: await engine.load(
        modelIds.map((m) => store.resolve(m)),
        { threads: config.asr.threads },
      ),
    });
  }
  return out;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/** Every `<name>.rttm` in `dir` with an audio file of the same name. */
async function rttmItems(dir: string, tmp: string, media: MediaTool): Promise<Item[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.rttm')).sort();
  const items: Item[] = [];
  for (const name of names) {
    const id = name.slice(0, -'.rttm'.length);
    const audioName = (await readdir(dir)).find(
      (n) => n.startsWith(`${id}.`) && AUDIO_EXTENSIONS.includes(path.extname(n).toLowerCase()),
    );
    if (!audioName) {
      console.log(`${name}: no audio file beside it, skipped`);
      continue;
    }
    const reference = parseRttm(await readFile(path.join(dir, name), 'utf8')).get(id) ?? [];
    const pcmPath = path.join(tmp, `${id}.f32`);
    const { samples } = await media.decodeToPcm(path.join(dir, audioName), pcmPath);
    const speech = await detectSpeechInFile(pcmPath, VAD_MODEL, DEFAULT_VAD_OPTIONS);
    items.push(item(id, pcmPath, samples, speech, reference));
  }
  return items;
}

function item(
  id: string,
  pcmPath: string,
  samples: number,
  speech: SpeechRegion[],
  reference: SpeakerSegment[],
): Item {
  return {
    id,
    pcmPath,
    seconds: samples / SAMPLE_RATE,
    speech,
    reference,
    referenceSpeakers: new Set(reference.map((s) => s.speaker)).size,
    referenceSpeech: union(reference),
  };
}

async function syntheticItems(tmp: string, media: MediaTool): Promise<Item[]> {
  const decode = async (file: string): Promise<Float32Array> => {
    const out = path.join(tmp, `speaker-${path.basename(file)}.f32`);
    const { samples } = await media.decodeToPcm(file, out);
    return readPcmSlice(out, 0, samples);
  };
  const detect = (samples: Float32Array): Promise<SpeechRegion[]> =>
    detectSpeechInSamples(samples, VAD_MODEL, DEFAULT_VAD_OPTIONS);
  const items: Item[] = [];
  for (const set of SYNTHETIC_SETS) {
    const speakers = await loadSharedSpeakers(set.speakers, SPEECH_DIR, decode, detect);
    const conversation = composeConversation(speakers, set.options);
    const pcmPath = path.join(tmp, `${set.id}.f32`);
    await writePcmFile(pcmPath, conversation.samples);
    const speech = await detectSpeechInFile(pcmPath, VAD_MODEL, DEFAULT_VAD_OPTIONS);
    items.push(item(set.id, pcmPath, conversation.samples.length, speech, conversation.reference));
  }
  return items;
}

async function run(engine: EngineEntry, it: Item, mode: Row['mode']): Promise<Row> {
  const options = mode === 'exact' ? { numSpeakers: it.referenceSpeakers } : {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const turns = await engine.loaded.diarize({ pcmPath: it.pcmPath, speech: it.speech, options }, {});
  const diarizeMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const hypothesis = turnsToSegments(turns, SAMPLE_RATE);
  return {
    id: it.id,
    engine: engine.id,
    mode,
    speakers: new Set(turns.map((t) => t.speaker)).size,
    referenceSpeakers: it.referenceSpeakers,
    referenceSpeech: it.referenceSpeech,
    withCollar: diarizationErrorRate(it.reference, hypothesis, { collarSeconds: COLLAR }),
    noCollar: diarizationErrorRate(it.reference, hypothesis),
    seconds: it.seconds,
    diarizeMs,
    // In-process engines only: a native engine's own threads are counted too, a child's are not.
    cpuMs: (cpu.user + cpu.system) / 1000,
    turns,
  };
}

function printTable(rows: readonly Row[]): void {
  const errors = (r: DerResult): string[] => [
    pct(r.der),
    pct(r.missRate),
    pct(r.falseAlarmRate),
    pct(r.confusionRate),
  ];
  console.log(
    table(
      [
        'file',
        'engine',
        'speakers',
        'count',
        `DER@${COLLAR}`,
        'miss',
        'FA',
        'conf',
        'DER@0',
        'miss',
        'FA',
        'conf',
        'RTF',
      ],
      rows.map((r) => [
        r.id,
        r.engine,
        r.mode,
        `${r.speakers}/${r.referenceSpeakers}`,
        ...errors(r.withCollar),
        ...errors(r.noCollar),
        fixed(r.diarizeMs / 1000 / r.seconds, 4),
      ]),
    ),
  );
}

function printVerdicts(rows: readonly Row[]): void {
  console.log('\nTargets (issue #3):');
  for (const r of rows) {
    const name = `${r.engine} ${r.id} (${r.mode}):`;
    const countOk =
      r.mode === 'exact'
        ? r.speakers === r.referenceSpeakers
        : Math.abs(r.speakers - r.referenceSpeakers) <= 1;
    console.log(
      verdict(
        countOk,
        `${name} ${r.speakers} speakers for ${r.referenceSpeakers} (${r.mode === 'exact' ? 'exact' : '±1'})`,
      ),
    );
    if (r.engine !== 'builtin') continue;
    if (r.id === 'pyannote_sample') {
      console.log(
        verdict(r.withCollar.der <= 0.15, `${name} DER ${pct(r.withCollar.der)} <= 15% (0.25 s collar)`),
      );
    }
    if (r.id === 'ami_pyannote_tst00') {
      console.log(
        verdict(
          r.withCollar.confusionRate <= 0.15,
          `${name} confusion ${pct(r.withCollar.confusionRate)} <= 15%`,
        ),
      );
      const floor = overlapShare(r);
      console.log(
        verdict(
          r.noCollar.missRate < floor,
          `${name} missed speech ${pct(r.noCollar.missRate)} (no collar) below the one-speaker floor ${pct(floor)}`,
        ),
      );
    }
    console.log(
      verdict(
        r.diarizeMs / 1000 <= 0.05 * r.seconds,
        `${name} RTF ${fixed(r.diarizeMs / 1000 / r.seconds, 4)} <= 0.05`,
      ),
    );
  }
}

/**
 * The share of reference speaker time that a system giving each moment one speaker must miss (all
 * speaker time beyond the first speaker of each moment), without collar.
 */
function overlapShare(r: Row): number {
  return r.noCollar.scored > 0 ? 1 - r.referenceSpeech / r.noCollar.scored : 0;
}

/** Seconds covered by at least one segment. */
function union(segments: readonly SpeakerSegment[]): number {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const s of sorted) {
    if (s.start > end) {
      if (end > start) total += end - start;
      start = s.start;
      end = s.end;
    } else end = Math.max(end, s.end);
  }
  if (end > start) total += end - start;
  return total;
}

async function timeLong(
  seconds: number,
  tmp: string,
  media: MediaTool,
  engines: EngineEntry[],
): Promise<void> {
  const builtin = engines.find((e) => e.id === 'builtin');
  if (!builtin) return;
  console.log(
    `\nTiming on ${fixed(seconds / 60, 0)} min of speech (the shared recordings looped; no reference):`,
  );
  const wav = path.join(tmp, 'long.wav');
  await makeSpeechFile(wav, seconds);
  const pcmPath = path.join(tmp, 'long.f32');
  const { samples } = await media.decodeToPcm(wav, pcmPath);
  const t0 = performance.now();
  const speech = await detectSpeechInFile(pcmPath, VAD_MODEL, DEFAULT_VAD_OPTIONS);
  const vadMs = performance.now() - t0;
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const turns = await builtin.loaded.diarize({ pcmPath, speech, options: {} }, {});
  const ms = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const audioSeconds = samples / SAMPLE_RATE;
  console.log(
    `  VAD ${fixed(vadMs / 1000)} s; builtin diarization ${fixed(ms / 1000)} s wall, ${fixed((cpu.user + cpu.system) / 1e6)} s CPU, ` +
      `RTF ${fixed(ms / 1000 / audioSeconds, 4)}, ${turns.length} turns, ${new Set(turns.map((t) => t.speaker)).size} speakers`,
  );
  console.log(
    verdict(
      ms / 1000 <= 0.05 * audioSeconds,
      `builtin on ${fixed(audioSeconds / 60, 0)} min: ${fixed(ms / 1000)} s <= ${fixed((0.05 * audioSeconds) / 60, 1)} min (5% of the audio)`,
    ),
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      speakers: { type: 'string', default: 'estimated' },
      synthetic: { type: 'boolean', default: false },
      long: { type: 'string' },
      engine: { type: 'string', multiple: true },
      json: { type: 'string' },
      rttm: { type: 'string' },
    },
  });
  const modes: Row['mode'][] =
    values.speakers === 'both'
      ? ['estimated', 'exact']
      : values.speakers === 'exact'
        ? ['exact']
        : ['estimated'];
  const dir = path.resolve(positionals[0] ?? MULTISPEAKER_DIR);
  const config = loadConfig(process.env);
  const media = new MediaTool({ ffmpeg: config.tools.ffmpeg, ffprobe: config.tools.ffprobe });
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-diarization-bench-'));
  try {
    const engines = await loadEngines(values.engine);
    const items = await rttmItems(dir, tmp, media);
    if (values.synthetic) items.push(...(await syntheticItems(tmp, media)));
    console.log(
      `Earshot diarization benchmark: ${items.length} recording(s) from ${dir}${values.synthetic ? ' + synthetic' : ''}; ` +
        `engines ${engines.map((e) => e.id).join(', ')}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`,
    );
    console.log(
      'DER as NIST md-eval: overlapping reference speech counted per speaker, optimal one-to-one speaker\n' +
        `mapping; DER@${COLLAR} leaves ±${COLLAR} s around every reference boundary unscored. RTF = diarization\n` +
        'wall time (features included; decoding and VAD not) / audio duration. count = estimated/reference.\n',
    );
    const rows: Row[] = [];
    for (const engine of engines) {
      // One throwaway run so one-time costs (JIT, native model load) are not charged to a file.
      const first = items[0];
      if (first) await run(engine, first, 'estimated');
      for (const mode of modes) for (const it of items) rows.push(await run(engine, it, mode));
    }
    printTable(rows);
    printVerdicts(rows);
    if (values.long) await timeLong(Number(values.long), tmp, media, engines);
    if (values.rttm) {
      await mkdir(values.rttm, { recursive: true });
      for (const r of rows) {
        await writeFile(
          path.join(values.rttm, `${r.id}.${r.engine}.${r.mode}.rttm`),
          formatRttm(r.id, turnsToSegments(r.turns, SAMPLE_RATE)),
        );
      }
      console.log(`\nRTTM written to ${values.rttm}`);
    }
    if (values.json) {
      await writeJson(values.json, {
        date: new Date().toISOString(),
        dir,
        machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
        results: rows.map(({ turns: _turns, withCollar, noCollar, ...r }) => ({
          ...r,
          withCollar: { ...withCollar, mapping: Object.fromEntries(withCollar.mapping) },
          noCollar: { ...noCollar, mapping: Object.fromEntries(noCollar.mapping) },
        })),
      });
    }
    for (const e of engines) e.loaded.dispose();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
