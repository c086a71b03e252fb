import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * VADER's human-rated lexicon (Hutto & Gilbert 2014): token → mean valence in [-4, 4]. The file
 * is shared data (MIT, cjhutto/vaderSentiment), not part of the repository, so it is located at
 * run time and read once.
 */
export type VaderLexicon = ReadonlyMap<string, number>;

const LEXICON_RELATIVE_PATH = path.join('data', 'text', 'vader', 'vader_lexicon.txt');

let configuredPath: string | undefined;
let cached: { file: string; lexicon: VaderLexicon } | undefined;

/** Where the lexicon sits inside a shared data directory. */
export function vaderLexiconFile(sharedDir: string): string {
  return path.resolve(sharedDir, LEXICON_RELATIVE_PATH);
}

/**
 * Points the analyser at a lexicon file (the app passes `vaderLexiconFile(config.sharedDir)` at
 * start up, `undefined` restores the default); later loads read that file. Configuration is set
 * here rather than read from the environment because only src/config reads the environment.
 */
export function setVaderLexiconPath(file: string | undefined): void {
  configuredPath = file === undefined ? undefined : path.resolve(file);
  cached = undefined;
}

/**
 * Where the lexicon is read from: the path set with `setVaderLexiconPath`, else the shared data
 * directory beside the repository (`../shared`, the layout every checkout of this project uses).
 */
export function vaderLexiconPath(): string {
  return configuredPath ?? vaderLexiconFile(path.join(repoRoot(), '..', 'shared'));
}

/** The lexicon, read and parsed on the first call and cached afterwards. */
export function loadVaderLexicon(): VaderLexicon {
  const file = vaderLexiconPath();
  if (cached?.file === file) return cached.lexicon;
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `VADER lexicon not found at ${file} (run scripts/setup.sh, or set EARSHOT_SENTIMENT_LEXICON ` +
        `to vader_lexicon.txt): ${reason}`,
    );
  }
  const lexicon = parseVaderLexicon(raw);
  cached = { file, lexicon };
  return lexicon;
}

/**
 * Parses the lexicon's tab-separated lines: token, mean rating, standard deviation, the raw
 * ratings. Only the first two fields matter to the algorithm.
 */
export function parseVaderLexicon(raw: string): VaderLexicon {
  const lexicon = new Map<string, number>();
  for (const line of raw.split('\n')) {
    const [token, mean] = line.split('\t');
    if (token === undefined || token === '' || mean === undefined) continue;
    const valence = Number(mean);
    if (Number.isFinite(valence)) lexicon.set(token, valence);
  }
  return lexicon;
}

/** The repository root, from this file's place in `src/` or in the compiled `dist/src/`. */
function repoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const compiled = here.split(path.sep).includes('dist');
  return path.resolve(here, '..', '..', '..', ...(compiled ? ['..'] : []));
}
