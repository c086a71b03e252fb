import {
  analysisTranscriptSchema,
  createAnalysisSchema,
  MAX_UTTERANCES,
} from '../surfaces/analyses/analyses-params.js';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '../surfaces/analyses/analyses-list-query.js';
import { RUBRIC_DESCRIPTION } from '../../intelligence/conversation/index.js';
import {
  arrayOf,
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
  object,
  pathParameter,
  ref,
  string,
  uri,
} from './json-schema.js';
import type { DialectSpec, OperationObject, SecurityRequirement } from './openapi.types.js';

/** Same key as OpenAI's routes (`openaiBearer` is defined by the OpenAI spec), same error body. */
const SECURITY: SecurityRequirement[] = [{ openaiBearer: [] }, {}];
const ERROR = 'OpenAIError';
const SENTIMENT = enumOf(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);
const STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;

const feedbackPair = object({ positive: string(), negative: string() });

const transcript = object({
  text: string(),
  utterances: arrayOf(
    object({
      start: integer('ms'),
      end: integer('ms'),
      speaker: nullable(string('The caller’s label, or a letter (A, B, …) for a recording')),
      transcript: string(),
      text: string('Same as `transcript`'),
    }),
  ),
  words: arrayOf(
    object({
      text: string(),
      start: integer('ms (estimated within the utterance for a caller’s transcript)'),
      end: integer('ms'),
      speaker: nullable(string()),
      confidence: number(),
    }),
  ),
  word_count: integer(),
  duration_seconds: number(),
  overall_sentiment: nullable(SENTIMENT),
  sentiment_score: nullable(number('Mean VADER compound score of the call’s sentences, -1..1')),
});

const analysis = object(
  {
    rep_speaker: nullable(
      string('Who was analysed as the rep: options.rep_speaker, else whoever speaks first'),
    ),
    prospect_name: nullable(string('LLM')),
    recording_title: nullable(string('LLM')),
    double_down: nullable(string('LLM: what the rep did best')),
    ai_summary: nullable(string('LLM')),
    questions_asked: integer('Questions the rep asked (the questions analysis’s detector)'),
    questions_per_10_minutes: number(),
    filler_word_count: integer('The rep’s filler words (um, uh, er, ah, hmm, …)'),
    filler_words_per_100: number(),
    words_per_minute: nullable(number('The rep’s words (fillers included) / the rep’s speaking minutes')),
    talk_ratio: number('The rep’s share of all talk time, 0..1'),
    listen_ratio: number('1 - talk_ratio'),
    longest_monologue_seconds: number('Longest stretch of rep turns no one else broke into'),
    average_sentence_words: number(),
    objections_raised: integer('Prospect sentences with an objection phrase'),
    objections_addressed: integer(
      'Of those, answered by an acknowledgement or a question in the rep’s next turn',
    ),
    close_phrases: arrayOf(string(), 'Distinct next-step phrases the rep used'),
    rep_sentiment_score: number(),
    speakers: arrayOf(
      object({
        speaker: nullable(string()),
        talk_seconds: number(),
        word_count: integer(),
        filler_word_count: integer(),
        sentiment_score: number(),
      }),
    ),
    overall_score: integer(),
    clarity_score: integer(),
    influence_score: integer(),
    objection_score: integer(),
    discovery_score: integer(),
    delivery_score: integer(),
    close_score: integer(),
    feedback: nullable(
      object({
        clarity: feedbackPair,
        influence: feedbackPair,
        objection: feedbackPair,
        discovery: feedbackPair,
        delivery: feedbackPair,
        close: feedbackPair,
      }),
    ),
    action_plan: nullable(
      object({
        double_down_implementation: string(),
        general_communication_improvement: string(),
        quoted_principle: string(),
      }),
    ),
    llm_unavailable_reason: nullable(
      string('Why the LLM fields are null (no provider configured, or it failed); null when they are filled'),
    ),
  },
  { description: `Measured metrics, rubric scores and LLM coaching. ${RUBRIC_DESCRIPTION}` },
);

