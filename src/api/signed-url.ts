import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { EarshotError } from '../domain/errors.js';

/** Name of the generated key file in the data directory. */
export const SIGNING_KEY_FILE = 'url-signing.key';
/** Bytes of a generated key (256 bits, as long as the HMAC's output). */
const GENERATED_KEY_BYTES = 32;
/** SHA-256 HMAC in hex. */
const SIGNATURE = /^[0-9a-f]{64}$/;

export interface SignedQuery {
  expires?: unknown;
  signature?: unknown;
}

/**
 * Signs and checks expiring URLs that work without an API key: clients such as AssemblyAI's SDK
 * download the redacted audio with a bare `fetch`. The signature is an HMAC-SHA256 over the method,
 * the path and the expiry, so a URL cannot be moved to another file, method or lifetime.
 */
export class UrlSigner {
  constructor(
    private readonly key: Buffer,
    /** The clock, in ms; tests move it. */
    private readonly now: () => number = Date.now,
  ) {
    if (key.length < 16) throw new Error('A URL signing key must be at least 16 bytes long.');
  }

  /**
   * The signer for this server: `config.urlSigningKey` when set, else a key generated on first
   * use and kept in `<dataDir>/url-signing.key` (readable by this user only), so URLs stay valid
   * across restarts and across processes sharing the data directory.
   */
  static async fromConfig(config: Pick<Config, 'urlSigningKey' | 'dataDir'>): Promise<UrlSigner> {
    if (config.urlSigningKey) return new UrlSigner(Buffer.from(config.urlSigningKey, 'utf8'));
    return new UrlSigner(await loadOrCreateKey(path.join(config.dataDir, SIGNING_KEY_FILE)));
  }

  /**
   * `path` with `?expires=<unix s>&signature=<hex>` appended, valid for `ttlSeconds`.
   * @example signer.signPath('/v2/redacted-audio/abc/redacted.mp3', 3600)
   */
  signPath(urlPath: string, ttlSeconds: number, method = 'GET'): string {
    if (urlPath.includes('?')) throw new Error('signPath takes a path without a query string.');
    const expires = Math.floor(this.now() / 1000) + Math.max(1, Math.floor(ttlSeconds));
    const signature = this.sign(method, urlPath, expires).toString('hex');
    return `${urlPath}?expires=${expires}&signature=${signature}`;
  }

  /**
   * Checks a request for a signed path; throws `forbidden` when the signature is missing, does not
   * match, or has expired. `urlPath` is the request's path without its query string.
   */
  verifySignedRequest(urlPath: string, query: SignedQuery, method = 'GET'): void {
    const { expires, signature } = query;
    if (typeof expires !== 'string' || typeof signature !== 'string') {
      throw new EarshotError('forbidden', 'This URL needs a valid signature (expires and signature).');
    }
    const expiresAt = /^\d{1,12}$/.test(expires) ? Number(expires) : NaN;
    const presented = SIGNATURE.test(signature) ? Buffer.from(signature, 'hex') : undefined;
    // Compared in constant time, so response timing tells nothing about the right signature.
    if (
      !Number.isSafeInteger(expiresAt) ||
      !presented ||
      !timingSafeEqual(presented, this.sign(method, urlPath, expiresAt))
    ) {
      throw new EarshotError('forbidden', 'The URL signature is not valid.');
    }
    if (expiresAt * 1000 <= this.now()) throw new EarshotError('forbidden', 'The URL has expired.');
  }

  private sign(method: string, urlPath: string, expires: number): Buffer {
    // Newlines separate the parts: none can contain one, so no two inputs give the same message.
    return createHmac('sha256', this.key).update(`${method.toUpperCase()}\n${urlPath}\n${expires}`).digest();
  }
}

/** Reads the key file, or writes a new random key there when there is none yet. */
async function loadOrCreateKey(file: string): Promise<Buffer> {
  try {
    return parseKeyFile(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(GENERATED_KEY_BYTES).toString('hex');
  // Written whole to a private temporary file, then linked into place: link() fails when the name
  // exists, so when two processes start together exactly one key wins, and no process can read a
  // half-written file.
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${key}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseKeyFile(await readFile(file, 'utf8'), file);
  } finally {
    await rm(temporary, { force: true });
  }
  return Buffer.from(key, 'utf8');
}

function parseKeyFile(content: string, file: string): Buffer {
  const key = content.trim();
  if (key.length < 32) {
    throw new EarshotError(
      'internal',
      `The URL signing key in ${file} is shorter than 32 characters; remove the file to generate a new one.`,
    );
  }
  return Buffer.from(key, 'utf8');
}
