import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../../config/config.js';
import { EarshotError } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import type { Word } from '../../../domain/transcript.js';
import { renderSubtitles } from '../../../exporters/subtitles.exporter.js';
import type { JobService } from '../../../jobs/job.service.js';
import { assertUrlAllowed } from '../../../net/safe-fetch.js';
import { splitParagraphs, splitSentences } from '../../../text/sentences.js';
import { searchWords } from '../../../text/word-search.js';
import { isUuid } from '../../../util/ids.js';
import { type ApiKeyAuth, keyFromAuthorization } from '../../auth.js';
import { baseUrlOf } from '../../request-context.js';
import { registerRedactedAudioRoutes } from './redacted-audio.routes.js';
import { parseTranscriptParams } from './transcript-params.js';
import { renderListItem, renderTranscript, renderWord } from './transcript.renderer.js';

export interface AssemblyAiDeps {
  config: Config;
  jobs: JobService;
  auth: ApiKeyAuth;
}

const UPLOAD_PATH = /^\/v2\/upload\/([0-9a-f-]{36})$/;
const MAX_LIST_LIMIT = 200;

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(10),
    status: z.enum(['queued', 'processing', 'completed', 'error']).optional(),
    created_on: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2024-01-31')
      .optional(),
    before_id: z.string().refine(isUuid, 'must be a transcript id').optional(),
    after_id: z.string().refine(isUuid, 'must be a transcript id').optional(),
    throttled_only: z.enum(['true', 'false']).optional(),
  })
  .strict();

const subtitleQuery = z
  .object({ chars_per_caption: z.coerce.number().int().min(1).max(1000).optional() })
  .strict();
const wordSearchQuery = z.object({ words: z.string().min(1, 'words is required') }).strict();

/** The query schemas, for the OpenAPI document (src/api/openapi). */
export {
  listQuery as transcriptListQuerySchema,
  subtitleQuery as subtitleQuerySchema,
  wordSearchQuery as wordSearchQuerySchema,
};

function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
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

/**
 * AssemblyAI's `POST /v2/upload`: the raw request body is the file (chunked or not), streamed to
 * disk. Registered by the shared upload route, which also serves Gladia's multipart uploads.
 */
export function createAssemblyAiUploadHandler(deps: AssemblyAiDeps) {
  const { jobs, auth, config } = deps;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    request.surface = 'assemblyai';
    request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization));
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > config.limits.maxUploadBytes) {
      throw new EarshotError(
        'payloadTooLarge',
        `Upload is larger than the limit of ${config.limits.maxUploadBytes} bytes`,
      );
    }
    const contentType = request.headers['content-type'] ?? '';
    const upload = await jobs.createUpload(request.tenantId, request.raw, {
      contentType: contentType || null,
    });
    if (upload.sizeBytes === 0) throw new EarshotError('badRequest', 'The upload is empty (0 bytes)');
    return reply.send({ upload_url: `${baseUrlOf(request, config.publicUrl)}/v2/upload/${upload.id}` });
  };
}

/**
 * AssemblyAI's v2 REST API as its official SDK calls it: raw `Authorization` key, JSON in and
 * out, `{"error": "..."}` on failure. Only translation happens here.
 */
