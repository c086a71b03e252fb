/**
 * Punctuation by sherpa-onnx's offline CT-Transformer model (`kind: 'punctuation'` in the catalog),
 * for ASR models that write none. Runs in the engine host: `addPunct` is synchronous, and a model
 * file onnxruntime cannot parse aborts the process. Metadata sherpa needs is checked before the
 * model is constructed, because sherpa exits the process when it is missing.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';

import { EarshotError } from '../../domain/errors.js';
import type { ResolvedModel } from '../asr/asr-engine.js';
import { inspectOnnxFile, loadSherpaOnnx } from '../sherpa-onnx.js';

export interface LoadedPunctuator {
  /** The model's output for each text ("" for an empty one), in order. */
  punctuate(texts: readonly string[], signal?: AbortSignal): string[];
}

/** Marks sherpa looks up by name in the model's `punctuations` list (it exits when one is absent). */
const REQUIRED_MARKS = ['_', '，', '。', '？', '、'];

/**
 * Loads a CT-Transformer punctuation model.
 * @throws EarshotError `modelMissing` when the file is absent, `modelCorrupt` when it is not a
 * punctuation model sherpa can run.
 */
export async function loadSherpaPunctuation(
  resolved: ResolvedModel,
  options: { threads: number },
): Promise<LoadedPunctuator> {
  const { model } = resolved;
  const entry = model.files.find((f) => f.role === 'model');
  const file = entry ? resolved.files[entry.name] : undefined;
  if (!entry || file === undefined) {
    throw new EarshotError('modelMissing', `Model ${model.id} lists no model file in the catalog`);
  }
  try {
    await access(file);
  } catch {
    throw new EarshotError(
      'modelMissing',
      `Model ${model.id} is missing ${entry.name} (${file}); pull it with \`earshot models pull ${model.id}\``,
    );
  }
  const inspection = await inspectOnnxFile(file);
  const problem = inspection.problem ?? metadataProblem(inspection.metadata);
  if (problem !== undefined) {
    throw new EarshotError(
      'modelCorrupt',
      `Could not load model ${model.id}: ${path.basename(file)} is not a punctuation model sherpa-onnx can run: ${problem}`,
    );
  }
  const sherpa = loadSherpaOnnx();
  const punctuation = new sherpa.OfflinePunctuation({
    model: { ctTransformer: file, numThreads: Math.max(1, options.threads), debug: 0, provider: 'cpu' },
  });
  return {
    punctuate(texts, signal) {
      return texts.map((text) => {
        signal?.throwIfAborted();
        return text.trim() === '' ? '' : punctuation.addPunct(text);
      });
    },
  };
}

/** Why the metadata would make sherpa exit; undefined when it is complete. */
export function metadataProblem(metadata: Record<string, string>): string | undefined {
  const missing = ['tokens', 'punctuations', 'vocab_size', 'unk_symbol'].filter((k) => !(k in metadata));
  if (missing.length > 0) return `metadata lacks ${missing.join(', ')}`;
  const tokens = metadata.tokens!.split('|');
  if (String(tokens.length) !== metadata.vocab_size?.trim()) {
    return `metadata vocab_size ${metadata.vocab_size} does not match its ${tokens.length} tokens`;
  }
  if (!tokens.includes(metadata.unk_symbol!)) return `unk_symbol "${metadata.unk_symbol}" is not a token`;
  const marks = metadata.punctuations!.split('|');
  const absent = REQUIRED_MARKS.filter((m) => !marks.includes(m));
  if (absent.length > 0) return `punctuations lack ${absent.join(' ')}`;
  return undefined;
}
