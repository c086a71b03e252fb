/**
 * The `sherpa` ASR engine: offline (non-streaming) recognizers of sherpa-onnx-node for Whisper,
 * NeMo CTC, transducers (icefall/k2 zipformer, NeMo Parakeet/TDT), Moonshine and SenseVoice.
 *
 * Models are created with `OfflineRecognizer.createAsync` and decoded with `decodeAsync`: both run
 * on libuv worker threads, and createAsync rejects on a corrupt model where the synchronous
 * constructor aborts the process. Files are checked before sherpa sees them (presence, ONNX
 * framing, tokens.txt lines), because sherpa answers a missing or bad file with a bare "Failed to
 * create offline recognizer" or by exiting the process.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { EarshotError } from '../../domain/errors.js';
import type { CatalogModel, ModelFileRole, SherpaArchitecture } from '../../models/catalog.types.js';
import {
  inspectOnnxFile,
  loadSherpaOnnx,
  type SherpaOfflineRecognizer,
  type SherpaOfflineRecognizerConfig,
  type SherpaOfflineResult,
  type SherpaOfflineStream,
} from '../sherpa-onnx.js';
import {
  SAMPLE_RATE,
  type AsrEngine,
  type AsrOptions,
  type AsrResult,
  type EngineRuntimeOptions,
  type EngineWord,
  type LoadedAsrModel,
  type ResolvedModel,
} from './asr-engine.js';
import { tokensToWords, type Interval } from './tokens-to-words.js';

/** Feature frame shift of every sherpa recognizer used here. */
const FEATURE_SHIFT_S = 0.01;

/**
 * Longest audio given to a recognizer in one call. Whisper sees 30 s windows (sherpa drops what is
 * beyond) and Moonshine degrades past that; the others have no hard limit but attention memory
 * grows with the square of the length. Longer input is cut at its quietest point near the limit.
 */
const MAX_CHUNK_S: Record<SherpaArchitecture, number> = {
  whisper: 28,
  moonshine: 28,
  'nemo-ctc': 120,
  transducer: 120,
  'sense-voice': 120,
};

/** Languages a multilingual Whisper model knows (its language tokens). */
const WHISPER_LANGUAGES = new Set(
  (
    'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi ml ' +
    'cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am ' +
    'yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su yue'
  ).split(' '),
);

/** Languages SenseVoice can be told to expect (anything else makes it fall back to detection). */
const SENSE_VOICE_LANGUAGES = new Set(['zh', 'en', 'ja', 'ko', 'yue']);

/** Hotword boost for transducer hints (sherpa's examples use 1.5-2). */
const HOTWORDS_SCORE = 1.5;

/** Audio quieter than this, relative to its loudest 10 ms, counts as silence (-40 dB). */
const SILENCE_RELATIVE = 0.01;
/** …and never louder than this absolute RMS (so near-digital silence is silence). */
const SILENCE_FLOOR = 1e-4;
/** Shorter quiet stretches (stop consonants, short breaks inside words) are not silences. */
const MIN_SILENCE_S = 0.15;
const ANALYSIS_FRAME = SAMPLE_RATE / 100;
/**
 * Chunks shorter than this (0.1 s) are not decoded: no word fits, and models fail on inputs shorter
 * than their convolutions (onnxruntime rejects an empty tensor).
 */
const MIN_DECODE_SAMPLES = SAMPLE_RATE / 10;

export const sherpaEngine: AsrEngine = {
  id: 'sherpa',
  load: loadSherpaModel,
};

async function loadSherpaModel(
  resolved: ResolvedModel,
  runtime: EngineRuntimeOptions,
): Promise<LoadedAsrModel> {
  const { model } = resolved;
  const architecture = model.architecture;
  if (architecture === undefined) {
    throw new EarshotError(
      'engineUnavailable',
      `Model ${model.id} has no sherpa architecture in the catalog`,
    );
  }
  const files = await locateFiles(resolved, requiredRoles(architecture));
  const tokens = await readTokens(model.id, files.tokens ?? '', architecture);
  const metadata: Record<string, string> = {};
  for (const role of Object.keys(files) as ModelFileRole[]) {
    const file = files[role];
    if (!file || role === 'tokens') continue;
    const inspection = await inspectOnnxFile(file);
    if (inspection.problem !== undefined) {
      throw new EarshotError(
        'modelCorrupt',
        `Could not load model ${model.id}: ${path.basename(file)}: ${inspection.problem}`,
      );
    }
    // The encoder (or single model file) carries the metadata that matters here.
    if (role === 'model' || role === 'encoder') Object.assign(metadata, inspection.metadata);
  }

  const base = recognizerConfig(architecture, files, metadata, Math.max(1, Math.floor(runtime.threads)));
  const recognizer = await createRecognizer(model, base);
  return new SherpaModel(
    model,
    architecture,
    base,
    recognizer,
    tokens,
    frameSeconds(architecture, metadata),
    runtime.tmpDir,
  );
}

