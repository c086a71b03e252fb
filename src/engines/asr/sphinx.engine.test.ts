import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isEarshotError, type ErrorCode } from '../../domain/errors.js';
import type { CatalogModel } from '../../models/catalog.types.js';
import { speechFile } from '../../../test/helpers/shared-data.js';
import type { AsrOptions, EngineRuntimeOptions, ResolvedModel } from './asr-engine.js';
import { parseSphinxOutput, sphinxEngine } from './sphinx.engine.js';

const SPHINX_DIR = '/usr/share/pocketsphinx/model/en-us';
const ENGLISH: AsrOptions = { language: 'en', detectLanguage: false, translate: false, hints: [] };

function sphinxModel(dir = SPHINX_DIR, acousticModel = `${dir}/en-us`): ResolvedModel {
  const model: CatalogModel = {
    id: 'sphinx-en-us',
    kind: 'asr',
    runtime: 'sphinx',
    description: 'test',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 1,
    license: 'BSD-2-Clause',
    homepage: 'https://cmusphinx.github.io/',
    files: [
      { name: acousticModel, role: 'acoustic-model', url: '' },
      { name: `${dir}/en-us.lm.bin`, role: 'language-model', url: '' },
      { name: `${dir}/cmudict-en-us.dict`, role: 'dictionary', url: '' },
    ],
  };
  return { model, files: Object.fromEntries(model.files.map((f) => [f.name, f.name])), sha256: {} };
}

