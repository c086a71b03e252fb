import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { EarshotError } from '../domain/errors.js';
import type { ResolvedModel } from '../engines/asr/asr-engine.js';
import { isSystemModel } from './catalog.js';
import type { CatalogFile, CatalogModel } from './catalog.types.js';
import { forgetVerified, rememberVerified, sha256File } from './file-hash.js';
import { statOrUndefined } from '../util/fs.js';
import {
  MANIFEST_NAME,
  readManifestFile,
  withManifestEntry,
  writeManifestFile,
  type ManifestFile,
  type ModelManifest,
  type Sha256Source,
} from './model-manifest.js';
import { verifyModelForLoading } from './model-verifier.js';

/**
 * Install state of the models in the catalog: where their files live
 * (`<modelsDir>/<model id>/<file name>`), whether they are there, and whether they are intact.
 */

export type InstallStatus = 'installed' | 'missing' | 'partial';

export interface ModelStatus {
  model: CatalogModel;
  status: InstallStatus;
  /** Provided by an OS package (absolute paths, never pulled). */
  system: boolean;
  filesPresent: number;
  filesTotal: number;
  /** Total size in bytes: exact when every file's size is known (published or recorded), else the catalog's approximation. */
  sizeBytes: number | undefined;
  sizeIsApprox: boolean;
}

export type FileCheckStatus = 'ok' | 'missing' | 'sizeMismatch' | 'sha256Mismatch' | 'unverified';

export interface FileCheck {
  name: string;
  path: string;
  status: FileCheckStatus;
  /** Whether the file's content was hashed (false for quick checks and system models). */
  hashed: boolean;
  expectedSize?: number;
  actualSize?: number;
  expectedSha256?: string;
  actualSha256?: string;
  /** Where the expected sha256 came from. */
  sha256Source?: Sha256Source;
  /** One line for a person. */
  message: string;
}

export interface VerifyReport {
  id: string;
  system: boolean;
  /** No file is missing or damaged (`unverified` files do not count as failures). */
  ok: boolean;
  files: FileCheck[];
  /** A remark about the whole model (e.g. that only existence was checked). */
  note?: string;
}

export interface VerifyOptions {
  /**
   * Hash every file (true) or only check presence and size (false). An explicit verify always
   * re-reads the files, even ones verified earlier in this process.
   * @defaultValue true
   */
  full?: boolean;
  signal?: AbortSignal;
}

export class ModelStore {
  readonly modelsDir: string;
  readonly #models: Map<string, CatalogModel>;

  constructor(modelsDir: string, catalog: readonly CatalogModel[]) {
    this.modelsDir = path.resolve(modelsDir);
    this.#models = new Map(catalog.map((m) => [m.id, m]));
  }

  get(id: string): CatalogModel | undefined {
    return this.#models.get(id);
  }

  /** Like get, but an unknown id is an error that lists the known ones. */
  require(id: string): CatalogModel {
    const model = this.#models.get(id);
    if (!model) {
      throw new EarshotError(
        'modelMissing',
        `Unknown model "${id}". Known models: ${[...this.#models.keys()].join(', ')}.`,
      );
    }
    return model;
  }

