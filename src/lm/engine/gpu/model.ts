// The model on the GPU backend: the same function as the float64 reference
// (src/lm/reference/model.ts) and the CPU backend's model, in f32, with every op a WGSL kernel:
// forward, a hand-written backward (a tape of closures, as on the CPU), gradient clipping and
// AdamW. Multi-head attention runs all heads of all items in one strided matmul per product, read
// in place from the [rows, d] projections. A training step records every kernel into one
// submission and reads back two numbers (loss and gradient norm); nothing else crosses to the host.

import { type Batch, type ModelConfig, type Params, sinusoidalPositions, targetMask, validateConfig } from '../../reference/model.js';
import type { AdamWOptions } from '../../reference/train.js';
import type { GpuBuffer, GpuIds, GpuKernels, Strides } from './kernels.js';

/** Result of {@link GpuModel.forward}: the masked mean loss and the logits `[B·T, V]`. */
export interface GpuForward {
  readonly loss: number;
  readonly logits: Float32Array;
}

/** Result of {@link GpuModel.trainStep}. */
export interface GpuStep {
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
}

/** Where a multi-head attention's operands lie: item count, query and key lengths. */
interface AttentionShape {
  readonly B: number;
  readonly Tq: number;
  readonly Tk: number;
}

/** A model whose weights, gradients and optimizer moments are GPU buffers. */
export class GpuModel {
  private tape: (() => void)[] | undefined;
  /** Gradient of each activation during a training pass, keyed by its buffer. */
  private readonly actGrads = new Map<GPUBuffer, GpuBuffer>();
  private readonly paramGrads = new Map<string, GpuBuffer>();
  private readonly shapes = new Map<string, number[]>();
  private readonly moments = new Map<string, { readonly m: GpuBuffer; readonly v: GpuBuffer }>();
  private steps = 0;

  private constructor(
    /** The kernels this model runs on. */
    readonly k: GpuKernels,
    readonly config: ModelConfig,
    private readonly weights: ReadonlyMap<string, GpuBuffer>,
    private readonly positions: { readonly enc: GpuBuffer; readonly dec: GpuBuffer },
  ) {}

  /** Copies reference parameters (rounded to f32) to the GPU. */
  static fromParams(kernels: GpuKernels, config: ModelConfig, params: Params): GpuModel {
    validateConfig(config);
    const weights = new Map<string, GpuBuffer>();
    for (const [name, t] of params) weights.set(name, kernels.f32(t.data));
    const sinusoid = config.positions === 'learned' ? undefined : kernels.f32(sinusoidalPositions(config.maxLen, config.dModel).data);
    const table = (side: 'enc' | 'dec'): GpuBuffer => sinusoid ?? need(weights, `${side}.pos`);
    const model = new GpuModel(kernels, config, weights, { enc: table('enc'), dec: table('dec') });
    for (const [name, t] of params) {
      model.shapes.set(name, [...t.shape]);
      model.paramGrads.set(name, kernels.zeros(t.data.length));
      model.moments.set(name, { m: kernels.zeros(t.data.length), v: kernels.zeros(t.data.length) });
    }
    return model;
  }

  /** Loss and logits of a padded batch, exactly as the reference's `forward` defines them. */
  async forward(batch: Batch): Promise<GpuForward> {
    const mark = this.k.mark();
    try {
      const { loss, logits } = this.pass(batch, false);
      const [lossValue, logitValues] = await Promise.all([this.k.read(loss), this.k.read(logits)]);
      return { loss: lossValue[0]!, logits: logitValues };
    } finally {
      this.k.release(mark);
    }
  }

