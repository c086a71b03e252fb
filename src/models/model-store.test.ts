import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { EarshotError } from '../domain/errors.js';
import { BUILTIN_CATALOG } from './catalog.js';
import type { CatalogModel } from './catalog.types.js';
import { clearVerificationCache } from './file-hash.js';
import { MANIFEST_NAME, writeManifestFile } from './model-manifest.js';
import { ModelStore } from './model-store.js';

const root = await mkdtemp(path.join(os.tmpdir(), 'earshot-store-'));
after(() => rm(root, { recursive: true, force: true }));

const MODEL_BYTES = Buffer.from('pretend onnx weights\n'.repeat(50));
const TOKENS_BYTES = Buffer.from('<blk> 0\na 1\nb 2\n');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A model whose `model.onnx` has a published size and sha256 and whose `tokens.txt` has none. */
function ctcModel(id: string): CatalogModel {
  return {
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
    approxSizeBytes: 5000,
    files: [
      {
        name: 'model.onnx',
        role: 'model',
        url: 'https://example.com/model.onnx',
        sizeBytes: MODEL_BYTES.length,
        sha256: sha256(MODEL_BYTES),
      },
      { name: 'tokens.txt', role: 'tokens', url: 'https://example.com/tokens.txt' },
    ],
  };
}

let dirCounter = 0;
async function freshStore(extra: CatalogModel[] = []): Promise<ModelStore> {
  const dir = path.join(root, `models-${++dirCounter}`);
  await mkdir(dir);
  return new ModelStore(dir, [ctcModel('ctc'), ...extra]);
}

