import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../../config/config.js';
import { EarshotError, isEarshotError } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import { chatOverTranscript } from '../../../intelligence/chat/index.js';
import { createLlmClient } from '../../../intelligence/llm/openai-compatible.llm.js';
import { requireLlm } from '../../../intelligence/llm/require-llm.js';
import type { JobService } from '../../../jobs/job.service.js';
import { isUuid } from '../../../util/ids.js';
import { type ApiKeyAuth, keyFromAuthorization } from '../../auth.js';
import { installLocalResponseHeaders } from '../local/local-headers.js';
import { parseChatBody } from './chat-params.js';
import { jsonObjectBody } from './parse-body.js';
import { parseSummaryBody, type SummaryEcho, summaryEcho } from './summary-params.js';
import {
  finishedSummary,
  renderSummaryNotFound,
  renderSummaryStatus,
  SUMMARY_NOT_FOUND,
} from './summary.renderer.js';

export interface SummaryChatDeps {
  config: Config;
  jobs: JobService;
  auth: ApiKeyAuth;
}

/**
 * A transcript is most of these bodies: allow more than the app's 1 MiB default for JSON (about
 * 15 hours of speech as segments), while still bounding what is buffered in memory.
 */
export const SUMMARY_CHAT_BODY_LIMIT = 16 * 1024 * 1024;

const noQuery = z.object({}).strict();
export { noQuery as summaryChatNoQuerySchema };

type WithJobId = { Params: { job_id: string } };
const ROUTE = { config: { surface: 'local' as const } };
const BODY_ROUTE = { ...ROUTE, bodyLimit: SUMMARY_CHAT_BODY_LIMIT };

function parseQuery(query: unknown): void {
  const given = (query ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(given);
  if (unknown.length > 0) {
    throw new EarshotError('unsupportedParameter', `Unknown query parameter: ${unknown.join(', ')}`, {
      param: unknown[0],
    });
  }
}

/**
 * `/api/summary` and `/api/chat`: the local API family's analyses of a transcript the caller
 * already has (say, a result of `/api/transcribe`). Same conventions as `/api/transcribe`: API
 * keys as `Authorization: Bearer <key>` (or the raw key) when configured, `{"detail": "…"}` errors,
 * `X-Request-ID` and `X-Process-Time-Ms` on every answer.
 *
 * A summary is a job like a transcription (it may run an LLM for a while): `POST` answers at once
 * with the job id, `GET /api/summary/status/{id}` follows it, `GET /api/summary/{id}` reads it
 * (409 while it runs). A chat answer is synchronous: the caller waits for the LLM, bounded by
 * EARSHOT_LLM_TIMEOUT_MS, while the server keeps serving others (the call is plain async HTTP).
 */
export function registerSummaryChatRoutes(app: FastifyInstance, deps: SummaryChatDeps): void {
  const { config, jobs, auth } = deps;
  app.register(
    (scope, _options, registered) => {
      installLocalResponseHeaders(scope);
      scope.addHook('onRequest', (request, _reply, done) => {
        try {
          request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization));
          done();
        } catch (error) {
          done(error as Error);
        }
      });

      /** The tenant's summary job; other jobs, deleted ones and malformed ids are not found. */
      const findSummaryJob = async (
        request: FastifyRequest,
        id: string,
      ): Promise<{ job: Job; echo: SummaryEcho } | undefined> => {
        if (!isUuid(id)) return undefined;
        try {
          const job = await jobs.get(request.tenantId, id);
          const echo = summaryEcho(job.surfaceParams);
          return job.deletedAt || job.surface !== 'local' || !echo ? undefined : { job, echo };
        } catch (error) {
          if (isEarshotError(error) && error.code === 'notFound') return undefined;
          throw error;
        }
      };

      const startSummary = async (request: FastifyRequest) => {
        parseQuery(request.query);
        const params = parseSummaryBody(jsonObjectBody(request), config.llm);
        const job = await jobs.submit(request.tenantId, params.request, {
          surface: 'local',
          surfaceParams: { ...params.echo },
        });
        return {
          job_id: job.id,
          status: 'processing',
          message: `Summary started: follow it at /api/summary/status/${job.id}, then read it at /api/summary/${job.id}`,
        };
      };
      scope.post('/summary/', BODY_ROUTE, startSummary);
      scope.post('/summary', BODY_ROUTE, startSummary);

      scope.get<WithJobId>('/summary/status/:job_id', ROUTE, async (request, reply) => {
        parseQuery(request.query);
        const found = await findSummaryJob(request, request.params.job_id);
        if (!found) return reply.code(404).send(renderSummaryNotFound(request.params.job_id));
        return renderSummaryStatus(found.job);
      });

      scope.get<WithJobId>('/summary/:job_id', ROUTE, async (request) => {
        parseQuery(request.query);
        const found = await findSummaryJob(request, request.params.job_id);
        if (!found) throw new EarshotError('notFound', SUMMARY_NOT_FOUND);
        return finishedSummary(found.job, found.echo);
      });

      scope.get('/chat/models', ROUTE, (request) => {
        parseQuery(request.query);
        const llm = config.llm;
        return {
          models: llm
            ? [{ name: llm.model, provider: 'openai-compatible', context_tokens: llm.contextTokens }]
            : [],
          default_model: llm?.model ?? null,
          message: llm
            ? 'Chat answers come from the configured LLM provider'
            : 'No LLM provider is configured: set EARSHOT_LLM_URL and EARSHOT_LLM_MODEL to enable /api/chat',
        };
      });

      const chat = async (request: FastifyRequest, reply: FastifyReply) => {
        parseQuery(request.query);
        // One client per request: its token budget (EARSHOT_LLM_MAX_TOKENS_PER_JOB) is per answer.
        const llm = requireLlm(createLlmClient(config.llm), 'Chat (/api/chat)');
        const input = parseChatBody(jsonObjectBody(request), llm);
        // A caller that hangs up cancels the LLM call instead of leaving it to run for nobody.
        const hangUp = new AbortController();
        const onClose = (): void => {
          if (!reply.raw.writableFinished) hangUp.abort();
        };
        reply.raw.once('close', onClose);
        try {
          const answer = await chatOverTranscript(llm, { ...input, signal: hangUp.signal });
          return {
            message: { role: 'assistant', content: answer.content },
            model_used: answer.model,
            usage: {
              prompt: answer.usage.promptTokens,
              completion: answer.usage.completionTokens,
              total: answer.usage.totalTokens,
            },
          };
        } finally {
          reply.raw.off('close', onClose);
        }
      };
      scope.post('/chat/', BODY_ROUTE, chat);
      scope.post('/chat', BODY_ROUTE, chat);

      registered();
    },
    { prefix: '/api' },
  );
}