  /** Gradients of the batch's loss for every parameter, copied out by name, with the loss. */
  async gradients(batch: Batch): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
    const mark = this.k.mark();
    try {
      const loss = this.lossAndGradients(batch);
      const names = [...this.paramGrads.keys()];
      const values = await Promise.all(names.map((n) => this.k.read(this.paramGrads.get(n)!)));
      return { loss: (await this.k.read(loss))[0]!, grads: new Map(names.map((n, i) => [n, values[i]!])) };
    } finally {
      this.k.release(mark);
    }
  }

  /**
   * One training step: forward, backward, global-norm clipping to `clip`, and an AdamW update
   * with learning rate `lr` (the reference's formula, in f32 on the GPU). Everything is recorded
   * before the returned promise is first awaited, so the next step may be started before this one
   * resolves (it then runs after it on the GPU).
   */
  async trainStep(batch: Batch, lr: number, options: AdamWOptions & { readonly clip?: number } = {}): Promise<GpuStep> {
    const names = [...this.weights.keys()];
    const mark = this.k.mark();
    let results: Promise<[Float32Array, Float32Array]>;
    try {
      const loss = this.lossAndGradients(batch);
      const stats = this.k.zeros(names.length + 2);
      names.forEach((name, i) => this.k.sumSquares(this.pgrad(name), stats, i));
      this.k.clipFactor(stats, names.length, options.clip ?? 1);
      this.steps++;
      const b1 = options.beta1 ?? 0.9;
      const b2 = options.beta2 ?? 0.999;
      const wd = options.weightDecay ?? 0.01;
      const common = { b1, b2, eps: options.eps ?? 1e-8, lr, c1: 1 - Math.pow(b1, this.steps), c2: 1 - Math.pow(b2, this.steps) };
      for (const name of names) {
        const { m, v } = this.moments.get(name)!;
        // As the reference: weight decay on matrices only.
        const decay = wd > 0 && this.shapes.get(name)!.length === 2 ? 1 - lr * wd : 1;
        this.k.adamw(need(this.weights, name), this.pgrad(name), m, v, stats, names.length + 1, { ...common, decay });
      }
      // The reads are recorded now; the step's buffers can go back before the GPU has run it, so
      // a caller may record the next step while this one runs.
      results = Promise.all([this.k.read(loss), this.k.read(stats)]);
    } finally {
      this.k.release(mark);
    }
    const [lossValue, statValues] = await results;
    return { loss: lossValue[0]!, gradNorm: statValues[names.length]! };
  }

  /** AdamW's step count and moments, copied out, for checkpoints. */
  async optimizerState(): Promise<{ step: number; m: Map<string, Float32Array>; v: Map<string, Float32Array> }> {
    const m = new Map<string, Float32Array>();
    const v = new Map<string, Float32Array>();
    for (const [name, mv] of this.moments) {
      m.set(name, await this.k.read(mv.m));
      v.set(name, await this.k.read(mv.v));
    }
    return { step: this.steps, m, v };
  }

  /** Restores AdamW's step count and moments (rounded to f32; a moment not given stays zero). */
  loadOptimizerState(step: number, m: ReadonlyMap<string, { readonly data: ArrayLike<number> }>, v: ReadonlyMap<string, { readonly data: ArrayLike<number> }>): void {
    this.steps = step;
    for (const [name, mv] of this.moments) {
      this.k.write(mv.m, m.get(name)?.data ?? new Float32Array(mv.m.length));
      this.k.write(mv.v, v.get(name)?.data ?? new Float32Array(mv.v.length));
    }
  }

  /** The current weights, copied out by name (f32). */
  async weightsByName(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const [name, w] of this.weights) out.set(name, await this.k.read(w));
    return out;
  }

  /** A weight buffer by parameter name. */
  weight(name: string): GpuBuffer {
    return need(this.weights, name);
  }

  /** The position table of one side (learned weights or the sinusoidal table). */
  positionTable(side: 'enc' | 'dec'): GpuBuffer {
    return this.positions[side];
  }

  private lossAndGradients(batch: Batch): GpuBuffer {
    for (const g of this.paramGrads.values()) this.k.fill0(g);
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
  private pass(batch: Batch, train: boolean): { loss: GpuBuffer; logits: GpuBuffer } {
    const { size: B, srcLen: S, tgtLen: T } = batch;
    const { maxLen, vocab: V, dModel: d } = this.config;
    if (S > maxLen || T > maxLen) throw new RangeError(`forward: length ${Math.max(S, T)} exceeds maxLen ${maxLen}`);
    const srcLengths = this.k.i32(batch.srcLengths);
    const enc = this.encode(batch, srcLengths);
    const y = this.decodeHidden(batch, enc, srcLengths);
    const rows = B * T;
    const logits = this.logits(y, rows);
    const mask = this.k.f32(targetMask(batch));
    const targets = this.k.i32(batch.tgtOut);
    if (!train) return { loss: this.k.crossEntropy(logits, targets, rows, V, { mask }), logits };
    const dLogits = this.k.alloc(rows * V);
    const loss = this.k.crossEntropy(logits, targets, rows, V, { mask, grad: dLogits });
    const embedW = need(this.weights, 'embed');
    this.record(() => {
      this.k.columnSums(dLogits, this.pgrad('out.b'), rows, V);
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
  private grad(x: GpuBuffer): GpuBuffer {
    let g = this.actGrads.get(x.buffer);
    if (g === undefined) {
      g = this.k.zeros(x.length);
      this.actGrads.set(x.buffer, g);
    }
    return g;
  }

  private pgrad(name: string): GpuBuffer {
    return need(this.paramGrads, name);
  }

  // ---- the two stacks -------------------------------------------------------------------------

  /** The encoder's output `[B·S, d]` for a batch's sources. */
  encode(batch: Pick<Batch, 'src' | 'size' | 'srcLen'>, srcLengths: GpuIds): GpuBuffer {
    const { size: B, srcLen: S } = batch;
    const shape = { B, Tq: S, Tk: S };
    let x = this.embed(this.k.i32(batch.src), B * S, S, 'enc');
    for (let l = 0; l < this.config.encoderLayers; l++) {
      const p = `enc.${l}`;
      const n1 = this.norm(`${p}.ln1`, x, B * S);
      x = this.residual(x, this.attention(`${p}.attn`, n1, n1, shape, srcLengths, false));
      const n2 = this.norm(`${p}.ln2`, x, B * S);
      x = this.residual(x, this.ffn(`${p}.ffn`, n2, B * S));
    }
    return this.norm('enc.ln', x, B * S);
  }

  private decodeHidden(batch: Batch, enc: GpuBuffer, srcLengths: GpuIds): GpuBuffer {
    const { size: B, srcLen: S, tgtLen: T } = batch;
    const tgtLengths = this.k.i32(batch.tgtLengths);
    let y = this.embed(this.k.i32(batch.tgtIn), B * T, T, 'dec');
    for (let l = 0; l < this.config.decoderLayers; l++) {
      const p = `dec.${l}`;
      const n1 = this.norm(`${p}.ln1`, y, B * T);
      y = this.residual(y, this.attention(`${p}.self`, n1, n1, { B, Tq: T, Tk: T }, tgtLengths, true));
      const n2 = this.norm(`${p}.ln2`, y, B * T);
      y = this.residual(y, this.attention(`${p}.cross`, n2, enc, { B, Tq: T, Tk: S }, srcLengths, false));
      const n3 = this.norm(`${p}.ln3`, y, B * T);
      y = this.residual(y, this.ffn(`${p}.ffn`, n3, B * T));
    }
    return this.norm('dec.ln', y, B * T);
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /** The output layer: logits `[rows, V]` of final hidden states (tied: `y·embedᵀ`, else `y·W_out`), plus the bias. */
  logits(y: GpuBuffer, rows: number): GpuBuffer {
    const { vocab: V, dModel: d } = this.config;
    const logits = this.k.alloc(rows * V);
    if (this.config.tiedEmbeddings) this.k.matmul(y, need(this.weights, 'embed'), logits, rows, V, d, { transB: true });
    else this.k.matmul(y, need(this.weights, 'out.w'), logits, rows, V, d);
    this.k.addBias(logits, need(this.weights, 'out.b'), rows, V);
    return logits;
  }

  /** `embed[id]·√d + position[t0 + r mod T]` for the ids of `rows` tokens. */
  embed(ids: GpuIds, rows: number, T: number, side: 'enc' | 'dec', t0 = 0): GpuBuffer {
    const d = this.config.dModel;
    const x = this.k.alloc(rows * d);
    this.k.embedding(need(this.weights, 'embed'), ids, x, rows, d);
    const scale = Math.fround(Math.sqrt(d));
    this.k.addPositions(x, this.positions[side], rows, d, T, t0, scale);
    this.record(() => {
      const dx = this.grad(x);
      const scaled = this.k.alloc(rows * d);
      this.k.scale(dx, scaled, scale);
      this.k.embeddingBackward(scaled, ids, this.pgrad('embed'), rows, d);
      if (this.config.positions === 'learned') this.k.positionGrad(dx, this.pgrad(`${side}.pos`), rows, d, T);
    });
    return x;
  }

  /** LayerNorm of `rows` rows with the parameters under `prefix`. */
  norm(prefix: string, x: GpuBuffer, rows: number): GpuBuffer {
    const d = this.config.dModel;
    const y = this.k.alloc(rows * d);
    const mean = this.k.alloc(rows);
    const rstd = this.k.alloc(rows);
    const gamma = need(this.weights, `${prefix}.g`);
    this.k.layerNorm(x, gamma, need(this.weights, `${prefix}.b`), y, mean, rstd, rows, d);
    this.record(() => {
      const dx = this.k.alloc(rows * d);
      this.k.layerNormBackward(x, gamma, mean, rstd, this.grad(y), dx, this.pgrad(`${prefix}.g`), this.pgrad(`${prefix}.b`), rows, d);
      this.k.addInto(this.grad(x), dx);
    });
    return y;
  }

  /** `x·W + b` for `x[rows, in]`, `W[in, out]`. */
  linear(prefix: string, w: string, b: string, x: GpuBuffer, rows: number, inDim: number, outDim: number): GpuBuffer {
    const y = this.k.alloc(rows * outDim);
    const W = need(this.weights, `${prefix}.${w}`);
    this.k.matmul(x, W, y, rows, outDim, inDim);
    this.k.addBias(y, need(this.weights, `${prefix}.${b}`), rows, outDim);
    this.record(() => {
      const dy = this.grad(y);
      this.k.matmul(x, dy, this.pgrad(`${prefix}.${w}`), inDim, outDim, rows, { transA: true, accumulate: true });
      this.k.columnSums(dy, this.pgrad(`${prefix}.${b}`), rows, outDim);
      this.k.matmul(dy, W, this.grad(x), rows, inDim, outDim, { transB: true, accumulate: true });
    });
    return y;
  }

  /** The feed-forward block under `prefix`. */
  ffn(prefix: string, x: GpuBuffer, rows: number): GpuBuffer {
    const { dModel: d, dFF } = this.config;
    const h = this.linear(prefix, 'w1', 'b1', x, rows, d, dFF);
    const g = this.k.alloc(rows * dFF);
    this.k.gelu(h, g);
    this.record(() => {
      const dh = this.k.alloc(rows * dFF);
      this.k.geluBackward(h, this.grad(g), dh);
      this.k.addInto(this.grad(h), dh);
    });
    return this.linear(prefix, 'w2', 'b2', g, rows, dFF, d);
  }

  /**
   * Multi-head attention with projections. Each product covers every item and head at once,
   * reading the heads' columns of the [rows, d] projections in place; masked scores become -1e30,
   * which softmax turns into exact zeros.
   */
  private attention(prefix: string, xq: GpuBuffer, xkv: GpuBuffer, shape: AttentionShape, keyLengths: GpuIds, causal: boolean): GpuBuffer {
    const { dModel: d, nHeads: H } = this.config;
    const { B, Tq, Tk } = shape;
    const dh = d / H;
    const q = this.linear(prefix, 'wq', 'bq', xq, B * Tq, d, d);
    const kk = this.linear(prefix, 'wk', 'bk', xkv, B * Tk, d, d);
    const v = this.linear(prefix, 'wv', 'bv', xkv, B * Tk, d, d);
    const alpha = Math.fround(1 / Math.sqrt(dh));
    const heads = { batches: B, heads: H };
    // Layouts: a head's [T, dh] slice of a [B·T, d] activation, and the [B][H][Tq][Tk] scores.
    const rowsOf = (T: number): Strides => ({ batch: T * d, head: dh, row: d, col: 1 });
    const colsOf = (T: number): Strides => ({ batch: T * d, head: dh, row: 1, col: d });
    const scoreRows: Strides = { batch: H * Tq * Tk, head: Tq * Tk, row: Tk, col: 1 };
    const scoreCols: Strides = { batch: H * Tq * Tk, head: Tq * Tk, row: 1, col: Tk };
    const scores = this.k.alloc(B * H * Tq * Tk);
    this.k.matmulStrided(q, kk, scores, { m: Tq, n: Tk, k: dh, ...heads, alpha, a: rowsOf(Tq), b: colsOf(Tk), c: scoreRows });
    this.k.attentionMask(scores, keyLengths, B, H, Tq, Tk, causal);
    const probs = this.k.alloc(B * H * Tq * Tk);
    this.k.softmax(scores, probs, B * H * Tq, Tk);
    const ctx = this.k.alloc(B * Tq * d);
    this.k.matmulStrided(probs, v, ctx, { m: Tq, n: dh, k: Tk, ...heads, a: scoreRows, b: rowsOf(Tk), c: rowsOf(Tq) });
    this.record(() => {
      const dctx = this.grad(ctx);
      const dP = this.k.alloc(B * H * Tq * Tk);
      this.k.matmulStrided(dctx, v, dP, { m: Tq, n: Tk, k: dh, ...heads, a: rowsOf(Tq), b: colsOf(Tk), c: scoreRows });
      // Masked keys have probability 0, so their score gradient is 0 too.
      const dS = this.k.alloc(B * H * Tq * Tk);
      this.k.softmaxBackward(probs, dP, dS, B * H * Tq, Tk);
      const acc = { accumulate: true, ...heads };
      this.k.matmulStrided(dS, kk, this.grad(q), { m: Tq, n: dh, k: Tk, ...acc, alpha, a: scoreRows, b: rowsOf(Tk), c: rowsOf(Tq) });
      this.k.matmulStrided(dS, q, this.grad(kk), { m: Tk, n: dh, k: Tq, ...acc, alpha, a: scoreCols, b: rowsOf(Tq), c: rowsOf(Tk) });
      this.k.matmulStrided(probs, dctx, this.grad(v), { m: Tk, n: dh, k: Tq, ...acc, a: scoreCols, b: rowsOf(Tq), c: rowsOf(Tk) });
    });
    return this.linear(prefix, 'wo', 'bo', ctx, B * Tq, d, d);
  }

  /** `x + f`, written into `f` (its gradient equals the sum's, as on the CPU backend). */
  residual(x: GpuBuffer, f: GpuBuffer): GpuBuffer {
    this.k.addInto(f, x);
    this.record(() => this.k.addInto(this.grad(x), this.grad(f)));
    return f;
  }
}

function need(weights: ReadonlyMap<string, GpuBuffer>, name: string): GpuBuffer {
  const w = weights.get(name);
  if (w === undefined) throw new RangeError(`gpu model: missing parameter ${name}`);
  return w;
}
