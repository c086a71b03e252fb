import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runModelsCommand } from '../src/cli/models.command.js';
import { loadConfig } from '../src/config/config.js';
import { EarshotError } from '../src/domain/errors.js';
import { BUILTIN_CATALOG } from '../src/models/catalog.js';
import type { CatalogModel } from '../src/models/catalog.types.js';
import { clearVerificationCache } from '../src/models/file-hash.js';
import { MANIFEST_NAME, type ModelManifest } from '../src/models/model-manifest.js';
import { mirrorUrl, pullModel, type PullOptions, type PullProgress } from '../src/models/model-puller.js';
import { ModelStore } from '../src/models/model-store.js';
import { VAD_MODELS_DIR } from './helpers/shared-data.js';

/**
 * `earshot models pull` against a real HTTP server on 127.0.0.1 (random port) that serves files
 * with Range support and can misbehave on request: cut the connection mid-body, ignore Range.
 */

interface ServedFile {
  body: Buffer;
  /** Cut the connection after this many body bytes, for the next `cuts` responses. */
  cutAfter?: number;
  cuts?: number;
  /**
   * The client's partial file: the cut waits until the client has written everything sent so far
   * (data still queued in a client when its connection errors is discarded, so cutting at once
   * would make the number of bytes kept depend on timing).
   */
  partialPath?: string;
  /** Send this many body bytes, then nothing more (the connection stays open), for the next `stalls` responses. */
  stallAfter?: number;
  stalls?: number;
  ignoreRange?: boolean;
  /** Answer 503 to the next `unavailable` requests. */
  unavailable?: number;
}

interface SeenRequest {
  path: string;
  range: string | undefined;
  status: number;
}

class FileServer {
  readonly files = new Map<string, ServedFile>();
  readonly requests: SeenRequest[] = [];
  #server = http.createServer((req, res) => this.#handle(req, res));
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  url(urlPath: string): string {
    return `http://127.0.0.1:${this.port}${urlPath}`;
  }

