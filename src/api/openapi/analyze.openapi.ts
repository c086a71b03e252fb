import { analyzeFormFieldsSchema, analyzeJsonBodySchema } from '../surfaces/analyze/analyze-params.js';
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
  object,
  pathParameter,
  ref,
  string,
  uuid,
} from './json-schema.js';
import { localOperation } from './local.openapi.js';
import type { JsonSchema, PathItemObject } from './openapi.types.js';

/**
 * `POST /analyze` and `GET /analyze/{job_id}` (src/api/surfaces/analyze): transcribe a recording
 * and list its questions with a one-sentence summary, in the local API's conventions (tag Local,
 * the same keys, `{"detail"}` errors). Times are integer milliseconds.
 */

const ERROR = 'LocalError';

const operation = localOperation;

const FIELD_DESCRIPTIONS: Record<string, string> = {
  model_name:
    'A catalog model id, its `full_name`, or a Whisper name such as `tiny.en`; absent: the server’s default.',
  url: 'An http(s) URL of an audio or video file, or of a page (YouTube, Vimeo…) whose media yt-dlp can download when it is installed; without yt-dlp a page URL is a 400 naming it.',
};

const file: JsonSchema = {
  type: 'string',
  format: 'binary',
  contentMediaType: 'application/octet-stream',
  description: 'The audio or video file; something ffprobe does not read as audio is a 400.',
};

function formSchema(): JsonSchema {
  const fields = fromZod(analyzeFormFieldsSchema, {
    descriptions: { model_name: FIELD_DESCRIPTIONS.model_name ?? '' },
  });
  const properties = (fields.properties ?? {}) as Record<string, JsonSchema>;
  return { ...fields, properties: { file, ...properties }, required: ['file'] };
}

const ms = (description: string): JsonSchema => integer(`${description}, in ms`);

export function analyzeSchemas(): Record<string, JsonSchema> {
  return {
    AnalyzeStarted: object({ job_id: uuid(), message: constant('Job enqueued') }),
    AnalyzeQuestion: object({
      question: string(),
      level: enumOf([1, 2], '1: a main question; 2: a follow-up or sub-question of the main one before it'),
      speaker: nullable(string('`SPEAKER_1`…, as the local API labels speakers')),
      start_time: ms('Start'),
      end_time: ms('End'),
    }),
    AnalyzeTranscriptEntry: object({
      speaker: nullable(string('`SPEAKER_1`…')),
      start_time: ms('Start'),
      end_time: ms('End'),
      text: string('One sentence'),
    }),
    AnalyzeResult: object({
      questions: arrayOf(ref('AnalyzeQuestion'), 'In the order they were asked'),
      summary: nullable(string('One sentence on what the recording is about; null when none could be made')),
      transcript: arrayOf(ref('AnalyzeTranscriptEntry'), 'Sentences, which also break at speaker changes'),
    }),
    AnalyzeStatus: object({
      meta: object({
        job_id: uuid(),
        job_type: constant('analyze'),
        message: string(),
        progress: enumOf(
          ['queued', 'downloading', 'transcribing', 'analyzing', 'completed', 'failed'],
          'The stage',
        ),
        title: nullable(
          string('The media title once known (yt-dlp), else the file name or the URL’s last segment'),
        ),
      }),
      status: enumOf(['queued', 'started', 'finished', 'failed']),
      result: nullable(ref('AnalyzeResult')),
    }),
  };
}

export function analyzePaths(): Record<string, PathItemObject> {
  return {
    '/analyze': {
      post: operation({
        operationId: 'analyze',
        summary: 'Transcribe a recording and find the questions asked in it',
        description:
          'A multipart upload (`file`), or JSON with the `url` of a media file or of a page (downloaded with yt-dlp, which waits for the download). Answers at once with the job id; follow it with `GET /analyze/{job_id}`.',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': { schema: formSchema() },
            ...json(fromZod(analyzeJsonBodySchema, { descriptions: FIELD_DESCRIPTIONS })),
          },
        },
        responses: {
          '200': jsonResponse('The job was enqueued', ref('AnalyzeStarted')),
          ...errorResponses(ERROR, [400, 401, 413, 415, 429, 500, 504]),
        },
      }),
    },
    '/analyze/{job_id}': {
      get: operation({
        operationId: 'getAnalysis',
        summary: 'An analysis job’s stage and, once finished, its questions, summary and transcript',
        parameters: [pathParameter('job_id', 'Job id', uuid())],
        responses: {
          '200': jsonResponse('The job', ref('AnalyzeStatus')),
          ...errorResponses(ERROR, [401, 404, 429, 500]),
        },
      }),
    },
  };
}
