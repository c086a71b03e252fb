import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FeatureExtractor, frameCount, FRAME_LENGTH, FRAME_SHIFT } from './features.js';

const tone = (hz: number, samples: number, amplitude = 0.5): Float32Array =>
  Float32Array.from({ length: samples }, (_, t) => amplitude * Math.sin((2 * Math.PI * hz * t) / 16000));

describe('FeatureExtractor', () => {
  it('makes one frame per 10 ms once 25 ms are there', () => {
    assert.equal(frameCount(FRAME_LENGTH - 1), 0);
    assert.equal(frameCount(FRAME_LENGTH), 1);
    assert.equal(frameCount(FRAME_LENGTH + FRAME_SHIFT - 1), 1);
    assert.equal(frameCount(16000), 98);
    const f = new FeatureExtractor().compute(tone(440, 16000));
    assert.equal(f.frames, 98);
    assert.equal(f.logMel.length, 98 * 40);
    assert.equal(f.mfcc.length, 98 * 20);
  });

  it('puts a tone in the mel band around its frequency, higher tones in higher bands', () => {
    const ex = new FeatureExtractor();
    const loudestBand = (hz: number): number => {
      const f = ex.compute(tone(hz, 4000));
      const row = f.logMel.subarray(5 * 40, 6 * 40);
      return row.indexOf(Math.max(...row));
    };
    const low = loudestBand(300);
    const mid = loudestBand(1000);
    const high = loudestBand(4000);
    assert.ok(low < mid && mid < high, `bands ${low} ${mid} ${high}`);
    // HTK mel: 1000 Hz is 1000 mel; bands are spaced (mel(7600) − mel(20)) / 41 ≈ 66 mel apart.
    assert.ok(Math.abs(mid - 14) <= 1, `1 kHz in band ${mid}`);
  });

  it('gives c0 that follows the level (+6 dB per doubling, ×√40 by the orthonormal DCT) and finite values for silence', () => {
    const ex = new FeatureExtractor();
    const quiet = ex.compute(tone(500, 4000, 0.1));
    const loud = ex.compute(tone(500, 4000, 0.2));
    const c0Gain = (loud.mfcc[5 * 20] as number) - (quiet.mfcc[5 * 20] as number);
    // Doubling the amplitude multiplies every band's power by 4: log 4 per band, c0 = Σ/√40.
    assert.ok(Math.abs(c0Gain - (40 * Math.log(4)) / Math.sqrt(40)) < 1e-3, `c0 gain ${c0Gain}`);
    const silence = ex.compute(new Float32Array(4000));
    assert.ok(silence.mfcc.every(Number.isFinite) && silence.logMel.every(Number.isFinite));
  });
});
