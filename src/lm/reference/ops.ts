// Every operation of the reference language model, forward and backward, in plain float64 loops.
// These are the definitions the fast WebAssembly/WGSL kernels are tested against, so each is
// written the obvious way and each backward is the exact derivative of its forward (checked
// against finite differences in test/lm-reference.test.ts). A backward takes what its forward
// saw (or returned) plus the gradient of the loss with respect to the output, and returns the
// gradients with respect to the inputs; nothing is accumulated in place behind the caller's back.
//
// Masks are `Uint8Array`s, 1 = may attend / counts, 0 = masked out. Masked softmax entries are
// exactly 0 (not exp(-1e9)), so padding cannot leak into a result even in the last bit.

import { assertRank, assertShape, ShapeError, shapeText, Tensor, zeros } from './tensor.js';

// ---------------------------------------------------------------------------------------------
// Matrix products
// ---------------------------------------------------------------------------------------------

/** `A·B` for `A[m,k]`, `B[k,n]`, giving `[m,n]`. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [m, k] = assertRank(a, 2, 'matmul A') as [number, number];
  const [k2, n] = assertRank(b, 2, 'matmul B') as [number, number];
  if (k !== k2) throw new ShapeError(`matmul: A ${shapeText(a.shape)} and B ${shapeText(b.shape)} do not chain`);
  const y = zeros([m, n]);
  const A = a.data;
  const B = b.data;
  const Y = y.data;
  for (let i = 0; i < m; i++) {
    const yRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p]!;
      const bRow = p * n;
      for (let j = 0; j < n; j++) Y[yRow + j]! += aip * B[bRow + j]!;
    }
  }
  return y;
}

/** `A·Bᵀ` for `A[m,k]`, `B[n,k]`, giving `[m,n]` (the input gradient of a matmul). */
export function matmulABt(a: Tensor, b: Tensor): Tensor {
  const [m, k] = assertRank(a, 2, 'matmulABt A') as [number, number];
  const [n, k2] = assertRank(b, 2, 'matmulABt B') as [number, number];
  if (k !== k2) throw new ShapeError(`matmulABt: A ${shapeText(a.shape)} and B ${shapeText(b.shape)} differ in the shared dimension`);
  const y = zeros([m, n]);
  const A = a.data;
  const B = b.data;
  const Y = y.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p]! * B[j * k + p]!;
      Y[i * n + j] = s;
    }
  }
  return y;
}

/** `Aᵀ·B` for `A[k,m]`, `B[k,n]`, giving `[m,n]` (the weight gradient of a matmul). */
export function matmulAtB(a: Tensor, b: Tensor): Tensor {
  const [k, m] = assertRank(a, 2, 'matmulAtB A') as [number, number];
  const [k2, n] = assertRank(b, 2, 'matmulAtB B') as [number, number];
  if (k !== k2) throw new ShapeError(`matmulAtB: A ${shapeText(a.shape)} and B ${shapeText(b.shape)} differ in the shared dimension`);
  const y = zeros([m, n]);
  const A = a.data;
  const B = b.data;
  const Y = y.data;
  for (let p = 0; p < k; p++) {
    const bRow = p * n;
    for (let i = 0; i < m; i++) {
      const api = A[p * m + i]!;
      const yRow = i * n;
      for (let j = 0; j < n; j++) Y[yRow + j]! += api * B[bRow + j]!;
    }
  }
  return y;
}

/** Backward of `Y = A·B`: `dA = dY·Bᵀ`, `dB = Aᵀ·dY`. */
export function matmulBackward(a: Tensor, b: Tensor, dy: Tensor): { da: Tensor; db: Tensor } {
  assertShape(dy, [a.shape[0]!, b.shape[1]!], 'matmulBackward dY');
  return { da: matmulABt(dy, b), db: matmulAtB(a, dy) };
}

// ---------------------------------------------------------------------------------------------
// Bias and residual
// ---------------------------------------------------------------------------------------------

