/**
 * The sherpa punctuation engine through the engine host, on a tiny generated CT-Transformer model
 * (see test/fixtures/tiny-punctuation-model.ts). Its weights are random, so which mark lands where
 * is arbitrary: the tests assert that the words come back intact, only the model's marks are added,
 * and the marks map back onto the words exactly.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';

import type { Word } from '../src/domain/transcript.js';
import type { ResolvedModel } from '../src/engines/asr/asr-engine.js';
import { EngineHost } from '../src/engines/host/engine-host.js';
import type { TranscriptionRequest } from '../src/domain/transcription-request.js';
import { BUILTIN_CATALOG } from '../src/models/catalog.js';
import type { CatalogModel } from '../src/models/catalog.types.js';
import type { ModelStore } from '../src/models/model-store.js';
import { punctuateWithModel } from '../src/pipeline/stages/punctuate.stage.js';
import { applyPunctuatedText } from '../src/text/apply-punctuated-text.js';
import {
  generateTinyPunctuationModel,
  TINY_PUNCTUATIONS,
  type TinyPunctuationModel,
} from './fixtures/tiny-punctuation-model.js';

function catalogEntry(id: string): CatalogModel {
  return {
    id,
    kind: 'punctuation',
    runtime: 'sherpa',
    description: 'tiny',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 1,
    license: 'MIT',
    homepage: 'https://example.com',
    files: [{ name: 'model.onnx', role: 'model', url: 'https://example.com/model.onnx' }],
  };
}

function resolved(id: string, model: TinyPunctuationModel, sha256 = model.file.sha256): ResolvedModel {
  return {
    model: catalogEntry(id),
    files: { 'model.onnx': model.modelPath },
    sha256: { 'model.onnx': sha256 },
  };
}

/** The marks the tiny model can write (`_` means none and `<unk>` is a class name, not a mark). */
const MARKS = new Set<string>(TINY_PUNCTUATIONS.filter((p) => p !== '_'));

const ASCII: Record<string, string> = { '，': ',', '。': '.', '？': '?', '、': ',' };

/** Splits model output into words and marks, in order. */
function tokens(output: string): { words: string[]; marks: string[] } {
  const words: string[] = [];
  const marks: string[] = [];
  const rest = output.replace(/<unk>|[，。？、]/gu, (mark) => {
    marks.push(mark);
    return ' ';
  });
  words.push(...rest.split(/\s+/u).filter(Boolean));
  return { words, marks };
}