  requestsFor(urlPath: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === urlPath);
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    const range = req.headers.range;
    const seen: SeenRequest = { path: urlPath, range, status: 0 };
    this.requests.push(seen);
    const reply = (status: number, headers: http.OutgoingHttpHeaders, body?: Buffer): void => {
      seen.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    if (urlPath.startsWith('/redirect/')) {
      reply(302, { location: urlPath.replace('/redirect/', '/files/') });
      return;
    }
    const file = this.files.get(urlPath);
    if (!file) {
      reply(404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
      return;
    }
    if (file.unavailable && file.unavailable > 0) {
      file.unavailable--;
      reply(503, { 'content-type': 'text/plain' }, Buffer.from('busy'));
      return;
    }
    const size = file.body.length;
    let status = 200;
    let start = 0;
    const match = range && !file.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
    const headers: http.OutgoingHttpHeaders = { 'accept-ranges': 'bytes' };
    if (match) {
      start = Number(match[1]);
      if (start >= size) {
        reply(416, { 'content-range': `bytes */${size}` });
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
    }
    const body = file.body.subarray(start);
    headers['content-length'] = body.length;
    seen.status = status;
    if (file.cuts && file.cuts > 0 && file.cutAfter !== undefined) {
      file.cuts--;
      res.writeHead(status, headers);
      // Send part of the promised body, then drop the connection, like a network failure mid-download.
      const sent = body.subarray(0, file.cutAfter);
      res.write(sent, () => {
        void waitForSize(file.partialPath, start + sent.length).then(() => res.socket?.destroy());
      });
      return;
    }
    if (file.stalls && file.stalls > 0 && file.stallAfter !== undefined) {
      file.stalls--;
      res.writeHead(status, headers);
      res.write(body.subarray(0, file.stallAfter));
      return;
    }
    res.writeHead(status, headers);
    res.end(body);
  }
}

/** Resolves once `file` has at least `size` bytes (or after 5 s, or at once without a file). */
async function waitForSize(file: string | undefined, size: number): Promise<void> {
  if (file === undefined) return;
  for (let waited = 0; waited < 5000; waited += 5) {
    const current = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (current >= size) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const root = await mkdtemp(path.join(os.tmpdir(), 'earshot-pull-'));
const server = new FileServer();
before(() => server.start());
after(async () => {
  await server.stop();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => clearVerificationCache());

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${++counter}`;

interface TestFiles {
  model: Buffer;
  tokens: Buffer;
}

/**
 * A NeMo-CTC-shaped test model served by the server: `model.onnx` with a published size and
 * sha256 (unless `publish` is false), `tokens.txt` with none (trust on first use).
 */
function serveModel(
  id: string,
  options: { publish?: boolean; publishedSha?: string; urlPrefix?: string } = {},
): { model: CatalogModel; files: TestFiles } {
  const files: TestFiles = { model: randomBytes(256 * 1024), tokens: Buffer.from(`<blk> 0\n${id} 1\n`) };
  server.files.set(`/files/${id}/model.onnx`, { body: files.model });
  server.files.set(`/files/${id}/tokens.txt`, { body: files.tokens });
  const prefix = options.urlPrefix ?? server.url('/files');
  const publish = options.publish ?? true;
  const model: CatalogModel = {
    id,
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'nemo-ctc',
    description: 'test model',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 1,
    license: 'MIT',
    homepage: 'https://example.com',
    files: [
      {
        name: 'model.onnx',
        role: 'model',
        url: `${prefix}/${id}/model.onnx`,
        ...(publish
          ? { sizeBytes: files.model.length, sha256: options.publishedSha ?? sha256(files.model) }
          : {}),
      },
      { name: 'tokens.txt', role: 'tokens', url: `${prefix}/${id}/tokens.txt` },
    ],
  };
  return { model, files };
}

async function storeWith(...models: CatalogModel[]): Promise<ModelStore> {
  const dir = path.join(root, unique('models'));
  await mkdir(dir);
  return new ModelStore(dir, [...BUILTIN_CATALOG, ...models]);
}

async function pullError(promise: Promise<unknown>, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EarshotError, `expected EarshotError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error.message;
  }
  assert.fail(`expected EarshotError ${code}`);
}

async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const fast: PullOptions = { retryDelayMs: 5 };

describe('pullModel over HTTP', () => {
  test('downloads every file, verifies it and writes the manifest', async () => {
    const id = unique('ok');
    const { model, files } = serveModel(id);
    const store = await storeWith(model);
    const progress: PullProgress[] = [];
    const messages: string[] = [];
    const result = await pullModel(store, id, {
      ...fast,
      onProgress: (p) => progress.push(p),
      onMessage: (m) => messages.push(m),
    });

    const dir = store.modelDir(id);
    assert.deepEqual(await readFile(path.join(dir, 'model.onnx')), files.model);
    assert.deepEqual(await readFile(path.join(dir, 'tokens.txt')), files.tokens);
    assert.deepEqual((await readdir(dir)).sort(), [MANIFEST_NAME, 'model.onnx', 'tokens.txt']);
    assert.deepEqual(
      result.files.map((f) => [f.name, f.action, f.sha256Source]),
      [
        ['model.onnx', 'downloaded', 'published'],
        ['tokens.txt', 'downloaded', 'recorded'],
      ],
    );

    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_NAME), 'utf8')) as ModelManifest;
    assert.equal(manifest.version, 1);
    assert.equal(manifest.id, id);
    assert.deepEqual(
      manifest.files.map(({ installedAt: _at, ...rest }) => rest),
      [
        {
          name: 'model.onnx',
          sizeBytes: files.model.length,
          sha256: sha256(files.model),
          sha256Source: 'published',
          source: server.url(`/files/${id}/model.onnx`),
        },
        {
          name: 'tokens.txt',
          sizeBytes: files.tokens.length,
          sha256: sha256(files.tokens),
          sha256Source: 'recorded',
          source: server.url(`/files/${id}/tokens.txt`),
        },
      ],
    );
    // Trust on first use is announced, not silent.
    assert.deepEqual(messages, [
      `tokens.txt: no published sha256; recorded ${sha256(files.tokens)} (trust on first use). ` +
        `\`earshot models verify ${id}\` will check the file against it from now on.`,
    ]);
    const last = progress.filter((p) => p.file === 'model.onnx').at(-1);
    assert.deepEqual(last, {
      modelId: id,
      file: 'model.onnx',
      fileIndex: 0,
      fileCount: 2,
      phase: 'done',
      bytesDone: files.model.length,
      bytesTotal: files.model.length,
    });
    assert.equal(store.isInstalled(id), true);
    await store.verifyForLoading(store.resolve(id));

    // A second pull finds everything in place and downloads nothing.
    const before = server.requests.length;
    const again = await pullModel(store, id, fast);
    assert.deepEqual(
      again.files.map((f) => f.action),
      ['skipped', 'skipped'],
    );
    assert.equal(server.requests.length, before);
  });

  test('follows redirects', async () => {
    const id = unique('redirect');
    const { model, files } = serveModel(id, { urlPrefix: server.url('/redirect') });
    const store = await storeWith(model);
    await pullModel(store, id, fast);
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
    assert.deepEqual(
      server.requestsFor(`/redirect/${id}/model.onnx`).map((r) => r.status),
      [302],
    );
  });

  test('a connection cut mid-body: the next pull resumes with a Range request', async () => {
    const id = unique('resume');
    const { model, files } = serveModel(id);
    const served = server.files.get(`/files/${id}/model.onnx`);
    assert.ok(served);
    served.cutAfter = 100_000;
    served.cuts = 1;
    const store = await storeWith(model);
    served.partialPath = path.join(store.modelDir(id), 'model.onnx.partial');

    const message = await pullError(pullModel(store, id, { ...fast, retries: 0 }), 'fetchFailed');
    const partialPath = path.join(store.modelDir(id), 'model.onnx.partial');
    const kept = (await stat(partialPath)).size;
    assert.equal(kept, 100_000);
    assert.ok(
      message.includes(`Kept ${kept} bytes in ${partialPath}: running the pull again resumes.`),
      message,
    );
    assert.equal(existsSync(path.join(store.modelDir(id), 'model.onnx')), false);

    const result = await pullModel(store, id, fast);
    const seen = server.requestsFor(`/files/${id}/model.onnx`);
    assert.deepEqual(
      seen.map((r) => [r.range, r.status]),
      [
        [undefined, 200],
        [`bytes=${kept}-`, 206],
      ],
    );
    assert.equal(result.files[0]?.action, 'resumed');
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
    assert.equal(existsSync(partialPath), false);
  });

  test('a cut connection is retried within one pull, resuming', async () => {
    const id = unique('retry');
    const { model, files } = serveModel(id);
    const served = server.files.get(`/files/${id}/model.onnx`);
    assert.ok(served);
    served.cutAfter = 50_000;
    served.cuts = 2;
    const store = await storeWith(model);
    served.partialPath = path.join(store.modelDir(id), 'model.onnx.partial');
    const messages: string[] = [];
    const result = await pullModel(store, id, { ...fast, retries: 3, onMessage: (m) => messages.push(m) });

    const seen = server.requestsFor(`/files/${id}/model.onnx`);
    // The first response is cut after 50,000 bytes, the second (from there) after 50,000 more.
    assert.deepEqual(
      seen.map((r) => [r.range, r.status]),
      [
        [undefined, 200],
        ['bytes=50000-', 206],
        ['bytes=100000-', 206],
      ],
    );
    assert.equal(result.files[0]?.action, 'resumed');
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
    assert.equal(messages.filter((m) => m.startsWith('model.onnx: ') && m.includes('retrying')).length, 2);
  });

  test('416 for the range: the kept partial is taken as complete and verified', async () => {
    const id = unique('r416');
    const { model, files } = serveModel(id);
    const store = await storeWith(model);
    await mkdir(store.modelDir(id), { recursive: true });
    await writeFile(path.join(store.modelDir(id), 'model.onnx.partial'), files.model);
    const result = await pullModel(store, id, fast);
    assert.deepEqual(
      server.requestsFor(`/files/${id}/model.onnx`).map((r) => [r.range, r.status]),
      [[`bytes=${files.model.length}-`, 416]],
    );
    assert.equal(result.files[0]?.action, 'resumed');
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
  });

  test('a server that ignores Range (200): the download starts over', async () => {
    const id = unique('norange');
    const { model, files } = serveModel(id);
    const served = server.files.get(`/files/${id}/model.onnx`);
    assert.ok(served);
    served.ignoreRange = true;
    const store = await storeWith(model);
    await mkdir(store.modelDir(id), { recursive: true });
    // Garbage in the partial proves it was discarded, not appended to.
    await writeFile(path.join(store.modelDir(id), 'model.onnx.partial'), Buffer.alloc(1000, 7));
    const result = await pullModel(store, id, fast);
    assert.deepEqual(
      server.requestsFor(`/files/${id}/model.onnx`).map((r) => [r.range, r.status]),
      [['bytes=1000-', 200]],
    );
    assert.equal(result.files[0]?.action, 'downloaded');
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
  });

  test('a published sha256 that does not match: clear error, nothing left behind', async () => {
    const id = unique('badsha');
    const wrong = 'ab'.repeat(32);
    const { model, files } = serveModel(id, { publishedSha: wrong });
    const store = await storeWith(model);
    const message = await pullError(pullModel(store, id, fast), 'modelCorrupt');
    assert.equal(
      message,
      `model.onnx of model ${id} from ${server.url(`/files/${id}/model.onnx`)}: sha256 is ${sha256(files.model)}, ` +
        `expected the published ${wrong}. The file was deleted; nothing was installed. If the source is right, ` +
        'the catalog entry is out of date.',
    );
    assert.deepEqual(await readdir(store.modelDir(id)), []);
    assert.equal(store.status(id).status, 'missing');
  });

  test('a server sending more than the published size is stopped and the download deleted', async () => {
    const id = unique('toolong');
    const { model } = serveModel(id);
    const served = server.files.get(`/files/${id}/model.onnx`);
    assert.ok(served);
    served.body = Buffer.concat([served.body, Buffer.alloc(10)]);
    const store = await storeWith(model);
    const message = await pullError(pullModel(store, id, fast), 'modelCorrupt');
    assert.match(message, /the server sent more than the expected 262144 bytes; the download was deleted/);
    assert.deepEqual(await readdir(store.modelDir(id)), []);
  });

  test('trust on first use: the recorded sha256 catches a later tampered file', async () => {
    const id = unique('tofu');
    const { model, files } = serveModel(id, { publish: false });
    const store = await storeWith(model);
    const result = await pullModel(store, id, fast);
    assert.deepEqual(
      result.files.map((f) => f.sha256Source),
      ['recorded', 'recorded'],
    );
    const clean = await store.verify(id);
    assert.equal(clean.ok, true);
    assert.deepEqual(
      clean.files.map((f) => [f.status, f.sha256Source]),
      [
        ['ok', 'recorded'],
        ['ok', 'recorded'],
      ],
    );

    // Same size, different bytes: only the recorded sha256 can tell.
    const tampered = Buffer.from(files.model);
    tampered[1234] = tampered[1234]! ^ 0x01;
    await writeFile(path.join(store.modelDir(id), 'model.onnx'), tampered);
    const report = await store.verify(id);
    assert.equal(report.ok, false);
    assert.equal(report.files[0]?.status, 'sha256Mismatch');
    assert.equal(
      report.files[0]?.message,
      `sha256 ${sha256(tampered)}, expected ${sha256(files.model)} (recorded)`,
    );
    await pullError(store.verifyForLoading(store.resolve(id)), 'modelCorrupt');

    // A pull replaces the damaged file with a fresh download.
    const repaired = await pullModel(store, id, fast);
    assert.deepEqual(
      repaired.files.map((f) => f.action),
      ['downloaded', 'skipped'],
    );
    assert.equal((await store.verify(id)).ok, true);
  });

  test('server not reachable: the error says what to place where', async () => {
    const port = await closedPort();
    const id = unique('offline');
    const { model, files } = serveModel(id, { urlPrefix: `http://127.0.0.1:${port}/files` });
    const store = await storeWith(model);
    const started = Date.now();
    const message = await pullError(pullModel(store, id, { retries: 3, retryDelayMs: 2000 }), 'fetchFailed');
    // A refused connection is not retried: retrying cannot help an air-gapped machine.
    assert.ok(Date.now() - started < 1500, 'ECONNREFUSED must fail at once');
    const modelUrl = `http://127.0.0.1:${port}/files/${id}/model.onnx`;
    const tokensUrl = `http://127.0.0.1:${port}/files/${id}/tokens.txt`;
    assert.equal(
      message,
      [
        `Could not download model.onnx for model ${id}: connection refused (ECONNREFUSED).`,
        `  URL:      ${modelUrl}`,
        '',
        'To install it without network access, download each file below elsewhere and place it here:',
        '  model.onnx',
        `    from:     ${modelUrl}`,
        `    place at: ${path.join(store.modelDir(id), 'model.onnx')}`,
        `    expected: ${files.model.length} bytes, sha256 ${sha256(files.model)}`,
        '  tokens.txt',
        `    from:     ${tokensUrl}`,
        `    place at: ${path.join(store.modelDir(id), 'tokens.txt')}`,
        '    expected: no published sha256',
        '',
        `then run:  earshot models verify ${id}`,
        `(or put the files in one folder and run: earshot models pull ${id} --from <folder>)`,
        `Files with no published sha256 are recorded on first use by \`earshot models pull ${id}\`, ` +
          'which keeps files already in place.',
      ].join('\n'),
    );

    // Following the instructions works: place the files, then a pull adopts them without the network.
    await writeFile(path.join(store.modelDir(id), 'model.onnx'), files.model);
    await writeFile(path.join(store.modelDir(id), 'tokens.txt'), files.tokens);
    const report = await store.verify(id);
    assert.deepEqual(
      report.files.map((f) => f.status),
      ['ok', 'unverified'],
    );
    const adopted = await pullModel(store, id, fast);
    assert.deepEqual(
      adopted.files.map((f) => f.action),
      ['skipped', 'adopted'],
    );
    assert.deepEqual(
      (await store.verify(id)).files.map((f) => [f.status, f.sha256Source]),
      [
        ['ok', 'published'],
        ['ok', 'recorded'],
      ],
    );
  });

  test('an HTTP 503 is retried', async () => {
    const id = unique('busy');
    const { model, files } = serveModel(id);
    const served = server.files.get(`/files/${id}/tokens.txt`);
    assert.ok(served);
    served.unavailable = 2;
    const store = await storeWith(model);
    const messages: string[] = [];
    await pullModel(store, id, { ...fast, onMessage: (m) => messages.push(m) });
    assert.deepEqual(
      server.requestsFor(`/files/${id}/tokens.txt`).map((r) => r.status),
      [503, 503, 200],
    );
    assert.equal(messages[0], 'tokens.txt: HTTP 503 Service Unavailable; retrying in 0 s (attempt 2 of 4).');
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'tokens.txt')), files.tokens);
  });

  test('an HTTP 404 is not retried and names the URL', async () => {
    const id = unique('gone');
    const { model } = serveModel(id);
    server.files.delete(`/files/${id}/tokens.txt`);
    const store = await storeWith(model);
    const message = await pullError(pullModel(store, id, { ...fast, retries: 3 }), 'fetchFailed');
    assert.ok(
      message.startsWith(`Could not download tokens.txt for model ${id}: HTTP 404 Not Found.`),
      message,
    );
    assert.equal(server.requestsFor(`/files/${id}/tokens.txt`).length, 1);
    // The file that did arrive stays installed and recorded.
    assert.equal(store.status(id).status, 'partial');
    assert.deepEqual(
      store.readManifest(id)?.files.map((f) => f.name),
      ['model.onnx'],
    );
  });

  test('--mirror: each URL keeps its path under the mirror base', async () => {
    const port = await closedPort();
    const id = unique('mirror');
    // The catalog points at a dead origin; only the mirror can serve the files.
    const { model, files } = serveModel(id, { urlPrefix: `http://127.0.0.1:${port}/files` });
    server.files.set(`/mirror/files/${id}/model.onnx`, { body: files.model });
    server.files.set(`/mirror/files/${id}/tokens.txt`, { body: files.tokens });
    const store = await storeWith(model);
    const result = await pullModel(store, id, { ...fast, mirror: server.url('/mirror/') });
    assert.deepEqual(
      result.files.map((f) => f.source),
      [server.url(`/mirror/files/${id}/model.onnx`), server.url(`/mirror/files/${id}/tokens.txt`)],
    );
    assert.equal(server.requestsFor(`/mirror/files/${id}/model.onnx`).length, 1);
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
  });

  test('--from: copies files from a local folder by name, without the network', async () => {
    const port = await closedPort();
    const id = unique('from');
    const { model, files } = serveModel(id, { urlPrefix: `http://127.0.0.1:${port}/files` });
    const fromDir = path.join(root, unique('from-dir'));
    await mkdir(fromDir);
    await writeFile(path.join(fromDir, 'model.onnx'), files.model);
    await writeFile(path.join(fromDir, 'tokens.txt'), files.tokens);
    const store = await storeWith(model);
    const result = await pullModel(store, id, { ...fast, fromDir });
    assert.deepEqual(
      result.files.map((f) => [f.action, f.source, f.sha256Source]),
      [
        ['copied', path.join(fromDir, 'model.onnx'), 'published'],
        ['copied', path.join(fromDir, 'tokens.txt'), 'recorded'],
      ],
    );
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'tokens.txt')), files.tokens);
    assert.equal((await store.verify(id)).ok, true);
  });

  test('--from: a missing or wrong file is a clear error', async () => {
    const id = unique('from-bad');
    const { model, files } = serveModel(id);
    const fromDir = path.join(root, unique('from-dir'));
    await mkdir(fromDir);
    const store = await storeWith(model);
    const missing = await pullError(pullModel(store, id, { ...fast, fromDir }), 'modelMissing');
    assert.equal(
      missing,
      `--from ${fromDir}: model.onnx is not there (model ${id} needs it; download it from ` +
        `${server.url(`/files/${id}/model.onnx`)}; expected ${files.model.length} bytes, sha256 ${sha256(files.model)}).`,
    );
    const wrong = Buffer.from(files.model);
    wrong[0] = wrong[0]! ^ 0xff;
    await writeFile(path.join(fromDir, 'model.onnx'), wrong);
    const corrupt = await pullError(pullModel(store, id, { ...fast, fromDir }), 'modelCorrupt');
    assert.match(
      corrupt,
      new RegExp(`sha256 is ${sha256(wrong)}, expected the published ${sha256(files.model)}`),
    );
    assert.deepEqual(await readdir(store.modelDir(id)), []);
  });

  test('a cancelled pull says so and keeps the partial download for the next pull', async () => {
    const id = unique('cancel');
    const { model, files } = serveModel(id);
    const served = server.files.get(`/files/${id}/model.onnx`);
    assert.ok(served);
    served.stallAfter = 70_000;
    served.stalls = 1;
    const store = await storeWith(model);
    const controller = new AbortController();
    const message = await pullError(
      pullModel(store, id, {
        ...fast,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'download' && p.bytesDone >= 70_000) controller.abort();
        },
      }),
      'cancelled',
    );
    assert.equal(message, `Pulling ${id} was cancelled; running it again resumes.`);
    // Progress is reported once bytes are on disk, so everything reported is kept.
    const kept = (await stat(path.join(store.modelDir(id), 'model.onnx.partial'))).size;
    assert.equal(kept, 70_000);
    await pullModel(store, id, fast);
    assert.equal(server.requestsFor(`/files/${id}/model.onnx`).at(-1)?.range, 'bytes=70000-');
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
  });

  test('a stalled connection times out, is retried, and resumes', async () => {
    const id = unique('stall');
    const { model, files } = serveModel(id);
    const served = server.files.get(`/files/${id}/model.onnx`);
    assert.ok(served);
    served.stallAfter = 30_000;
    served.stalls = 1;
    const store = await storeWith(model);
    const messages: string[] = [];
    await pullModel(store, id, { ...fast, idleTimeoutMs: 300, onMessage: (m) => messages.push(m) });
    assert.equal(messages[0], 'model.onnx: no data received for 300 ms; retrying in 0 s (attempt 2 of 4).');
    assert.equal(server.requestsFor(`/files/${id}/model.onnx`).at(-1)?.range, 'bytes=30000-');
    assert.deepEqual(await readFile(path.join(store.modelDir(id), 'model.onnx')), files.model);
  });

  test('the system sphinx model is never pulled', async () => {
    const store = await storeWith();
    const present = existsSync('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin');
    if (present) {
      const result = await pullModel(store, 'sphinx-en-us');
      assert.deepEqual(
        result.files.map((f) => f.action),
        ['system', 'system', 'system'],
      );
      assert.equal(result.manifestPath, undefined);
    } else {
      const message = await pullError(pullModel(store, 'sphinx-en-us'), 'modelMissing');
      assert.match(message, /apt-get install pocketsphinx-en-us/);
    }
  });
});

