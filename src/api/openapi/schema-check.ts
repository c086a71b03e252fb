import type { JsonSchema } from './openapi.types.js';

/**
 * A small checker for the JSON Schema keywords this server's document uses, so tests can hold real
 * answers to the document without a validator dependency. Not a general validator: keywords it
 * does not know are ignored, which the tests keep honest by using only these.
 */

/** Resolves a local `$ref` (`#/components/schemas/Name`) in `root`; throws when it points nowhere. */
export function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local reference: ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) {
      throw new Error(`unresolved reference: ${ref}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Every `$ref` value anywhere in `value`, with where it was found. */
export function collectRefs(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => collectRefs(item, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string'
      ? [{ ref: inner, at }]
      : collectRefs(inner, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
  );
}

export interface CheckOptions {
  /** The document `$ref`s resolve in. */
  root: unknown;
  /**
   * Treat objects with `properties` but no `additionalProperties` as closed: an answer may carry
   * no field the document does not name.
   */
  strict?: boolean;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeOf(value) === type;
  }
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};

/** Problems with `value` against `schema`, each as `<path>: <what>`; empty when it conforms. */
export function checkValue(schema: JsonSchema, value: unknown, options: CheckOptions, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    return checkValue(resolveRef(options.root, schema.$ref) as JsonSchema, value, options, at);
  }
  const problems: string[] = [];
  const fail = (what: string): void => void problems.push(`${at}: ${what}`);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => hasType(value, type))) {
      fail(`expected ${types.join(' or ')}, got ${typeOf(value)} ${JSON.stringify(value)?.slice(0, 60)}`);
      return problems;
    }
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    fail(`expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as JsonSchema[]).map((s) => checkValue(s, value, options, at));
    if (!branches.some((p) => p.length === 0)) fail(`matches no anyOf branch: ${branches.flat().join('; ')}`);
  }
  if (Array.isArray(schema.oneOf)) {
    const branches = (schema.oneOf as JsonSchema[]).map((s) => checkValue(s, value, options, at));
    const matching = branches.filter((p) => p.length === 0).length;
    if (matching !== 1) fail(`matches ${matching} oneOf branches: ${branches.flat().join('; ')}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`${value} < ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`${value} > ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      fail(`"${value}" does not match ${schema.pattern}`);
    }
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value)) fail(`"${value}" is not a ${String(schema.format)}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      fail(`fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      fail(`more than ${schema.maxItems} items`);
    if (typeof schema.items === 'object' && schema.items !== null) {
      value.forEach((item, i) =>
        problems.push(...checkValue(schema.items as JsonSchema, item, options, `${at}[${i}]`)),
      );
    }
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!Object.hasOwn(record, name)) fail(`missing required property "${name}"`);
    }
    if (typeof schema.maxProperties === 'number' && Object.keys(record).length > schema.maxProperties) {
      fail(`more than ${schema.maxProperties} properties`);
    }
    const closed =
      schema.additionalProperties === false ||
      (options.strict === true &&
        schema.properties !== undefined &&
        schema.additionalProperties === undefined);
    for (const [name, inner] of Object.entries(record)) {
      const where = `${at}.${name}`;
      const property = properties[name];
      if (property) problems.push(...checkValue(property, inner, options, where));
      else if (closed) fail(`property "${name}" is not in the document`);
      else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
        problems.push(...checkValue(schema.additionalProperties as JsonSchema, inner, options, where));
      }
    }
  }
  return problems;
}
