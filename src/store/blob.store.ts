import type { Readable } from 'node:stream';

/**
 * Binary objects (uploads, decoded audio) by key. Keys are `/`-separated, e.g.
 * `tenants/<tenant>/uploads/<id>`. Implementations: local directory, S3-compatible.
 */
export interface BlobStore {
  /**
   * Streams `body` into `key`, stopping with a `payloadTooLarge` EarshotError once more than
   * `maxBytes` arrive (nothing is left behind then). Returns the number of bytes written.
   */
  put(key: string, body: Readable, options?: { maxBytes?: number }): Promise<number>;
  get(key: string): Promise<Readable>;
  /** A local file path holding the object, when the store keeps objects on local disk. */
  localPath(key: string): string | undefined;
  /** Copies the object to a local file (for tools that need a path, such as ffprobe). */
  download(key: string, filePath: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
}
