import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ConfigError, type Config } from '../config/config.js';
import { isEarshotError } from '../domain/errors.js';
import { loadCatalog } from '../models/catalog.js';
import { pullModel, type PullProgress } from '../models/model-puller.js';
import { ModelStore, type FileCheckStatus, type ModelStatus } from '../models/model-store.js';
import { createProgressBar, formatBytes, type ProgressBar } from './progress-bar.js';

/** `earshot models …`: list, pull and verify the models in the catalog. */

export interface ModelsCommandDeps {
  config: Config;
  stdout: Writable;
  stderr: Writable;
  /** Cancels a pull (e.g. on SIGINT); a cancelled download resumes on the next pull. */
  signal?: AbortSignal;
}

const USAGE = `Usage: earshot models <command>

Commands:
  list                               Models in the catalog and whether they are installed
  pull <id...> [--from <dir>] [--mirror <url>]
                                     Download (or copy) models, verify them, record checksums
  verify [<id>...]                   Check installed models' files (size and sha256);
                                     all installed models when no id is given

Options:
  --from <dir>     Copy the files from this folder (matched by file name) instead of downloading
  --mirror <url>   Download from this base URL instead of each file's origin (keeps the path);
                   default: EARSHOT_MODELS_MIRROR
  -h, --help       Show this help

Models live in EARSHOT_MODELS_DIR (default <EARSHOT_DATA_DIR>/models); EARSHOT_MODELS_CATALOG
adds or overrides catalog entries.
`;

