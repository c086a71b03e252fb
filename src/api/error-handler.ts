import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EarshotError, isEarshotError } from '../domain/errors.js';
import type { SurfaceName } from './request-context.js';

/** OpenAI's error `type` for a status, as its API reports them. */
function openAiErrorType(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'rate_limit_exceeded';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/**
 * Each dialect's error body, as its official client reads it: AssemblyAI's SDK throws `error`;
 * OpenAI's reads `error.message/type/param/code`; Gladia's `message` and `request_id`; the local
 * (FastAPI-style) API answers `detail`.
 */
const errorBodies: Record<
  SurfaceName,
  (error: EarshotError, request: FastifyRequest) => Record<string, unknown>
> = {
  assemblyai: (error) => ({ error: error.message }),
  openai: (error) => ({
    error: {
      message: error.message,
      type: openAiErrorType(error.status),
      param: error.param ?? null,
      code: error.status === 401 ? 'invalid_api_key' : error.code,
    },
  }),
  // Gladia's API also says when and where: `timestamp` (ISO) and the request `path`.
  gladia: (error, request) => ({
    timestamp: new Date().toISOString(),
    path: request.url.split('?')[0] ?? '/',
    request_id: request.id,
    statusCode: error.status,
    message: error.message,
  }),
  local: (error) => ({ detail: error.message }),
  earshot: (error, request) => ({
    error: { code: error.code, message: error.message, ...(error.param && { param: error.param }) },
    request_id: request.id,
  }),
};

/** Fastify's own client errors (bad JSON, body too large, …) as EarshotErrors. */
function fromFastifyError(error: FastifyError): EarshotError | undefined {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new EarshotError('unsupportedMediaType', `Unsupported Content-Type: ${error.message}`);
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new EarshotError('payloadTooLarge', 'Request body is too large');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    const message =
      error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
        ? `Malformed JSON body: ${error.message}`
        : error.message;
    return new EarshotError(error.statusCode === 415 ? 'unsupportedMediaType' : 'badRequest', message);
  }
  return undefined;
}

/** For requests that match no route: the dialect their path belongs to. */
function surfaceForPath(path: string): SurfaceName {
  if (path.startsWith('/v1/')) return 'openai';
  if (/^\/v2\/(pre-recorded|live)(\/|$)/.test(path)) return 'gladia';
  if (path.startsWith('/v2/')) return 'assemblyai';
  if (path.startsWith('/api/')) return 'local';
  return 'earshot';
}

function surfaceOf(request: FastifyRequest): SurfaceName {
  return request.surface ?? request.routeOptions.config.surface ?? 'earshot';
}

/**
 * One place where errors become HTTP answers: EarshotErrors keep their status and message;
 * anything else is logged with the request id and answered as a 500 without internals.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(
    (error: FastifyError | EarshotError | Error, request: FastifyRequest, reply: FastifyReply) => {
      const known = isEarshotError(error) ? error : fromFastifyError(error as FastifyError);
      if (known) {
        if (known.status >= 500) request.log.error({ err: error }, 'request failed');
        return reply.status(known.status).send(errorBodies[surfaceOf(request)](known, request));
      }
      request.log.error({ err: error }, 'unhandled error');
      const internal = new EarshotError('internal', `Internal server error (request id ${request.id})`);
      return reply.status(500).send(errorBodies[surfaceOf(request)](internal, request));
    },
  );

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const error = new EarshotError('notFound', `Route ${request.method} ${path} not found`);
    return reply.status(404).send(errorBodies[surfaceForPath(path)](error, request));
  });
}
