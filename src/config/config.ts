import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { validateAllowedPrivateHosts } from '../net/address-policy.js';

/**
 * Earshot's configuration, read once from `EARSHOT_*` environment variables and validated.
 * Nothing else in the code base reads `process.env`.
 */

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const apiKeyList = z.string().transform((raw, ctx) => {
  const keys = new Map<string, string>();
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const key = colon === -1 ? entry : entry.slice(0, colon);
    const tenant = colon === -1 ? 'default' : entry.slice(colon + 1);
    if (key.length < 8) {
      ctx.addIssue({ code: 'custom', message: `API key "${key.slice(0, 3)}…" is shorter than 8 characters` });
      continue;
    }
    if (!/^[A-Za-z0-9._-]+$/.test(tenant)) {
      ctx.addIssue({ code: 'custom', message: `tenant "${tenant}" may only use letters, digits, . _ -` });
      continue;
    }
    keys.set(key, tenant);
  }
  return keys;
});

const hostList = z.string().transform((raw, ctx) => {
  const entries = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const problem of validateAllowedPrivateHosts(entries))
    ctx.addIssue({ code: 'custom', message: problem });
  return entries;
});

export const ASR_ENGINE_IDS = ['auto', 'sphinx', 'sherpa'] as const;
export type AsrEngineSetting = (typeof ASR_ENGINE_IDS)[number];

const envSchema = z.object({
  EARSHOT_DATA_DIR: z.string().min(1).default('./data'),
  EARSHOT_MODELS_DIR: z.string().min(1).optional(),
  EARSHOT_MODELS_CATALOG: z.string().min(1).optional(),
  EARSHOT_MODELS_MIRROR: z.url().optional(),
  EARSHOT_API_KEYS: apiKeyList.default(new Map()),
  EARSHOT_ASR_ENGINE: z.enum(ASR_ENGINE_IDS).default('auto'),
  EARSHOT_ASR_MODEL: z.string().min(1).optional(),
  EARSHOT_DIARIZATION_ENGINE: z.enum(['auto', 'builtin', 'sherpa']).default('auto'),
  EARSHOT_VAD_MODEL: z.string().min(1).default('silero-vad-v6.2'),
  EARSHOT_WORKERS: nonNegativeInt.max(64).default(1),
  EARSHOT_ENGINE_THREADS: positiveInt.max(256).default(Math.max(1, os.availableParallelism())),
  EARSHOT_HOST: z.string().min(1).default('127.0.0.1'),
  EARSHOT_PORT: nonNegativeInt.max(65535).default(8080),
  EARSHOT_PUBLIC_URL: z.url().optional(),
  EARSHOT_MAX_UPLOAD_BYTES: positiveInt.default(2 * 1024 ** 3),
  EARSHOT_MAX_AUDIO_SECONDS: positiveInt.default(10 * 3600),
  EARSHOT_FETCH_TIMEOUT_MS: positiveInt.default(10 * 60_000),
  EARSHOT_FETCH_MAX_REDIRECTS: nonNegativeInt.max(20).default(5),
  EARSHOT_ALLOWED_PRIVATE_HOSTS: hostList.default([]),
  EARSHOT_SYNC_TIMEOUT_MS: positiveInt.default(30 * 60_000),
  EARSHOT_JOB_LEASE_MS: positiveInt.min(1000).default(30_000),
  EARSHOT_JOB_MAX_ATTEMPTS: positiveInt.max(100).default(3),
  EARSHOT_WEBHOOK_MAX_ATTEMPTS: positiveInt.max(100).default(8),
  EARSHOT_WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  EARSHOT_POCKETSPHINX_BIN: z.string().min(1).default('pocketsphinx_continuous'),
  EARSHOT_POCKETSPHINX_MODEL_DIR: z.string().min(1).default('/usr/share/pocketsphinx/model/en-us'),
  EARSHOT_FFMPEG_BIN: z.string().min(1).default('ffmpeg'),
  EARSHOT_FFPROBE_BIN: z.string().min(1).default('ffprobe'),
  EARSHOT_RATE_LIMIT_PER_SECOND: nonNegativeInt.default(0),
  EARSHOT_LLM_URL: z.url().optional(),
  EARSHOT_LLM_MODEL: z.string().min(1).optional(),
  EARSHOT_LLM_API_KEY: z.string().min(1).optional(),
  EARSHOT_LLM_TIMEOUT_MS: positiveInt.default(120_000),
  EARSHOT_LLM_CONTEXT_TOKENS: positiveInt.min(512).default(8192),
  EARSHOT_LLM_MAX_TOKENS_PER_JOB: positiveInt.default(200_000),
  EARSHOT_URL_SIGNING_KEY: z.string().min(32).optional(),
  EARSHOT_SENTIMENT_LEXICON: z.string().min(1).optional(),
  EARSHOT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EARSHOT_ALLOW_NO_AUTH: bool.default(false),
});

