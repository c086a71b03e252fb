/**
 * The canonical transcript every surface renders from. Times are integer milliseconds on the
 * original audio's timeline; confidences are in [0, 1]. Surfaces convert units and labels.
 */
export interface Word {
  text: string;
  startMs: number;
  endMs: number;
  confidence: number;
  /** Speaker index (0-based) when diarization ran. */
  speaker?: number;
  /** Channel index (0-based) when channels were transcribed separately. */
  channel?: number;
}

export interface Utterance {
  text: string;
  /** Language of this stretch, when languages were detected per stretch (code switching). */
  language?: string;
  startMs: number;
  endMs: number;
  confidence: number;
  speaker?: number;
  channel?: number;
  words: Word[];
}

/** A stretch of continuous speech as the engine saw it (one VAD region or engine segment). */
export interface Segment {
  startMs: number;
  endMs: number;
  text: string;
  language?: string;
  channel?: number;
}

/**
 * Words of one chunk, published while the job still runs (live views, streamed answers). Final
 * speakers and formatting come only with the finished transcript.
 */
export interface PartialSegment {
  /** 0-based, in the order partials were published. */
  seq: number;
  chunkIndex: number;
  chunkCount: number;
  channel?: number;
  startMs: number;
  endMs: number;
  text: string;
  words: Word[];
}

/** One add-on's outcome, kept apart so a failed add-on never fails the transcript. */
export type AddonResult<T = unknown> =
  { status: 'success'; result: T; execMs: number } | { status: 'error'; error: string; execMs: number };

export interface Transcript {
  /** BCP-47-ish language code such as `en` or `en_us`; null when unknown. */
  language: string | null;
  languageConfidence: number | null;
  /** Duration of the whole input audio, in milliseconds (before trimming). */
  durationMs: number;
  /** Number of channels in the input audio. */
  channels: number;
  text: string;
  words: Word[];
  segments: Segment[];
  utterances: Utterance[] | null;
  /** Mean word confidence; null when there are no words. */
  confidence: number | null;
  /** Number of distinct speakers found by diarization; null when it did not run. */
  speakers: number | null;
  engine: { id: string; model: string };
  /** Total milliseconds of speech that VAD found in the (trimmed) audio. */
  speechMs: number;
  addons: Record<string, AddonResult>;
}
