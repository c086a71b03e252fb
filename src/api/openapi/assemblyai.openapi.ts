import {
  subtitleQuerySchema,
  transcriptListQuerySchema,
  wordSearchQuerySchema,
} from '../surfaces/assemblyai/assemblyai.routes.js';
import {
  ASSEMBLYAI_NOT_YET_SUPPORTED,
  transcriptParamsSchema,
} from '../surfaces/assemblyai/transcript-params.js';
import {
  arrayOf,
  boolean,
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
  queryParameters,
  ref,
  string,
  uuid,
} from './json-schema.js';
import type { DialectSpec, JsonSchema, OperationObject, SecurityRequirement } from './openapi.types.js';

/** AssemblyAI v2: raw key in `Authorization`, JSON in and out, times in ms, `{error}` on failure. */

export const ASSEMBLYAI_SECURITY: SecurityRequirement[] = [{ assemblyaiKey: [] }];
const ERROR = 'AssemblyAIError';

const PARAM_DESCRIPTIONS: Record<string, string> = {
  audio_url:
    'The audio to transcribe: an http(s) URL this server fetches (private and loopback addresses are refused), or an `upload_url` from `POST /v2/upload`.',
  audio_start_from: 'Transcribe from this offset, in ms.',
  audio_end_at: 'Stop at this offset, in ms; must be greater than audio_start_from.',
  language_code: 'Language of the audio, such as `en` or `en_us`. Absent: the model’s default.',
  language_detection: 'Detect the language (models that can).',
  punctuate: 'Add punctuation. Default true.',
  format_text: 'Casing and text formatting. Default true.',
  custom_spelling: 'Replace words or phrases (`from`) with a spelling (`to`).',
  keyterms_prompt: 'Words and phrases to favour (models that take hints).',
  word_boost: 'Older name for keyterms_prompt; the two are merged.',
  boost_param: 'How strongly to favour the key terms.',
  webhook_url: 'Called with `{transcript_id, status}` when the transcript completes or fails.',
  webhook_auth_header_name: 'A header sent with each webhook call; needs webhook_auth_header_value.',
  webhook_auth_header_value: 'The value of that header; never echoed back.',
  speech_model: 'A model id (see `GET /v1/models`) or `best` / `nano`. Absent: the server’s default.',
  speech_models: 'Models in order of preference; use this or speech_model, not both.',
  speech_threshold: 'Fail the transcript when speech is less than this fraction (0–1) of the audio.',
  speaker_labels: 'Diarization: label who speaks when (`A`, `B`, …).',
  speakers_expected: 'The number of speakers, when known; needs speaker_labels.',
  speaker_options: 'Bounds on the number of speakers; needs speaker_labels, not with speakers_expected.',
  multichannel: 'Transcribe each channel on its own; speakers are labelled by channel.',
  dual_channel: 'Older name for multichannel.',
};

const word = object({
  text: string(),
  start: integer('ms'),
  end: integer('ms'),
  confidence: number(),
  speaker: nullable(string('`A`, `B`…; with multichannel the channel (`1`) or channel and speaker (`1A`)')),
  channel: nullable(string('1-based channel, with multichannel')),
});

const utterance = object({
  text: string(),
  start: integer('ms'),
  end: integer('ms'),
  confidence: number(),
  speaker: nullable(string()),
  channel: nullable(string()),
  words: arrayOf(ref('AssemblyAIWord')),
});

const status = enumOf(['queued', 'processing', 'completed', 'error']);
/** An add-on that failed is `unavailable`; the transcript itself still completes. */
const addonStatus = enumOf(['success', 'unavailable']);
const timestamp = object({ start: integer('ms'), end: integer('ms') });
const labelScores: JsonSchema = { type: 'object', additionalProperties: number() };
const off = (description = 'Not supported by this server: always off') => constant(false, description);
const none = (description = 'Not supported by this server: always null') => constant(null, description);

