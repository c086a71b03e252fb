import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A fixed-width text table: the first column left-aligned, the others right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const pct = (fraction: number, digits = 1): string =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : 'n/a';
export const fixed = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
/** Decimal megabytes (10^6 bytes), the unit of the 300 MB target. */
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

/** `PASS`/`FAIL` with the target, for lines a reader scans for. */
export function verdict(ok: boolean, what: string): string {
  return `${ok ? 'PASS' : 'FAIL'}  ${what}`;
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`\nJSON written to ${file}`);
}
