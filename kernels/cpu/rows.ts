// Row-wise kernels of the CPU backend (AssemblyScript): softmax, layer norm, GELU, embedding and
// cross-entropy, forward and backward. Chunks are bands of rows; the per-row arithmetic does not
// depend on the split. The two reductions over rows (layer-norm dGamma/dBeta, embedding
// scatter-add) are chunked by columns instead, each chunk adding the rows in order into the columns
// it owns, so they too are bit-identical for any thread count.

import { part, minI, vexp, sexp, hsum, hmax } from './common';

// @ts-ignore: decorator
@inline
function f(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function setf(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline
function vl(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function vs(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}

/** Maximum of x[0..n). */
function rowMax(x: usize, n: i32): f32 {
  let m: f32 = -Infinity;
  let i = 0;
  if (n >= 4) {
    let vm = vl(x, 0);
    for (i = 4; i + 4 <= n; i += 4) vm = f32x4.pmax(vm, vl(x, i));
    m = hmax(vm);
  }
  for (; i < n; i++) m = max(m, f(x, i));
  return m;
}

/** y[i] = exp(x[i] - m) for i < n; returns the sum (4 lane sums, then the tail in order). */
function expShifted(x: usize, y: usize, n: i32, m: f32): f32 {
  const vm = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = vexp(f32x4.sub(vl(x, i), vm));
    vs(y, i, e);
    acc = f32x4.add(acc, e);
  }
  let s = hsum(acc);
  for (; i < n; i++) {
    const e = sexp(f(x, i) - m);
    setf(y, i, e);
    s += e;
  }
  return s;
}

/** The smallest normal f32, 2^-126. */
const MIN_NORMAL: f32 = 1.17549435e-38;

/**
 * y[i] *= a for i < n, with results below f32's normal range flushed to 0. The rows scaled here
 * are probabilities (softmax, and cross-entropy's gradient): a score ~87 below its row's maximum
 * would otherwise give a subnormal, which the matrix products downstream pay for on Intel CPUs
 * (see vexp), and which carries no weight in a sum of such rows.
 */
function scaleRow(y: usize, n: i32, a: f32): void {
  const va = f32x4.splat(a);
  const tiny = f32x4.splat(MIN_NORMAL);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = f32x4.mul(vl(y, i), va);
    vs(y, i, v128.and(v, f32x4.ge(f32x4.abs(v), tiny)));
  }
  for (; i < n; i++) {
    const v = f(y, i) * a;
    setf(y, i, Mathf.abs(v) < MIN_NORMAL ? 0 : v);
  }
}

/**
 * Softmax over the last axis of x [rows][cols] into y (may alias x). With causal, row r is query
 * position r % cols of a square score block and sees keys 0..r % cols; the rest are set to 0.
 */
export function softmax(x: usize, y: usize, rows: i32, cols: i32, causal: i32, chunk: i32, chunks: i32): void {
  const r1 = part(rows, chunk + 1, chunks);
  for (let r = part(rows, chunk, chunks); r < r1; r++) {
    const off = <usize>r * <usize>cols << 2;
    const xr = x + off, yr = y + off;
    const n = causal ? r % cols + 1 : cols;
    const m = rowMax(xr, n);
    const s = expShifted(xr, yr, n, m);
    scaleRow(yr, n, 1 / s);
    for (let i = n; i < cols; i++) setf(yr, i, 0);
  }
}

/** dx = y * (dy - sum(y * dy)) per row, from the softmax output y; dx may alias dy. */
export function softmaxBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32, chunk: i32, chunks: i32): void {
  const r1 = part(rows, chunk + 1, chunks);
  for (let r = part(rows, chunk, chunks); r < r1; r++) {
    const off = <usize>r * <usize>cols << 2;
    const yr = y + off, gr = dy + off, dr = dx + off;
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= cols; i += 4) acc = f32x4.add(acc, f32x4.mul(vl(yr, i), vl(gr, i)));
    let s = hsum(acc);
    for (; i < cols; i++) s += f(yr, i) * f(gr, i);
    const vsum = f32x4.splat(s);
    for (i = 0; i + 4 <= cols; i += 4) vs(dr, i, f32x4.mul(vl(yr, i), f32x4.sub(vl(gr, i), vsum)));
    for (; i < cols; i++) setf(dr, i, f(yr, i) * (f(gr, i) - s));
  }
}

