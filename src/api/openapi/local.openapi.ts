import { JOB_STATUSES } from '../../domain/job.js';
import {
  clipFieldsSchema,
  rangeFieldsSchema,
  transcribeFieldsSchema,
} from '../surfaces/local/local-params.js';
import {
  localJobsQuerySchema,
  localLiveQuerySchema,
  localNoQuerySchema,
} from '../surfaces/local/local.routes.js';
import {
  arrayOf,
  boolean,
  constant,
  enumOf,
  errorResponses,
  fromZod,
  integer,
  json,
  jsonResponse,
  nullable,
  number,
  object,
  pathParameter,
  queryParameters,
  ref,
  string,
  uuid,
} from './json-schema.js';
import type {
  DialectSpec,
  HeaderObject,
  JsonSchema,
  OperationObject,
  ResponseObject,
  SecurityRequirement,
} from './openapi.types.js';

/**
 * The local transcription API (`/api/transcribe`, `/api/retranslate`): multipart uploads, polling
 * by job id, a live WebSocket, FastAPI-style `{"detail": "…"}` errors, times in seconds.
 */

export const LOCAL_SECURITY: SecurityRequirement[] = [{ localKey: [] }];
const ERROR = 'LocalError';

/**
 * Every answer of the local API family carries these (src/api/surfaces/local/local-headers.ts):
 * `/api/transcribe`, `/api/summary`, `/api/chat` and `/analyze`.
 */
export const LOCAL_RESPONSE_HEADERS: Record<string, HeaderObject> = {
  'X-Request-ID': { description: 'The request id Earshot logs', schema: string() },
  'X-Process-Time-Ms': { description: 'Time spent on the request', schema: string() },
};

const withHeaders = (responses: Record<string, ResponseObject>): Record<string, ResponseObject> =>
  Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      { ...response, headers: LOCAL_RESPONSE_HEADERS },
    ]),
  );

const FIELD_DESCRIPTIONS: Record<string, string> = {
  model_name:
    'A catalog model id, its `full_name`, or a Whisper name such as `tiny.en`; absent: the server’s default.',
  language: 'A language code such as `en`, or `auto` to detect it.',
};

const TRANSCRIBE_DESCRIPTIONS: Record<string, string> = {
  ...FIELD_DESCRIPTIONS,
  diarize: 'Label speakers. Default true; FastAPI booleans (true/false, 1/0, yes/no, on/off).',
};

const file: JsonSchema = {
  type: 'string',
  format: 'binary',
  contentMediaType: 'application/octet-stream',
  description: 'The audio or video file; something ffprobe does not read as audio is a 400.',
};

/** A zod field schema as a multipart form with a file. */
function formWithFile(fields: JsonSchema, fileDescription?: string): JsonSchema {
  const properties = (fields.properties ?? {}) as Record<string, JsonSchema>;
  return {
    ...fields,
    properties: { file: fileDescription ? { ...file, description: fileDescription } : file, ...properties },
    required: ['file', ...((fields.required ?? []) as string[])],
  };
}

const status = enumOf(
  ['processing', 'completed', 'failed'],
  '`queued` shows as processing, `cancelled` as failed',
);

const statusBody = object({
  job_id: uuid(),
  status,
  message: string(),
  progress: integer('0–100'),
  updated_at: number('Unix seconds'),
  stage: string('Earshot’s stage: queued, decode, transcribe, diarize…'),
});

const segment = object({
  id: string('Stable within the result (`seg-1`…); usable as a retranslate segment_id'),
  start: number('s'),
  end: number('s'),
  text: string(),
  speaker: nullable(string('`SPEAKER_1`…; null without diarization')),
  speaker_confidence: constant(null, 'Always null: diarization gives no per-turn confidence'),
  start_display: string('HH:MM:SS.mmm'),
  end_display: string('HH:MM:SS.mmm'),
});

const chunkInfo = object({
  current_chunk: integer(),
  total_chunks: integer(),
  chunk_progress: integer('0–100'),
});

const debug = object({
  job_id: uuid(),
  status,
  earshot_status: enumOf(JOB_STATUSES),
  stage: nullable(string()),
  progress: integer(),
  message: string(),
  chunk_info: ref('LocalChunkInfo'),
  cached_segments: integer('Partial results published so far'),
  cached_words: integer(),
  latest_time: nullable(number('s')),
  latest_time_display: nullable(string()),
  audio_duration: nullable(number('s')),
  model: nullable(string()),
  diarize: boolean(),
  language: nullable(string()),
  error: nullable(string()),
  error_code: nullable(string()),
  surface: string('The dialect that created the job'),
  created_at: number('Unix seconds'),
  started_at: nullable(number('Unix seconds')),
  completed_at: nullable(number('Unix seconds')),
  updated_at: number('Unix seconds'),
});

