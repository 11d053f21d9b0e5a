// The model on the CPU backend: the same function as the float64 reference
// (src/lm/reference/model.ts), in f32, with every matmul, softmax, layernorm, GELU, embedding and
// cross-entropy run by the WebAssembly kernels, forward and backward, and an AdamW training step.
// Tests hold it to the reference. Weights, gradients and optimizer moments live in the kernels'
// shared memory for the model's lifetime; activations are taken from the arena per call and
// released at its end. The backward is a tape: each forward op, when training, records a closure
// that reads its output's gradient and accumulates into its inputs' gradients; running the tape
// in reverse is the backward pass.

import { attentionMask } from '../../reference/ops.js';
import { type Batch, type ModelConfig, type Params, sinusoidalPositions, targetMask, validateConfig } from '../../reference/model.js';
import { adamwUpdate, type AdamWOptions, clipGradNorm } from '../../reference/train.js';
import type { CpuKernels, F32Buffer, I32Buffer } from './kernels.js';

/** Result of {@link CpuModel.forward}: the masked mean loss and the logits `[B·T, V]`. */
export interface CpuForward {
  readonly loss: number;
  readonly logits: Float32Array;
}

/** Result of {@link CpuModel.trainStep}. */
export interface CpuStep {
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
}

/** A model whose weights are f32 buffers in the CPU kernels' memory. */
export class CpuModel {
  /** Recorded backward closures while a training pass runs; undefined for inference. */
  private tape: (() => void)[] | undefined;
  /** Gradient of each activation buffer (keyed by its offset) during a training pass. */
  private readonly actGrads = new Map<number, F32Buffer>();
  private readonly paramGrads = new Map<string, F32Buffer>();
  /** Each parameter's shape (AdamW decays the matrices only, as the reference does). */
  private readonly shapes = new Map<string, number[]>();
  private readonly moments = new Map<string, { readonly m: F32Buffer; readonly v: F32Buffer }>();
  private steps = 0;

  private constructor(
    /** The kernels this model runs on (the incremental decoder allocates from them too). */
    readonly k: CpuKernels,
    readonly config: ModelConfig,
    private readonly weights: ReadonlyMap<string, F32Buffer>,
    private readonly positions: { readonly enc: F32Buffer; readonly dec: F32Buffer },
  ) {}

  /** Copies reference parameters (rounded to f32) into the kernels' memory. */
  static fromParams(kernels: CpuKernels, config: ModelConfig, params: Params): CpuModel {
    validateConfig(config);
    const weights = new Map<string, F32Buffer>();
    for (const [name, t] of params) weights.set(name, kernels.f32(t.data));
    const table = (side: 'enc' | 'dec'): F32Buffer => {
      if (config.positions === 'learned') return need(weights, `${side}.pos`);
      return kernels.f32(sinusoidalPositions(config.maxLen, config.dModel).data);
    };
    const enc = table('enc');
    const model = new CpuModel(kernels, config, weights, { enc, dec: config.positions === 'learned' ? table('dec') : enc });
    for (const [name, t] of params) {
      model.shapes.set(name, [...t.shape]);
      const zero = (): F32Buffer => {
        const b = kernels.alloc(t.data.length);
        b.data.fill(0);
        return b;
      };
      model.paramGrads.set(name, zero());
      model.moments.set(name, { m: zero(), v: zero() });
    }
    return model;
  }

  /** Loss and logits of a padded batch, exactly as the reference's `forward` defines them. */
  forward(batch: Batch): CpuForward {
    const mark = this.k.mark();
    try {
      const { loss, logits } = this.pass(batch, false);
      return { loss, logits: logits.data.slice() };
    } finally {
      this.k.release(mark);
    }
  }

