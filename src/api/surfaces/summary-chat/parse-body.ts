import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';

/**
 * The JSON body of a request as an object, or the local API's 4xx: a body that is not JSON is a
 * 415, a JSON value that is not an object a 400. (Malformed JSON is refused by the body parser.)
 */
export function jsonObjectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null) {
    if (Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding']) {
      throw new EarshotError(
        'unsupportedMediaType',
        'Send the fields as JSON (Content-Type: application/json)',
      );
    }
    throw new EarshotError('badRequest', 'The body must be a JSON object');
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new EarshotError('badRequest', 'The body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** `["messages", 2, "role"]` → `messages[2].role`: the field as a caller would write it. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

/**
 * Validates fields against a strict schema. Top-level nulls mean "not given", as Pydantic clients
 * send every optional field. The first problem becomes a 400 that names the field.
 */
export function parseFields<T extends z.ZodType>(schema: T, fields: Record<string, unknown>): z.infer<T> {
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? `${fieldPath(issue.path)}.` : '';
    throw new EarshotError(
      'unsupportedParameter',
      `Unknown field: ${issue.keys.map((k) => where + k).join(', ')}`,
      {
        param: where + issue.keys[0],
      },
    );
  }
  const param = issue.path.length > 0 ? fieldPath(issue.path) : 'body';
  const missing = issue.path.length === 1 && !Object.hasOwn(given, String(issue.path[0]));
  throw new EarshotError('badRequest', `${param}: ${missing ? 'is required' : issue.message}`, { param });
}
