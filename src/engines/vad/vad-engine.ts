/** A region of speech in samples (16 kHz) on the timeline of the audio given to the VAD. */
export interface SpeechRegion {
  start: number;
  end: number;
}

export interface VadOptions {
  /** Speech probability above which a frame counts as speech (0..1). @defaultValue 0.5 */
  threshold: number;
  /** Silence shorter than this does not end a region. @defaultValue 300 */
  minSilenceMs: number;
  /** Regions shorter than this are dropped. @defaultValue 250 */
  minSpeechMs: number;
  /** Padding added on each side of a region (clamped, never overlapping). @defaultValue 200 */
  padMs: number;
}

export const DEFAULT_VAD_OPTIONS: VadOptions = {
  threshold: 0.5,
  minSilenceMs: 300,
  minSpeechMs: 250,
  padMs: 0,
};

/**
 * Context kept around each speech region when chunks are cut (the pipeline pads after measuring
 * speech, so `speech_threshold` counts speech only). Recognizers do better with some silence on
 * each side: sphinx WER on the 22 shared recordings was 39.1% with 200 ms, 37.8% with 500 ms.
 */
export const SPEECH_PAD_MS = 500;