  /**
   * Gradients of the batch's loss for every parameter (as the reference's `backward` defines
   * them), copied out by name, with the loss.
   */
  gradients(batch: Batch): { loss: number; grads: Map<string, Float32Array> } {
    const mark = this.k.mark();
    try {
      const loss = this.lossAndGradients(batch);
      return { loss, grads: new Map([...this.paramGrads].map(([n, g]) => [n, g.data.slice()])) };
    } finally {
      this.k.release(mark);
    }
  }

  /**
   * One training step: forward, backward, global-norm clipping to `clip`, and an AdamW update
   * with learning rate `lr` (the same formula as the reference's `AdamW`, each element computed
   * in float64 and stored as f32).
   */
  trainStep(batch: Batch, lr: number, options: AdamWOptions & { readonly clip?: number } = {}): CpuStep {
    const mark = this.k.mark();
    try {
      const loss = this.lossAndGradients(batch);
      const gradNorm = clipGradNorm(this.paramGrads, options.clip ?? 1);
      this.steps++;
      const b1 = options.beta1 ?? 0.9;
      const b2 = options.beta2 ?? 0.999;
      const eps = options.eps ?? 1e-8;
      const wd = options.weightDecay ?? 0.01;
      const c1 = 1 - Math.pow(b1, this.steps);
      const c2 = 1 - Math.pow(b2, this.steps);
      for (const [name, w] of this.weights) {
        const mv = this.moments.get(name)!;
        const isMatrix = this.shapes.get(name)!.length === 2;
        const decay = wd > 0 && isMatrix ? 1 - lr * wd : 1;
        adamwUpdate(w.data, this.paramGrads.get(name)!.data, mv.m.data, mv.v.data, { b1, b2, eps, lr, decay, c1, c2 });
      }
      return { loss, gradNorm };
    } finally {
      this.k.release(mark);
    }
  }

  /** AdamW's step count and moments (f32, copied out), for checkpoints. */
  optimizerState(): { step: number; m: Map<string, Float32Array>; v: Map<string, Float32Array> } {
    const m = new Map<string, Float32Array>();
    const v = new Map<string, Float32Array>();
    for (const [name, mv] of this.moments) {
      m.set(name, mv.m.data.slice());
      v.set(name, mv.v.data.slice());
    }
    return { step: this.steps, m, v };
  }

  /** Restores AdamW's step count and moments (rounded to f32; a moment not given stays zero). */
  loadOptimizerState(step: number, m: ReadonlyMap<string, { readonly data: ArrayLike<number> }>, v: ReadonlyMap<string, { readonly data: ArrayLike<number> }>): void {
    this.steps = step;
    for (const [name, mv] of this.moments) {
      mv.m.data.set(m.get(name)?.data ?? new Float32Array(mv.m.length));
      mv.v.data.set(v.get(name)?.data ?? new Float32Array(mv.v.length));
    }
  }

  /** The output layer: logits `[rows, V]` of final hidden states (tied: `y·embedᵀ`, else `y·W_out`), plus the bias. */
  logits(y: F32Buffer, rows: number): F32Buffer {
    const { vocab: V, dModel: d } = this.config;
    const logits = this.k.alloc(rows * V);
    if (this.config.tiedEmbeddings) this.k.matmul(y, need(this.weights, 'embed'), logits, rows, V, d, { transB: true });
    else this.k.matmul(y, need(this.weights, 'out.w'), logits, rows, V, d);
    addBias(logits, need(this.weights, 'out.b'), rows, V);
    return logits;
  }

  /** A weight buffer by parameter name. */
  weight(name: string): F32Buffer {
    return need(this.weights, name);
  }

  /** The position table of one side (learned weights or the sinusoidal table). */
  positionTable(side: 'enc' | 'dec'): F32Buffer {
    return this.positions[side];
  }

  /** The current weights, copied out by name (f32). */
  weightsByName(): Map<string, Float32Array> {
    return new Map([...this.weights].map(([n, w]) => [n, w.data.slice()]));
  }

