import { analysesSpec } from './analyses.openapi.js';
import { analyzePaths, analyzeSchemas } from './analyze.openapi.js';
import { assemblyAiSpec } from './assemblyai.openapi.js';
import { earshotSpec } from './earshot.openapi.js';
import { gladiaSpec } from './gladia.openapi.js';
import { localSpec } from './local.openapi.js';
import { openAiSpec } from './openai.openapi.js';
import type { DialectSpec, HttpMethod, OpenApiDocument, PathItemObject } from './openapi.types.js';
import { summaryChatPaths, summaryChatSchemas } from './summary-chat.openapi.js';
import { uploadPaths } from './upload.openapi.js';

export interface OpenApiOptions {
  /** The server's version (src/version.ts), shown as the document's `info.version`. */
  version: string;
}

const DESCRIPTION = `Self-hosted audio transcription that speaks four API dialects, so their official clients work unchanged:

* **AssemblyAI** v2 (\`/v2/transcript\`, \`/v2/upload\`): \`new AssemblyAI({ apiKey, baseUrl: <this server> })\`. Times in ms.
* **OpenAI** audio (\`/v1/audio/*\`, \`/v1/models\`): \`new OpenAI({ apiKey, baseURL: <this server>/v1 })\`. Times in seconds.
* **Gladia** v2 pre-recorded (\`/v2/pre-recorded\`, \`/v2/upload\`): \`new GladiaClient({ apiKey, apiUrl: <this server> })\`. Times in seconds.
* **Local** transcription API (\`/api/transcribe\`): plain HTTP and a WebSocket. Times in seconds.

Each dialect takes the API key the way its client sends it and answers errors in its own shape. With no keys configured (\`EARSHOT_API_KEYS\` unset) authentication is off.`;

/** Adds `from`'s operations to `into`; a method documented twice for one path is a mistake. */
function mergePaths(into: Record<string, PathItemObject>, from: Record<string, PathItemObject>): void {
  for (const [path, item] of Object.entries(from)) {
    const existing = (into[path] ??= {});
    for (const [method, operation] of Object.entries(item) as [HttpMethod, PathItemObject[HttpMethod]][]) {
      if (existing[method]) throw new Error(`${method.toUpperCase()} ${path} is documented twice`);
      existing[method] = operation;
    }
  }
}

function mergeNamed<T>(into: Record<string, T>, from: Record<string, T> | undefined, what: string): void {
  for (const [name, value] of Object.entries(from ?? {})) {
    if (name in into) throw new Error(`${what} "${name}" is defined twice`);
    into[name] = value;
  }
}

/**
 * The OpenAPI 3.1 document of every route this server serves. Request schemas are generated from
 * the surfaces' own zod schemas; `test/openapi.test.ts` fails when a route is served but not
 * documented (or the other way round) and when an answer has a field the document lacks.
 */
export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const dialects: DialectSpec[] = [
    earshotSpec(),
    assemblyAiSpec(),
    openAiSpec(),
    gladiaSpec(),
    localSpec(),
    analysesSpec(),
  ];
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Earshot',
      version: options.version,
      summary: 'Self-hosted audio transcription API speaking the AssemblyAI, OpenAI and Gladia dialects',
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: dialects.map((dialect) => dialect.tag),
    paths: {},
    components: { schemas: {}, securitySchemes: {} },
  };
  for (const dialect of dialects) {
    mergePaths(document.paths, dialect.paths);
    mergeNamed(document.components.schemas, dialect.schemas, 'Schema');
    mergeNamed(document.components.securitySchemes, dialect.securitySchemes, 'Security scheme');
  }
  mergePaths(document.paths, uploadPaths());
  // /api/summary and /api/chat: the local API family, under its tag (src/api/surfaces/summary-chat).
  mergePaths(document.paths, summaryChatPaths());
  mergeNamed(document.components.schemas, summaryChatSchemas(), 'Schema');
  // /analyze: the local API family too (src/api/surfaces/analyze).
  mergePaths(document.paths, analyzePaths());
  mergeNamed(document.components.schemas, analyzeSchemas(), 'Schema');
  return document;
}
