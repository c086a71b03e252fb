import { ErrorCodes } from '../../domain/errors.js';
import {
  arrayOf,
  constant,
  enumOf,
  errorResponses,
  integer,
  jsonResponse,
  object,
  ref,
  string,
} from './json-schema.js';
import type { DialectSpec } from './openapi.types.js';

/** Earshot's own endpoints: health and this documentation. Public: they reveal nothing private. */

export function earshotSpec(): DialectSpec {
  return {
    tag: { name: 'Earshot', description: 'The server itself: health and this documentation.' },
    schemas: {
      EarshotError: object({
        error: object(
          { code: enumOf(Object.keys(ErrorCodes)), message: string(), param: string() },
          { optional: ['param'] },
        ),
        request_id: string(),
      }),
      Health: object({
        status: constant('ok'),
        version: string(),
        queue: object({ ready: integer(), leased: integer(), failed: integer() }),
        models: object({ installed: arrayOf(string('Catalog model id')) }),
      }),
    },
    paths: {
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness, version, queue counts and installed models',
          tags: ['Earshot'],
          security: [],
          responses: {
            '200': jsonResponse('The server is up', ref('Health')),
            ...errorResponses('EarshotError', [500]),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapiDocument',
          summary: 'This OpenAPI document',
          tags: ['Earshot'],
          security: [],
          responses: {
            '200': jsonResponse('OpenAPI 3.1', { type: 'object', additionalProperties: true }),
            ...errorResponses('EarshotError', [429]),
          },
        },
      },
      '/docs': {
        get: {
          operationId: 'docs',
          summary: 'Interactive documentation (Swagger UI), served by this server',
          tags: ['Earshot'],
          security: [],
          responses: {
            '200': { description: 'An HTML page', content: { 'text/html': { schema: string() } } },
            ...errorResponses('EarshotError', [429]),
          },
        },
      },
    },
  };
}
