import type { FastifyInstance } from 'fastify';
import { EarshotError } from '../domain/errors.js';

/**
 * JSON bodies are parsed here; everything else (audio uploads) is left unread so the route can
 * stream `request.raw` to disk without buffering it.
 */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  // The AssemblyAI SDK labels every request JSON, including GET and DELETE with no body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error) {
      done(new EarshotError('badRequest', `Malformed JSON body: ${(error as Error).message}`), undefined);
    }
  });
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