  private lossAndGradients(batch: Batch): number {
    for (const g of this.paramGrads.values()) g.data.fill(0);
    this.actGrads.clear();
    this.tape = [];
    try {
      const { loss } = this.pass(batch, true);
      for (let i = this.tape.length - 1; i >= 0; i--) this.tape[i]!();
      return loss;
    } finally {
      this.tape = undefined;
      this.actGrads.clear();
    }
  }

  /** The forward computation; with `train`, the cross-entropy gradient seeds the tape. */
  private pass(batch: Batch, train: boolean): { loss: number; logits: F32Buffer } {
    const { size: B, srcLen: S, tgtLen: T } = batch;
    const { maxLen, vocab: V, dModel: d } = this.config;
    if (S > maxLen || T > maxLen) throw new RangeError(`forward: length ${Math.max(S, T)} exceeds maxLen ${maxLen}`);
    const enc = this.encode(batch);
    const y = this.decodeHidden(batch, enc);
    const rows = B * T;
    const logits = this.logits(y, rows);
    const embedW = need(this.weights, 'embed');
    const mask = this.k.f32(targetMask(batch));
    const targets = this.k.i32(batch.tgtOut);
    if (!train) return { loss: this.k.crossEntropy(logits, targets, rows, V, { mask }), logits };
    const dLogits = this.k.alloc(rows * V);
    const loss = this.k.crossEntropy(logits, targets, rows, V, { mask, grad: dLogits });
    this.record(() => {
      biasGrad(this.pgrad('out.b'), dLogits, rows, V);
      const dy = this.grad(y);
      if (this.config.tiedEmbeddings) {
        this.k.matmul(dLogits, embedW, dy, rows, d, V, { accumulate: true });
        this.k.matmul(dLogits, y, this.pgrad('embed'), V, d, rows, { transA: true, accumulate: true });
      } else {
        const w = need(this.weights, 'out.w');
        this.k.matmul(y, dLogits, this.pgrad('out.w'), d, V, rows, { transA: true, accumulate: true });
        this.k.matmul(dLogits, w, dy, rows, d, V, { transB: true, accumulate: true });
      }
    });
    return { loss, logits };
  }

  // ---- tape helpers ---------------------------------------------------------------------------

  private record(backward: () => void): void {
    this.tape?.push(backward);
  }

  /** The gradient buffer of an activation (zeroed when first asked for). */
  private grad(x: F32Buffer): F32Buffer {
    let g = this.actGrads.get(x.ptr);
    if (g === undefined) {
      g = this.k.alloc(x.length);
      g.data.fill(0);
      this.actGrads.set(x.ptr, g);
    }
    return g;
  }

  private pgrad(name: string): F32Buffer {
    return need(this.paramGrads, name);
  }

  // ---- the two stacks -------------------------------------------------------------------------

  /** The encoder's output `[B·S, d]` for a batch's sources (only `src`, `srcLengths`, `size`, `srcLen` are read). */
  encode(batch: Pick<Batch, 'src' | 'srcLengths' | 'size' | 'srcLen'>): F32Buffer {
    const { size: B, srcLen: S } = batch;
    const mask = attentionMask(B, S, S, { keyLengths: batch.srcLengths });
    let x = this.embed(batch.src, B * S, S, 'enc');
    for (let l = 0; l < this.config.encoderLayers; l++) {
      const p = `enc.${l}`;
      const n1 = this.norm(`${p}.ln1`, x, B * S);
      x = this.residual(x, this.attention(`${p}.attn`, n1, n1, B, S, S, mask));
      const n2 = this.norm(`${p}.ln2`, x, B * S);
      x = this.residual(x, this.ffn(`${p}.ffn`, n2, B * S));
    }
    return this.norm('enc.ln', x, B * S);
  }

