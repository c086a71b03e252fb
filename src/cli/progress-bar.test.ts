import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { createProgressBar, formatBytes, formatDuration } from './progress-bar.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

function clock(): { now: () => number; set: (ms: number) => void } {
  let t = 0;
  return { now: () => t, set: (ms) => (t = ms) };
}

describe('createProgressBar (not a terminal)', () => {
  test('bytes: one plain line per 10 % step with speed and ETA, then a summary', () => {
    const out = capture();
    const c = clock();
    const bar = createProgressBar({
      stream: out.stream,
      label: 'dl',
      total: 1000,
      unit: 'bytes',
      now: c.now,
    });
    bar.update(0);
    c.set(1000);
    bar.update(50); // still in the 0-10 % step: no line
    c.set(2000);
    bar.update(100);
    c.set(4000);
    bar.update(1000);
    bar.done();
    bar.update(1000); // ignored once done
    assert.equal(
      out.text(),
      [
        'dl: 0% (0 B of 1000 B)',
        'dl: 10% (100 B of 1000 B, 50 B/s, ETA 18s)',
        'dl: 100% (1000 B of 1000 B, 250 B/s)',
        'dl: done, 1000 B in 4s',
        '',
      ].join('\n'),
    );
  });

  test('speed counts from the first value, so resumed bytes are not credited', () => {
    const out = capture();
    const c = clock();
    const bar = createProgressBar({ stream: out.stream, label: 'f', total: 2000, unit: 'bytes', now: c.now });
    bar.update(1000);
    c.set(2000);
    bar.update(1200);
    assert.equal(
      out.text(),
      ['f: 50% (1000 B of 2.0 KiB)', 'f: 60% (1.2 KiB of 2.0 KiB, 100 B/s, ETA 8s)', ''].join('\n'),
    );
  });

  test('percent: a new label prints a line; ETA from the rate of progress', () => {
    const out = capture();
    const c = clock();
    const bar = createProgressBar({ stream: out.stream, label: 'job', unit: 'percent', now: c.now });
    bar.update(0, 'decoding');
    c.set(10_000);
    bar.update(0.5, 'transcribing');
    c.set(11_000);
    bar.update(0.55);
    c.set(20_000);
    bar.update(1);
    bar.done('transcribed');
    assert.equal(
      out.text(),
      ['decoding: 0%', 'transcribing: 50% (ETA 10s)', 'transcribing: 100%', 'transcribed', ''].join('\n'),
    );
  });

  test('unknown total: a line at most every plainIntervalMs', () => {
    const out = capture();
    const c = clock();
    const bar = createProgressBar({
      stream: out.stream,
      label: 'x',
      unit: 'bytes',
      now: c.now,
      plainIntervalMs: 10_000,
    });
    bar.update(10);
    c.set(5000);
    bar.update(1000);
    c.set(10_000);
    bar.update(2048);
    assert.equal(out.text(), 'x: (2.0 KiB, 204 B/s)\n');
  });
});

describe('createProgressBar (terminal)', () => {
  test('redraws one line in place, at most every 100 ms', () => {
    const out = capture();
    const c = clock();
    const bar = createProgressBar({
      stream: out.stream,
      label: 'dl',
      total: 1000,
      unit: 'bytes',
      now: c.now,
      tty: true,
    });
    bar.update(500);
    c.set(50);
    bar.update(600);
    c.set(200);
    bar.update(700);
    bar.done();
    assert.equal(
      out.text(),
      '\rdl [##########----------]  50% 500 B of 1000 B\x1b[K' +
        '\rdl [##############------]  70% 700 B of 1000 B, 1000 B/s, ETA 0s\x1b[K' +
        '\rdl: done, 700 B in 0s\x1b[K\n',
    );
  });
});

test('formatBytes and formatDuration', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(12_937_772), '12.3 MiB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
  assert.equal(formatDuration(0.4), '0s');
  assert.equal(formatDuration(59), '59s');
  assert.equal(formatDuration(187), '3:07');
  assert.equal(formatDuration(3723), '1:02:03');
});
