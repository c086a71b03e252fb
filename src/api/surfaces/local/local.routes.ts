import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/websocket';
import { z } from 'zod';
import type { Config } from '../../../config/config.js';
import { EarshotError, isEarshotError } from '../../../domain/errors.js';
import type { Job, Upload } from '../../../domain/job.js';
import type { TranscriptionRequest } from '../../../domain/transcription-request.js';
import type { JobService } from '../../../jobs/job.service.js';
import type { MediaTool } from '../../../media/media-tool.js';
import type { ModelStore } from '../../../models/model-store.js';
import { isUuid } from '../../../util/ids.js';
import { type ApiKeyAuth, keyFromAuthorization } from '../../auth.js';
import { followJob } from './live.socket.js';
import { installLocalResponseHeaders } from './local-headers.js';
import { readMultipartForm, singleValuedFields } from '../../multipart-form.js';
import {
  LOCAL_PARAM_NAMES,
  parseClipFields,
  parseRangeFields,
  parseTranscribeFields,
  type RawFields,
} from './local-params.js';
import {
  NOT_FOUND_MESSAGE,
  progressPercent,
  renderDebug,
  renderJobListItem,
  renderModel,
  renderNotFoundStatus,
  renderResult,
  renderRetranslation,
  renderStatus,
  speakerOverRange,
} from './local.renderer.js';

export interface LocalApiDeps {
  config: Config;
  jobs: JobService;
  /** ffprobe: an upload that is not audio is refused with a 400 before a job is made. */
  media: MediaTool;
  models: ModelStore;
  auth: ApiKeyAuth;
  version: string;
}

/** Job metadata key marking the jobs made by `/api/retranslate/*`: kept out of the jobs list. */
const RETRANSLATE_KEY = 'local_retranslate_segment';

const MAX_LIST_LIMIT = 1000;
const listQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(100) })
  .strict();
const noQuery = z.object({}).strict();
/**
 * Browsers cannot set headers on a WebSocket, so the live socket also takes the key as `token`
 * (or `api_key`) in its URL. Only there: a key in any other URL would end up in logs for nothing.
 */
const liveQuery = z.object({ token: z.string().optional(), api_key: z.string().optional() }).strict();

/** The query schemas, for the OpenAPI document (src/api/openapi). */
export {
  listQuery as localJobsQuerySchema,
  noQuery as localNoQuerySchema,
  liveQuery as localLiveQuerySchema,
};

function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new EarshotError('unsupportedParameter', `Unknown query parameter: ${issue.keys.join(', ')}`, {
      param: issue.keys[0],
    });
  }
  const param = String(issue?.path[0] ?? 'query');
  throw new EarshotError('badRequest', `${param}: ${issue?.message}`, { param });
}

const jobNotFound = (): EarshotError => new EarshotError('notFound', NOT_FOUND_MESSAGE);

type WithJobId = { Params: { job_id: string } };

/**
 * Whether a local-API job is a transcription the caller asked `/api/transcribe` for. The same
 * family also keeps re-transcribed clips, `/api/summary` jobs and `/analyze` jobs: those have
 * their own endpoints and stay out of the transcription list.
 */
function isTranscriptionJob(job: Pick<Job, 'metadata' | 'surfaceParams'>): boolean {
  return (
    !job.metadata?.[RETRANSLATE_KEY] &&
    job.surfaceParams.kind !== 'summary' &&
    job.surfaceParams.job_type !== 'analyze'
  );
}

/**
 * The local transcription API (`/api/transcribe`, `/api/retranslate`), the dialect of a popular
 * local Whisper web service: multipart uploads, polling by job id, a live WebSocket, FastAPI-style
 * `{"detail": "..."}` errors. Only translation happens here.
 *
 * Auth: the seed service has none; Earshot's API keys apply when configured (`Authorization:
 * Bearer <key>` or the raw key; on the WebSocket also `?token=` / `?api_key=`). With no keys
 * configured authentication is off, as on every surface.
 */
