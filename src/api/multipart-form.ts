import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { EarshotError, isEarshotError } from '../domain/errors.js';
import type { Upload } from '../domain/job.js';

/** The form's text fields by name as sent (`timestamp_granularities[]` keeps its suffix), in order. */
export type FormFields = ReadonlyMap<string, readonly string[]>;

export interface MultipartForm {
  /** The stored file part; absent when the form had none. */
  upload: Upload | undefined;
  fields: FormFields;
}

export interface MultipartFormOptions {
  /** The one field that may carry a file (`file` for OpenAI and the local API), or null for none. */
  fileField: string | null;
  /** Stores the file part as it streams in (never buffered whole). */
  store(body: Readable, meta: { filename: string | null; contentType: string | null }): Promise<Upload>;
  /** Removes a stored file when the form is refused after all. */
  discard(upload: Upload): Promise<void>;
  /** The upload limit, for the early Content-Length check and messages. */
  maxUploadBytes: number;
}

/**
 * Room for the form's other fields and part headers on top of the file: a body declared larger than
 * the limit plus this cannot hold an acceptable file, so it is refused before a byte is read.
 */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

const tooLarge = (maxBytes: number, param: string): EarshotError =>
  new EarshotError('payloadTooLarge', `The file is larger than the limit of ${maxBytes} bytes`, { param });

const oneFile = (param: string): EarshotError =>
  new EarshotError('badRequest', `Send exactly one file, in the field "${param}"`, { param });

/** @fastify/multipart's own errors (limits, malformed bodies) as EarshotErrors. */
function fromMultipartError(error: unknown, maxBytes: number, param: string): EarshotError {
  if (isEarshotError(error)) return error;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBytes, param);
    case 'FST_FILES_LIMIT':
      return oneFile(param);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new EarshotError('payloadTooLarge', 'The form has too many fields');
    case 'FST_PROTO_VIOLATION':
      return new EarshotError('badRequest', 'A form field has a reserved name');
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return new EarshotError('badRequest', `The multipart body could not be read: ${message}`);
    }
  }
}

/**
 * Reads a `multipart/form-data` body: the file part is streamed straight into storage whenever it
 * comes (the openai SDK sends it first, chunked, with no Content-Length), and every other part is
 * collected as text, repeated names kept in order.
 *
 * The body is always read to its end, also on a problem, before this returns or throws: so the
 * client, which may still be sending, receives the answer instead of a reset connection, and the
 * connection can be used again. A stored file is removed again when the form is refused.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  options: MultipartFormOptions,
): Promise<MultipartForm> {
  const param = options.fileField ?? 'file';
  if (!request.isMultipart()) {
    throw new EarshotError(
      'unsupportedMediaType',
      options.fileField
        ? `Send the audio as multipart/form-data with the file in the field "${options.fileField}"`
        : 'Send the fields as multipart/form-data or JSON',
      { param },
    );
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxUploadBytes + FORM_OVERHEAD_BYTES) {
    throw tooLarge(options.maxUploadBytes, param);
  }

  const fields = new Map<string, string[]>();
  let upload: Upload | undefined;
  let failure: EarshotError | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (failure !== undefined || upload !== undefined || part.fieldname !== options.fileField) {
          failure ??=
            part.fieldname === options.fileField
              ? oneFile(param)
              : new EarshotError('badRequest', `Unexpected file in the field "${part.fieldname}"`, {
                  param: part.fieldname,
                });
          part.file.resume();
          continue;
        }
        try {
          upload = await options.store(part.file, {
            filename: part.filename || null,
            contentType: part.mimetype || null,
          });
        } catch (error) {
          // The part's stream may be destroyed now, which stalls the parser: stop using it and
          // drain the raw body instead.
          failure = fromMultipartError(error, options.maxUploadBytes, param);
          break;
        }
        // The parser stops passing bytes at the limit and marks the part truncated.
        if (part.file.truncated) failure = tooLarge(options.maxUploadBytes, param);
      } else {
        if (part.fieldnameTruncated || part.valueTruncated) {
          failure ??= new EarshotError('payloadTooLarge', `The form field "${part.fieldname}" is too long`, {
            param: part.fieldname,
          });
          continue;
        }
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        const values = fields.get(part.fieldname);
        if (values) values.push(value);
        else fields.set(part.fieldname, [value]);
      }
    }
  } catch (error) {
    failure ??= fromMultipartError(error, options.maxUploadBytes, param);
  }
  // Whatever the parser left unread (it stops at the closing boundary, or earlier on a problem) is
  // read and dropped, so the request ends before the answer and its connection can carry the next.
  await drain(request.raw);
  if (failure !== undefined) {
    if (upload) await options.discard(upload);
    throw failure;
  }
  return { upload, fields };
}

/** Reads and drops what is left of a request body (the parser may have stopped before its end). */
async function drain(body: FastifyRequest['raw']): Promise<void> {
  if (body.readableEnded || body.destroyed) return;
  body.unpipe();
  body.resume();
  await Promise.race([once(body, 'end'), once(body, 'close')]).catch(() => undefined);
}

/**
 * The form's fields as single values, for dialects where a name may appear once: a repeated name
 * is a 400 naming it.
 */
export function singleValuedFields(fields: FormFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of fields) {
    if (values.length > 1)
      throw new EarshotError('badRequest', `The field "${name}" was sent twice`, { param: name });
    Object.defineProperty(out, name, {
      value: values[0] ?? '',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
