import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EarshotError } from '../domain/errors.js';

/**
 * `<models dir>/<id>/.earshot-model.json`: what `earshot models pull` installed. It is the only
 * record of a sha256 that was not published (trust on first use), so later verification can tell
 * a tampered or truncated file from the one that was downloaded.
 */

export const MANIFEST_NAME = '.earshot-model.json';

/** `published`: the catalog gave the sha256 and the file matched it. `recorded`: trust on first use. */
export type Sha256Source = 'published' | 'recorded';

export interface ManifestFile {
  name: string;
  sizeBytes: number;
  sha256: string;
  sha256Source: Sha256Source;
  /** The URL it was downloaded from, or the local file it was copied from. */
  source: string;
  installedAt: string;
}

export interface ModelManifest {
  version: 1;
  id: string;
  updatedAt: string;
  files: ManifestFile[];
}

const manifestSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  updatedAt: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      sizeBytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      sha256Source: z.enum(['published', 'recorded']),
      source: z.string(),
      installedAt: z.string(),
    }),
  ),
});

/** Reads a manifest; undefined when there is none. A manifest that cannot be parsed is an error. */
export function readManifestFile(file: string): ModelManifest | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw new EarshotError(
      'modelCorrupt',
      `The model manifest ${file} is damaged. Delete it and run \`earshot models pull ${path.basename(path.dirname(file))}\` ` +
        'to verify the files again.',
    );
  }
  return result.data;
}

/** Writes a manifest atomically (temp file + rename), so a crash never leaves half a manifest. */
export async function writeManifestFile(file: string, manifest: ModelManifest): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, file);
}

/** The manifest with `entry` added or replacing the entry of the same name. */
export function withManifestEntry(
  manifest: ModelManifest | undefined,
  id: string,
  entry: ManifestFile,
): ModelManifest {
  const files = (manifest?.files ?? []).filter((f) => f.name !== entry.name);
  files.push(entry);
  return { version: 1, id, updatedAt: entry.installedAt, files };
}
