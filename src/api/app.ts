import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { JobService } from '../jobs/job.service.js';
import type { JobQueue } from '../jobs/queue.js';
import type { MediaTool } from '../media/media-tool.js';
import type { ModelStore } from '../models/model-store.js';
import { uuidv7 } from '../util/ids.js';
import { ApiKeyAuth } from './auth.js';
import { installErrorHandling } from './error-handler.js';
import { registerDocsRoutes } from './docs.routes.js';
import { registerHealthRoutes } from './health.routes.js';
import { installBodyParsers } from './body-parsers.js';
import { installRateLimit } from './rate-limit.js';
import './request-context.js';
import {
  createAssemblyAiUploadHandler,
  registerAssemblyAiRoutes,
} from './surfaces/assemblyai/assemblyai.routes.js';
import { registerAnalysesRoutes } from './surfaces/analyses/analyses.routes.js';
import { registerOpenAiRoutes } from './surfaces/openai/openai.routes.js';
import { createGladiaUploadHandler, registerGladiaRoutes } from './surfaces/gladia/gladia.routes.js';
import { registerLocalRoutes } from './surfaces/local/local.routes.js';
import { registerAnalyzeRoutes } from './surfaces/analyze/index.js';
import { registerSummaryChatRoutes } from './surfaces/summary-chat/summary-chat.routes.js';
import { registerUploadRoute } from './surfaces/upload.routes.js';

export interface AppDeps {
  config: Config;
  jobs: JobService;
  /** ffprobe, for surfaces that describe an upload's audio when it arrives (Gladia). */
  media: MediaTool;
  queue: JobQueue;
  models: ModelStore;
  log: Logger;
  version: string;
}

/** Builds the HTTP app without listening, so tests can `inject()` or listen on a random port. */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Widened to Fastify's logger type so the app is the default FastifyInstance route helpers take.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: () => uuidv7(),
    // Uploads stream to disk and are limited separately; this bounds parsed (JSON) bodies only.
    bodyLimit: 1024 * 1024,
    disableRequestLogging: false,
    trustProxy: false,
  });
  app.decorateRequest('tenantId', '');
  installErrorHandling(app);
  installBodyParsers(app);
  // Multipart bodies (OpenAI, Gladia, the local API) are parsed lazily by the routes that take
  // them, streaming file parts to storage; the limits here bound everything else about them.
  await app.register(multipart, {
    limits: {
      fileSize: deps.config.limits.maxUploadBytes,
      files: 1,
      fields: 64,
      fieldSize: 1024 * 1024,
      parts: 100,
    },
    throwFileSizeLimit: true,
  });
  // WebSocket routes (the local API's live job updates; Gladia live). Registered before any route,
  // since the plugin wraps the routes declared after it. Frames from clients are small JSON.
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  if (deps.config.limits.rateLimitPerSecond > 0) installRateLimit(app, deps.config.limits.rateLimitPerSecond);
  registerHealthRoutes(app, { queue: deps.queue, models: deps.models, version: deps.version });
  registerDocsRoutes(app, { version: deps.version });
  registerAssemblyAiRoutes(app, {
    config: deps.config,
    jobs: deps.jobs,
    auth: new ApiKeyAuth(deps.config.apiKeys),
  });
  const gladia = {
    config: deps.config,
    jobs: deps.jobs,
    media: deps.media,
    auth: new ApiKeyAuth(deps.config.apiKeys),
  };
  registerGladiaRoutes(app, gladia);
  // POST /v2/upload: AssemblyAI's raw body, or Gladia's multipart (or JSON with x-gladia-key).
  registerUploadRoute(app, {
    raw: createAssemblyAiUploadHandler({
      config: deps.config,
      jobs: deps.jobs,
      auth: new ApiKeyAuth(deps.config.apiKeys),
    }),
    multipart: createGladiaUploadHandler(gladia),
  });
  registerOpenAiRoutes(app, {
    config: deps.config,
    jobs: deps.jobs,
    auth: new ApiKeyAuth(deps.config.apiKeys),
    models: deps.models,
  });
  registerAnalysesRoutes(app, {
    config: deps.config,
    jobs: deps.jobs,
    auth: new ApiKeyAuth(deps.config.apiKeys),
  });
  registerLocalRoutes(app, {
    config: deps.config,
    jobs: deps.jobs,
    media: deps.media,
    models: deps.models,
    auth: new ApiKeyAuth(deps.config.apiKeys),
    version: deps.version,
  });
  registerSummaryChatRoutes(app, {
    config: deps.config,
    jobs: deps.jobs,
    auth: new ApiKeyAuth(deps.config.apiKeys),
  });
  registerAnalyzeRoutes(app, {
    config: deps.config,
    jobs: deps.jobs,
    media: deps.media,
    models: deps.models,
    auth: new ApiKeyAuth(deps.config.apiKeys),
  });
  await app.ready();
  return app;
}
