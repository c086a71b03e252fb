/**
 * What kind of job a model does. Speaker diarization with sherpa takes two models: a `segmentation`
 * model (who is active in each frame of a short window: pyannote segmentation-3.0) and a
 * `speaker-embedding` model (a vector per stretch of speech, clustered into speakers). A
 * `punctuation` model adds punctuation to the text of ASR models that write none.
 */
export type ModelKind = 'asr' | 'vad' | 'segmentation' | 'speaker-embedding' | 'punctuation';

/** The runtime that loads a model. */
export type ModelRuntime = 'sherpa' | 'sphinx' | 'silero';

/** How a sherpa-onnx ASR model is wired; decides the recognizer config. */
export type SherpaArchitecture = 'whisper' | 'nemo-ctc' | 'transducer' | 'moonshine' | 'sense-voice';

/** Role of a file inside a model folder. */
export type ModelFileRole =
  | 'model'
  | 'encoder'
  | 'decoder'
  | 'joiner'
  | 'tokens'
  | 'preprocessor'
  | 'uncached-decoder'
  | 'cached-decoder'
  | 'dictionary'
  | 'language-model'
  | 'acoustic-model';

export interface CatalogFile {
  /** Path of the file inside the model's folder (`<models dir>/<model id>/<name>`). */
  name: string;
  role: ModelFileRole;
  /** Where `earshot models pull` downloads it from. */
  url: string;
  /** Published size in bytes, when known. */
  sizeBytes?: number;
  /** Published sha256 (hex), when known. Without it `pull` records what it downloaded (trust on first use). */
  sha256?: string;
}

export interface CatalogModel {
  /** Stable id used in API requests (`speech_model`) and on disk, e.g. `whisper-tiny.en`. */
  id: string;
  kind: ModelKind;
  runtime: ModelRuntime;
  /** How a sherpa ASR model is wired; required for sherpa `asr` models, absent for every other. */
  architecture?: SherpaArchitecture;
  description: string;
  /** Language codes the model transcribes, or `multilingual`. */
  languages: readonly string[] | 'multilingual';
  /** Whether the model can tell which language is spoken. */
  languageDetection: boolean;
  /** Whether the model can translate speech into English. */
  translation: boolean;
  /** Whether the model's output already has punctuation and casing. */
  punctuation: boolean;
  /** Whether the model can be steered with key terms (hotwords / prompt). */
  hints: boolean;
  /** Relative speed/accuracy rank used for the `best` and `nano` aliases: higher is more accurate. */
  accuracyRank: number;
  license: string;
  homepage: string;
  /**
   * Files the model needs. A `system` model lists absolute paths provided by an OS package and
   * is never pulled.
   */
  files: readonly CatalogFile[];
  /** For OS-provided models: the package that provides them (e.g. `pocketsphinx-en-us`). */
  systemPackage?: string;
  /**
   * Approximate total download size in bytes, shown by `earshot models list` when the files' exact
   * sizes are not published. Never used for verification.
   */
  approxSizeBytes?: number;
}
