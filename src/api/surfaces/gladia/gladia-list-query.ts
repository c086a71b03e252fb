import { EarshotError } from '../../../domain/errors.js';
import type { JobStatus } from '../../../domain/job.js';
import type { JobListQuery } from '../../../store/metadata.store.js';

/** Gladia's list default page size (its OpenAPI schema); larger pages than the maximum are refused. */
export const GLADIA_LIST_DEFAULT_LIMIT = 20;
export const GLADIA_LIST_MAX_LIMIT = 100;

/** Gladia's status filter values → the job statuses they cover (a cancelled job shows as `error`). */
const STATUS_FILTERS: Record<string, readonly JobStatus[]> = {
  queued: ['queued'],
  processing: ['processing'],
  done: ['completed'],
  error: ['error', 'cancelled'],
};

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const METADATA_KEY_RE = /^custom_metadata\[(.+)\]$/;

export interface GladiaListQuery {
  offset: number;
  limit: number;
  /** The store query for one page, without offset and limit. */
  filters: Omit<JobListQuery, 'limit' | 'offset'>;
  /** The filters as query parameters in a stable order, to build `first`, `current` and `next`. */
  filterParams: [string, string][];
}

function integerParam(name: string, raw: string | undefined, fallback: number, min: number, max: number) {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new EarshotError('badRequest', `${name} must be an integer from ${min} to ${max}, got "${raw}"`, {
      param: name,
    });
  }
  return Number(raw);
}

function timeParam(name: string, raw: string): Date {
  const time = DAY_RE.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : Date.parse(raw);
  if (Number.isNaN(time)) {
    throw new EarshotError(
      'badRequest',
      `${name} must be an ISO date such as 2026-01-09 or 2026-01-09T12:00:00Z`,
      {
        param: name,
      },
    );
  }
  return new Date(time);
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) {
    throw new EarshotError('badRequest', `${name} was given more than once`, { param: name });
  }
  return values[0];
}

/** `custom_metadata={"k":"v"}` (Gladia's documented form): top-level scalar values, as strings. */
function metadataFromJson(raw: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new EarshotError(
      'badRequest',
      'custom_metadata must be a JSON object or custom_metadata[key]=value',
      {
        param: 'custom_metadata',
      },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EarshotError('badRequest', 'custom_metadata must be a JSON object', {
      param: 'custom_metadata',
    });
  }
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'object' && value !== null) {
      throw new EarshotError(
        'badRequest',
        `custom_metadata filter "${key}": only top-level string, number or boolean values can be filtered`,
        { param: 'custom_metadata' },
      );
    }
    entries.push([key, String(value)]);
  }
  return Object.fromEntries(entries);
}

/**
 * `GET /v2/pre-recorded` query parameters as Gladia's SDK sends them: `offset`, `limit`, `date`
 * (a UTC day), `before_date`, `after_date` (ISO times; before is exclusive, after inclusive),
 * `status` repeated, and `custom_metadata[key]=value` (or the JSON form). Anything else is refused
 * by name. `search` is the raw query string, so repeated and bracketed keys arrive as sent.
 */
export function parseGladiaListQuery(search: string): GladiaListQuery {
  const params = new URLSearchParams(search);
  const allowed = new Set([
    'offset',
    'limit',
    'date',
    'before_date',
    'after_date',
    'status',
    'custom_metadata',
  ]);
  for (const key of new Set(params.keys())) {
    if (!allowed.has(key) && !METADATA_KEY_RE.test(key)) {
      throw new EarshotError('unsupportedParameter', `Unknown query parameter: ${key}`, { param: key });
    }
  }
  const offset = integerParam('offset', single(params, 'offset'), 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = integerParam(
    'limit',
    single(params, 'limit'),
    GLADIA_LIST_DEFAULT_LIMIT,
    1,
    GLADIA_LIST_MAX_LIMIT,
  );
  const filters: GladiaListQuery['filters'] = {};
  const filterParams: [string, string][] = [];

  const date = single(params, 'date');
  if (date !== undefined) {
    // A day, or a time whose UTC day is meant.
    filters.createdOn = timeParam('date', date).toISOString().slice(0, 10);
    filterParams.push(['date', date]);
  }
  const before = single(params, 'before_date');
  if (before !== undefined) {
    filters.createdBefore = timeParam('before_date', before);
    filterParams.push(['before_date', before]);
  }
  const after = single(params, 'after_date');
  if (after !== undefined) {
    filters.createdFrom = timeParam('after_date', after);
    filterParams.push(['after_date', after]);
  }

  const statuses = params.getAll('status').flatMap((s) => s.split(',').map((v) => v.trim()));
  if (statuses.length > 0) {
    const unknown = statuses.find((s) => !(s in STATUS_FILTERS));
    if (unknown !== undefined) {
      throw new EarshotError(
        'badRequest',
        `status must be one of queued, processing, done, error, got "${unknown}"`,
        { param: 'status' },
      );
    }
    const unique = [...new Set(statuses)];
    filters.statuses = [...new Set(unique.flatMap((s) => STATUS_FILTERS[s] ?? []))];
    for (const s of unique) filterParams.push(['status', s]);
  }

  const metadata: Record<string, string> = {};
  const json = single(params, 'custom_metadata');
  if (json !== undefined) Object.assign(metadata, metadataFromJson(json));
  for (const [key, value] of params) {
    const match = METADATA_KEY_RE.exec(key);
    if (match) metadata[match[1]!] = value;
  }
  if (Object.keys(metadata).length > 0) {
    filters.metadata = metadata;
    for (const [key, value] of Object.entries(metadata))
      filterParams.push([`custom_metadata[${key}]`, value]);
  }
  return { offset, limit, filters, filterParams };
}

/** A page's URL: the same filters at another offset. */
export function gladiaListUrl(base: string, query: GladiaListQuery, offset: number): string {
  const params = new URLSearchParams([
    ['offset', String(offset)],
    ['limit', String(query.limit)],
    ...query.filterParams,
  ]);
  return `${base}/v2/pre-recorded?${params.toString()}`;
}