export function registerLocalRoutes(app: FastifyInstance, deps: LocalApiDeps): void {
  const { config, jobs, media, models, auth } = deps;

  // `GET /`: service metadata, public like /health (it says nothing about any tenant's data).
  app.register((root, _options, registered) => {
    installLocalResponseHeaders(root);
    root.get('/', { config: { surface: 'local' } }, () => ({
      name: 'Earshot',
      version: deps.version,
      description:
        'Self-hosted transcription server speaking the AssemblyAI, OpenAI and Gladia APIs and the local transcription API',
      endpoints: {
        health: '/health',
        transcribe: '/api/transcribe/',
        models: '/api/transcribe/models',
        jobs: '/api/transcribe/jobs',
        status: '/api/transcribe/status/{job_id}',
        result: '/api/transcribe/result/{job_id}',
        live: '/api/transcribe/live/{job_id}',
        debug: '/api/transcribe/debug/{job_id}',
        retranslate_segment: '/api/retranslate/segment',
        retranslate_segment_from_full: '/api/retranslate/segment-from-full?job_id={job_id}',
        assemblyai: '/v2/transcript',
      },
    }));
    registered();
  });

  app.register(
    (scope, _options, registered) => {
      installLocalResponseHeaders(scope);
      scope.addHook('onRequest', (request, _reply, done) => {
        try {
          const query = request.query as Record<string, unknown> | undefined;
          const fromUrl = request.ws ? (str(query?.token) ?? str(query?.api_key)) : undefined;
          request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization) ?? fromUrl);
          done();
        } catch (error) {
          done(error as Error);
        }
      });
      // Unknown paths under /api get this dialect's headers and error shape too.
      scope.setNotFoundHandler((request) => {
        request.surface = 'local';
        const path = request.url.split('?')[0] ?? '';
        throw new EarshotError('notFound', `Not Found: ${request.method} ${path}`);
      });

      /** The tenant's job; deleted jobs and ids that cannot be job ids are simply not found. */
      const findJob = async (request: FastifyRequest, id: string): Promise<Job | undefined> => {
        if (!isUuid(id)) return undefined;
        try {
          const job = await jobs.get(request.tenantId, id);
          return job.deletedAt ? undefined : job;
        } catch (error) {
          if (isEarshotError(error) && error.code === 'notFound') return undefined;
          throw error;
        }
      };
      const requireJob = async (request: FastifyRequest, id: string): Promise<Job> =>
        (await findJob(request, id)) ?? Promise.reject(jobNotFound());

      /** Stores the form's audio file, refusing with a 400 what ffprobe does not read as audio. */
      const readAudioForm = async (
        request: FastifyRequest,
      ): Promise<{ upload: Upload; fields: RawFields }> => {
        const tenant = request.tenantId;
        const form = await readMultipartForm(request, {
          fileField: 'file',
          store: (body, meta) => jobs.createUpload(tenant, body, meta),
          discard: (upload) => jobs.deleteUpload(tenant, upload.id),
          maxUploadBytes: config.limits.maxUploadBytes,
        });
        if (!form.upload) throw new EarshotError('badRequest', 'file: is required', { param: 'file' });
        const upload = form.upload;
        await guard(
          () => jobs.withUploadFile(upload, (file) => media.probe(file)),
          () => jobs.deleteUpload(tenant, upload.id),
        );
        return { upload, fields: singleValuedFields(form.fields) };
      };

      scope.get('/transcribe/models', { config: { surface: 'local' } }, (request) => {
        parseQuery(noQuery, request.query);
        return {
          models: models
            .list()
            .filter((entry) => entry.model.kind === 'asr')
            .map(renderModel),
        };
      });

      const startTranscription = async (request: FastifyRequest) => {
        parseQuery(noQuery, request.query);
        const { upload, fields } = await readAudioForm(request);
        const job = await guard(
          () => {
            const parsed = parseTranscribeFields(
              fields,
              { kind: 'upload', uploadId: upload.id },
              models.all(),
            );
            return jobs.submit(request.tenantId, parsed.request, {
              surface: 'local',
              surfaceParams: { ...parsed.echo, filename: upload.filename },
              paramNames: LOCAL_PARAM_NAMES,
            });
          },
          () => jobs.deleteUpload(request.tenantId, upload.id),
        );
        return {
          job_id: job.id,
          status: 'processing',
          message: `Transcription started${upload.filename ? ` for ${upload.filename}` : ''}: follow it at /api/transcribe/status/${job.id} or /api/transcribe/live/${job.id}`,
        };
      };
      // The seed service's path ends in a slash; the bare path is accepted too.
      scope.post('/transcribe/', { config: { surface: 'local' } }, startTranscription);
      scope.post('/transcribe', { config: { surface: 'local' } }, startTranscription);

      scope.get('/transcribe/jobs', { config: { surface: 'local' } }, async (request) => {
        const q = parseQuery(listQuery, request.query);
        const items = await jobs.list(request.tenantId, { limit: q.limit, surface: 'local' });
        const listed = items.filter((job) => job.deletedAt === null && isTranscriptionJob(job));
        return { jobs: listed.map(renderJobListItem), count: listed.length };
      });

      scope.get<WithJobId>(
        '/transcribe/status/:job_id',
        { config: { surface: 'local' } },
        async (request, reply) => {
          parseQuery(noQuery, request.query);
          const job = await findJob(request, request.params.job_id);
          // The seed service's not-found status body, with the 404 that the issue asks for.
          if (!job) return reply.code(404).send(renderNotFoundStatus(request.params.job_id));
          return renderStatus(job);
        },
      );

      scope.get<WithJobId>(
        '/transcribe/result/:job_id',
        { config: { surface: 'local' } },
        async (request) => {
          parseQuery(noQuery, request.query);
          const job = await requireJob(request, request.params.job_id);
          return renderResult(finishedTranscript(job, 'Transcription'));
        },
      );

      scope.get<WithJobId>('/transcribe/debug/:job_id', { config: { surface: 'local' } }, async (request) => {
        parseQuery(noQuery, request.query);
        const job = await requireJob(request, request.params.job_id);
        return renderDebug(job, await jobs.partials(request.tenantId, job.id, -1));
      });

      scope.get<WithJobId>(
        '/transcribe/live/:job_id',
        {
          websocket: true,
          config: { surface: 'local' },
          // Runs before the upgrade: a bad URL is refused with an HTTP 400, not a socket.
          preHandler: (request, _reply, done) => {
            try {
              parseQuery(liveQuery, request.query);
              done();
            } catch (error) {
              done(error as Error);
            }
          },
        },
        (socket, request) =>
          followJob(socket, request.tenantId, request.params.job_id, { jobs, log: request.log }),
      );

      /**
       * Runs a re-transcription as a job of its own and waits for it, as the seed service answers
       * these requests synchronously. A caller that hangs up cancels the job.
       */
      const retranscribe = async (
        request: FastifyRequest,
        reply: FastifyReply,
        canonical: TranscriptionRequest,
        segmentId: string,
        echo: Record<string, unknown>,
      ): Promise<Job> => {
        const job = await jobs.submit(request.tenantId, canonical, {
          surface: 'local',
          surfaceParams: echo,
          paramNames: LOCAL_PARAM_NAMES,
          metadata: { [RETRANSLATE_KEY]: segmentId },
        });
        const hangUp = new AbortController();
        const onClose = (): void => {
          if (!reply.raw.writableFinished) hangUp.abort();
        };
        reply.raw.once('close', onClose);
        try {
          return await jobs.waitForCompletion(request.tenantId, job.id, {
            timeoutMs: config.jobs.syncTimeoutMs,
            signal: hangUp.signal,
          });
        } catch (error) {
          await jobs.cancel(request.tenantId, job.id).catch(() => undefined);
          throw error;
        } finally {
          reply.raw.off('close', onClose);
        }
      };

      scope.post('/retranslate/segment', { config: { surface: 'local' } }, async (request, reply) => {
        parseQuery(noQuery, request.query);
        const { upload, fields } = await readAudioForm(request);
        let job: Job | undefined;
        try {
          const params = parseClipFields(fields, { kind: 'upload', uploadId: upload.id }, models.all());
          job = await retranscribe(request, reply, params.request, params.segmentId, {
            ...params.echo,
            filename: upload.filename,
          });
          return renderRetranslation(params.segmentId, finishedTranscript(job, 'Re-transcription'), null);
        } finally {
          // The clip and its text serve this one answer: delete them for real (the job with them).
          if (job) await jobs.delete(request.tenantId, job.id).catch(() => undefined);
          else await jobs.deleteUpload(request.tenantId, upload.id);
        }
      });

      scope.post(
        '/retranslate/segment-from-full',
        { config: { surface: 'local' } },
        async (request, reply) => {
          const params = parseRangeFields(await rangeFields(request), models.all());
          const original = await requireJob(request, params.jobId);
          const audio = original.request.audio;
          if (audio.kind !== 'upload' || !(await jobs.getUpload(request.tenantId, audio.uploadId))) {
            throw new EarshotError('notFound', `The audio of job ${original.id} is no longer stored`, {
              param: 'job_id',
            });
          }
          if (original.audioDurationMs !== null && params.startMs >= original.audioDurationMs) {
            throw new EarshotError(
              'badRequest',
              `start_time: ${params.startMs / 1000} s is past the end of the audio (${original.audioDurationMs / 1000} s)`,
              { param: 'start_time' },
            );
          }
          // A new job on the same stored upload (borrowed: deleting it leaves the audio to the
          // original job), trimmed to the range, and left out of the jobs list.
          const job = await retranscribe(
            request,
            reply,
            params.toRequest({ ...audio, borrowed: true }),
            params.segmentId,
            params.echo,
          );
          const speaker = original.transcript
            ? speakerOverRange(original.transcript.words, params.startMs, params.endMs)
            : null;
          return renderRetranslation(params.segmentId, finishedTranscript(job, 'Re-transcription'), speaker);
        },
      );

      registered();
    },
    { prefix: '/api' },
  );
}