export interface Config {
  dataDir: string;
  modelsDir: string;
  /** Extra model catalog (JSON) merged over the built-in one. */
  modelsCatalogFile: string | undefined;
  /** Base URL that replaces each model file's origin when pulling (an internal mirror). */
  modelsMirror: string | undefined;
  /** API key → tenant id. Empty: authentication is off (only allowed on loopback). */
  apiKeys: Map<string, string>;
  asr: { engine: AsrEngineSetting; model: string | undefined; threads: number };
  vadModel: string;
  diarization: { engine: 'auto' | 'builtin' | 'sherpa' };
  workers: number;
  host: string;
  port: number;
  publicUrl: string | undefined;
  limits: {
    maxUploadBytes: number;
    maxAudioSeconds: number;
    rateLimitPerSecond: number;
  };
  fetch: {
    timeoutMs: number;
    maxRedirects: number;
    /** Hosts, IPs or CIDRs that may be fetched even though they are private. */
    allowedPrivateHosts: string[];
  };
  jobs: {
    leaseMs: number;
    maxAttempts: number;
    /** Longest a request that waits for its transcript (OpenAI's API) may wait. */
    syncTimeoutMs: number;
  };
  webhooks: { maxAttempts: number; timeoutMs: number };
  tools: { ffmpeg: string; ffprobe: string; pocketsphinx: string; pocketsphinxModelDir: string };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  allowNoAuth: boolean;
  /** The optional LLM provider: any OpenAI-compatible chat endpoint. Null when not configured. */
  llm: {
    url: string;
    model: string;
    apiKey: string | undefined;
    timeoutMs: number;
    /** The model's context window, for budgeting prompts. */
    contextTokens: number;
    /** Most tokens (prompt + answer) one job may spend on the LLM. */
    maxTokensPerJob: number;
  } | null;
  /**
   * Key for signing expiring URLs that work without an API key (redacted audio). Absent: a key is
   * generated once and kept in the data directory.
   */
  urlSigningKey: string | undefined;
  /** VADER's lexicon (sentiment analysis); installed by scripts/setup.sh into the models directory. */
  sentimentLexiconFile: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if ((e.EARSHOT_LLM_URL === undefined) !== (e.EARSHOT_LLM_MODEL === undefined)) {
    throw new ConfigError([
      'EARSHOT_LLM_URL and EARSHOT_LLM_MODEL must be set together (the LLM provider needs both)',
    ]);
  }
  const dataDir = path.resolve(e.EARSHOT_DATA_DIR);
  return {
    dataDir,
    modelsDir: path.resolve(e.EARSHOT_MODELS_DIR ?? path.join(dataDir, 'models')),
    modelsCatalogFile: e.EARSHOT_MODELS_CATALOG && path.resolve(e.EARSHOT_MODELS_CATALOG),
    modelsMirror: e.EARSHOT_MODELS_MIRROR,
    apiKeys: e.EARSHOT_API_KEYS,
    asr: { engine: e.EARSHOT_ASR_ENGINE, model: e.EARSHOT_ASR_MODEL, threads: e.EARSHOT_ENGINE_THREADS },
    vadModel: e.EARSHOT_VAD_MODEL,
    diarization: { engine: e.EARSHOT_DIARIZATION_ENGINE },
    workers: e.EARSHOT_WORKERS,
    host: e.EARSHOT_HOST,
    port: e.EARSHOT_PORT,
    publicUrl: e.EARSHOT_PUBLIC_URL?.replace(/\/+$/, ''),
    limits: {
      maxUploadBytes: e.EARSHOT_MAX_UPLOAD_BYTES,
      maxAudioSeconds: e.EARSHOT_MAX_AUDIO_SECONDS,
      rateLimitPerSecond: e.EARSHOT_RATE_LIMIT_PER_SECOND,
    },
    fetch: {
      timeoutMs: e.EARSHOT_FETCH_TIMEOUT_MS,
      maxRedirects: e.EARSHOT_FETCH_MAX_REDIRECTS,
      allowedPrivateHosts: e.EARSHOT_ALLOWED_PRIVATE_HOSTS,
    },
    jobs: {
      leaseMs: e.EARSHOT_JOB_LEASE_MS,
      maxAttempts: e.EARSHOT_JOB_MAX_ATTEMPTS,
      syncTimeoutMs: e.EARSHOT_SYNC_TIMEOUT_MS,
    },
    webhooks: { maxAttempts: e.EARSHOT_WEBHOOK_MAX_ATTEMPTS, timeoutMs: e.EARSHOT_WEBHOOK_TIMEOUT_MS },
    tools: {
      ffmpeg: e.EARSHOT_FFMPEG_BIN,
      ffprobe: e.EARSHOT_FFPROBE_BIN,
      pocketsphinx: e.EARSHOT_POCKETSPHINX_BIN,
      pocketsphinxModelDir: e.EARSHOT_POCKETSPHINX_MODEL_DIR,
    },
    logLevel: e.EARSHOT_LOG_LEVEL,
    allowNoAuth: e.EARSHOT_ALLOW_NO_AUTH,
    llm:
      e.EARSHOT_LLM_URL && e.EARSHOT_LLM_MODEL
        ? {
            url: e.EARSHOT_LLM_URL.replace(/\/+$/, ''),
            model: e.EARSHOT_LLM_MODEL,
            apiKey: e.EARSHOT_LLM_API_KEY,
            timeoutMs: e.EARSHOT_LLM_TIMEOUT_MS,
            contextTokens: e.EARSHOT_LLM_CONTEXT_TOKENS,
            maxTokensPerJob: e.EARSHOT_LLM_MAX_TOKENS_PER_JOB,
          }
        : null,
    urlSigningKey: e.EARSHOT_URL_SIGNING_KEY,
    sentimentLexiconFile: path.resolve(
      e.EARSHOT_SENTIMENT_LEXICON ??
        path.join(e.EARSHOT_MODELS_DIR ?? path.join(dataDir, 'models'), 'vader', 'vader_lexicon.txt'),
    ),
  };
}
