import { z } from 'zod';
import { EarshotError } from '../../../domain/errors.js';
import {
  type AudioSource,
  defaultTranscriptionRequest,
  type TranscriptionRequest,
} from '../../../domain/transcription-request.js';
import type { CatalogModel } from '../../../models/catalog.types.js';
import type { ParamNames } from '../../../models/model-selection.js';

/** How the local API names the canonical fields, so model-selection errors name its parameters. */
export const LOCAL_PARAM_NAMES: ParamNames = {
  speechModels: 'model_name',
  languageCode: 'language',
  languageDetection: 'language',
  keyterms: 'keyterms',
};

/** Text fields as received (form parts, JSON values or query parameters), by name. */
export type RawFields = Readonly<Record<string, unknown>>;

/**
 * FastAPI's `bool` form values, so `diarize=on` or `diarize=0` mean what they mean there.
 * Anything else is a 400 rather than a silent default.
 */
const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);
const formBool = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be true or false' });
  return z.NEVER;
});

/** A number sent as a JSON number or as form text ("30.5"); empty text is refused, not 0. */
const formNumber = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'must be a number of seconds' });
    return z.NEVER;
  }
  return n;
});

const language = z
  .string()
  .trim()
  .regex(/^([A-Za-z]{2,3}([_-][A-Za-z0-9]{2,4})?|auto)$/, 'must be a language code such as en, or auto');
const modelName = z.string().trim().min(1).max(200);
const segmentId = z.string().trim().min(1, 'is required').max(200);
const seconds = formNumber.pipe(
  z
    .number()
    .nonnegative('must not be negative')
    .max(100 * 3600),
);

/** Browsers send every form field, empty ones included: an empty value means "not given". */
function withoutEmpty(fields: RawFields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
}

function parseFields<T extends z.ZodType>(schema: T, fields: RawFields): z.infer<T> {
  const given = withoutEmpty(fields);
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new EarshotError('unsupportedParameter', `Unknown field: ${issue.keys.join(', ')}`, {
      param: issue.keys[0],
    });
  }
  const param = String(issue?.path[0] ?? 'body');
  const message = Object.hasOwn(given, param) ? issue?.message : 'is required';
  throw new EarshotError('badRequest', `${param}: ${message}`, { param });
}

/**
 * The seed service's model names (`tiny.en`, `openai/whisper-tiny.en`) and this API's own
 * (`sphinx-en-us`, `sphinx/sphinx-en-us` as listed in `full_name`) → a catalog id. A name that
 * matches nothing is returned as it is, so model selection refuses it with the list of installed
 * models.
 */