function hasCode(code: ErrorCode, pattern?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(isEarshotError(error), `expected an EarshotError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

async function decode16k(file: string): Promise<Float32Array> {
  const { stdout } = await promisify(execFile)(
    'ffmpeg',
    ['-loglevel', 'error', '-i', file, '-ar', '16000', '-ac', '1', '-f', 'f32le', '-'],
    { encoding: 'buffer', maxBuffer: 64 << 20 },
  );
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.byteLength));
}

describe('parseSphinxOutput', () => {
  // Real `pocketsphinx_continuous -time yes` output for the start of jfk.wav.
  const output = [
    'and then our my',
    '<s> 0.000 0.040 0.998900',
    'and 0.050 0.160 0.032758',
    'then 0.170 0.670 0.213530',
    'our(3) 0.680 0.980 0.207841',
    '<sil> 0.990 1.000 0.828680',
    '[NOISE] 1.010 1.100 0.5',
    '<unk> 1.110 1.200 0.5',
    'my 1.210 1.280 1.000300',
    '</s> 2.310 2.440 1.000000',
    '',
  ].join('\n');

  it('keeps words with times and clamped posteriors, and drops fillers and variants', () => {
    const words = parseSphinxOutput(output, 11);
    assert.deepEqual(
      words.map((w) => w.text),
      ['and', 'then', 'our', 'my'],
    );
    // The end is one 10 ms frame after the last frame printed.
    assert.deepEqual(
      words.map((w) => [w.start, Number(w.end.toFixed(3))]),
      [
        [0.05, 0.17],
        [0.17, 0.68],
        [0.68, 0.99],
        [1.21, 1.29],
      ],
    );
    assert.deepEqual(
      words.map((w) => w.confidence),
      [0.032758, 0.21353, 0.207841, 1],
    );
  });

  it('clamps times to the audio that was decoded', () => {
    const words = parseSphinxOutput('hello 0.500 1.400 0.9\n', 1);
    assert.deepEqual(words, [{ text: 'hello', start: 0.5, end: 1, confidence: 0.9 }]);
  });

  it('ignores hypothesis lines, even four-word ones', () => {
    assert.deepEqual(parseSphinxOutput('one two three four\n', 5), []);
  });
});

describe('sphinx engine', () => {
  let dir = '';
  let options: EngineRuntimeOptions;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'earshot-sphinx-'));
    options = {
      threads: 1,
      tmpDir: path.join(dir, 'tmp'),
      tools: { pocketsphinx: 'pocketsphinx_continuous' },
    };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to load without the binary', async () => {
    const missing = { ...options, tools: { pocketsphinx: path.join(dir, 'no-such-pocketsphinx') } };
    await assert.rejects(
      sphinxEngine.load(sphinxModel(), missing),
      hasCode(
        'engineUnavailable',
        /pocketsphinx is not installed: apt-get install pocketsphinx pocketsphinx-en-us/,
      ),
    );
  });

  it('refuses to load without the model files', async () => {
    await assert.rejects(
      sphinxEngine.load(sphinxModel(path.join(dir, 'nowhere')), options),
      hasCode('engineUnavailable', /apt-get install pocketsphinx pocketsphinx-en-us.*acoustic-model/),
    );
    const noDictionary = sphinxModel();
    noDictionary.model = {
      ...noDictionary.model,
      files: noDictionary.model.files.filter((f) => f.role !== 'dictionary'),
    };
    await assert.rejects(sphinxEngine.load(noDictionary, options), hasCode('modelMissing', /dictionary/));
  });

  it('transcribes real speech, cleaning up its WAV file', async () => {
    const model = await sphinxEngine.load(sphinxModel(), options);
    try {
      // LJ001-0002: "in being comparatively modern."
      const samples = await decode16k(speechFile('LJ001-0002.wav'));
      const result = await model.transcribe(samples, ENGLISH, new AbortController().signal);
      assert.equal(result.language, 'en');
      const text = result.words.map((w) => w.text).join(' ');
      assert.match(text, /comparatively modern/);
      const duration = samples.length / 16_000;
      for (const word of result.words) {
        assert.ok(word.start >= 0 && word.end <= duration && word.start < word.end, JSON.stringify(word));
        assert.ok(word.confidence >= 0 && word.confidence <= 1);
      }
      assert.deepEqual(await readdir(options.tmpDir), []);
      // Silence gives no words, and nothing at all is run for no samples.
      const silence = await model.transcribe(new Float32Array(16_000), ENGLISH, new AbortController().signal);
      assert.deepEqual(silence.words, []);
      assert.deepEqual(
        (await model.transcribe(new Float32Array(0), ENGLISH, new AbortController().signal)).words,
        [],
      );
    } finally {
      model.dispose();
    }
  });

  it('accepts only English and no detection, translation or hints', async () => {
    const model = await sphinxEngine.load(sphinxModel(), options);
    const signal = new AbortController().signal;
    const samples = new Float32Array(160);
    for (const language of ['en', 'EN', 'en-us', 'en_US']) {
      assert.equal((await model.transcribe(samples, { ...ENGLISH, language }, signal)).language, 'en');
    }
    assert.equal(
      (await model.transcribe(samples, { ...ENGLISH, language: undefined }, signal)).language,
      'en',
    );
    const refused: [Partial<AsrOptions>, string][] = [
      [{ language: 'fr' }, 'language'],
      [{ language: undefined, detectLanguage: true }, 'language_detection'],
      [{ translate: true }, 'translate'],
      [{ hints: ['Kubernetes'] }, 'hints'],
    ];
    for (const [change, param] of refused) {
      await assert.rejects(model.transcribe(samples, { ...ENGLISH, ...change }, signal), (error: unknown) => {
        assert.ok(hasCode('unsupportedParameter')(error));
        assert.ok(isEarshotError(error));
        assert.equal(error.param, param);
        return true;
      });
    }
    model.dispose();
  });

  it('kills pocketsphinx and rejects with cancelled when aborted', async () => {
    // A wrapper that records the real process's pid, so the test can see that it was killed.
    const pidFile = path.join(dir, 'pid');
    const wrapper = path.join(dir, 'pocketsphinx-pid.sh');
    await writeFile(wrapper, `#!/bin/sh\necho $$ > ${pidFile}\nexec pocketsphinx_continuous "$@"\n`);
    await chmod(wrapper, 0o755);
    const model = await sphinxEngine.load(sphinxModel(), { ...options, tools: { pocketsphinx: wrapper } });
    const samples = await decode16k(speechFile('jfk.wav'));
    const controller = new AbortController();
    await rm(pidFile, { force: true });
    const run = model.transcribe(samples, ENGLISH, controller.signal);
    const pid = await waitForPid(pidFile);
    controller.abort();
    await assert.rejects(run, hasCode('cancelled'));
    // Decoding jfk.wav takes seconds; a process that was not killed would outlive this wait.
    await waitUntil(() => !isAlive(pid), 1_000);
    assert.deepEqual(await readdir(options.tmpDir), []);
    // An already aborted signal never starts a process.
    await assert.rejects(model.transcribe(samples, ENGLISH, AbortSignal.abort()), hasCode('cancelled'));
    model.dispose();
  });

  it('reports a failing run as engineCrashed with the exit code and the error lines', async () => {
    // A real failure: an acoustic model folder without the model in it.
    const emptyModel = path.join(dir, 'empty-hmm');
    await mkdir(emptyModel, { recursive: true });
    const model = await sphinxEngine.load(sphinxModel(SPHINX_DIR, emptyModel), options);
    await assert.rejects(
      model.transcribe(new Float32Array(1600), ENGLISH, new AbortController().signal),
      hasCode('engineCrashed', /exited with code 1: .*does not contain acoustic model definition 'mdef'/),
    );
    assert.deepEqual(await readdir(options.tmpDir), []);
    model.dispose();
  });

  it('reports a process killed by a signal as engineCrashed', async () => {
    const crasher = path.join(dir, 'pocketsphinx-segv.sh');
    // Exits normally when probed with no arguments, dies of SIGSEGV when asked to decode.
    await writeFile(
      crasher,
      '#!/bin/sh\n[ $# -eq 0 ] && exit 1\necho "ERROR: about to crash" >&2\nkill -SEGV $$\n',
    );
    await chmod(crasher, 0o755);
    const model = await sphinxEngine.load(sphinxModel(), { ...options, tools: { pocketsphinx: crasher } });
    await assert.rejects(
      model.transcribe(new Float32Array(1600), ENGLISH, new AbortController().signal),
      hasCode('engineCrashed', /killed by SIGSEGV: ERROR: about to crash/),
    );
    model.dispose();
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

async function waitForPid(file: string): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0) return pid;
    if (Date.now() > deadline) throw new Error(`no pid in ${file}`);
    await sleep(20);
  }
}