/** The transcript of a completed job, or the error this dialect answers for any other state. */
function finishedTranscript(job: Job, what: string) {
  if (job.status === 'completed' && job.transcript) return job.transcript;
  if (job.status === 'error') {
    // The job's own error code keeps bad input a 4xx; anything else is a 500 with the reason.
    throw new EarshotError(job.errorCode ?? 'internal', `${what} failed: ${job.error ?? 'unknown error'}`);
  }
  if (job.status === 'cancelled') throw new EarshotError('conflict', `${what} was cancelled`);
  throw new EarshotError(
    'conflict',
    `${what} is not finished yet (${progressPercent(job)}%): follow /api/transcribe/status/${job.id}`,
  );
}

/**
 * `segment-from-full` fields: `job_id` in the query string (as the seed documents it); the rest
 * as a JSON body (as documented), a multipart form, or query parameters (FastAPI's default for
 * plain parameters). A field given in two places must say the same thing.
 */
async function rangeFields(request: FastifyRequest): Promise<RawFields> {
  const merged: Record<string, unknown> = { ...(request.query as Record<string, unknown> | undefined) };
  let body: Record<string, unknown> = {};
  if (request.isMultipart()) {
    const form = await readMultipartForm(request, {
      fileField: null,
      store: () => Promise.reject(new Error('unreachable: no file field')),
      discard: () => Promise.resolve(),
      maxUploadBytes: 0,
    });
    body = singleValuedFields(form.fields);
  } else if (request.body !== undefined && request.body !== null) {
    if (typeof request.body !== 'object' || Array.isArray(request.body)) {
      throw new EarshotError('badRequest', 'The body must be a JSON object');
    }
    body = request.body as Record<string, unknown>;
  } else if (Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding']) {
    throw new EarshotError('unsupportedMediaType', 'Send the fields as JSON or multipart/form-data');
  }
  for (const [key, value] of Object.entries(body)) {
    if (Object.hasOwn(merged, key) && String(merged[key]) !== String(value)) {
      throw new EarshotError('badRequest', `${key}: given twice with different values`, { param: key });
    }
    merged[key] = value;
  }
  return merged;
}

/** Runs `action`; when it fails, runs `undo` (best effort) and rethrows the original error. */
async function guard<T>(action: () => Promise<T>, undo: () => Promise<unknown>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    await undo().catch(() => undefined);
    throw error;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
