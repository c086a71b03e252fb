import type { FastifyInstance } from 'fastify';
import { EarshotError } from '../domain/errors.js';

/**
 * A token bucket per API key (or per client address without a key): `perSecond` tokens refill
 * each second, bursts up to twice that. In-memory, so per API process.
 */
export function installRateLimit(app: FastifyInstance, perSecond: number): void {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const capacity = perSecond * 2;
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return;
    const key = request.headers.authorization ?? request.headers['x-gladia-key']?.toString() ?? request.ip;
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      void reply.header('retry-after', String(Math.ceil((1 - bucket.tokens) / perSecond)));
      throw new EarshotError('tooManyRequests', 'Too many requests: slow down');
    }
    bucket.tokens -= 1;
    if (buckets.size > 100_000) buckets.clear(); // bound memory under a key-spraying client
  });
}
