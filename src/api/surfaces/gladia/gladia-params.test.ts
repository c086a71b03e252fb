import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError, type ErrorCode } from '../../../domain/errors.js';
import { parseGladiaParams } from './gladia-params.js';

const UPLOAD_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const OWN = `http://127.0.0.1:4000/v2/upload/${UPLOAD_ID}`;
const ownUpload = (url: string): string | undefined => (url === OWN ? UPLOAD_ID : undefined);
const parse = (body: Record<string, unknown>) =>
  parseGladiaParams({ audio_url: 'https://example.com/a.wav', ...body }, ownUpload);

function rejects(body: Record<string, unknown>, code: ErrorCode, param: string, message: RegExp): void {
  assert.throws(
    () => parse(body),
    (error: unknown) => {
      assert.ok(error instanceof EarshotError, String(error));
      assert.equal(error.code, code);
      assert.equal(error.param, param);
      assert.match(error.message, message);
      assert.ok(error.status >= 400 && error.status < 500);
      return true;
    },
  );
}

void describe('parseGladiaParams', () => {
  void it('recognises our own upload URL and takes any other http(s) URL as a URL to fetch', () => {
    assert.deepEqual(parseGladiaParams({ audio_url: OWN }, ownUpload).request.audio, {
      kind: 'upload',
      uploadId: UPLOAD_ID,
    });
    assert.deepEqual(parse({}).request.audio, { kind: 'url', url: 'https://example.com/a.wav' });
    rejects({ audio_url: 'ftp://example.com/a.wav' }, 'badRequest', 'audio_url', /http or https/);
    rejects({ audio_url: 'not a url' }, 'badRequest', 'audio_url', /not a valid URL/);
    assert.throws(() => parseGladiaParams({}, ownUpload), /audio_url is required/);
    assert.throws(() => parseGladiaParams([1], ownUpload), /JSON object/);
  });

  void it('maps language_config: one language is used, several are detection candidates', () => {
    assert.equal(parse({ language_config: { languages: ['FR'] } }).request.languageCode, 'fr');
    const several = parse({ language_config: { languages: ['en', 'fr', 'en'] } }).request;
    assert.equal(several.languageCode, undefined);
    assert.equal(several.languageDetection, true);
    assert.deepEqual(several.languageCandidates, ['en', 'fr']);
    // Gladia ignores code_switching when one language is set.
    const one = parse({ language_config: { languages: ['en'], code_switching: true } }).request;
    assert.equal(one.codeSwitching, false);
    const switching = parse({ language_config: { languages: [], code_switching: true } }).request;
    assert.equal(switching.codeSwitching, true);
    assert.equal(switching.languageDetection, true);
    const none = parse({}).request;
    assert.equal(none.languageDetection, false);
    assert.equal(none.languageCode, undefined);
    rejects(
      { language_config: { languages: ['english'] } },
      'badRequest',
      'language_config',
      /language code/,
    );
  });

  void it('maps diarization and its config, and reads the config only when diarization is on', () => {
    assert.deepEqual(
      parse({
        diarization: true,
        diarization_config: { number_of_speakers: 2, min_speakers: 1, max_speakers: 3 },
      }).request.diarization,
      { speakersExpected: 2, minSpeakers: 1, maxSpeakers: 3 },
    );
    assert.deepEqual(parse({ diarization: true }).request.diarization, {});
    assert.equal(
      parse({ diarization: false, diarization_config: { number_of_speakers: 2 } }).request.diarization,
      undefined,
    );
    rejects(
      { diarization: true, diarization_config: { min_speakers: 3, max_speakers: 2 } },
      'badRequest',
      'diarization_config.min_speakers',
      /greater than max_speakers/,
    );
  });

  void it('maps custom vocabulary to key terms and refuses what cannot be honoured per term', () => {
    const config = parse({
      custom_vocabulary: true,
      custom_vocabulary_config: { vocabulary: ['Westeros', { value: 'Stark' }], default_intensity: 0.9 },
    }).request;
    assert.deepEqual(config.keyterms, ['Westeros', 'Stark']);
    assert.equal(config.hintBoost, 'high');
    assert.deepEqual(parse({ custom_vocabulary: ['Gladia'] }).request.keyterms, ['Gladia']);
    assert.deepEqual(
      parse({ custom_vocabulary: false, custom_vocabulary_config: { vocabulary: ['x'] } }).request.keyterms,
      [],
    );
    rejects(
      {
        custom_vocabulary: true,
        custom_vocabulary_config: { vocabulary: ['a', { value: 'b', pronunciations: ['bee'] }] },
      },
      'unsupportedParameter',
      'custom_vocabulary_config.vocabulary[1].pronunciations',
      /not supported/,
    );
    rejects({ custom_vocabulary: true }, 'badRequest', 'custom_vocabulary_config', /missing/);
  });

  void it('maps custom_spelling_config to spelling rules', () => {
    const request = parse({
      custom_spelling: true,
      custom_spelling_config: { spelling_dictionary: { SQL: ['Sequel', 'sequel'], Gladia: ['gladya'] } },
    }).request;
    assert.deepEqual(request.customSpelling, [
      { from: ['Sequel', 'sequel'], to: 'SQL' },
      { from: ['gladya'], to: 'Gladia' },
    ]);
  });

  void it('maps callback_config (POST or PUT) and the deprecated callback_url to the webhook', () => {
    assert.deepEqual(
      parse({ callback: true, callback_config: { url: 'https://hooks.example/x', method: 'PUT' } }).request
        .webhook,
      { url: 'https://hooks.example/x', method: 'PUT' },
    );
    assert.deepEqual(
      parse({ callback: true, callback_config: { url: 'https://hooks.example/x' } }).request.webhook,
      {
        url: 'https://hooks.example/x',
      },
    );
    assert.deepEqual(parse({ callback_url: 'https://hooks.example/y' }).request.webhook, {
      url: 'https://hooks.example/y',
    });
    assert.equal(
      parse({ callback: false, callback_config: { url: 'https://hooks.example/x' } }).request.webhook,
      undefined,
    );
    rejects({ callback: true }, 'badRequest', 'callback_config', /missing/);
    rejects(
      { callback: true, callback_config: { url: 'https://h.example', method: 'GET' } },
      'badRequest',
      'callback_config',
      /method/,
    );
    rejects(
      { callback: true, callback_config: { url: 'file:///etc/passwd' } },
      'badRequest',
      'callback_config.url',
      /http or https/,
    );
  });

  void it('refuses unknown parameters and unsupported features by name, and lets their off values pass', () => {
    rejects({ name_consistency: true }, 'unsupportedParameter', 'name_consistency', /name_consistency/);
    rejects(
      { structured_data_extraction: true, display_mode: true },
      'unsupportedParameter',
      'structured_data_extraction',
      /structured_data_extraction, display_mode/,
    );
    rejects({ made_up: 1 }, 'unsupportedParameter', 'made_up', /Unknown parameter: made_up/);
    rejects(
      { subtitles: true, subtitles_config: { colour: 'red' } },
      'unsupportedParameter',
      'subtitles_config.colour',
      /Unknown parameter/,
    );
    const off = parse({
      summarization: false,
      translation_config: null,
      pii_redaction: false,
      audio_to_llm_config: {},
    });
    assert.equal(off.request.audio.kind, 'url');
  });

  void it('validates subtitles_config with Gladia bounds', () => {
    rejects(
      { subtitles: true, subtitles_config: { maximum_rows_per_caption: 6 } },
      'badRequest',
      'subtitles_config',
      /maximum_rows_per_caption/,
    );
    rejects(
      { subtitles: true, subtitles_config: { formats: ['ass'] } },
      'badRequest',
      'subtitles_config',
      /formats/,
    );
    rejects(
      { subtitles: true, subtitles_config: { minimum_duration: 5, maximum_duration: 2 } },
      'badRequest',
      'subtitles_config.minimum_duration',
      /greater than maximum_duration/,
    );
  });

  void it('keeps custom_metadata apart from request_params and caps its size', () => {
    const parsed = parse({ custom_metadata: { user: 'John', n: 3 } });
    assert.deepEqual(parsed.metadata, { user: 'John', n: 3 });
    assert.equal('custom_metadata' in parsed.requestParams, false);
    rejects(
      { custom_metadata: { big: 'x'.repeat(2000) } },
      'badRequest',
      'custom_metadata',
      /2000 characters/,
    );
    rejects({ custom_metadata: 'user=John' }, 'badRequest', 'custom_metadata', /wrong type/);
  });

  void it('echoes request_params with Gladia defaults filled in', () => {
    const { requestParams } = parse({
      sentences: true,
      subtitles: true,
      subtitles_config: { formats: ['vtt'] },
    });
    assert.equal(requestParams.audio_url, 'https://example.com/a.wav');
    assert.equal(requestParams.sentences, true);
    assert.equal(requestParams.diarization, false);
    assert.equal(requestParams.summarization, false);
    assert.deepEqual(requestParams.language_config, { languages: [], code_switching: false });
    assert.deepEqual(requestParams.subtitles_config, { formats: ['vtt'], style: 'default' });
    assert.deepEqual(parse({ subtitles: true }).requestParams.subtitles_config, {
      formats: ['srt'],
      style: 'default',
    });
  });

  void it('takes Gladia model names as the server default and other names as Earshot models', () => {
    assert.deepEqual(parse({ model: 'solaria-1' }).request.speechModels, []);
    assert.deepEqual(parse({ model: 'sphinx-en-us' }).request.speechModels, ['sphinx-en-us']);
  });
});
