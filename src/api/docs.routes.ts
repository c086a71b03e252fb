import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EarshotError } from '../domain/errors.js';
import { buildOpenApiDocument } from './openapi/index.js';

/** The page's own script: Swagger UI pointed at this server's document, and nothing else. */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // No online validator badge: the page makes no request beyond this server.
    validatorUrl: null,
    // Never load another document named in the page's URL.
    queryConfigEnabled: false,
  });
});
`;

/** Files of swagger-ui-dist served under /docs/, by name, with their media types. */
const PACKAGE_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * Swagger UI needs inline styles (React sets them) and data: images (its icons); everything else
 * comes from this server only, and "Try it out" may call this server only.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Asset URLs are relative, so the page also works behind a proxy that adds a path prefix. */
function page(version: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Earshot ${version} API</title>
    <link rel="stylesheet" href="docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="docs/favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/docs.js"></script>
  </body>
</html>
`;
}

/** swagger-ui-dist's folder in node_modules (it is resolved, never downloaded). */
function swaggerUiDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document of every route), `GET /docs` (Swagger UI on that
 * document) and the page's assets under `/docs/`, served from node_modules so the page works
 * offline. Public, like /health: none of it says anything about a tenant's data.
 */
export function registerDocsRoutes(app: FastifyInstance, deps: { version: string }): void {
  // Built once: the document depends on the code only.
  const document = JSON.stringify(buildOpenApiDocument({ version: deps.version }));
  const assetDir = swaggerUiDir();
  const cache = new Map<string, Buffer>();
  const config = { config: { surface: 'earshot' as const } };

  app.get('/openapi.json', config, (_request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      // Other tools (editors, client generators) may read the document from a browser.
      .header('access-control-allow-origin', '*')
      .send(document),
  );

  app.get('/docs', config, (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .send(page(deps.version)),
  );

  app.get<{ Params: { asset: string } }>('/docs/:asset', config, async (request, reply) => {
    const { asset } = request.params;
    // `/docs/`: the page itself lives at `/docs`, where its relative asset URLs resolve.
    if (asset === '') return reply.redirect('../docs', 302);
    void reply.header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=3600');
    if (asset === 'docs.js') return reply.type('text/javascript; charset=utf-8').send(INIT_SCRIPT);
    const type = Object.hasOwn(PACKAGE_ASSETS, asset) ? PACKAGE_ASSETS[asset] : undefined;
    if (type === undefined) throw new EarshotError('notFound', `No documentation asset named ${asset}`);
    let body = cache.get(asset);
    if (!body) {
      body = await readFile(path.join(assetDir, asset));
      cache.set(asset, body);
    }
    return reply.type(type).send(body);
  });
}
