// Float64 references of the LM kernels, and the seeded inputs and tolerances both backends' kernel
// tests use (test/lm-kernels.test.ts for the CPU, test/lm-gpu.test.ts for the GPU).

import assert from 'node:assert/strict';

/** mulberry32: a small seeded generator, so a failure reproduces. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform values in [lo, hi), rounded to f32 so the reference sees exactly the kernel's input. */
export function randArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** The largest |got − want| over the largest |want| (0 when want is all zeros and got matches). */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  assert.equal(got.length, want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    assert.ok(Number.isFinite(got[i]!), `element ${i} is ${got[i]}`);
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return scale === 0 ? err : err / scale;
}

export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  const e = relErr(got, want);
  assert.ok(e <= tol, `${what}: relative error ${e.toExponential(2)} > ${tol}`);
}

// ---- matmul --------------------------------------------------------------------------------

export interface MatmulCase {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

export const MATMUL_SHAPES: readonly MatmulCase[] = [
  { m: 1, n: 1, k: 1 },
  { m: 3, n: 17, k: 63 },
  { m: 17, n: 3, k: 129 },
  { m: 63, n: 129, k: 17 },
  { m: 129, n: 63, k: 300 }, // K crosses the CPU's 256-deep block
  { m: 250, n: 37, k: 513 }, // M crosses the CPU's 120-row block, row split with 2 threads
  { m: 5, n: 8, k: 256 }, // exactly one CPU register tile
  { m: 1, n: 200, k: 70 },
  { m: 200, n: 1, k: 70 },
  { m: 1000, n: 9, k: 20 }, // row bands taller than the CPU's 120-row block
];

/** C = op(A)·op(B) (+ c0) in float64, and per element the bound Σ|a·b| (+ |c0|) the tolerance scales with. */
export function refMatmul(a: Float32Array, b: Float32Array, c0: Float32Array | null, { m, n, k }: MatmulCase, transA: boolean, transB: boolean): { c: Float64Array; bound: Float64Array } {
  const c = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c0 ? c0[i * n + j]! : 0;
      let abs = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const prod = a[transA ? p * m + i : i * k + p]! * b[transB ? j * k + p : p * n + j]!;
        s += prod;
        abs += Math.abs(prod);
      }
      c[i * n + j] = s;
      bound[i * n + j] = abs;
    }
  }
  return { c, bound };
}

// ---- row kernels ---------------------------------------------------------------------------

export const ROW_SHAPES: readonly (readonly [number, number])[] = [[1, 1], [3, 17], [17, 63], [5, 129], [63, 3], [129, 130], [2, 1031]];

export function refSoftmax(x: Float32Array, rows: number, cols: number, causal: boolean): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const len = causal ? (r % cols) + 1 : cols;
    let m = -Infinity;
    for (let j = 0; j < len; j++) m = Math.max(m, x[r * cols + j]!);
    let s = 0;
    for (let j = 0; j < len; j++) s += Math.exp(x[r * cols + j]! - m);
    for (let j = 0; j < len; j++) y[r * cols + j] = Math.exp(x[r * cols + j]! - m) / s;
  }
  return y;
}

/** dx = y ⊙ (dy − Σ y⊙dy) per row. */
export function refSoftmaxBackward(y: ArrayLike<number>, dy: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const dx = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += y[r * cols + j]! * dy[r * cols + j]!;
    for (let j = 0; j < cols; j++) dx[r * cols + j] = y[r * cols + j]! * (dy[r * cols + j]! - s);
  }
  return dx;
}

/** Layer norm forward and backward; dg0 and db0 are the parameter gradients added into. */
export function refLayerNorm(xs: Float32Array, gs: Float32Array, bs: Float32Array, dys: Float32Array, dg0: Float32Array, db0: Float32Array, rows: number, d: number, eps: number) {
  const y = new Float64Array(rows * d);
  const mean = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  const dx = new Float64Array(rows * d);
  const dg = Float64Array.from(dg0);
  const db = Float64Array.from(db0);
  for (let r = 0; r < rows; r++) {
    let mu = 0;
    for (let j = 0; j < d; j++) mu += xs[r * d + j]!;
    mu /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += (xs[r * d + j]! - mu) ** 2;
    const rs = 1 / Math.sqrt(v / d + eps);
    mean[r] = mu;
    rstd[r] = rs;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < d; j++) {
      const xh = (xs[r * d + j]! - mu) * rs;
      y[r * d + j] = xh * gs[j]! + bs[j]!;
      const g = dys[r * d + j]! * gs[j]!;
      s1 += g;
      s2 += g * xh;
      dg[j] += dys[r * d + j]! * xh;
      db[j] += dys[r * d + j]!;
    }
    for (let j = 0; j < d; j++) {
      const xh = (xs[r * d + j]! - mu) * rs;
      dx[r * d + j] = rs * (dys[r * d + j]! * gs[j]! - s1 / d - xh * (s2 / d));
    }
  }
  return { y, mean, rstd, dx, dg, db };
}

/** Seeded layer-norm inputs (seeds `seed` to `seed + 5`): x with its mean far from 0, gamma, beta, dy, and the parameter gradients added into. */
export function layerNormInputs(rows: number, d: number, seed: number) {
  return {
    xs: randArray(rows * d, seed, 2, 6),
    gs: randArray(d, seed + 1, 0.5, 1.5),
    bs: randArray(d, seed + 2),
    dys: randArray(rows * d, seed + 3),
    dg0: randArray(d, seed + 4),
    db0: randArray(d, seed + 5),
  };
}

export function refGelu(x: number): { y: number; dy: number } {
  const c = Math.sqrt(2 / Math.PI);
  const u = c * (x + 0.044715 * x ** 3);
  const t = Math.tanh(u);
  return { y: 0.5 * x * (1 + t), dy: 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x) };
}

/** The masked mean cross-entropy and its gradient (see the kernels' crossEntropy). */
export function refCrossEntropy(xs: Float32Array, tg: readonly number[], ms: Float32Array, rows: number, v: number): { loss: number; grad: Float64Array } {
  let total = 0;
  let loss = 0;
  const grad = new Float64Array(rows * v);
  for (let i = 0; i < rows; i++) total += ms[i]!;
  for (let i = 0; i < rows; i++) {
    if (ms[i] === 0) continue;
    let m = -Infinity;
    for (let j = 0; j < v; j++) m = Math.max(m, xs[i * v + j]!);
    let s = 0;
    for (let j = 0; j < v; j++) s += Math.exp(xs[i * v + j]! - m);
    loss += ms[i]! * (Math.log(s) + m - xs[i * v + tg[i]!]!);
    for (let j = 0; j < v; j++) grad[i * v + j] = (ms[i]! / total) * (Math.exp(xs[i * v + j]! - m) / s - (j === tg[i] ? 1 : 0));
  }
  return { loss: total === 0 ? 0 : loss / total, grad };
}

/** Seeded cross-entropy inputs (seeds `seed` and `seed + 1`): logits in [-10, 10), targets, and a mask that drops every third row when `masked`. */
export function crossEntropyInputs(rows: number, v: number, masked: boolean, seed: number): { xs: Float32Array; tg: number[]; ms: Float32Array } {
  const r = rng(seed);
  const xs = randArray(rows * v, seed + 1, -10, 10);
  const tg = Array.from({ length: rows }, () => Math.floor(r() * v));
  const ms = Float32Array.from({ length: rows }, (_, i) => (masked ? (i % 3 === 1 ? 0 : 1) : 1));
  return { xs, tg, ms };
}
