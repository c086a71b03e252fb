import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EarshotError } from '../domain/errors.js';
import type { BlobStore } from './blob.store.js';

const MAX_KEY_LENGTH = 1024;

/**
 * Blobs as files under one root directory: key `a/b/c` is the file `<root>/a/b/c`.
 *
 * Writes go to a hidden temporary file in the target's directory and are renamed into place once
 * complete and flushed to disk, so a reader sees either the old object or the whole new one, never
 * a partial file, and a crash mid-upload leaves no object behind.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, body: Readable, options: { maxBytes?: number } = {}): Promise<number> {
    const file = this.#file(key);
    const dir = path.dirname(file);
    const { maxBytes } = options;
    // Until the pipeline below listens, an 'error' from the body (a client that disconnects while
    // the directory is being made) would be an uncaught exception; the pipeline still sees the
    // error, because a destroyed stream keeps it.
    const ignoreEarlyError = (): void => undefined;
    body.on('error', ignoreEarlyError);
    try {
      return await this.#write(key, file, dir, body, maxBytes);
    } finally {
      body.off('error', ignoreEarlyError);
    }
  }

  async #write(
    key: string,
    file: string,
    dir: string,
    body: Readable,
    maxBytes: number | undefined,
  ): Promise<number> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      body.destroy();
      throw asConflict(err, key);
    }

    const temp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
    let bytes = 0;
    // Counting in the pipe (not after) stops an oversized upload as soon as it crosses the limit
    // instead of first writing all of it to disk.
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (maxBytes !== undefined && bytes > maxBytes) {
          callback(
            new EarshotError('payloadTooLarge', `the file is larger than the limit of ${maxBytes} bytes`),
          );
        } else {
          callback(null, chunk);
        }
      },
    });
    // `wx`: a temporary name is never shared; `flush`: data reaches the disk before the rename does.
    const out = createWriteStream(temp, { flags: 'wx', flush: true });
    try {
      await pipeline(body, limiter, out);
      await rename(temp, file);
    } catch (err) {
      await closed(out);
      await rm(temp, { force: true });
      throw asConflict(err, key);
    }
    return bytes;
  }

  async get(key: string): Promise<Readable> {
    const file = this.#file(key);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      throw asNotFound(err, key);
    }
    // Opening a directory for reading succeeds on Linux; a directory is a key prefix, not an object.
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw notFound(key);
    }
    return handle.createReadStream();
  }

  localPath(key: string): string {
    return this.#file(key);
  }

  async download(key: string, filePath: string): Promise<void> {
    const file = this.#file(key);
    try {
      await copyFile(file, filePath);
    } catch (err) {
      // ENOENT may name either side; only a missing source is the caller's "not found".
      if (errorCode(err) === 'ENOENT' && !(await this.exists(key))) throw notFound(key);
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.#file(key))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.#file(key);
    try {
      await rm(file, { force: true });
    } catch (err) {
      // A directory at the key is a prefix of other objects, not an object: nothing to delete.
      if (errorCode(err) === 'ERR_FS_EISDIR' || errorCode(err) === 'EISDIR') return;
      throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const segments = validatePrefix(prefix);
    const namePrefix = segments.pop() ?? '';
    const dir = path.join(this.root, ...segments);
    if (namePrefix === '') {
      // `tenants/t/jobs/j/`: the whole directory is the prefix.
      await rm(dir, { recursive: true, force: true });
      return;
    }
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    // Key prefixes need not end at a `/`: `uploads/ab` covers `uploads/abc` and `uploads/ab/x`.
    await Promise.all(
      names
        .filter((name) => name.startsWith(namePrefix))
        .map((name) => rm(path.join(dir, name), { recursive: true, force: true })),
    );
  }

  #file(key: string): string {
    const file = path.join(this.root, ...validateKey(key));
    // Belt and braces: validation already rules out every way out of the root.
    if (!file.startsWith(this.root + path.sep)) throw badKey(key, 'it leaves the storage root');
    return file;
  }
}

function validateKey(key: string): string[] {
  const segments = checkCommon(key, 'key');
  for (const segment of segments) {
    if (segment === '') throw badKey(key, 'it has an empty path segment');
    if (segment === '.' || segment === '..') throw badKey(key, 'it has a "." or ".." segment');
  }
  return segments;
}

function validatePrefix(prefix: string): string[] {
  const segments = checkCommon(prefix, 'prefix');
  segments.forEach((segment, i) => {
    // Only the last segment may be empty (a prefix ending in `/`).
    if (segment === '' && i < segments.length - 1) throw badKey(prefix, 'it has an empty path segment');
    if (segment === '.' || segment === '..') throw badKey(prefix, 'it has a "." or ".." segment');
  });
  return segments;
}

function checkCommon(key: string, what: 'key' | 'prefix'): string[] {
  if (typeof key !== 'string' || key.length === 0) {
    // An empty prefix would mean "everything": refuse it rather than wipe the store by accident.
    throw new EarshotError('badRequest', `blob ${what} must not be empty`);
  }
  if (key.length > MAX_KEY_LENGTH) throw badKey(key, `it is longer than ${MAX_KEY_LENGTH} characters`);
  if (key.includes('\0')) throw badKey(key, 'it contains a NUL character');
  if (key.includes('\\')) throw badKey(key, 'it contains a backslash');
  if (key.startsWith('/')) throw badKey(key, 'it is an absolute path');
  return key.split('/');
}

function badKey(key: string, why: string): EarshotError {
  return new EarshotError('badRequest', `invalid blob key ${JSON.stringify(key.slice(0, 200))}: ${why}`);
}

function notFound(key: string): EarshotError {
  return new EarshotError('notFound', `no blob stored at ${JSON.stringify(key)}`);
}

function errorCode(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function asNotFound(err: unknown, key: string): unknown {
  return isMissing(err) || errorCode(err) === 'EISDIR' ? notFound(key) : err;
}

/** A file where a directory is needed, or the reverse: the key collides with another key's prefix. */
function asConflict(err: unknown, key: string): unknown {
  const code = errorCode(err);
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
    return new EarshotError('conflict', `blob key ${JSON.stringify(key)} collides with another key`, {
      cause: err,
    });
  }
  return err;
}

/**
 * Waits until the write stream has released its file, so removing the temporary file cannot race
 * with a late open that would recreate it.
 */
async function closed(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  const done = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  stream.destroy();
  await done;
}
