import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transcript, Word } from '../../../domain/transcript.js';
import { type RenderOptions, renderAudioResponse, speakerLabel } from './audio.renderer.js';

const word = (text: string, startMs: number, endMs: number, confidence: number, speaker?: number): Word => ({
  text,
  startMs,
  endMs,
  confidence,
  ...(speaker !== undefined && { speaker }),
});

/** Two speech segments; the second speaker takes over at "Ask". */
function transcript(overrides: Partial<Transcript> = {}): Transcript {
  const words = [
    word('And', 300, 540, 0.9, 0),
    word('so,', 540, 700, 0.5, 0),
    word('Ask', 3_960, 4_440, 1, 1),
    word('not.', 4_680, 5_000, 0.25, 1),
  ];
  return {
    language: 'en_us',
    languageConfidence: null,
    durationMs: 11_000,
    channels: 1,
    text: 'And so, Ask not.',
    words,
    segments: [
      { startMs: 286, endMs: 2_292, text: 'And so,' },
      { startMs: 3_262, endMs: 5_000, text: 'Ask not.' },
    ],
    utterances: null,
    confidence: 0.66,
    speakers: null,
    engine: { id: 'sphinx', model: 'sphinx-en-us' },
    speechMs: 4_000,
    addons: {},
    ...overrides,
  };
}

const render = (options: Partial<RenderOptions>, t: Transcript = transcript()) =>
  renderAudioResponse(t, { format: 'json', task: 'transcribe', words: false, segments: true, ...options });

describe('OpenAI response renderers', () => {
  it('json: text and duration usage in whole seconds, as JSON', () => {
    const out = render({}, transcript({ durationMs: 10_200 }));
    assert.equal(out.contentType, 'application/json; charset=utf-8');
    assert.deepEqual(out.body, { text: 'And so, Ask not.', usage: { type: 'duration', seconds: 11 } });
    assert.deepEqual(render({ task: 'translate' }).body, { text: 'And so, Ask not.' });
  });

  it('text, srt and vtt: plain text bodies the SDK returns as strings', () => {
    const text = render({ format: 'text' });
    assert.equal(text.contentType, 'text/plain; charset=utf-8');
    assert.equal(text.body, 'And so, Ask not.\n');
    const srt = render({ format: 'srt' });
    assert.equal(srt.contentType, 'text/plain; charset=utf-8');
    assert.equal(
      srt.body,
      '1\n00:00:00,300 --> 00:00:00,700\nAnd so,\n\n2\n00:00:03,960 --> 00:00:05,000\nAsk not.\n',
    );
    const vtt = render({ format: 'vtt' });
    assert.equal(
      vtt.body,
      'WEBVTT\n\n00:00:00.300 --> 00:00:00.700\nAnd so,\n\n00:00:03.960 --> 00:00:05.000\nAsk not.\n',
    );
  });

  it('verbose_json: every segment field the SDK types, in seconds, with honest statistics', () => {
    const body = render({ format: 'verbose_json', words: true, segments: true }).body as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(body), [
      'task',
      'language',
      'duration',
      'text',
      'segments',
      'words',
      'usage',
    ]);
    assert.equal(body.task, 'transcribe');
    assert.equal(body.language, 'english');
    assert.equal(body.duration, 11);
    const segments = body.segments as Record<string, unknown>[];
    assert.equal(segments.length, 2);
    const [first, second] = segments;
    assert.deepEqual(Object.keys(first!).sort(), [
      'avg_logprob',
      'compression_ratio',
      'end',
      'id',
      'no_speech_prob',
      'seek',
      'start',
      'temperature',
      'text',
      'tokens',
    ]);
    assert.equal(first!.id, 0);
    assert.equal(first!.seek, 28);
    assert.equal(first!.start, 0.286);
    assert.equal(first!.end, 2.292);
    assert.equal(first!.text, ' And so,');
    assert.deepEqual(first!.tokens, []);
    assert.equal(first!.temperature, 0);
    assert.equal(first!.no_speech_prob, 0);
    // Mean natural log of the words' confidences: (ln 0.9 + ln 0.5) / 2.
    assert.ok(Math.abs((first!.avg_logprob as number) - (Math.log(0.9) + Math.log(0.5)) / 2) < 1e-12);
    assert.ok(Math.abs((second!.avg_logprob as number) - Math.log(0.25) / 2) < 1e-12);
    // Python: len(b) / len(zlib.compress(b)) for b"Ask not." is 8 / 16.
    assert.equal(second!.compression_ratio, 0.5);
    assert.equal(segments.map((s) => s.text).join(''), ' And so, Ask not.');
    assert.deepEqual(body.words, [
      { word: 'And', start: 0.3, end: 0.54 },
      { word: 'so,', start: 0.54, end: 0.7 },
      { word: 'Ask', start: 3.96, end: 4.44 },
      { word: 'not.', start: 4.68, end: 5 },
    ]);
    assert.deepEqual(body.usage, { type: 'duration', seconds: 11 });
  });

  it('verbose_json: words only with the word granularity, segments only when asked', () => {
    const segmentsOnly = render({ format: 'verbose_json', words: false, segments: true }).body as object;
    assert.equal('words' in segmentsOnly, false);
    const wordsOnly = render({ format: 'verbose_json', words: true, segments: false }).body as object;
    assert.equal('segments' in wordsOnly, false);
    assert.equal((wordsOnly as { words: unknown[] }).words.length, 4);
  });

  it('verbose translation: language english, no words or usage', () => {
    const body = render({ format: 'verbose_json', task: 'translate' }, transcript({ language: 'fr' }))
      .body as object;
    assert.equal((body as { language: string }).language, 'english');
    assert.equal((body as { task: string }).task, 'translate');
    assert.equal('usage' in body, false);
  });

  it('verbose_json language: Whisper names for other languages, unknown when none', () => {
    const language = (code: string | null) =>
      (render({ format: 'verbose_json' }, transcript({ language: code })).body as { language: string })
        .language;
    assert.equal(language('zh'), 'chinese');
    assert.equal(language('yue'), 'cantonese');
    assert.equal(language('my'), 'myanmar');
    assert.equal(language('mi'), 'maori');
    assert.equal(language('pt-BR'), 'portuguese');
    assert.equal(language(null), 'unknown');
  });

  it('diarized_json: speaker turns from utterances, speakers as letters', () => {
    const t = transcript();
    const utterances = [
      { text: 'And so,', startMs: 300, endMs: 700, confidence: 0.7, speaker: 0, words: t.words.slice(0, 2) },
      {
        text: 'Ask not.',
        startMs: 3_960,
        endMs: 5_000,
        confidence: 0.6,
        speaker: 1,
        words: t.words.slice(2),
      },
    ];
    const out = render({ format: 'diarized_json' }, { ...t, utterances, speakers: 2 });
    assert.equal(out.contentType, 'application/json; charset=utf-8');
    assert.deepEqual(out.body, {
      task: 'transcribe',
      duration: 11,
      text: 'And so, Ask not.',
      segments: [
        { type: 'transcript.text.segment', id: 'seg_0', start: 0.3, end: 0.7, text: 'And so,', speaker: 'A' },
        { type: 'transcript.text.segment', id: 'seg_1', start: 3.96, end: 5, text: 'Ask not.', speaker: 'B' },
      ],
      usage: { type: 'duration', seconds: 11 },
    });
  });

  it('labels speakers A…Z, then AA, AB…', () => {
    assert.deepEqual([0, 1, 25, 26, 27, 701, 702].map(speakerLabel), [
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'ZZ',
      'AAA',
    ]);
  });
});
