import { GLADIA_LIST_DEFAULT_LIMIT, GLADIA_LIST_MAX_LIMIT } from '../surfaces/gladia/gladia-list-query.js';
import { GLADIA_NOT_SUPPORTED, gladiaParamsSchema } from '../surfaces/gladia/gladia-params.js';
import {
  arrayOf,
  constant,
  dateTime,
  enumOf,
  errorResponses,
  freeObject,
  fromZod,
  integer,
  json,
  jsonResponse,
  nullable,
  number,
  OFF_VALUE,
  object,
  pathParameter,
  ref,
  string,
  uuid,
} from './json-schema.js';
import type { DialectSpec, OperationObject, ParameterObject, SecurityRequirement } from './openapi.types.js';

/** Gladia v2 pre-recorded: `x-gladia-key`, JSON in and out, times in seconds. */

export const GLADIA_SECURITY: SecurityRequirement[] = [{ gladiaKey: [] }];
const ERROR = 'GladiaError';

const PARAM_DESCRIPTIONS: Record<string, string> = {
  audio_url:
    'The audio: an `audio_url` from `POST /v2/upload`, or an http(s) URL this server fetches (private and loopback addresses are refused).',
  language_config:
    'One language is used as it is; several are the candidates detection chooses from; none leaves the model’s default.',
  diarization: 'Label who speaks when (integer speakers from 0).',
  diarization_config: 'Speaker count or bounds; read only with diarization.',
  custom_vocabulary:
    'true (with custom_vocabulary_config), or the list itself. Per-term intensity, pronunciations and language are refused.',
  custom_vocabulary_config: 'The vocabulary and its default intensity; read only with custom_vocabulary.',
  custom_spelling: 'Apply custom_spelling_config.',
  custom_spelling_config: 'Spelling → the words or phrases to replace with it.',
  sentences: 'Add sentences to the result.',
  subtitles: 'Add subtitles to the result.',
  subtitles_config: 'Subtitle formats and layout; read only with subtitles.',
  custom_metadata: 'Stored with the job, echoed, and filterable in lists (at most 2000 characters as JSON).',
  callback: 'Call callback_config.url when the job ends.',
  callback_config: 'Where and how to call back.',
  callback_url: 'Deprecated form of callback_config.url.',
  model:
    'Gladia’s names (`solaria-1`…) mean the server’s default model; a catalog model id picks that model.',
};

const word = object({ word: string(), start: number('s'), end: number('s'), confidence: number() });

const utterance = object(
  {
    start: number('s'),
    end: number('s'),
    confidence: number(),
    channel: integer('0 for a single mix'),
    speaker: integer('From 0; present when diarization was asked for'),
    words: arrayOf(ref('GladiaWord')),
    text: string(),
    language: nullable(string()),
  },
  { optional: ['speaker'] },
);

const addon = {
  success: constant(true),
  is_empty: { type: 'boolean' },
  exec_time: number(),
  error: constant(null),
};

const result = object(
  {
    metadata: object({
      audio_duration: number('s'),
      number_of_distinct_channels: integer(),
      billing_time: number('s'),
      transcription_time: number('s'),
    }),
    transcription: object(
      {
        full_transcript: string(),
        languages: arrayOf(string()),
        utterances: arrayOf(ref('GladiaUtterance')),
        sentences: arrayOf(
          object({ ...addon, results: arrayOf(string()) }),
          'With sentences: true (Gladia’s schema: the sentence texts)',
        ),
        subtitles: arrayOf(
          object({ format: enumOf(['srt', 'vtt']), subtitles: string() }),
          'With subtitles: true',
        ),
      },
      { optional: ['sentences', 'subtitles'] },
    ),
    sentences: object(
      {
        ...addon,
        results: arrayOf(
          object(
            {
              sentence: string(),
              start: number('s'),
              end: number('s'),
              words: arrayOf(ref('GladiaWord')),
              confidence: number(),
              language: nullable(string()),
              speaker: integer(),
              channel: integer(),
            },
            { optional: ['speaker'] },
          ),
        ),
      },
      { description: 'Deprecated detailed sentences (Gladia’s feature documentation); with sentences: true' },
    ),
  },
  { optional: ['sentences'] },
);

const job = object({
  id: uuid(),
  request_id: string(),
  version: constant(2),
  status: enumOf(['queued', 'processing', 'done', 'error']),
  created_at: dateTime(),
  completed_at: nullable(dateTime()),
  custom_metadata: nullable(freeObject()),
  error_code: nullable(integer('The HTTP status of the error that ended the job')),
  post_session_metadata: object(
    { error: string('Why the job failed') },
    { optional: ['error'], description: 'Earshot: the error message of a failed job' },
  ),
  kind: constant('pre-recorded'),
  file: object({
    id: string(),
    filename: nullable(string()),
    source: nullable(string('The caller’s audio_url, when fetched from it')),
    audio_duration: nullable(number('s')),
    number_of_channels: nullable(integer()),
  }),
  request_params: freeObject('The parameters as sent, with Gladia’s defaults filled in'),
  result: nullable(ref('GladiaResult')),
});

