import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config/config.js';
import { EarshotError, isEarshotError } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import type { JobService } from '../../../jobs/job.service.js';
import type { CatalogModel } from '../../../models/catalog.types.js';
import type { ModelStore } from '../../../models/model-store.js';
import { type ApiKeyAuth, keyFromAuthorization } from '../../auth.js';
import { readMultipartForm } from '../../multipart-form.js';
import {
  type AudioEndpoint,
  type AudioParams,
  OPENAI_PARAM_NAMES,
  parseAudioParams,
} from './audio-params.js';
import { renderAudioResponse } from './audio.renderer.js';
import { finishedTranscript } from './job-outcome.js';
import { findOpenAiModel, listOpenAiModels, type ModelListDeps } from './openai-models.js';
import { sseEvent, type TranscriptStreamEvent, transcriptEvents } from './transcript-stream.js';

export interface OpenAiDeps {
  config: Config;
  jobs: JobService;
  auth: ApiKeyAuth;
  models: ModelStore;
}

const ROUTE = { config: { surface: 'openai' } } as const;

/** The error body OpenAI's SDK reads, for errors sent inside an event stream. */
function errorData(error: unknown): Record<string, unknown> {
  const known = isEarshotError(error) ? error : new EarshotError('internal', 'Internal server error');
  return {
    error: {
      message: known.message,
      type: known.status >= 500 ? 'server_error' : 'invalid_request_error',
      param: known.param ?? null,
      code: known.code,
    },
  };
}

/**
 * The openai SDK retries 5xx answers. A job's failure is final (its worker has already retried
 * what was transient), and a request that ran past the time limit would only run past it again.
 */
function noRetry(reply: FastifyReply): void {
  void reply.header('x-should-retry', 'false');
}

/** When a model's files were installed: the first file's modification time. */
function installedAt(models: ModelStore): (model: CatalogModel) => number | undefined {
  return (model) => {
    const first = model.files[0];
    if (!first) return undefined;
    try {
      return statSync(models.filePath(model, first)).mtimeMs;
    } catch {
      return undefined;
    }
  };
}

/**
 * OpenAI's audio API as its official SDK calls it: `Bearer` key, multipart in, the transcript in
 * the requested `response_format` out, and `{"error": {message, type, param, code}}` on failure.
 * The request waits for its job. As at OpenAI, nothing is kept: the job, its text and its audio
 * are deleted as soon as the answer is ready (or the caller goes away). Only translation happens here.
 */
