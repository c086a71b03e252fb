/**
 * `GET /openapi.json` and `GET /docs` against the real app: the document describes exactly the
 * routes the app serves (a route added without documenting it fails here), its `$ref`s resolve,
 * the docs page loads its assets from this server, and real answers of every dialect, from real
 * transcriptions of real speech, have the documented status, media type and shape.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../src/api/app.js';
import type { HttpMethod, OpenApiDocument, ResponseObject } from '../src/api/openapi/openapi.types.js';
import { checkValue, collectRefs, resolveRef } from '../src/api/openapi/schema-check.js';
import { openBackends } from '../src/backends.js';
import { loadConfig } from '../src/config/config.js';
import { JobService } from '../src/jobs/job.service.js';
import { createLogger } from '../src/logger.js';
import { MediaTool } from '../src/media/media-tool.js';
import { loadCatalog } from '../src/models/catalog.js';
import { ModelStore } from '../src/models/model-store.js';
import { VERSION } from '../src/version.js';
import { speechFile } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-openapi-0001';
const WRONG = 'key-openapi-wrong';
const UNKNOWN_ID = '01900000-0000-7000-8000-00000000dead';
const SAMPLE = '1089-134686-0001.flac';
const METHODS: HttpMethod[] = ['get', 'post', 'put', 'delete', 'patch'];

/** Routes that are not API operations: the docs page's static assets. */
const UNDOCUMENTED = new Set(['GET /docs/:asset']);

type Json = Record<string, unknown>;

/**
 * Every route of a Fastify app as `METHOD /path/:param`, read from `printRoutes()`'s radix tree:
 * a route's path is its node's label joined to its ancestors' labels.
 */
function routeTable(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const labels: string[] = [];
  for (const line of app.printRoutes().split('\n')) {
    const node = /^((?:│ {3}| {4})*)[├└]── (.*)$/u.exec(line);
    if (!node) continue;
    const depth = node[1]!.length / 4;
    const withMethods = /^(.*) \(([A-Z, ]+)\)$/.exec(node[2]!);
    labels.length = depth;
    labels.push(withMethods ? withMethods[1]! : node[2]!);
    for (const method of withMethods?.[2]!.split(', ') ?? []) {
      const url = labels.join('');
      // The parse is only trusted where the router confirms each route it read.
      assert.ok(app.hasRoute({ method, url }), `parsed ${method} ${url}, which the router does not have`);
      routes.push(`${method} ${url}`);
    }
  }
  return routes;
}

function documentedRoutes(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([template, item]) =>
    METHODS.filter((m) => item[m]).map(
      (m) => `${m.toUpperCase()} ${template.replace(/\{([^}]+)\}/g, ':$1')}`,
    ),
  );
}

