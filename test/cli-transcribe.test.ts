/**
 * `earshot transcribe`, `earshot models list`, help and configuration errors, run as a person
 * would run them: `node bin/earshot.js …` as a child process, on real speech with the sphinx
 * engine and the real Silero VAD installed in a temporary data directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Transcript } from '../src/domain/transcript.js';
import { VERSION } from '../src/version.js';
import { makeDataDir } from './helpers/server.js';
import { REPO_ROOT, speechFile } from './helpers/shared-data.js';

const BIN = path.join(REPO_ROOT, 'bin', 'earshot.js');

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
/** The CLI's TMPDIR: every run must leave it empty. */
let tmpDir: string;
let scratch: string;

function run(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.tmpdir(),
      TMPDIR: tmpDir,
      EARSHOT_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

function describeRun(r: RunResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

interface Cue {
  startMs: number;
  endMs: number;
  text: string;
}

const TIMING = {
  srt: /^(\d{2}):(\d{2}):(\d{2}),(\d{3}) --> (\d{2}):(\d{2}):(\d{2}),(\d{3})$/,
  vtt: /^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/,
};

/** Parses a whole subtitle file strictly: anything that is not a well-formed cue fails. */
function parseCues(body: string, format: 'srt' | 'vtt'): Cue[] {
  let rest = body;
  if (format === 'vtt') {
    assert.ok(rest.startsWith('WEBVTT\n\n'), `WebVTT header: ${JSON.stringify(body.slice(0, 20))}`);
    rest = rest.slice('WEBVTT\n\n'.length);
  }
  assert.ok(rest.endsWith('\n') && !rest.endsWith('\n\n\n'), 'ends with one blank line at most');
  return rest
    .trimEnd()
    .split('\n\n')
    .map((block, i) => {
      const lines = block.split('\n');
      if (format === 'srt')
        assert.equal(lines.shift(), String(i + 1), `cue number in ${JSON.stringify(block)}`);
      const match = TIMING[format].exec(lines.shift() ?? '');
      assert.ok(match, `timing line in ${JSON.stringify(block)}`);
      const ms = (h: string, m: string, s: string, f: string): number =>
        ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(f);
      const [, h1 = '', m1 = '', s1 = '', f1 = '', h2 = '', m2 = '', s2 = '', f2 = ''] = match;
      assert.ok(lines.length >= 1 && lines.length <= 2, `one or two text lines in ${JSON.stringify(block)}`);
      for (const line of lines) assert.ok(line.trim().length > 0 && line.length <= 42, `line "${line}"`);
      return { startMs: ms(h1, m1, s1, f1), endMs: ms(h2, m2, s2, f2), text: lines.join(' ') };
    });
}

function assertCuesInOrder(cues: Cue[], durationMs: number): void {
  assert.ok(cues.length >= 1);
  let previousEnd = 0;
  for (const cue of cues) {
    assert.ok(cue.startMs < cue.endMs, `${cue.startMs} < ${cue.endMs}`);
    assert.ok(
      cue.startMs >= previousEnd,
      `cue at ${cue.startMs} starts after the previous one ends (${previousEnd})`,
    );
    assert.ok(cue.endMs <= durationMs, `cue ends at ${cue.endMs}, within ${durationMs}`);
    previousEnd = cue.endMs;
  }
}

async function assertTmpDirEmpty(): Promise<void> {
  assert.deepEqual(await readdir(tmpDir), [], 'the CLI removed its working files');
}

before(async () => {
  dataDir = await makeDataDir();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'earshot-cli-test-'));
  tmpDir = path.join(scratch, 'tmp');
  await mkdir(tmpDir);
});