export function resolveModelName(
  name: string,
  catalog: readonly Pick<CatalogModel, 'id' | 'runtime'>[],
): string {
  const wanted = name.trim();
  const ids = new Set(catalog.map((m) => m.id));
  if (ids.has(wanted)) return wanted;
  const byFullName = catalog.find((m) => `${m.runtime}/${m.id}` === wanted);
  if (byFullName) return byFullName.id;
  // `openai/whisper-tiny.en` (a Hugging Face repo id) → `whisper-tiny.en`; `tiny.en` → `whisper-tiny.en`.
  const bare = wanted.replace(/^openai\//i, '');
  if (ids.has(bare)) return bare;
  if (ids.has(`whisper-${bare}`)) return `whisper-${bare}`;
  return wanted;
}

const transcribeFields = z
  .object({
    model_name: modelName.optional(),
    language: language.optional(),
    diarize: formBool.optional(),
  })
  .strict();

export interface TranscribeParams {
  request: TranscriptionRequest;
  /** The caller's parameters as sent, kept with the job. */
  echo: Record<string, unknown>;
}

/**
 * `POST /api/transcribe/` form fields → canonical request. `diarize` defaults to true as in the
 * seed service. Without `model_name` the server's default model is used (the seed's `tiny.en`
 * may not be installed here); `language=auto` asks for detection.
 */
export function parseTranscribeFields(
  fields: RawFields,
  audio: AudioSource,
  catalog: readonly Pick<CatalogModel, 'id' | 'runtime'>[],
): TranscribeParams {
  const p = parseFields(transcribeFields, fields);
  const request = defaultTranscriptionRequest(audio);
  if (p.model_name !== undefined) request.speechModels = [resolveModelName(p.model_name, catalog)];
  applyLanguage(request, p.language);
  const diarize = p.diarize ?? true;
  if (diarize) request.diarization = {};
  return {
    request,
    echo: {
      model_name: p.model_name ?? null,
      language: p.language ?? null,
      diarize,
    },
  };
}

function applyLanguage(request: TranscriptionRequest, value: string | undefined): void {
  if (value === undefined) return;
  if (value.toLowerCase() === 'auto') request.languageDetection = true;
  else request.languageCode = value.toLowerCase();
}

const retranslateBase = {
  segment_id: segmentId,
  model_name: modelName.optional(),
  language: language.optional(),
};

/** `POST /api/retranslate/segment` (with an uploaded clip): the times only place the clip. */
const clipFields = z
  .object({ ...retranslateBase, start_time: seconds.optional(), end_time: seconds.optional() })
  .strict();

/** `POST /api/retranslate/segment-from-full`: the times cut the range out of the stored upload. */
const rangeFields = z
  .object({ ...retranslateBase, job_id: z.string().trim().min(1), start_time: seconds, end_time: seconds })
  .strict();

export interface ClipParams {
  segmentId: string;
  /** Where the clip came from on the original audio, in ms, when the caller said. */
  startMs: number | undefined;
  endMs: number | undefined;
  request: TranscriptionRequest;
  echo: Record<string, unknown>;
}

export interface RangeParams {
  jobId: string;
  segmentId: string;
  /** The range on the earlier job's audio, in ms. */
  startMs: number;
  endMs: number;
  /** The request for the earlier job's audio, trimmed to the range (`audioStartMs/EndMs`). */
  toRequest(audio: AudioSource): TranscriptionRequest;
  echo: Record<string, unknown>;
}

function checkRange(startMs: number | undefined, endMs: number | undefined): void {
  if (startMs !== undefined && endMs !== undefined && endMs <= startMs) {
    throw new EarshotError('badRequest', 'end_time: must be greater than start_time', { param: 'end_time' });
  }
}

function retranslateRequest(
  audio: AudioSource,
  p: { model_name?: string | undefined; language?: string | undefined },
  catalog: readonly Pick<CatalogModel, 'id' | 'runtime'>[],
): TranscriptionRequest {
  const request = defaultTranscriptionRequest(audio);
  if (p.model_name !== undefined) request.speechModels = [resolveModelName(p.model_name, catalog)];
  applyLanguage(request, p.language);
  return request;
}

const toMs = (s: number): number => Math.round(s * 1000);

/** The clip endpoint's fields → a request that transcribes the whole clip. */
export function parseClipFields(
  fields: RawFields,
  audio: AudioSource,
  catalog: readonly Pick<CatalogModel, 'id' | 'runtime'>[],
): ClipParams {
  const p = parseFields(clipFields, fields);
  const startMs = p.start_time === undefined ? undefined : toMs(p.start_time);
  const endMs = p.end_time === undefined ? undefined : toMs(p.end_time);
  checkRange(startMs, endMs);
  return {
    segmentId: p.segment_id,
    startMs,
    endMs,
    request: retranslateRequest(audio, p, catalog),
    echo: { ...p, kind: 'retranslate_clip' },
  };
}

/** The range endpoint's fields (`job_id` from the query string among them). */
export function parseRangeFields(
  fields: RawFields,
  catalog: readonly Pick<CatalogModel, 'id' | 'runtime'>[],
): RangeParams {
  const p = parseFields(rangeFields, fields);
  const startMs = toMs(p.start_time);
  const endMs = toMs(p.end_time);
  checkRange(startMs, endMs);
  return {
    jobId: p.job_id,
    segmentId: p.segment_id,
    startMs,
    endMs,
    toRequest: (audio) => ({
      ...retranslateRequest(audio, p, catalog),
      ...(startMs > 0 && { audioStartMs: startMs }),
      audioEndMs: endMs,
    }),
    echo: { ...p, kind: 'retranslate_range' },
  };
}

/** The field schemas, for the OpenAPI document (src/api/openapi). */
export {
  transcribeFields as transcribeFieldsSchema,
  clipFields as clipFieldsSchema,
  rangeFields as rangeFieldsSchema,
};
