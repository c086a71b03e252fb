import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { EarshotError } from '../domain/errors.js';
import { isSystemModel } from './catalog.js';
import type { CatalogFile, CatalogModel } from './catalog.types.js';
import { cachedSha256, rememberVerified, sha256File } from './file-hash.js';
import { DownloadTimeoutError, HttpStatusError, TooLargeError, downloadResumable } from './http-download.js';
import type { Sha256Source } from './model-manifest.js';
import type { ModelStore } from './model-store.js';

/**
 * `earshot models pull`: puts a model's files in place, each downloaded (resumably) or copied from a
 * local folder, checked against its published size and sha256 (or recorded on first use), and moved
 * into place atomically, so a file under its final name is always complete and verified.
 */

export type PullPhase = 'check' | 'download' | 'copy' | 'done' | 'skipped';

export interface PullProgress {
  modelId: string;
  file: string;
  /** 0-based index of the file in the model and how many files it has. */
  fileIndex: number;
  fileCount: number;
  phase: PullPhase;
  bytesDone: number;
  bytesTotal: number | undefined;
}

export interface PullOptions {
  /** Base URL that replaces each file URL's origin (the path is kept), e.g. an internal mirror. */
  mirror?: string;
  /** Copy files from this folder (matched by file name) instead of downloading: air-gapped installs. */
  fromDir?: string;
  onProgress?: (progress: PullProgress) => void;
  /** Things a person should know: trust on first use, resuming, retrying, skipping. */
  onMessage?: (message: string) => void;
  signal?: AbortSignal;
  /** @defaultValue the global fetch */
  fetchImpl?: typeof fetch;
  /**
   * Further attempts per file after a transient failure (connection cut mid-body, timeout, HTTP 5xx);
   * each resumes where the last one stopped.
   * @defaultValue 3
   */
  retries?: number;
  /** First pause between attempts; doubles each time. @defaultValue 1000 */
  retryDelayMs?: number;
  /** Give up on a connection when no byte arrives for this long. @defaultValue 60000 */
  idleTimeoutMs?: number;
}

export type PullAction = 'skipped' | 'downloaded' | 'resumed' | 'copied' | 'adopted' | 'system';

export interface PulledFile {
  name: string;
  path: string;
  action: PullAction;
  sizeBytes: number | undefined;
  sha256: string | undefined;
  sha256Source: Sha256Source | undefined;
  /** The URL or local file it came from. */
  source: string;
}

export interface PullResult {
  id: string;
  files: PulledFile[];
  /** The manifest written, or undefined for a system model. */
  manifestPath: string | undefined;
}

// Connection trouble that another attempt may get past. Anything else before the first byte
// (refused, unknown host, bad URL) fails at once: retrying cannot help an air-gapped machine.
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export async function pullModel(
  store: ModelStore,
  id: string,
  options: PullOptions = {},
): Promise<PullResult> {
  const model = store.require(id);
  if (isSystemModel(model)) return pullSystemModel(store, model, options);
  const files: PulledFile[] = [];
  try {
    for (const [index, file] of model.files.entries()) {
      options.signal?.throwIfAborted();
      files.push(await pullFile(store, model, file, index, options));
    }
  } catch (error) {
    // However deep the abort surfaced (fetch, copy, hashing), the caller sees one stable code.
    if (options.signal?.aborted && !(error instanceof EarshotError && error.code === 'cancelled')) {
      throw cancelledError(model, error);
    }
    throw error;
  }
  return { id, files, manifestPath: store.manifestPath(id) };
}

function cancelledError(model: CatalogModel, cause: unknown): EarshotError {
  return new EarshotError('cancelled', `Pulling ${model.id} was cancelled; running it again resumes.`, {
    cause,
  });
}