export function registerOpenAiRoutes(app: FastifyInstance, deps: OpenAiDeps): void {
  const { jobs, auth, config, models } = deps;
  const modelDeps: ModelListDeps = {
    inventory: models,
    defaults: { engine: config.asr.engine, model: config.asr.model },
    installedAt: installedAt(models),
  };

  // A plugin scope, so the key check applies to these routes only.
  app.register((scope, _options, registered) => {
    scope.addHook('onRequest', (request, _reply, next) => {
      try {
        request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization));
        next();
      } catch (error) {
        next(error as Error);
      }
    });

    /** Deletes a job and its audio; a failure here must not replace the caller's answer. */
    const forget = async (request: FastifyRequest, job: Job): Promise<void> => {
      await jobs.delete(request.tenantId, job.id).catch((error: unknown) => {
        request.log.warn({ err: error, jobId: job.id }, 'deleting a finished OpenAI job failed');
      });
    };

    /** Stores the file, parses the fields and submits the job; refused requests keep nothing. */
    const submit = async (
      request: FastifyRequest,
      endpoint: AudioEndpoint,
    ): Promise<{ job: Job; params: AudioParams }> => {
      const tenantId = request.tenantId;
      const form = await readMultipartForm(request, {
        fileField: 'file',
        store: (body, meta) => jobs.createUpload(tenantId, body, meta),
        discard: (upload) => jobs.deleteUpload(tenantId, upload.id),
        maxUploadBytes: config.limits.maxUploadBytes,
      });
      const { upload } = form;
      if (!upload) throw new EarshotError('badRequest', 'file is required', { param: 'file' });
      try {
        const params = parseAudioParams(form.fields, endpoint, { kind: 'upload', uploadId: upload.id });
        if (upload.sizeBytes === 0) {
          throw new EarshotError('badRequest', 'The file is empty (0 bytes)', { param: 'file' });
        }
        const job = await jobs.submit(tenantId, params.request, {
          surface: 'openai',
          surfaceParams: params.echo,
          paramNames: OPENAI_PARAM_NAMES,
        });
        return { job, params };
      } catch (error) {
        await jobs.deleteUpload(tenantId, upload.id);
        throw error;
      }
    };

    /** Aborts when the caller disconnects before the answer is written. */
    const disconnectSignal = (reply: FastifyReply): { signal: AbortSignal; release(): void } => {
      const controller = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableFinished) controller.abort();
      };
      reply.raw.on('close', onClose);
      return { signal: controller.signal, release: () => reply.raw.off('close', onClose) };
    };

    const answerWhenDone = async (
      request: FastifyRequest,
      reply: FastifyReply,
      job: Job,
      params: AudioParams,
    ): Promise<FastifyReply> => {
      const disconnect = disconnectSignal(reply);
      let rendered: ReturnType<typeof renderAudioResponse>;
      try {
        let finished: Job;
        try {
          finished = await jobs.waitForCompletion(request.tenantId, job.id, {
            signal: disconnect.signal,
            timeoutMs: config.jobs.syncTimeoutMs,
          });
        } catch (error) {
          if (disconnect.signal.aborted) {
            throw new EarshotError('cancelled', 'The client went away; the transcription was cancelled');
          }
          noRetry(reply);
          throw error;
        }
        try {
          rendered = renderAudioResponse(finishedTranscript(finished), {
            format: params.responseFormat,
            task: params.request.task,
            words: params.words,
            segments: params.segments,
          });
        } catch (error) {
          noRetry(reply);
          throw error;
        }
      } finally {
        // Deleted before the answer is sent (and when the caller went away, which also cancels
        // the job), so nothing of it outlives the request.
        disconnect.release();
        await forget(request, job);
      }
      return reply.type(rendered.contentType).send(rendered.body);
    };

    /**
     * `stream=true`: server-sent events as the worker publishes partial results. The answer is
     * committed (200) only at the first event, so a job that fails before any text still gets its
     * proper status; a failure after that arrives as an event carrying `error`, which the SDK throws.
     */
    const streamWhenReady = async (
      request: FastifyRequest,
      reply: FastifyReply,
      job: Job,
    ): Promise<FastifyReply> => {
      const disconnect = disconnectSignal(reply);
      const events = transcriptEvents(jobs, request.tenantId, job.id, {
        signal: disconnect.signal,
        timeoutMs: config.jobs.syncTimeoutMs,
      });
      let first: IteratorResult<TranscriptStreamEvent>;
      try {
        first = await events.next();
      } catch (error) {
        disconnect.release();
        await forget(request, job);
        if (disconnect.signal.aborted) {
          throw new EarshotError('cancelled', 'The client went away; the transcription was cancelled');
        }
        noRetry(reply);
        throw error;
      }
      async function* body(): AsyncGenerator<string> {
        try {
          if (!first.done) yield sseEvent(first.value);
          for await (const event of events) yield sseEvent(event);
        } catch (error) {
          if (!disconnect.signal.aborted) {
            request.log.warn({ err: error, jobId: job.id }, 'streamed transcription failed');
            yield sseEvent(errorData(error));
          }
        } finally {
          disconnect.release();
          await forget(request, job);
        }
      }
      return reply
        .header('cache-control', 'no-cache')
        .type('text/event-stream; charset=utf-8')
        .send(Readable.from(body()));
    };

    const audioRoute = (endpoint: AudioEndpoint) => async (request: FastifyRequest, reply: FastifyReply) => {
      const { job, params } = await submit(request, endpoint);
      return params.stream
        ? streamWhenReady(request, reply, job)
        : answerWhenDone(request, reply, job, params);
    };

    scope.post('/v1/audio/transcriptions', ROUTE, audioRoute('transcriptions'));
    scope.post('/v1/audio/translations', ROUTE, audioRoute('translations'));

    scope.get('/v1/models', ROUTE, () => ({ object: 'list', data: listOpenAiModels(modelDeps) }));

    scope.get<{ Params: { id: string } }>('/v1/models/:id', ROUTE, (request) => {
      const model = findOpenAiModel(modelDeps, request.params.id);
      if (!model) {
        throw new EarshotError(
          'notFound',
          `The model '${request.params.id}' does not exist or is not installed`,
          {
            param: 'model',
          },
        );
      }
      return model;
    });
    registered();
  });
}
