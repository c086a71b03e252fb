/**
 * The one error type of Earshot. Services throw it with a stable `code`; each API surface maps it to
 * its own error shape, and anything that is not an EarshotError becomes a logged 500.
 */
export const ErrorCodes = {
  badRequest: 400,
  unsupportedParameter: 400,
  invalidAudio: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  tooManyRequests: 429,
  urlRefused: 400,
  fetchFailed: 400,
  engineUnavailable: 400,
  modelMissing: 400,
  modelCorrupt: 500,
  engineCrashed: 500,
  timeout: 504,
  cancelled: 499,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export interface EarshotErrorOptions {
  /** The request parameter the error is about, when there is one (OpenAI's `error.param`). */
  param?: string;
  cause?: unknown;
}

export class EarshotError extends Error {
  override readonly name = 'EarshotError';
  readonly code: ErrorCode;
  readonly param: string | undefined;

  constructor(code: ErrorCode, message: string, options: EarshotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.param = options.param;
  }

  get status(): number {
    return ErrorCodes[this.code];
  }
}

export function isEarshotError(value: unknown): value is EarshotError {
  return value instanceof EarshotError;
}

/** A short human message for any thrown value, for job `error` fields and logs. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