export function registerAssemblyAiRoutes(app: FastifyInstance, deps: AssemblyAiDeps): void {
  const { jobs, auth, config } = deps;

  // A plugin scope, so the AssemblyAI key check applies to these routes only.
  app.register((scope, _options, registered) => {
    scope.addHook('onRequest', (request, _reply, next) => {
      try {
        request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization));
        next();
      } catch (error) {
        next(error as Error);
      }
    });

    const base = (request: FastifyRequest): string => baseUrlOf(request, config.publicUrl);
    const uploadUrl = (request: FastifyRequest, uploadId: string): string =>
      `${base(request)}/v2/upload/${uploadId}`;
    const audioUrlOf = (
      request: FastifyRequest,
      job: Pick<Job, 'request' | 'surfaceParams'>,
    ): string | null => {
      const echoed = job.surfaceParams.audio_url;
      if (typeof echoed === 'string') return echoed;
      return job.request.audio.kind === 'upload' ? uploadUrl(request, job.request.audio.uploadId) : null;
    };

    /** Our own upload URLs come back as audio_url: recognise them by path on one of our hosts. */
    const ownUploadId = (request: FastifyRequest) => (audioUrl: string) => {
      let url: URL;
      try {
        url = new URL(audioUrl);
      } catch {
        return undefined;
      }
      const ours = new Set([
        new URL(base(request)).host,
        ...(config.publicUrl ? [new URL(config.publicUrl).host] : []),
      ]);
      const match = UPLOAD_PATH.exec(url.pathname);
      return match && ours.has(url.host) ? match[1] : undefined;
    };

    const completedJob = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<Job> => {
      const job = await jobs.get(request.tenantId, request.params.id);
      if (job.deletedAt) throw new EarshotError('badRequest', 'Transcript was deleted by user.');
      if (job.status !== 'completed' || !job.transcript) {
        throw new EarshotError('badRequest', `Transcript is not completed (status: ${job.status})`);
      }
      return job;
    };

    scope.post('/v2/transcript', { config: { surface: 'assemblyai' } }, async (request) => {
      const parsed = parseTranscriptParams(request.body, ownUploadId(request));
      if (parsed.request.audio.kind === 'url') {
        // Refuse private and loopback targets now, with a 400, rather than in the job; the
        // download re-checks every hop anyway.
        await assertUrlAllowed(parsed.request.audio.url, {
          purpose: 'audio_url',
          allowedPrivateHosts: config.fetch.allowedPrivateHosts,
        });
      }
      if (parsed.request.webhook) {
        await assertUrlAllowed(parsed.request.webhook.url, {
          purpose: 'webhook_url',
          allowedPrivateHosts: config.fetch.allowedPrivateHosts,
        });
      }
      const job = await jobs.submit(request.tenantId, parsed.request, {
        surface: 'assemblyai',
        surfaceParams: parsed.echo,
        paramNames: parsed.paramNames,
      });
      return renderTranscript(job, { audioUrl: audioUrlOf(request, job) });
    });

    scope.get('/v2/transcript', { config: { surface: 'assemblyai' } }, async (request) => {
      const q = parseQuery(listQuery, request.query);
      const items =
        q.throttled_only === 'true'
          ? [] // This server never throttles.
          : await jobs.list(request.tenantId, {
              limit: q.limit,
              ...(q.status && { statuses: [q.status] }),
              ...(q.created_on && { createdOn: q.created_on }),
              ...(q.before_id && { beforeId: q.before_id }),
              ...(q.after_id && { afterId: q.after_id }),
              surface: 'assemblyai',
            });
      const root = base(request);
      const pageUrl = (cursor: Record<string, string>): string => {
        const params = new URLSearchParams();
        params.set('limit', String(q.limit));
        if (q.status) params.set('status', q.status);
        if (q.created_on) params.set('created_on', q.created_on);
        for (const [key, value] of Object.entries(cursor)) params.set(key, value);
        return `${root}/v2/transcript?${params.toString()}`;
      };
      const current = `${root}${request.url}`;
      const oldest = items.at(-1);
      const newest = items[0];
      return {
        page_details: {
          limit: q.limit,
          result_count: items.length,
          current_url: current,
          // Newest first: "previous" pages hold older transcripts, "next" pages newer ones.
          prev_url: oldest ? pageUrl({ before_id: oldest.id }) : null,
          next_url: newest ? pageUrl({ after_id: newest.id }) : null,
        },
        transcripts: items.map((job) =>
          renderListItem(job, {
            resourceUrl: `${root}/v2/transcript/${job.id}`,
            audioUrl: audioUrlOf(request, job),
          }),
        ),
      };
    });

    scope.get<{ Params: { id: string } }>(
      '/v2/transcript/:id',
      { config: { surface: 'assemblyai' } },
      async (request) => {
        const job = await jobs.get(request.tenantId, request.params.id);
        return renderTranscript(job, { audioUrl: audioUrlOf(request, job) });
      },
    );

    scope.delete<{ Params: { id: string } }>(
      '/v2/transcript/:id',
      { config: { surface: 'assemblyai' } },
      async (request) => {
        const job = await jobs.delete(request.tenantId, request.params.id);
        return renderTranscript(job, { audioUrl: null });
      },
    );

    const renderSentenceLike = (s: {
      text: string;
      startMs: number;
      endMs: number;
      confidence: number;
      words: Word[];
      speaker?: number;
      channel?: number;
    }): Record<string, unknown> => {
      const first = renderWord({ ...s.words[0]!, ...(s.speaker !== undefined && { speaker: s.speaker }) });
      return {
        text: s.text,
        start: s.startMs,
        end: s.endMs,
        confidence: Math.round(s.confidence * 1e5) / 1e5,
        speaker: first.speaker,
        channel: first.channel,
        words: s.words.map(renderWord),
      };
    };

    const textUnits = [
      { path: 'sentences', split: splitSentences },
      { path: 'paragraphs', split: splitParagraphs },
    ] as const;
    for (const unit of textUnits) {
      scope.get<{ Params: { id: string } }>(
        `/v2/transcript/:id/${unit.path}`,
        { config: { surface: 'assemblyai' } },
        async (request) => {
          const job = await completedJob(request);
          const t = job.transcript!;
          return {
            id: job.id,
            confidence: t.confidence,
            audio_duration: t.durationMs / 1000,
            [unit.path]: unit.split(t.words).map(renderSentenceLike),
          };
        },
      );
    }

    for (const format of ['srt', 'vtt'] as const) {
      scope.get<{ Params: { id: string } }>(
        `/v2/transcript/:id/${format}`,
        { config: { surface: 'assemblyai' } },
        async (request, reply) => {
          const q = parseQuery(subtitleQuery, request.query);
          const job = await completedJob(request);
          const body = renderSubtitles(job.transcript!, {
            format,
            ...(q.chars_per_caption !== undefined && { charsPerCaption: q.chars_per_caption }),
          });
          return reply
            .type(format === 'srt' ? 'application/x-subrip; charset=utf-8' : 'text/vtt; charset=utf-8')
            .send(body);
        },
      );
    }

    scope.get<{ Params: { id: string } }>(
      '/v2/transcript/:id/word-search',
      { config: { surface: 'assemblyai' } },
      async (request) => {
        const q = parseQuery(wordSearchQuery, request.query);
        const job = await completedJob(request);
        const terms = q.words
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        if (terms.length === 0) throw new EarshotError('badRequest', 'words is required', { param: 'words' });
        return { id: job.id, ...searchWords(job.transcript!.words, terms) };
      },
    );
    registered();
  });
  // GET /v2/transcript/:id/redacted-audio and the signed download it points to (no API key).
  registerRedactedAudioRoutes(app, { config, jobs, auth });
}