function requiredRoles(architecture: SherpaArchitecture): ModelFileRole[] {
  switch (architecture) {
    case 'whisper':
      return ['encoder', 'decoder', 'tokens'];
    case 'nemo-ctc':
    case 'sense-voice':
      return ['model', 'tokens'];
    case 'transducer':
      return ['encoder', 'decoder', 'joiner', 'tokens'];
    case 'moonshine':
      return ['preprocessor', 'encoder', 'uncached-decoder', 'cached-decoder', 'tokens'];
  }
}

/** Absolute path of each needed file, by role; every one must exist. */
async function locateFiles(
  resolved: ResolvedModel,
  roles: ModelFileRole[],
): Promise<Partial<Record<ModelFileRole, string>>> {
  const { model } = resolved;
  const out: Partial<Record<ModelFileRole, string>> = {};
  for (const role of roles) {
    const entry = model.files.find((f) => f.role === role);
    if (!entry)
      throw new EarshotError('modelMissing', `Model ${model.id} lists no ${role} file in the catalog`);
    const file = resolved.files[entry.name];
    if (file === undefined)
      throw new EarshotError('modelMissing', `Model ${model.id}: no path was resolved for ${entry.name}`);
    try {
      await access(file);
    } catch {
      throw new EarshotError(
        'modelMissing',
        `Model ${model.id} is missing ${entry.name} (${file}); pull it with \`earshot models pull ${model.id}\``,
      );
    }
    out[role] = file;
  }
  return out;
}

/**
 * Reads tokens.txt and checks every line is `symbol id` (sherpa exits the process on a bad line,
 * and a CTC model without a blank symbol).
 */
async function readTokens(
  modelId: string,
  file: string,
  architecture: SherpaArchitecture,
): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const symbols: string[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const match = /^(.*?)\s*(\d+)\s*$/.exec(line);
    if (!match)
      throw new EarshotError(
        'modelCorrupt',
        `Could not load model ${modelId}: tokens.txt line ${i + 1} is not "symbol id"`,
      );
    symbols.push(match[1] ?? '');
  }
  if (symbols.length === 0)
    throw new EarshotError('modelCorrupt', `Could not load model ${modelId}: tokens.txt is empty`);
  if (
    architecture === 'nemo-ctc' &&
    !symbols.some((s) => s === '<blk>' || s === '<eps>' || s === '<blank>')
  ) {
    throw new EarshotError(
      'modelCorrupt',
      `Could not load model ${modelId}: tokens.txt has no blank symbol (<blk>)`,
    );
  }
  return symbols;
}

