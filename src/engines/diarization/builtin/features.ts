/**
 * Short-time features of 16 kHz speech: 25 ms Hamming frames every 10 ms, 512-point power spectrum,
 * a mel filterbank (HTK mel scale) and its log, and MFCCs (orthonormal DCT-II of the log-mel bands).
 * These are the features speaker-recognition systems were built on before neural embeddings.
 */
import { RealFft } from './fft.js';

export const SAMPLE_RATE = 16_000;
/** 25 ms. */
export const FRAME_LENGTH = 400;
/** 10 ms: one feature frame per 160 samples. */
export const FRAME_SHIFT = 160;
const FFT_SIZE = 512;
const PRE_EMPHASIS = 0.97;
/** Floor on mel-band energy before the log, so digital silence gives a finite value. */
const ENERGY_FLOOR = 1e-10;

export interface FeatureOptions {
  /** Mel bands. @defaultValue 40 */
  melBands?: number;
  /** Cepstral coefficients kept, c0 included. @defaultValue 20 */
  cepstra?: number;
  /** Lowest and highest band edge in Hz. @defaultValue 20 and 7600 */
  lowHz?: number;
  highHz?: number;
}

/** Features of consecutive frames, row-major. */
export interface FrameFeatures {
  frames: number;
  /** frames × melBands log-mel energies. */
  logMel: Float32Array;
  /** frames × cepstra MFCCs; column 0 is c0 (overall log energy, scaled). */
  mfcc: Float32Array;
  melBands: number;
  cepstra: number;
}

/** Number of whole frames in `samples` samples. */
export function frameCount(samples: number): number {
  return samples < FRAME_LENGTH ? 0 : Math.floor((samples - FRAME_LENGTH) / FRAME_SHIFT) + 1;
}

const hzToMel = (hz: number): number => 1127 * Math.log(1 + hz / 700);
const melToHz = (mel: number): number => 700 * (Math.exp(mel / 1127) - 1);

export class FeatureExtractor {
  readonly melBands: number;
  readonly cepstra: number;
  private readonly fft = new RealFft(FFT_SIZE);
  private readonly window = new Float64Array(FRAME_LENGTH);
  /** Per band: first FFT bin and its weights. */
  private readonly filters: { first: number; weights: Float64Array }[] = [];
  /** cepstra × melBands orthonormal DCT-II. */
  private readonly dct: Float64Array;
  private readonly frame = new Float64Array(FFT_SIZE);
  private readonly power = new Float64Array(FFT_SIZE / 2 + 1);
  private readonly mel: Float64Array;

  constructor(options: FeatureOptions = {}) {
    this.melBands = options.melBands ?? 40;
    this.cepstra = options.cepstra ?? 20;
    const low = options.lowHz ?? 20;
    const high = options.highHz ?? 7600;
    if (!(this.cepstra >= 1 && this.cepstra <= this.melBands && low >= 0 && high > low && high <= 8000)) {
      throw new RangeError('invalid feature options');
    }
    for (let i = 0; i < FRAME_LENGTH; i++) {
      this.window[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (FRAME_LENGTH - 1));
    }
    const melLow = hzToMel(low);
    const melHigh = hzToMel(high);
    const binHz = SAMPLE_RATE / FFT_SIZE;
    for (let b = 0; b < this.melBands; b++) {
      const left = melLow + ((melHigh - melLow) * b) / (this.melBands + 1);
      const centre = melLow + ((melHigh - melLow) * (b + 1)) / (this.melBands + 1);
      const right = melLow + ((melHigh - melLow) * (b + 2)) / (this.melBands + 1);
      const first = Math.max(1, Math.ceil(melToHz(left) / binHz));
      const last = Math.min(FFT_SIZE / 2, Math.floor(melToHz(right) / binHz));
      const weights = new Float64Array(Math.max(0, last - first + 1));
      for (let k = first; k <= last; k++) {
        const mel = hzToMel(k * binHz);
        weights[k - first] = Math.max(
          0,
          mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre),
        );
      }
      this.filters.push({ first, weights });
    }
    this.dct = new Float64Array(this.cepstra * this.melBands);
    for (let c = 0; c < this.cepstra; c++) {
      const scale = Math.sqrt((c === 0 ? 1 : 2) / this.melBands);
      for (let b = 0; b < this.melBands; b++) {
        this.dct[c * this.melBands + b] = scale * Math.cos((Math.PI * c * (b + 0.5)) / this.melBands);
      }
    }
    this.mel = new Float64Array(this.melBands);
  }

  /** Features of every whole frame of `samples` (frame i starts at sample i·160). */
  compute(samples: Float32Array): FrameFeatures {
    const frames = frameCount(samples.length);
    const { melBands, cepstra, frame, power, mel, dct } = this;
    const logMel = new Float32Array(frames * melBands);
    const mfcc = new Float32Array(frames * cepstra);
    for (let f = 0; f < frames; f++) {
      const offset = f * FRAME_SHIFT;
      // DC removal and pre-emphasis inside the frame (the first sample is pre-emphasised against
      // itself, as Kaldi does), then the window.
      let mean = 0;
      for (let i = 0; i < FRAME_LENGTH; i++) mean += samples[offset + i] as number;
      mean /= FRAME_LENGTH;
      let prev = (samples[offset] as number) - mean;
      for (let i = 0; i < FRAME_LENGTH; i++) {
        const x = (samples[offset + i] as number) - mean;
        frame[i] = (x - PRE_EMPHASIS * prev) * (this.window[i] as number);
        prev = x;
      }
      frame.fill(0, FRAME_LENGTH);
      this.fft.powerSpectrum(frame, power);
      for (let b = 0; b < melBands; b++) {
        const { first, weights } = this.filters[b] as { first: number; weights: Float64Array };
        let e = 0;
        for (let k = 0; k < weights.length; k++) e += (weights[k] as number) * (power[first + k] as number);
        const v = Math.log(Math.max(e, ENERGY_FLOOR));
        mel[b] = v;
        logMel[f * melBands + b] = v;
      }
      for (let c = 0; c < cepstra; c++) {
        let s = 0;
        const row = c * melBands;
        for (let b = 0; b < melBands; b++) s += (dct[row + b] as number) * (mel[b] as number);
        mfcc[f * cepstra + c] = s;
      }
    }
    return { frames, logMel, mfcc, melBands, cepstra };
  }
}
