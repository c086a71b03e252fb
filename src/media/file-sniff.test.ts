import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { speechFile } from '../../test/helpers/shared-data.js';
import { SNIFF_BYTES, sniffFileKind } from './file-sniff.js';

const head = (file: string): Buffer => readFileSync(file).subarray(0, SNIFF_BYTES);
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('real audio files are recognised as media', () => {
  assert.deepEqual(sniffFileKind(head(speechFile('LJ001-0001.wav'))), {
    id: 'wav',
    label: 'a WAV file',
    media: true,
  });
  assert.equal(sniffFileKind(head(speechFile('LJ001-0001.flac')))?.id, 'flac');
  // This MP3 starts with an ID3 tag.
  assert.equal(sniffFileKind(head(speechFile('LJ001-0001.mp3')))?.id, 'mp3');
});

test('containers by their signatures', () => {
  assert.equal(sniffFileKind(bytes([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]))?.id, 'mp4');
  assert.equal(sniffFileKind(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]))?.id, 'matroska');
  assert.equal(sniffFileKind(bytes('OggS', [0, 2, 0, 0]))?.id, 'ogg');
  assert.equal(sniffFileKind(bytes('FORM', [0, 0, 1, 0], 'AIFF'))?.id, 'aiff');
  // AMR files begin with readable text; they must not be taken for a text file.
  assert.deepEqual(sniffFileKind(bytes('#!AMR\n', '||||')), { id: 'amr', label: 'an AMR file', media: true });
});

test('things that are certainly not media', () => {
  const cases: [Buffer, string][] = [
    [bytes('%PDF-1.7\n'), 'a PDF document'],
    [bytes('PK', [3, 4, 20, 0]), 'a ZIP archive or an Office document'],
    [bytes([0x1f, 0x8b, 8, 0]), 'a gzip-compressed file'],
    [bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'a PNG image'],
    [bytes([0xff, 0xd8, 0xff, 0xe0]), 'a JPEG image'],
    [bytes('GIF89a'), 'a GIF image'],
    [bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'a WebP image'],
    [bytes([0x7f], 'ELF', [2, 1, 1]), 'a program (executable file)'],
    [bytes('<!DOCTYPE html><html>'), 'an HTML web page'],
    [bytes('\n  <html lang="en">'), 'an HTML web page'],
    [bytes('<?xml version="1.0"?><note/>'), 'an XML document'],
    [bytes('{"text": "hello"}'), 'JSON data'],
    [bytes('[1, 2, 3]'), 'JSON data'],
    [bytes('#EXTM3U\n#EXTINF:10,\nseg.ts\n'), 'a playlist (upload the media file itself, not a playlist)'],
    [
      bytes('ffconcat version 1.0\nfile a.wav\n'),
      'a playlist (upload the media file itself, not a playlist)',
    ],
    [
      bytes('<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">'),
      'a streaming manifest (upload the media file itself)',
    ],
    [Buffer.from('\uFEFFhello, world — ünïcödé\r\n', 'utf8'), 'a text file'],
  ];
  for (const [input, label] of cases) {
    const kind = sniffFileKind(input);
    assert.equal(kind?.label, label, input.toString('latin1'));
    assert.equal(kind.media, false);
  }
});

test('text cut in the middle of a multi-byte character is still text', () => {
  const text = Buffer.from('é'.repeat(SNIFF_BYTES), 'utf8').subarray(0, SNIFF_BYTES - 1);
  assert.equal(text.length % 2, 1);
  assert.equal(sniffFileKind(text)?.id, 'text');
});

test('unknown binary data is left to ffprobe', () => {
  assert.equal(sniffFileKind(bytes([0xff, 0xfb, 0x90, 0x64, 0, 0, 0])), undefined); // a bare MP3 frame
  assert.equal(sniffFileKind(bytes('hello', [0], 'world')), undefined); // a NUL byte: not text
  assert.equal(sniffFileKind(Buffer.alloc(0)), undefined);
});
