import { EarshotError } from '../domain/errors.js';
import type { ResolvedModel } from '../engines/asr/asr-engine.js';
import { isSystemModel } from './catalog.js';
import type { CatalogFile, CatalogModel } from './catalog.types.js';
import { cachedSha256, forgetVerified, rememberVerified, sha256File } from './file-hash.js';
import { statOrUndefined } from '../util/fs.js';

/**
 * The check every model passes right before it is loaded. It needs only the ResolvedModel (paths
 * and expected checksums), so the engine host process can run it without the catalog or the
 * models directory. A corrupt ONNX file can abort a native runtime; a checksum mismatch here is a
 * clear error instead.
 */

/**
 * Every file present, published sizes match, and each sha256 matches — hashed once per process
 * while the file's size and mtime are unchanged. System models: existence only (OS packages carry
 * no checksums). Throws EarshotError `modelMissing` or `modelCorrupt` naming the file, the expected
 * and the actual value, and the command that fixes it.
 */
export async function verifyModelForLoading(
  resolved: ResolvedModel,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const { model } = resolved;
  for (const file of model.files) {
    const file_ = resolved.files[file.name];
    if (file_ === undefined) {
      throw new EarshotError(
        'internal',
        `Model ${model.id}: the resolved model has no path for ${file.name}.`,
      );
    }
    const info = await statOrUndefined(file_);
    if (!info) throw missingError(model, file, file_);
    if (isSystemModel(model)) continue;
    if (!info.isFile()) {
      throw new EarshotError('modelCorrupt', `Model ${model.id}: ${file_} is not a regular file.`);
    }
    if (file.sizeBytes !== undefined && info.size !== file.sizeBytes) {
      throw new EarshotError(
        'modelCorrupt',
        `Model ${model.id}: file ${file.name} (${file_}) has ${info.size} bytes, expected ${file.sizeBytes}. ` +
          `Run \`earshot models pull ${model.id}\` to download it again.`,
      );
    }
    const expected = resolved.sha256[file.name];
    if (expected === undefined) {
      throw new EarshotError(
        'modelMissing',
        `Model ${model.id}: file ${file.name} (${file_}) has no sha256 to verify against (none is published ` +
          `and none was recorded). Run \`earshot models pull ${model.id}\`: it keeps the files in place and ` +
          'records their sha256.',
      );
    }
    if (cachedSha256(file_, info.size, info.mtimeMs) === expected) continue;
    const actual = await sha256File(file_, options);
    if (actual !== expected) {
      forgetVerified(file_);
      const source = file.sha256 !== undefined ? 'published' : 'recorded when it was pulled';
      throw new EarshotError(
        'modelCorrupt',
        `Model ${model.id}: file ${file.name} (${file_}) is damaged: sha256 ${actual}, expected ${expected} ` +
          `(${source}). Run \`earshot models pull ${model.id}\` to download it again.`,
      );
    }
    // The stat from before hashing: if the file changed meanwhile, this record never matches.
    rememberVerified(file_, info, actual);
  }
}

function missingError(model: CatalogModel, file: CatalogFile, file_: string): EarshotError {
  if (isSystemModel(model)) {
    return new EarshotError(
      'modelMissing',
      `Model ${model.id}: ${file_} is missing. It comes from the system package ${model.systemPackage} ` +
        `(apt-get install ${model.systemPackage}).`,
    );
  }
  return new EarshotError(
    'modelMissing',
    `Model ${model.id} is not installed: file ${file.name} is missing (expected at ${file_}). ` +
      `Run \`earshot models pull ${model.id}\`.`,
  );
}