const jobId = pathParameter('job_id', 'Job id', uuid());
const noQuery = queryParameters(fromZod(localNoQuerySchema));

/** An operation of the local API family: tag Local, its keys, and its headers on every answer. */
export function localOperation(op: Omit<OperationObject, 'tags' | 'security'>): OperationObject {
  return { ...op, tags: ['Local'], security: LOCAL_SECURITY, responses: withHeaders(op.responses) };
}

const operation = localOperation;

function transcribe(operationId: string, summary: string): OperationObject {
  return operation({
    operationId,
    summary,
    parameters: noQuery,
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: formWithFile(fromZod(transcribeFieldsSchema, { descriptions: TRANSCRIBE_DESCRIPTIONS })),
        },
      },
    },
    responses: {
      '200': jsonResponse('The job was started', ref('LocalTranscribeStarted')),
      ...errorResponses(ERROR, [400, 401, 413, 415, 429, 500]),
    },
  });
}

const retranslation = object({
  segment_id: string(),
  text: string(),
  confidence: nullable(number()),
  speaker: nullable(string('The speaker who talks most in the range, from the original job')),
  model_used: string(),
});

/** `segment-from-full` takes `job_id` in the query (as the seed documents) or in the body. */
function rangeBody(): JsonSchema {
  const schema = fromZod(rangeFieldsSchema, {
    descriptions: {
      ...FIELD_DESCRIPTIONS,
      job_id: 'The job whose stored audio to cut (or in the query).',
      start_time: 'Start of the range, in seconds.',
      end_time: 'End of the range, in seconds; greater than start_time.',
    },
  });
  return { ...schema, required: ((schema.required ?? []) as string[]).filter((name) => name !== 'job_id') };
}

