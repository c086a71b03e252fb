import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../../config/config.js';
import { EarshotError } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import type { RedactionResult } from '../../../intelligence/results.js';
import type { JobService } from '../../../jobs/job.service.js';
import { type ApiKeyAuth, keyFromAuthorization } from '../../auth.js';
import { baseUrlOf } from '../../request-context.js';
import { UrlSigner } from '../../signed-url.js';

export interface RedactedAudioRoutesDeps {
  config: Config;
  jobs: Pick<JobService, 'get' | 'openJobFile'>;
  auth: ApiKeyAuth;
  /** Signs the download URLs. Absent: the server's signer (`UrlSigner.fromConfig`). */
  signer?: UrlSigner;
}

/**
 * How long a `redacted_audio_url` works. AssemblyAI keeps redacted audio downloadable for 24 hours;
 * asking the endpoint again gives a fresh URL for as long as the transcript exists.
 */
export const REDACTED_AUDIO_URL_TTL_S = 24 * 60 * 60;

const CONTENT_TYPES = { mp3: 'audio/mpeg', wav: 'audio/wav' } as const;
type AudioFormat = keyof typeof CONTENT_TYPES;

/** The public download path. The tenant is in it (base64url) because the request carries no key. */
function downloadPath(tenantId: string, jobId: string, format: AudioFormat): string {
  return `/v2/redacted-audio/${Buffer.from(tenantId, 'utf8').toString('base64url')}/${jobId}/redacted.${format}`;
}

/** The redacted audio a completed job holds, or an AssemblyAI-style 400 saying why there is none. */
function redactedAudioOf(job: Job): { blobKey: string; format: AudioFormat } {
  if (job.deletedAt) throw new EarshotError('badRequest', 'Transcript was deleted by user.');
  const asked = job.request.intelligence?.redactPii?.audio;
  if (!asked) {
    throw new EarshotError(
      'badRequest',
      'Redacted audio is not available: redact_pii_audio was not enabled for this transcript',
    );
  }
  if (job.status !== 'completed' || !job.transcript) {
    throw new EarshotError(
      'badRequest',
      `Redacted audio is not ready: the transcript is not completed (status: ${job.status})`,
    );
  }
  const addon = job.transcript.addons.redaction;
  const blobKey = addon?.status === 'success' ? (addon.result as RedactionResult).audioBlobKey : undefined;
  if (!blobKey) throw new EarshotError('badRequest', 'Redacted audio is not available for this transcript');
  return { blobKey, format: asked.format };
}

/**
 * AssemblyAI's `GET /v2/transcript/:id/redacted-audio`, which answers with a URL, and the download
 * that URL points to. The download takes no API key (the SDK's `redactedAudioFile()` fetches it
 * bare), so it is outside the key check and needs an unexpired signature instead.
 */
export function registerRedactedAudioRoutes(app: FastifyInstance, deps: RedactedAudioRoutesDeps): void {
  const { config, jobs, auth } = deps;

  app.register(async (scope) => {
    const signer = deps.signer ?? (await UrlSigner.fromConfig(config));

    scope.register((authed, _options, registered) => {
      authed.addHook('onRequest', (request, _reply, next) => {
        try {
          request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization));
          next();
        } catch (error) {
          next(error as Error);
        }
      });

      authed.get<{ Params: { id: string } }>(
        '/v2/transcript/:id/redacted-audio',
        { config: { surface: 'assemblyai' } },
        async (request) => {
          const job = await jobs.get(request.tenantId, request.params.id);
          const { format } = redactedAudioOf(job);
          const signed = signer.signPath(
            downloadPath(request.tenantId, job.id, format),
            REDACTED_AUDIO_URL_TTL_S,
          );
          return {
            status: 'redacted_audio_ready',
            redacted_audio_url: `${baseUrlOf(request, config.publicUrl)}${signed}`,
          };
        },
      );
      registered();
    });

    scope.get<{
      Params: { tenant: string; id: string; file: string };
      Querystring: Record<string, unknown>;
    }>(
      '/v2/redacted-audio/:tenant/:id/:file',
      { config: { surface: 'assemblyai' } },
      async (request: FastifyRequest<{ Params: { tenant: string; id: string; file: string } }>, reply) => {
        // The signature covers the whole path, so tenant, job and format cannot be swapped.
        const urlPath = request.url.split('?', 1)[0]!;
        signer.verifySignedRequest(urlPath, request.query as Record<string, unknown>);
        const tenantId = Buffer.from(request.params.tenant, 'base64url').toString('utf8');
        const job = await jobs.get(tenantId, request.params.id);
        if (job.deletedAt)
          throw new EarshotError('notFound', 'The redacted audio was deleted with its transcript.');
        const { blobKey, format } = redactedAudioOf(job);
        if (request.params.file !== `redacted.${format}`) {
          throw new EarshotError('notFound', 'The redacted audio does not exist (any more).');
        }
        const file = await jobs.openJobFile(tenantId, job.id, blobKey);
        if (file.sizeBytes !== null) reply.header('content-length', file.sizeBytes);
        return (
          reply
            .type(CONTENT_TYPES[format])
            .header('content-disposition', `attachment; filename="${job.id}-redacted.${format}"`)
            // Anyone holding the URL may fetch it: keep shared caches from keeping a copy.
            .header('cache-control', 'private, no-store')
            .send(file.body)
        );
      },
    );
  });
}