/** `url` with its origin replaced by `mirror` (whose own path, if any, is kept as a prefix). */
export function mirrorUrl(url: string, mirror: string): string {
  const source = new URL(url);
  const base = new URL(mirror);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${source.pathname}${source.search}`;
}

async function pullSystemModel(
  store: ModelStore,
  model: CatalogModel,
  options: PullOptions,
): Promise<PullResult> {
  const report = await store.verify(model.id);
  if (!report.ok) {
    const missing = report.files.filter((f) => f.status !== 'ok').map((f) => f.path);
    throw new EarshotError(
      'modelMissing',
      `Model ${model.id} is provided by the system package ${model.systemPackage} and is never downloaded. ` +
        `Missing: ${missing.join(', ')}. Install it with: apt-get install ${model.systemPackage}`,
    );
  }
  options.onMessage?.(
    `${model.id} is provided by the system package ${model.systemPackage}: nothing to pull.`,
  );
  return {
    id: model.id,
    manifestPath: undefined,
    files: report.files.map((f) => ({
      name: f.name,
      path: f.path,
      action: 'system',
      sizeBytes: undefined,
      sha256: undefined,
      sha256Source: undefined,
      source: model.systemPackage ?? '',
    })),
  };
}

async function pullFile(
  store: ModelStore,
  model: CatalogModel,
  file: CatalogFile,
  index: number,
  options: PullOptions,
): Promise<PulledFile> {
  const target = store.filePath(model, file);
  const progress = (phase: PullPhase, bytesDone: number, bytesTotal = file.sizeBytes): void =>
    options.onProgress?.({
      modelId: model.id,
      file: file.name,
      fileIndex: index,
      fileCount: model.files.length,
      phase,
      bytesDone,
      bytesTotal,
    });
  await mkdir(path.dirname(target), { recursive: true });

  const existing = await checkExisting(store, model, file, target, options);
  if (existing) {
    progress('skipped', existing.sizeBytes ?? 0, existing.sizeBytes);
    return existing;
  }

  const partial = `${target}.partial`;
  let fetched: Fetched;
  if (options.fromDir !== undefined) {
    fetched = await copyFromDir(model, file, options.fromDir, partial, options, progress);
  } else {
    const url = options.mirror ? mirrorUrl(file.url, options.mirror) : file.url;
    fetched = await downloadWithRetries(store, model, file, url, target, options, progress);
  }
  const entry = await accept(store, model, file, target, fetched, options);
  progress('done', entry.sizeBytes ?? 0, entry.sizeBytes);
  return entry;
}

interface Fetched {
  size: number;
  sha256: string;
  source: string;
  action: 'downloaded' | 'resumed' | 'copied';
}

/**
 * A file already under its final name: kept when it matches what is expected, deleted when it does
 * not. With nothing to compare to (placed by hand, no published sha256) it is adopted and its
 * sha256 recorded — trust on first use, as for a download.
 */
async function checkExisting(
  store: ModelStore,
  model: CatalogModel,
  file: CatalogFile,
  target: string,
  options: PullOptions,
): Promise<PulledFile | undefined> {
  const info = await stat(target).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const recorded = store.readManifest(model.id)?.files.find((f) => f.name === file.name);
  const expectedSize = file.sizeBytes ?? recorded?.sizeBytes;
  if (expectedSize !== undefined && info.size !== expectedSize) {
    options.onMessage?.(
      `${file.name}: ${info.size} bytes on disk, expected ${expectedSize}; fetching it again.`,
    );
    await unlink(target);
    return undefined;
  }
  const expected = file.sha256 ?? recorded?.sha256;
  const actual =
    cachedSha256(target, info.size, info.mtimeMs) ?? (await sha256File(target, { signal: options.signal }));
  if (expected !== undefined && actual !== expected) {
    options.onMessage?.(
      `${file.name}: sha256 on disk ${actual} is not the expected ${expected}; fetching it again.`,
    );
    await unlink(target);
    return undefined;
  }
  rememberVerified(target, info, actual);
  const sha256Source: Sha256Source = file.sha256 !== undefined ? 'published' : 'recorded';
  const adopted = expected === undefined;
  if (adopted) {
    options.onMessage?.(
      `${file.name} was already in place with no published sha256: recorded sha256 ${actual} (trust on first use).`,
    );
  }
  const source = recorded?.source ?? `${target} (found in place)`;
  if (!recorded) {
    await store.recordFile(model.id, {
      name: file.name,
      sizeBytes: info.size,
      sha256: actual,
      sha256Source,
      source,
      installedAt: new Date().toISOString(),
    });
  }
  return {
    name: file.name,
    path: target,
    action: adopted ? 'adopted' : 'skipped',
    sizeBytes: info.size,
    sha256: actual,
    sha256Source,
    source,
  };
}

async function downloadWithRetries(
  store: ModelStore,
  model: CatalogModel,
  file: CatalogFile,
  url: string,
  target: string,
  options: PullOptions,
  progress: (phase: PullPhase, done: number, total?: number) => void,
): Promise<Fetched> {
  const partial = `${target}.partial`;
  const retries = options.retries ?? 3;
  const delay = options.retryDelayMs ?? 1000;
  let startedOver = false;
  for (let attempt = 0; ; attempt++) {
    // Bytes arrived in this attempt: the connection worked, so a failure now is worth a retry.
    let progressed = false;
    try {
      let total = file.sizeBytes;
      const result = await downloadResumable({
        url,
        partialPath: partial,
        fetchImpl: options.fetchImpl ?? fetch,
        signal: options.signal,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        maxBytes: file.sizeBytes,
        onStart: ({ resumedFrom, bytesTotal }) => {
          total = file.sizeBytes ?? bytesTotal;
          if (resumedFrom > 0) options.onMessage?.(`${file.name}: resuming after ${resumedFrom} bytes.`);
          progress('download', resumedFrom, total);
        },
        onBytes: (done, bytesTotal) => {
          progressed = true;
          progress('download', done, file.sizeBytes ?? bytesTotal ?? total);
        },
      });
      const fetched: Fetched = {
        size: result.size,
        sha256: result.sha256,
        source: url,
        action: result.resumedFrom > 0 ? 'resumed' : 'downloaded',
      };
      // A 416 means "you already have it all" only if the kept bytes are right; otherwise start over once.
      if (result.assumedComplete && !startedOver && !matchesPublished(file, fetched)) {
        options.onMessage?.(`${file.name}: the kept partial download does not match; starting over.`);
        await unlink(partial).catch(() => undefined);
        startedOver = true;
        continue;
      }
      return fetched;
    } catch (error) {
      if (options.signal?.aborted) throw cancelledError(model, error);
      if (error instanceof TooLargeError) {
        await unlink(partial).catch(() => undefined);
        throw new EarshotError(
          'modelCorrupt',
          `${file.name} from ${url}: ${error.message}; the download was deleted. The server is not serving ` +
            'the file this catalog describes.',
          { cause: error },
        );
      }
      if (attempt < retries && (progressed || isTransient(error))) {
        const wait = delay * 2 ** attempt;
        options.onMessage?.(
          `${file.name}: ${describeFailure(error)}; retrying in ${Math.round(wait / 100) / 10} s ` +
            `(attempt ${attempt + 2} of ${retries + 1}).`,
        );
        await sleep(wait, undefined, { signal: options.signal });
        continue;
      }
      throw await unreachableError(store, model, file, url, error, options);
    }
  }
}

function matchesPublished(file: CatalogFile, fetched: Fetched): boolean {
  if (file.sizeBytes !== undefined && fetched.size !== file.sizeBytes) return false;
  return file.sha256 === undefined || fetched.sha256 === file.sha256;
}

async function copyFromDir(
  model: CatalogModel,
  file: CatalogFile,
  fromDir: string,
  partial: string,
  options: PullOptions,
  progress: (phase: PullPhase, done: number, total?: number) => void,
): Promise<Fetched> {
  const source = path.resolve(fromDir, path.basename(file.name));
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) {
    throw new EarshotError(
      'modelMissing',
      `--from ${fromDir}: ${path.basename(file.name)} is not there (model ${model.id} needs it; ` +
        `download it from ${file.url}${expectation(file)}).`,
    );
  }
  const hash = createHash('sha256');
  let done = 0;
  progress('copy', 0, info.size);
  await pipeline(
    createReadStream(source, { highWaterMark: 1 << 20 }),
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        done += chunk.length;
        progress('copy', done, info.size);
        callback(null, chunk);
      },
    }),
    createWriteStream(partial),
    { signal: options.signal },
  );
  return { size: done, sha256: hash.digest('hex'), source, action: 'copied' };
}

/** Checks what was fetched against the catalog, then moves it into place and records it. */
async function accept(
  store: ModelStore,
  model: CatalogModel,
  file: CatalogFile,
  target: string,
  fetched: Fetched,
  options: PullOptions,
): Promise<PulledFile> {
  const partial = `${target}.partial`;
  const reject = async (what: string): Promise<never> => {
    await unlink(partial).catch(() => undefined);
    throw new EarshotError(
      'modelCorrupt',
      `${file.name} of model ${model.id} from ${fetched.source}: ${what}. The file was deleted; nothing was ` +
        'installed. If the source is right, the catalog entry is out of date.',
    );
  };
  if (file.sizeBytes !== undefined && fetched.size !== file.sizeBytes) {
    await reject(`got ${fetched.size} bytes, expected ${file.sizeBytes}`);
  }
  if (file.sha256 !== undefined && fetched.sha256 !== file.sha256) {
    await reject(`sha256 is ${fetched.sha256}, expected the published ${file.sha256}`);
  }
  if (file.sha256 === undefined) {
    options.onMessage?.(
      `${file.name}: no published sha256; recorded ${fetched.sha256} (trust on first use). ` +
        `\`earshot models verify ${model.id}\` will check the file against it from now on.`,
    );
  }
  await rename(partial, target);
  const info = await stat(target);
  rememberVerified(target, info, fetched.sha256);
  const sha256Source: Sha256Source = file.sha256 !== undefined ? 'published' : 'recorded';
  await store.recordFile(model.id, {
    name: file.name,
    sizeBytes: fetched.size,
    sha256: fetched.sha256,
    sha256Source,
    source: fetched.source,
    installedAt: new Date().toISOString(),
  });
  return {
    name: file.name,
    path: target,
    action: fetched.action,
    sizeBytes: fetched.size,
    sha256: fetched.sha256,
    sha256Source,
    source: fetched.source,
  };
}

