import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';

/**
 * One HTTP download into `<target>.partial`, resuming what an earlier attempt left there with a
 * `Range` request. It only moves bytes and hashes them; deciding whether the result is right, and
 * retrying, is the caller's job.
 */

export interface DownloadOptions {
  url: string;
  partialPath: string;
  fetchImpl: typeof fetch;
  signal?: AbortSignal;
  /** Abort when no byte arrives for this long (connecting included). */
  idleTimeoutMs: number;
  /** Stop early once the file grows past this (a published size was known). */
  maxBytes?: number;
  /** Called with the file's size so far and its expected total when known. */
  onBytes?: (bytesDone: number, bytesTotal: number | undefined) => void;
  /** Called once the response is known, with how many bytes were kept from before. */
  onStart?: (info: { resumedFrom: number; bytesTotal: number | undefined; status: number }) => void;
}

export interface DownloadResult {
  size: number;
  sha256: string;
  /** Bytes kept from an earlier attempt (0 when the download started over). */
  resumedFrom: number;
  /**
   * The server answered 416 to the range request: the partial file was taken as complete.
   * It may still be wrong (a stale partial longer than the file), so the caller must verify it.
   */
  assumedComplete: boolean;
}

/** The server answered with a status we cannot use. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly url: string,
  ) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }

  /** Worth trying again later (server trouble or rate limiting), unlike 404 or 403. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** No byte arrived for `idleTimeoutMs`. */
export class DownloadTimeoutError extends Error {
  override readonly name = 'DownloadTimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(readonly idleTimeoutMs: number) {
    super(
      `no data received for ${idleTimeoutMs < 1000 ? `${idleTimeoutMs} ms` : `${Math.round(idleTimeoutMs / 1000)} s`}`,
    );
  }
}

/** The file grew past the size it is known to have. */
export class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the server sent more than the expected ${maxBytes} bytes`);
  }
}

export async function downloadResumable(options: DownloadOptions): Promise<DownloadResult> {
  const existing = await sizeOf(options.partialPath);
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(
      () => idle.abort(new DownloadTimeoutError(options.idleTimeoutMs)),
      options.idleTimeoutMs,
    );
  };
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
  touch();
  try {
    const headers: Record<string, string> = {
      // Byte ranges must refer to the file itself, not to a compressed encoding of it.
      'accept-encoding': 'identity',
      'user-agent': 'earshot-models',
    };
    if (existing > 0) headers.range = `bytes=${existing}-`;
    const response = await options.fetchImpl(options.url, { headers, signal, redirect: 'follow' });
    touch();

    if (response.status === 416 && existing > 0) {
      await response.body?.cancel();
      options.onStart?.({ resumedFrom: existing, bytesTotal: existing, status: 416 });
      const hash = createHash('sha256');
      await hashFileInto(hash, options.partialPath, signal);
      return { size: existing, sha256: hash.digest('hex'), resumedFrom: existing, assumedComplete: true };
    }

    let append = false;
    let bytesTotal: number | undefined;
    if (response.status === 206 && existing > 0) {
      const range = parseContentRange(response.headers.get('content-range'));
      append = range !== undefined && range.start === existing;
      bytesTotal = range?.total;
      if (!append) {
        // A range other than the one asked for cannot be appended; fetch the whole file again.
        await response.body?.cancel();
        await truncate(options.partialPath, 0);
        return await downloadResumable(options);
      }
    } else if (response.status === 200) {
      const length = Number(response.headers.get('content-length'));
      bytesTotal = Number.isFinite(length) && length > 0 ? length : undefined;
    } else {
      await response.body?.cancel();
      throw new HttpStatusError(response.status, response.statusText, response.url || options.url);
    }
    if (!response.body) throw new Error('the response has no body');

    const resumedFrom = append ? existing : 0;
    options.onStart?.({ resumedFrom, bytesTotal, status: response.status });
    const hash = createHash('sha256');
    // Resuming: the sha256 covers the kept bytes too, read once from disk before appending.
    if (append) await hashFileInto(hash, options.partialPath, signal);
    let size = resumedFrom;
    const out = await open(options.partialPath, append ? 'a' : 'w');
    try {
      // Each chunk is on disk before the next is read, so when the connection drops, everything
      // received so far is kept for the next attempt (a buffered writer would lose its queue).
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        touch();
        size += chunk.length;
        if (options.maxBytes !== undefined && size > options.maxBytes)
          throw new TooLargeError(options.maxBytes);
        await out.write(chunk);
        hash.update(chunk);
        options.onBytes?.(size, bytesTotal);
      }
    } finally {
      await out.close();
    }
    return { size, sha256: hash.digest('hex'), resumedFrom, assumedComplete: false };
  } catch (error) {
    // Aborts surface as AbortError; report the reason (our idle timeout, or the caller's cancel).
    if (signal.aborted) throw signal.reason as Error;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** `bytes 100-199/1000` → {start: 100, total: 1000}; `*` total → undefined total. */
export function parseContentRange(
  value: string | null,
): { start: number; total: number | undefined } | undefined {
  const match = value ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim()) : null;
  if (!match) return undefined;
  const total = match[3] === '*' ? undefined : Number(match[3]);
  return { start: Number(match[1]), total };
}

async function hashFileInto(hash: Hash, file: string, signal: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(file, {
    highWaterMark: 1 << 20,
    signal,
  }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