export async function runModelsCommand(argv: string[], deps: ModelsCommandDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        from: { type: 'string' },
        mirror: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    deps.stderr.write(`earshot models: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...ids] = positionals;
  if (values.help || command === undefined || command === 'help') {
    (values.help || command === 'help' ? deps.stdout : deps.stderr).write(USAGE);
    return values.help || command === 'help' ? 0 : 2;
  }
  if (command !== 'pull' && (values.from !== undefined || values.mirror !== undefined)) {
    deps.stderr.write(`earshot models: --from and --mirror only apply to "pull"\n`);
    return 2;
  }
  try {
    const store = new ModelStore(deps.config.modelsDir, loadCatalog(deps.config.modelsCatalogFile));
    switch (command) {
      case 'list':
        return listCommand(store, deps);
      case 'pull':
        return await pullCommand(store, ids, values.from, values.mirror ?? deps.config.modelsMirror, deps);
      case 'verify':
        return await verifyCommand(store, ids, deps);
      default:
        deps.stderr.write(`earshot models: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (isEarshotError(error) || error instanceof ConfigError) {
      deps.stderr.write(`earshot models: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function listCommand(store: ModelStore, deps: ModelsCommandDeps): number {
  const rows = store
    .list()
    .map((s) => [
      s.model.id,
      s.model.kind,
      s.model.runtime,
      s.model.languages === 'multilingual' ? 'multilingual' : s.model.languages.join(','),
      s.sizeBytes === undefined ? '-' : `${s.sizeIsApprox ? '~' : ''}${formatBytes(s.sizeBytes)}`,
      describeStatus(s),
    ]);
  deps.stdout.write(table([['ID', 'KIND', 'RUNTIME', 'LANGUAGES', 'SIZE', 'STATUS'], ...rows]));
  deps.stdout.write(`\nModels directory: ${store.modelsDir}\n`);
  return 0;
}

function describeStatus(s: ModelStatus): string {
  if (s.system) {
    return s.status === 'installed'
      ? `installed (system package ${s.model.systemPackage})`
      : `${s.status} (apt-get install ${s.model.systemPackage})`;
  }
  return s.status === 'partial' ? `partial (${s.filesPresent}/${s.filesTotal} files)` : s.status;
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

async function pullCommand(
  store: ModelStore,
  ids: string[],
  fromDir: string | undefined,
  mirror: string | undefined,
  deps: ModelsCommandDeps,
): Promise<number> {
  if (ids.length === 0) {
    deps.stderr.write(`earshot models pull: name at least one model id (see \`earshot models list\`)\n`);
    return 2;
  }
  if (mirror !== undefined && !URL.canParse(mirror)) {
    deps.stderr.write(`earshot models pull: --mirror must be a URL, got "${mirror}"\n`);
    return 2;
  }
  // Unknown ids fail before anything is downloaded.
  for (const id of ids) store.require(id);
  let failures = 0;
  for (const id of ids) {
    const model = store.require(id);
    const where = fromDir !== undefined ? ` from ${fromDir}` : mirror !== undefined ? ` via ${mirror}` : '';
    const count = model.files.length;
    deps.stderr.write(`Pulling ${id} (${count} ${count === 1 ? 'file' : 'files'})${where}\n`);
    const view = new PullView(deps.stderr);
    try {
      const result = await pullModel(store, id, {
        fromDir,
        mirror,
        signal: deps.signal,
        onProgress: (p) => view.progress(p),
        onMessage: (m) => view.message(m),
      });
      view.close();
      if (result.manifestPath === undefined) {
        deps.stdout.write(`${id}: installed (system package ${model.systemPackage})\n`);
      } else {
        const fetched = result.files.filter((f) => f.action !== 'skipped').length;
        deps.stdout.write(
          `${id}: installed (${fetched} of ${result.files.length} files fetched) in ${store.modelDir(id)}\n`,
        );
      }
    } catch (error) {
      view.close();
      if (!isEarshotError(error)) throw error;
      deps.stderr.write(`${error.message}\n`);
      failures++;
      if (error.code === 'cancelled') break;
    }
  }
  return failures > 0 ? 1 : 0;
}

/** One progress bar per file being fetched; notices printed between bars. */
class PullView {
  #bar: ProgressBar | undefined;
  #file: string | undefined;

  constructor(private readonly stream: Writable) {}

  progress(p: PullProgress): void {
    const label = `  ${p.file} (${p.fileIndex + 1}/${p.fileCount})`;
    if (p.phase === 'skipped') {
      this.#end();
      this.stream.write(`${label}: already in place and verified\n`);
      return;
    }
    if (p.phase === 'done') {
      this.#bar?.update(p.bytesDone);
      this.#end(`${label}: done, ${formatBytes(p.bytesDone)}`);
      return;
    }
    if (this.#file !== p.file || !this.#bar) {
      this.#end();
      this.#file = p.file;
      this.#bar = createProgressBar({ stream: this.stream, label, unit: 'bytes', total: p.bytesTotal });
    }
    this.#bar.setTotal(p.bytesTotal);
    this.#bar.update(p.bytesDone);
  }

  message(text: string): void {
    const tty = (this.stream as { isTTY?: boolean }).isTTY === true;
    // On a terminal the bar owns the current line: clear it; it redraws on the next update.
    this.stream.write(`${tty && this.#bar ? '\r\x1b[K' : ''}  ${text}\n`);
  }

  close(): void {
    this.#end();
  }

  #end(message?: string): void {
    if (this.#bar) this.#bar.done(message);
    else if (message !== undefined) this.stream.write(`${message}\n`);
    this.#bar = undefined;
    this.#file = undefined;
  }
}

const STATUS_WORD: Record<FileCheckStatus, string> = {
  ok: 'ok',
  unverified: 'unverified',
  missing: 'MISSING',
  sizeMismatch: 'BAD SIZE',
  sha256Mismatch: 'BAD SHA256',
};

async function verifyCommand(store: ModelStore, ids: string[], deps: ModelsCommandDeps): Promise<number> {
  let targets = ids;
  if (targets.length === 0) {
    targets = store
      .list()
      .filter((s) => s.status === 'installed')
      .map((s) => s.model.id);
    if (targets.length === 0) {
      deps.stdout.write(`No models installed in ${store.modelsDir}.\n`);
      return 0;
    }
  }
  for (const id of targets) store.require(id);
  let failed = 0;
  for (const id of targets) {
    deps.stderr.write(`Verifying ${id}…\n`);
    const report = await store.verify(id, { full: true, signal: deps.signal });
    if (!report.ok) failed++;
    deps.stdout.write(`${id}: ${report.ok ? 'ok' : 'FAILED'}${report.note ? ` (${report.note})` : ''}\n`);
    const width = Math.max(...report.files.map((f) => f.name.length));
    for (const file of report.files) {
      deps.stdout.write(
        `  ${STATUS_WORD[file.status].padEnd(10)} ${file.name.padEnd(width)}  ${file.message}\n`,
      );
    }
  }
  if (failed > 0) {
    deps.stdout.write(
      `\n${failed} of ${targets.length} model(s) failed verification: run \`earshot models pull <id>\` to fetch damaged or missing files again.\n`,
    );
  }
  return failed > 0 ? 1 : 0;
}