  /** Every model in the catalog, installed or not. */
  all(): CatalogModel[] {
    return [...this.#models.values()];
  }

  modelDir(id: string): string {
    return path.join(this.modelsDir, id);
  }

  /** Absolute path of a model's file: system files are absolute already. */
  filePath(model: CatalogModel, file: CatalogFile): string {
    return isSystemModel(model) ? file.name : path.join(this.modelDir(model.id), file.name);
  }

  manifestPath(id: string): string {
    return path.join(this.modelDir(id), MANIFEST_NAME);
  }

  readManifest(id: string): ModelManifest | undefined {
    return readManifestFile(this.manifestPath(id));
  }

  /** Adds or replaces one file's record in the model's manifest. */
  async recordFile(id: string, entry: ManifestFile): Promise<void> {
    await writeManifestFile(this.manifestPath(id), withManifestEntry(this.readManifest(id), id, entry));
  }

  // list/status/isInstalled only stat a few files per model, so they are synchronous: model
  // selection and /health call them on every request without awaiting.

  list(): ModelStatus[] {
    return this.all().map((model) => this.#status(model));
  }

  status(id: string): ModelStatus {
    return this.#status(this.require(id));
  }

  /** Every file in place (not verified: see verify). An unknown id is simply not installed. */
  isInstalled(id: string): boolean {
    const model = this.#models.get(id);
    return model !== undefined && this.#status(model).status === 'installed';
  }

  /** Paths and expected sha256 (published, else recorded at pull time) of a model's files. */
  resolve(id: string): ResolvedModel {
    const model = this.require(id);
    const manifest = isSystemModel(model) ? undefined : this.readManifest(id);
    const files: Record<string, string> = {};
    const sha256: Record<string, string | undefined> = {};
    for (const file of model.files) {
      files[file.name] = this.filePath(model, file);
      sha256[file.name] = file.sha256 ?? manifest?.files.find((f) => f.name === file.name)?.sha256;
    }
    return { model, files, sha256 };
  }

  async verify(id: string, options: VerifyOptions = {}): Promise<VerifyReport> {
    const model = this.require(id);
    const full = options.full ?? true;
    if (isSystemModel(model)) return this.#verifySystem(model);
    const manifest = this.readManifest(id);
    const files: FileCheck[] = [];
    for (const file of model.files) {
      files.push(await this.#checkFile(model, file, manifest, full, options.signal));
    }
    const ok = files.every((f) => f.status === 'ok' || f.status === 'unverified');
    return { id, system: false, ok, files };
  }

  /**
   * Checks a resolved model right before it is loaded (see verifyModelForLoading): throws
   * EarshotError `modelMissing` or `modelCorrupt` naming the file, expected and actual values.
   */
  async verifyForLoading(resolved: ResolvedModel, options: { signal?: AbortSignal } = {}): Promise<void> {
    await verifyModelForLoading(resolved, options);
  }

  #status(model: CatalogModel): ModelStatus {
    const system = isSystemModel(model);
    const manifest = system ? undefined : this.#manifestOrUndefined(model.id);
    let present = 0;
    let partialDownloads = 0;
    let exactSize = 0;
    let sizesKnown = true;
    for (const file of model.files) {
      const file_ = this.filePath(model, file);
      const info = statSyncOrUndefined(file_);
      if (info && (system || info.isFile())) present++;
      else if (!system && statSyncOrUndefined(`${file_}.partial`)) partialDownloads++;
      const size = file.sizeBytes ?? manifest?.files.find((f) => f.name === file.name)?.sizeBytes;
      if (size === undefined) sizesKnown = false;
      else exactSize += size;
    }
    const total = model.files.length;
    const status: InstallStatus =
      present === total ? 'installed' : present === 0 && partialDownloads === 0 ? 'missing' : 'partial';
    const sizeBytes = system ? undefined : sizesKnown ? exactSize : model.approxSizeBytes;
    return {
      model,
      status,
      system,
      filesPresent: present,
      filesTotal: total,
      sizeBytes,
      sizeIsApprox: !sizesKnown && sizeBytes !== undefined,
    };
  }

  // Listing must not fail because one model's manifest is damaged; verify reports that instead.
  #manifestOrUndefined(id: string): ModelManifest | undefined {
    try {
      return this.readManifest(id);
    } catch {
      return undefined;
    }
  }

  async #verifySystem(model: CatalogModel): Promise<VerifyReport> {
    const files: FileCheck[] = [];
    for (const file of model.files) {
      const exists = (await statOrUndefined(file.name)) !== undefined;
      files.push({
        name: file.name,
        path: file.name,
        status: exists ? 'ok' : 'missing',
        hashed: false,
        message: exists
          ? 'present'
          : `missing: install the ${model.systemPackage} package (apt-get install ${model.systemPackage})`,
      });
    }
    return {
      id: model.id,
      system: true,
      ok: files.every((f) => f.status === 'ok'),
      files,
      note: `provided by the system package ${model.systemPackage}: only the files' existence is checked`,
    };
  }

  async #checkFile(
    model: CatalogModel,
    file: CatalogFile,
    manifest: ModelManifest | undefined,
    full: boolean,
    signal: AbortSignal | undefined,
  ): Promise<FileCheck> {
    const file_ = this.filePath(model, file);
    const recorded = manifest?.files.find((f) => f.name === file.name);
    const expectedSize = file.sizeBytes ?? recorded?.sizeBytes;
    const expectedSha256 = file.sha256 ?? recorded?.sha256;
    const sha256Source: Sha256Source | undefined =
      file.sha256 !== undefined ? 'published' : recorded ? 'recorded' : undefined;
    const base = { name: file.name, path: file_, expectedSize, expectedSha256, sha256Source };
    const info = await statOrUndefined(file_);
    if (!info || !info.isFile()) {
      return { ...base, status: 'missing', hashed: false, message: `missing (expected at ${file_})` };
    }
    const actualSize = info.size;
    if (expectedSize !== undefined && actualSize !== expectedSize) {
      return {
        ...base,
        actualSize,
        status: 'sizeMismatch',
        hashed: false,
        message: `size ${actualSize} bytes, expected ${expectedSize}`,
      };
    }
    if (!full) {
      return {
        ...base,
        actualSize,
        status: expectedSha256 ? 'ok' : 'unverified',
        hashed: false,
        message:
          expectedSize !== undefined ? 'size matches (content not hashed)' : 'present (content not hashed)',
      };
    }
    const actualSha256 = await sha256File(file_, { signal });
    if (expectedSha256 === undefined) {
      return {
        ...base,
        actualSize,
        actualSha256,
        status: 'unverified',
        hashed: true,
        message: `no sha256 published or recorded; this file's sha256 is ${actualSha256}`,
      };
    }
    if (actualSha256 !== expectedSha256) {
      forgetVerified(file_);
      return {
        ...base,
        actualSize,
        actualSha256,
        status: 'sha256Mismatch',
        hashed: true,
        message: `sha256 ${actualSha256}, expected ${expectedSha256} (${sha256Source})`,
      };
    }
    rememberVerified(file_, info, actualSha256);
    return {
      ...base,
      actualSize,
      actualSha256,
      status: 'ok',
      hashed: true,
      message: `sha256 matches (${sha256Source})`,
    };
  }
}

function statSyncOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