/** Sum of x[0..n) (4 lane sums, then the tail in order). */
function rowSum(x: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = f32x4.add(acc, vl(x, i));
  let s = hsum(acc);
  for (; i < n; i++) s += f(x, i);
  return s;
}

/**
 * Layer norm over the last axis: y = (x - mean) * rstd * gamma + beta, with the two-pass variance.
 * Saves mean[r] and rstd[r] = 1 / sqrt(var + eps) for the backward pass. y may alias x.
 */
export function layerNorm(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, rows: i32, d: i32, eps: f32, chunk: i32, chunks: i32): void {
  const r1 = part(rows, chunk + 1, chunks);
  for (let r = part(rows, chunk, chunks); r < r1; r++) {
    const off = <usize>r * <usize>d << 2;
    const xr = x + off, yr = y + off;
    const mu = rowSum(xr, d) / <f32>d;
    const vmu = f32x4.splat(mu);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= d; i += 4) {
      const c = f32x4.sub(vl(xr, i), vmu);
      acc = f32x4.add(acc, f32x4.mul(c, c));
    }
    let ss = hsum(acc);
    for (; i < d; i++) {
      const c = f(xr, i) - mu;
      ss += c * c;
    }
    const rs: f32 = 1 / Mathf.sqrt(ss / <f32>d + eps);
    setf(mean, r, mu);
    setf(rstd, r, rs);
    const vrs = f32x4.splat(rs);
    for (i = 0; i + 4 <= d; i += 4) {
      vs(yr, i, f32x4.add(f32x4.mul(f32x4.mul(f32x4.sub(vl(xr, i), vmu), vrs), vl(gamma, i)), vl(beta, i)));
    }
    for (; i < d; i++) setf(yr, i, (f(xr, i) - mu) * rs * f(gamma, i) + f(beta, i));
  }
}

/**
 * Layer-norm backward, parameter part: dGamma += sum_r dy * xhat and dBeta += sum_r dy, with
 * xhat = (x - mean) * rstd. Split by columns (groups of 4), each adding the rows in order. It runs
 * as its own pass before layerNormBackwardRows so that dx may overwrite dy.
 */
export function layerNormBackwardParams(x: usize, mean: usize, rstd: usize, dy: usize, dgamma: usize, dbeta: usize, rows: i32, d: i32, chunk: i32, chunks: i32): void {
  const groups = (d + 3) >> 2;
  const c0 = part(groups, chunk, chunks) << 2;
  const c1 = minI(part(groups, chunk + 1, chunks) << 2, d);
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * <usize>d << 2;
    const xr = x + off, gr = dy + off;
    const mu = f(mean, r), rs = f(rstd, r);
    let i = c0;
    if (c1 - c0 >= 4) {
      const vmu = f32x4.splat(mu), vrs = f32x4.splat(rs);
      for (; i + 4 <= c1; i += 4) {
        const g = vl(gr, i);
        const xh = f32x4.mul(f32x4.sub(vl(xr, i), vmu), vrs);
        vs(dgamma, i, f32x4.add(vl(dgamma, i), f32x4.mul(g, xh)));
        vs(dbeta, i, f32x4.add(vl(dbeta, i), g));
      }
    }
    for (; i < c1; i++) {
      const g = f(gr, i);
      setf(dgamma, i, f(dgamma, i) + g * ((f(xr, i) - mu) * rs));
      setf(dbeta, i, f(dbeta, i) + g);
    }
  }
}

/**
 * Layer-norm backward, input part, split by rows (dx may alias dy):
 * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * gamma.
 */
