/**
 * `GET /v2/pre-recorded`'s query is parsed by hand, so its parameters are documented by hand:
 * each documented parameter is fed to the surface's own parser, which must take it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGladiaListQuery } from '../surfaces/gladia/gladia-list-query.js';
import { buildOpenApiDocument } from './openapi.document.js';

const doc = buildOpenApiDocument({ version: '0.0.0' });
const parameters = doc.paths['/v2/pre-recorded']?.get?.parameters ?? [];

/** How a client sends each documented parameter (deepObject: `name[key]=value`). */
const SAMPLES: Record<string, string> = {
  offset: 'offset=20',
  limit: 'limit=5',
  date: 'date=2026-01-09',
  before_date: 'before_date=2026-01-09T12:00:00Z',
  after_date: 'after_date=2026-01-08',
  status: 'status=done&status=error',
  custom_metadata: 'custom_metadata%5Buser%5D=John',
};

void describe('GET /v2/pre-recorded parameters', () => {
  void it('are each taken by the surface’s parser', () => {
    assert.deepEqual(parameters.map((p) => p.name).sort(), Object.keys(SAMPLES).sort());
    for (const parameter of parameters) {
      assert.doesNotThrow(() => parseGladiaListQuery(SAMPLES[parameter.name]!), parameter.name);
    }
    assert.throws(() => parseGladiaListQuery('bogus=1'), /Unknown query parameter: bogus/);
  });

  void it('state the bounds and values the parser enforces', () => {
    const byName = Object.fromEntries(parameters.map((p) => [p.name, p.schema]));
    const limit = byName.limit!;
    assert.doesNotThrow(() => parseGladiaListQuery(`limit=${String(limit.maximum)}`));
    assert.throws(() => parseGladiaListQuery(`limit=${Number(limit.maximum) + 1}`), /limit/);
    assert.throws(() => parseGladiaListQuery(`limit=${Number(limit.minimum) - 1}`), /limit/);
    assert.equal(parseGladiaListQuery('').limit, limit.default);
    const statuses = (byName.status!.items as { enum: string[] }).enum;
    for (const status of statuses) assert.doesNotThrow(() => parseGladiaListQuery(`status=${status}`));
    assert.throws(() => parseGladiaListQuery('status=completed'), /status must be one of/);
  });
});
