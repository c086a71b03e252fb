import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { z } from 'zod';
import type { Config } from '../../../config/config.js';
import { EarshotError } from '../../../domain/errors.js';
import type { Job, Upload } from '../../../domain/job.js';
import type { JobService } from '../../../jobs/job.service.js';
import type { MediaInfo, MediaTool } from '../../../media/media-tool.js';
import { assertUrlAllowed } from '../../../net/safe-fetch.js';
import type { ApiKeyAuth } from '../../auth.js';
import { baseUrlOf } from '../../request-context.js';
import { gladiaListUrl, parseGladiaListQuery } from './gladia-list-query.js';
import { filenameFromUrl, type OwnUploadResolver, parseGladiaParams } from './gladia-params.js';
import { type GladiaSurfaceParams, renderGladiaJob } from './gladia.renderer.js';

export interface GladiaDeps {
  config: Config;
  jobs: JobService;
  media: MediaTool;
  auth: ApiKeyAuth;
}

/** Our upload URLs: AssemblyAI's form (which uploads answer with) and Gladia's own `/file/<id>`. */
const UPLOAD_PATHS = [/^\/v2\/upload\/([0-9a-f-]{36})$/, /^\/file\/([0-9a-f-]{36})$/];

const GLADIA = { config: { surface: 'gladia' as const } };

const jsonUpload = z.object({ audio_url: z.string().min(1) }).strict();
/** For the OpenAPI document (src/api/openapi). */
export { jsonUpload as gladiaJsonUploadSchema };

/** Content types by file extension, for uploads that arrived as `application/octet-stream`. */
const AUDIO_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  webm: 'audio/webm',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
};

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-gladia-key'];
  return (Array.isArray(header) ? header[0] : header)?.trim() || undefined;
}

function extensionOf(filename: string | null): string | undefined {
  const ext = filename ? path.extname(filename).slice(1).toLowerCase() : '';
  return ext || undefined;
}

/** The type to serve an upload with: as uploaded, unless that said nothing ("octet-stream"). */
function servedContentType(upload: Upload): string {
  const declared = upload.contentType?.toLowerCase();
  if (declared && declared !== 'application/octet-stream' && !declared.includes('json')) return declared;
  return AUDIO_TYPES[extensionOf(upload.filename) ?? ''] ?? 'application/octet-stream';
}

function ownUploadResolver(request: FastifyRequest, config: Config): OwnUploadResolver {
  const ours = new Set([
    new URL(baseUrlOf(request, config.publicUrl)).host,
    ...(config.publicUrl ? [new URL(config.publicUrl).host] : []),
  ]);
  return (audioUrl) => {
    let url: URL;
    try {
      url = new URL(audioUrl);
    } catch {
      return undefined;
    }
    if (!ours.has(url.host)) return undefined;
    for (const pattern of UPLOAD_PATHS) {
      const match = pattern.exec(url.pathname);
      if (match) return match[1];
    }
    return undefined;
  };
}

/** Streams the multipart field `audio` into an upload. */
async function receiveMultipart(request: FastifyRequest, jobs: JobService, config: Config): Promise<Upload> {
  let part: MultipartFile | undefined;
  try {
    part = await request.file();
  } catch (error) {
    throw new EarshotError('badRequest', `Malformed multipart body: ${(error as Error).message}`, {
      param: 'audio',
    });
  }
  if (!part) {
    throw new EarshotError('badRequest', 'The multipart body has no file: send it in the field "audio"', {
      param: 'audio',
    });
  }
  if (part.fieldname !== 'audio') {
    part.file.resume();
    throw new EarshotError('badRequest', `Send the file in the field "audio", not "${part.fieldname}"`, {
      param: 'audio',
    });
  }
  const upload = await jobs.createUpload(request.tenantId, part.file, {
    filename: part.filename || null,
    contentType: part.mimetype || null,
  });
  // Past the multipart size limit the part just ends early, marked truncated: what was stored is
  // only the beginning of the file.
  if (part.file.truncated) {
    await jobs.deleteUpload(request.tenantId, upload.id);
    throw new EarshotError(
      'payloadTooLarge',
      `The file is larger than the upload limit of ${config.limits.maxUploadBytes} bytes`,
      { param: 'audio' },
    );
  }
  return upload;
}

/**
 * Gladia's `POST /v2/upload`: a multipart field `audio`, or JSON `{audio_url}` fetched through the
 * SSRF guard. The file is probed at once, as Gladia does: something that is not audio is refused
 * with a 4xx here, and its bytes are not kept. Registered by the shared `/v2/upload` route.
 */
export function createGladiaUploadHandler(deps: GladiaDeps) {
  const { jobs, media, auth, config } = deps;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    request.surface = 'gladia';
    request.tenantId = auth.tenantFor(keyOf(request));
    const contentType = (request.headers['content-type'] ?? '').toLowerCase();
    let upload: Upload;
    let source: string | null = null;
    if (contentType.startsWith('multipart/form-data')) {
      upload = await receiveMultipart(request, jobs, config);
    } else if (contentType.startsWith('application/json')) {
      const parsed = jsonUpload.safeParse(request.body ?? {});
      if (!parsed.success) {
        throw new EarshotError('badRequest', 'The JSON body must be {"audio_url": "<http(s) URL>"}', {
          param: 'audio_url',
        });
      }
      source = parsed.data.audio_url;
      await assertUrlAllowed(source, {
        purpose: 'audio_url',
        allowedPrivateHosts: config.fetch.allowedPrivateHosts,
      });
      upload = await jobs.createUploadFromUrl(request.tenantId, source, {
        filename: filenameFromUrl(source),
      });
    } else {
      throw new EarshotError(
        'unsupportedMediaType',
        'Send the file as multipart/form-data in the field "audio", or JSON {"audio_url": "..."}',
      );
    }

    let info: MediaInfo;
    try {
      if (upload.sizeBytes === 0) throw new EarshotError('invalidAudio', 'The file is empty (0 bytes).');
      info = await jobs.withUploadFile(upload, (file) => media.probe(file));
    } catch (error) {
      await jobs.deleteUpload(request.tenantId, upload.id);
      throw error;
    }
    const filename = upload.filename ?? upload.id;
    return reply.send({
      audio_url: `${baseUrlOf(request, config.publicUrl)}/v2/upload/${upload.id}`,
      audio_metadata: {
        id: upload.id,
        filename,
        ...(source !== null && { source }),
        extension: extensionOf(upload.filename) ?? info.formatName.split(',')[0] ?? 'unknown',
        size: upload.sizeBytes,
        audio_duration: info.durationMs === null ? null : info.durationMs / 1000,
        number_of_channels: info.audioStreams[0]?.channels ?? null,
      },
    });
  };
}

