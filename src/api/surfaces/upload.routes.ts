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
  app.post('/v2/upload', { config: { surface: 'assemblyai' } }, async (request, reply) => {
    const contentType = request.headers['content-type'] ?? '';
    const gladia =
      contentType.startsWith('multipart/form-data') || request.headers['x-gladia-key'] !== undefined;
    if (!gladia) return handlers.raw(request, reply);
    if (!handlers.multipart) {
      throw new EarshotError(
        'unsupportedMediaType',
        'Multipart uploads are not supported; send the file as the raw body.',
      );
    }
    return handlers.multipart(request, reply);
  });
}