after(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe('earshot transcribe on real speech', () => {
  let json: RunResult;
  let srt: RunResult;
  let transcript: Transcript;

  before(async () => {
    // The same recording in two formats, side by side (two cores).
    [json, srt] = await Promise.all([
      run(['transcribe', speechFile('jfk.wav'), '--format', 'json']),
      run(['transcribe', speechFile('jfk.wav'), '--format', 'srt']),
    ]);
  });

  it('--format json prints the transcript with integer-ms words; progress goes to stderr', async () => {
    assert.equal(json.code, 0, describeRun(json));
    // stdout is nothing but the JSON document: the progress bar never writes there.
    transcript = JSON.parse(json.stdout) as Transcript;
    assert.match(json.stderr, /Decoding audio: \d+%/);
    assert.match(json.stderr, /Transcribing 1 chunk/);
    assert.doesNotMatch(json.stderr, /^\{/m, 'no log lines for a successful run');
    assert.equal(transcript.durationMs, 11_000);
    assert.equal(transcript.language, 'en');
    assert.deepEqual(transcript.engine, { id: 'sphinx', model: 'sphinx-en-us' });
    assert.ok(transcript.words.length >= 10, `${transcript.words.length} words`);
    let previousStart = 0;
    for (const w of transcript.words) {
      assert.ok(Number.isInteger(w.startMs) && Number.isInteger(w.endMs), `integer ms: ${JSON.stringify(w)}`);
      assert.ok(w.startMs >= previousStart && w.startMs <= w.endMs && w.endMs <= 11_000, JSON.stringify(w));
      assert.ok(w.confidence >= 0 && w.confidence <= 1);
      previousStart = w.startMs;
    }
    assert.equal(transcript.text, transcript.words.map((w) => w.text).join(' '));
    assert.match(transcript.text, /country/i);
    await assertTmpDirEmpty();
  });

  it('--format srt prints well-formed cues in order, timed like the words', () => {
    assert.equal(srt.code, 0, describeRun(srt));
    const cues = parseCues(srt.stdout, 'srt');
    assertCuesInOrder(cues, 11_000);
    // The same audio gives the same words: the cues cover them all, in order, at their times.
    assert.equal(cues.map((c) => c.text).join(' '), transcript.text);
    assert.equal(cues[0]!.startMs, transcript.words[0]!.startMs);
    assert.equal(cues.at(-1)!.endMs, transcript.words.at(-1)!.endMs);
    assert.match(srt.stderr, /Transcribing/);
  });
});

describe('earshot transcribe options', () => {
  it('--format vtt --output writes WebVTT to the file and nothing to stdout; --quiet prints no progress', async () => {
    const out = path.join(scratch, 'LJ001-0002.vtt');
    const [vtt, text] = await Promise.all([
      run(['transcribe', speechFile('LJ001-0002.wav'), '--format', 'vtt', '--output', out]),
      run(['transcribe', speechFile('LJ001-0002.wav'), '--format', 'text', '--quiet']),
    ]);
    assert.equal(vtt.code, 0, describeRun(vtt));
    assert.equal(vtt.stdout, '');
    assert.match(vtt.stderr, /Transcrib/);
    const cues = parseCues(await readFile(out, 'utf8'), 'vtt');
    assertCuesInOrder(cues, 1_900);

    assert.equal(text.code, 0, describeRun(text));
    assert.equal(text.stderr, '');
    assert.match(text.stdout, /^[A-Z][^\n]*\.\n$/, 'one line of text with sentence case and a full stop');
    assert.equal(text.stdout, `${cues.map((c) => c.text).join(' ')}\n`);
    await assertTmpDirEmpty();
  });

  it('a file that is not audio: exit 1 and one human sentence on stderr', async () => {
    const notes = path.join(scratch, 'notes.txt');
    await writeFile(notes, 'These are my meeting notes, not a recording.\n'.repeat(20));
    const quiet = await run(['transcribe', notes, '--quiet']);
    assert.equal(quiet.code, 1, describeRun(quiet));
    assert.equal(quiet.stdout, '');
    assert.equal(
      quiet.stderr,
      'earshot: The file is not audio or video that can be decoded (it looks like a text file).\n',
    );
    const withProgress = await run(['transcribe', notes]);
    assert.equal(withProgress.code, 1);
    assert.ok(withProgress.stderr.endsWith(quiet.stderr), withProgress.stderr);
    assert.doesNotMatch(withProgress.stderr, /^\{|\n\s+at /m, 'no log lines or stack traces');
    await assertTmpDirEmpty();
  });

  it('a missing file or a directory: exit 1 and a plain message', async () => {
    const missing = path.join(scratch, 'no-such-recording.wav');
    const r = await run(['transcribe', missing, '-q']);
    assert.equal(r.code, 1, describeRun(r));
    assert.equal(r.stderr, `earshot: No such file: ${missing}\n`);
    const dir = await run(['transcribe', scratch, '-q']);
    assert.equal(dir.code, 1, describeRun(dir));
    assert.equal(dir.stderr, `earshot: ${scratch} is a directory, not an audio file.\n`);
    await assertTmpDirEmpty();
  });

  it('a URL to a private or loopback address is refused before any connection: exit 1', async () => {
    const r = await run(['transcribe', 'http://10.0.0.1/a.wav', '-q']);
    assert.equal(r.code, 1, describeRun(r));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^earshot: audio_url refused: 10\.0\.0\.1 is a private address/);
    const loopback = await run(['transcribe', 'http://127.0.0.1:9/a.wav', '-q']);
    assert.equal(loopback.code, 1, describeRun(loopback));
    assert.match(loopback.stderr, /^earshot: audio_url refused: 127\.0\.0\.1:9 is a loopback address/);
    await assertTmpDirEmpty();
  });

  it('usage errors exit 2 with a message, before any work', async () => {
    const bogus = await run(['transcribe', speechFile('jfk.wav'), '--format', 'bogus']);
    assert.deepEqual(bogus, {
      code: 2,
      stdout: '',
      stderr: '--format must be one of json, text, srt, vtt\n',
    });
    const engine = await run(['transcribe', speechFile('jfk.wav'), '--engine', 'whisperx']);
    assert.deepEqual(engine, {
      code: 2,
      stdout: '',
      stderr: '--engine must be one of auto, sphinx, sherpa\n',
    });
    const unknown = await run(['transcribe', speechFile('jfk.wav'), '--colour', 'blue']);
    assert.equal(unknown.code, 2, describeRun(unknown));
    assert.match(unknown.stderr, /^earshot: Unknown option '--colour'/);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /, 'no stack trace');
    const nothing = await run(['transcribe']);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /^Usage: earshot transcribe <file\|url>/);
  });
});

