import { ConfigError, loadConfig } from '../config/config.js';
import { runWorkerProcess } from '../jobs/worker.main.js';
import { VERSION } from '../version.js';
import { runModelsCommand } from './models.command.js';
import { runServeCommand } from './serve.command.js';
import { runTranscribeCommand } from './transcribe.command.js';

const HELP = `earshot ${VERSION} — self-hosted audio intelligence API

Usage:
  earshot serve [--host <address>] [--port <port>]   start the API and workers
  earshot worker                                    run only a worker (scaled mode)
  earshot transcribe <file|url> [--format json|text|srt|vtt] [--engine <id>] [--model <id>] [--language <code>]
  earshot models list | pull <id…> | verify [<id>…]

Configuration comes from EARSHOT_* environment variables (see README.md).
Run \`earshot <command> --help\` for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    console.log(VERSION);
    return 0;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  switch (command) {
    case 'serve':
      return runServeCommand(rest, config);
    case 'worker':
      await runWorkerProcess();
      return 0;
    case 'transcribe':
      return runTranscribeCommand(rest, config);
    case 'models':
      return runModelsCommand(rest, { config, stdout: process.stdout, stderr: process.stderr });
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A mistyped option (node:util parseArgs) is a usage error, like the ones each command reports.
    if (
      error instanceof TypeError &&
      String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')
    ) {
      console.error(`earshot: ${error.message}\nRun \`earshot --help\` for usage.`);
      process.exitCode = 2;
      return;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
