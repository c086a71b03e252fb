import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Streaming sha256 of files, and an in-process record of files already verified, so a model that
 * is loaded many times (every job, every worker restart in the same process) is hashed once. A
 * record is keyed by path and only counts while the file's size and mtime are unchanged.
 */

export async function sha256File(
  file: string,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<string> {
  const hash = createHash('sha256');
  // 1 MiB reads: hashing a 600 MB encoder in 64 KiB pieces costs noticeably more syscalls.
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal: options.signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    options.onBytes?.(chunk.length);
  }
  return hash.digest('hex');
}

interface VerifiedEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

const verified = new Map<string, VerifiedEntry>();

/** The sha256 recorded for a file whose size and mtime have not changed since, or undefined. */
export function cachedSha256(file: string, size: number, mtimeMs: number): string | undefined {
  const entry = verified.get(file);
  return entry && entry.size === size && entry.mtimeMs === mtimeMs ? entry.sha256 : undefined;
}

/**
 * Records that `file` has this sha256 while its size and mtime are the given ones. Callers pass the
 * stat taken *before* hashing: if the file changed while it was read, the record never matches.
 */
export function rememberVerified(
  file: string,
  info: { size: number; mtimeMs: number },
  sha256: string,
): void {
  verified.set(file, { size: info.size, mtimeMs: info.mtimeMs, sha256 });
}

export function forgetVerified(file: string): void {
  verified.delete(file);
}

/** For tests: start from an empty record. */
export function clearVerificationCache(): void {
  verified.clear();
}
