import { text } from 'node:stream/consumers';
import type { Config } from '../../../config/config.js';
import { EarshotError } from '../../../domain/errors.js';
import { safeFetch } from '../../../net/index.js';
import { type AnalysisTranscript, analysisTranscriptSchema, zodError } from './analyses-params.js';

/** Largest transcript JSON fetched from `transcript_url` (a long call is a few MB). */
export const MAX_TRANSCRIPT_BYTES = 16 * 1024 * 1024;

/**
 * Fetches the caller's transcript from `transcript_url` through the SSRF guard, at submit time so
 * a bad URL or a malformed transcript is a 400 now rather than a failed analysis later.
 */
export async function fetchTranscript(
  url: string,
  config: Config,
  signal?: AbortSignal,
): Promise<AnalysisTranscript> {
  const response = await safeFetch(url, {
    purpose: 'transcript_url',
    timeoutMs: config.fetch.timeoutMs,
    maxBytes: MAX_TRANSCRIPT_BYTES,
    maxRedirects: config.fetch.maxRedirects,
    allowedPrivateHosts: config.fetch.allowedPrivateHosts,
    signal,
  });
  let json: unknown;
  try {
    json = JSON.parse(await text(response.body));
  } catch (error) {
    if (error instanceof EarshotError) throw error;
    throw new EarshotError('badRequest', 'transcript_url did not return JSON', { param: 'transcript_url' });
  }
  const parsed = analysisTranscriptSchema.safeParse(json);
  if (!parsed.success) {
    const problem = zodError(parsed.error);
    throw new EarshotError(
      'badRequest',
      `transcript_url did not return a valid transcript: ${problem.message}`,
      {
        param: 'transcript_url',
      },
    );
  }
  return parsed.data;
}