async function install(store: ModelStore, options: { manifest: boolean }): Promise<void> {
  await mkdir(store.modelDir('ctc'), { recursive: true });
  await writeFile(path.join(store.modelDir('ctc'), 'model.onnx'), MODEL_BYTES);
  await writeFile(path.join(store.modelDir('ctc'), 'tokens.txt'), TOKENS_BYTES);
  if (options.manifest) {
    const at = '2025-01-01T00:00:00.000Z';
    await writeManifestFile(store.manifestPath('ctc'), {
      version: 1,
      id: 'ctc',
      updatedAt: at,
      files: [
        {
          name: 'model.onnx',
          sizeBytes: MODEL_BYTES.length,
          sha256: sha256(MODEL_BYTES),
          sha256Source: 'published',
          source: 'https://example.com/model.onnx',
          installedAt: at,
        },
        {
          name: 'tokens.txt',
          sizeBytes: TOKENS_BYTES.length,
          sha256: sha256(TOKENS_BYTES),
          sha256Source: 'recorded',
          source: 'https://example.com/tokens.txt',
          installedAt: at,
        },
      ],
    });
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EarshotError, `expected EarshotError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error.message;
  }
  assert.fail(`expected EarshotError ${code}`);
}

beforeEach(() => clearVerificationCache());

describe('ModelStore.list / status', () => {
  test('missing, partial (some files, or only a .partial download) and installed', async () => {
    const store = await freshStore();
    assert.equal(store.status('ctc').status, 'missing');
    assert.equal(store.isInstalled('ctc'), false);

    await mkdir(store.modelDir('ctc'));
    await writeFile(path.join(store.modelDir('ctc'), 'model.onnx.partial'), 'half');
    assert.equal(store.status('ctc').status, 'partial');

    await writeFile(path.join(store.modelDir('ctc'), 'model.onnx'), MODEL_BYTES);
    const partial = store.status('ctc');
    assert.deepEqual([partial.status, partial.filesPresent, partial.filesTotal], ['partial', 1, 2]);

    await writeFile(path.join(store.modelDir('ctc'), 'tokens.txt'), TOKENS_BYTES);
    assert.equal(store.isInstalled('ctc'), true);
  });

  test('size: the approximation until every size is known, then exact', async () => {
    const store = await freshStore();
    const before = store.status('ctc');
    assert.deepEqual([before.sizeBytes, before.sizeIsApprox], [5000, true]);
    await install(store, { manifest: true });
    const afterPull = store.status('ctc');
    assert.deepEqual(
      [afterPull.sizeBytes, afterPull.sizeIsApprox],
      [MODEL_BYTES.length + TOKENS_BYTES.length, false],
    );
  });

  test('lists every catalog model; the Debian sphinx model is installed exactly when its files exist', () => {
    const store = new ModelStore(path.join(root, 'unused'), BUILTIN_CATALOG);
    const list = store.list();
    assert.deepEqual(
      list.map((s) => s.model.id),
      BUILTIN_CATALOG.map((m) => m.id),
    );
    const sphinx = list.find((s) => s.model.id === 'sphinx-en-us');
    const present = ['en-us', 'en-us.lm.bin', 'cmudict-en-us.dict'].every((f) =>
      existsSync(`/usr/share/pocketsphinx/model/en-us/${f}`),
    );
    assert.equal(sphinx?.status, present ? 'installed' : 'missing');
    assert.equal(sphinx?.system, true);
    assert.equal(list.find((s) => s.model.id === 'whisper-tiny')?.status, 'missing');
  });

  test('an unknown id is a modelMissing error listing the known ones', async () => {
    const store = await freshStore();
    assert.throws(() => store.status('nope'), {
      name: 'EarshotError',
      code: 'modelMissing',
      message: 'Unknown model "nope". Known models: ctc.',
    });
    assert.equal(store.isInstalled('nope'), false);
  });
});

describe('ModelStore.resolve', () => {
  test('absolute paths by file name; sha256 published, else recorded in the manifest', async () => {
    const store = await freshStore();
    const unpulled = store.resolve('ctc');
    assert.deepEqual(unpulled.sha256, { 'model.onnx': sha256(MODEL_BYTES), 'tokens.txt': undefined });

    await install(store, { manifest: true });
    const resolved = store.resolve('ctc');
    assert.deepEqual(resolved.files, {
      'model.onnx': path.join(store.modelsDir, 'ctc', 'model.onnx'),
      'tokens.txt': path.join(store.modelsDir, 'ctc', 'tokens.txt'),
    });
    assert.deepEqual(resolved.sha256, {
      'model.onnx': sha256(MODEL_BYTES),
      'tokens.txt': sha256(TOKENS_BYTES),
    });
    assert.equal(resolved.model.id, 'ctc');
  });

  test('system models resolve to their absolute paths', () => {
    const store = new ModelStore(path.join(root, 'unused'), BUILTIN_CATALOG);
    const resolved = store.resolve('sphinx-en-us');
    assert.equal(
      resolved.files['/usr/share/pocketsphinx/model/en-us/en-us.lm.bin'],
      '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin',
    );
    assert.equal(Object.keys(resolved.files).length, 3);
  });

  test('a damaged manifest is a modelCorrupt error that says what to do', async () => {
    const store = await freshStore();
    await install(store, { manifest: false });
    await writeFile(path.join(store.modelDir('ctc'), MANIFEST_NAME), '{"version": 1');
    assert.throws(
      () => store.resolve('ctc'),
      (error: unknown) =>
        error instanceof EarshotError &&
        error.code === 'modelCorrupt' &&
        error.message.includes('earshot models pull ctc'),
    );
  });
});

describe('ModelStore.verify', () => {
  test('ok files: published and recorded checksums', async () => {
    const store = await freshStore();
    await install(store, { manifest: true });
    const report = await store.verify('ctc');
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.files.map((f) => [f.name, f.status, f.sha256Source, f.hashed, f.actualSha256]),
      [
        ['model.onnx', 'ok', 'published', true, sha256(MODEL_BYTES)],
        ['tokens.txt', 'ok', 'recorded', true, sha256(TOKENS_BYTES)],
      ],
    );
  });

  test('without a manifest a file with no published checksum is unverified (not a failure)', async () => {
    const store = await freshStore();
    await install(store, { manifest: false });
    const report = await store.verify('ctc');
    assert.equal(report.ok, true);
    const tokens = report.files[1];
    assert.equal(tokens?.status, 'unverified');
    assert.equal(
      tokens?.message,
      `no sha256 published or recorded; this file's sha256 is ${sha256(TOKENS_BYTES)}`,
    );
  });

  test('missing, size mismatch and sha256 mismatch', async () => {
    const store = await freshStore();
    await install(store, { manifest: true });
    await rm(path.join(store.modelDir('ctc'), 'tokens.txt'));
    const damaged = Buffer.from(MODEL_BYTES);
    damaged[10] = damaged[10]! ^ 0xff;
    await writeFile(path.join(store.modelDir('ctc'), 'model.onnx'), damaged);
    const report = await store.verify('ctc');
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.files.map((f) => f.status),
      ['sha256Mismatch', 'missing'],
    );
    assert.equal(
      report.files[0]?.message,
      `sha256 ${sha256(damaged)}, expected ${sha256(MODEL_BYTES)} (published)`,
    );

    await writeFile(path.join(store.modelDir('ctc'), 'model.onnx'), MODEL_BYTES.subarray(1));
    const truncated = await store.verify('ctc');
    assert.equal(truncated.files[0]?.status, 'sizeMismatch');
    assert.equal(
      truncated.files[0]?.message,
      `size ${MODEL_BYTES.length - 1} bytes, expected ${MODEL_BYTES.length}`,
    );
  });

  test('quick mode checks sizes without hashing', async () => {
    const store = await freshStore();
    await install(store, { manifest: true });
    const damaged = Buffer.from(MODEL_BYTES);
    damaged[0] = damaged[0]! ^ 0xff;
    await writeFile(path.join(store.modelDir('ctc'), 'model.onnx'), damaged);
    const quick = await store.verify('ctc', { full: false });
    assert.deepEqual(
      quick.files.map((f) => [f.status, f.hashed]),
      [
        ['ok', false],
        ['ok', false],
      ],
    );
    assert.equal((await store.verify('ctc')).files[0]?.status, 'sha256Mismatch');
  });

  test('system models: only existence is checked, and the report says so', async () => {
    const sysDir = path.join(root, 'sys');
    await mkdir(sysDir, { recursive: true });
    await writeFile(path.join(sysDir, 'lm'), 'x');
    await writeFile(path.join(sysDir, 'dict'), 'x');
    const sys: CatalogModel = {
      ...ctcModel('sys'),
      runtime: 'sphinx',
      architecture: undefined,
      systemPackage: 'some-package',
      files: [
        { name: path.join(sysDir, 'am'), role: 'acoustic-model', url: 'https://example.com' },
        { name: path.join(sysDir, 'lm'), role: 'language-model', url: 'https://example.com' },
        { name: path.join(sysDir, 'dict'), role: 'dictionary', url: 'https://example.com' },
      ],
    };
    const store = await freshStore([sys]);
    const missing = await store.verify('sys');
    assert.equal(missing.ok, false);
    assert.equal(
      missing.note,
      "provided by the system package some-package: only the files' existence is checked",
    );
    assert.deepEqual(
      missing.files.map((f) => f.status),
      ['missing', 'ok', 'ok'],
    );
    const message = await rejectsWith(store.verifyForLoading(store.resolve('sys')), 'modelMissing');
    assert.equal(
      message,
      `Model sys: ${path.join(sysDir, 'am')} is missing. It comes from the system package some-package (apt-get install some-package).`,
    );

    await mkdir(path.join(sysDir, 'am'));
    assert.equal((await store.verify('sys')).ok, true);
    await store.verifyForLoading(store.resolve('sys'));
    assert.equal(store.status('sys').status, 'installed');
  });
});

