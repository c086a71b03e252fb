import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config.js';
import { validateCatalogDocument } from './catalog.schema.js';
import type { CatalogFile, CatalogModel } from './catalog.types.js';

/**
 * The models Earshot knows out of the box, and the merge with an operator's catalog file.
 *
 * Sources: sherpa-onnx conversions are fetched file by file from csukuangfj's Hugging Face repos (the
 * ones sherpa-onnx's documentation links to), so each file can be resumed and checksummed on its own
 * instead of one multi-hundred-megabyte tarball. Silero VAD comes from the snakers4/silero-vad git
 * tags, whose blobs are byte-identical to the weights in `../shared/models/vad` (sha256 below).
 * A sha256 is only given where it was published (see `../shared/models/CHECKSUMS.md`); other files
 * are trusted on first use and their sha256 is recorded by `earshot models pull`.
 */

const HF = 'https://huggingface.co/csukuangfj';

function hf(
  repo: string,
  name: string,
  role: CatalogFile['role'],
  extra: Partial<CatalogFile> = {},
): CatalogFile {
  return { name, role, url: `${HF}/${repo}/resolve/main/${name}`, ...extra };
}

function silero(tag: string, name: string, sha256: string): CatalogFile {
  return {
    // The local name keeps the version so `pull --from` works on a folder holding several versions.
    name,
    role: 'model',
    url: `https://raw.githubusercontent.com/snakers4/silero-vad/${tag}/src/silero_vad/data/silero_vad.onnx`,
    sizeBytes: 2_327_524,
    sha256,
  };
}

function whisper(
  variant: 'tiny.en' | 'tiny' | 'base.en' | 'base',
  extra: { encoder?: Partial<CatalogFile>; decoder?: Partial<CatalogFile> } = {},
): CatalogFile[] {
  const repo = `sherpa-onnx-whisper-${variant}`;
  return [
    hf(repo, `${variant}-encoder.int8.onnx`, 'encoder', extra.encoder),
    hf(repo, `${variant}-decoder.int8.onnx`, 'decoder', extra.decoder),
    hf(repo, `${variant}-tokens.txt`, 'tokens'),
  ];
}

function moonshine(size: 'tiny' | 'base'): CatalogFile[] {
  const repo = `sherpa-onnx-moonshine-${size}-en-int8`;
  return [
    hf(repo, 'preprocess.onnx', 'preprocessor'),
    hf(repo, 'encode.int8.onnx', 'encoder'),
    hf(repo, 'uncached_decode.int8.onnx', 'uncached-decoder'),
    hf(repo, 'cached_decode.int8.onnx', 'cached-decoder'),
    hf(repo, 'tokens.txt', 'tokens'),
  ];
}

/**
 * Speaker-embedding models are single ONNX files attached to sherpa-onnx's GitHub release
 * `speaker-recongition-models` (sic: that is the tag's real spelling), with the metadata sherpa needs
 * (`framework`, `output_dim`, …) already added.
 */
const SPEAKER_MODELS = 'https://github.com/k2-fsa/sherpa-onnx/releases/download/speaker-recongition-models';
const SPEAKER_MODELS_HOMEPAGE =
  'https://github.com/k2-fsa/sherpa-onnx/releases/tag/speaker-recongition-models';

function speakerEmbedding(name: string, sizeBytes: number, sha256: string): CatalogFile {
  return { name, role: 'model', url: `${SPEAKER_MODELS}/${name}`, sizeBytes, sha256 };
}

/**
 * pyannote segmentation-3.0 as sherpa-onnx exports it. The release ships it only inside
 * `speaker-segmentation-models/sherpa-onnx-pyannote-segmentation-3-0.tar.bz2`; the Hugging Face repo
 * of the same name holds the same files one by one, which is what is fetched here.
 */
const PYANNOTE_REPO = 'sherpa-onnx-pyannote-segmentation-3-0';
const PYANNOTE_HOMEPAGE = 'https://k2-fsa.github.io/sherpa/onnx/speaker-diarization/models.html';

/**
 * The CT-Transformer punctuation model (from FunASR) as sherpa-onnx exports it. sherpa-onnx's GitHub
 * release `punctuation-models` ships it only inside a `.tar.bz2`; the Hugging Face repo of the same
 * name holds the same files one by one, which is what is fetched here. No checksum is published for
 * them: they are trusted on first use.
 */
const PUNCT_REPO = 'sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12';
const PUNCT_HOMEPAGE = 'https://k2-fsa.github.io/sherpa/onnx/punctuation/pretrained_models.html';

const SPHINX_DIR = '/usr/share/pocketsphinx/model/en-us';
// A system model is never downloaded; its `url` says where the files come from instead.
const SPHINX_PACKAGE_URL = 'https://packages.debian.org/stable/pocketsphinx-en-us';