/**
 * Gladia's v2 pre-recorded API as `@gladiaio/sdk` calls it: `x-gladia-key`, JSON in and out, times
 * in seconds, `{statusCode, message, request_id}` on failure. Only translation happens here.
 */
export function registerGladiaRoutes(app: FastifyInstance, deps: GladiaDeps): void {
  const { jobs, auth, config } = deps;

  // A plugin scope, so the Gladia key check applies to these routes only, before any lookup.
  app.register((scope, _options, registered) => {
    scope.addHook('onRequest', (request, _reply, next) => {
      try {
        request.tenantId = auth.tenantFor(keyOf(request));
        next();
      } catch (error) {
        next(error as Error);
      }
    });

    const base = (request: FastifyRequest): string => baseUrlOf(request, config.publicUrl);

    /** The caller's Gladia job: deleted ones and other dialects' jobs are not found. */
    const gladiaJob = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<Job> => {
      const notFound = new EarshotError('notFound', `Pre-recorded job ${request.params.id} not found`);
      const job = await jobs.get(request.tenantId, request.params.id).catch((error: unknown) => {
        throw (error as EarshotError).code === 'notFound' ? notFound : error;
      });
      if (job.deletedAt || job.surface !== 'gladia') throw notFound;
      return job;
    };

    scope.post('/v2/pre-recorded', GLADIA, async (request, reply) => {
      const parsed = parseGladiaParams(request.body, ownUploadResolver(request, config));
      const { audio } = parsed.request;
      let file: GladiaSurfaceParams['file'];
      if (audio.kind === 'url') {
        // Refuse private and loopback targets now, with a 400, rather than in the job.
        await assertUrlAllowed(audio.url, {
          purpose: 'audio_url',
          allowedPrivateHosts: config.fetch.allowedPrivateHosts,
        });
        file = { filename: filenameFromUrl(audio.url), source: audio.url };
      } else {
        const upload =
          audio.kind === 'upload' ? await jobs.getUpload(request.tenantId, audio.uploadId) : null;
        file = { filename: upload?.filename ?? null, source: null };
      }
      if (parsed.request.webhook) {
        await assertUrlAllowed(parsed.request.webhook.url, {
          purpose: parsed.requestParams.callback_url ? 'callback_url' : 'callback_config.url',
          allowedPrivateHosts: config.fetch.allowedPrivateHosts,
        });
      }
      const surfaceParams: GladiaSurfaceParams = { request_params: parsed.requestParams, file };
      const job = await jobs.submit(request.tenantId, parsed.request, {
        surface: 'gladia',
        surfaceParams: { ...surfaceParams },
        paramNames: parsed.paramNames,
        ...(parsed.metadata && { metadata: parsed.metadata }),
      });
      return reply.code(201).send({ id: job.id, result_url: `${base(request)}/v2/pre-recorded/${job.id}` });
    });

    scope.get('/v2/pre-recorded', GLADIA, async (request) => {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const q = parseGladiaListQuery(search);
      // List items are whole jobs, results included, as Gladia lists them.
      const { jobs: items, hasMore } = await jobs.listPage(request.tenantId, {
        ...q.filters,
        surface: 'gladia',
        excludeDeleted: true,
        offset: q.offset,
        limit: q.limit,
      });
      const root = base(request);
      return {
        first: gladiaListUrl(root, q, 0),
        current: gladiaListUrl(root, q, q.offset),
        next: hasMore ? gladiaListUrl(root, q, q.offset + q.limit) : null,
        items: items.map(renderGladiaJob),
      };
    });

    scope.get<{ Params: { id: string } }>('/v2/pre-recorded/:id', GLADIA, async (request) =>
      renderGladiaJob(await gladiaJob(request)),
    );

    scope.delete<{ Params: { id: string } }>('/v2/pre-recorded/:id', GLADIA, async (request, reply) => {
      const job = await gladiaJob(request);
      await jobs.delete(request.tenantId, job.id);
      return reply.code(202).send();
    });

    scope.get<{ Params: { id: string } }>('/v2/pre-recorded/:id/file', GLADIA, async (request, reply) => {
      const job = await gladiaJob(request);
      const { audio } = job.request;
      if (audio.kind === 'url') {
        // The audio was fetched from the caller's own URL and not kept: send the caller there.
        return reply.redirect(audio.url, 302);
      }
      if (audio.kind !== 'upload') throw new EarshotError('notFound', 'This job has no audio file');
      const { upload, body } = await jobs.openUpload(request.tenantId, audio.uploadId);
      return reply
        .type(servedContentType(upload))
        .header('content-length', String(upload.sizeBytes))
        .send(body);
    });

    registered();
  });
}