const transcript = object(
  {
    id: uuid(),
    status,
    audio_url: nullable(string('As sent, or the upload URL; `http://deleted_by_user` once deleted')),
    text: nullable(string('null until completed; `Deleted by user.` once deleted')),
    words: nullable(arrayOf(ref('AssemblyAIWord'))),
    utterances: nullable(arrayOf(ref('AssemblyAIUtterance'), 'With speaker_labels or multichannel')),
    confidence: nullable(number()),
    audio_duration: nullable(number('Seconds')),
    audio_channels: nullable(integer('Reported for multichannel requests')),
    language_code: nullable(string()),
    language_detection: boolean(),
    language_confidence: nullable(number()),
    language_confidence_threshold: none(),
    language_codes: none(),
    language_model: string(),
    acoustic_model: string(),
    speech_model: nullable(string()),
    speech_models: nullable(arrayOf(string())),
    speech_model_used: nullable(string('The catalog model that ran (or will run)')),
    punctuate: boolean(),
    format_text: boolean(),
    disfluencies: boolean('Filler words kept'),
    audio_start_from: nullable(integer()),
    audio_end_at: nullable(integer()),
    word_boost: arrayOf(string()),
    keyterms_prompt: arrayOf(string()),
    boost_param: nullable(string()),
    custom_spelling: nullable(arrayOf(object({ from: arrayOf(string()), to: string() }))),
    speech_threshold: nullable(number()),
    webhook_url: nullable(string()),
    webhook_auth: boolean(),
    webhook_auth_header_name: nullable(string()),
    webhook_status_code: nullable(integer('The status the webhook answered')),
    dual_channel: nullable(boolean()),
    multichannel: nullable(boolean()),
    speaker_labels: boolean(),
    speakers_expected: nullable(integer()),
    speaker_options: nullable(
      object(
        { min_speakers_expected: nullable(integer()), max_speakers_expected: nullable(integer()) },
        { optional: ['min_speakers_expected', 'max_speakers_expected'] },
      ),
    ),
    filter_profanity: boolean('Profanity masked as `f***`'),
    redact_pii: boolean(),
    redact_pii_audio: boolean(),
    redact_pii_audio_quality: nullable(enumOf(['mp3', 'wav'])),
    redact_pii_audio_options: nullable(freeObject('As sent')),
    redact_pii_policies: nullable(arrayOf(string())),
    redact_pii_sub: nullable(enumOf(['entity_name', 'hash'])),
    auto_highlights: boolean(),
    auto_highlights_result: nullable(
      object({
        status: addonStatus,
        results: arrayOf(
          object({ count: integer(), rank: number(), text: string(), timestamps: arrayOf(timestamp) }),
        ),
      }),
    ),
    content_safety: boolean(),
    content_safety_confidence: nullable(integer('25–100')),
    content_safety_labels: nullable(
      object({
        status: addonStatus,
        results: arrayOf(
          object({
            text: string(),
            labels: arrayOf(object({ label: string(), confidence: number(), severity: number() })),
            timestamp,
          }),
        ),
        summary: labelScores,
        severity_score_summary: {
          type: 'object',
          additionalProperties: object({ low: number(), medium: number(), high: number() }),
        },
      }),
    ),
    iab_categories: boolean(),
    iab_categories_result: nullable(
      object({
        status: addonStatus,
        results: arrayOf(
          object({
            text: string(),
            labels: arrayOf(object({ relevance: number(), label: string() })),
            timestamp,
          }),
        ),
        summary: labelScores,
      }),
    ),
    auto_chapters: boolean(),
    chapters: nullable(
      arrayOf(
        object({
          gist: string(),
          headline: string(),
          summary: string(),
          start: integer('ms'),
          end: integer('ms'),
        }),
      ),
    ),
    summarization: boolean(),
    summary_type: nullable(enumOf(['bullets', 'bullets_verbose', 'gist', 'headline', 'paragraph'])),
    summary_model: nullable(enumOf(['informative', 'conversational', 'catchy'])),
    summary: nullable(string()),
    speech_understanding: nullable(freeObject('As sent')),
    translated_texts: {
      type: 'object',
      additionalProperties: string(),
      description: 'Translated text by language code, with speech_understanding translation',
    },
    custom_topics: off(),
    topics: { type: 'array', maxItems: 0, description: 'Not supported by this server: always empty' },
    sentiment_analysis: boolean(),
    sentiment_analysis_results: nullable(
      arrayOf(
        object({
          text: string(),
          start: integer('ms'),
          end: integer('ms'),
          sentiment: enumOf(['POSITIVE', 'NEUTRAL', 'NEGATIVE']),
          confidence: number(),
          speaker: nullable(string()),
          channel: nullable(string()),
        }),
      ),
    ),
    entity_detection: boolean(),
    entities: nullable(
      arrayOf(object({ entity_type: string(), text: string(), start: integer('ms'), end: integer('ms') })),
    ),
    speed_boost: off(),
    throttled: off(),
    error: string('Why the transcript failed; present when status is `error`'),
  },
  { optional: ['error', 'translated_texts'] },
);

const listItem = object({
  id: uuid(),
  resource_url: string(),
  status,
  created: dateTime(),
  completed: nullable(dateTime()),
  audio_url: nullable(string()),
  error: nullable(string()),
});

