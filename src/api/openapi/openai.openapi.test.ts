/**
 * The OpenAI surface reads its multipart form by hand, so the documented form is written by hand:
 * every documented field is fed to the surface's own parser, which must know it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEarshotError } from '../../domain/errors.js';
import { type AudioEndpoint, parseAudioParams, RESPONSE_FORMATS } from '../surfaces/openai/audio-params.js';
import { buildOpenApiDocument } from './openapi.document.js';
import type { JsonSchema } from './openapi.types.js';

const doc = buildOpenApiDocument({ version: '0.0.0' });
const AUDIO = { kind: 'upload', uploadId: '0190a1b2-0000-7e5f-8a9b-0c1d2e3f4a5b' } as const;

/** A value each field accepts (or, for the unsupported ones, refuses by value, not by name). */
const SAMPLES: Record<string, string> = {
  model: 'whisper-1',
  language: 'en',
  prompt: 'Earshot, Gladia',
  temperature: '0',
  response_format: 'verbose_json',
  'timestamp_granularities[]': 'word',
  'include[]': 'logprobs',
  chunking_strategy: 'auto',
  stream: 'false',
  'known_speaker_names[]': 'Ann',
  'known_speaker_references[]': 'data:audio/wav;base64,AAAA',
};

function formFields(schema: string): string[] {
  const properties = doc.components.schemas[schema]?.properties as Record<string, JsonSchema>;
  return Object.keys(properties);
}

/** The surface's verdict on a form: null when accepted, else the error message. */
function parse(fields: Record<string, string>, endpoint: AudioEndpoint): string | null {
  const form = new Map(Object.entries(fields).map(([name, value]) => [name, [value]]));
  if (!form.has('response_format') && fields['timestamp_granularities[]']) {
    form.set('response_format', ['verbose_json']);
  }
  try {
    parseAudioParams(form, endpoint, AUDIO);
    return null;
  } catch (error) {
    assert.ok(isEarshotError(error), String(error));
    return error.message;
  }
}

for (const [endpoint, schema] of [
  ['transcriptions', 'OpenAITranscriptionForm'],
  ['translations', 'OpenAITranslationForm'],
] as const) {
  void describe(`POST /v1/audio/${endpoint} form`, () => {
    void it('documents only fields the surface knows', () => {
      const fields = formFields(schema).filter((name) => name !== 'file');
      assert.ok(fields.length >= 4);
      for (const name of fields) {
        const sample = SAMPLES[name];
        assert.ok(sample !== undefined, `no sample value for documented field ${name}`);
        const verdict = parse({ model: 'whisper-1', [name]: sample }, endpoint);
        assert.doesNotMatch(String(verdict), /Unknown parameter/, `${name}: ${verdict}`);
      }
      // The file must come as a file part; a text field named file is refused for that reason.
      assert.match(String(parse({ model: 'whisper-1', file: 'x' }, endpoint)), /must be sent as a file/);
    });

    void it('documents every field the surface knows (those from OpenAI’s API)', () => {
      const documented = new Set(formFields(schema));
      for (const [name, sample] of Object.entries(SAMPLES)) {
        const verdict = parse({ model: 'whisper-1', [name]: sample }, endpoint);
        const known = !/Unknown parameter/.test(String(verdict));
        assert.equal(documented.has(name), known, `${name}: documented ${documented.has(name)}, ${verdict}`);
      }
      assert.match(String(parse({ model: 'whisper-1', bogus: '1' }, endpoint)), /Unknown parameter/);
    });

    void it('documents the response formats the surface takes', () => {
      const properties = doc.components.schemas[schema]?.properties as Record<string, JsonSchema>;
      const documented = properties.response_format?.enum as string[];
      for (const format of RESPONSE_FORMATS) {
        const verdict = parse({ model: 'whisper-1', response_format: format }, endpoint);
        assert.equal(documented.includes(format), verdict === null, `${format}: ${verdict}`);
      }
    });
  });
}
