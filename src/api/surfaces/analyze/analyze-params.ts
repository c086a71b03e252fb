import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import type { AudioSource, TranscriptionRequest } from '../../../domain/transcription-request.js';
import { defaultTranscriptionRequest } from '../../../domain/transcription-request.js';
import type { CatalogModel } from '../../../models/catalog.types.js';
import { resolveModelName } from '../local/local-params.js';

const modelName = z.string().trim().min(1).max(200);

/** `POST /analyze` multipart fields besides `file`. */
const formFields = z.object({ model_name: modelName.optional() }).strict();

/** `POST /analyze` JSON body. */
const jsonBody = z
  .object({
    url: z
      .string()
      .trim()
      .min(1)
      .max(4096)
      .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL'),
    model_name: modelName.nullish(),
  })
  .strict();

/** The request schemas, for the OpenAPI document (src/api/openapi/analyze.openapi.ts). */
export { formFields as analyzeFormFieldsSchema, jsonBody as analyzeJsonBodySchema };

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new EarshotError('unsupportedParameter', `Unknown field: ${issue.keys.join(', ')}`, {
      param: issue.keys[0],
    });
  }
  const param = String(issue?.path[0] ?? 'body');
  const given = typeof value === 'object' && value !== null && Object.hasOwn(value, param);
  throw new EarshotError('badRequest', `${param}: ${given ? issue?.message : 'is required'}`, { param });
}

export function parseFormFields(fields: Readonly<Record<string, string>>): { modelName: string | undefined } {
  // Browsers send every form field; an empty one means "not given".
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
  return { modelName: parse(formFields, given).model_name };
}

export function parseJsonBody(body: unknown): { url: string; modelName: string | undefined } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EarshotError('badRequest', 'The body must be a JSON object: {"url": "…"}');
  }
  const parsed = parse(jsonBody, body);
  return { url: parsed.url, modelName: parsed.model_name ?? undefined };
}

/**
 * The canonical request of an analysis: transcribe with speaker labels (the builtin diarization
 * engine needs no models, so it is always available), then list the questions and write a
 * one-sentence summary (`headline`: the LLM's when a provider is configured, otherwise the most
 * central sentence of the transcript).
 */
export function analysisRequest(
  audio: AudioSource,
  model: string | undefined,
  catalog: readonly Pick<CatalogModel, 'id' | 'runtime'>[],
): TranscriptionRequest {
  const request = defaultTranscriptionRequest(audio);
  if (model !== undefined) request.speechModels = [resolveModelName(model, catalog)];
  request.diarization = {};
  request.intelligence = { questions: true, summary: { type: 'headline' } };
  return request;
}

/**
 * Hosts whose URLs are pages with a player, never media files: these go to yt-dlp without looking.
 * Any other URL is looked at first (see `isPageContentType`).
 */
const PAGE_HOSTS = [
  'youtube.com',
  'youtu.be',
  'youtube-nocookie.com',
  'vimeo.com',
  'dailymotion.com',
  'soundcloud.com',
  'twitch.tv',
  'tiktok.com',
  'twitter.com',
  'x.com',
  'facebook.com',
  'instagram.com',
  'bandcamp.com',
  'mixcloud.com',
  'ted.com',
];

export function isPageHost(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  return PAGE_HOSTS.some((page) => host === page || host.endsWith(`.${page}`));
}

/** An HTML answer is a page to extract media from; anything else is taken as the media itself. */
export function isPageContentType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/**
 * A title for a job until the media's own is known: the URL's last path segment ("talk.mp3"),
 * else its host.
 */
export function titleFromUrl(url: string): string {
  const parsed = new URL(url);
  const segment = parsed.pathname.split('/').filter(Boolean).at(-1);
  if (segment === undefined) return parsed.hostname;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
