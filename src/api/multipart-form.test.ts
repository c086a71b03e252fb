import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Upload } from '../domain/job.js';
import { LocalBlobStore } from '../store/local.blob-store.js';
import { installBodyParsers } from './body-parsers.js';
import { installErrorHandling } from './error-handler.js';
import './request-context.js';
import { readMultipartForm } from './multipart-form.js';

const LIMIT = 64 * 1024;
const BOUNDARY = 'openai-test-boundary';

type Part = { name: string; value: string } | { name: string; filename: string; type: string; data: Buffer };

/** A multipart body as the openai SDK writes it, cut into chunks. */
function body(parts: Part[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
        ),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
            `Content-Type: ${part.type}\r\n\r\n`,
        ),
      );
      for (let i = 0; i < part.data.length; i += 4096) chunks.push(part.data.subarray(i, i + 4096));
      chunks.push(Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return chunks;
}

describe('OpenAI multipart form reader', () => {
  let app: FastifyInstance;
  let dir: string;
  let blobs: LocalBlobStore;
  let discarded: string[];
  let counter = 0;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-openai-form-'));
    blobs = new LocalBlobStore(dir);
    discarded = [];
    app = Fastify();
    installErrorHandling(app);
    installBodyParsers(app);
    // The limits app.ts registers.
    await app.register(multipart, {
      limits: { fileSize: LIMIT, files: 1, fields: 64, fieldSize: 1024 * 1024, parts: 100 },
      throwFileSizeLimit: true,
    });
    app.post('/form', { config: { surface: 'openai' } }, async (request) => {
      const form = await readMultipartForm(request, {
        fileField: 'file',
        maxUploadBytes: LIMIT,
        store: async (stream, meta): Promise<Upload> => {
          const id = `upload-${++counter}`;
          const sizeBytes = await blobs.put(id, stream, { maxBytes: LIMIT });
          return { id, tenantId: 't', blobKey: id, sizeBytes, createdAt: new Date(), ...meta };
        },
        discard: async (upload) => {
          discarded.push(upload.id);
          await blobs.delete(upload.blobKey);
        },
      });
      return { fields: Object.fromEntries(form.fields), upload: form.upload ?? null };
    });
    await app.ready();
  });

  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (parts: Part[], options: { chunked?: boolean } = {}) => {
    const chunks = body(parts);
    return app.inject({
      method: 'POST',
      url: '/form',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      // A stream has no Content-Length: sent chunked, as the SDK sends an fs.ReadStream.
      payload: options.chunked ? Readable.from(chunks) : Buffer.concat(chunks),
    });
  };

  const audio = Buffer.alloc(20_000, 7);

  it('streams a file that comes first, chunked, and reads the fields after it, repeats in order', async () => {
    const res = await post(
      [
        { name: 'file', filename: 'jfk.wav', type: 'application/octet-stream', data: audio },
        { name: 'model', value: 'whisper-1' },
        { name: 'timestamp_granularities[]', value: 'word' },
        { name: 'timestamp_granularities[]', value: 'segment' },
        { name: 'chunking_strategy[type]', value: 'server_vad' },
      ],
      { chunked: true },
    );
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json<{ fields: Record<string, string[]>; upload: Upload }>();
    assert.deepEqual(out.fields, {
      model: ['whisper-1'],
      'timestamp_granularities[]': ['word', 'segment'],
      'chunking_strategy[type]': ['server_vad'],
    });
    assert.equal(out.upload.sizeBytes, audio.length);
    assert.equal(out.upload.filename, 'jfk.wav');
    assert.equal(out.upload.contentType, 'application/octet-stream');
    assert.deepEqual(await readFile(path.join(dir, out.upload.id)), audio);
  });

  it('reads a file that comes last', async () => {
    const res = await post([
      { name: 'model', value: 'whisper-1' },
      { name: 'file', filename: 'a.flac', type: 'audio/flac', data: audio },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json<{ fields: Record<string, string[]>; upload: Upload }>();
    assert.deepEqual(out.fields, { model: ['whisper-1'] });
    assert.equal(out.upload.contentType, 'audio/flac');
  });

  it('refuses a file over the limit with 413 in the OpenAI shape, and keeps none of it', async () => {
    const before = new Set(await readdir(dir));
    const discardedBefore = discarded.length;
    const res = await post(
      [
        {
          name: 'file',
          filename: 'big.wav',
          type: 'application/octet-stream',
          data: Buffer.alloc(LIMIT + 1, 1),
        },
        { name: 'model', value: 'whisper-1' },
      ],
      { chunked: true },
    );
    assert.equal(res.statusCode, 413);
    assert.deepEqual(res.json(), {
      error: {
        message: `The file is larger than the limit of ${LIMIT} bytes`,
        type: 'invalid_request_error',
        param: 'file',
        code: 'payloadTooLarge',
      },
    });
    assert.equal(discarded.length, discardedBefore + 1);
    assert.deepEqual(new Set(await readdir(dir)), before);
  });

  it('refuses a declared body far over the limit before reading it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/form',
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(LIMIT + 2 * 1024 * 1024),
      },
      payload: Buffer.concat(body([{ name: 'model', value: 'whisper-1' }])),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json<{ error: { param: string } }>().error.param, 'file');
  });

  it('refuses a second file and a file in another field, naming the field', async () => {
    const two = await post([
      { name: 'file', filename: 'a.wav', type: 'audio/wav', data: audio },
      { name: 'file', filename: 'b.wav', type: 'audio/wav', data: audio },
    ]);
    assert.equal(two.statusCode, 400);
    assert.equal(two.json<{ error: { param: string } }>().error.param, 'file');
    const other = await post([{ name: 'audio', filename: 'a.wav', type: 'audio/wav', data: audio }]);
    assert.equal(other.statusCode, 400);
    assert.deepEqual(other.json<{ error: { param: string; message: string } }>().error, {
      message: 'Unexpected file in the field "audio"',
      type: 'invalid_request_error',
      param: 'audio',
      code: 'badRequest',
    });
  });

  it('answers a body that is not multipart with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/form',
      headers: { 'content-type': 'application/json' },
      payload: '{"model":"whisper-1"}',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json<{ error: { param: string } }>().error.param, 'file');
  });
});
