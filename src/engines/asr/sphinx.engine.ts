import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EarshotError } from '../../domain/errors.js';
import type { ModelFileRole } from '../../models/catalog.types.js';
import { encodeWav16 } from '../../media/wav-encode.js';
import type {
  AsrEngine,
  AsrOptions,
  AsrResult,
  EngineRuntimeOptions,
  EngineWord,
  LoadedAsrModel,
  ResolvedModel,
} from './asr-engine.js';
import { SAMPLE_RATE } from './asr-engine.js';

/** The CMU Sphinx recognizer, run as the Debian `pocketsphinx_continuous` command per chunk. */

const INSTALL_HINT = 'apt-get install pocketsphinx pocketsphinx-en-us';
const DEFAULT_BINARY = 'pocketsphinx_continuous';
const ENGLISH = new Set(['en', 'en_us', 'en-us']);
/** Fillers and markers pocketsphinx prints among the words: `<s> </s> <sil> [NOISE] <unk>`. */
const NON_WORD = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;
/** pocketsphinx's frame rate (`-frate`, left at its default): its times are frame indices / 100. */
const FRAME_SECONDS = 0.01;
/** How much of pocketsphinx's log we keep to explain a failure. */
const STDERR_TAIL_BYTES = 16_384;

/**
 * Decoder flags passed on every run, chosen by measuring WER (Whisper-normalised) and CPU time on
 * the 22 real recordings in `shared/data/audio/speech` (149 s; pocketsphinx 0.8+5prealpha, one
 * process per recording as in production). Against the package defaults (WER 43.8 %, 0.32 × real
 * time) these give WER 38.3 % at 0.21 × real time:
 *
 * - `-maxhmmpf 7000` caps active HMMs per frame (default 30000): the biggest speed-up with no loss
 *   (10000: 43.8 %, 7000: 42.1 %, 5000: 43.2 %; 3000 falls to 49.5 %, so 7000 keeps a margin).
 * - `-maxwpf 10` caps distinct word exits per frame: a little faster, WER unchanged.
 * - `-vad_postspeech 25` ends an utterance after 0.25 s of silence instead of 0.5 s. pocketsphinx
 *   decodes each utterance separately, and splitting at shorter pauses helped on every value
 *   tried between 15 and 35 frames (35.9–40.8 % vs 43.8 %); 25 sits mid-plateau, away from the
 *   cliff below (10: 43.5 %, 5: 59.0 %).
 *
 * Left at their defaults because they cost accuracy or time: narrower `-beam`/`-pbeam` (1e-40:
 * 51.4 %), `-ds 2` (52.2 %), `-topn 2` (48.4 %), `-fwdflat no` (45.7 %), `-bestpath no` (45.7 %,
 * not faster), `-pl_window 10` (slower). pocketsphinx's own VAD stays on even though it is given
 * VAD-cut chunks: turning it off (`-remove_silence no`, one utterance per chunk) raised WER from
 * 43.8 % to 46.7 % and was slower.
 */
export const SPHINX_DECODER_FLAGS: readonly string[] = [
  '-maxhmmpf',
  '7000',
  '-maxwpf',
  '10',
  '-vad_postspeech',
  '25',
];

/** Paths of the three parts of a pocketsphinx model. */
export interface SphinxModelPaths {
  /** Directory with `mdef`, `means`, … (`-hmm`). */
  acousticModel: string;
  /** N-gram language model (`-lm`). */
  languageModel: string;
  /** Pronunciation dictionary (`-dict`). */
  dictionary: string;
}

/**
 * Builds a sphinx engine that passes `decoderFlags` to every run. `sphinxEngine` uses the measured
 * defaults; other flag sets exist for measuring them.
 */