export function layerNormBackwardRows(x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, rows: i32, d: i32, chunk: i32, chunks: i32): void {
  const r1 = part(rows, chunk + 1, chunks);
  const invD: f32 = 1 / <f32>d;
  for (let r = part(rows, chunk, chunks); r < r1; r++) {
    const off = <usize>r * <usize>d << 2;
    const xr = x + off, gr = dy + off, dr = dx + off;
    const mu = f(mean, r), rs = f(rstd, r);
    const vmu = f32x4.splat(mu), vrs = f32x4.splat(rs);
    let sg = f32x4.splat(0), sgx = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= d; i += 4) {
      const g = f32x4.mul(vl(gr, i), vl(gamma, i));
      const xh = f32x4.mul(f32x4.sub(vl(xr, i), vmu), vrs);
      sg = f32x4.add(sg, g);
      sgx = f32x4.add(sgx, f32x4.mul(g, xh));
    }
    let s1 = hsum(sg), s2 = hsum(sgx);
    for (; i < d; i++) {
      const g = f(gr, i) * f(gamma, i);
      s1 += g;
      s2 += g * ((f(xr, i) - mu) * rs);
    }
    const m1 = s1 * invD, m2 = s2 * invD;
    const vm1 = f32x4.splat(m1), vm2 = f32x4.splat(m2);
    for (i = 0; i + 4 <= d; i += 4) {
      const g = f32x4.mul(vl(gr, i), vl(gamma, i));
      const xh = f32x4.mul(f32x4.sub(vl(xr, i), vmu), vrs);
      vs(dr, i, f32x4.mul(vrs, f32x4.sub(f32x4.sub(g, vm1), f32x4.mul(xh, vm2))));
    }
    for (; i < d; i++) {
      const g = f(gr, i) * f(gamma, i);
      const xh = (f(xr, i) - mu) * rs;
      setf(dr, i, rs * ((g - m1) - xh * m2));
    }
  }
}

// GELU, tanh form: 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3),
// tanh(u) = 1 - 2 / (exp(2u) + 1), which saturates cleanly to +-1 through the clamped exp.
const K0: f32 = 0.7978845608028654;
const K1: f32 = 0.044715;

// @ts-ignore: decorator
@inline
function vtanh(u: v128): v128 {
  const e = vexp(f32x4.add(u, u));
  return f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
}

// @ts-ignore: decorator
@inline
function vgelu(x: v128): v128 {
  const u = f32x4.mul(f32x4.splat(K0), f32x4.add(x, f32x4.mul(f32x4.splat(K1), f32x4.mul(x, f32x4.mul(x, x)))));
  return f32x4.mul(f32x4.mul(f32x4.splat(0.5), x), f32x4.add(f32x4.splat(1), vtanh(u)));
}

// @ts-ignore: decorator
@inline
function vgeluGrad(x: v128, dy: v128): v128 {
  const x2 = f32x4.mul(x, x);
  const u = f32x4.mul(f32x4.splat(K0), f32x4.add(x, f32x4.mul(f32x4.splat(K1), f32x4.mul(x, x2))));
  const th = vtanh(u);
  const du = f32x4.mul(f32x4.splat(K0), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(3 * K1), x2)));
  const half = f32x4.splat(0.5);
  const sech2 = f32x4.sub(f32x4.splat(1), f32x4.mul(th, th));
  const g = f32x4.add(f32x4.mul(half, f32x4.add(f32x4.splat(1), th)), f32x4.mul(f32x4.mul(half, x), f32x4.mul(sech2, du)));
  return f32x4.mul(dy, g);
}

/** y = gelu(x) elementwise over n floats (y may alias x); chunks are cut at multiples of 4. */
export function gelu(x: usize, y: usize, n: i32, chunk: i32, chunks: i32): void {
  const groups = (n + 3) >> 2;
  const i1 = minI(part(groups, chunk + 1, chunks) << 2, n);
  let i = part(groups, chunk, chunks) << 2;
  for (; i + 4 <= i1; i += 4) vs(y, i, vgelu(vl(x, i)));
  for (; i < i1; i++) setf(y, i, f32x4.extract_lane(vgelu(f32x4.splat(f(x, i))), 0));
}