test('mirrorUrl replaces the origin and keeps the path and query', () => {
  assert.equal(
    mirrorUrl(
      'https://huggingface.co/csukuangfj/repo/resolve/main/a.onnx?download=true',
      'http://mirror.lan:8080',
    ),
    'http://mirror.lan:8080/csukuangfj/repo/resolve/main/a.onnx?download=true',
  );
  assert.equal(
    mirrorUrl('https://huggingface.co/x/y.onnx', 'https://internal.example/hf-cache/'),
    'https://internal.example/hf-cache/x/y.onnx',
  );
});

test('the built-in Silero VAD entries match the real weights in ../shared (pull --from)', async (t) => {
  if (!existsSync(path.join(VAD_MODELS_DIR, 'silero_vad_v6.2.onnx'))) {
    t.skip(`no shared VAD weights in ${VAD_MODELS_DIR}`);
    return;
  }
  const store = await storeWith();
  for (const id of ['silero-vad-v6.2', 'silero-vad-v5.1.2']) {
    const result = await pullModel(store, id, { fromDir: VAD_MODELS_DIR });
    assert.deepEqual(
      result.files.map((f) => [f.action, f.sha256Source, f.sizeBytes]),
      [['copied', 'published', 2_327_524]],
    );
    await store.verifyForLoading(store.resolve(id));
  }
});