export function createSphinxEngine(decoderFlags: readonly string[] = SPHINX_DECODER_FLAGS): AsrEngine {
  return {
    id: 'sphinx',
    async load(resolved: ResolvedModel, options: EngineRuntimeOptions): Promise<LoadedAsrModel> {
      const binary = options.tools.pocketsphinx || DEFAULT_BINARY;
      await checkBinary(binary);
      const paths: SphinxModelPaths = {
        acousticModel: await modelPath(resolved, 'acoustic-model', 'directory'),
        languageModel: await modelPath(resolved, 'language-model', 'file'),
        dictionary: await modelPath(resolved, 'dictionary', 'file'),
      };
      return new SphinxModel(binary, paths, options.tmpDir, decoderFlags);
    },
  };
}

export const sphinxEngine: AsrEngine = createSphinxEngine();

/** Runs the binary with no arguments (it prints its usage and exits), to learn whether it can start. */
async function checkBinary(binary: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(binary, [], { stdio: 'ignore' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const why = `${binary}: ${error.code ?? error.message}`;
      reject(
        new EarshotError('engineUnavailable', `pocketsphinx is not installed: ${INSTALL_HINT} (${why})`, {
          cause: error,
        }),
      );
    });
    child.once('exit', () => resolve());
  });
}

async function modelPath(
  resolved: ResolvedModel,
  role: ModelFileRole,
  kind: 'file' | 'directory',
): Promise<string> {
  const entry = resolved.model.files.find((file) => file.role === role);
  if (entry === undefined) {
    throw new EarshotError('modelMissing', `model ${resolved.model.id} has no ${role} file in the catalog`);
  }
  // System models list absolute paths; resolution normally maps them to themselves.
  const filePath = resolved.files[entry.name] ?? (path.isAbsolute(entry.name) ? entry.name : undefined);
  if (filePath === undefined) {
    throw new EarshotError(
      'modelMissing',
      `model ${resolved.model.id}: no path was resolved for ${entry.name}`,
    );
  }
  const info = await stat(filePath).catch(() => null);
  if (info === null || (kind === 'directory' ? !info.isDirectory() : !info.isFile())) {
    throw new EarshotError(
      'engineUnavailable',
      `pocketsphinx is not installed: ${INSTALL_HINT} (the ${role} ${filePath} is missing)`,
    );
  }
  return filePath;
}

class SphinxModel implements LoadedAsrModel {
  /** Runs in flight, killed by `dispose`. */
  private readonly running = new Set<ReturnType<typeof spawn>>();

  constructor(
    private readonly binary: string,
    private readonly paths: SphinxModelPaths,
    private readonly tmpDir: string,
    private readonly decoderFlags: readonly string[],
  ) {}

  async transcribe(samples: Float32Array, options: AsrOptions, signal: AbortSignal): Promise<AsrResult> {
    checkOptions(options);
    if (signal.aborted) throw cancelled();
    if (samples.length === 0) return { words: [], language: 'en' };

    await mkdir(this.tmpDir, { recursive: true });
    const wavPath = path.join(this.tmpDir, `sphinx-${randomUUID()}.wav`);
    try {
      await writeFile(wavPath, encodeWav16(samples, SAMPLE_RATE));
      const stdout = await this.run(wavPath, signal);
      const duration = samples.length / SAMPLE_RATE;
      return { words: parseSphinxOutput(stdout, duration), language: 'en' };
    } finally {
      await rm(wavPath, { force: true });
    }
  }

  dispose(): void {
    for (const child of this.running) child.kill('SIGKILL');
    this.running.clear();
  }

