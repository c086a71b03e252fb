import { EarshotError } from '../../../domain/errors.js';
import type { JobStatus } from '../../../domain/job.js';
import type { JobListQuery } from '../../../store/metadata.store.js';
import { type AnalysisStatus, ANALYSIS_STATUS } from './analyses.renderer.js';
import { PARTNER_FIELDS } from './analyses-params.js';

export const LIST_DEFAULT_LIMIT = 20;
export const LIST_MAX_LIMIT = 100;

export interface AnalysesListQuery {
  limit: number;
  offset: number;
  filters: Omit<JobListQuery, 'limit' | 'offset'>;
}

const STATUSES = Object.entries(ANALYSIS_STATUS) as [JobStatus, AnalysisStatus][];

function integer(name: string, raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new EarshotError('badRequest', `${name} must be an integer from ${min} to ${max}, got "${raw}"`, {
      param: name,
    });
  }
  return Number(raw);
}

/**
 * `GET /v1/analyses` query: `limit` (1–100, default 20), `offset`, `status` (comma-separated or
 * repeated), and the partner ids, matched exactly. Anything else is refused by name.
 */
export function parseAnalysesListQuery(search: string): AnalysesListQuery {
  const params = new URLSearchParams(search);
  const allowed = new Set<string>(['limit', 'offset', 'status', ...PARTNER_FIELDS]);
  for (const key of params.keys()) {
    if (!allowed.has(key)) {
      throw new EarshotError('unsupportedParameter', `Unknown query parameter: ${key}`, { param: key });
    }
    if (key !== 'status' && params.getAll(key).length > 1) {
      throw new EarshotError('badRequest', `${key} was given more than once`, { param: key });
    }
  }
  const filters: AnalysesListQuery['filters'] = {};
  const statuses = params.getAll('status').flatMap((s) => s.split(',').map((v) => v.trim()));
  if (statuses.length > 0) {
    const known = new Set(STATUSES.map(([, status]) => status as string));
    const unknown = statuses.find((s) => !known.has(s));
    if (unknown !== undefined) {
      throw new EarshotError(
        'badRequest',
        `status must be one of ${[...known].join(', ')}, got "${unknown}"`,
        { param: 'status' },
      );
    }
    filters.statuses = STATUSES.filter(([, status]) => statuses.includes(status)).map(([job]) => job);
  }
  const metadata: Record<string, string> = {};
  for (const field of PARTNER_FIELDS) {
    const value = params.get(field);
    if (value !== null) metadata[field] = value;
  }
  if (Object.keys(metadata).length > 0) filters.metadata = metadata;
  return {
    limit: integer('limit', params.get('limit'), LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT),
    offset: integer('offset', params.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER),
    filters,
  };
}
