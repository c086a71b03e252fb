import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../../config/config.js';
import { EarshotError } from '../../../domain/errors.js';
import { type Job, TERMINAL_STATUSES } from '../../../domain/job.js';
import type { JobService } from '../../../jobs/job.service.js';
import { assertUrlAllowed } from '../../../net/index.js';
import { type ApiKeyAuth, keyFromAuthorization } from '../../auth.js';
import { parseAnalysesListQuery } from './analyses-list-query.js';
import { parseCreateAnalysis, toAnalysisRequest } from './analyses-params.js';
import { renderAnalysis } from './analyses.renderer.js';
import { fetchTranscript } from './transcript-url.js';

export interface AnalysesDeps {
  config: Config;
  jobs: JobService;
  auth: ApiKeyAuth;
}

/** Errors take OpenAI's shape, as everything else under `/v1/` does. */
const ROUTE = { config: { surface: 'openai' } } as const;

/**
 * The sales-call analyses API: `Bearer` key, JSON in and out. An analysis is a job of the
 * `analyses` surface whose request asks for the `conversation` add-on; its partner ids are the
 * job's metadata, so lists filter on them in the store.
 */
export function registerAnalysesRoutes(app: FastifyInstance, deps: AnalysesDeps): void {
  const { config, jobs, auth } = deps;

  app.register((scope, _options, registered) => {
    scope.addHook('onRequest', (request, _reply, next) => {
      try {
        request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization));
        next();
      } catch (error) {
        next(error as Error);
      }
    });

    /** The caller's analysis, or 404: another surface's job is not an analysis. */
    const analysisJob = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<Job> => {
      const job = await jobs.get(request.tenantId, request.params.id).catch((error: unknown) => {
        if (error instanceof EarshotError && error.code === 'notFound') return null;
        throw error;
      });
      if (!job || job.surface !== 'analyses' || job.deletedAt) {
        throw new EarshotError('notFound', `Analysis ${request.params.id} not found`, { param: 'id' });
      }
      return job;
    };

    scope.post('/v1/analyses', ROUTE, async (request, reply) => {
      const body = parseCreateAnalysis(request.body);
      if (body.recording_url) {
        // Refuse private and loopback targets now, with a 400, rather than in the job.
        await assertUrlAllowed(body.recording_url, {
          purpose: 'recording_url',
          allowedPrivateHosts: config.fetch.allowedPrivateHosts,
        });
      }
      if (body.callback_url) {
        await assertUrlAllowed(body.callback_url, {
          purpose: 'callback_url',
          allowedPrivateHosts: config.fetch.allowedPrivateHosts,
        });
      }
      const transcript =
        body.transcript ??
        (body.transcript_url ? await fetchTranscript(body.transcript_url, config) : undefined);
      const parsed = toAnalysisRequest(body, transcript);
      const job = await jobs.submit(request.tenantId, parsed.request, {
        surface: 'analyses',
        surfaceParams: { ...parsed.surfaceParams },
        paramNames: {
          speechModels: 'recording_url',
          languageCode: 'recording_url',
          languageDetection: 'recording_url',
          keyterms: 'recording_url',
          sentiment: 'transcript.overall_sentiment',
        },
        ...(parsed.metadata && { metadata: parsed.metadata }),
      });
      return reply.code(201).send(renderAnalysis(job));
    });

    scope.get('/v1/analyses', ROUTE, async (request) => {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const q = parseAnalysesListQuery(search);
      const { jobs: items, hasMore } = await jobs.listPage(request.tenantId, {
        ...q.filters,
        surface: 'analyses',
        excludeDeleted: true,
        offset: q.offset,
        limit: q.limit,
      });
      return {
        data: items.map(renderAnalysis),
        limit: q.limit,
        offset: q.offset,
        has_more: hasMore,
      };
    });

    scope.get<{ Params: { id: string } }>('/v1/analyses/:id', ROUTE, async (request) =>
      renderAnalysis(await analysisJob(request)),
    );

    scope.post<{ Params: { id: string } }>('/v1/analyses/:id/cancel', ROUTE, async (request) => {
      const job = await analysisJob(request);
      if (TERMINAL_STATUSES.includes(job.status)) {
        throw new EarshotError(
          'conflict',
          `Analysis ${job.id} has already ended (${renderAnalysis(job).status as string}) and cannot be cancelled`,
        );
      }
      return renderAnalysis(await jobs.cancel(request.tenantId, job.id));
    });

    registered();
  });
}
