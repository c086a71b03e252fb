import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Transcript, Word } from '../../domain/transcript.js';
import { renderSubtitles } from '../../exporters/subtitles.exporter.js';
import { splitSentences } from '../../text/sentences.js';
import { buildUtterances } from '../../text/speakers.js';
import { buildSegments, joinWords } from '../../text/transcript-text.js';
import { findEntities, SUPPORTED_PII_POLICIES as FROM_DETECTOR } from './detect-pii.js';
import { type EntityFinder, placeholderOf, redactTranscript, SUPPORTED_PII_POLICIES } from './redact.js';

/** Words 300 ms long with 100 ms gaps, from `startMs`, carrying the given fields. */
function wordsOf(text: string, startMs = 0, extra: Partial<Word> = {}): Word[] {
  return text.split(' ').map((t, i) => ({
    text: t,
    startMs: startMs + i * 400,
    endMs: startMs + i * 400 + 300,
    confidence: 0.5 + (i % 5) / 10,
    ...extra,
  }));
}

/** A transcript built the way the pipeline builds one. */
function transcriptOf(words: Word[], regions: { startMs: number; endMs: number }[] = []): Transcript {
  const utterances = words.some((w) => w.speaker !== undefined || w.channel !== undefined)
    ? buildUtterances(words)
    : null;
  const multichannel = words.some((w) => w.channel !== undefined);
  return {
    language: 'en',
    languageConfidence: null,
    durationMs: 60_000,
    channels: multichannel ? 2 : 1,
    text: multichannel && utterances ? utterances.map((u) => u.text).join(' ') : joinWords(words),
    words,
    segments: multichannel
      ? [0, 1].flatMap((c) =>
          buildSegments(
            words.filter((w) => w.channel === c),
            [],
          ).map((s) => ({ ...s, channel: c })),
        )
      : buildSegments(words, regions),
    utterances,
    confidence: 0.7,
    speakers: null,
    engine: { id: 'test', model: 'test' },
    speechMs: 10_000,
    addons: {},
  };
}

const CALL = 'My name is John Smith and my number is 555-867-5309, call me.';

