import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../domain/errors.js';
import type { Word } from '../domain/transcript.js';
import { formatTimestamp, renderSubtitles } from './subtitles.exporter.js';

function w(text: string, startMs: number, endMs: number): Word {
  return { text, startMs, endMs, confidence: 0.9 };
}

/** Words back to back, `ms` each, starting at 0. */
function seq(texts: string[], ms = 300): Word[] {
  return texts.map((t, i) => w(t, i * ms, (i + 1) * ms));
}

void describe('formatTimestamp', () => {
  void it('formats hours, minutes, seconds and milliseconds with the format decimal separator', () => {
    assert.equal(formatTimestamp(3_723_004, ','), '01:02:03,004');
    assert.equal(formatTimestamp(3_723_004, '.'), '01:02:03.004');
    assert.equal(formatTimestamp(0, ','), '00:00:00,000');
    assert.equal(formatTimestamp(59_999, '.'), '00:00:59.999');
  });

  void it('grows hours past two digits, rounds fractions and clamps negatives', () => {
    assert.equal(formatTimestamp(360_000_000, ','), '100:00:00,000');
    assert.equal(formatTimestamp(1.6, ','), '00:00:00,002');
    assert.equal(formatTimestamp(-5, ','), '00:00:00,000');
  });
});

void describe('renderSubtitles', () => {
  void it('gives an empty SRT file and a bare WEBVTT header for no words', () => {
    assert.equal(renderSubtitles({ words: [] }, { format: 'srt' }), '');
    assert.equal(renderSubtitles({ words: [] }, { format: 'vtt' }), 'WEBVTT\n\n');
  });

  void it('renders one word', () => {
    const words = [w('Hello', 1000, 1500)];
    assert.equal(renderSubtitles({ words }, { format: 'srt' }), '1\n00:00:01,000 --> 00:00:01,500\nHello\n');
    assert.equal(
      renderSubtitles({ words }, { format: 'vtt' }),
      'WEBVTT\n\n00:00:01.000 --> 00:00:01.500\nHello\n',
    );
  });

  void it('breaks captions at sentence ends; SRT numbers cues, VTT does not', () => {
    const words = seq(['Hello', 'there.', 'How', 'are', 'you?']);
    assert.equal(
      renderSubtitles({ words }, { format: 'srt' }),
      '1\n00:00:00,000 --> 00:00:00,600\nHello there.\n\n2\n00:00:00,600 --> 00:00:01,500\nHow are you?\n',
    );
    assert.equal(
      renderSubtitles({ words }, { format: 'vtt' }),
      'WEBVTT\n\n00:00:00.000 --> 00:00:00.600\nHello there.\n\n00:00:00.600 --> 00:00:01.500\nHow are you?\n',
    );
  });

  void it('keeps a caption within charsPerCaption on one line by default, never splitting a word', () => {
    const words = seq(['aaaa', 'bbbb', 'cc', 'dddddddddddd', 'e']);
    assert.equal(
      renderSubtitles({ words }, { format: 'srt', charsPerCaption: 10 }),
      [
        '1\n00:00:00,000 --> 00:00:00,600\naaaa bbbb\n',
        '2\n00:00:00,600 --> 00:00:00,900\ncc\n',
        '3\n00:00:00,900 --> 00:00:01,200\ndddddddddddd\n',
        '4\n00:00:01,200 --> 00:00:01,500\ne\n',
      ].join('\n'),
    );
  });

  void it('fills two lines of 42 characters by default', () => {
    const words = seq(
      Array.from({ length: 9 }, () => 'wordnumber'),
      100,
    );
    // 10-character words: three per 42-character line (32 chars), two lines per caption.
    assert.equal(
      renderSubtitles({ words }, { format: 'vtt' }),
      'WEBVTT\n\n' +
        '00:00:00.000 --> 00:00:00.600\nwordnumber wordnumber wordnumber\nwordnumber wordnumber wordnumber\n\n' +
        '00:00:00.600 --> 00:00:00.900\nwordnumber wordnumber wordnumber\n',
    );
  });

  void it('splits charsPerCaption across maxLines', () => {
    const words = seq(['one', 'two', 'three', 'four', 'five']);
    // 20 characters over 2 lines: lines of at most 10.
    assert.equal(
      renderSubtitles({ words }, { format: 'srt', charsPerCaption: 20, maxLines: 2 }),
      '1\n00:00:00,000 --> 00:00:01,200\none two\nthree four\n\n2\n00:00:01,200 --> 00:00:01,500\nfive\n',
    );
  });

  void it('starts a new caption before a word that would exceed maxCaptionMs', () => {
    const words = seq(['a', 'b', 'c', 'd', 'e'], 1000);
    assert.equal(
      renderSubtitles({ words }, { format: 'srt', maxCaptionMs: 3000 }),
      '1\n00:00:00,000 --> 00:00:03,000\na b c\n\n2\n00:00:03,000 --> 00:00:05,000\nd e\n',
    );
  });

  void it('ends a caption at a silence of 1.5 s', () => {
    const words = [w('one', 0, 500), w('two', 1999, 2500), w('three', 4000, 4500)];
    assert.equal(
      renderSubtitles({ words }, { format: 'srt' }),
      '1\n00:00:00,000 --> 00:00:02,500\none two\n\n2\n00:00:04,000 --> 00:00:04,500\nthree\n',
    );
  });

  void it('cuts an overlapping caption back to the next start', () => {
    const words = [w('Hi.', 0, 1200), w('There', 1000, 1500)];
    assert.equal(
      renderSubtitles({ words }, { format: 'srt' }),
      '1\n00:00:00,000 --> 00:00:01,000\nHi.\n\n2\n00:00:01,000 --> 00:00:01,500\nThere\n',
    );
  });

  void it('does not break captions after abbreviations', () => {
    const words = seq(['Mr.', 'Smith', 'arrived.']);
    assert.equal(
      renderSubtitles({ words }, { format: 'srt' }),
      '1\n00:00:00,000 --> 00:00:00,900\nMr. Smith arrived.\n',
    );
  });

  void it('escapes WebVTT markup characters but leaves SRT text alone', () => {
    const words = seq(['Tom', '&', 'Jerry', '<3', '-->']);
    assert.equal(
      renderSubtitles({ words }, { format: 'vtt' }),
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nTom &amp; Jerry &lt;3 --&gt;\n',
    );
    assert.equal(
      renderSubtitles({ words: words.slice(0, 4) }, { format: 'srt' }),
      '1\n00:00:00,000 --> 00:00:01,200\nTom & Jerry <3\n',
    );
  });

  void it('skips words with empty text', () => {
    const words = [w('', 0, 100), w('Hi', 100, 200), w('', 200, 300)];
    assert.equal(renderSubtitles({ words }, { format: 'srt' }), '1\n00:00:00,100 --> 00:00:00,200\nHi\n');
  });

  void it('renders hour-long timestamps', () => {
    const words = [w('Late', 3_723_004, 3_724_000)];
    assert.equal(renderSubtitles({ words }, { format: 'srt' }), '1\n01:02:03,004 --> 01:02:04,000\nLate\n');
  });

  void it('holds a short caption up for minCaptionMs, but never into the next one', () => {
    const words = [w('Hi.', 0, 300), w('Yes.', 800, 1000), w('Later.', 5000, 5200)];
    assert.equal(
      renderSubtitles({ words }, { format: 'srt', minCaptionMs: 1500 }),
      '1\n00:00:00,000 --> 00:00:00,800\nHi.\n\n' +
        '2\n00:00:00,800 --> 00:00:02,300\nYes.\n\n' +
        '3\n00:00:05,000 --> 00:00:06,500\nLater.\n',
    );
    // A caption already long enough keeps its end; maxCaptionMs still bounds the hold.
    assert.equal(
      renderSubtitles({ words: [w('Long', 0, 2000)] }, { format: 'vtt', minCaptionMs: 1000 }),
      'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nLong\n',
    );
    assert.equal(
      renderSubtitles(
        { words: [w('Hi', 0, 100)] },
        { format: 'srt', minCaptionMs: 5000, maxCaptionMs: 2000 },
      ),
      '1\n00:00:00,000 --> 00:00:02,000\nHi\n',
    );
  });

  void it('refuses non-positive or fractional limits', () => {
    for (const bad of [
      { charsPerCaption: 0 },
      { maxLines: 1.5 },
      { maxCaptionMs: -1 },
      { minCaptionMs: -1 },
      { minCaptionMs: 0.5 },
    ]) {
      assert.throws(
        () => renderSubtitles({ words: [] }, { format: 'srt', ...bad }),
        (err: unknown) => err instanceof EarshotError && err.code === 'badRequest',
      );
    }
  });
});