function recognizerConfig(
  architecture: SherpaArchitecture,
  files: Partial<Record<ModelFileRole, string>>,
  metadata: Record<string, string>,
  numThreads: number,
): SherpaOfflineRecognizerConfig {
  const f = (role: ModelFileRole): string => files[role] ?? '';
  const common = { tokens: f('tokens'), numThreads, provider: 'cpu', debug: 0 };
  const featConfig = { sampleRate: SAMPLE_RATE, featureDim: 80 };
  switch (architecture) {
    case 'whisper':
      return {
        featConfig,
        modelConfig: {
          ...common,
          // Token timestamps need a model exported with attention outputs; others warn once and give none.
          whisper: {
            encoder: f('encoder'),
            decoder: f('decoder'),
            language: '',
            task: 'transcribe',
            enableTokenTimestamps: 1,
          },
        },
        decodingMethod: 'greedy_search',
      };
    case 'nemo-ctc':
      return {
        featConfig,
        modelConfig: { ...common, nemoCtc: { model: f('model') } },
        decodingMethod: 'greedy_search',
      };
    case 'transducer':
      return {
        featConfig,
        modelConfig: {
          ...common,
          transducer: { encoder: f('encoder'), decoder: f('decoder'), joiner: f('joiner') },
          modelType: transducerModelType(metadata),
        },
        decodingMethod: 'greedy_search',
      };
    case 'moonshine':
      return {
        featConfig,
        modelConfig: {
          ...common,
          moonshine: {
            preprocessor: f('preprocessor'),
            encoder: f('encoder'),
            uncachedDecoder: f('uncached-decoder'),
            cachedDecoder: f('cached-decoder'),
          },
        },
        decodingMethod: 'greedy_search',
      };
    case 'sense-voice':
      return {
        featConfig,
        modelConfig: {
          ...common,
          senseVoice: { model: f('model'), language: '', useInverseTextNormalization: 1 },
        },
        decodingMethod: 'greedy_search',
      };
  }
}

/**
 * NeMo transducers (Parakeet, TDT) need `nemo_transducer`, icefall/k2 ones `transducer`. The
 * encoder's `model_type` metadata says which: NeMo exports name the NeMo class (`EncDecRNNTBPEModel`,
 * `EncDecHybridRNNTCTCBPEModel`), icefall ones the encoder (`zipformer2`, `conformer`). Passing the
 * type spares sherpa a second load of the encoder to find out.
 */
function transducerModelType(metadata: Record<string, string>): string {
  return /^EncDec/i.test(metadata.model_type ?? '') ? 'nemo_transducer' : 'transducer';
}

