import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MULTISPEAKER_DIR } from '../../test/helpers/shared-data.js';
import { diarizationErrorRate } from './der.js';
import { formatRttm, parseRttm, turnsToSegments } from './rttm.js';

describe('parseRttm', () => {
  it('reads SPEAKER lines by recording and skips comments and other line types', () => {
    const text = [
      ';; a comment',
      'SPKR-INFO meeting 1 <NA> <NA> <NA> unknown alice <NA> <NA>',
      'SPEAKER meeting 1 0.500 2.250 <NA> <NA> alice <NA> <NA>',
      '',
      'SPEAKER call 2 1.000 0.500 <NA> <NA> carol <NA> <NA>',
      'SPEAKER  meeting  1  3.000  1.000  <NA>  <NA>  bob  <NA>  <NA>\r',
    ].join('\n');
    const byFile = parseRttm(text);
    assert.deepEqual([...byFile.keys()], ['meeting', 'call']);
    assert.deepEqual(byFile.get('meeting'), [
      { file: 'meeting', channel: '1', start: 0.5, end: 2.75, speaker: 'alice' },
      { file: 'meeting', channel: '1', start: 3, end: 4, speaker: 'bob' },
    ]);
    assert.deepEqual(byFile.get('call'), [
      { file: 'call', channel: '2', start: 1, end: 1.5, speaker: 'carol' },
    ]);
  });

  it('names the malformed line', () => {
    assert.throws(
      () => parseRttm('SPEAKER f 1 0 1 <NA> <NA> a <NA> <NA>\nSPEAKER f 1 abc 1 <NA> <NA> b <NA> <NA>'),
      /line 2/,
    );
    assert.throws(() => parseRttm('SPEAKER f 1 0 -1 <NA> <NA> a <NA> <NA>'), /line 1/);
    assert.throws(() => parseRttm('SPEAKER f 1 0'), /line 1/);
  });

  it('reads the shared references: 2 speakers in pyannote_sample, 4 in the AMI excerpt', async () => {
    const sample =
      parseRttm(await readFile(path.join(MULTISPEAKER_DIR, 'pyannote_sample.rttm'), 'utf8')).get(
        'pyannote_sample',
      ) ?? [];
    assert.equal(sample.length, 10);
    assert.equal(new Set(sample.map((s) => s.speaker)).size, 2);
    const ami =
      parseRttm(await readFile(path.join(MULTISPEAKER_DIR, 'ami_pyannote_tst00.rttm'), 'utf8')).get(
        'ami_pyannote_tst00',
      ) ?? [];
    assert.equal(new Set(ami.map((s) => s.speaker)).size, 4);
    // Scoring a reference against itself gives no error.
    assert.equal(diarizationErrorRate(ami, ami, { collarSeconds: 0.25 }).der, 0);
  });
});

describe('formatRttm', () => {
  it('writes lines that parse back to the same segments, sorted by time', () => {
    const segments = [
      { start: 3, end: 4.25, speaker: '1' },
      { start: 0.5, end: 2.75, speaker: '0' },
    ];
    const text = formatRttm('rec', segments);
    assert.equal(
      text,
      'SPEAKER rec 1 0.500 2.250 <NA> <NA> 0 <NA> <NA>\nSPEAKER rec 1 3.000 1.250 <NA> <NA> 1 <NA> <NA>\n',
    );
    assert.deepEqual(
      (parseRttm(text).get('rec') ?? []).map(({ start, end, speaker }) => ({ start, end, speaker })),
      [segments[1], segments[0]],
    );
  });

  it('converts engine turns in samples to seconds', () => {
    assert.deepEqual(turnsToSegments([{ start: 8000, end: 24000, speaker: 2 }], 16000), [
      { start: 0.5, end: 1.5, speaker: '2' },
    ]);
  });
});
