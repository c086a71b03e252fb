/**
 * The linear algebra the builtin diarizer needs, in plain typed arrays: eigenpairs of a symmetric
 * tridiagonal matrix (implicit QL with Wilkinson shifts), the leading eigenpairs of a large symmetric
 * operator (Lanczos with full reorthogonalisation), and a seeded k-means.
 */

/**
 * Eigenvalues and (optionally) eigenvectors of the symmetric tridiagonal matrix with diagonal `d`
 * and off-diagonal `e` (`e[i]` joins rows i and i+1; length n−1). Returns eigenvalues in ascending
 * order and, with vectors, `vectors[j]` the unit eigenvector of `values[j]`.
 */
export function tridiagonalEigen(
  diagonal: ArrayLike<number>,
  offDiagonal: ArrayLike<number>,
  wantVectors = true,
): { values: Float64Array; vectors: Float64Array[] } {
  const n = diagonal.length;
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = offDiagonal[i] ?? 0;
  // z[i*n + j]: component i of eigenvector j.
  const z = wantVectors ? new Float64Array(n * n) : new Float64Array(0);
  if (wantVectors) for (let i = 0; i < n; i++) z[i * n + i] = 1;

  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      // Find a negligible off-diagonal element to split the matrix.
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m] as number) + Math.abs(d[m + 1] as number);
        if (Math.abs(e[m] as number) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iterations > 60) throw new Error('tridiagonal eigensolver did not converge');
      // Wilkinson shift from the leading 2×2 block.
      let g = ((d[l + 1] as number) - (d[l] as number)) / (2 * (e[l] as number));
      let r = Math.hypot(g, 1);
      g = (d[m] as number) - (d[l] as number) + (e[l] as number) / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        let f = s * (e[i] as number);
        const b = c * (e[i] as number);
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: deflate and restart this l.
          d[i + 1] = (d[i + 1] as number) - p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = (d[i + 1] as number) - p;
        r = ((d[i] as number) - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (wantVectors) {
          for (let k = 0; k < n; k++) {
            const zi1 = z[k * n + i + 1] as number;
            const zi = z[k * n + i] as number;
            z[k * n + i + 1] = s * zi + c * zi1;
            z[k * n + i] = c * zi - s * zi1;
          }
        }
        f = 0;
      }
      if (deflated) continue;
      d[l] = (d[l] as number) - p;
      e[l] = g;
      e[m] = 0;
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (d[a] as number) - (d[b] as number));
  const values = Float64Array.from(order, (i) => d[i] as number);
  const vectors = wantVectors
    ? order.map((j) => {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = z[i * n + j] as number;
        return v;
      })
    : [];
  return { values, vectors };
}

/**
 * The `count` largest eigenvalues (descending) and their unit eigenvectors of a symmetric n×n
 * operator given by `multiply(x, y)` (y ← A·x), by Lanczos with full reorthogonalisation. With
 * `steps >= n` the result is exact up to rounding; fewer steps approximate the extreme eigenpairs,
 * which converge first.
 */
