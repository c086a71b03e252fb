import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EarshotError } from '../../domain/errors.js';

export type UploadHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

export interface UploadHandlers {
  /** Raw-body uploads (AssemblyAI). */
  raw: UploadHandler;
  /** Multipart uploads with an `audio` field (Gladia). */
  multipart?: UploadHandler;
}

/**
 * `POST /v2/upload` is the same path in AssemblyAI's and Gladia's APIs. They are told apart by the
 * body: Gladia sends multipart/form-data (and an `x-gladia-key`), AssemblyAI the raw file.
 */
export function registerUploadRoute(app: FastifyInstance, handlers: UploadHandlers): void {
  const isGladia = (request: FastifyRequest): boolean =>
    (request.headers['content-type'] ?? '').startsWith('multipart/form-data') ||
    request.headers['x-gladia-key'] !== undefined;
  app.post(
    '/v2/upload',
    {
      config: { surface: 'assemblyai' },
      // Decided before the body is parsed, so even a malformed body is answered in the caller's
      // dialect.
      onRequest: (request, _reply, done) => {
        if (isGladia(request)) request.surface = 'gladia';
        done();
      },
    },
    async (request, reply) => {
      if (!isGladia(request)) return handlers.raw(request, reply);
      if (!handlers.multipart) {
        throw new EarshotError(
          'unsupportedMediaType',
          'Multipart uploads are not supported; send the file as the raw body.',
        );
      }
      return handlers.multipart(request, reply);
    },
  );
}
