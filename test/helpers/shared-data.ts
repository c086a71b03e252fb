import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the shared real data lives: `EARSHOT_SHARED_DIR`, else `../shared` beside the repository.
 * Tests and benchmarks read audio, references and models from here; nothing is copied into git.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', ...upIfCompiled());

function upIfCompiled(): string[] {
  // Compiled tests live in dist/test/helpers, sources in test/helpers.
  return fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? ['..'] : [];
}

export const REPO_ROOT = repoRoot;
export const SHARED_DIR = path.resolve(process.env.EARSHOT_SHARED_DIR ?? path.join(repoRoot, '..', 'shared'));
export const SPEECH_DIR = path.join(SHARED_DIR, 'data', 'audio', 'speech');
export const MULTISPEAKER_DIR = path.join(SHARED_DIR, 'data', 'audio', 'multispeaker');
export const VAD_MODELS_DIR = path.join(SHARED_DIR, 'models', 'vad');
export const WHISPER_DATA_DIR = path.join(SHARED_DIR, 'data', 'whisper');

export function speechFile(name: string): string {
  return path.join(SPEECH_DIR, name);
}

export interface SpeechReference {
  id: string;
  audio: string;
  reference: string;
  corpus: string;
}

/** The rows of `refs.tsv`: one real recording and its reference transcript each. */
export function speechReferences(dir: string = SPEECH_DIR): SpeechReference[] {
  const lines = readFileSync(path.join(dir, 'refs.tsv'), 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => {
    const [id = '', audio = '', reference = '', corpus = ''] = line.split('\t');
    return { id, audio, reference, corpus };
  });
}
