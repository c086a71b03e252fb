import path from 'node:path';
import { z } from 'zod';
import type {
  CatalogModel,
  ModelFileRole,
  ModelKind,
  ModelRuntime,
  SherpaArchitecture,
} from './catalog.types.js';

/**
 * Validation of catalog entries. Operator catalogs (`EARSHOT_MODELS_CATALOG`) are checked with the
 * same rules as the built-in one, so a typo fails at startup with a list of problems instead of at
 * the first transcription.
 */

const MODEL_ROLES = [
  'model',
  'encoder',
  'decoder',
  'joiner',
  'tokens',
  'preprocessor',
  'uncached-decoder',
  'cached-decoder',
  'dictionary',
  'language-model',
  'acoustic-model',
] as const satisfies readonly ModelFileRole[];

const ARCHITECTURES = [
  'whisper',
  'nemo-ctc',
  'transducer',
  'moonshine',
  'sense-voice',
] as const satisfies readonly SherpaArchitecture[];

const KINDS = [
  'asr',
  'vad',
  'segmentation',
  'speaker-embedding',
  'punctuation',
] as const satisfies readonly ModelKind[];

/** The kinds of model each runtime loads. */
const KINDS_BY_RUNTIME: Record<ModelRuntime, readonly ModelKind[]> = {
  silero: ['vad'],
  sphinx: ['asr'],
  sherpa: ['asr', 'segmentation', 'speaker-embedding', 'punctuation'],
};

/**
 * The file roles each kind of model must provide; an entry missing one could never be loaded.
 * `kind` matters only for sherpa's diarization and punctuation models (one ONNX file each, role
 * `model`).
 */
export function requiredRoles(
  model: Pick<CatalogModel, 'runtime' | 'architecture'> & { kind?: ModelKind },
): ModelFileRole[] {
  if (model.kind === 'segmentation' || model.kind === 'speaker-embedding' || model.kind === 'punctuation')
    return ['model'];
  const byRuntime: Record<ModelRuntime, ModelFileRole[] | undefined> = {
    silero: ['model'],
    sphinx: ['acoustic-model', 'language-model', 'dictionary'],
    sherpa: undefined,
  };
  const fixed = byRuntime[model.runtime];
  if (fixed) return fixed;
  const byArchitecture: Record<SherpaArchitecture, ModelFileRole[]> = {
    whisper: ['encoder', 'decoder', 'tokens'],
    'nemo-ctc': ['model', 'tokens'],
    transducer: ['encoder', 'decoder', 'joiner', 'tokens'],
    moonshine: ['preprocessor', 'encoder', 'uncached-decoder', 'cached-decoder', 'tokens'],
    'sense-voice': ['model', 'tokens'],
  };
  return model.architecture ? byArchitecture[model.architecture] : [];
}

// Ids become folder names under the models dir, so they must be safe path segments.
const modelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be lowercase letters, digits, . _ - (at most 100)')
  .refine((id) => !id.includes('..'), 'must not contain ".."');

const fileSchema = z.strictObject({
  name: z.string().min(1),
  role: z.enum(MODEL_ROLES),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  sizeBytes: z.number().int().positive().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
    .transform((s) => s.toLowerCase())
    .optional(),
});

const modelSchema = z
  .strictObject({
    id: modelId,
    kind: z.enum(KINDS),
    runtime: z.enum(['sherpa', 'sphinx', 'silero']),
    architecture: z.enum(ARCHITECTURES).optional(),
    description: z.string(),
    languages: z.union([z.literal('multilingual'), z.array(z.string().min(2)).min(1)]),
    languageDetection: z.boolean(),
    translation: z.boolean(),
    punctuation: z.boolean(),
    hints: z.boolean(),
    accuracyRank: z.number(),
    license: z.string(),
    homepage: z.string(),
    files: z.array(fileSchema).min(1),
    systemPackage: z.string().min(1).optional(),
    approxSizeBytes: z.number().int().positive().optional(),
  })
  .superRefine((model, ctx) => {
    const system = model.systemPackage !== undefined;
    const seen = new Set<string>();
    model.files.forEach((file, i) => {
      const where = ['files', i, 'name'];
      if (seen.has(file.name)) ctx.addIssue({ code: 'custom', path: where, message: 'duplicate file name' });
      seen.add(file.name);
      if (system) {
        // OS packages put files at fixed places; the store never writes there.
        if (!path.isAbsolute(file.name)) {
          ctx.addIssue({ code: 'custom', path: where, message: 'a system model lists absolute paths' });
        }
      } else if (!isSafeRelativeName(file.name)) {
        ctx.addIssue({
          code: 'custom',
          path: where,
          message: 'must be a relative path inside the model folder (no "..", no leading "/", no "\\")',
        });
      }
    });
    const sherpaAsr = model.runtime === 'sherpa' && model.kind === 'asr';
    if (sherpaAsr && model.architecture === undefined) {
      ctx.addIssue({ code: 'custom', path: ['architecture'], message: 'required for runtime "sherpa"' });
    }
    if (!sherpaAsr && model.architecture !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['architecture'],
        message:
          model.runtime === 'sherpa' ? 'only sherpa asr models have one' : 'only sherpa models have one',
      });
    }
    const kinds = KINDS_BY_RUNTIME[model.runtime];
    if (!kinds.includes(model.kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `runtime "${model.runtime}" runs ${kinds.join(' or ')} models`,
      });
    }
    const roles = new Set(model.files.map((f) => f.role));
    const missing = requiredRoles(model).filter((role) => !roles.has(role));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['files'],
        message: `missing file role(s): ${missing.join(', ')}`,
      });
    }
  });

export const catalogFileSchema = z.strictObject({ models: z.array(modelSchema) });

function isSafeRelativeName(name: string): boolean {
  if (name.includes('\\') || name.includes('\0') || path.posix.isAbsolute(name)) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Validates a parsed catalog document (`{"models": [...]}`). Returns the models, or every problem
 * found, each naming where it is (`models[2].files[0].sha256 (model "x"): must be 64 hex digits`).
 */
export function validateCatalogDocument(
  input: unknown,
): { ok: true; models: CatalogModel[] } | { ok: false; problems: string[] } {
  const parsed = catalogFileSchema.safeParse(input);
  if (parsed.success) {
    const problems: string[] = [];
    const ids = new Set<string>();
    parsed.data.models.forEach((model, i) => {
      if (ids.has(model.id)) problems.push(`models[${i}].id: duplicate id "${model.id}"`);
      ids.add(model.id);
    });
    return problems.length > 0 ? { ok: false, problems } : { ok: true, models: parsed.data.models };
  }
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${describePath(input, issue.path)}: ${issue.message}`),
  };
}

function describePath(input: unknown, issuePath: readonly PropertyKey[]): string {
  if (issuePath.length === 0) return '(document)';
  let out = '';
  for (const key of issuePath)
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  // Naming the model helps in a long file: the index alone is hard to find.
  const [first, index] = issuePath;
  if (first === 'models' && typeof index === 'number' && isRecord(input) && Array.isArray(input.models)) {
    const entry: unknown = input.models[index];
    if (isRecord(entry) && typeof entry.id === 'string') out += ` (model "${entry.id}")`;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
