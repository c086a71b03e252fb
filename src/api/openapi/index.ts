export { buildOpenApiDocument, type OpenApiOptions } from './openapi.document.js';
export type { DialectTag, JsonSchema, OpenApiDocument, OperationObject } from './openapi.types.js';