const listParameters: ParameterObject[] = [
  {
    name: 'offset',
    in: 'query',
    schema: { type: 'integer', minimum: 0, default: 0 },
  },
  {
    name: 'limit',
    in: 'query',
    schema: {
      type: 'integer',
      minimum: 1,
      maximum: GLADIA_LIST_MAX_LIMIT,
      default: GLADIA_LIST_DEFAULT_LIMIT,
    },
  },
  { name: 'date', in: 'query', description: 'Jobs created on this UTC day.', schema: string() },
  {
    name: 'before_date',
    in: 'query',
    description: 'Jobs created before this time (exclusive).',
    schema: string(),
  },
  {
    name: 'after_date',
    in: 'query',
    description: 'Jobs created at or after this time.',
    schema: string(),
  },
  {
    name: 'status',
    in: 'query',
    description: 'Repeat for several.',
    style: 'form',
    explode: true,
    schema: arrayOf(enumOf(['queued', 'processing', 'done', 'error'])),
  },
  {
    name: 'custom_metadata',
    in: 'query',
    description:
      '`custom_metadata[key]=value`: jobs whose metadata has that value (string compare). The JSON form `custom_metadata={"key":"value"}` works too.',
    style: 'deepObject',
    explode: true,
    schema: { type: 'object', additionalProperties: string() },
  },
];

const id = pathParameter('id', 'Job id', uuid());

function operation(op: Omit<OperationObject, 'tags' | 'security'>): OperationObject {
  return { ...op, tags: ['Gladia'], security: GLADIA_SECURITY };
}

export function gladiaSpec(): DialectSpec {
  return {
    tag: {
      name: 'Gladia',
      description:
        'Gladia’s v2 pre-recorded API, as `@gladiaio/sdk` calls it: `x-gladia-key`, JSON in and out, times in seconds, `{statusCode, message, request_id}` on failure.',
    },
    securitySchemes: {
      gladiaKey: {
        type: 'apiKey',
        in: 'header',
        name: 'x-gladia-key',
        description: 'The API key (EARSHOT_API_KEYS). Not needed when no keys are configured.',
      },
    },
    schemas: {
      GladiaError: object({
        timestamp: dateTime(),
        path: string(),
        request_id: string(),
        statusCode: integer(),
        message: string(),
      }),
      GladiaWord: word,
      GladiaUtterance: utterance,
      GladiaResult: result,
      GladiaJob: job,
      GladiaJobList: object({
        first: string(),
        current: string(),
        next: nullable(string('The next page, with the same filters')),
        items: arrayOf(ref('GladiaJob'), 'Newest first'),
      }),
      GladiaCreateResponse: object({ id: uuid(), result_url: string() }),
      GladiaUploadResponse: object({
        audio_url: string('Pass it back as `audio_url`'),
        audio_metadata: object(
          {
            id: uuid(),
            filename: string(),
            source: string('The URL it was fetched from (JSON uploads)'),
            extension: string(),
            size: integer('Bytes'),
            audio_duration: nullable(number('s')),
            number_of_channels: nullable(integer()),
          },
          { optional: ['source'] },
        ),
      }),
      GladiaPreRecordedParams: fromZod(gladiaParamsSchema, {
        descriptions: PARAM_DESCRIPTIONS,
        extraProperties: Object.fromEntries(GLADIA_NOT_SUPPORTED.map((name) => [name, OFF_VALUE])),
        additionalProperties: false,
      }),
    },
    paths: {
      '/v2/pre-recorded': {
        post: operation({
          operationId: 'gladiaCreatePreRecorded',
          summary: 'Create a pre-recorded transcription job',
          description:
            'Unknown parameters, and ones this server does not implement with a value other than off, are a 400.',
          requestBody: { required: true, content: json(ref('GladiaPreRecordedParams')) },
          responses: {
            '201': jsonResponse('The job was created', ref('GladiaCreateResponse')),
            ...errorResponses(ERROR, [400, 401, 415, 429, 500]),
          },
        }),
        get: operation({
          operationId: 'gladiaListPreRecorded',
          summary: 'List pre-recorded jobs, newest first',
          parameters: listParameters,
          responses: {
            '200': jsonResponse('A page of jobs', ref('GladiaJobList')),
            ...errorResponses(ERROR, [400, 401, 429, 500]),
          },
        }),
      },
      '/v2/pre-recorded/{id}': {
        get: operation({
          operationId: 'gladiaGetPreRecorded',
          summary: 'Get a job',
          description: 'Poll until `status` is `done` or `error`.',
          parameters: [id],
          responses: {
            '200': jsonResponse('The job', ref('GladiaJob')),
            ...errorResponses(ERROR, [401, 404, 429, 500]),
          },
        }),
        delete: operation({
          operationId: 'gladiaDeletePreRecorded',
          summary: 'Delete a job, its result and its audio',
          parameters: [id],
          responses: {
            '202': { description: 'Deleted (no body)' },
            ...errorResponses(ERROR, [401, 404, 429, 500]),
          },
        }),
      },
      '/v2/pre-recorded/{id}/file': {
        get: operation({
          operationId: 'gladiaGetPreRecordedFile',
          summary: 'Download the job’s audio',
          parameters: [id],
          responses: {
            '200': {
              description: 'The uploaded file, with its own content type',
              // Served with the upload's own type (`audio/flac`…), or one guessed from its name.
              content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
            },
            '302': {
              description: 'The audio was fetched from the caller’s URL and not kept: that URL',
              headers: { location: { schema: string() } },
            },
            ...errorResponses(ERROR, [401, 404, 429, 500]),
          },
        }),
      },
    },
  };
}