/** `x + b` for `x[m,n]` and a bias `b[n]` added to every row. */
export function addBias(x: Tensor, b: Tensor): Tensor {
  const [m, n] = assertRank(x, 2, 'addBias x') as [number, number];
  assertShape(b, [n], 'addBias bias');
  const y = zeros([m, n]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y.data[i * n + j] = x.data[i * n + j]! + b.data[j]!;
  return y;
}

/** Backward of `addBias`: `dx = dy`, `db` = column sums of `dy`. */
export function addBiasBackward(dy: Tensor): { dx: Tensor; db: Tensor } {
  const [m, n] = assertRank(dy, 2, 'addBiasBackward dy') as [number, number];
  const db = zeros([n]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) db.data[j]! += dy.data[i * n + j]!;
  return { dx: { shape: [...dy.shape], data: new Float64Array(dy.data) }, db };
}

/** The residual connection `a + b` (same shapes). */
export function add(a: Tensor, b: Tensor): Tensor {
  assertShape(b, a.shape, 'add b');
  const y = zeros(a.shape);
  for (let i = 0; i < y.data.length; i++) y.data[i] = a.data[i]! + b.data[i]!;
  return y;
}

/** Backward of `add`: the output gradient flows unchanged into both inputs. */
export function addBackward(dy: Tensor): { da: Tensor; db: Tensor } {
  return { da: { shape: [...dy.shape], data: new Float64Array(dy.data) }, db: { shape: [...dy.shape], data: new Float64Array(dy.data) } };
}

// ---------------------------------------------------------------------------------------------
// Softmax
// ---------------------------------------------------------------------------------------------

/**
 * Softmax over the last axis. With a `mask` (one byte per element of `x`), masked entries are 0
 * and the rest renormalise; a row with every entry masked comes out all 0 rather than NaN.
 */
export function softmax(x: Tensor, mask?: Uint8Array): Tensor {
  if (x.shape.length === 0) throw new ShapeError('softmax: needs at least one axis');
  const n = x.shape[x.shape.length - 1]!;
  if (mask !== undefined && mask.length !== x.data.length) throw new ShapeError(`softmax: mask has ${mask.length} entries for ${x.data.length} values`);
  const y = zeros(x.shape);
  const rows = n === 0 ? 0 : x.data.length / n;
  for (let r = 0; r < rows; r++) softmaxRow(x.data, r * n, n, mask, y.data);
  return y;
}

function softmaxRow(x: Float64Array, off: number, n: number, mask: Uint8Array | undefined, y: Float64Array): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (mask === undefined || mask[off + j] !== 0) max = Math.max(max, x[off + j]!);
  if (max === -Infinity) return; // fully masked: stays 0
  let sum = 0;
  for (let j = 0; j < n; j++) {
    if (mask !== undefined && mask[off + j] === 0) continue;
    const e = Math.exp(x[off + j]! - max);
    y[off + j] = e;
    sum += e;
  }
  for (let j = 0; j < n; j++) y[off + j]! /= sum;
}

/**
 * Backward of `softmax` from its output `y`: `dx = y ⊙ (dy − Σ y·dy)` per row. Masked entries
 * have `y = 0`, so their gradient is 0 without needing the mask again.
 */
export function softmaxBackward(y: Tensor, dy: Tensor): Tensor {
  assertShape(dy, y.shape, 'softmaxBackward dy');
  const n = y.shape[y.shape.length - 1]!;
  const dx = zeros(y.shape);
  const rows = n === 0 ? 0 : y.data.length / n;
  for (let r = 0; r < rows; r++) {
    const off = r * n;
    let dot = 0;
    for (let j = 0; j < n; j++) dot += y.data[off + j]! * dy.data[off + j]!;
    for (let j = 0; j < n; j++) dx.data[off + j] = y.data[off + j]! * (dy.data[off + j]! - dot);
  }
  return dx;
}

// ---------------------------------------------------------------------------------------------
// Layer normalisation
// ---------------------------------------------------------------------------------------------

/** Epsilon added to the variance in every layernorm of the model. */
export const LAYERNORM_EPS = 1e-5;

/** What `layerNormBackward` needs: the normalised input and each row's 1/σ. */
export interface LayerNormCache {
  readonly xhat: Tensor;
  readonly rstd: Float64Array;
}

/**
 * Layer normalisation over the last axis of `x[m,n]`: `y = (x − μ)/√(σ² + eps) · γ + β` with the
 * biased (population) variance, as in PyTorch's `LayerNorm`.
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = LAYERNORM_EPS): { y: Tensor; cache: LayerNormCache } {
  const [m, n] = assertRank(x, 2, 'layerNorm x') as [number, number];
  assertShape(gamma, [n], 'layerNorm gamma');
  assertShape(beta, [n], 'layerNorm beta');
  const y = zeros([m, n]);
  const xhat = zeros([m, n]);
  const rstd = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const off = i * n;
    let mean = 0;
    for (let j = 0; j < n; j++) mean += x.data[off + j]!;
    mean /= n;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const c = x.data[off + j]! - mean;
      v += c * c;
    }
    const r = 1 / Math.sqrt(v / n + eps);
    rstd[i] = r;
    for (let j = 0; j < n; j++) {
      const h = (x.data[off + j]! - mean) * r;
      xhat.data[off + j] = h;
      y.data[off + j] = h * gamma.data[j]! + beta.data[j]!;
    }
  }
  return { y, cache: { xhat, rstd } };
}

/**
 * Backward of `layerNorm`: with `g = dy ⊙ γ`,
 * `dx = (1/σ) · (g − mean(g) − x̂ · mean(g ⊙ x̂))` per row, `dγ = Σ dy ⊙ x̂`, `dβ = Σ dy`.
 */