export function localSpec(): DialectSpec {
  return {
    tag: {
      name: 'Local',
      description:
        'The local transcription API (`/api/transcribe`) of a popular local Whisper web service: multipart uploads, polling by job id, a live WebSocket, `{"detail": "…"}` errors. Times are seconds, speakers `SPEAKER_1`…',
    },
    securitySchemes: {
      localKey: {
        type: 'http',
        scheme: 'bearer',
        description:
          '`Authorization: Bearer <key>` or the raw key (EARSHOT_API_KEYS). Not needed when no keys are configured.',
      },
      localToken: {
        type: 'apiKey',
        in: 'query',
        name: 'token',
        description:
          'The API key in the live WebSocket’s URL (browsers cannot set headers there); `api_key` works too.',
      },
    },
    schemas: {
      LocalError: object({ detail: string() }),
      LocalTranscribeStarted: object({
        job_id: uuid(),
        status: constant('processing'),
        message: string(),
      }),
      LocalStatus: statusBody,
      LocalNotFoundStatus: object({
        job_id: string(),
        status: constant('not_found'),
        message: string(),
        progress: constant(0),
        updated_at: number('Unix seconds'),
        detail: string(),
      }),
      LocalSegment: segment,
      LocalResult: object({
        segments: arrayOf(ref('LocalSegment')),
        text: string(),
        language: nullable(string()),
        audio_duration: number('s'),
      }),
      LocalJobList: object({
        jobs: arrayOf(
          object({
            job_id: uuid(),
            status,
            progress: integer(),
            updated_at: number('Unix seconds'),
            message: string(),
            filename: nullable(string()),
            created_at: number('Unix seconds'),
          }),
          'Newest first',
        ),
        count: integer(),
      }),
      LocalModelList: object({
        models: arrayOf(
          object({
            name: string('Catalog model id'),
            full_name: string('`<runtime>/<id>`'),
            is_downloaded: boolean(),
            size_mb: nullable(number()),
            description: string(),
          }),
        ),
      }),
      LocalChunkInfo: chunkInfo,
      LocalDebug: debug,
      LocalRetranslation: retranslation,
      LocalServiceInfo: object({
        name: string(),
        version: string(),
        description: string(),
        endpoints: { type: 'object', additionalProperties: string(), description: 'Name → path' },
      }),
    },
    paths: {
      '/': {
        get: {
          ...operation({
            operationId: 'localServiceInfo',
            summary: 'Service name, version and endpoints',
            responses: { '200': jsonResponse('Service metadata', ref('LocalServiceInfo')) },
          }),
          security: [],
        },
      },
      '/api/transcribe/': {
        post: transcribe('localTranscribe', 'Upload audio and start a transcription job'),
      },
      '/api/transcribe': {
        post: transcribe('localTranscribeNoSlash', 'Same as `POST /api/transcribe/`'),
      },
      '/api/transcribe/models': {
        get: operation({
          operationId: 'localListModels',
          summary: 'Speech recognition models in the catalog and whether they are installed',
          parameters: noQuery,
          responses: {
            '200': jsonResponse('The models', ref('LocalModelList')),
            ...errorResponses(ERROR, [400, 401, 429, 500]),
          },
        }),
      },
      '/api/transcribe/jobs': {
        get: operation({
          operationId: 'localListJobs',
          summary: 'Recent jobs of this API',
          parameters: queryParameters(fromZod(localJobsQuerySchema)),
          responses: {
            '200': jsonResponse('The jobs', ref('LocalJobList')),
            ...errorResponses(ERROR, [400, 401, 429, 500]),
          },
        }),
      },
      '/api/transcribe/status/{job_id}': {
        get: operation({
          operationId: 'localGetStatus',
          summary: 'A job’s status and progress',
          parameters: [jobId, ...noQuery],
          responses: {
            '200': jsonResponse('The status', ref('LocalStatus')),
            '404': jsonResponse('No such job (or it was deleted)', ref('LocalNotFoundStatus')),
            ...errorResponses(ERROR, [400, 401, 429, 500]),
          },
        }),
      },
      '/api/transcribe/result/{job_id}': {
        get: operation({
          operationId: 'localGetResult',
          summary: 'A finished job’s transcript',
          description:
            'A job still running is a 409; a failed one answers its own error (a 4xx for bad input, else 500).',
          parameters: [jobId, ...noQuery],
          responses: {
            '200': jsonResponse('The transcript', ref('LocalResult')),
            ...errorResponses(ERROR, [400, 401, 404, 409, 429, 500]),
          },
        }),
      },
      '/api/transcribe/debug/{job_id}': {
        get: operation({
          operationId: 'localGetDebug',
          summary: 'What an operator needs to see why a job looks stuck',
          parameters: [jobId, ...noQuery],
          responses: {
            '200': jsonResponse('Job internals', ref('LocalDebug')),
            ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
          },
        }),
      },
      '/api/transcribe/live/{job_id}': {
        get: {
          ...operation({
            operationId: 'localFollowJobLive',
            summary: 'WebSocket: follow a job as it runs',
            description:
              'Upgrade to a WebSocket. The server sends JSON text frames with a `type`: `status` (the status body plus `chunk_info`) on connect and on every change; `segment` for each sentence of each transcribed chunk (provisional, without speakers); then `result` (the result body) or `error` `{detail}`, and closes with 1000. An unknown job gets `status` not_found and `error`, then close code 4404. Frames from the client are ignored.',
            parameters: [jobId, ...queryParameters(fromZod(localLiveQuerySchema))],
            responses: {
              '101': { description: 'Switching to the WebSocket protocol' },
              ...errorResponses(ERROR, [400, 401, 429, 500]),
            },
          }),
          security: [...LOCAL_SECURITY, { localToken: [] }],
        },
      },
      '/api/retranslate/segment': {
        post: operation({
          operationId: 'localRetranslateSegment',
          summary: 'Transcribe a clip again (say, with another model)',
          description: 'Waits for the result; the clip and its text are deleted once answered.',
          parameters: noQuery,
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: formWithFile(
                  fromZod(clipFieldsSchema, {
                    descriptions: {
                      ...FIELD_DESCRIPTIONS,
                      segment_id: 'The segment being replaced; echoed back.',
                      start_time: 'Where the clip starts on the original audio, in seconds (informative).',
                      end_time: 'Where the clip ends on the original audio, in seconds (informative).',
                    },
                  }),
                  'The clip to transcribe',
                ),
              },
            },
          },
          responses: {
            '200': jsonResponse('The new text', ref('LocalRetranslation')),
            ...errorResponses(ERROR, [400, 401, 409, 413, 415, 429, 499, 500, 504]),
          },
        }),
      },
      '/api/retranslate/segment-from-full': {
        post: operation({
          operationId: 'localRetranslateRange',
          summary: 'Transcribe a range of an earlier job’s audio again',
          description:
            'The fields may come as JSON, as a multipart form, or as query parameters; a field given in two places must say the same thing. Waits for the result.',
          parameters: [
            {
              name: 'job_id',
              in: 'query',
              description: 'The job whose stored audio to cut (or in the body).',
              schema: string(),
            },
          ],
          requestBody: {
            required: false,
            content: { ...json(rangeBody()), 'multipart/form-data': { schema: rangeBody() } },
          },
          responses: {
            '200': jsonResponse('The new text', ref('LocalRetranslation')),
            ...errorResponses(ERROR, [400, 401, 404, 409, 415, 429, 499, 500, 504]),
          },
        }),
      },
    },
  };
}
