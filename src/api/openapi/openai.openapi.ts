import { RESPONSE_FORMATS } from '../surfaces/openai/audio-params.js';
import { OPENAI_MODEL_NAMES } from '../surfaces/openai/openai-models.js';
import {
  arrayOf,
  constant,
  enumOf,
  errorResponses,
  integer,
  jsonResponse,
  nullable,
  number,
  object,
  pathParameter,
  ref,
  string,
} from './json-schema.js';
import type {
  DialectSpec,
  EncodingObject,
  JsonSchema,
  OperationObject,
  ResponseObject,
  SecurityRequirement,
} from './openapi.types.js';

/**
 * OpenAI's audio API: `Bearer` key, multipart form in, the transcript in the requested
 * `response_format` out. The surface parses its form by hand (no zod schema), so the form is
 * written here; `openai.openapi.test.ts` feeds every documented field to the surface's parser to
 * hold the two together.
 */

export const OPENAI_SECURITY: SecurityRequirement[] = [{ openaiBearer: [] }];
const ERROR = 'OpenAIError';

const MODEL_NAMES = [...Object.keys(OPENAI_MODEL_NAMES), 'best', 'nano'];
const TRANSLATION_FORMATS = RESPONSE_FORMATS.filter((format) => format !== 'diarized_json');

const NOT_SUPPORTED = (what: string): JsonSchema => ({
  type: 'array',
  items: string(),
  maxItems: 0,
  description: `Not supported by this server (${what}): any value is a 400.`,
});

/** Form fields both endpoints take. */
const commonFields: Record<string, JsonSchema> = {
  file: {
    type: 'string',
    format: 'binary',
    contentMediaType: 'application/octet-stream',
    description: 'The audio or video file; the openai SDK may send it first and chunked.',
  },
  model: {
    type: 'string',
    examples: MODEL_NAMES,
    description:
      'OpenAI’s names run the server’s default model (the `mini` ones the fastest installed); `best`, `nano` or a catalog model id (see `GET /v1/models`) pick one.',
  },
  prompt: string(
    'Used as key terms (split at commas, semicolons and new lines), for models that take hints.',
  ),
  temperature: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    description: 'Decoding here is greedy: only 0 (or leaving it out) is accepted.',
  },
};

const transcriptionForm = object(
  {
    ...commonFields,
    language: {
      type: 'string',
      pattern: '^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,4})?$',
      description: 'ISO-639-1 code such as `en`; absent: detected where the model can.',
    },
    response_format: { ...enumOf(RESPONSE_FORMATS), default: 'json' },
    'timestamp_granularities[]': arrayOf(
      enumOf(['word', 'segment']),
      'With verbose_json: `word` adds words, `segment` (or none) segments.',
    ),
    'include[]': NOT_SUPPORTED('logprobs: the engines do not report token log probabilities'),
    chunking_strategy: {
      type: 'string',
      enum: ['auto'],
      description:
        '`auto`, or `chunking_strategy[type]=server_vad` without tuning fields: both are what the server does anyway.',
    },
    stream: {
      type: 'boolean',
      default: false,
      description: 'Server-sent events as the transcript grows (json and text formats only).',
    },
    'known_speaker_names[]': NOT_SUPPORTED('speakers are not matched to reference recordings'),
    'known_speaker_references[]': NOT_SUPPORTED('speakers are not matched to reference recordings'),
  },
  {
    optional: [
      'prompt',
      'temperature',
      'language',
      'response_format',
      'timestamp_granularities[]',
      'include[]',
      'chunking_strategy',
      'stream',
      'known_speaker_names[]',
      'known_speaker_references[]',
    ],
  },
);

const translationForm = object(
  { ...commonFields, response_format: { ...enumOf(TRANSLATION_FORMATS), default: 'json' } },
  { optional: ['prompt', 'temperature', 'response_format'] },
);

const arrayEncoding = (names: readonly string[]): Record<string, EncodingObject> =>
  Object.fromEntries(names.map((name) => [name, { style: 'form', explode: true }]));

const usage = object({ type: constant('duration'), seconds: integer('Whole seconds, rounded up') });

const segment = object({
  id: integer(),
  seek: integer('Start in 10 ms frames'),
  start: number('s'),
  end: number('s'),
  text: string(),
  tokens: arrayOf(integer(), 'Always empty: the engines expose no Whisper token ids'),
  temperature: number(),
  avg_logprob: number(),
  compression_ratio: number(),
  no_speech_prob: number(),
});

const verbose = object(
  {
    task: enumOf(['transcribe', 'translate']),
    language: string('Language name, such as `english`'),
    duration: number('s'),
    text: string(),
    segments: arrayOf(ref('OpenAISegment'), 'With granularity `segment`, or none'),
    words: arrayOf(
      object({ word: string(), start: number('s'), end: number('s') }),
      'With granularity `word`',
    ),
    usage: ref('OpenAIUsage'),
  },
  { optional: ['segments', 'words', 'usage'] },
);

