import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../../config/config.js';
import { EarshotError, isEarshotError } from '../../../domain/errors.js';
import type { Job, Upload } from '../../../domain/job.js';
import type { AudioSource } from '../../../domain/transcription-request.js';
import type { JobService } from '../../../jobs/job.service.js';
import type { MediaTool } from '../../../media/media-tool.js';
import { downloadWithYtDlp } from '../../../media/yt-dlp.js';
import type { ModelStore } from '../../../models/model-store.js';
import { assertUrlAllowed, safeFetch } from '../../../net/safe-fetch.js';
import { isUuid } from '../../../util/ids.js';
import { type ApiKeyAuth, keyFromAuthorization } from '../../auth.js';
import { readMultipartForm, singleValuedFields } from '../../multipart-form.js';
import { installLocalResponseHeaders } from '../local/local-headers.js';
import { LOCAL_PARAM_NAMES } from '../local/local-params.js';
import {
  analysisRequest,
  isPageContentType,
  isPageHost,
  parseFormFields,
  parseJsonBody,
  titleFromUrl,
} from './analyze-params.js';
import { ANALYZE_JOB_TYPE, NOT_FOUND_MESSAGE, renderStatus } from './analyze.renderer.js';

export interface AnalyzeApiDeps {
  config: Config;
  jobs: JobService;
  /** ffprobe: a file that is not audio is refused with a 400 before a job is made. */
  media: MediaTool;
  models: ModelStore;
  auth: ApiKeyAuth;
}

/** The audio of an analysis and what to call it until it is done. */
interface Source {
  audio: AudioSource;
  title: string;
  /** An upload this request stored: deleted again when the job cannot be made. */
  upload?: Upload;
}

type WithJobId = { Params: { job_id: string } };

/**
 * The Analyze API (`POST /analyze`, `GET /analyze/{job_id}`): one call to transcribe a recording
 * and list the questions asked in it with a one-sentence summary. It belongs to the local API's
 * family: the same keys (`Authorization: Bearer <key>` or the raw key; off when none are
 * configured), FastAPI-style `{"detail": "…"}` errors, `X-Request-ID` and `X-Process-Time-Ms` on every answer, and its jobs are local-API jobs marked
 * `job_type: analyze` in their parameters. Only translation happens here; the questions come from
 * the `questions` add-on and the summary from the `summary` add-on.
 */
