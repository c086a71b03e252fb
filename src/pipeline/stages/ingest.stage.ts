import path from 'node:path';
import { EarshotError } from '../../domain/errors.js';
import type { AudioSource } from '../../domain/transcription-request.js';
import { downloadToFile } from '../../net/safe-fetch.js';
import { blobKeys } from '../../store/blob-keys.js';
import { statOrUndefined } from '../../util/fs.js';
import type { StageContext } from '../pipeline-context.js';

/**
 * Makes the input audio available as a local file. Uploads are read from blob storage (never
 * over the network); URLs are fetched through the SSRF guard with the size and time caps.
 */
export async function ingest(source: AudioSource, ctx: StageContext): Promise<string> {
  ctx.progress('ingest', 0, 'Fetching audio');
  switch (source.kind) {
    case 'transcript':
      throw new Error('a provided transcript has no audio to ingest');
    case 'file': {
      // Only the CLI names local files: a mistyped path deserves a plain answer, not an ENOENT.
      const info = await statOrUndefined(source.path);
      if (!info) throw new EarshotError('invalidAudio', `No such file: ${source.path}`);
      if (info.isDirectory()) {
        throw new EarshotError('invalidAudio', `${source.path} is a directory, not an audio file.`);
      }
      return source.path;
    }
    case 'upload': {
      const key = blobKeys.upload(ctx.tenantId, source.uploadId);
      if (!(await ctx.blobs.exists(key))) {
        throw new EarshotError(
          'invalidAudio',
          'The uploaded file no longer exists (it was deleted or has expired).',
        );
      }
      const local = ctx.blobs.localPath(key);
      if (local) return local;
      const target = path.join(ctx.workDir, 'source');
      await ctx.blobs.download(key, target);
      return target;
    }
    case 'url': {
      const target = path.join(ctx.workDir, 'source');
      await downloadToFile(source.url, target, {
        purpose: 'audio_url',
        timeoutMs: ctx.config.fetch.timeoutMs,
        maxBytes: ctx.config.limits.maxUploadBytes,
        maxRedirects: ctx.config.fetch.maxRedirects,
        allowedPrivateHosts: ctx.config.fetch.allowedPrivateHosts,
        signal: ctx.signal,
      });
      return target;
    }
  }
}