describe('earshot help, version, configuration and models', () => {
  it('--help and transcribe --help exit 0 with usage on stdout', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0, describeRun(help));
    assert.match(help.stdout, new RegExp(`^earshot ${VERSION.replaceAll('.', '\\.')} — `));
    assert.match(help.stdout, /earshot transcribe <file\|url> \[--format json\|text\|srt\|vtt\]/);
    assert.equal(help.stderr, '');
    const sub = await run(['transcribe', '--help']);
    assert.equal(sub.code, 0, describeRun(sub));
    assert.match(sub.stdout, /^Usage: earshot transcribe <file\|url> \[options\]\n/);
    assert.match(sub.stdout, /--format <json\|text\|srt\|vtt>/);
    assert.equal(sub.stderr, '');
    assert.deepEqual(await run(['--version']), { code: 0, stdout: `${VERSION}\n`, stderr: '' });
    // No command at all is a usage error (the help is still shown).
    const none = await run([]);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /^earshot /);
  });

  it('a bad environment variable stops every command, listing each bad variable', async () => {
    const one = await run(['transcribe', speechFile('jfk.wav')], { EARSHOT_WORKERS: '-3' });
    assert.equal(one.code, 78, describeRun(one)); // EX_CONFIG
    assert.equal(one.stdout, '');
    assert.match(one.stderr, /^Invalid configuration:\n {2}- EARSHOT_WORKERS: [^\n]+\n$/);
    const several = await run(['serve', '--port', '0'], {
      EARSHOT_WORKERS: '-3',
      EARSHOT_PORT: 'eighty',
      EARSHOT_LOG_LEVEL: 'loud',
    });
    assert.equal(several.code, 78, describeRun(several));
    assert.doesNotMatch(several.stdout, /listening/);
    const listed = [...several.stderr.matchAll(/^ {2}- (EARSHOT_\w+): /gm)].map((m) => m[1]).sort();
    assert.deepEqual(listed, ['EARSHOT_LOG_LEVEL', 'EARSHOT_PORT', 'EARSHOT_WORKERS']);
  });

  it('models list shows the system sphinx model and the installed VAD', async () => {
    const r = await run(['models', 'list']);
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /^ID\s+KIND\s+RUNTIME\s+LANGUAGES\s+SIZE\s+STATUS$/m);
    assert.match(
      r.stdout,
      /^sphinx-en-us\s+asr\s+sphinx\s+en\s+-\s+installed \(system package pocketsphinx-en-us\)$/m,
    );
    assert.match(r.stdout, /^silero-vad-v6\.2\s+vad\s+silero\s+multilingual\s+2\.2 MiB\s+installed$/m);
    assert.match(r.stdout, /^whisper-tiny\.en\s+asr\s+sherpa\s+en\s+~[\d.]+ MiB\s+missing$/m);
    assert.ok(r.stdout.endsWith(`\nModels directory: ${path.join(dataDir, 'models')}\n`), r.stdout);
  });
});