function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.transient;
  if (error instanceof DownloadTimeoutError) return true;
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** The first `code` along an error's cause chain (undici wraps socket errors in "fetch failed"). */
function errorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    queue.push((current as { cause?: unknown }).cause);
    if (current instanceof AggregateError) queue.push(...(current.errors as unknown[]));
  }
  return undefined;
}

function describeFailure(error: unknown): string {
  if (error instanceof HttpStatusError || error instanceof DownloadTimeoutError) return error.message;
  const code = errorCode(error);
  const known: Record<string, string> = {
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'connection lost',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  };
  if (code !== undefined) return `${known[code] ?? 'network error'} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${message}${cause}`;
}

function expectation(file: CatalogFile): string {
  const parts: string[] = [];
  if (file.sizeBytes !== undefined) parts.push(`${file.sizeBytes} bytes`);
  parts.push(file.sha256 !== undefined ? `sha256 ${file.sha256}` : 'no published sha256');
  return `; expected ${parts.join(', ')}`;
}

/**
 * The network failed: say exactly what to put where so the model can be installed by hand, listing
 * every file of the model that is not in place yet (the failed one first).
 */
async function unreachableError(
  store: ModelStore,
  model: CatalogModel,
  failed: CatalogFile,
  failedUrl: string,
  error: unknown,
  options: PullOptions,
): Promise<EarshotError> {
  const pending: { file: CatalogFile; url: string }[] = [{ file: failed, url: failedUrl }];
  for (const file of model.files) {
    if (file === failed) continue;
    const present = await stat(store.filePath(model, file)).catch(() => undefined);
    if (!present)
      pending.push({ file, url: options.mirror ? mirrorUrl(file.url, options.mirror) : file.url });
  }
  const partial = await stat(`${store.filePath(model, failed)}.partial`).catch(() => undefined);
  const lines = [
    `Could not download ${failed.name} for model ${model.id}: ${describeFailure(error)}.`,
    `  URL:      ${failedUrl}`,
  ];
  if (partial && partial.size > 0) {
    lines.push(
      `  Kept ${partial.size} bytes in ${store.filePath(model, failed)}.partial: running the pull again resumes.`,
    );
  }
  lines.push(
    '',
    'To install it without network access, download each file below elsewhere and place it here:',
  );
  for (const { file, url } of pending) {
    lines.push(`  ${file.name}`);
    lines.push(`    from:     ${url}`);
    lines.push(`    place at: ${store.filePath(model, file)}`);
    lines.push(`    expected: ${expectation(file).slice('; expected '.length)}`);
  }
  lines.push(
    '',
    `then run:  earshot models verify ${model.id}`,
    `(or put the files in one folder and run: earshot models pull ${model.id} --from <folder>)`,
  );
  if (pending.some(({ file }) => file.sha256 === undefined)) {
    lines.push(
      `Files with no published sha256 are recorded on first use by \`earshot models pull ${model.id}\`, ` +
        'which keeps files already in place.',
    );
  }
  return new EarshotError('fetchFailed', lines.join('\n'), { cause: error });
}
