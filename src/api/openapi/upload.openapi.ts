import { gladiaJsonUploadSchema } from '../surfaces/gladia/gladia.routes.js';
import { ASSEMBLYAI_SECURITY } from './assemblyai.openapi.js';
import { GLADIA_SECURITY } from './gladia.openapi.js';
import { fromZod, json, jsonResponse, ref } from './json-schema.js';
import type { PathItemObject, ResponseObject } from './openapi.types.js';

/**
 * `POST /v2/upload` is the same path in AssemblyAI's and Gladia's APIs (src/api/surfaces/
 * upload.routes.ts): multipart, or an `x-gladia-key` header, makes it Gladia's; anything else is
 * AssemblyAI's raw-body upload. Errors take the shape of the dialect the request was taken for.
 */

const eitherError = (description: string): ResponseObject => ({
  description,
  content: json({ oneOf: [ref('AssemblyAIError'), ref('GladiaError')] }),
});

export function uploadPaths(): Record<string, PathItemObject> {
  return {
    '/v2/upload': {
      post: {
        operationId: 'uploadAudio',
        summary: 'Upload an audio file (AssemblyAI and Gladia)',
        description:
          'AssemblyAI: the raw file is the body (any Content-Type but multipart; chunked bodies are fine); the answer is `{upload_url}`. ' +
          'Gladia: multipart/form-data with the file in the field `audio`, or JSON `{audio_url}` to fetch; the file is probed at once and something that is not audio is a 400; the answer is `{audio_url, audio_metadata}`. ' +
          'Either URL can be passed back as `audio_url` to create a transcript.',
        tags: ['AssemblyAI', 'Gladia'],
        security: [...ASSEMBLYAI_SECURITY, ...GLADIA_SECURITY],
        requestBody: {
          required: true,
          content: {
            'application/octet-stream': {
              schema: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' },
            },
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  audio: {
                    type: 'string',
                    format: 'binary',
                    contentMediaType: 'application/octet-stream',
                    description: 'The audio or video file (Gladia)',
                  },
                },
                required: ['audio'],
              },
            },
            'application/json': { schema: fromZod(gladiaJsonUploadSchema) },
          },
        },
        responses: {
          '200': jsonResponse('The stored upload', {
            oneOf: [ref('AssemblyAIUploadResponse'), ref('GladiaUploadResponse')],
          }),
          '400': eitherError('The upload is empty, not audio (Gladia), or its URL was refused'),
          '401': eitherError('The API key is missing or wrong'),
          '413': eitherError('The file is larger than EARSHOT_MAX_UPLOAD_BYTES'),
          '415': eitherError('Unsupported Content-Type (Gladia)'),
          '429': eitherError('Too many requests (when EARSHOT_RATE_LIMIT_PER_SECOND is set)'),
          '500': eitherError('Internal error (logged with the request id)'),
        },
      },
    },
  };
}
