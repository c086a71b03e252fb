import { spawn } from 'node:child_process';
import { EarshotError } from '../domain/errors.js';

/** How a media tool run is watched and cut short. */
export interface ToolRunOptions {
  /** Aborting kills the process (SIGKILL) and the run rejects; see {@link abortError}. */
  signal?: AbortSignal | undefined;
  /** Called with each complete line written to stdout (ffmpeg's `-progress pipe:1` blocks). */
  onStdoutLine?: ((line: string) => void) | undefined;
  /**
   * Keep stdout and return it (ffprobe's JSON). Past this many bytes the process is killed and the
   * run fails, so a hostile file cannot make ffprobe print without bound into our memory.
   * @defaultValue 0 (stdout is not kept)
   */
  maxStdoutBytes?: number | undefined;
  /** How many of the last non-empty stderr lines to keep. @defaultValue 40 */
  stderrTailLines?: number | undefined;
}

export interface ToolRunResult {
  /** Exit status; null when the process died from a signal. */
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** stdout, when `maxStdoutBytes` asked to keep it. */
  stdout: string;
  /** The last non-empty stderr lines (bounded: a corrupt file can make ffmpeg log millions). */
  stderrTail: string[];
  /** How many non-empty lines stderr had in all. */
  stderrLineCount: number;
}

/** Longest stderr/stdout line kept; longer ones are cut (binary garbage in a tag can be huge). */
const MAX_LINE_CHARS = 2000;

/**
 * The error a run rejects with when its signal aborts: the abort reason itself when it is already an
 * EarshotError (a deadline's `timeout`), otherwise `cancelled`.
 */
export function abortError(signal: AbortSignal, what: string): EarshotError {
  const reason: unknown = signal.reason;
  if (reason instanceof EarshotError) return reason;
  return new EarshotError('cancelled', `Cancelled while ${what}.`, { cause: reason });
}

/** Splits a stream into lines without keeping more than one (capped) partial line in memory. */
class LineSplitter {
  private partial = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    // ffmpeg ends some status lines with \r only; treat it as a line break too.
    const parts = (this.partial + chunk).split(/\r\n|\r|\n/);
    this.partial = (parts.pop() ?? '').slice(0, MAX_LINE_CHARS);
    for (const part of parts) this.onLine(part.slice(0, MAX_LINE_CHARS));
  }

  end(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }
}

/**
 * Runs ffmpeg or ffprobe with no shell and no stdin. Resolves with the exit status whatever it is
 * (callers decide what a failure means); rejects only when the tool cannot be started, its output
 * is too large, or the signal aborts — and in that last case only after the process has exited,
 * so no file it was writing is still open.
 */
export function runTool(
  bin: string,
  args: readonly string[],
  options: ToolRunOptions = {},
): Promise<ToolRunResult> {
  const { signal, onStdoutLine, maxStdoutBytes = 0, stderrTailLines = 40 } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal, `running ${bin}`));

  return new Promise<ToolRunResult>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let failure: Error | undefined;
    const stderrTail: string[] = [];
    let stderrLineCount = 0;
    let settled = false;

    const kill = (why: Error): void => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      if (signal) kill(abortError(signal, `running ${bin}`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const stderrLines = new LineSplitter((line) => {
      const trimmed = line.trim();
      if (trimmed === '') return;
      stderrLineCount++;
      stderrTail.push(trimmed);
      if (stderrTail.length > stderrTailLines) stderrTail.shift();
    });
    const stdoutLines = onStdoutLine
      ? new LineSplitter((line) => {
          // A throwing callback (a progress writer) must fail this run, not crash the process from
          // inside a stream event handler.
          try {
            onStdoutLine(line);
          } catch (error) {
            kill(error instanceof Error ? error : new Error(String(error)));
          }
        })
      : undefined;

    child.stdout.on('data', (chunk: Buffer) => {
      if (maxStdoutBytes > 0) {
        stdoutBytes += chunk.length;
        if (stdoutBytes > maxStdoutBytes) {
          kill(new EarshotError('internal', `${bin} printed more than ${maxStdoutBytes} bytes; stopped it.`));
          return;
        }
        stdoutChunks.push(chunk);
      }
      stdoutLines?.push(chunk.toString('utf8'));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => stderrLines.push(chunk));

    const finish = (result: ToolRunResult | Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Spawn failures (ENOENT: wrong EARSHOT_FFMPEG_BIN) are the operator's to fix, hence a 500.
      finish(
        new EarshotError(
          'internal',
          `The media tool "${bin}" could not be started (${error.code ?? error.message}).`,
          {
            cause: error,
          },
        ),
      );
    });
    child.on('close', (exitCode, exitSignal) => {
      stderrLines.end();
      stdoutLines?.end();
      if (failure) {
        finish(failure);
        return;
      }
      finish({
        exitCode,
        exitSignal,
        stdout: Buffer.concat(stdoutChunks).toString('utf8'),
        stderrTail,
        stderrLineCount,
      });
    });
  });
}