const list = object({
  page_details: object({
    limit: integer(),
    result_count: integer(),
    current_url: string(),
    prev_url: nullable(string('Older transcripts (`before_id`)')),
    next_url: nullable(string('Newer transcripts (`after_id`)')),
  }),
  transcripts: arrayOf(ref('AssemblyAITranscriptListItem'), 'Newest first'),
});

const textUnit = object({
  text: string(),
  start: integer('ms'),
  end: integer('ms'),
  confidence: number(),
  speaker: nullable(string()),
  channel: nullable(string()),
  words: arrayOf(ref('AssemblyAIWord')),
});

const textUnits = (name: 'sentences' | 'paragraphs'): JsonSchema =>
  object({
    id: uuid(),
    confidence: nullable(number()),
    audio_duration: number('Seconds'),
    [name]: arrayOf(ref('AssemblyAITextUnit')),
  });

const wordSearch = object({
  id: uuid(),
  total_count: integer(),
  matches: arrayOf(
    object({
      text: string(),
      count: integer(),
      timestamps: arrayOf(
        { type: 'array', items: integer(), minItems: 2, maxItems: 2 },
        '[start_ms, end_ms] of each match',
      ),
      indexes: arrayOf(integer(), 'Index into the transcript’s words of each match'),
    }),
  ),
});

const id = pathParameter('id', 'Transcript id', uuid());

function operation(op: Omit<OperationObject, 'tags' | 'security'>): OperationObject {
  return { ...op, tags: ['AssemblyAI'], security: ASSEMBLYAI_SECURITY };
}

const completedOnly = 'The transcript must be completed; otherwise 400.';