describe('runModelsCommand', () => {
  function io(): { stdout: PassThrough; stderr: PassThrough; out: () => string; err: () => string } {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const o: string[] = [];
    const e: string[] = [];
    stdout.on('data', (c: Buffer) => o.push(c.toString()));
    stderr.on('data', (c: Buffer) => e.push(c.toString()));
    return { stdout, stderr, out: () => o.join(''), err: () => e.join('') };
  }

  async function setup(...models: CatalogModel[]): Promise<{ config: ReturnType<typeof loadConfig> }> {
    const dataDir = path.join(root, unique('data'));
    await mkdir(dataDir);
    const catalogFile = path.join(dataDir, 'catalog.json');
    await writeFile(catalogFile, JSON.stringify({ models }));
    return { config: loadConfig({ EARSHOT_DATA_DIR: dataDir, EARSHOT_MODELS_CATALOG: catalogFile }) };
  }

  test('pull, list and verify with their exit codes', async () => {
    const a = serveModel(unique('cli-a'));
    const b = serveModel(unique('cli-b'));
    const { config } = await setup(a.model, b.model);

    const pulled = io();
    assert.equal(await runModelsCommand(['pull', a.model.id], { config, ...pulled }), 0);
    assert.equal(
      pulled.out(),
      `${a.model.id}: installed (2 of 2 files fetched) in ${path.join(config.modelsDir, a.model.id)}\n`,
    );
    assert.match(pulled.err(), new RegExp(`^Pulling ${a.model.id} \\(2 files\\)\\n`));
    assert.match(pulled.err(), /model\.onnx \(1\/2\): done, 256\.0 KiB/);
    assert.match(
      pulled.err(),
      /tokens\.txt: no published sha256; recorded [0-9a-f]{64} \(trust on first use\)/,
    );

    const listed = io();
    assert.equal(await runModelsCommand(['list'], { config, ...listed }), 0);
    const lines = listed.out().split('\n');
    assert.match(lines[0] ?? '', /^ID\s+KIND\s+RUNTIME\s+LANGUAGES\s+SIZE\s+STATUS$/);
    const row = (id: string): string[] => (lines.find((l) => l.startsWith(`${id} `)) ?? '').split(/\s{2,}/);
    assert.deepEqual(row(a.model.id), [a.model.id, 'asr', 'sherpa', 'en', '256.0 KiB', 'installed']);
    assert.deepEqual(row(b.model.id), [b.model.id, 'asr', 'sherpa', 'en', '-', 'missing']);
    assert.deepEqual(row('whisper-tiny'), [
      'whisper-tiny',
      'asr',
      'sherpa',
      'multilingual',
      '~99.2 MiB',
      'missing',
    ]);
    const sphinxPresent = existsSync('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin');
    assert.equal(
      row('sphinx-en-us').at(-1),
      sphinxPresent
        ? 'installed (system package pocketsphinx-en-us)'
        : 'missing (apt-get install pocketsphinx-en-us)',
    );
    assert.equal(lines.at(-2), `Models directory: ${config.modelsDir}`);

    const verified = io();
    assert.equal(await runModelsCommand(['verify'], { config, ...verified }), 0);
    assert.match(verified.out(), new RegExp(`^${a.model.id}: ok\\n`, 'm'));
    assert.match(verified.out(), /^ {2}ok {9}model\.onnx {2}sha256 matches \(published\)$/m);
    assert.doesNotMatch(verified.out(), new RegExp(b.model.id));

    const tampered = Buffer.from(a.files.tokens);
    tampered[0] = 0x23;
    await writeFile(path.join(config.modelsDir, a.model.id, 'tokens.txt'), tampered);
    const failed = io();
    assert.equal(await runModelsCommand(['verify', a.model.id], { config, ...failed }), 1);
    assert.match(failed.out(), new RegExp(`^${a.model.id}: FAILED$`, 'm'));
    assert.match(
      failed.out(),
      /^ {2}BAD SHA256 tokens\.txt {2}sha256 [0-9a-f]{64}, expected [0-9a-f]{64} \(recorded\)$/m,
    );

    const notInstalled = io();
    assert.equal(await runModelsCommand(['verify', b.model.id], { config, ...notInstalled }), 1);
    assert.match(notInstalled.out(), /^ {2}MISSING {4}model\.onnx/m);
  });

  test('pull --from through the command', async () => {
    const a = serveModel(unique('cli-from'));
    const { config } = await setup(a.model);
    const fromDir = path.join(root, unique('from-dir'));
    await mkdir(fromDir);
    await writeFile(path.join(fromDir, 'model.onnx'), a.files.model);
    await writeFile(path.join(fromDir, 'tokens.txt'), a.files.tokens);
    const before = server.requests.length;
    const out = io();
    assert.equal(await runModelsCommand(['pull', a.model.id, '--from', fromDir], { config, ...out }), 0);
    assert.equal(server.requests.length, before);
    assert.equal((await new ModelStore(config.modelsDir, [a.model]).verify(a.model.id)).ok, true);
  });

  test('usage errors, unknown ids and nothing installed', async () => {
    const { config } = await setup();
    const none = io();
    assert.equal(await runModelsCommand(['verify'], { config, ...none }), 0);
    // Nothing pulled: only the OS-provided sphinx model can be installed.
    assert.equal(
      none.out().split('\n')[0],
      existsSync('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin')
        ? "sphinx-en-us: ok (provided by the system package pocketsphinx-en-us: only the files' existence is checked)"
        : `No models installed in ${config.modelsDir}.`,
    );

    const unknown = io();
    assert.equal(await runModelsCommand(['verify', 'nope'], { config, ...unknown }), 1);
    assert.match(unknown.err(), /^earshot models: Unknown model "nope"\. Known models: silero-vad-v6\.2, /);

    const unknownPull = io();
    assert.equal(await runModelsCommand(['pull', 'nope'], { config, ...unknownPull }), 1);

    const noIds = io();
    assert.equal(await runModelsCommand(['pull'], { config, ...noIds }), 2);

    const badFlag = io();
    assert.equal(await runModelsCommand(['list', '--bogus'], { config, ...badFlag }), 2);
    assert.match(badFlag.err(), /Unknown option '--bogus'/);

    const misplaced = io();
    assert.equal(await runModelsCommand(['list', '--from', '/tmp'], { config, ...misplaced }), 2);

    const badMirror = io();
    assert.equal(
      await runModelsCommand(['pull', 'whisper-tiny', '--mirror', 'not a url'], { config, ...badMirror }),
      2,
    );

    const help = io();
    assert.equal(await runModelsCommand(['--help'], { config, ...help }), 0);
    assert.match(help.out(), /^Usage: earshot models <command>/);
    assert.equal(await runModelsCommand([], { config, ...io() }), 2);
    assert.equal(await runModelsCommand(['frobnicate'], { config, ...io() }), 2);
  });

  test('a bad catalog file is reported with its problems', async () => {
    const dataDir = path.join(root, unique('data'));
    await mkdir(dataDir);
    const catalogFile = path.join(dataDir, 'catalog.json');
    await writeFile(catalogFile, JSON.stringify({ models: [{ id: 'x' }] }));
    const config = loadConfig({ EARSHOT_DATA_DIR: dataDir, EARSHOT_MODELS_CATALOG: catalogFile });
    const out = io();
    assert.equal(await runModelsCommand(['list'], { config, ...out }), 1);
    assert.match(
      out.err(),
      /Invalid configuration:\n {2}- EARSHOT_MODELS_CATALOG \(.*catalog\.json\): models\[0\]\.kind \(model "x"\): /,
    );
  });
});