/** Seconds per output frame; ends a last word when nothing better is known. */
function frameSeconds(architecture: SherpaArchitecture, metadata: Record<string, string>): number {
  const factor = (key: string, fallback: number): number => {
    const value = Number(metadata[key]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  switch (architecture) {
    case 'nemo-ctc':
      return FEATURE_SHIFT_S * factor('subsampling_factor', 8);
    case 'transducer':
      // sherpa's icefall transducer path assumes subsampling 4; NeMo exports record theirs.
      return (
        FEATURE_SHIFT_S *
        (transducerModelType(metadata) === 'nemo_transducer' ? factor('subsampling_factor', 8) : 4)
      );
    case 'sense-voice':
      return FEATURE_SHIFT_S * factor('lfr_window_shift', 6);
    case 'whisper':
      return 0.02;
    case 'moonshine':
      return 0.02;
  }
}

async function createRecognizer(
  model: CatalogModel,
  config: SherpaOfflineRecognizerConfig,
): Promise<SherpaOfflineRecognizer> {
  const { OfflineRecognizer } = loadSherpaOnnx();
  try {
    return await OfflineRecognizer.createAsync(config);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EarshotError('modelCorrupt', `Could not load model ${model.id}: ${reason}`, { cause: error });
  }
}

class SherpaModel implements LoadedAsrModel {
  /** Calls run one at a time: per-call settings (language, task) are set on the shared recognizer. */
  private queue: Promise<unknown> = Promise.resolve();
  private recognizer: SherpaOfflineRecognizer | undefined;
  private hotwordRecognizer: Promise<SherpaOfflineRecognizer> | undefined;
  private current: SherpaOfflineRecognizerConfig;

  constructor(
    private readonly model: CatalogModel,
    private readonly architecture: SherpaArchitecture,
    private readonly base: SherpaOfflineRecognizerConfig,
    recognizer: SherpaOfflineRecognizer,
    private readonly tokens: readonly string[],
    private readonly frameSeconds: number,
    private readonly tmpDir: string,
  ) {
    this.recognizer = recognizer;
    this.current = base;
  }

  transcribe(samples: Float32Array, options: AsrOptions, signal: AbortSignal): Promise<AsrResult> {
    const run = this.queue.then(() => this.run(samples, options, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    // sherpa frees native memory when the handle is garbage-collected; dropping it is all there is.
    this.recognizer = undefined;
    this.hotwordRecognizer = undefined;
  }

  private async run(samples: Float32Array, options: AsrOptions, signal: AbortSignal): Promise<AsrResult> {
    throwIfCancelled(signal);
    const recognizer = await this.recognizerFor(options);
    const hotwords = this.hotwords(options.hints);
    const analysis = analyseLoudness(samples);
    const chunks = chunkBounds(samples.length, MAX_CHUNK_S[this.architecture] * SAMPLE_RATE, analysis);

    const words: EngineWord[] = [];
    const languages = new Map<string, number>();
    for (const [from, to] of chunks) {
      throwIfCancelled(signal);
      if (to - from < MIN_DECODE_SAMPLES) continue;
      const stream = hotwords === undefined ? recognizer.createStream() : recognizer.createStream(hotwords);
      stream.acceptWaveform({ samples: samples.subarray(from, to), sampleRate: SAMPLE_RATE });
      const result = await this.decode(recognizer, stream);
      const offset = from / SAMPLE_RATE;
      for (const word of this.toWords(result, analysis, from, to)) {
        words.push({ ...word, start: word.start + offset, end: word.end + offset });
      }
      const language = normalizeResultLanguage(result.lang);
      if (language) languages.set(language, (languages.get(language) ?? 0) + result.text.length);
    }
    throwIfCancelled(signal);

    const result: AsrResult = { words };
    const language = mostFrequent(languages) ?? this.languageUsed(options);
    if (language !== undefined) result.language = language;
    return result;
  }

  private async decode(
    recognizer: SherpaOfflineRecognizer,
    stream: SherpaOfflineStream,
  ): Promise<SherpaOfflineResult> {
    try {
      return await recognizer.decodeAsync(stream);
    } catch (error) {
      // onnxruntime errors during inference reject (they do not abort the process).
      const reason = error instanceof Error ? error.message : String(error);
      throw new EarshotError('engineCrashed', `Model ${this.model.id} failed to decode: ${reason}`, {
        cause: error,
      });
    }
  }

  private toWords(result: SherpaOfflineResult, analysis: Loudness, from: number, to: number): EngineWord[] {
    const audioSeconds = (to - from) / SAMPLE_RATE;
    const fromS = from / SAMPLE_RATE;
    const silences = analysis.silences
      .filter((s) => s.end > fromS && s.start < fromS + audioSeconds)
      .map((s) => ({ start: Math.max(0, s.start - fromS), end: Math.min(audioSeconds, s.end - fromS) }));
    const voiced = voicedSpan(silences, audioSeconds);
    // Whisper's byte-level tokens can split a character; such tokens cannot be joined into words.
    const tokensUsable = !result.tokens.some((t) => t.includes('\uFFFD'));
    return tokensToWords(
      {
        text: result.text,
        tokens: tokensUsable ? result.tokens : [],
        timestamps: tokensUsable ? result.timestamps : [],
        ...(result.durations ? { durations: result.durations } : {}),
        ...(result.ys_log_probs ? { logProbs: result.ys_log_probs } : {}),
      },
      { frameSeconds: this.frameSeconds, audioSeconds, silences, voicedSpan: voiced },
    );
  }

  /** The recognizer for this call, with its per-call settings applied. */
  private async recognizerFor(options: AsrOptions): Promise<SherpaOfflineRecognizer> {
    const recognizer = this.recognizer;
    if (!recognizer) throw new EarshotError('internal', `Model ${this.model.id} was disposed`);
    if (options.translate && !this.model.translation) {
      throw new EarshotError('unsupportedParameter', `Model ${this.model.id} cannot translate`);
    }
    if (options.hints.length > 0) {
      if (this.architecture !== 'transducer') {
        throw new EarshotError(
          'unsupportedParameter',
          `Model ${this.model.id} does not support key-term hints (only transducer models do)`,
        );
      }
      // A failed creation is forgotten so a later call can retry.
      this.hotwordRecognizer ??= this.createHotwordRecognizer().catch((error: unknown) => {
        this.hotwordRecognizer = undefined;
        throw error;
      });
      return this.hotwordRecognizer;
    }
    const wanted = this.runtimeConfig(options);
    if (wanted !== this.current) {
      recognizer.setConfig(wanted);
      this.current = wanted;
    }
    return recognizer;
  }

  /** The config for this call's language and task (Whisper, SenseVoice); the base config otherwise. */
  private runtimeConfig(options: AsrOptions): SherpaOfflineRecognizerConfig {
    const language = this.requestedLanguage(options);
    const { modelConfig } = this.base;
    let next: SherpaOfflineRecognizerConfig = this.base;
    if (modelConfig.whisper && this.multilingual()) {
      const task = options.translate ? 'translate' : 'transcribe';
      next = {
        ...this.base,
        modelConfig: { ...modelConfig, whisper: { ...modelConfig.whisper, language: language ?? '', task } },
      };
    } else if (modelConfig.senseVoice) {
      next = {
        ...this.base,
        modelConfig: { ...modelConfig, senseVoice: { ...modelConfig.senseVoice, language: language ?? '' } },
      };
    }
    const currentModel = this.current.modelConfig;
    const same =
      JSON.stringify(next.modelConfig.whisper) === JSON.stringify(currentModel.whisper) &&
      JSON.stringify(next.modelConfig.senseVoice) === JSON.stringify(currentModel.senseVoice);
    return same ? this.current : next;
  }

  /** The language to force, validated; undefined to detect (or for models that cannot be steered). */
  private requestedLanguage(options: AsrOptions): string | undefined {
    if (options.language === undefined || options.language === '' || options.language === 'auto')
      return undefined;
    const language = primarySubtag(options.language);
    if (this.architecture === 'whisper') {
      // sherpa exits the process on a language the model has no token for: refuse it here.
      const { languages } = this.model;
      const known = languages === 'multilingual' ? WHISPER_LANGUAGES : new Set(languages.map(primarySubtag));
      if (!known.has(language)) {
        throw new EarshotError(
          'unsupportedParameter',
          `Model ${this.model.id} does not support language "${options.language}"`,
        );
      }
      return language;
    }
    if (this.architecture === 'sense-voice') {
      if (!SENSE_VOICE_LANGUAGES.has(language)) {
        throw new EarshotError(
          'unsupportedParameter',
          `Model ${this.model.id} does not support language "${options.language}"`,
        );
      }
      return language;
    }
    return undefined;
  }

  /** Whisper models that know several languages take a language token (and can detect it). */
  private multilingual(): boolean {
    const { languages } = this.model;
    return languages === 'multilingual' || languages.length > 1;
  }

  /** The language the transcript is in when the model reports none. */
  private languageUsed(options: AsrOptions): string | undefined {
    const forced = this.requestedLanguage(options);
    if (forced !== undefined) return forced;
    const { languages } = this.model;
    return languages !== 'multilingual' && languages.length === 1
      ? languages.map(primarySubtag)[0]
      : undefined;
  }

  private hotwords(hints: readonly string[]): string | undefined {
    if (hints.length === 0) return undefined;
    // An all-uppercase vocabulary (icefall LibriSpeech models) only encodes uppercase phrases.
    const upper = !this.tokens.some((t) => /[a-z]/.test(t));
    const phrases = hints
      // `/` separates phrases and a word starting with `:` is a boost score in sherpa's syntax.
      .map((h) =>
        h
          .replace(/[/:\r\n]/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((h) => h !== '')
      .map((h) => (upper ? h.toUpperCase() : h));
    return phrases.length > 0 ? phrases.join('/') : undefined;
  }

  /**
   * Hotwords need modified beam search and a way to split phrases into tokens. Built on first use
   * so transcriptions without hints keep greedy search. The `bpe.vocab` is derived from tokens.txt
   * with equal scores, which makes sherpa's encoder a longest-match tokenizer (as sherpa's own
   * Parakeet hotwords example does for models released without one).
   */
  private async createHotwordRecognizer(): Promise<SherpaOfflineRecognizer> {
    const hasBpe = this.tokens.some((t) => t.startsWith('▁'));
    const hasCjk = this.tokens.some((t) => /^\p{Script=Han}$/u.test(t));
    const modelingUnit = hasCjk && hasBpe ? 'cjkchar+bpe' : hasCjk ? 'cjkchar' : 'bpe';
    const modelConfig = { ...this.base.modelConfig, modelingUnit };
    if (modelingUnit !== 'cjkchar') {
      const vocab = this.tokens.map((t) => `${t}\t-1.0`).join('\n') + '\n';
      const digest = createHash('sha256').update(vocab).digest('hex').slice(0, 16);
      const bpeVocab = path.join(this.tmpDir, `earshot-bpe-${digest}.vocab`);
      await mkdir(this.tmpDir, { recursive: true });
      await writeFile(bpeVocab, vocab);
      Object.assign(modelConfig, { bpeVocab });
    }
    return createRecognizer(this.model, {
      ...this.base,
      modelConfig,
      decodingMethod: 'modified_beam_search',
      maxActivePaths: 4,
      hotwordsScore: HOTWORDS_SCORE,
    });
  }
}

interface Loudness {
  /** RMS of each 10 ms frame. */
  rms: Float32Array;
  /** Silent stretches of at least MIN_SILENCE_S, in seconds. */
  silences: Interval[];
}

/** 10 ms loudness and the silent stretches of the samples. */
export function analyseLoudness(samples: Float32Array): Loudness {
  const frames = Math.ceil(samples.length / ANALYSIS_FRAME);
  const rms = new Float32Array(frames);
  let peak = 0;
  for (let f = 0; f < frames; f++) {
    const from = f * ANALYSIS_FRAME;
    const to = Math.min(samples.length, from + ANALYSIS_FRAME);
    let sum = 0;
    for (let i = from; i < to; i++) {
      const v = samples[i] ?? 0;
      sum += v * v;
    }
    const value = Math.sqrt(sum / Math.max(1, to - from));
    rms[f] = value;
    if (value > peak) peak = value;
  }
  const threshold = Math.max(peak * SILENCE_RELATIVE, SILENCE_FLOOR);
  const silences: Interval[] = [];
  const duration = samples.length / SAMPLE_RATE;
  let runStart = -1;
  for (let f = 0; f <= frames; f++) {
    const quiet = f < frames && (rms[f] ?? 0) <= threshold;
    if (quiet && runStart < 0) runStart = f;
    if (!quiet && runStart >= 0) {
      const start = (runStart * ANALYSIS_FRAME) / SAMPLE_RATE;
      const end = Math.min(duration, (f * ANALYSIS_FRAME) / SAMPLE_RATE);
      if (end - start >= MIN_SILENCE_S - 1e-9) silences.push({ start, end });
      runStart = -1;
    }
  }
  return { rms, silences };
}

/** From the end of a leading silence to the start of a trailing one; the whole audio if all is quiet. */
export function voicedSpan(silences: readonly Interval[], duration: number): Interval {
  let start = 0;
  let end = duration;
  const first = silences[0];
  if (first && first.start <= 0 && first.end < duration) start = first.end;
  const last = silences[silences.length - 1];
  if (last && last.end >= duration && last.start > start) end = last.start;
  return { start, end };
}

/**
 * Splits `[0, length)` into chunks of at most `max` samples, cutting at the quietest 10 ms frame of
 * the last quarter of each chunk, so cuts fall in pauses rather than inside words where possible.
 */
export function chunkBounds(
  length: number,
  max: number,
  loudness: Pick<Loudness, 'rms'>,
): [number, number][] {
  const chunks: [number, number][] = [];
  let from = 0;
  while (length - from > max) {
    const lastFrame = Math.floor((from + max) / ANALYSIS_FRAME) - 1;
    const firstFrame = Math.ceil((from + max * 0.75) / ANALYSIS_FRAME);
    let cut = lastFrame;
    for (let f = lastFrame; f >= firstFrame; f--) {
      if ((loudness.rms[f] ?? Infinity) < (loudness.rms[cut] ?? Infinity)) cut = f;
    }
    const at = Math.max(from + 1, Math.min(from + max, cut * ANALYSIS_FRAME + ANALYSIS_FRAME / 2));
    chunks.push([from, at]);
    from = at;
  }
  if (length > from || chunks.length === 0) chunks.push([from, length]);
  return chunks;
}

/** `<|en|>` (SenseVoice) or `en` (Whisper) → `en`; nothing for empty or `nospeech`. */
function normalizeResultLanguage(lang: string | undefined): string | undefined {
  const code = (lang ?? '').replace(/^<\|/, '').replace(/\|>$/, '').trim().toLowerCase();
  return code === '' || code === 'nospeech' ? undefined : code;
}

function primarySubtag(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = -1;
  for (const [key, count] of counts) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted)
    throw new EarshotError('cancelled', 'Transcription was cancelled', { cause: signal.reason });
}
