import type { Writable } from 'node:stream';

/**
 * A progress bar for the CLI (model downloads, transcription jobs). On a terminal it redraws one
 * line in place; into a pipe or a log file it prints a plain line every 10 % (or every
 * `plainIntervalMs` when the total is unknown) so logs stay short and readable.
 */

export interface ProgressBarOptions {
  /** Usually stderr, so stdout stays clean for results. */
  stream: Writable;
  label: string;
  /** Total bytes (unit `bytes`); may be set later with setTotal. */
  total?: number;
  /** `bytes`: update() takes bytes done. `percent`: update() takes a fraction 0..1. */
  unit: 'bytes' | 'percent';
  /** Redraw in place. @defaultValue whether `stream` is a TTY */
  tty?: boolean;
  /** Without a total, the most often a plain line is printed. @defaultValue 10000 */
  plainIntervalMs?: number;
  /** Clock, for tests. @defaultValue Date.now */
  now?: () => number;
}

export interface ProgressBar {
  /** Bytes done (unit `bytes`) or a fraction 0..1 (unit `percent`); a new label replaces the old one. */
  update(value: number, label?: string): void;
  setTotal(total: number | undefined): void;
  /** Ends the bar with a final line (the message, or a summary); later calls are ignored. */
  done(message?: string): void;
}

const TTY_REDRAW_MS = 100;
const BAR_WIDTH = 20;

export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const stream = options.stream as Writable & { isTTY?: boolean; columns?: number };
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? Date.now;
  const plainIntervalMs = options.plainIntervalMs ?? 10_000;
  const startedAt = now();
  let label = options.label;
  let total = options.total;
  let value = 0;
  // Speed counts from the first value seen, so a resumed download is not credited with old bytes.
  let baseline: number | undefined;
  let lastDrawAt = -Infinity;
  let lastPlainStep = -1;
  let lastPlainAt = startedAt;
  let finished = false;

  const fraction = (): number | undefined => {
    if (options.unit === 'percent') return clamp01(value);
    return total !== undefined && total > 0 ? clamp01(value / total) : undefined;
  };

  const describe = (): { pct: string; details: string } => {
    const f = fraction();
    const elapsedS = (now() - startedAt) / 1000;
    const parts: string[] = [];
    if (options.unit === 'bytes') {
      parts.push(total !== undefined ? `${formatBytes(value)} of ${formatBytes(total)}` : formatBytes(value));
      const rate = elapsedS > 0 ? (value - (baseline ?? 0)) / elapsedS : 0;
      if (rate > 0) parts.push(`${formatBytes(rate)}/s`);
      if (rate > 0 && total !== undefined && total > value) {
        parts.push(`ETA ${formatDuration((total - value) / rate)}`);
      }
    } else if (f !== undefined && elapsedS > 0) {
      const progressed = f - clamp01(baseline ?? 0);
      if (progressed > 0 && f < 1) parts.push(`ETA ${formatDuration((elapsedS * (1 - f)) / progressed)}`);
    }
    const pct = f === undefined ? '' : `${Math.floor(f * 100)}%`;
    return { pct, details: parts.join(', ') };
  };

  const plainLine = (): string => {
    const { pct, details } = describe();
    const body = [pct, details ? `(${details})` : ''].filter(Boolean).join(' ');
    return `${label}: ${body}`.trimEnd();
  };

  const ttyLine = (): string => {
    const { pct, details } = describe();
    const f = fraction();
    const bar =
      f === undefined
        ? ''
        : `[${'#'.repeat(Math.round(f * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}] ${pct.padStart(4)} `;
    const line = `${label} ${bar}${details}`.trimEnd();
    const columns = stream.columns;
    return columns !== undefined && line.length >= columns ? line.slice(0, columns - 1) : line;
  };

  const write = (text: string): void => {
    stream.write(text);
  };

  return {
    update(next, nextLabel) {
      if (finished) return;
      const labelChanged = nextLabel !== undefined && nextLabel !== label;
      if (nextLabel !== undefined) label = nextLabel;
      value = next;
      baseline ??= next;
      const t = now();
      if (tty) {
        if (labelChanged || t - lastDrawAt >= TTY_REDRAW_MS) {
          lastDrawAt = t;
          write(`\r${ttyLine()}\x1b[K`);
        }
        return;
      }
      const f = fraction();
      const step = f === undefined ? -1 : Math.floor(f * 10);
      const due = f === undefined ? t - lastPlainAt >= plainIntervalMs : step > lastPlainStep;
      if (labelChanged || due) {
        lastPlainStep = Math.max(lastPlainStep, step);
        lastPlainAt = t;
        write(`${plainLine()}\n`);
      }
    },
    setTotal(next) {
      total = next;
    },
    done(message) {
      if (finished) return;
      finished = true;
      const elapsed = formatDuration((now() - startedAt) / 1000);
      const summary =
        message ??
        (options.unit === 'bytes'
          ? `${label}: done, ${formatBytes(value)} in ${elapsed}`
          : `${label}: done in ${elapsed}`);
      write(tty ? `\r${summary}\x1b[K\n` : `${summary}\n`);
    },
  };
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(n)} B` : `${n.toFixed(1)} ${units[i]}`;
}

/** Seconds → "45s", "3:07", "1:02:03". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