/** The app as `earshot serve` builds it, on a fresh data directory, without listening. */
async function withApp<T>(use: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-openapi-'));
  const config = loadConfig({ EARSHOT_DATA_DIR: dataDir, EARSHOT_LOG_LEVEL: 'silent' });
  const backends = await openBackends(config);
  try {
    const models = new ModelStore(config.modelsDir, loadCatalog());
    const log = createLogger(config, 'api');
    const jobs = new JobService({ config, ...backends, models, log });
    const media = new MediaTool({ ffmpeg: config.tools.ffmpeg, ffprobe: config.tools.ffprobe });
    const app = await createApp({
      config,
      jobs,
      media,
      queue: backends.queue,
      models,
      log,
      version: VERSION,
    });
    try {
      return await use(app);
    } finally {
      await app.close();
    }
  } finally {
    await backends.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

void describe('the OpenAPI document covers every route', () => {
  void it('documents each registered route, and documents no route the app lacks', async () => {
    await withApp(async (app) => {
      const response = await app.inject({ method: 'GET', url: '/openapi.json' });
      assert.equal(response.statusCode, 200);
      const doc = response.json<OpenApiDocument>();
      const registered = routeTable(app);
      assert.ok(registered.length > 30, `only ${registered.length} routes parsed`);
      // HEAD is Fastify's automatic twin of each GET.
      for (const route of registered.filter((r) => r.startsWith('HEAD '))) {
        assert.ok(registered.includes(route.replace(/^HEAD/, 'GET')), `${route} has no GET`);
      }
      const served = registered.filter((r) => !r.startsWith('HEAD ') && !UNDOCUMENTED.has(r)).sort();
      const documented = documentedRoutes(doc).sort();
      assert.deepEqual(
        served.filter((r) => !documented.includes(r)),
        [],
        'served but not in /openapi.json',
      );
      assert.deepEqual(
        documented.filter((r) => !served.includes(r)),
        [],
        'in /openapi.json but not served',
      );
      for (const route of UNDOCUMENTED) assert.ok(registered.includes(route), `${route} is gone`);
    });
  });
});

void describe('GET /openapi.json and GET /docs on a real server', () => {
  let server: TestServer;
  let doc: OpenApiDocument;
  const checked = new Set<string>();

  async function call(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: RequestInit['body'] } = {},
  ): Promise<{ status: number; type: string; text: string; headers: Headers }> {
    const response = await fetch(`${server.url}${url}`, {
      method,
      redirect: 'manual',
      ...(init.headers && { headers: init.headers }),
      ...(init.body !== undefined && { body: init.body }),
    });
    return {
      status: response.status,
      type: (response.headers.get('content-type') ?? '').split(';')[0]!.trim(),
      text: await response.text(),
      headers: response.headers,
    };
  }

  /**
   * Calls an operation and holds the answer to the document: its status must be documented for
   * the operation, its media type among the response's, and a JSON body must have exactly the
   * documented fields.
   */
  async function conforming(
    method: HttpMethod,
    template: string,
    url: string,
    init: { headers?: Record<string, string>; body?: RequestInit['body'] } = {},
  ): Promise<{ status: number; body: Json; text: string }> {
    const answer = await call(method.toUpperCase(), url, init);
    const where = `${method.toUpperCase()} ${url} → ${answer.status} ${answer.text.slice(0, 300)}`;
    const operation = doc.paths[template]?.[method];
    assert.ok(operation, `${method} ${template} is not documented`);
    const response: ResponseObject | undefined = operation.responses[String(answer.status)];
    assert.ok(response, `${where}: status not documented`);
    let body: Json = {};
    if (response.content === undefined) {
      assert.equal(answer.text, '', `${where}: documented without a body`);
    } else {
      const [kind] = answer.type.split('/');
      const media = response.content[answer.type] ?? response.content[`${kind}/*`] ?? response.content['*/*'];
      assert.ok(media, `${where}: media type ${answer.type} not documented`);
      if (answer.type === 'application/json') {
        body = JSON.parse(answer.text) as Json;
        const problems = checkValue(media.schema, body, { root: doc, strict: true });
        assert.deepEqual(problems, [], where);
      }
    }
    checked.add(`${method.toUpperCase()} ${template} ${answer.status}`);
    return { status: answer.status, body, text: answer.text };
  }

  async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const audioBlob = async (): Promise<Blob> =>
    new Blob([await readFile(speechFile(SAMPLE))], { type: 'audio/flac' });

  before(async () => {
    server = await startServer({ env: { EARSHOT_API_KEYS: `${KEY}:openapi`, EARSHOT_WORKERS: '2' } });
    const answer = await call('GET', '/openapi.json');
    assert.equal(answer.status, 200);
    doc = JSON.parse(answer.text) as OpenApiDocument;
  });

  after(async () => {
    await server?.stop();
  });

  void it('serves an OpenAPI 3.1 document without credentials, every $ref resolving', async () => {
    const answer = await call('GET', '/openapi.json');
    assert.equal(answer.status, 200);
    assert.equal(answer.type, 'application/json');
    await conforming('get', '/openapi.json', '/openapi.json');
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'Earshot');
    assert.equal(doc.info.version, VERSION);
    assert.ok(Object.keys(doc.paths).length > 25);
    assert.ok(Object.keys(doc.components.schemas).length > 30);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), [
      'assemblyaiKey',
      'gladiaKey',
      'localKey',
      'localToken',
      'openaiBearer',
    ]);
    const refs = collectRefs(doc);
    assert.ok(refs.length > 50);
    for (const { ref, at } of refs) assert.doesNotThrow(() => resolveRef(doc, ref), `${ref} at ${at}`);
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        for (const requirement of item[method]?.security ?? []) {
          for (const scheme of Object.keys(requirement)) {
            assert.ok(scheme in doc.components.securitySchemes, `${method} ${template}: ${scheme}`);
          }
        }
      }
    }
  });

  void it('serves /docs without credentials, loading every asset from this server', async () => {
    await conforming('get', '/docs', '/docs');
    const page = await call('GET', '/docs');
    assert.equal(page.status, 200);
    assert.equal(page.type, 'text/html');
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const refs = [...page.text.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length >= 3, page.text);
    const expected: Record<string, RegExp> = {
      'swagger-ui.css': /^text\/css$/,
      'swagger-ui-bundle.js': /^text\/javascript$/,
      'docs.js': /^text\/javascript$/,
      'favicon-32x32.png': /^image\/png$/,
      'favicon-16x16.png': /^image\/png$/,
    };
    const pageUrl = new URL('/docs', server.url);
    for (const ref of refs) {
      const url = new URL(ref, pageUrl);
      assert.equal(url.origin, pageUrl.origin, `${ref} is not on this server`);
      const name = url.pathname.replace(/^\/docs\//, '');
      assert.ok(expected[name], `unexpected asset ${ref}`);
      const asset = await call('GET', url.pathname);
      assert.equal(asset.status, 200, ref);
      assert.match(asset.type, expected[name], ref);
      assert.ok(asset.text.length > 0, ref);
    }
    // The page's script points Swagger UI at this server's document.
    const script = await call('GET', '/docs/docs.js');
    const documentUrl = /url: '([^']+)'/.exec(script.text)?.[1];
    assert.equal(new URL(documentUrl ?? '', pageUrl).href, new URL('/openapi.json', server.url).href);
    assert.match((await call('GET', '/docs/swagger-ui-bundle.js')).text, /SwaggerUIBundle/);
    // Only the named assets: nothing else from node_modules, no way out of the folder.
    for (const probe of ['/docs/package.json', '/docs/%2e%2e%2fpackage.json', '/docs/index.html']) {
      const answer = await call('GET', probe);
      assert.equal(answer.status, 404, probe);
      assert.equal((JSON.parse(answer.text) as { error: { code: string } }).error.code, 'notFound');
    }
    const slash = await call('GET', '/docs/');
    assert.equal(slash.status, 302);
    assert.equal(new URL(slash.headers.get('location') ?? '', `${server.url}/docs/`).pathname, '/docs');
  });

  void it('answers as documented: Earshot and the local API’s root', async () => {
    await conforming('get', '/health', '/health');
    const root = await conforming('get', '/', '/');
    assert.equal(root.body.version, VERSION);
  });

  void it('answers as documented: AssemblyAI', async () => {
    const auth = { authorization: KEY };
    const upload = await conforming('post', '/v2/upload', '/v2/upload', {
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: await readFile(speechFile(SAMPLE)),
    });
    assert.equal(upload.status, 200);
    const json = { ...auth, 'content-type': 'application/json' };
    const submitted = await conforming('post', '/v2/transcript', '/v2/transcript', {
      headers: json,
      body: JSON.stringify({ audio_url: upload.body.upload_url, punctuate: true }),
    });
    assert.equal(submitted.status, 200, submitted.text);
    const id = String(submitted.body.id);
    const done = await until(async () => {
      const t = await conforming('get', '/v2/transcript/{id}', `/v2/transcript/${id}`, { headers: auth });
      return t.body.status === 'completed' || t.body.status === 'error' ? t.body : undefined;
    }, 'the AssemblyAI transcript');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    for (const unit of ['sentences', 'paragraphs']) {
      const answer = await conforming('get', `/v2/transcript/{id}/${unit}`, `/v2/transcript/${id}/${unit}`, {
        headers: auth,
      });
      assert.equal(answer.status, 200);
    }
    const firstWord = String((done.words as { text: string }[])[0]?.text);
    const search = await conforming(
      'get',
      '/v2/transcript/{id}/word-search',
      `/v2/transcript/${id}/word-search?words=${encodeURIComponent(`${firstWord},zebra`)}`,
      { headers: auth },
    );
    assert.ok(Number(search.body.total_count) >= 1);
    for (const format of ['srt', 'vtt']) {
      const subtitles = await conforming(
        'get',
        `/v2/transcript/{id}/${format}`,
        `/v2/transcript/${id}/${format}?chars_per_caption=32`,
        { headers: auth },
      );
      assert.equal(subtitles.status, 200);
      assert.ok(subtitles.text.length > 0);
    }
    const list = await conforming('get', '/v2/transcript', '/v2/transcript?limit=5&status=completed', {
      headers: auth,
    });
    assert.ok((list.body.transcripts as Json[]).some((t) => t.id === id));
    await conforming('get', '/v2/transcript/{id}/redacted-audio', `/v2/transcript/${id}/redacted-audio`, {
      headers: auth,
    });
    assert.equal(
      (await conforming('get', '/v2/transcript/{id}', `/v2/transcript/${UNKNOWN_ID}`, { headers: auth }))
        .status,
      404,
    );
    assert.equal(
      (await conforming('get', '/v2/transcript', '/v2/transcript', { headers: { authorization: WRONG } }))
        .status,
      401,
    );
    assert.equal(
      (await conforming('post', '/v2/transcript', '/v2/transcript', { headers: json, body: '{"bogus":1}' }))
        .status,
      400,
    );
    const deleted = await conforming('delete', '/v2/transcript/{id}', `/v2/transcript/${id}`, {
      headers: json,
    });
    assert.equal(deleted.body.text, 'Deleted by user.');
    assert.equal(
      (
        await conforming('get', '/v2/transcript/{id}/sentences', `/v2/transcript/${id}/sentences`, {
          headers: auth,
        })
      ).status,
      400,
    );
  });

  void it('answers as documented: Gladia', async () => {
    const auth = { 'x-gladia-key': KEY };
    const form = new FormData();
    form.append('audio', await audioBlob(), SAMPLE);
    const upload = await conforming('post', '/v2/upload', '/v2/upload', { headers: auth, body: form });
    assert.equal(upload.status, 200);
    const run = `openapi-${Date.now()}`;
    const created = await conforming('post', '/v2/pre-recorded', '/v2/pre-recorded', {
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        audio_url: upload.body.audio_url,
        sentences: true,
        subtitles: true,
        subtitles_config: { formats: ['srt', 'vtt'] },
        custom_metadata: { run },
      }),
    });
    assert.equal(created.status, 201);
    const id = String(created.body.id);
    const done = await until(async () => {
      const job = await conforming('get', '/v2/pre-recorded/{id}', `/v2/pre-recorded/${id}`, {
        headers: auth,
      });
      return job.body.status === 'done' || job.body.status === 'error' ? job.body : undefined;
    }, 'the Gladia job');
    assert.equal(done.status, 'done', JSON.stringify(done));
    const list = await conforming(
      'get',
      '/v2/pre-recorded',
      `/v2/pre-recorded?status=done&limit=5&custom_metadata%5Brun%5D=${run}`,
      { headers: auth },
    );
    assert.deepEqual(
      (list.body.items as Json[]).map((item) => item.id),
      [id],
    );
    const file = await conforming('get', '/v2/pre-recorded/{id}/file', `/v2/pre-recorded/${id}/file`, {
      headers: auth,
    });
    assert.equal(file.status, 200);
    assert.equal(
      (
        await conforming('get', '/v2/pre-recorded', '/v2/pre-recorded', {
          headers: { 'x-gladia-key': WRONG },
        })
      ).status,
      401,
    );
    assert.equal(
      (await conforming('delete', '/v2/pre-recorded/{id}', `/v2/pre-recorded/${id}`, { headers: auth }))
        .status,
      202,
    );
    assert.equal(
      (await conforming('get', '/v2/pre-recorded/{id}', `/v2/pre-recorded/${id}`, { headers: auth })).status,
      404,
    );
  });

  void it('answers as documented: OpenAI', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const form = async (fields: [string, string][]): Promise<FormData> => {
      const data = new FormData();
      data.append('file', await audioBlob(), SAMPLE);
      for (const [name, value] of fields) data.append(name, value);
      return data;
    };
    const verbose = await conforming('post', '/v1/audio/transcriptions', '/v1/audio/transcriptions', {
      headers: auth,
      body: await form([
        ['model', 'whisper-1'],
        ['response_format', 'verbose_json'],
        ['timestamp_granularities[]', 'word'],
        ['timestamp_granularities[]', 'segment'],
      ]),
    });
    assert.equal(verbose.status, 200, verbose.text);
    assert.ok(Array.isArray(verbose.body.words) && Array.isArray(verbose.body.segments));
    const plain = await conforming('post', '/v1/audio/transcriptions', '/v1/audio/transcriptions', {
      headers: auth,
      body: await form([['model', 'whisper-1']]),
    });
    assert.equal(plain.status, 200);
    const text = await conforming('post', '/v1/audio/transcriptions', '/v1/audio/transcriptions', {
      headers: auth,
      body: await form([
        ['model', 'whisper-1'],
        ['response_format', 'text'],
      ]),
    });
    assert.equal(text.text.trim(), plain.body.text);
    assert.equal(
      (
        await conforming('post', '/v1/audio/transcriptions', '/v1/audio/transcriptions', {
          headers: auth,
          body: await form([['response_format', 'json']]),
        })
      ).status,
      400,
    );
    const models = await conforming('get', '/v1/models', '/v1/models', { headers: auth });
    const first = (models.body.data as { id: string }[])[0];
    assert.ok(first, 'at least one model is installed');
    await conforming('get', '/v1/models/{id}', `/v1/models/${encodeURIComponent(first.id)}`, {
      headers: auth,
    });
    assert.equal(
      (await conforming('get', '/v1/models/{id}', '/v1/models/no-such-model', { headers: auth })).status,
      404,
    );
    assert.equal(
      (await conforming('get', '/v1/models', '/v1/models', { headers: { authorization: `Bearer ${WRONG}` } }))
        .status,
      401,
    );
  });

  void it('answers as documented: the local API', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const form = new FormData();
    form.append('file', await audioBlob(), SAMPLE);
    form.append('diarize', 'false');
    const started = await conforming('post', '/api/transcribe/', '/api/transcribe/', {
      headers: auth,
      body: form,
    });
    assert.equal(started.status, 200);
    const jobId = String(started.body.job_id);
    const status = await until(async () => {
      const answer = await conforming(
        'get',
        '/api/transcribe/status/{job_id}',
        `/api/transcribe/status/${jobId}`,
        {
          headers: auth,
        },
      );
      return answer.body.status === 'processing' ? undefined : answer.body;
    }, 'the local job');
    assert.equal(status.status, 'completed', JSON.stringify(status));
    await conforming('get', '/api/transcribe/result/{job_id}', `/api/transcribe/result/${jobId}`, {
      headers: auth,
    });
    await conforming('get', '/api/transcribe/debug/{job_id}', `/api/transcribe/debug/${jobId}`, {
      headers: auth,
    });
    const jobs = await conforming('get', '/api/transcribe/jobs', '/api/transcribe/jobs?limit=10', {
      headers: auth,
    });
    assert.ok((jobs.body.jobs as Json[]).some((job) => job.job_id === jobId));
    await conforming('get', '/api/transcribe/models', '/api/transcribe/models', { headers: auth });
    const again = await conforming(
      'post',
      '/api/retranslate/segment-from-full',
      `/api/retranslate/segment-from-full?job_id=${jobId}`,
      {
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ segment_id: 'seg-1', start_time: 0, end_time: 3 }),
      },
    );
    assert.equal(again.status, 200, again.text);
    assert.equal(
      (
        await conforming('get', '/api/transcribe/status/{job_id}', `/api/transcribe/status/${UNKNOWN_ID}`, {
          headers: auth,
        })
      ).status,
      404,
    );
    assert.equal(
      (
        await conforming('get', '/api/transcribe/result/{job_id}', `/api/transcribe/result/${UNKNOWN_ID}`, {
          headers: auth,
        })
      ).status,
      404,
    );
    assert.equal(
      (await conforming('get', '/api/transcribe/jobs', '/api/transcribe/jobs?limit=0', { headers: auth }))
        .status,
      400,
    );
    assert.equal(
      (
        await conforming('get', '/api/transcribe/jobs', '/api/transcribe/jobs', {
          headers: { authorization: `Bearer ${WRONG}` },
        })
      ).status,
      401,
    );
  });

  void it('answers as documented: summary, chat, analyze and sales-call analyses', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const fullText =
      'We reviewed the budget for the new warehouse. The roof repairs cost more than planned. ' +
      'Next quarter we will compare three suppliers before we sign anything.';

    // Summary of a caller's text, through both paths of POST, then its status and result.
    for (const route of ['/api/summary/', '/api/summary']) {
      const started = await conforming('post', route, route, {
        headers: json,
        body: JSON.stringify({ full_text: fullText, format: 'bullet_points' }),
      });
      assert.equal(started.status, 200, started.text);
      const jobId = String(started.body.job_id);
      await until(async () => {
        const answer = await conforming(
          'get',
          '/api/summary/status/{job_id}',
          `/api/summary/status/${jobId}`,
          { headers: auth },
        );
        return answer.body.status === 'completed' ? answer.body : undefined;
      }, 'the summary job');
      const summary = await conforming('get', '/api/summary/{job_id}', `/api/summary/${jobId}`, {
        headers: auth,
      });
      assert.equal(summary.status, 200);
      assert.equal(summary.body.model_used, 'extractive');
    }
    assert.equal(
      (await conforming('get', '/api/summary/{job_id}', `/api/summary/${UNKNOWN_ID}`, { headers: auth }))
        .status,
      404,
    );

    // Chat needs an LLM provider, which this server has not: a documented 400 on both paths.
    const models = await conforming('get', '/api/chat/models', '/api/chat/models', { headers: auth });
    assert.deepEqual(models.body.models, []);
    for (const route of ['/api/chat/', '/api/chat']) {
      const chat = await conforming('post', route, route, {
        headers: json,
        body: JSON.stringify({
          full_text: fullText,
          messages: [{ role: 'user', content: 'What did it cost?' }],
        }),
      });
      assert.equal(chat.status, 400);
    }

    // Analyze real speech: questions, summary and transcript.
    const form = new FormData();
    form.append('file', await audioBlob(), SAMPLE);
    const analyze = await conforming('post', '/analyze', '/analyze', { headers: auth, body: form });
    assert.equal(analyze.status, 200, analyze.text);
    const analyzeId = String(analyze.body.job_id);
    const analyzed = await until(async () => {
      const answer = await conforming('get', '/analyze/{job_id}', `/analyze/${analyzeId}`, { headers: auth });
      return answer.body.status === 'finished' || answer.body.status === 'failed' ? answer.body : undefined;
    }, 'the analyze job');
    assert.equal(analyzed.status, 'finished', JSON.stringify(analyzed));

    // A sales call from an inline transcript: create, get, list, and cancel once it is done (409).
    const created = await conforming('post', '/v1/analyses', '/v1/analyses', {
      headers: json,
      body: JSON.stringify({
        transcript: {
          utterances: [
            { start: 0, end: 4000, speaker: 'rep', text: 'Hi, how is your team handling invoices today?' },
            { start: 4200, end: 9000, speaker: 'prospect', text: 'Mostly by hand, and it is slow.' },
          ],
        },
      }),
    });
    assert.equal(created.status, 201, created.text);
    const analysisId = String(created.body.id);
    const done = await until(async () => {
      const answer = await conforming('get', '/v1/analyses/{id}', `/v1/analyses/${analysisId}`, {
        headers: auth,
      });
      return answer.body.status === 'completed' || answer.body.status === 'failed' ? answer.body : undefined;
    }, 'the sales-call analysis');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const list = await conforming('get', '/v1/analyses', '/v1/analyses?limit=5', { headers: auth });
    assert.equal(list.status, 200);
    const cancel = await conforming('post', '/v1/analyses/{id}/cancel', `/v1/analyses/${analysisId}/cancel`, {
      headers: auth,
    });
    assert.equal(cancel.status, 409);

    // The signed redacted-audio download (exercised for real in test/assemblyai-redaction): a
    // forged signature is a documented 403.
    const forged = await conforming(
      'get',
      '/v2/redacted-audio/{tenant}/{id}/{file}',
      `/v2/redacted-audio/b3BlbmFwaQ/${UNKNOWN_ID}/redacted.mp3?expires=${Math.floor(Date.now() / 1000) + 60}&signature=${'0'.repeat(64)}`,
    );
    assert.equal(forged.status, 403);
  });

  void it('checked an answer of most documented operations', () => {
    // Every operation but the WebSocket, the clip re-transcription, the translation endpoint (no
    // installed model translates) and the bare-path alias of POST /api/transcribe/.
    const operations = new Set([...checked].map((c) => c.split(' ').slice(0, 2).join(' ')));
    const missing = documentedRoutes(doc)
      .map((r) => r.replace(/:([^/]+)/g, '{$1}'))
      .filter((r) => !operations.has(r));
    assert.deepEqual(missing.sort(), [
      'GET /api/transcribe/live/{job_id}',
      'POST /api/retranslate/segment',
      'POST /api/transcribe',
      'POST /v1/audio/translations',
    ]);
  });
});
