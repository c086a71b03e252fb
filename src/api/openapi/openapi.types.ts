/**
 * The parts of the OpenAPI 3.1 object model this server's document uses. Schemas are JSON Schema
 * (draft 2020-12, OpenAPI 3.1's dialect), kept as plain JSON objects.
 */

/** A JSON Schema object; `{}` accepts anything. */
export type JsonSchema = { [keyword: string]: unknown };

/** The dialects this server speaks, plus its own endpoints; one tag each. */
export type DialectTag = 'AssemblyAI' | 'OpenAI' | 'Gladia' | 'Local' | 'Earshot' | 'Analyses';

export interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
  style?: 'form' | 'deepObject' | 'simple';
  explode?: boolean;
}

export interface EncodingObject {
  contentType?: string;
  style?: 'form';
  explode?: boolean;
}

export interface MediaTypeObject {
  schema: JsonSchema;
  encoding?: Record<string, EncodingObject>;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface HeaderObject {
  description?: string;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

/** `[{}]` in a requirement list means "no credentials" is one of the accepted options. */
export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: DialectTag[];
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  /** Keys are status codes (`"200"`) or `"default"`. */
  responses: Record<string, ResponseObject>;
  security?: SecurityRequirement[];
}

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

export type SecuritySchemeObject =
  | { type: 'apiKey'; name: string; in: 'header' | 'query'; description: string }
  | { type: 'http'; scheme: 'bearer'; description: string };

export interface TagObject {
  name: DialectTag;
  description: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    summary?: string;
    description?: string;
    license?: { name: string; identifier: string };
  };
  jsonSchemaDialect?: string;
  servers?: { url: string; description?: string }[];
  tags: TagObject[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecuritySchemeObject>;
  };
}

/** What one dialect contributes to the document. */
export interface DialectSpec {
  tag: TagObject;
  paths: Record<string, PathItemObject>;
  schemas: Record<string, JsonSchema>;
  securitySchemes?: Record<string, SecuritySchemeObject>;
}