export function assemblyAiSpec(): DialectSpec {
  return {
    tag: {
      name: 'AssemblyAI',
      description:
        'AssemblyAI’s v2 REST API, as its official SDK calls it: the raw API key in `Authorization` (no `Bearer`), JSON in and out, times in ms, `{"error": "…"}` on failure.',
    },
    securitySchemes: {
      assemblyaiKey: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'The raw API key, without `Bearer` (EARSHOT_API_KEYS). Not needed when no keys are configured.',
      },
    },
    schemas: {
      AssemblyAIError: object({ error: string() }),
      AssemblyAIWord: word,
      AssemblyAIUtterance: utterance,
      AssemblyAITranscript: transcript,
      AssemblyAITranscriptListItem: listItem,
      AssemblyAITranscriptList: list,
      AssemblyAITextUnit: textUnit,
      AssemblyAISentences: textUnits('sentences'),
      AssemblyAIParagraphs: textUnits('paragraphs'),
      AssemblyAIWordSearch: wordSearch,
      AssemblyAIUploadResponse: object({ upload_url: string('Pass it back as `audio_url`') }),
      AssemblyAITranscriptParams: fromZod(transcriptParamsSchema, {
        descriptions: PARAM_DESCRIPTIONS,
        extraProperties: Object.fromEntries(ASSEMBLYAI_NOT_YET_SUPPORTED.map((name) => [name, OFF_VALUE])),
        additionalProperties: false,
      }),
    },
    paths: {
      '/v2/transcript': {
        post: operation({
          operationId: 'assemblyaiSubmitTranscript',
          summary: 'Submit audio for transcription',
          description:
            'Unknown parameters, and ones not implemented yet with a value other than off, are a 400.',
          requestBody: { required: true, content: json(ref('AssemblyAITranscriptParams')) },
          responses: {
            '200': jsonResponse('The queued transcript', ref('AssemblyAITranscript')),
            ...errorResponses(ERROR, [400, 401, 415, 429, 500]),
          },
        }),
        get: operation({
          operationId: 'assemblyaiListTranscripts',
          summary: 'List transcripts, newest first',
          parameters: queryParameters(
            fromZod(transcriptListQuerySchema, {
              descriptions: {
                created_on: 'Only transcripts created on this day (YYYY-MM-DD, UTC).',
                before_id: 'Transcripts older than this one.',
                after_id: 'Transcripts newer than this one.',
                throttled_only: 'This server never throttles: true lists nothing.',
              },
            }),
          ),
          responses: {
            '200': jsonResponse('A page of transcripts', ref('AssemblyAITranscriptList')),
            ...errorResponses(ERROR, [400, 401, 429, 500]),
          },
        }),
      },
      '/v2/transcript/{id}': {
        get: operation({
          operationId: 'assemblyaiGetTranscript',
          summary: 'Get a transcript',
          description: 'Poll until `status` is `completed` or `error`.',
          parameters: [id],
          responses: {
            '200': jsonResponse('The transcript', ref('AssemblyAITranscript')),
            ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
          },
        }),
        delete: operation({
          operationId: 'assemblyaiDeleteTranscript',
          summary: 'Delete a transcript’s text and audio',
          description: 'Answers the transcript with its text replaced by `Deleted by user.`',
          parameters: [id],
          responses: {
            '200': jsonResponse('The deleted transcript', ref('AssemblyAITranscript')),
            ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
          },
        }),
      },
      '/v2/transcript/{id}/sentences': {
        get: operation({
          operationId: 'assemblyaiGetSentences',
          summary: 'The transcript split into sentences',
          description: completedOnly,
          parameters: [id],
          responses: {
            '200': jsonResponse('Sentences', ref('AssemblyAISentences')),
            ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
          },
        }),
      },
      '/v2/transcript/{id}/paragraphs': {
        get: operation({
          operationId: 'assemblyaiGetParagraphs',
          summary: 'The transcript split into paragraphs',
          description: completedOnly,
          parameters: [id],
          responses: {
            '200': jsonResponse('Paragraphs', ref('AssemblyAIParagraphs')),
            ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
          },
        }),
      },
      ...Object.fromEntries(
        (
          [
            ['srt', 'SRT', 'application/x-subrip'],
            ['vtt', 'WebVTT', 'text/vtt'],
          ] as const
        ).map(([format, name, mediaType]) => [
          `/v2/transcript/{id}/${format}`,
          {
            get: operation({
              operationId: `assemblyaiGet${name === 'SRT' ? 'Srt' : 'Vtt'}`,
              summary: `${name} subtitles`,
              description: completedOnly,
              parameters: [
                id,
                ...queryParameters(
                  fromZod(subtitleQuerySchema, {
                    descriptions: { chars_per_caption: 'Most characters per caption (one line each).' },
                  }),
                ),
              ],
              responses: {
                '200': { description: `${name} subtitles`, content: { [mediaType]: { schema: string() } } },
                ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
              },
            }),
          },
        ]),
      ),
      '/v2/transcript/{id}/word-search': {
        get: operation({
          operationId: 'assemblyaiWordSearch',
          summary: 'Find words and phrases in the transcript',
          description: completedOnly,
          parameters: [
            id,
            ...queryParameters(
              fromZod(wordSearchQuerySchema, {
                descriptions: { words: 'Comma-separated words or phrases.' },
              }),
            ),
          ],
          responses: {
            '200': jsonResponse('Matches, most frequent first', ref('AssemblyAIWordSearch')),
            ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
          },
        }),
      },
      '/v2/transcript/{id}/redacted-audio': {
        get: operation({
          operationId: 'assemblyaiGetRedactedAudio',
          summary: 'Where to download the redacted audio',
          description:
            'For a completed transcript made with `redact_pii_audio`: a signed URL, valid 24 h, that downloads without an API key. Otherwise 400.',
          parameters: [id],
          responses: {
            '200': jsonResponse(
              'The redacted audio is ready',
              object({
                status: constant('redacted_audio_ready'),
                redacted_audio_url: string('Signed URL, valid 24 h, fetched without an API key'),
              }),
            ),
            ...errorResponses(ERROR, [400, 401, 404, 429, 500]),
          },
        }),
      },
      '/v2/redacted-audio/{tenant}/{id}/{file}': {
        get: {
          ...operation({
            operationId: 'assemblyaiDownloadRedactedAudio',
            summary: 'Download redacted audio (signed URL)',
            description:
              'The URL `GET /v2/transcript/{id}/redacted-audio` hands out. Needs no API key but an unexpired signature; 403 otherwise.',
            parameters: [
              pathParameter('tenant', 'The tenant, base64url-encoded', string()),
              id,
              pathParameter(
                'file',
                '`redacted.mp3` or `redacted.wav`',
                enumOf(['redacted.mp3', 'redacted.wav']),
              ),
              { name: 'expires', in: 'query', required: true, schema: integer('Unix seconds') },
              { name: 'signature', in: 'query', required: true, schema: string('HMAC-SHA256, hex') },
            ],
            responses: {
              '200': {
                description: 'The redacted audio',
                content: {
                  'audio/mpeg': { schema: { type: 'string', format: 'binary' } },
                  'audio/wav': { schema: { type: 'string', format: 'binary' } },
                },
              },
              ...errorResponses(ERROR, [403, 404, 500]),
            },
          }),
          security: [],
        },
      },
    },
  };
}