const analysisObject = object({
  id: string(),
  status: enumOf(STATUSES),
  recording_url: nullable(uri()),
  transcript_url: nullable(uri()),
  callback_url: nullable(uri()),
  options: freeObject(),
  metadata: nullable(freeObject()),
  transcript: nullable(ref('AnalysisTranscriptResult')),
  analysis: nullable(ref('AnalysisResult')),
  error: nullable(object({ code: string(), message: string(), details: nullable(freeObject()) })),
  duration_seconds: nullable(number()),
  cost_usd_cents: integer('Always 0: a self-hosted server charges nothing per analysis'),
  created_at: dateTime(),
  started_at: nullable(dateTime()),
  completed_at: nullable(dateTime()),
  partner_org_id: nullable(string()),
  partner_rep_id: nullable(string()),
  parent_session_id: nullable(string()),
});

const idParameter = pathParameter('id', 'The analysis id');

function operation(op: Omit<OperationObject, 'tags' | 'security'>): OperationObject {
  return { ...op, tags: ['Analyses'], security: SECURITY };
}

export function analysesSpec(): DialectSpec {
  return {
    tag: {
      name: 'Analyses',
      description:
        'Sales-call analyses: a recording or a transcript in, talk metrics, rubric scores and (with an LLM provider) written coaching for the rep out. `Authorization: Bearer <key>`; errors in OpenAI’s shape.',
    },
    schemas: {
      AnalysisTranscript: fromZod(analysisTranscriptSchema),
      AnalysisTranscriptResult: transcript,
      AnalysisResult: analysis,
      Analysis: analysisObject,
    },
    paths: {
      '/v1/analyses': {
        post: operation({
          operationId: 'createSalesAnalysis',
          summary: 'Analyse a sales call',
          description: `Give exactly one of \`recording_url\` (fetched, transcribed and diarized), \`transcript_url\` (JSON fetched now, same shape as \`transcript\`) or \`transcript\` (\`{utterances: [{start, end, speaker, text}]}\`, times in ms, at most ${MAX_UTTERANCES} utterances). \`callback_url\` receives the analysis object (POST) when it completes or fails. \`partner_org_id\`, \`partner_rep_id\` and \`parent_session_id\` are stored for filtering lists.`,
          requestBody: { required: true, content: json(fromZod(createAnalysisSchema)) },
          responses: {
            '201': jsonResponse('The analysis, queued', ref('Analysis')),
            ...errorResponses(ERROR, [400, 401, 413, 415, 429, 500]),
          },
        }),
        get: operation({
          operationId: 'listSalesAnalyses',
          summary: 'List analyses, newest first',
          parameters: [
            {
              name: 'limit',
              in: 'query',
              description: `Page size (default ${LIST_DEFAULT_LIMIT})`,
              schema: { type: 'integer', minimum: 1, maximum: LIST_MAX_LIMIT },
            },
            {
              name: 'offset',
              in: 'query',
              description: 'Analyses to skip',
              schema: { type: 'integer', minimum: 0 },
            },
            {
              name: 'status',
              in: 'query',
              description: 'Only these statuses (repeated or comma-separated)',
              schema: { type: 'array', items: enumOf(STATUSES) },
              style: 'form',
              explode: true,
            },
            { name: 'partner_org_id', in: 'query', schema: string() },
            { name: 'partner_rep_id', in: 'query', schema: string() },
            { name: 'parent_session_id', in: 'query', schema: string() },
          ],
          responses: {
            '200': jsonResponse(
              'One page',
              object({
                data: arrayOf(ref('Analysis')),
                limit: integer(),
                offset: integer(),
                has_more: { type: 'boolean', description: 'Whether offset + limit has more' },
              }),
            ),
            ...errorResponses(ERROR, [400, 401, 429, 500]),
          },
        }),
      },
      '/v1/analyses/{id}': {
        get: operation({
          operationId: 'getSalesAnalysis',
          summary: 'Get an analysis',
          parameters: [idParameter],
          responses: {
            '200': jsonResponse('The analysis', ref('Analysis')),
            ...errorResponses(ERROR, [401, 404, 429, 500]),
          },
        }),
      },
      '/v1/analyses/{id}/cancel': {
        post: operation({
          operationId: 'cancelSalesAnalysis',
          summary: 'Cancel a queued or running analysis',
          parameters: [idParameter],
          responses: {
            '200': jsonResponse('The analysis, cancelled', ref('Analysis')),
            ...errorResponses(ERROR, [401, 404, 409, 429, 500]),
          },
        }),
      },
    },
  };
}
