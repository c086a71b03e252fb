import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { EarshotError } from '../domain/errors.js';
import { SIGNING_KEY_FILE, UrlSigner } from './signed-url.js';

const KEY = Buffer.from('k'.repeat(40));
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-signing-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function queryOf(signed: string): { expires: string; signature: string } {
  const params = new URL(signed, 'http://x').searchParams;
  return { expires: params.get('expires')!, signature: params.get('signature')! };
}

function isForbidden(message: RegExp) {
  return (error: unknown): boolean =>
    error instanceof EarshotError &&
    error.code === 'forbidden' &&
    error.status === 403 &&
    message.test(error.message);
}

describe('UrlSigner', () => {
  test('signs method, path and expiry with HMAC-SHA256', () => {
    const signer = new UrlSigner(KEY, () => NOW);
    const signed = signer.signPath('/v2/redacted-audio/a/b.mp3', 3600);
    const expires = NOW / 1000 + 3600;
    const expected = createHmac('sha256', KEY)
      .update(`GET\n/v2/redacted-audio/a/b.mp3\n${expires}`)
      .digest('hex');
    assert.equal(signed, `/v2/redacted-audio/a/b.mp3?expires=${expires}&signature=${expected}`);
    signer.verifySignedRequest('/v2/redacted-audio/a/b.mp3', queryOf(signed));
  });

  test('refuses another path, method, expiry or key, and a missing or malformed signature', () => {
    const signer = new UrlSigner(KEY, () => NOW);
    const signed = signer.signPath('/files/one', 60);
    const query = queryOf(signed);
    const bad = isForbidden(/not valid/);
    assert.throws(() => signer.verifySignedRequest('/files/two', query), bad);
    assert.throws(() => signer.verifySignedRequest('/files/one', query, 'DELETE'), bad);
    assert.throws(
      () =>
        signer.verifySignedRequest('/files/one', { ...query, expires: String(Number(query.expires) + 1) }),
      bad,
    );
    assert.throws(
      () => new UrlSigner(Buffer.from('x'.repeat(40)), () => NOW).verifySignedRequest('/files/one', query),
      bad,
    );
    const flipped = (query.signature[0] === 'a' ? 'b' : 'a') + query.signature.slice(1);
    assert.throws(() => signer.verifySignedRequest('/files/one', { ...query, signature: flipped }), bad);
    assert.throws(() => signer.verifySignedRequest('/files/one', { ...query, signature: 'abc' }), bad);
    assert.throws(() => signer.verifySignedRequest('/files/one', { ...query, expires: '1e12' }), bad);
    assert.throws(() => signer.verifySignedRequest('/files/one', {}), isForbidden(/needs a valid signature/));
    assert.throws(
      () =>
        signer.verifySignedRequest('/files/one', { expires: [query.expires], signature: query.signature }),
      isForbidden(/needs a valid signature/),
    );
  });

  test('expires after its time to live', () => {
    let now = NOW;
    const signer = new UrlSigner(KEY, () => now);
    const query = queryOf(signer.signPath('/f', 60));
    now += 59_999;
    signer.verifySignedRequest('/f', query);
    now += 1;
    assert.throws(() => signer.verifySignedRequest('/f', query), isForbidden(/expired/));
  });

  test('uses the configured key', () => {
    const configured = 'c'.repeat(32);
    return UrlSigner.fromConfig({ urlSigningKey: configured, dataDir: '/nonexistent' }).then((signer) => {
      const signed = signer.signPath('/f', 60);
      new UrlSigner(Buffer.from(configured)).verifySignedRequest('/f', queryOf(signed));
    });
  });

  test('generates a key once, private to this user, and reuses it', async (t) => {
    const dataDir = path.join(await tempDir(t), 'data');
    const [first, second] = await Promise.all([
      UrlSigner.fromConfig({ urlSigningKey: undefined, dataDir }),
      UrlSigner.fromConfig({ urlSigningKey: undefined, dataDir }),
    ]);
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(await readFile(file, 'utf8'), /^[0-9a-f]{64}\n$/);
    assert.deepEqual(await readdir(dataDir), [SIGNING_KEY_FILE], 'no temporary file is left');
    // Both processes that raced use the one key that was kept, and so does a later one.
    const later = await UrlSigner.fromConfig({ urlSigningKey: undefined, dataDir });
    const signed = queryOf(first.signPath('/f', 60));
    second.verifySignedRequest('/f', signed);
    later.verifySignedRequest('/f', signed);
  });

  test('refuses a damaged key file instead of signing with it', async (t) => {
    const dataDir = await tempDir(t);
    await writeFile(path.join(dataDir, SIGNING_KEY_FILE), 'short\n');
    await assert.rejects(
      UrlSigner.fromConfig({ urlSigningKey: undefined, dataDir }),
      (error: unknown) => error instanceof EarshotError && /shorter than 32/.test(error.message),
    );
  });
});
