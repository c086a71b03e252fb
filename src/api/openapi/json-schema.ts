import { z } from 'zod';
import type { JsonSchema, MediaTypeObject, ParameterObject, ResponseObject } from './openapi.types.js';

/**
 * Building blocks for the document's schemas. Request schemas come from the surfaces' own zod
 * schemas (`fromZod`), so what is documented is what is parsed; response schemas are written
 * with the small constructors below, once per dialect.
 */

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/** Drops the ±2^53 bounds zod adds to every `.int()`: they say nothing a reader needs. */
function withoutSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSafeIntegerBounds);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonSchema = {};
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'minimum' || key === 'maximum') && SAFE_INTEGER_BOUNDS.has(inner as number)) continue;
    out[key] = withoutSafeIntegerBounds(inner);
  }
  return out;
}

export interface FromZodOptions {
  /**
   * Descriptions for the object's properties, by name. A name the schema does not have throws,
   * so a description cannot outlive the parameter it describes.
   */
  descriptions?: Readonly<Record<string, string>>;
  /** Extra properties the zod schema does not parse itself (checked by hand in the surface). */
  extraProperties?: Readonly<Record<string, JsonSchema>>;
  /** Overrides `additionalProperties` (e.g. `false` where unknown keys are refused by hand). */
  additionalProperties?: boolean;
}

/**
 * A surface's zod schema as the JSON Schema of what a client sends (`io: 'input'`: before
 * defaults and transforms). Checks zod cannot express (refinements) are not shown; the
 * descriptions say what they are.
 */
export function fromZod(schema: z.ZodType, options: FromZodOptions = {}): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  const { $schema: _dialect, ...rest } = withoutSafeIntegerBounds(generated) as JsonSchema;
  const out: JsonSchema = rest;
  const properties = out.properties as Record<string, JsonSchema> | undefined;
  if (options.extraProperties) {
    if (!properties) throw new Error('extraProperties need an object schema');
    for (const [name, extra] of Object.entries(options.extraProperties)) {
      if (name in properties) throw new Error(`extra property "${name}" is already in the schema`);
      properties[name] = extra;
    }
  }
  for (const [name, description] of Object.entries(options.descriptions ?? {})) {
    const property = properties?.[name];
    if (!property) throw new Error(`description for "${name}", which the schema does not have`);
    properties[name] = { description, ...property };
  }
  if (options.additionalProperties !== undefined) out.additionalProperties = options.additionalProperties;
  return out;
}

/**
 * Query parameters from an object schema made by `fromZod`: one per property, required as the
 * schema says. Form style, exploded: a list is the parameter repeated.
 */
export function queryParameters(schema: JsonSchema): ParameterObject[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      ...(required.has(name) && { required: true }),
      ...(typeof description === 'string' && { description }),
      schema: rest,
    };
  });
}

/** A path parameter (`{id}` in the path). */
export function pathParameter(
  name: string,
  description: string,
  schema: JsonSchema = string(),
): ParameterObject {
  return { name, in: 'path', required: true, description, schema };
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** `schema` or null. */
export function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string' && !('enum' in schema) && !('const' in schema)) {
    return { ...schema, type: [schema.type, 'null'] };
  }
  return { anyOf: [schema, { type: 'null' }] };
}

const described = (schema: JsonSchema, description?: string): JsonSchema =>
  description === undefined ? schema : { ...schema, description };

export const string = (description?: string): JsonSchema => described({ type: 'string' }, description);
export const integer = (description?: string): JsonSchema => described({ type: 'integer' }, description);
export const number = (description?: string): JsonSchema => described({ type: 'number' }, description);
export const boolean = (description?: string): JsonSchema => described({ type: 'boolean' }, description);
export const dateTime = (description?: string): JsonSchema =>
  described({ type: 'string', format: 'date-time' }, description);
export const uuid = (description?: string): JsonSchema =>
  described({ type: 'string', format: 'uuid' }, description);
export const uri = (description?: string): JsonSchema =>
  described({ type: 'string', format: 'uri' }, description);
export const arrayOf = (items: JsonSchema, description?: string): JsonSchema =>
  described({ type: 'array', items }, description);
export const enumOf = (values: readonly (string | number)[], description?: string): JsonSchema =>
  described({ type: typeof values[0] === 'number' ? 'integer' : 'string', enum: [...values] }, description);
/** A value this server always sends as it is (a feature it does not implement, say). */
export const constant = (value: string | number | boolean | null, description?: string): JsonSchema =>
  described(value === null ? { type: 'null' } : { const: value }, description);
/** An object whose keys the caller chose (echoed metadata, parameters): anything goes. */
export const freeObject = (description?: string): JsonSchema =>
  described({ type: 'object', additionalProperties: true }, description);

/**
 * An object with these properties, all present in every answer unless named in `optional`.
 * Extra properties are not forbidden in the document (clients should ignore what they do not
 * know), but the tests hold every answer to exactly these.
 */
export function object(
  properties: Record<string, JsonSchema>,
  options: { optional?: readonly string[]; description?: string } = {},
): JsonSchema {
  const optional = new Set(options.optional ?? []);
  for (const name of optional) {
    if (!(name in properties)) throw new Error(`optional property "${name}" is not a property`);
  }
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  return described(
    { type: 'object', properties, ...(required.length > 0 && { required }) },
    options.description,
  );
}

/**
 * A parameter the surface accepts only with its off value (false, null, empty), refusing anything
 * else by name: documented so a client that always sends it knows it is harmless.
 */
export const OFF_VALUE: JsonSchema = {
  anyOf: [
    { const: false },
    { type: 'null' },
    { const: '' },
    { type: 'array', maxItems: 0 },
    { type: 'object', maxProperties: 0 },
  ],
  description:
    'Not supported by this server: accepted only with its off value (false, null, empty); anything else is a 400 naming it.',
};

export const json = (schema: JsonSchema): Record<string, MediaTypeObject> => ({
  'application/json': { schema },
});

export function jsonResponse(description: string, schema: JsonSchema): ResponseObject {
  return { description, content: json(schema) };
}

/** What each error status means, the same in every dialect. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: a parameter is missing, malformed, unknown or not supported here',
  401: 'The API key is missing or wrong',
  403: 'Forbidden: a signed URL whose signature is wrong or expired',
  404: 'Not found',
  409: 'The job is not in a state that allows this',
  413: 'The body or file is larger than the limit',
  415: 'Unsupported Content-Type',
  429: 'Too many requests (when EARSHOT_RATE_LIMIT_PER_SECOND is set)',
  499: 'The client went away and the work was cancelled',
  500: 'Internal error (logged with the request id)',
  504: 'The job did not finish within EARSHOT_SYNC_TIMEOUT_MS',
};

/** Error answers of one dialect, all with its error body. */
export function errorResponses(
  errorSchema: string,
  statuses: readonly number[],
): Record<string, ResponseObject> {
  return Object.fromEntries(
    statuses.map((status) => {
      const description = ERROR_DESCRIPTIONS[status];
      if (!description) throw new Error(`no description for error status ${status}`);
      return [String(status), jsonResponse(description, ref(errorSchema))];
    }),
  );
}