describe('sherpa punctuation in the engine host', () => {
  let dir: string;
  let host: EngineHost;
  let model: TinyPunctuationModel;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'earshot-punct-'));
    model = await generateTinyPunctuationModel(path.join(dir, 'tiny-punct'));
    host = new EngineHost(
      {
        threads: 1,
        tmpDir: path.join(dir, 'engine'),
        tools: { pocketsphinx: 'pocketsphinx' },
        logLevel: 'warn',
      },
      pino({ level: 'silent' }),
    );
  });
  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('punctuates each text: the same words in order, marks from the model set only', async () => {
    const texts = [
      'hello world how are you i am fine thank you',
      'The report is READY today we can go now',
      // Longer than sherpa's 20-token window, with words outside the tiny vocabulary.
      'hello world how are you i am fine thank you the report is ready today we can go now zebra quokka hello',
      '',
    ];
    const out = await host.call('punctuate', { model: resolved('tiny-punct', model), texts });
    assert.equal(out.length, texts.length);
    assert.equal(out[3], '');
    for (const [i, text] of texts.slice(0, 3).entries()) {
      const { words, marks } = tokens(out[i]!);
      assert.deepEqual(words, text.split(' '), `words of text ${i}: ${out[i]}`);
      assert.ok(marks.length > 0, `sherpa always ends a text with a mark: ${out[i]}`);
      for (const mark of marks) assert.ok(MARKS.has(mark), `unexpected mark ${mark} in ${out[i]}`);
      assert.match(out[i]!, /[。？]$/u, 'a text ends with a period or question mark');
    }
  });

  test('the output maps back onto the words exactly, with times kept', async () => {
    const text = 'hello world how are you i am fine thank you the report is ready';
    const words: Word[] = text
      .split(' ')
      .map((w, i) => ({ text: w, startMs: i * 300, endMs: i * 300 + 250, confidence: 0.8 }));
    const [punctuated] = await host.call('punctuate', {
      model: resolved('tiny-punct', model),
      texts: [text],
    });
    const mapped = applyPunctuatedText(words, punctuated!);
    assert.equal(mapped.matched, words.length);
    // What the model wrote after each word, as the mapping should attach it.
    const expected: string[] = [];
    let rest = punctuated!.replace(/<unk>/gu, '');
    for (const w of words) {
      assert.ok(rest.trimStart().toLowerCase().startsWith(w.text));
      rest = rest.trimStart().slice(w.text.length);
      const mark = /^[，。？、]/u.exec(rest)?.[0] ?? '';
      rest = rest.slice(mark.length);
      expected.push(ASCII[mark] ?? '');
    }
    let sentenceStart = true;
    const expectedTexts = words.map((w, i) => {
      const t = (sentenceStart ? w.text[0]!.toUpperCase() + w.text.slice(1) : w.text) + expected[i]!;
      sentenceStart = expected[i] === '.' || expected[i] === '?';
      return t;
    });
    assert.deepEqual(
      mapped.words.map((w) => w.text),
      expectedTexts,
    );
    assert.deepEqual(
      mapped.words.map((w) => [w.startMs, w.endMs, w.confidence]),
      words.map((w) => [w.startMs, w.endMs, w.confidence]),
    );
    assert.ok(/[.?]$/u.test(mapped.words.at(-1)!.text), 'the last word ends a sentence');
  });

  test('a model file without the metadata sherpa needs is refused, and the host survives', async () => {
    const broken = path.join(dir, 'broken');
    const copy = await generateTinyPunctuationModel(broken, 3);
    // Same framing, no metadata: sherpa would exit the process; the engine refuses it first.
    const { onnx } = (await import('onnx-proto')).default;
    const { readFile } = await import('node:fs/promises');
    const decoded = onnx.ModelProto.decode(await readFile(copy.modelPath));
    decoded.metadataProps = decoded.metadataProps.filter((p) => p.key !== 'punctuations');
    const bytes = onnx.ModelProto.encode(decoded).finish();
    await writeFile(copy.modelPath, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await assert.rejects(
      host.call('punctuate', { model: resolved('broken-punct', copy, sha256), texts: ['hello world'] }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'modelCorrupt');
        assert.match(error.message, /metadata lacks punctuations/);
        return true;
      },
    );
    const [again] = await host.call('punctuate', {
      model: resolved('tiny-punct', model),
      texts: ['hello world'],
    });
    assert.deepEqual(tokens(again!).words, ['hello', 'world']);
  });

  test('the pipeline stage punctuates each speech segment with the installed model, else defers', async () => {
    const sphinx = BUILTIN_CATALOG.find((m) => m.id === 'sphinx-en-us')!;
    const installed = catalogEntry('tiny-punct');
    const inventory = (withModel: boolean) =>
      ({
        all: () => [...BUILTIN_CATALOG, installed],
        isInstalled: (id: string) => withModel && id === installed.id,
        resolve: (id: string) => {
          assert.equal(id, installed.id);
          return resolved(id, model);
        },
      }) as unknown as ModelStore;
    const texts = ['hello', 'world', 'how', 'are', 'you', 'i', 'am', 'fine'];
    const words: Word[] = texts.map((text, i) => ({
      text,
      startMs: i * 400 + (i >= 4 ? 2000 : 0),
      endMs: i * 400 + 300 + (i >= 4 ? 2000 : 0),
      confidence: 0.9,
    }));
    const spans = [
      { startMs: 0, endMs: 1600 },
      { startMs: 3500, endMs: 5500 },
    ];
    const request = { punctuate: true, formatText: true } as TranscriptionRequest;
    const ctx = { models: inventory(true), engines: host, signal: new AbortController().signal };
    const out = await punctuateWithModel(words, spans, request, sphinx, ctx);
    assert.ok(out);
    assert.deepEqual(
      out.map((w) => w.text.replace(/[.,?]$/u, '').toLowerCase()),
      texts,
    );
    // Each speech segment was a text of its own: sherpa ends each with a period or question mark.
    assert.match(out[3]!.text, /[.?]$/u);
    assert.match(out[7]!.text, /[.?]$/u);
    assert.match(out[0]!.text, /^H/u);
    assert.match(out[4]!.text, /^Y/u);
    assert.deepEqual(
      out.map((w) => [w.startMs, w.endMs]),
      words.map((w) => [w.startMs, w.endMs]),
    );
    // No model installed, punctuation not asked for, or an engine that punctuates: the fallback runs.
    const none = { ...ctx, models: inventory(false) };
    assert.equal(await punctuateWithModel(words, spans, request, sphinx, none), undefined);
    const noPunct = { ...request, punctuate: false } as TranscriptionRequest;
    assert.equal(await punctuateWithModel(words, spans, noPunct, sphinx, ctx), undefined);
    const whisper = BUILTIN_CATALOG.find((m) => m.id === 'whisper-tiny.en')!;
    assert.equal(await punctuateWithModel(words, spans, request, whisper, ctx), undefined);
  });
});
