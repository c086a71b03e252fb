/**
 * Power spectrum of real frames with a radix-2 FFT, written for the frame sizes of speech features
 * (512 points). A real signal of N points is packed into N/2 complex points, transformed, then
 * split into the spectrum of the real signal (the usual "two for one" trick): half the work of a
 * complex FFT with zero imaginary parts.
 */
export class RealFft {
  /** Number of real input points (a power of two, at least 4). */
  readonly size: number;
  private readonly half: number;
  private readonly bitReverse: Uint32Array;
  /** cos/sin of −2πk/(N/2) for the complex transform of N/2 points. */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** cos/sin of −2πk/N for splitting the packed spectrum. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 4 && (size & (size - 1)) === 0)) {
      throw new RangeError(`FFT size must be a power of two >= 4 (got ${size})`);
    }
    this.size = size;
    const half = size / 2;
    this.half = half;
    const bits = Math.log2(half);
    this.bitReverse = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    this.cos = new Float64Array(half / 2);
    this.sin = new Float64Array(half / 2);
    for (let k = 0; k < half / 2; k++) {
      this.cos[k] = Math.cos((-2 * Math.PI * k) / half);
      this.sin[k] = Math.sin((-2 * Math.PI * k) / half);
    }
    this.splitCos = new Float64Array(half);
    this.splitSin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.splitCos[k] = Math.cos((-2 * Math.PI * k) / size);
      this.splitSin[k] = Math.sin((-2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /**
   * |X[k]|² for k = 0 … N/2 of the real signal `input` (length N; shorter input is zero-padded),
   * written into `out` (length N/2 + 1).
   */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array): void {
    const { half, re, im, bitReverse } = this;
    // Pack even samples into the real part and odd samples into the imaginary part, bit-reversed.
    for (let i = 0; i < half; i++) {
      const j = bitReverse[i] as number;
      re[j] = input[2 * i] ?? 0;
      im[j] = input[2 * i + 1] ?? 0;
    }
    this.transformInPlace();
    // Split: X[k] = (Z[k] + conj Z[N/2−k]) / 2 + W^k (Z[k] − conj Z[N/2−k]) / (2i).
    const r0 = re[0] as number;
    const i0 = im[0] as number;
    out[0] = (r0 + i0) * (r0 + i0);
    out[half] = (r0 - i0) * (r0 - i0);
    for (let k = 1; k < half; k++) {
      const zr = re[k] as number;
      const zi = im[k] as number;
      const cr = re[half - k] as number;
      const ci = -(im[half - k] as number);
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // (Z − conj) / (2i) = (dr + i·di) / (2i) = (di − i·dr) / 2
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = this.splitCos[k] as number;
      const wi = this.splitSin[k] as number;
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
  }

  /** Iterative radix-2 decimation-in-time on `re`/`im` (already in bit-reversed order). */
  private transformInPlace(): void {
    const { half, re, im } = this;
    for (let len = 2; len <= half; len <<= 1) {
      const step = half / len;
      const halfLen = len >> 1;
      for (let start = 0; start < half; start += len) {
        for (let k = 0; k < halfLen; k++) {
          const wr = this.cos[k * step] as number;
          const wi = this.sin[k * step] as number;
          const a = start + k;
          const b = a + halfLen;
          const br = re[b] as number;
          const bi = im[b] as number;
          const tr = wr * br - wi * bi;
          const ti = wr * bi + wi * br;
          const ar = re[a] as number;
          const ai = im[a] as number;
          re[b] = ar - tr;
          im[b] = ai - ti;
          re[a] = ar + tr;
          im[a] = ai + ti;
        }
      }
    }
  }
}