export function layerNormBackward(cache: LayerNormCache, gamma: Tensor, dy: Tensor): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const { xhat, rstd } = cache;
  assertShape(dy, xhat.shape, 'layerNormBackward dy');
  const [m, n] = xhat.shape as [number, number];
  assertShape(gamma, [n], 'layerNormBackward gamma');
  const dx = zeros([m, n]);
  const dgamma = zeros([n]);
  const dbeta = zeros([n]);
  for (let i = 0; i < m; i++) {
    const off = i * n;
    let meanG = 0;
    let meanGX = 0;
    for (let j = 0; j < n; j++) {
      const d = dy.data[off + j]!;
      const h = xhat.data[off + j]!;
      const g = d * gamma.data[j]!;
      meanG += g;
      meanGX += g * h;
      dgamma.data[j]! += d * h;
      dbeta.data[j]! += d;
    }
    meanG /= n;
    meanGX /= n;
    const r = rstd[i]!;
    for (let j = 0; j < n; j++) {
      const g = dy.data[off + j]! * gamma.data[j]!;
      dx.data[off + j] = r * (g - meanG - xhat.data[off + j]! * meanGX);
    }
  }
  return { dx, dgamma, dbeta };
}

// ---------------------------------------------------------------------------------------------
// GELU
// ---------------------------------------------------------------------------------------------

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * GELU, the tanh approximation (Hendrycks & Gimpel; PyTorch `gelu(approximate='tanh')`):
 * `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. Chosen over the erf form because every kernel
 * target has `tanh` and not all have `erf`.
 */
export function gelu(x: Tensor): Tensor {
  const y = zeros(x.shape);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    y.data[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_A * v * v * v)));
  }
  return y;
}

/** Backward of `gelu` (tanh approximation) from its input `x`. */
export function geluBackward(x: Tensor, dy: Tensor): Tensor {
  assertShape(dy, x.shape, 'geluBackward dy');
  const dx = zeros(x.shape);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    const t = Math.tanh(GELU_C * (v + GELU_A * v * v * v));
    const d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v);
    dx.data[i] = dy.data[i]! * d;
  }
  return dx;
}

// ---------------------------------------------------------------------------------------------
// Embedding
// ---------------------------------------------------------------------------------------------

/** Rows of `table[V,d]` gathered by `ids`, giving `[ids.length, d]`; an id outside [0, V) throws. */
export function embedding(table: Tensor, ids: ArrayLike<number>): Tensor {
  const [v, d] = assertRank(table, 2, 'embedding table') as [number, number];
  const y = zeros([ids.length, d]);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= v) throw new RangeError(`embedding: id ${id} at position ${i} is outside the vocabulary [0, ${v})`);
    y.data.set(table.data.subarray(id * d, id * d + d), i * d);
  }
  return y;
}

/** Backward of `embedding`: `dy`'s rows scatter-added into a `[vocab, d]` table gradient (repeated ids sum). */
export function embeddingBackward(ids: ArrayLike<number>, dy: Tensor, vocab: number): Tensor {
  const [n, d] = assertRank(dy, 2, 'embeddingBackward dy') as [number, number];
  if (n !== ids.length) throw new ShapeError(`embeddingBackward: ${ids.length} ids for ${n} gradient rows`);
  const dt = zeros([vocab, d]);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`embeddingBackward: id ${id} at position ${i} is outside the vocabulary [0, ${vocab})`);
    for (let j = 0; j < d; j++) dt.data[id * d + j]! += dy.data[i * d + j]!;
  }
  return dt;
}

// ---------------------------------------------------------------------------------------------
// Cross-entropy
// ---------------------------------------------------------------------------------------------

/**
 * Mean cross-entropy of `logits[n,V]` against `targets` over the rows whose `mask` byte is 1
 * (padding rows are 0 and contribute nothing, not even their targets' validity). `count` is the
 * number of counted rows; with none, the loss is 0. `probs` is the softmax of every row (masked
 * rows included), which the backward reuses.
 */
export function crossEntropy(logits: Tensor, targets: ArrayLike<number>, mask: Uint8Array): { loss: number; probs: Tensor; count: number } {
  const [n, v] = assertRank(logits, 2, 'crossEntropy logits') as [number, number];
  if (targets.length !== n || mask.length !== n) throw new ShapeError(`crossEntropy: ${n} rows, ${targets.length} targets, ${mask.length} mask entries`);
  const probs = softmax(logits);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    const t = targets[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= v) throw new RangeError(`crossEntropy: target ${t} at row ${i} is outside [0, ${v})`);
    // log p_t via the log-sum-exp, not log(probs), so a confident wrong answer gives a finite loss.
    let max = -Infinity;
    for (let j = 0; j < v; j++) max = Math.max(max, logits.data[i * v + j]!);
    let z = 0;
    for (let j = 0; j < v; j++) z += Math.exp(logits.data[i * v + j]! - max);
    sum += -(logits.data[i * v + t]! - max - Math.log(z));
    count++;
  }
  return { loss: count === 0 ? 0 : sum / count, probs, count };
}

/** Backward of `crossEntropy` for `dLoss` (default 1): `(p − onehot(t)) · dLoss / count` on counted rows, 0 elsewhere. */
export function crossEntropyBackward(probs: Tensor, targets: ArrayLike<number>, mask: Uint8Array, dLoss = 1): Tensor {
  const [n, v] = assertRank(probs, 2, 'crossEntropyBackward probs') as [number, number];
  if (targets.length !== n || mask.length !== n) throw new ShapeError(`crossEntropyBackward: ${n} rows, ${targets.length} targets, ${mask.length} mask entries`);
  let count = 0;
  for (let i = 0; i < n; i++) if (mask[i] !== 0) count++;
  const dx = zeros([n, v]);
  if (count === 0) return dx;
  const s = dLoss / count;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    for (let j = 0; j < v; j++) dx.data[i * v + j] = probs.data[i * v + j]! * s;
    dx.data[i * v + targets[i]!]! -= s;
  }
  return dx;
}

// ---------------------------------------------------------------------------------------------
// Attention
// ---------------------------------------------------------------------------------------------

/** Which keys a query may see: only the first `keyLengths[b]` of batch item b, and/or none after itself. */
export interface AttentionMaskSpec {
  readonly keyLengths?: readonly number[];
  readonly causal?: boolean;
}

/**
 * The `[batch, tq, tk]` mask of an attention: 1 where query i of item b may attend to key j. The
 * causal rule is `j ≤ i`; with both rules, both must hold.
 */
export function attentionMask(batch: number, tq: number, tk: number, spec: AttentionMaskSpec): Uint8Array {
  if (spec.keyLengths !== undefined && spec.keyLengths.length !== batch) throw new ShapeError(`attentionMask: ${spec.keyLengths.length} key lengths for batch ${batch}`);
  const mask = new Uint8Array(batch * tq * tk);
  for (let b = 0; b < batch; b++) {
    const len = spec.keyLengths === undefined ? tk : spec.keyLengths[b]!;
    if (!Number.isInteger(len) || len < 0 || len > tk) throw new RangeError(`attentionMask: key length ${len} of item ${b} is outside [0, ${tk}]`);
    for (let i = 0; i < tq; i++) {
      for (let j = 0; j < tk; j++) {
        const ok = j < len && (spec.causal !== true || j <= i);
        mask[(b * tq + i) * tk + j] = ok ? 1 : 0;
      }
    }
  }
  return mask;
}

/**
 * Scaled dot-product multi-head attention without projections. `q[B,Tq,D]`, `k[B,Tk,D]`,
 * `v[B,Tk,D]`; head h uses columns `[h·D/H, (h+1)·D/H)`. For each head,
 * `P = softmax(Q_h·K_hᵀ / √(D/H), mask)` and `out_h = P·V_h`; the heads' outputs are concatenated
 * back into `out[B,Tq,D]`. `probs[B,H,Tq,Tk]` is kept for the backward and for alignment.
 * `mask` is `[B,Tq,Tk]` (see `attentionMask`), shared by every head.
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, nHeads: number, mask?: Uint8Array): { out: Tensor; probs: Tensor } {
  const [B, Tq, D] = assertRank(q, 3, 'attention q') as [number, number, number];
  const Tk = assertRank(k, 3, 'attention k')[1]!;
  assertShape(k, [B, Tk, D], 'attention k');
  assertShape(v, [B, Tk, D], 'attention v');
  if (!Number.isInteger(nHeads) || nHeads <= 0 || D % nHeads !== 0) throw new ShapeError(`attention: ${nHeads} heads do not divide width ${D}`);
  if (mask !== undefined && mask.length !== B * Tq * Tk) throw new ShapeError(`attention: mask has ${mask.length} entries, expected ${B}·${Tq}·${Tk}`);
  const H = nHeads;
  const dh = D / H;
  const scale = 1 / Math.sqrt(dh);
  const out = zeros([B, Tq, D]);
  const probs = zeros([B, H, Tq, Tk]);
  const Q = q.data;
  const K = k.data;
  const V = v.data;
  const P = probs.data;
  const O = out.data;
  const scores = new Float64Array(Tk);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const c0 = h * dh;
      for (let i = 0; i < Tq; i++) {
        const qOff = (b * Tq + i) * D + c0;
        const mOff = (b * Tq + i) * Tk;
        const pOff = ((b * H + h) * Tq + i) * Tk;
        for (let j = 0; j < Tk; j++) {
          const kOff = (b * Tk + j) * D + c0;
          let s = 0;
          for (let c = 0; c < dh; c++) s += Q[qOff + c]! * K[kOff + c]!;
          scores[j] = s * scale;
        }
        softmaxRow(scores, 0, Tk, mask?.subarray(mOff, mOff + Tk), P.subarray(pOff, pOff + Tk));
        for (let j = 0; j < Tk; j++) {
          const p = P[pOff + j]!;
          // A masked key is skipped, not multiplied by 0, so even a non-finite padded value stays out.
          if (p === 0) continue;
          const vOff = (b * Tk + j) * D + c0;
          for (let c = 0; c < dh; c++) O[qOff + c]! += p * V[vOff + c]!;
        }
      }
    }
  }
  return { out, probs };
}

/**
 * Backward of `attention`, from its inputs, its `probs` and `dout[B,Tq,D]`. Per head:
 * `dV = Pᵀ·dO`, `dP = dO·Vᵀ`, `dS = softmaxBackward(P, dP)`, `dQ = dS·K/√dh`, `dK = dSᵀ·Q/√dh`.
 */
export function attentionBackward(q: Tensor, k: Tensor, v: Tensor, probs: Tensor, dout: Tensor, nHeads: number): { dq: Tensor; dk: Tensor; dv: Tensor } {
  const [B, Tq, D] = assertRank(q, 3, 'attentionBackward q') as [number, number, number];
  const Tk = assertRank(k, 3, 'attentionBackward k')[1]!;
  assertShape(k, [B, Tk, D], 'attentionBackward k');
  assertShape(v, [B, Tk, D], 'attentionBackward v');
  assertShape(probs, [B, nHeads, Tq, Tk], 'attentionBackward probs');
  assertShape(dout, [B, Tq, D], 'attentionBackward dout');
  const H = nHeads;
  const dh = D / H;
  const scale = 1 / Math.sqrt(dh);
  const dq = zeros(q.shape);
  const dk = zeros(k.shape);
  const dv = zeros(v.shape);
  const Q = q.data;
  const K = k.data;
  const V = v.data;
  const P = probs.data;
  const dO = dout.data;
  const dP = new Float64Array(Tk);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const c0 = h * dh;
      for (let i = 0; i < Tq; i++) {
        const qOff = (b * Tq + i) * D + c0;
        const pOff = ((b * H + h) * Tq + i) * Tk;
        let dot = 0;
        for (let j = 0; j < Tk; j++) {
          const vOff = (b * Tk + j) * D + c0;
          const p = P[pOff + j]!;
          let s = 0;
          for (let c = 0; c < dh; c++) {
            s += dO[qOff + c]! * V[vOff + c]!;
            dv.data[vOff + c]! += p * dO[qOff + c]!;
          }
          dP[j] = s;
          dot += p * s;
        }
        for (let j = 0; j < Tk; j++) {
          const ds = P[pOff + j]! * (dP[j]! - dot) * scale;
          if (ds === 0) continue;
          const kOff = (b * Tk + j) * D + c0;
          for (let c = 0; c < dh; c++) {
            dq.data[qOff + c]! += ds * K[kOff + c]!;
            dk.data[kOff + c]! += ds * Q[qOff + c]!;
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}