const diarized = object({
  task: constant('transcribe'),
  duration: number('s'),
  text: string(),
  segments: arrayOf(
    object({
      type: constant('transcript.text.segment'),
      id: string(),
      start: number('s'),
      end: number('s'),
      text: string(),
      speaker: string('`A`, `B`, …'),
    }),
  ),
  usage: ref('OpenAIUsage'),
});

function audioResponses(translation: boolean): Record<string, ResponseObject> {
  const jsonBodies = translation
    ? [ref('OpenAITranslation'), ref('OpenAIVerboseTranscription')]
    : [ref('OpenAITranscription'), ref('OpenAIVerboseTranscription'), ref('OpenAIDiarizedTranscription')];
  return {
    '200': {
      description:
        'The transcript in `response_format`: json, verbose_json and diarized_json as JSON; text, srt and vtt as text/plain' +
        (translation ? '.' : '; with stream=true, server-sent events.'),
      content: {
        'application/json': { schema: { anyOf: jsonBodies } },
        'text/plain': { schema: string() },
        ...(!translation && {
          'text/event-stream': {
            schema: string(
              '`data: {"type":"transcript.text.delta","delta":…}` events, then `transcript.text.done` with `text`; a failure after the first event arrives as `data: {"error":{…}}`.',
            ),
          },
        }),
      },
    },
    ...errorResponses(ERROR, [400, 401, 413, 415, 429, 499, 500, 504]),
  };
}

function operation(op: Omit<OperationObject, 'tags' | 'security'>): OperationObject {
  return { ...op, tags: ['OpenAI'], security: OPENAI_SECURITY };
}

export function openAiSpec(): DialectSpec {
  return {
    tag: {
      name: 'OpenAI',
      description:
        'OpenAI’s audio API, as its official SDK calls it: `Authorization: Bearer <key>`, multipart in, the answer in `response_format`, `{"error": {message, type, param, code}}` on failure. The request waits for its transcript; nothing is kept afterwards.',
    },
    securitySchemes: {
      openaiBearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'The API key (EARSHOT_API_KEYS). Not needed when no keys are configured.',
      },
    },
    schemas: {
      OpenAIError: object({
        error: object({
          message: string(),
          type: string(),
          param: nullable(string()),
          code: nullable(string()),
        }),
      }),
      OpenAIUsage: usage,
      OpenAISegment: segment,
      OpenAITranscription: object({ text: string(), usage: ref('OpenAIUsage') }),
      OpenAITranslation: object({ text: string() }),
      OpenAIVerboseTranscription: verbose,
      OpenAIDiarizedTranscription: diarized,
      OpenAIModel: object({
        id: string(),
        object: constant('model'),
        created: integer('Unix seconds: when the model was installed'),
        owned_by: string(),
        root: string('The installed catalog model this name runs on now'),
        description: string(),
      }),
      OpenAIModelList: object({ object: constant('list'), data: arrayOf(ref('OpenAIModel')) }),
      OpenAITranscriptionForm: transcriptionForm,
      OpenAITranslationForm: translationForm,
    },
    paths: {
      '/v1/audio/transcriptions': {
        post: operation({
          operationId: 'openaiCreateTranscription',
          summary: 'Transcribe audio',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: ref('OpenAITranscriptionForm'),
                encoding: arrayEncoding([
                  'timestamp_granularities[]',
                  'include[]',
                  'known_speaker_names[]',
                  'known_speaker_references[]',
                ]),
              },
            },
          },
          responses: audioResponses(false),
        }),
      },
      '/v1/audio/translations': {
        post: operation({
          operationId: 'openaiCreateTranslation',
          summary: 'Translate audio into English text',
          description: 'Needs a model that can translate.',
          requestBody: {
            required: true,
            content: { 'multipart/form-data': { schema: ref('OpenAITranslationForm') } },
          },
          responses: audioResponses(true),
        }),
      },
      '/v1/models': {
        get: operation({
          operationId: 'openaiListModels',
          summary: 'Installed speech models and the names that run them',
          responses: {
            '200': jsonResponse('The models', ref('OpenAIModelList')),
            ...errorResponses(ERROR, [401, 429, 500]),
          },
        }),
      },
      '/v1/models/{id}': {
        get: operation({
          operationId: 'openaiGetModel',
          summary: 'One model or alias',
          parameters: [pathParameter('id', 'A model id or alias from the list')],
          responses: {
            '200': jsonResponse('The model', ref('OpenAIModel')),
            ...errorResponses(ERROR, [401, 404, 429, 500]),
          },
        }),
      },
    },
  };
}