export function lanczosLargest(
  n: number,
  multiply: (x: Float64Array, y: Float64Array) => void,
  count: number,
  steps: number,
  seed = 1,
): { values: Float64Array; vectors: Float64Array[] } {
  const m = Math.min(n, Math.max(steps, count));
  const basis: Float64Array[] = [];
  const alpha = new Float64Array(m);
  const beta = new Float64Array(m);
  let v = new Float64Array(n);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    v[i] = state / 2 ** 32 - 0.5;
  }
  normalise(v);
  const w = new Float64Array(n);
  let used = 0;
  for (let j = 0; j < m; j++) {
    basis.push(v);
    multiply(v, w);
    alpha[j] = dot(w, v);
    // Full reorthogonalisation (twice, "twice is enough") keeps the basis orthogonal.
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const h = dot(w, q);
        for (let i = 0; i < n; i++) w[i] = (w[i] as number) - h * (q[i] as number);
      }
    }
    used = j + 1;
    const b = Math.sqrt(dot(w, w));
    if (j === m - 1) break;
    if (b < 1e-10) {
      // An invariant subspace: restart with a fresh vector orthogonal to the basis.
      const fresh = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        fresh[i] = state / 2 ** 32 - 0.5;
      }
      for (let pass = 0; pass < 2; pass++) {
        for (const q of basis) {
          const h = dot(fresh, q);
          for (let i = 0; i < n; i++) fresh[i] = (fresh[i] as number) - h * (q[i] as number);
        }
      }
      if (normalise(fresh) < 1e-10) break;
      beta[j] = 0;
      v = fresh;
    } else {
      beta[j] = b;
      v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = (w[i] as number) / b;
    }
  }
  const { values, vectors } = tridiagonalEigen(alpha.subarray(0, used), beta.subarray(0, used - 1));
  const k = Math.min(count, used);
  const outValues = new Float64Array(k);
  const outVectors: Float64Array[] = [];
  for (let r = 0; r < k; r++) {
    const index = used - 1 - r;
    outValues[r] = values[index] as number;
    const y = vectors[index] as Float64Array;
    const x = new Float64Array(n);
    for (let j = 0; j < used; j++) {
      const coefficient = y[j] as number;
      const q = basis[j] as Float64Array;
      for (let i = 0; i < n; i++) x[i] = (x[i] as number) + coefficient * (q[i] as number);
    }
    normalise(x);
    outVectors.push(x);
  }
  return { values: outValues, vectors: outVectors };
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Scales `v` to unit length in place; returns its former length. */
export function normalise(v: Float64Array | Float32Array): number {
  const length = Math.sqrt(dot(v, v));
  if (length > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / length;
  return length;
}

/**
 * k-means on the rows of `points` (n × dim, row-major), k-means++ seeding from a fixed seed, best
 * of `restarts` runs by inertia. Returns each point's cluster.
 */
export function kMeans(
  points: Float64Array,
  n: number,
  dim: number,
  k: number,
  restarts = 8,
  seed = 7,
): Int32Array {
  let best = new Int32Array(n);
  let bestInertia = Infinity;
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const distance = (i: number, centres: Float64Array, c: number): number => {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const x = (points[i * dim + j] as number) - (centres[c * dim + j] as number);
      s += x * x;
    }
    return s;
  };
  for (let run = 0; run < restarts; run++) {
    const centres = new Float64Array(k * dim);
    // k-means++: each next centre drawn with probability proportional to squared distance.
    const first = Math.floor(random() * n);
    centres.set(points.subarray(first * dim, first * dim + dim), 0);
    const nearest = new Float64Array(n).fill(Infinity);
    for (let c = 1; c < k; c++) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i] as number, distance(i, centres, c - 1));
        total += nearest[i] as number;
      }
      let target = random() * total;
      let pick = n - 1;
      for (let i = 0; i < n; i++) {
        target -= nearest[i] as number;
        if (target <= 0) {
          pick = i;
          break;
        }
      }
      centres.set(points.subarray(pick * dim, pick * dim + dim), c * dim);
    }
    const labels = new Int32Array(n).fill(-1);
    let inertia = Infinity;
    for (let iteration = 0; iteration < 100; iteration++) {
      let changed = false;
      inertia = 0;
      for (let i = 0; i < n; i++) {
        let bestC = 0;
        let bestD = Infinity;
        for (let c = 0; c < k; c++) {
          const dd = distance(i, centres, c);
          if (dd < bestD) {
            bestD = dd;
            bestC = c;
          }
        }
        inertia += bestD;
        if (labels[i] !== bestC) {
          labels[i] = bestC;
          changed = true;
        }
      }
      if (!changed) break;
      const counts = new Float64Array(k);
      centres.fill(0);
      for (let i = 0; i < n; i++) {
        const c = labels[i] as number;
        counts[c] = (counts[c] as number) + 1;
        for (let j = 0; j < dim; j++)
          centres[c * dim + j] = (centres[c * dim + j] as number) + (points[i * dim + j] as number);
      }
      for (let c = 0; c < k; c++) {
        const count = counts[c] as number;
        if (count > 0)
          for (let j = 0; j < dim; j++) centres[c * dim + j] = (centres[c * dim + j] as number) / count;
      }
    }
    if (inertia < bestInertia) {
      bestInertia = inertia;
      best = labels;
    }
  }
  return best;
}