const WHISPER_LICENSE = 'MIT';
const WHISPER_HOMEPAGE = 'https://k2-fsa.github.io/sherpa/onnx/pretrained_models/whisper/index.html';

export const BUILTIN_CATALOG: readonly CatalogModel[] = [
  {
    id: 'silero-vad-v6.2',
    kind: 'vad',
    runtime: 'silero',
    description: 'Silero VAD v6.2 (ONNX, 16 kHz), snakers4/silero-vad tag v6.2.',
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 2,
    license: 'MIT',
    homepage: 'https://github.com/snakers4/silero-vad',
    files: [
      silero(
        'v6.2',
        'silero_vad_v6.2.onnx',
        '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3',
      ),
    ],
  },
  {
    id: 'silero-vad-v5.1.2',
    kind: 'vad',
    runtime: 'silero',
    description: 'Silero VAD v5.1.2 (ONNX), the version the sherpa-onnx documentation uses.',
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 1,
    license: 'MIT',
    homepage: 'https://github.com/snakers4/silero-vad',
    files: [
      silero(
        'v5.1.2',
        'silero_vad_v5.1.2.onnx',
        '2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f',
      ),
    ],
  },
  {
    id: 'sphinx-en-us',
    kind: 'asr',
    runtime: 'sphinx',
    description:
      'CMU PocketSphinx US English (Debian package pocketsphinx-en-us). No download, weak accuracy, ' +
      'lowercase words without punctuation.',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 1,
    license: 'BSD-2-Clause',
    homepage: 'https://cmusphinx.github.io/',
    systemPackage: 'pocketsphinx-en-us',
    files: [
      { name: `${SPHINX_DIR}/en-us`, role: 'acoustic-model', url: SPHINX_PACKAGE_URL },
      { name: `${SPHINX_DIR}/en-us.lm.bin`, role: 'language-model', url: SPHINX_PACKAGE_URL },
      { name: `${SPHINX_DIR}/cmudict-en-us.dict`, role: 'dictionary', url: SPHINX_PACKAGE_URL },
    ],
  },
  {
    id: 'whisper-tiny.en',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'whisper',
    description: 'OpenAI Whisper tiny.en (English only), int8 sherpa-onnx export.',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 20,
    license: WHISPER_LICENSE,
    homepage: WHISPER_HOMEPAGE,
    approxSizeBytes: 104_000_000,
    files: whisper('tiny.en'),
  },
  {
    id: 'whisper-tiny',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'whisper',
    description: 'OpenAI Whisper tiny (multilingual, language detection, translation to English), int8.',
    languages: 'multilingual',
    languageDetection: true,
    translation: true,
    punctuation: true,
    hints: false,
    accuracyRank: 18,
    license: WHISPER_LICENSE,
    homepage: WHISPER_HOMEPAGE,
    approxSizeBytes: 104_000_000,
    files: whisper('tiny', {
      encoder: {
        sizeBytes: 12_937_772,
        sha256: 'd24fb083ae3b1041fc24e97971d60e280c9342201fbb67b0ab428a8b4a51a434',
      },
      decoder: {
        sizeBytes: 89_855_401,
        sha256: 'd2fece8dd42771f1df975c6c0445770d0c292bf7547c2cae04a6c0cc57540925',
      },
    }),
  },
  {
    id: 'whisper-base.en',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'whisper',
    description: 'OpenAI Whisper base.en (English only), int8 sherpa-onnx export.',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 35,
    license: WHISPER_LICENSE,
    homepage: WHISPER_HOMEPAGE,
    approxSizeBytes: 161_000_000,
    files: whisper('base.en'),
  },
  {
    id: 'whisper-base',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'whisper',
    description: 'OpenAI Whisper base (multilingual, language detection, translation to English), int8.',
    languages: 'multilingual',
    languageDetection: true,
    translation: true,
    punctuation: true,
    hints: false,
    accuracyRank: 32,
    license: WHISPER_LICENSE,
    homepage: WHISPER_HOMEPAGE,
    approxSizeBytes: 161_000_000,
    files: whisper('base'),
  },
  {
    id: 'parakeet-tdt-0.6b-v2',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'transducer',
    description: 'NVIDIA Parakeet TDT 0.6B v2 (English, punctuation and casing), int8 sherpa-onnx export.',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 90,
    license: 'CC-BY-4.0',
    homepage:
      'https://k2-fsa.github.io/sherpa/onnx/pretrained_models/offline-transducer/nemo/parakeet-tdt-0.6b-v2.html',
    approxSizeBytes: 661_000_000,
    files: [
      hf('sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8', 'encoder.int8.onnx', 'encoder'),
      hf('sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8', 'decoder.int8.onnx', 'decoder'),
      hf('sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8', 'joiner.int8.onnx', 'joiner'),
      hf('sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8', 'tokens.txt', 'tokens'),
    ],
  },
  {
    id: 'nemo-ctc-conformer-small',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'nemo-ctc',
    description:
      'NVIDIA NeMo Conformer-CTC small (English, lowercase, no punctuation), int8. Small and fast.',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 30,
    license: 'CC-BY-4.0',
    homepage: 'https://k2-fsa.github.io/sherpa/onnx/pretrained_models/offline-ctc/nemo/index.html',
    approxSizeBytes: 47_000_000,
    files: [
      hf('sherpa-onnx-nemo-ctc-en-conformer-small', 'model.int8.onnx', 'model', {
        sizeBytes: 46_419_854,
        sha256: '66cfde4ce0b6da9e1a4352e58f0c968f87da23070cf229c81ae0d520cddad2a2',
      }),
      hf('sherpa-onnx-nemo-ctc-en-conformer-small', 'tokens.txt', 'tokens'),
    ],
  },
  {
    id: 'moonshine-tiny',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'moonshine',
    description: 'Useful Sensors Moonshine tiny (English), int8 sherpa-onnx export. Fast on short audio.',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 25,
    license: 'MIT',
    homepage: 'https://k2-fsa.github.io/sherpa/onnx/moonshine/models.html',
    approxSizeBytes: 124_000_000,
    files: moonshine('tiny'),
  },
  {
    id: 'moonshine-base',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'moonshine',
    description: 'Useful Sensors Moonshine base (English), int8 sherpa-onnx export.',
    languages: ['en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 38,
    license: 'MIT',
    homepage: 'https://k2-fsa.github.io/sherpa/onnx/moonshine/models.html',
    approxSizeBytes: 287_000_000,
    files: moonshine('base'),
  },
  {
    id: 'sense-voice-small',
    kind: 'asr',
    runtime: 'sherpa',
    architecture: 'sense-voice',
    description:
      'FunAudioLLM SenseVoice small (Chinese, English, Japanese, Korean, Cantonese; language ' +
      'detection; punctuation with inverse text normalization), int8 sherpa-onnx export (2024-07-17).',
    languages: ['zh', 'en', 'ja', 'ko', 'yue'],
    languageDetection: true,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 40,
    license: 'FunASR Model License',
    homepage: 'https://k2-fsa.github.io/sherpa/onnx/sense-voice/index.html',
    approxSizeBytes: 240_000_000,
    files: [
      hf('sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17', 'model.int8.onnx', 'model'),
      hf('sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17', 'tokens.txt', 'tokens'),
    ],
  },
  // Speaker diarization (engine `sherpa`): one segmentation model plus one speaker-embedding model.
  // Sizes and sha256 below were not checked here (no downloads on the build machines): each is the
  // value that many unrelated public projects pin for the same URL. Ranks among the embedding
  // models are a judgement (published VoxCeleb EERs, English meetings first), not a measurement.
  {
    id: 'pyannote-segmentation-3.0',
    kind: 'segmentation',
    runtime: 'sherpa',
    description:
      'pyannote segmentation-3.0 (who speaks in each 17 ms frame of a 10 s window, up to 3 speakers ' +
      'with overlap), sherpa-onnx export. For speaker diarization with a speaker-embedding model.',
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 20,
    license: 'MIT',
    homepage: PYANNOTE_HOMEPAGE,
    files: [
      hf(PYANNOTE_REPO, 'model.onnx', 'model', {
        sizeBytes: 5_992_913,
        sha256: '220ad67ca923bef2fa91f2390c786097bf305bceb5e261d4af67b38e938e1079',
      }),
    ],
  },
  {
    id: 'pyannote-segmentation-3.0-int8',
    kind: 'segmentation',
    runtime: 'sherpa',
    description: 'pyannote segmentation-3.0, int8-quantized sherpa-onnx export: a quarter of the size.',
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 18,
    license: 'MIT',
    homepage: PYANNOTE_HOMEPAGE,
    files: [
      hf(PYANNOTE_REPO, 'model.int8.onnx', 'model', {
        sizeBytes: 1_540_506,
        sha256: 'd582f4b4c6b48205de7e0643c57df0df5615a3c176189be3fc461e9d18827b5d',
      }),
    ],
  },
  {
    id: 'wespeaker-resnet34-voxceleb',
    kind: 'speaker-embedding',
    runtime: 'sherpa',
    description:
      'WeSpeaker ResNet34 speaker embedding (256 values), trained on VoxCeleb2 (English-dominant, works ' +
      'across languages), sherpa-onnx export.',
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 30,
    license: 'CC-BY-4.0',
    homepage: SPEAKER_MODELS_HOMEPAGE,
    files: [
      speakerEmbedding(
        'wespeaker_en_voxceleb_resnet34.onnx',
        26_534_365,
        '5ef208a9da1453335308a6b6f4e6dfbd7e183a38b604de0a57664f45d257fe94',
      ),
    ],
  },
  {
    id: 'nemo-titanet-small',
    kind: 'speaker-embedding',
    runtime: 'sherpa',
    description:
      'NVIDIA NeMo TitaNet small speaker embedding (192 values), trained on English speech, sherpa-onnx ' +
      'export.',
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 25,
    license: 'CC-BY-4.0',
    homepage: SPEAKER_MODELS_HOMEPAGE,
    files: [
      speakerEmbedding(
        'nemo_en_titanet_small.onnx',
        40_257_283,
        'ad4a1802485d8b34c722d2a9d04249662f2ece5d28a7a039063ca22f515a789e',
      ),
    ],
  },
  {
    id: '3dspeaker-eres2net-base-zh',
    kind: 'speaker-embedding',
    runtime: 'sherpa',
    description:
      '3D-Speaker ERes2Net base speaker embedding (512 values), trained on Mandarin speech (3D-Speaker ' +
      'dataset); the model sherpa-onnx’s diarization examples use.',
    languages: 'multilingual',
    languageDetection: false,
    translation: false,
    punctuation: false,
    hints: false,
    accuracyRank: 20,
    license: 'Apache-2.0',
    homepage: SPEAKER_MODELS_HOMEPAGE,
    files: [
      speakerEmbedding(
        '3dspeaker_speech_eres2net_base_sv_zh-cn_3dspeaker_16k.onnx',
        39_593_761,
        '1a331345f04805badbb495c775a6ddffcdd1a732567d5ec8b3d5749e3c7a5e4b',
      ),
    ],
  },
  // Punctuation (sherpa's CT-Transformer): punctuation for ASR models that write none. Only used
  // when installed; otherwise a rule-based fallback punctuates (see `src/text/format-words.ts`).
  {
    id: 'ct-transformer-punct-zh-en',
    kind: 'punctuation',
    runtime: 'sherpa',
    description:
      'CT-Transformer punctuation (Chinese and English, vocabulary 272727), sherpa-onnx export ' +
      '(2024-04-12). Adds commas, periods and question marks to text from models that write none.',
    languages: ['zh', 'en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 20,
    license: 'FunASR Model License',
    homepage: PUNCT_HOMEPAGE,
    files: [hf(PUNCT_REPO, 'model.onnx', 'model')],
  },
  {
    id: 'ct-transformer-punct-zh-en-int8',
    kind: 'punctuation',
    runtime: 'sherpa',
    description: 'CT-Transformer punctuation (Chinese and English), int8-quantized: a quarter of the size.',
    languages: ['zh', 'en'],
    languageDetection: false,
    translation: false,
    punctuation: true,
    hints: false,
    accuracyRank: 18,
    license: 'FunASR Model License',
    homepage: PUNCT_HOMEPAGE,
    files: [hf(PUNCT_REPO, 'model.int8.onnx', 'model')],
  },
];

/** Whether a model is provided by an OS package (absolute paths, never pulled). */
export function isSystemModel(model: CatalogModel): boolean {
  return model.systemPackage !== undefined;
}

/**
 * Built-in models merged with an operator catalog file (`{"models": [...]}`): an entry with the id
 * of a built-in replaces it whole (a partial override would silently mix two models' files); new
 * ids are appended. Throws ConfigError listing every problem in the file.
 */
export function loadCatalog(extraCatalogFile?: string): CatalogModel[] {
  if (extraCatalogFile === undefined) return [...BUILTIN_CATALOG];
  return mergeCatalogs(BUILTIN_CATALOG, readCatalogFile(extraCatalogFile));
}

export function mergeCatalogs(base: readonly CatalogModel[], extra: readonly CatalogModel[]): CatalogModel[] {
  const overrides = new Map(extra.map((m) => [m.id, m]));
  const merged = base.map((m) => overrides.get(m.id) ?? m);
  const baseIds = new Set(base.map((m) => m.id));
  return [...merged, ...extra.filter((m) => !baseIds.has(m.id))];
}

function readCatalogFile(file: string): CatalogModel[] {
  const where = `EARSHOT_MODELS_CATALOG (${file})`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${where}: cannot read: ${(error as Error).message}`]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${where}: not valid JSON: ${(error as Error).message}`]);
  }
  const result = validateCatalogDocument(document);
  if (!result.ok) throw new ConfigError(result.problems.map((p) => `${where}: ${p}`));
  return result.models;
}