/** dx = dy * gelu'(x) elementwise over n floats (dx may alias dy or x). */
export function geluBackward(x: usize, dy: usize, dx: usize, n: i32, chunk: i32, chunks: i32): void {
  const groups = (n + 3) >> 2;
  const i1 = minI(part(groups, chunk + 1, chunks) << 2, n);
  let i = part(groups, chunk, chunks) << 2;
  for (; i + 4 <= i1; i += 4) vs(dx, i, vgeluGrad(vl(x, i), vl(dy, i)));
  for (; i < i1; i++) setf(dx, i, f32x4.extract_lane(vgeluGrad(f32x4.splat(f(x, i)), f32x4.splat(f(dy, i))), 0));
}

/** out[r] = table[ids[r]] for r < rows, rows of d floats; ids are i32, checked by the caller. */
export function embedding(table: usize, ids: usize, out: usize, rows: i32, d: i32, chunk: i32, chunks: i32): void {
  const r1 = part(rows, chunk + 1, chunks);
  const bytes = <usize>d << 2;
  for (let r = part(rows, chunk, chunks); r < r1; r++) {
    memory.copy(out + <usize>r * bytes, table + <usize>load<i32>(ids + (<usize>r << 2)) * bytes, bytes);
  }
}

/** dTable[ids[r]] += dOut[r] for r = 0, 1, ... in order; chunks own column groups of 4. */
export function embeddingBackward(dOut: usize, ids: usize, dTable: usize, rows: i32, d: i32, chunk: i32, chunks: i32): void {
  const groups = (d + 3) >> 2;
  const c0 = part(groups, chunk, chunks) << 2;
  const c1 = minI(part(groups, chunk + 1, chunks) << 2, d);
  if (c0 >= c1) return;
  for (let r = 0; r < rows; r++) {
    const src = dOut + (<usize>r * <usize>d << 2);
    const dst = dTable + (<usize>load<i32>(ids + (<usize>r << 2)) * <usize>d << 2);
    let i = c0;
    for (; i + 4 <= c1; i += 4) vs(dst, i, f32x4.add(vl(dst, i), vl(src, i)));
    for (; i < c1; i++) setf(dst, i, f(dst, i) + f(src, i));
  }
}

/**
 * Cross-entropy per row of logits [rows][v] against i32 targets, weighted by mask[r] (f32; 0 skips
 * the row). Writes loss[r] = mask[r] * (logsumexp - logit[target]); when grad != 0 it also writes
 * grad = mask[r] * scale * (softmax - onehot(target)) (grad may alias logits). The caller sums the
 * per-row losses in a fixed order, so the total does not depend on the split either.
 */
export function crossEntropy(logits: usize, targets: usize, mask: usize, loss: usize, grad: usize, rows: i32, v: i32, scale: f32, chunk: i32, chunks: i32): void {
  const r1 = part(rows, chunk + 1, chunks);
  for (let r = part(rows, chunk, chunks); r < r1; r++) {
    const off = <usize>r * <usize>v << 2;
    const xr = logits + off;
    const w = f(mask, r);
    const target = load<i32>(targets + (<usize>r << 2));
    if (w == 0) {
      setf(loss, r, 0);
      if (grad) memory.fill(grad + off, 0, <usize>v << 2);
      continue;
    }
    const xt = f(xr, target);
    const m = rowMax(xr, v);
    if (grad) {
      const gr = grad + off;
      const s = expShifted(xr, gr, v, m);
      setf(loss, r, w * (Mathf.log(s) + m - xt));
      scaleRow(gr, v, w * scale / s);
      setf(gr, target, f(gr, target) - w * scale);
    } else {
      // No gradient buffer: sum the exponentials without storing them.
      const vm = f32x4.splat(m);
      let acc = f32x4.splat(0);
      let i = 0;
      for (; i + 4 <= v; i += 4) acc = f32x4.add(acc, vexp(f32x4.sub(vl(xr, i), vm)));
      let s = hsum(acc);
      for (; i < v; i++) s += sexp(f(xr, i) - m);
      setf(loss, r, w * (Mathf.log(s) + m - xt));
    }
  }
}