  private decodeHidden(batch: Batch, enc: F32Buffer): F32Buffer {
    const { size: B, srcLen: S, tgtLen: T } = batch;
    const selfMask = attentionMask(B, T, T, { keyLengths: batch.tgtLengths, causal: true });
    const crossMask = attentionMask(B, T, S, { keyLengths: batch.srcLengths });
    let y = this.embed(batch.tgtIn, B * T, T, 'dec');
    for (let l = 0; l < this.config.decoderLayers; l++) {
      const p = `dec.${l}`;
      const n1 = this.norm(`${p}.ln1`, y, B * T);
      y = this.residual(y, this.attention(`${p}.self`, n1, n1, B, T, T, selfMask));
      const n2 = this.norm(`${p}.ln2`, y, B * T);
      y = this.residual(y, this.attention(`${p}.cross`, n2, enc, B, T, S, crossMask));
      const n3 = this.norm(`${p}.ln3`, y, B * T);
      y = this.residual(y, this.ffn(`${p}.ffn`, n3, B * T));
    }
    return this.norm('dec.ln', y, B * T);
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /** `embed[id]·√d + position[t]` for every token of a `[rows / T, T]` id array. */
  private embed(ids: Int32Array, rows: number, T: number, side: 'enc' | 'dec'): F32Buffer {
    const d = this.config.dModel;
    const pos = this.positions[side];
    const posName = this.config.positions === 'learned' ? `${side}.pos` : undefined;
    const x = this.k.alloc(rows * d);
    const idBuf: I32Buffer = this.k.i32(ids);
    this.k.embedding(need(this.weights, 'embed'), idBuf, x, rows, d);
    const scale = Math.fround(Math.sqrt(d));
    const X = x.data;
    const P = pos.data;
    for (let r = 0; r < rows; r++) {
      const t = r % T;
      for (let j = 0; j < d; j++) X[r * d + j] = X[r * d + j]! * scale + P[t * d + j]!;
    }
    this.record(() => {
      const dx = this.grad(x);
      const scaled = this.k.alloc(rows * d);
      for (let i = 0; i < rows * d; i++) scaled.data[i] = dx.data[i]! * scale;
      this.k.embeddingBackward(scaled, idBuf, this.pgrad('embed'), rows, d);
      if (posName !== undefined) {
        const dp = this.pgrad(posName).data;
        for (let r = 0; r < rows; r++) {
          const t = r % T;
          for (let j = 0; j < d; j++) dp[t * d + j] = dp[t * d + j]! + dx.data[r * d + j]!;
        }
      }
    });
    return x;
  }

  /** LayerNorm of `rows` rows with the parameters under `prefix` (a building block; also used by the incremental decoder). */
  norm(prefix: string, x: F32Buffer, rows: number): F32Buffer {
    const d = this.config.dModel;
    const y = this.k.alloc(rows * d);
    const mean = this.k.alloc(rows);
    const rstd = this.k.alloc(rows);
    const gamma = need(this.weights, `${prefix}.g`);
    this.k.layerNorm(x, gamma, need(this.weights, `${prefix}.b`), y, mean, rstd, rows, d);
    this.record(() => {
      const dx = this.k.alloc(rows * d);
      this.k.layerNormBackward(x, gamma, mean, rstd, this.grad(y), dx, this.pgrad(`${prefix}.g`), this.pgrad(`${prefix}.b`), rows, d);
      addInto(this.grad(x), dx);
    });
    return y;
  }

  /** `x·W + b` for `x[rows, in]`, `W[in, out]`. */
  linear(prefix: string, w: string, b: string, x: F32Buffer, rows: number, inDim: number, outDim: number): F32Buffer {
    const y = this.k.alloc(rows * outDim);
    const W = need(this.weights, `${prefix}.${w}`);
    this.k.matmul(x, W, y, rows, outDim, inDim);
    addBias(y, need(this.weights, `${prefix}.${b}`), rows, outDim);
    this.record(() => {
      const dy = this.grad(y);
      this.k.matmul(x, dy, this.pgrad(`${prefix}.${w}`), inDim, outDim, rows, { transA: true, accumulate: true });
      biasGrad(this.pgrad(`${prefix}.${b}`), dy, rows, outDim);
      this.k.matmul(dy, W, this.grad(x), rows, inDim, outDim, { transB: true, accumulate: true });
    });
    return y;
  }

  /** The feed-forward block under `prefix`. */
  ffn(prefix: string, x: F32Buffer, rows: number): F32Buffer {
    const { dModel: d, dFF } = this.config;
    const h = this.linear(prefix, 'w1', 'b1', x, rows, d, dFF);
    const g = this.k.alloc(rows * dFF);
    this.k.gelu(h, g);
    this.record(() => {
      const dh = this.k.alloc(rows * dFF);
      this.k.geluBackward(h, this.grad(g), dh);
      addInto(this.grad(h), dh);
    });
    return this.linear(prefix, 'w2', 'b2', g, rows, dFF, d);
  }

  /**
   * Multi-head attention with projections. Each head's slice is packed contiguous so the
   * matmul kernel can take it; masked scores become -Infinity, which the softmax kernel turns
   * into exact zeros (every query row keeps at least one key).
   */
  private attention(prefix: string, xq: F32Buffer, xkv: F32Buffer, B: number, Tq: number, Tk: number, mask: Uint8Array): F32Buffer {
    const { dModel: d, nHeads: H } = this.config;
    const dh = d / H;
    const q = this.linear(prefix, 'wq', 'bq', xq, B * Tq, d, d);
    const kk = this.linear(prefix, 'wk', 'bk', xkv, B * Tk, d, d);
    const v = this.linear(prefix, 'wv', 'bv', xkv, B * Tk, d, d);
    const ctx = this.k.alloc(B * Tq * d);
    const qh = this.k.alloc(Tq * dh);
    const kh = this.k.alloc(Tk * dh);
    const vh = this.k.alloc(Tk * dh);
    const scores = this.k.alloc(Tq * Tk);
    // Every head's probabilities are kept: the backward needs them.
    const allProbs = this.k.alloc(B * H * Tq * Tk);
    const out = this.k.alloc(Tq * dh);
    const scale = Math.fround(1 / Math.sqrt(dh));
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        gatherHead(q.data, qh.data, b * Tq, Tq, d, h * dh, dh);
        gatherHead(kk.data, kh.data, b * Tk, Tk, d, h * dh, dh);
        gatherHead(v.data, vh.data, b * Tk, Tk, d, h * dh, dh);
        this.k.matmul(qh, kh, scores, Tq, Tk, dh, { transB: true });
        const s = scores.data;
        for (let i = 0; i < Tq; i++) {
          for (let j = 0; j < Tk; j++) s[i * Tk + j] = mask[(b * Tq + i) * Tk + j] ? s[i * Tk + j]! * scale : -Infinity;
        }
        const probs = view(allProbs, (b * H + h) * Tq * Tk, Tq * Tk);
        this.k.softmax(scores, probs, Tq, Tk);
        this.k.matmul(probs, vh, out, Tq, dh, Tk);
        for (let i = 0; i < Tq; i++) ctx.data.set(out.data.subarray(i * dh, (i + 1) * dh), (b * Tq + i) * d + h * dh);
      }
    }
    this.record(() => {
      const dctx = this.grad(ctx);
      const [dq, dk, dv] = [this.grad(q), this.grad(kk), this.grad(v)];
      const dOut = this.k.alloc(Tq * dh);
      const dP = this.k.alloc(Tq * Tk);
      const dS = this.k.alloc(Tq * Tk);
      const dqh = this.k.alloc(Tq * dh);
      const dkh = this.k.alloc(Tk * dh);
      const dvh = this.k.alloc(Tk * dh);
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          gatherHead(q.data, qh.data, b * Tq, Tq, d, h * dh, dh);
          gatherHead(kk.data, kh.data, b * Tk, Tk, d, h * dh, dh);
          gatherHead(v.data, vh.data, b * Tk, Tk, d, h * dh, dh);
          gatherHead(dctx.data, dOut.data, b * Tq, Tq, d, h * dh, dh);
          const probs = view(allProbs, (b * H + h) * Tq * Tk, Tq * Tk);
          this.k.matmul(dOut, vh, dP, Tq, Tk, dh, { transB: true });
          // Masked keys have probability 0, so their score gradient is 0 too.
          this.k.softmaxBackward(probs, dP, dS, Tq, Tk);
          for (let i = 0; i < dS.length; i++) dS.data[i] = dS.data[i]! * scale;
          this.k.matmul(dS, kh, dqh, Tq, dh, Tk);
          this.k.matmul(dS, qh, dkh, Tk, dh, Tq, { transA: true });
          this.k.matmul(probs, dOut, dvh, Tk, dh, Tq, { transA: true });
          scatterHead(dqh.data, dq.data, b * Tq, Tq, d, h * dh, dh);
          scatterHead(dkh.data, dk.data, b * Tk, Tk, d, h * dh, dh);
          scatterHead(dvh.data, dv.data, b * Tk, Tk, d, h * dh, dh);
        }
      }
    });
    return this.linear(prefix, 'wo', 'bo', ctx, B * Tq, d, d);
  }

  /**
   * `x + f`, written into `f`: the block's output is only read by this add, so its buffer (and
   * its gradient, which equals the sum's) can be the sum's.
   */
  residual(x: F32Buffer, f: F32Buffer): F32Buffer {
    const X = x.data;
    const F = f.data;
    for (let i = 0; i < F.length; i++) F[i] = F[i]! + X[i]!;
    this.record(() => addInto(this.grad(x), this.grad(f)));
    return f;
  }
}

