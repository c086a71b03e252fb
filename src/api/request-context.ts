import type { FastifyRequest } from 'fastify';

/** Which dialect a route speaks, so errors take that dialect's shape. */
export type SurfaceName = 'assemblyai' | 'openai' | 'gladia' | 'local' | 'earshot';

declare module 'fastify' {
  interface FastifyContextConfig {
    surface?: SurfaceName;
  }
  interface FastifyRequest {
    tenantId: string;
    /**
     * Set by a handler shared by two dialects (`POST /v2/upload` serves AssemblyAI and Gladia)
     * once it knows which one the caller speaks; overrides the route's `surface` for errors.
     */
    surface?: SurfaceName;
  }
}

/** The server's own base URL as the caller reached it, for absolute URLs in responses. */
export function baseUrlOf(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const host = request.headers.host ?? `${request.hostname}`;
  return `${request.protocol}://${host}`;
}