  private run(wavPath: string, signal: AbortSignal): Promise<string> {
    const args = [
      '-infile',
      wavPath,
      '-hmm',
      this.paths.acousticModel,
      '-lm',
      this.paths.languageModel,
      '-dict',
      this.paths.dictionary,
      '-samprate',
      String(SAMPLE_RATE),
      '-time',
      'yes',
      ...this.decoderFlags,
    ];
    return new Promise<string>((resolve, reject) => {
      // The log goes to stderr rather than `-logfn /dev/null`: pocketsphinx writes its errors to the
      // same log, and they are what explains a failure. Only a bounded tail is kept.
      const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.running.add(child);
      const stdout: Buffer[] = [];
      let stderrTail = '';
      let settled = false;

      const finish = (error: EarshotError | null, text = ''): void => {
        if (settled) return;
        settled = true;
        this.running.delete(child);
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(text);
      };
      const onAbort = (): void => {
        child.kill('SIGKILL');
        finish(cancelled());
      };
      signal.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        const code =
          error.code === 'ENOENT' || error.code === 'EACCES' ? 'engineUnavailable' : 'engineCrashed';
        finish(
          new EarshotError(
            code,
            `pocketsphinx could not start (${this.binary}: ${error.message}); ${INSTALL_HINT}`,
            { cause: error },
          ),
        );
      });
      child.once('close', (exitCode, exitSignal) => {
        if (exitCode === 0) {
          finish(null, Buffer.concat(stdout).toString('utf8'));
          return;
        }
        const how = exitSignal ? `was killed by ${exitSignal}` : `exited with code ${exitCode}`;
        finish(new EarshotError('engineCrashed', `pocketsphinx ${how}: ${lastErrorLines(stderrTail)}`));
      });
    });
  }
}

function cancelled(): EarshotError {
  return new EarshotError('cancelled', 'transcription was cancelled');
}

/** pocketsphinx is an English-only recognizer here, with no language detection and no boosting. */
function checkOptions(options: AsrOptions): void {
  if (options.language !== undefined && !ENGLISH.has(options.language.toLowerCase())) {
    throw new EarshotError(
      'unsupportedParameter',
      `the sphinx engine only transcribes English, not "${options.language}"`,
      {
        param: 'language',
      },
    );
  }
  if (options.detectLanguage) {
    throw new EarshotError(
      'unsupportedParameter',
      'the sphinx engine cannot detect the language (it only knows English)',
      {
        param: 'language_detection',
      },
    );
  }
  if (options.translate) {
    throw new EarshotError('unsupportedParameter', 'the sphinx engine cannot translate', {
      param: 'translate',
    });
  }
  if (options.hints.length > 0) {
    throw new EarshotError('unsupportedParameter', 'the sphinx engine cannot be steered with key terms', {
      param: 'hints',
    });
  }
}

/** The ERROR/FATAL lines of the log when there are any (the INFO lines drown them), else its last lines. */
function lastErrorLines(log: string): string {
  const lines = log
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const errors = lines.filter((line) => /^(ERROR|FATAL|FATAL_ERROR)\b/.test(line));
  const picked = (errors.length > 0 ? errors : lines).slice(-5);
  return picked.length > 0 ? picked.join(' | ') : '(no output)';
}

/**
 * Reads `pocketsphinx_continuous -time yes` output: per utterance a hypothesis line, then one
 * `word start end posterior` line per segment, where start and end are the first and last frame
 * (so the word ends one frame after `end`). Pronunciation variants (`read(2)`) lose their
 * suffix, fillers and `<unk>` are dropped, times are clamped to `[0, duration]` and the posterior
 * (which can exceed 1 by rounding, e.g. `1.000300`) to `[0, 1]`.
 *
 * @param duration seconds of audio that was decoded.
 */
export function parseSphinxOutput(stdout: string, duration: number): EngineWord[] {
  const words: EngineWord[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 4) continue;
    const [token = '', startText = '', endText = '', posteriorText = ''] = fields;
    const start = Number(startText);
    const end = Number(endText) + FRAME_SECONDS;
    const posterior = Number(posteriorText);
    // Hypothesis lines are words only; a timed line ends in three numbers.
    if (![start, end, posterior].every(Number.isFinite)) continue;
    const text = token.replace(/\(\d+\)$/, '');
    if (text.length === 0 || NON_WORD.test(text)) continue;
    const clampedStart = Math.min(Math.max(start, 0), duration);
    words.push({
      text,
      start: clampedStart,
      end: Math.min(Math.max(end, clampedStart), duration),
      confidence: Math.min(Math.max(posterior, 0), 1),
    });
  }
  return words;
}
