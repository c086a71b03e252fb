import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../jobs/queue.js';
import type { ModelStore } from '../models/model-store.js';

/** `GET /health`: liveness plus what an operator needs to see at a glance. */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { queue: JobQueue; models: ModelStore; version: string },
): void {
  app.get('/health', { config: { surface: 'earshot' } }, async () => {
    const queue = await deps.queue.counts();
    const installed = deps.models
      .list()
      .filter((entry) => entry.status === 'installed')
      .map((entry) => entry.model.id);
    return { status: 'ok', version: deps.version, queue, models: { installed } };
  });
}
