import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarshotError } from '../../../domain/errors.js';
import type { AudioSource } from '../../../domain/transcription-request.js';
import {
  parseClipFields,
  parseRangeFields,
  parseTranscribeFields,
  type RawFields,
  resolveModelName,
} from './local-params.js';

const CATALOG = [
  { id: 'sphinx-en-us', runtime: 'sphinx' as const },
  { id: 'whisper-tiny.en', runtime: 'sherpa' as const },
  { id: 'whisper-base', runtime: 'sherpa' as const },
];
const AUDIO: AudioSource = { kind: 'upload', uploadId: '01900000-0000-7000-8000-000000000001' };

function refused(parse: () => unknown, pattern: RegExp, param: string): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof EarshotError, String(error));
    assert.match(error.message, pattern);
    assert.equal(error.param, param);
    assert.equal(error.status, 400);
    return true;
  });
}

describe('local API parameters', () => {
  it('diarizes by default, as the seed service does', () => {
    const { request, echo } = parseTranscribeFields({}, AUDIO, CATALOG);
    assert.deepEqual(request.diarization, {});
    assert.deepEqual(request.speechModels, []);
    assert.equal(request.languageCode, undefined);
    assert.equal(request.languageDetection, false);
    assert.deepEqual(echo, { model_name: null, language: null, diarize: true });
  });

  it('reads FastAPI-style booleans and refuses anything else', () => {
    for (const off of ['false', 'False', '0', 'no', 'off', false]) {
      assert.equal(
        parseTranscribeFields({ diarize: off }, AUDIO, CATALOG).request.diarization,
        undefined,
        String(off),
      );
    }
    for (const on of ['true', 'TRUE', '1', 'yes', 'on', true]) {
      assert.deepEqual(
        parseTranscribeFields({ diarize: on }, AUDIO, CATALOG).request.diarization,
        {},
        String(on),
      );
    }
    refused(
      () => parseTranscribeFields({ diarize: 'maybe' }, AUDIO, CATALOG),
      /^diarize: must be true or false/,
      'diarize',
    );
  });

  it('maps model names and languages', () => {
    const { request } = parseTranscribeFields(
      { model_name: 'tiny.en', language: 'EN', diarize: 'false' },
      AUDIO,
      CATALOG,
    );
    assert.deepEqual(request.speechModels, ['whisper-tiny.en']);
    assert.equal(request.languageCode, 'en');
    const auto = parseTranscribeFields({ language: 'auto' }, AUDIO, CATALOG).request;
    assert.equal(auto.languageDetection, true);
    assert.equal(auto.languageCode, undefined);
    refused(() => parseTranscribeFields({ language: 'english!' }, AUDIO, CATALOG), /^language: /, 'language');
  });

  it('treats empty form fields as not given', () => {
    const { request } = parseTranscribeFields({ model_name: '', language: '', diarize: '' }, AUDIO, CATALOG);
    assert.deepEqual(request.speechModels, []);
    assert.equal(request.languageCode, undefined);
    assert.deepEqual(request.diarization, {});
  });

  it('refuses unknown fields by name', () => {
    refused(
      () => parseTranscribeFields({ temperature: '0.2' }, AUDIO, CATALOG),
      /Unknown field: temperature/,
      'temperature',
    );
  });

  it('resolves the seed service names, catalog ids and full names', () => {
    assert.equal(resolveModelName('sphinx-en-us', CATALOG), 'sphinx-en-us');
    assert.equal(resolveModelName(' sphinx/sphinx-en-us ', CATALOG), 'sphinx-en-us');
    assert.equal(resolveModelName('tiny.en', CATALOG), 'whisper-tiny.en');
    assert.equal(resolveModelName('openai/whisper-tiny.en', CATALOG), 'whisper-tiny.en');
    assert.equal(resolveModelName('base', CATALOG), 'whisper-base');
    // Unknown names pass through, so model selection names them in its 400.
    assert.equal(resolveModelName('whisper-large-v3-turbo', CATALOG), 'whisper-large-v3-turbo');
    assert.equal(resolveModelName('best', CATALOG), 'best');
  });

  it('cuts a range of an earlier upload for segment-from-full', () => {
    const fields: RawFields = {
      job_id: 'j1',
      segment_id: 'seg-1',
      start_time: '30.25',
      end_time: 44,
      model_name: 'sphinx-en-us',
      language: 'en',
    };
    const p = parseRangeFields(fields, CATALOG);
    assert.equal(p.jobId, 'j1');
    assert.equal(p.segmentId, 'seg-1');
    assert.equal(p.startMs, 30_250);
    assert.equal(p.endMs, 44_000);
    const request = p.toRequest(AUDIO);
    assert.equal(request.audioStartMs, 30_250);
    assert.equal(request.audioEndMs, 44_000);
    assert.deepEqual(request.speechModels, ['sphinx-en-us']);
    assert.equal(request.languageCode, 'en');
    assert.equal(request.diarization, undefined);
    assert.deepEqual(request.audio, AUDIO);
    // A range from 0 needs no start trim.
    assert.equal(
      parseRangeFields({ ...fields, start_time: 0 }, CATALOG).toRequest(AUDIO).audioStartMs,
      undefined,
    );
  });

  it('refuses bad ranges with the field at fault', () => {
    const base = { job_id: 'j1', segment_id: 's', start_time: '10', end_time: '20' };
    refused(
      () => parseRangeFields({ ...base, end_time: '10' }, CATALOG),
      /end_time: must be greater than start_time/,
      'end_time',
    );
    refused(
      () => parseRangeFields({ ...base, start_time: '-1' }, CATALOG),
      /start_time: must not be negative/,
      'start_time',
    );
    refused(
      () => parseRangeFields({ ...base, start_time: 'soon' }, CATALOG),
      /start_time: must be a number/,
      'start_time',
    );
    refused(
      () => parseRangeFields({ job_id: 'j1', segment_id: 's', start_time: '1' }, CATALOG),
      /end_time: is required/,
      'end_time',
    );
    refused(
      () => parseRangeFields({ ...base, segment_id: '' }, CATALOG),
      /segment_id: is required/,
      'segment_id',
    );
  });

  it('transcribes a whole clip; its times only say where it came from', () => {
    const p = parseClipFields({ segment_id: 'seg-7', start_time: '1.5', end_time: '3' }, AUDIO, CATALOG);
    assert.equal(p.segmentId, 'seg-7');
    assert.equal(p.startMs, 1500);
    assert.equal(p.endMs, 3000);
    assert.equal(p.request.audioStartMs, undefined);
    assert.equal(p.request.audioEndMs, undefined);
    refused(
      () => parseClipFields({ start_time: '1' }, AUDIO, CATALOG),
      /segment_id: is required/,
      'segment_id',
    );
    refused(
      () => parseClipFields({ segment_id: 's', job_id: 'x' }, AUDIO, CATALOG),
      /Unknown field: job_id/,
      'job_id',
    );
  });
});
