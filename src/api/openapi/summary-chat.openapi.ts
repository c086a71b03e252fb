import { chatFieldsSchema } from '../surfaces/summary-chat/chat-params.js';
import { summaryFieldsSchema } from '../surfaces/summary-chat/summary-params.js';
import { summaryChatNoQuerySchema } from '../surfaces/summary-chat/summary-chat.routes.js';
import {
  arrayOf,
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
import { localOperation } from './local.openapi.js';
import type { JsonSchema, OperationObject, PathItemObject } from './openapi.types.js';

/**
 * `/api/summary` and `/api/chat` (src/api/surfaces/summary-chat): analyses of a transcript the
 * caller already has, in the local API's conventions (tag Local, `{"detail"}` errors).
 */

const ERROR = 'LocalError';

const operation = localOperation;

const TRANSCRIPT_DESCRIPTIONS: Record<string, string> = {
  transcript:
    'Segments with times in seconds, as `GET /api/transcribe/result/{job_id}` returns them (its segments can be sent back unchanged). `end` must not be before `start`. Required unless `full_text` is given; when both are given, `transcript` is used (it has the times answers cite).',
  full_text: 'Plain text without times, when there are no segments. Cited by passage number instead of time.',
};

const noQuery = queryParameters(fromZod(summaryChatNoQuerySchema));
const jobId = pathParameter('job_id', 'Summary job id', uuid());
const MAX_BODY = 'Bodies up to 16 MiB.';

function jsonBody(schema: JsonSchema) {
  return { required: true, content: json(schema) };
}

const status = enumOf(
  ['processing', 'completed', 'failed'],
  '`queued` shows as processing, `cancelled` as failed',
);

export function summaryChatSchemas(): Record<string, JsonSchema> {
  return {
    LocalSummaryStarted: object({ job_id: uuid(), status: constant('processing'), message: string() }),
    LocalSummaryStatus: object({
      job_id: uuid(),
      status,
      message: string(),
      progress: integer('0–100'),
      updated_at: number('Unix seconds'),
      stage: string('Earshot’s stage: queued, intelligence…'),
    }),
    LocalSummary: object({
      summary: string(
        'paragraph: one paragraph; bullet_points and key_points: lines starting with "- ". Cut to max_length words at sentence (or bullet) boundaries.',
      ),
      topics: arrayOf(
        string(),
        'Up to 5 main topics, most relevant first: the most specific tier of IAB content-taxonomy labels, e.g. "Green Vehicles"',
      ),
      length: integer('Words in summary'),
      model_used: string(
        'The LLM model that wrote the summary, or `extractive` (sentences picked by TextRank)',
      ),
    }),
    LocalChatModels: object({
      models: arrayOf(
        object({
          name: string(),
          provider: constant('openai-compatible'),
          context_tokens: integer('EARSHOT_LLM_CONTEXT_TOKENS'),
        }),
        'The configured LLM (at most one); empty when none is configured',
      ),
      default_model: nullable(string()),
      message: string(),
    }),
    LocalChatAnswer: object({
      message: object({
        role: constant('assistant'),
        content: string(
          'The model’s answer as written, citing the transcript as [hh:mm:ss] (or [passage N] for full_text)',
        ),
      }),
      model_used: string(),
      usage: object({
        prompt: integer('Prompt tokens, as the provider reported them'),
        completion: integer(),
        total: integer(),
      }),
    }),
  };
}

export function summaryChatPaths(): Record<string, PathItemObject> {
  const summarize = (operationId: string, summary: string): OperationObject =>
    operation({
      operationId,
      summary,
      description: `Starts a job that summarises the transcript and finds its topics. ${MAX_BODY}`,
      parameters: noQuery,
      requestBody: jsonBody(
        fromZod(summaryFieldsSchema, {
          descriptions: {
            ...TRANSCRIPT_DESCRIPTIONS,
            model_name:
              'Only the model this server summarises with: the configured LLM (EARSHOT_LLM_MODEL), or `extractive` when none is configured; anything else is a 400.',
            max_length: 'Most words in the summary; it is cut at sentence (or bullet) boundaries.',
            format: '`paragraph` (default), `bullet_points` (3–5 bullets) or `key_points` (5–10 bullets).',
          },
        }),
      ),
      responses: {
        '200': jsonResponse('The job was started', ref('LocalSummaryStarted')),
        ...errorResponses(ERROR, [400, 401, 413, 415, 429, 500]),
      },
    });
  const chat = (operationId: string, summary: string): OperationObject =>
    operation({
      operationId,
      summary,
      description: `Answers the last user message about the transcript with the configured LLM (a 400 naming EARSHOT_LLM_URL when there is none), citing it by time. A transcript that does not fit the model's context next to the conversation is searched (BM25) for the passages relevant to the question, never cut off. Waits for the answer, up to EARSHOT_LLM_TIMEOUT_MS (then 504). ${MAX_BODY}`,
      parameters: noQuery,
      requestBody: jsonBody(
        fromZod(chatFieldsSchema, {
          descriptions: {
            ...TRANSCRIPT_DESCRIPTIONS,
            messages:
              'The conversation so far: `user` and `assistant` turns, ending with the user’s question. The server writes the system message.',
            model_name: 'Only the configured model (see GET /api/chat/models); anything else is a 400.',
            temperature: 'Sampling temperature, 0–2. Default 0.2.',
            max_tokens: 'Most tokens in the answer. Default 1024; must be less than the model’s context.',
          },
        }),
      ),
      responses: {
        '200': jsonResponse('The answer', ref('LocalChatAnswer')),
        ...errorResponses(ERROR, [400, 401, 413, 415, 429, 499, 500, 504]),
      },
    });
  return {
    '/api/summary/': { post: summarize('localSummarize', 'Summarise a transcript (starts a job)') },
    '/api/summary': { post: summarize('localSummarizeNoSlash', 'Same as `POST /api/summary/`') },
    '/api/summary/status/{job_id}': {
      get: operation({
        operationId: 'localSummaryStatus',
        summary: 'A summary job’s status and progress',
        parameters: [jobId, ...noQuery],
        responses: {
          '200': jsonResponse('The status', ref('LocalSummaryStatus')),
          '404': jsonResponse('No such summary job', ref('LocalNotFoundStatus')),
          ...errorResponses(ERROR, [400, 401, 429, 500]),
        },
      }),
    },
    '/api/summary/{job_id}': {
      get: operation({
        operationId: 'localGetSummary',
        summary: 'A finished summary and the transcript’s topics',
        description:
          'A job still running is a 409 (follow /api/summary/status/{job_id}); a failed one answers its own error.',
        parameters: [jobId, ...noQuery],
        responses: {
          '200': jsonResponse('The summary', ref('LocalSummary')),
          ...errorResponses(ERROR, [400, 401, 404, 409, 429, 500]),
        },
      }),
    },
    '/api/chat/models': {
      get: operation({
        operationId: 'localChatModels',
        summary: 'The LLM model chat uses (none when no provider is configured)',
        parameters: noQuery,
        responses: {
          '200': jsonResponse('The models', ref('LocalChatModels')),
          ...errorResponses(ERROR, [400, 401, 429, 500]),
        },
      }),
    },
    '/api/chat/': { post: chat('localChat', 'Ask about a transcript') },
    '/api/chat': { post: chat('localChatNoSlash', 'Same as `POST /api/chat/`') },
  };
}