export function registerAnalyzeRoutes(app: FastifyInstance, deps: AnalyzeApiDeps): void {
  const { config, jobs, media, models, auth } = deps;

  app.register((scope, _options, registered) => {
    installLocalResponseHeaders(scope);
    scope.addHook('onRequest', (request, _reply, done) => {
      try {
        request.tenantId = auth.tenantFor(keyFromAuthorization(request.headers.authorization));
        done();
      } catch (error) {
        done(error as Error);
      }
    });

    /** Stores a file (a form part or yt-dlp's download), refusing what ffprobe does not read as audio. */
    const checkedAudio = async (tenant: string, upload: Upload): Promise<void> => {
      try {
        await jobs.withUploadFile(upload, (file) => media.probe(file));
      } catch (error) {
        await jobs.deleteUpload(tenant, upload.id).catch(() => undefined);
        throw error;
      }
    };

    const fromForm = async (request: FastifyRequest): Promise<{ source: Source; model?: string }> => {
      const tenant = request.tenantId;
      const form = await readMultipartForm(request, {
        fileField: 'file',
        store: (body, meta) => jobs.createUpload(tenant, body, meta),
        discard: (upload) => jobs.deleteUpload(tenant, upload.id),
        maxUploadBytes: config.limits.maxUploadBytes,
      });
      const upload = form.upload;
      try {
        const { modelName } = parseFormFields(singleValuedFields(form.fields));
        if (!upload) throw new EarshotError('badRequest', 'file: is required', { param: 'file' });
        await checkedAudio(tenant, upload);
        const source: Source = {
          audio: { kind: 'upload', uploadId: upload.id },
          title: upload.filename ?? 'upload',
          upload,
        };
        return modelName === undefined ? { source } : { source, model: modelName };
      } catch (error) {
        if (upload) await jobs.deleteUpload(tenant, upload.id).catch(() => undefined);
        throw error;
      }
    };

    /** A page's audio through yt-dlp, stored as an upload titled with the page's media title. */
    const fromPage = async (request: FastifyRequest, url: string): Promise<Source> => {
      // yt-dlp fetches on its own, past the SSRF guard: at least its first hop is checked here.
      await assertUrlAllowed(url, { purpose: 'url', allowedPrivateHosts: config.fetch.allowedPrivateHosts });
      const dir = await mkdtemp(path.join(config.dataDir, 'tmp-yt-dlp-'));
      try {
        const download = await downloadWithYtDlp(url, dir, {
          maxBytes: config.limits.maxUploadBytes,
          timeoutMs: config.fetch.timeoutMs,
        });
        const title = download.title ?? titleFromUrl(url);
        const upload = await jobs.createUpload(request.tenantId, createReadStream(download.file), {
          filename: `${title}${path.extname(download.file)}`,
          contentType: null,
        });
        await checkedAudio(request.tenantId, upload);
        return { audio: { kind: 'upload', uploadId: upload.id }, title, upload };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };

    /**
     * A URL: a known video site's page goes to yt-dlp; any other URL is asked for its headers
     * (through the SSRF guard) and, unless it answers HTML, is transcribed from the URL as every
     * surface's `audio_url` is, the job itself downloading it.
     */
    const fromUrl = async (request: FastifyRequest, url: string): Promise<Source> => {
      if (isPageHost(url)) return fromPage(request, url);
      const response = await safeFetch(url, {
        purpose: 'url',
        timeoutMs: config.fetch.timeoutMs,
        maxBytes: config.limits.maxUploadBytes,
        maxRedirects: config.fetch.maxRedirects,
        allowedPrivateHosts: config.fetch.allowedPrivateHosts,
      });
      response.body.destroy();
      if (response.status >= 400) {
        throw new EarshotError(
          'fetchFailed',
          `url: the server answered ${response.status} ${response.statusText}`,
          {
            param: 'url',
          },
        );
      }
      if (isPageContentType(response.headers['content-type'])) return fromPage(request, url);
      return { audio: { kind: 'url', url }, title: titleFromUrl(url) };
    };

    const readSource = async (request: FastifyRequest): Promise<{ source: Source; model?: string }> => {
      if (request.isMultipart()) return fromForm(request);
      if (request.body === undefined || request.body === null) {
        const hasBody =
          Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'];
        throw hasBody
          ? new EarshotError(
              'unsupportedMediaType',
              'Send multipart/form-data with a `file`, or JSON {"url": "…"}',
            )
          : new EarshotError('badRequest', 'Send multipart/form-data with a `file`, or JSON {"url": "…"}');
      }
      const { url, modelName } = parseJsonBody(request.body);
      const source = await fromUrl(request, url);
      return modelName === undefined ? { source } : { source, model: modelName };
    };

    scope.post('/analyze', { config: { surface: 'local' } }, async (request) => {
      const { source, model } = await readSource(request);
      try {
        const job = await jobs.submit(request.tenantId, analysisRequest(source.audio, model, models.all()), {
          surface: 'local',
          surfaceParams: { job_type: ANALYZE_JOB_TYPE, title: source.title, model_name: model ?? null },
          paramNames: LOCAL_PARAM_NAMES,
        });
        return { job_id: job.id, message: 'Job enqueued' };
      } catch (error) {
        if (source.upload) await jobs.deleteUpload(request.tenantId, source.upload.id).catch(() => undefined);
        throw error;
      }
    });

    scope.get<WithJobId>('/analyze/:job_id', { config: { surface: 'local' } }, async (request) => {
      const job = await findAnalysis(jobs, request.tenantId, request.params.job_id);
      if (!job) throw new EarshotError('notFound', NOT_FOUND_MESSAGE);
      return renderStatus(job);
    });

    registered();
  });
}

/** The tenant's analysis job; other jobs, deleted ones and ids that cannot be job ids are not found. */
async function findAnalysis(jobs: JobService, tenant: string, id: string): Promise<Job | undefined> {
  if (!isUuid(id)) return undefined;
  try {
    const job = await jobs.get(tenant, id);
    return job.deletedAt === null && job.surfaceParams.job_type === ANALYZE_JOB_TYPE ? job : undefined;
  } catch (error) {
    if (isEarshotError(error) && error.code === 'notFound') return undefined;
    throw error;
  }
}