function need(weights: ReadonlyMap<string, F32Buffer>, name: string): F32Buffer {
  const w = weights.get(name);
  if (w === undefined) throw new RangeError(`cpu model: missing parameter ${name}`);
  return w;
}

function addBias(y: F32Buffer, b: F32Buffer, rows: number, cols: number): void {
  const Y = y.data;
  const Bv = b.data;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) Y[r * cols + c] = Y[r * cols + c]! + Bv[c]!;
}

/** Copies columns `[c0, c0+dh)` of rows `[r0, r0+T)` of a `[*, d]` matrix into a contiguous `[T, dh]`. */
function gatherHead(src: Float32Array, dst: Float32Array, r0: number, T: number, d: number, c0: number, dh: number): void {
  for (let t = 0; t < T; t++) dst.set(src.subarray((r0 + t) * d + c0, (r0 + t) * d + c0 + dh), t * dh);
}

/** `dst += src`, element-wise. */
function addInto(dst: F32Buffer, src: F32Buffer): void {
  const D = dst.data;
  const S = src.data;
  for (let i = 0; i < D.length; i++) D[i] = D[i]! + S[i]!;
}

/** Adds the column sums of `dy[rows, cols]` into `db[cols]`, rows in order (deterministic). */
function biasGrad(db: F32Buffer, dy: F32Buffer, rows: number, cols: number): void {
  const D = db.data;
  const Y = dy.data;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) D[c] = D[c]! + Y[r * cols + c]!;
}

/** Adds a contiguous `[T, dh]` head back into columns `[c0, c0+dh)` of rows `[r0, r0+T)`. */
function scatterHead(src: Float32Array, dst: Float32Array, r0: number, T: number, d: number, c0: number, dh: number): void {
  for (let t = 0; t < T; t++) for (let c = 0; c < dh; c++) dst[(r0 + t) * d + c0 + c] = dst[(r0 + t) * d + c0 + c]! + src[t * dh + c]!;
}

/** A sub-buffer of `length` elements starting at element `offset`. */
function view(b: F32Buffer, offset: number, length: number): F32Buffer {
  return { ptr: b.ptr + offset * 4, length, data: b.data.subarray(offset, offset + length) };
}