describe('ModelStore.verifyForLoading', () => {
  test('a missing file is modelMissing naming the file, its path and the command', async () => {
    const store = await freshStore();
    const message = await rejectsWith(store.verifyForLoading(store.resolve('ctc')), 'modelMissing');
    assert.equal(
      message,
      `Model ctc is not installed: file model.onnx is missing (expected at ${path.join(store.modelDir('ctc'), 'model.onnx')}). Run \`earshot models pull ctc\`.`,
    );
  });

  test('a damaged file is modelCorrupt naming the file, expected and actual sha256', async () => {
    const store = await freshStore();
    await install(store, { manifest: true });
    await writeFile(path.join(store.modelDir('ctc'), 'tokens.txt'), 'tampered tokens');
    const message = await rejectsWith(store.verifyForLoading(store.resolve('ctc')), 'modelCorrupt');
    // tokens.txt has no published size, so the size differs silently and the sha256 catches it.
    assert.equal(
      message,
      `Model ctc: file tokens.txt (${path.join(store.modelDir('ctc'), 'tokens.txt')}) is damaged: ` +
        `sha256 ${sha256(Buffer.from('tampered tokens'))}, expected ${sha256(TOKENS_BYTES)} (recorded when it was pulled). ` +
        'Run `earshot models pull ctc` to download it again.',
    );
  });

  test('a published size mismatch is modelCorrupt before hashing', async () => {
    const store = await freshStore();
    await install(store, { manifest: true });
    await writeFile(path.join(store.modelDir('ctc'), 'model.onnx'), 'short');
    const message = await rejectsWith(store.verifyForLoading(store.resolve('ctc')), 'modelCorrupt');
    assert.match(message, new RegExp(`file model\\.onnx .* has 5 bytes, expected ${MODEL_BYTES.length}\\.`));
  });

  test('with no checksum at all, loading is refused with the command that records one', async () => {
    const store = await freshStore();
    await install(store, { manifest: false });
    const message = await rejectsWith(store.verifyForLoading(store.resolve('ctc')), 'modelMissing');
    assert.match(message, /file tokens\.txt .* has no sha256 to verify against/);
    assert.match(message, /Run `earshot models pull ctc`/);
  });

  test('a verified file is hashed once while its size and mtime are unchanged', async () => {
    const store = await freshStore();
    await install(store, { manifest: true });
    const resolved = store.resolve('ctc');
    const file = path.join(store.modelDir('ctc'), 'model.onnx');
    // Whole seconds, so the mtime can be put back exactly (a Date would drop sub-millisecond digits).
    const mtime = 1_700_000_000;
    await utimes(file, mtime, mtime);
    await store.verifyForLoading(resolved);

    // Same size, same mtime, different content: only a cache hit can miss this.
    const swapped = Buffer.from(MODEL_BYTES);
    swapped[3] = swapped[3]! ^ 0xff;
    await writeFile(file, swapped);
    await utimes(file, mtime, mtime);
    assert.equal((await stat(file)).mtimeMs, mtime * 1000);
    await store.verifyForLoading(resolved);

    // A changed mtime invalidates the record, and the damage is found.
    await utimes(file, mtime, mtime + 5);
    await rejectsWith(store.verifyForLoading(resolved), 'modelCorrupt');

    // And so does an explicit verify, which always re-reads.
    await utimes(file, mtime, mtime);
    assert.equal((await store.verify('ctc')).files[0]?.status, 'sha256Mismatch');
  });
});
