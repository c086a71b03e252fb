import { createLlmClient } from '../intelligence/llm/openai-compatible.llm.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ASR_ENGINE_IDS, type AsrEngineSetting, type Config } from '../config/config.js';
import { describeError, isEarshotError } from '../domain/errors.js';
import type { Transcript } from '../domain/transcript.js';
import { type AudioSource, defaultTranscriptionRequest } from '../domain/transcription-request.js';
import { EngineHost } from '../engines/host/engine-host.js';
import { renderSubtitles } from '../exporters/subtitles.exporter.js';
import { createLogger } from '../logger.js';
import { MediaTool } from '../media/media-tool.js';
import { loadCatalog } from '../models/catalog.js';
import { ModelStore } from '../models/model-store.js';
import { overallPercent } from '../pipeline/pipeline-context.js';
import { runTranscriptionPipeline } from '../pipeline/transcription.pipeline.js';
import { LocalBlobStore } from '../store/local.blob-store.js';
import { createProgressBar } from './progress-bar.js';

export const TRANSCRIBE_HELP = `Usage: earshot transcribe <file|url> [options]

Transcribes one file or URL with the same pipeline as the server, without a server.

Options:
  --format <json|text|srt|vtt>  output format (default: text)
  --engine <auto|sphinx|sherpa> speech recognition runtime (default: EARSHOT_ASR_ENGINE)
  --model <id>                  model id from \`earshot models list\` (default: best installed)
  --language <code>             language of the audio, e.g. en
  --output <file>               write to a file instead of stdout
  --quiet                       no progress bar`;

const FORMATS = ['json', 'text', 'srt', 'vtt'] as const;
type Format = (typeof FORMATS)[number];

function render(transcript: Transcript, format: Format): string {
  switch (format) {
    case 'text':
      return `${transcript.text}\n`;
    case 'srt':
    case 'vtt':
      return renderSubtitles(transcript, { format });
    case 'json':
      return `${JSON.stringify(transcript, null, 2)}\n`;
  }
}

/** `earshot transcribe`: prints the transcript; progress goes to stderr. */
export async function runTranscribeCommand(argv: string[], baseConfig: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      engine: { type: 'string' },
      model: { type: 'string' },
      language: { type: 'string' },
      output: { type: 'string', short: 'o' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(TRANSCRIBE_HELP);
    return 0;
  }
  const input = positionals[0];
  if (!input || positionals.length > 1) {
    console.error(TRANSCRIBE_HELP);
    return 2;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) {
    console.error(`--format must be one of ${FORMATS.join(', ')}`);
    return 2;
  }
  if (values.engine !== undefined && !ASR_ENGINE_IDS.includes(values.engine as AsrEngineSetting)) {
    console.error(`--engine must be one of ${ASR_ENGINE_IDS.join(', ')}`);
    return 2;
  }
  const config: Config = {
    ...baseConfig,
    asr: { ...baseConfig.asr, ...(values.engine && { engine: values.engine as AsrEngineSetting }) },
  };

  const source: AudioSource = /^https?:\/\//i.test(input)
    ? { kind: 'url', url: input }
    : { kind: 'file', path: path.resolve(input) };
  const request = defaultTranscriptionRequest(source);
  if (values.model) request.speechModels = [values.model];
  if (values.language) request.languageCode = values.language.toLowerCase();

  const log = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, 'cli');
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-'));
  const engines = new EngineHost(
    {
      threads: config.asr.threads,
      tmpDir: path.join(workDir, 'engine'),
      tools: { pocketsphinx: config.tools.pocketsphinx },
      logLevel: log.level,
    },
    log,
  );
  const bar = values.quiet
    ? undefined
    : createProgressBar({ stream: process.stderr, label: 'Transcribing', unit: 'percent' });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const transcript = await runTranscriptionPipeline(request, {
      config,
      blobs: new LocalBlobStore(path.join(workDir, 'blobs')),
      media: new MediaTool({ ffmpeg: config.tools.ffmpeg, ffprobe: config.tools.ffprobe }),
      engines,
      models: new ModelStore(config.modelsDir, loadCatalog(config.modelsCatalogFile)),
      llm: createLlmClient(config.llm),
      log,
      tenantId: 'cli',
      workDir,
      signal: abort.signal,
      progress: (stage, fraction, message) => bar?.update(overallPercent(stage, fraction) / 100, message),
    });
    bar?.done();
    const output = render(transcript, format);
    if (values.output) await writeFile(values.output, output);
    else process.stdout.write(output);
    return 0;
  } catch (error) {
    bar?.done();
    console.error(`earshot: ${isEarshotError(error) ? error.message : describeError(error)}`);
    if (!isEarshotError(error)) log.error({ err: error }, 'transcription failed');
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    await engines.close();
    await rm(workDir, { recursive: true, force: true });
  }
}
