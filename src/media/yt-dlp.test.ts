import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadWithYtDlp, ytDlpArgs } from './yt-dlp.js';

describe('yt-dlp adapter', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-yt-dlp-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds arguments: audio only, size cap, fixed output, title and path printed, URL after --', () => {
    assert.deepEqual(ytDlpArgs('https://www.youtube.com/watch?v=x', '/tmp/d', 1000), [
      '--no-playlist',
      '--no-progress',
      '--no-warnings',
      '--no-simulate',
      '--no-config',
      '--format',
      'bestaudio/best',
      '--extract-audio',
      '--audio-format',
      'best',
      '--max-filesize',
      '1000',
      '--output',
      '/tmp/d/audio.%(ext)s',
      '--print',
      'before_dl:title',
      '--print',
      'after_move:filepath',
      '--',
      'https://www.youtube.com/watch?v=x',
    ]);
  });

  it('refuses with a 400 naming yt-dlp when it is not installed', async () => {
    await assert.rejects(
      downloadWithYtDlp('https://example.com/page', dir, {
        bin: 'earshot-no-such-yt-dlp',
        maxBytes: 1000,
        timeoutMs: 5000,
      }),
      (error: { code: string; status: number; message: string }) =>
        error.code === 'badRequest' &&
        error.status === 400 &&
        error.message.includes('needs yt-dlp, which is not installed') &&
        error.message.includes('"earshot-no-such-yt-dlp"'),
    );
  });

  /** A stand-in yt-dlp: writes `content` where -o says and prints as yt-dlp does. */
  async function fakeYtDlp(name: string, script: string): Promise<string> {
    const bin = path.join(dir, name);
    await writeFile(bin, `#!/bin/sh\n${script}\n`);
    await chmod(bin, 0o755);
    return bin;
  }

  it('returns the written file and the printed title', async () => {
    // The output template is the argument after --output; the URL the last one.
    const bin = await fakeYtDlp(
      'fake-ok',
      'while [ "$1" != "--output" ]; do shift; done; out=$(echo "$2" | sed "s/%(ext)s/m4a/"); ' +
        'printf "audio bytes" > "$out"; echo "A Talk About Questions"; echo "$out"',
    );
    const out = await mkdtemp(path.join(dir, 'ok-'));
    const result = await downloadWithYtDlp('https://example.com/page', out, {
      bin,
      maxBytes: 1000,
      timeoutMs: 5000,
    });
    assert.deepEqual(result, { file: path.join(out, 'audio.m4a'), title: 'A Talk About Questions' });
    assert.equal(await readFile(result.file, 'utf8'), 'audio bytes');
  });

  it('refuses a file over the size limit', async () => {
    const bin = await fakeYtDlp(
      'fake-big',
      'while [ "$1" != "--output" ]; do shift; done; out=$(echo "$2" | sed "s/%(ext)s/mp3/"); ' +
        'head -c 2000 /dev/zero > "$out"; echo "Big"; echo "$out"',
    );
    const out = await mkdtemp(path.join(dir, 'big-'));
    await assert.rejects(
      downloadWithYtDlp('https://example.com/page', out, { bin, maxBytes: 1000, timeoutMs: 5000 }),
      {
        code: 'payloadTooLarge',
      },
    );
  });

  it("reports yt-dlp's own error line when it fails", async () => {
    const bin = await fakeYtDlp(
      'fake-fail',
      'echo "ERROR: Unsupported URL: https://example.com/page" >&2; exit 1',
    );
    await assert.rejects(
      downloadWithYtDlp('https://example.com/page', dir, { bin, maxBytes: 1000, timeoutMs: 5000 }),
      {
        code: 'fetchFailed',
        message:
          'yt-dlp could not download https://example.com/page: ERROR: Unsupported URL: https://example.com/page',
      },
    );
  });

  it('stops yt-dlp at the time limit', async () => {
    const bin = await fakeYtDlp('fake-slow', 'exec sleep 5');
    await assert.rejects(
      downloadWithYtDlp('https://example.com/page', dir, { bin, maxBytes: 1000, timeoutMs: 300 }),
      { code: 'timeout' },
    );
  });
});
