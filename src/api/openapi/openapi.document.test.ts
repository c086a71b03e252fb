import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { EarshotError } from '../../domain/errors.js';
import { installErrorHandling } from '../error-handler.js';
import type { SurfaceName } from '../request-context.js';
import { buildOpenApiDocument } from './openapi.document.js';
import type { HttpMethod, OperationObject, ParameterObject } from './openapi.types.js';
import { checkValue, collectRefs, resolveRef } from './schema-check.js';

const doc = buildOpenApiDocument({ version: '9.8.7' });
const METHODS: HttpMethod[] = ['get', 'post', 'put', 'delete', 'patch'];

function operations(): { method: HttpMethod; path: string; op: OperationObject }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method];
      return op ? [{ method, path, op }] : [];
    }),
  );
}

/** The error body schema each surface's errors are documented with. */
const ERROR_SCHEMA: Record<SurfaceName, string> = {
  assemblyai: 'AssemblyAIError',
  openai: 'OpenAIError',
  gladia: 'GladiaError',
  local: 'LocalError',
  earshot: 'EarshotError',
};
const TAG_SURFACE = {
  AssemblyAI: 'assemblyai',
  OpenAI: 'openai',
  Gladia: 'gladia',
  Local: 'local',
  Earshot: 'earshot',
  // The sales-call analyses API answers errors in OpenAI's shape, as everything under /v1/ does.
  Analyses: 'openai',
} as const;

void describe('buildOpenApiDocument', () => {
  void it('is an OpenAPI 3.1 document titled Earshot with the given version', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'Earshot');
    assert.equal(doc.info.version, '9.8.7');
    assert.deepEqual(
      doc.tags.map((t) => t.name),
      ['Earshot', 'AssemblyAI', 'OpenAI', 'Gladia', 'Local', 'Analyses'],
    );
    // Plain JSON: what is served is what was built.
    assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
    assert.deepEqual(buildOpenApiDocument({ version: '9.8.7' }), doc);
  });

  void it('resolves every $ref', () => {
    const refs = collectRefs(doc);
    assert.ok(refs.length > 50, `only ${refs.length} refs`);
    for (const { ref, at } of refs) assert.doesNotThrow(() => resolveRef(doc, ref), `${ref} at ${at}`);
    assert.throws(() => resolveRef(doc, '#/components/schemas/Nope'), /unresolved reference/);
  });

  void it('gives every operation a unique id, known tags, responses and defined security schemes', () => {
    const ids = new Set<string>();
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { method, path, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(!ids.has(op.operationId), `${where}: duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      assert.ok(op.tags.length > 0 && op.tags.every((t) => tags.has(t)), `${where}: tags ${op.tags.join()}`);
      assert.ok(Object.keys(op.responses).length > 0, `${where}: no responses`);
      assert.ok(Array.isArray(op.security), `${where}: security must be stated (even as [])`);
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) {
          assert.ok(scheme in doc.components.securitySchemes, `${where}: unknown scheme ${scheme}`);
        }
      }
    }
    assert.equal(ids.size, operations().length);
  });

  void it('declares exactly the path parameters its path template has', () => {
    for (const { method, path, op } of operations()) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p: ParameterObject) => p.in === 'path');
      assert.deepEqual(
        declared.map((p) => p.name),
        templated,
        `${method.toUpperCase()} ${path}`,
      );
      assert.ok(
        declared.every((p) => p.required === true),
        `${method} ${path}: path params are required`,
      );
    }
  });

  void it('documents each dialect’s errors with that dialect’s error body', () => {
    for (const { method, path, op } of operations()) {
      if (op.tags.length !== 1) continue; // POST /v2/upload answers either dialect's shape
      const expected = ERROR_SCHEMA[TAG_SURFACE[op.tags[0]!]];
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const schema = response.content?.['application/json']?.schema;
        // The local API answers an unknown job's status with the seed service's status body.
        if (/^\/api\/(transcribe|summary)\/status\/\{job_id\}$/.test(path) && status === '404') {
          assert.deepEqual(schema, { $ref: '#/components/schemas/LocalNotFoundStatus' });
          continue;
        }
        assert.deepEqual(schema, { $ref: `#/components/schemas/${expected}` }, `${method} ${path} ${status}`);
      }
    }
  });

  void it('derives request schemas from the surfaces’ zod schemas', () => {
    const assemblyai = doc.components.schemas.AssemblyAITranscriptParams!;
    const properties = assemblyai.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(assemblyai.required, ['audio_url']);
    assert.equal(assemblyai.additionalProperties, false);
    assert.deepEqual(properties.boost_param?.anyOf, [
      { type: 'string', enum: ['low', 'default', 'high'] },
      { type: 'null' },
    ]);
    // Parameters the surface refuses unless off are documented as such.
    assert.match(String(properties.temperature?.description), /off value/);
    // No ±2^53 noise from zod's integers.
    assert.doesNotMatch(JSON.stringify(doc), /9007199254740991/);
  });
});

void describe('error bodies', () => {
  void it('match what the error handler sends for every surface', async () => {
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    for (const surface of Object.keys(ERROR_SCHEMA) as SurfaceName[]) {
      app.get(`/${surface}/param`, { config: { surface } }, () => {
        throw new EarshotError('badRequest', 'bad thing', { param: 'model' });
      });
      app.get(`/${surface}/plain`, { config: { surface } }, () => {
        throw new EarshotError('unauthorized', 'no key');
      });
      app.get(`/${surface}/crash`, { config: { surface } }, () => {
        throw new Error('internal detail');
      });
    }
    await app.ready();
    try {
      for (const [surface, schema] of Object.entries(ERROR_SCHEMA)) {
        for (const kind of ['param', 'plain', 'crash']) {
          const response = await app.inject({ method: 'GET', url: `/${surface}/${kind}` });
          assert.ok(response.statusCode >= 400);
          const problems = checkValue({ $ref: `#/components/schemas/${schema}` }, response.json(), {
            root: doc,
            strict: true,
          });
          assert.deepEqual(problems, [], `${surface} ${kind}: ${response.body}`);
        }
      }
    } finally {
      await app.close();
    }
  });
});
