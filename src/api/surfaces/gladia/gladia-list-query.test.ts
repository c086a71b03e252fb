import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../../../domain/errors.js';
import { gladiaListUrl, parseGladiaListQuery } from './gladia-list-query.js';

function refuses(search: string, param: string, message: RegExp): void {
  assert.throws(
    () => parseGladiaListQuery(search),
    (error: unknown) =>
      error instanceof EarshotError &&
      error.status === 400 &&
      error.param === param &&
      message.test(error.message),
  );
}

void describe('parseGladiaListQuery', () => {
  void it('defaults to the first 20 jobs with no filter', () => {
    assert.deepEqual(parseGladiaListQuery(''), { offset: 0, limit: 20, filters: {}, filterParams: [] });
  });

  void it('reads the query the Gladia SDK builds: repeated status and bracketed custom_metadata', () => {
    const q = parseGladiaListQuery(
      'offset=5&limit=2&status=done&status=error&custom_metadata%5Bbatch%5D=b-1&custom_metadata%5Bn%5D=3',
    );
    assert.equal(q.offset, 5);
    assert.equal(q.limit, 2);
    assert.deepEqual(q.filters.statuses, ['completed', 'error', 'cancelled']);
    assert.deepEqual(q.filters.metadata, { batch: 'b-1', n: '3' });
  });

  void it('takes the JSON form of custom_metadata with scalar values', () => {
    const q = parseGladiaListQuery(
      `custom_metadata=${encodeURIComponent('{"user":"John","id":42,"ok":true}')}`,
    );
    assert.deepEqual(q.filters.metadata, { user: 'John', id: '42', ok: 'true' });
    refuses(`custom_metadata=${encodeURIComponent('{"a":{"b":1}}')}`, 'custom_metadata', /top-level/);
    refuses('custom_metadata=nope', 'custom_metadata', /JSON object/);
  });

  void it('reads date as a UTC day and before/after dates as times', () => {
    const q = parseGladiaListQuery('date=2026-01-09&before_date=2026-01-10T12:00:00Z&after_date=2026-01-08');
    assert.equal(q.filters.createdOn, '2026-01-09');
    assert.deepEqual(q.filters.createdBefore, new Date('2026-01-10T12:00:00Z'));
    assert.deepEqual(q.filters.createdFrom, new Date('2026-01-08T00:00:00Z'));
    assert.equal(parseGladiaListQuery('date=2026-01-09T23:30:00Z').filters.createdOn, '2026-01-09');
    refuses('before_date=yesterday', 'before_date', /ISO date/);
  });

  void it('refuses unknown parameters, bad statuses and out-of-range paging', () => {
    refuses('kind=live', 'kind', /Unknown query parameter: kind/);
    refuses('status=completed', 'status', /queued, processing, done, error/);
    refuses('limit=0', 'limit', /1 to 100/);
    refuses('limit=101', 'limit', /1 to 100/);
    refuses('offset=-1', 'offset', /integer/);
    refuses('limit=2&limit=3', 'limit', /more than once/);
  });

  void it('builds page URLs that keep every filter', () => {
    const q = parseGladiaListQuery('limit=2&status=done&custom_metadata%5Bbatch%5D=b%201&date=2026-01-09');
    const next = new URL(gladiaListUrl('http://127.0.0.1:9', q, 2));
    assert.equal(next.pathname, '/v2/pre-recorded');
    assert.equal(next.searchParams.get('offset'), '2');
    assert.equal(next.searchParams.get('limit'), '2');
    assert.deepEqual(next.searchParams.getAll('status'), ['done']);
    assert.equal(next.searchParams.get('custom_metadata[batch]'), 'b 1');
    assert.equal(next.searchParams.get('date'), '2026-01-09');
    // Reading the URL back gives the same filters.
    assert.deepEqual(parseGladiaListQuery(next.search.slice(1)).filters, q.filters);
  });
});
