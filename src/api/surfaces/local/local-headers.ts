import type { FastifyInstance } from 'fastify';

/**
 * Every response of the local API family (`/api/transcribe`, `/api/summary`, `/api/chat`,
 * `/analyze`) carries `X-Request-ID` (the request id Earshot logs) and `X-Process-Time-Ms`, as the
 * seed service's middleware does; the hooks also mark the request as the local surface's, so its
 * errors take the `{"detail": "…"}` shape. Scoped to those routes: the other dialects have their
 * own conventions (OpenAI's `x-request-id`, Gladia's `request_id` in the body), and the lead can
 * lift this app-wide if every surface should have them.
 *
 * Install it before any other `onRequest` hook of the scope (authentication), so a refused request
 * carries the headers too.
 */
export function installLocalResponseHeaders(scope: FastifyInstance): void {
  scope.addHook('onRequest', (request, reply, done) => {
    request.surface = 'local';
    void reply.header('X-Request-ID', request.id);
    done();
  });
  scope.addHook('onSend', (_request, reply, payload, done) => {
    void reply.header('X-Process-Time-Ms', reply.elapsedTime.toFixed(2));
    done(null, payload);
  });
}