describe('redactTranscript with the real recognizers', () => {
  test('entity_name: one placeholder word per entity, spanning its words, punctuation kept', () => {
    const t = transcriptOf(wordsOf(CALL));
    const { transcript, result } = redactTranscript(t, {
      policies: ['person_name', 'phone_number'],
      substitution: 'entity_name',
    });
    assert.equal(transcript.text, 'My name is [PERSON_NAME] and my number is [PHONE_NUMBER], call me.');
    const name = transcript.words[3]!;
    assert.deepEqual(name, {
      text: '[PERSON_NAME]',
      startMs: 1200,
      endMs: 1900, // "John" starts at 1200, "Smith" ends at 1900
      confidence: (0.8 + 0.9) / 2,
    });
    assert.deepEqual(transcript.words.map((w) => [w.text, w.startMs, w.endMs]).slice(7, 9), [
      ['is', 3200, 3500],
      ['[PHONE_NUMBER],', 3600, 3900],
    ]);
    assert.equal(transcript.words.length, 11);
    assert.deepEqual(result, {
      entities: [
        { type: 'person_name', startMs: 1200, endMs: 1900 },
        { type: 'phone_number', startMs: 3600, endMs: 3900 },
      ],
    });
    assert.deepEqual(
      transcript.segments.map((s) => s.text),
      [transcript.text],
    );
    // The input is left as it was.
    assert.equal(t.words[3]!.text, 'John');
  });

  test('hash: every covered word keeps its length and surrounding punctuation', () => {
    const { transcript, result } = redactTranscript(transcriptOf(wordsOf(CALL)), {
      policies: ['person_name', 'phone_number'],
      substitution: 'hash',
    });
    assert.equal(transcript.text, 'My name is #### ##### and my number is ############, call me.');
    assert.deepEqual(
      transcript.words.map((w) => [w.startMs, w.endMs]),
      wordsOf(CALL).map((w) => [w.startMs, w.endMs]),
      'times unchanged',
    );
    assert.equal(result.entities.length, 2);
  });

  test('only the requested policies are redacted', () => {
    const { transcript, result } = redactTranscript(transcriptOf(wordsOf(CALL)), {
      policies: ['phone_number'],
      substitution: 'entity_name',
    });
    assert.equal(transcript.text, 'My name is John Smith and my number is [PHONE_NUMBER], call me.');
    assert.deepEqual(result.entities, [{ type: 'phone_number', startMs: 3600, endMs: 3900 }]);
  });

  test('segments and utterances are rebuilt from the redacted words, with their times', () => {
    const words = [
      ...wordsOf('hi this is sarah jones', 0, { speaker: 0 }),
      ...wordsOf('from acme in boston', 5000, { speaker: 1 }),
    ];
    const t = transcriptOf(words, [
      { startMs: 0, endMs: 1800 },
      { startMs: 5000, endMs: 6500 },
    ]);
    const { transcript } = redactTranscript(t, {
      policies: ['person_name', 'location'],
      substitution: 'entity_name',
    });
    assert.equal(transcript.text, 'hi this is [PERSON_NAME] from acme in [LOCATION]');
    assert.deepEqual(
      transcript.segments.map((s) => [s.startMs, s.endMs, s.text]),
      [
        [0, 1900, 'hi this is [PERSON_NAME]'],
        [5000, 6500, 'from acme in [LOCATION]'],
      ],
    );
    assert.deepEqual(
      transcript.utterances!.map((u) => [u.speaker, u.startMs, u.endMs, u.text, u.words.map((w) => w.text)]),
      [
        [0, 0, 1900, 'hi this is [PERSON_NAME]', ['hi', 'this', 'is', '[PERSON_NAME]']],
        [1, 5000, 6500, 'from acme in [LOCATION]', ['from', 'acme', 'in', '[LOCATION]']],
      ],
    );
    assert.equal(transcript.utterances![0]!.words[3]!.speaker, 0);
  });

  test('channels are searched separately and the text still reads turn by turn', () => {
    const words = [
      ...wordsOf('please call john smith', 0, { channel: 0 }),
      ...wordsOf('at 555-867-5309 thanks', 200, { channel: 1 }),
    ].sort((a, b) => a.startMs - b.startMs);
    const { transcript, result } = redactTranscript(transcriptOf(words), {
      policies: ['person_name', 'phone_number'],
      substitution: 'entity_name',
    });
    assert.deepEqual(
      transcript.words.filter((w) => w.text.startsWith('[')).map((w) => [w.text, w.channel]),
      [
        ['[PHONE_NUMBER]', 1],
        ['[PERSON_NAME]', 0],
      ],
    );
    assert.deepEqual(
      transcript.segments.map((s) => [s.channel, s.text]),
      [
        [0, 'please call [PERSON_NAME]'],
        [1, 'at [PHONE_NUMBER] thanks'],
      ],
    );
    assert.equal(transcript.text, 'please call [PERSON_NAME] at [PHONE_NUMBER] thanks');
    assert.deepEqual(
      result.entities.map((e) => e.type),
      ['phone_number', 'person_name'],
    );
  });

  test('sentences and SRT subtitles cut from the words come out redacted', () => {
    const { transcript } = redactTranscript(transcriptOf(wordsOf(`${CALL} Thanks John.`)), {
      policies: ['person_name', 'phone_number'],
      substitution: 'entity_name',
    });
    const srt = renderSubtitles(transcript, { format: 'srt', charsPerCaption: 32 });
    assert.doesNotMatch(srt, /John|Smith|555|867|5309/);
    assert.match(srt, /^1\n00:00:00,000 --> /);
    assert.match(srt, /\[PERSON_NAME\]/);
    assert.match(srt, /\[PHONE_NUMBER\],/);
    assert.deepEqual(
      splitSentences(transcript.words).map((s) => s.text),
      ['My name is [PERSON_NAME] and my number is [PHONE_NUMBER], call me.', 'Thanks [PERSON_NAME].'],
    );
  });

  test('a transcript with no PII is returned unchanged', () => {
    const t = transcriptOf(wordsOf('and so my fellow americans ask not'));
    const { transcript, result } = redactTranscript(t, {
      policies: [...SUPPORTED_PII_POLICIES],
      substitution: 'hash',
    });
    assert.deepEqual(transcript, t);
    assert.deepEqual(result, { entities: [] });
  });

  test('re-exports the detector’s supported policies', () => {
    assert.equal(SUPPORTED_PII_POLICIES, FROM_DETECTOR);
    assert.equal(placeholderOf('credit_card_number'), '[CREDIT_CARD_NUMBER]');
  });
});

describe('redactTranscript edge cases (a recognizer that reports fixed spans)', () => {
  const fixed =
    (...spans: [EntitySpan['type'], string][]): EntityFinder =>
    (text) =>
      spans.map(([type, what]) => {
        const start = text.indexOf(what);
        assert.ok(start >= 0, `${what} in "${text}"`);
        return { type, start, end: start + what.length };
      });
  type EntitySpan = ReturnType<typeof findEntities>[number];

  test('a span touching part of a word hides the whole word', () => {
    const { transcript } = redactTranscript(
      transcriptOf(wordsOf('mail jo@x.org, now')),
      { policies: ['email_address'], substitution: 'hash' },
      fixed(['email_address', 'x.org']),
    );
    assert.equal(transcript.text, 'mail ########, now');
  });

  test('an entity split by a change of speaker gives each side its own placeholder', () => {
    const words = [...wordsOf('call mary', 0, { speaker: 0 }), ...wordsOf('ann now', 800, { speaker: 1 })];
    const { transcript, result } = redactTranscript(
      transcriptOf(words),
      { policies: ['person_name'], substitution: 'entity_name' },
      fixed(['person_name', 'mary ann']),
    );
    assert.deepEqual(
      transcript.words.map((w) => [w.text, w.speaker]),
      [
        ['call', 0],
        ['[PERSON_NAME]', 0],
        ['[PERSON_NAME]', 1],
        ['now', 1],
      ],
    );
    assert.deepEqual(
      transcript.utterances!.map((u) => u.text),
      ['call [PERSON_NAME]', '[PERSON_NAME] now'],
    );
    assert.deepEqual(result.entities, [{ type: 'person_name', startMs: 400, endMs: 1100 }]);
  });

  test('a span that touches no word is ignored', () => {
    const { result } = redactTranscript(
      transcriptOf(wordsOf('a b')),
      { policies: ['person_name'], substitution: 'hash' },
      () => [{ type: 'person_name', start: 1, end: 2 }], // the space between the words
    );
    assert.deepEqual(result.entities, []);
  });
});
