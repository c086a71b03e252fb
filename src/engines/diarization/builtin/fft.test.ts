import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RealFft } from './fft.js';

function naivePower(x: readonly number[]): number[] {
  const n = x.length;
  return Array.from({ length: n / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    x.forEach((v, t) => {
      re += v * Math.cos((2 * Math.PI * k * t) / n);
      im -= v * Math.sin((2 * Math.PI * k * t) / n);
    });
    return re * re + im * im;
  });
}

describe('RealFft', () => {
  it('gives the power spectrum of a direct DFT', () => {
    let seed = 3;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    for (const size of [4, 16, 512]) {
      const x = Array.from({ length: size }, random);
      const out = new Float64Array(size / 2 + 1);
      new RealFft(size).powerSpectrum(x, out);
      naivePower(x).forEach((expected, k) => {
        assert.ok(
          Math.abs((out[k] as number) - expected) < 1e-9 * Math.max(1, expected),
          `size ${size} bin ${k}`,
        );
      });
    }
  });

  it('puts a sine in its bin and zero-pads short input', () => {
    const fft = new RealFft(512);
    const out = new Float64Array(257);
    // 1000 Hz at 16 kHz is bin 32 of 512; 400 samples (a 25 ms frame) zero-padded to 512.
    const x = Array.from({ length: 400 }, (_, t) => Math.sin((2 * Math.PI * 1000 * t) / 16000));
    fft.powerSpectrum(x, out);
    let peak = 0;
    out.forEach((v, k) => {
      if (v > (out[peak] as number)) peak = k;
    });
    assert.equal(peak, 32);
  });

  it('rejects sizes that are not powers of two', () => {
    assert.throws(() => new RealFft(400), RangeError);
    assert.throws(() => new RealFft(2), RangeError);
  });
});
