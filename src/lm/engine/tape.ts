// The model's forward pass and its hand-written backward, written once over the kernel calls both
// backends provide (src/lm/engine/cpu/kernels.ts, src/lm/engine/gpu/kernels.ts): the same function
// as the float64 reference (src/lm/reference/model.ts), in f32. The backward is a tape: each
// forward op, when training, records a closure that reads its output's gradient and accumulates
// into its inputs' gradients; running the tape in reverse is the backward pass. Each backend's
// model (cpu/model.ts, gpu/model.ts) adds its attention core, its optimizer step and how results
// come back to the host.

import { type Batch, type ModelConfig, type Params, sinusoidalPositions, targetMask, validateConfig } from '../reference/model.js';
import type { AdamWOptions, AdamWStep } from '../reference/train.js';

/** A tensor of a backend: the model only needs its length. */
export interface Tensor32 {
  readonly length: number;
}

/**
 * The kernel calls the model makes. B is the backend's f32 tensor, I its i32 tensor, and L what
 * its cross-entropy returns (the loss itself, or a tensor holding it).
 */
export interface ModelKernels<B extends Tensor32, I, L> {
  alloc(length: number): B;
  zeros(length: number): B;
  fill0(b: B): void;
  /** Tensors of the given lengths in one allocation: `whole` spans the `parts`. */
  pack(lengths: readonly number[]): { whole: B; parts: B[] };
  write(b: B, values: ArrayLike<number>): void;
  f32(values: ArrayLike<number>): B;
  i32(values: ArrayLike<number>): I;
  matmul(a: B, b: B, c: B, m: number, n: number, k: number, options?: { readonly transA?: boolean; readonly transB?: boolean; readonly accumulate?: boolean }): void;
  layerNorm(x: B, gamma: B, beta: B, y: B, mean: B, rstd: B, rows: number, d: number): void;
  layerNormBackward(x: B, gamma: B, mean: B, rstd: B, dy: B, dx: B, dGamma: B, dBeta: B, rows: number, d: number): void;
  gelu(x: B, y: B): void;
  geluBackward(x: B, dy: B, dx: B): void;
  embedding(table: B, ids: I, out: B, rows: number, d: number): void;
  embeddingBackward(dOut: B, ids: I, dTable: B, rows: number, d: number): void;
  crossEntropy(logits: B, targets: I, rows: number, v: number, options: { readonly mask?: B; readonly grad?: B }): L;
  addBias(y: B, bias: B, rows: number, cols: number): void;
  columnSums(x: B, sums: B, rows: number, cols: number): void;
  addInto(dst: B, src: B): void;
  scale(x: B, y: B, alpha: number): void;
  addPositions(x: B, positions: B, rows: number, d: number, T: number, t0: number, s: number): void;
  positionGrad(dx: B, dPositions: B, rows: number, d: number, T: number): void;
}

/**
 * One attention site of a pass: B items of Tq queries over Tk keys, and which keys each query
 * sees, in the backend's form M (made once per site, shared by its layers).
 */
export interface AttentionCall<M> {
  readonly B: number;
  readonly Tq: number;
  readonly Tk: number;
  /** Query i sees keys 0..i only. */
  readonly causal: boolean;
  readonly mask: M;
}

/** The model over one backend's kernels; weights, gradients and optimizer moments live there. */
export abstract class TapeModel<B extends Tensor32, I, L, M> {
  /** Recorded backward closures while a training pass runs; undefined for inference. */
  protected tape: (() => void)[] | undefined;
  /** Gradient of each activation during a training pass. */
  private readonly actGrads = new Map<B, B>();
  protected readonly weights = new Map<string, B>();
  protected readonly paramGrads = new Map<string, B>();
  /** Each parameter's shape (AdamW decays the matrices only, as the reference does). */
  protected readonly shapes = new Map<string, number[]>();
  protected readonly moments = new Map<string, { readonly m: B; readonly v: B }>();
  protected steps = 0;
  /**
   * Weights, gradients and moments each packed in one tensor, parameters in the same order: an
   * optimizer (or zeroing the gradients) can touch them all at once.
   */
  protected readonly packed: { readonly weights: B; readonly grads: B; readonly m: B; readonly v: B };
  private readonly positions: { readonly enc: B; readonly dec: B };

  /** Copies reference parameters (rounded to f32) to the backend, with zero gradients and moments. */
  protected constructor(
    /** The kernels this model runs on (the incremental decoder allocates from them too). */
    readonly k: ModelKernels<B, I, L>,
    readonly config: ModelConfig,
    params: Params,
  ) {
    validateConfig(config);
    const names = [...params.keys()];
    const lengths = names.map((name) => params.get(name)!.data.length);
    const [w, g, m, v] = [k.pack(lengths), k.pack(lengths), k.pack(lengths), k.pack(lengths)];
    names.forEach((name, i) => {
      const t = params.get(name)!;
      k.write(w.parts[i]!, t.data);
      this.weights.set(name, w.parts[i]!);
      this.paramGrads.set(name, g.parts[i]!);
      this.moments.set(name, { m: m.parts[i]!, v: v.parts[i]! });
      this.shapes.set(name, [...t.shape]);
    });
    for (const zero of [g.whole, m.whole, v.whole]) k.fill0(zero);
    this.packed = { weights: w.whole, grads: g.whole, m: m.whole, v: v.whole };
    const sinusoid = config.positions === 'learned' ? undefined : k.f32(sinusoidalPositions(config.maxLen, config.dModel).data);
    this.positions = { enc: sinusoid ?? this.weight('enc.pos'), dec: sinusoid ?? this.weight('dec.pos') };
  }

  /**
   * The attention core of one backend: softmax(q·kᵀ/√dh, masked)·v for every item and head of
   * the `[rows, d]` projections, recording its backward. Returns the context `[B·Tq, d]`.
   */
  protected abstract attend(q: B, k: B, v: B, call: AttentionCall<M>): B;

  /** Which keys each query sees, in this backend's form: keys past `keyLengths[b]` are padding. */
  protected abstract keyMask(B: number, Tq: number, Tk: number, keyLengths: readonly number[], causal: boolean): M;

  private attentionCall(B: number, Tq: number, Tk: number, keyLengths: readonly number[], causal: boolean): AttentionCall<M> {
    return { B, Tq, Tk, causal, mask: this.keyMask(B, Tq, Tk, keyLengths, causal) };
  }

  /** A weight tensor by parameter name. */
  weight(name: string): B {
    const w = this.weights.get(name);
    if (w === undefined) throw new RangeError(`model: missing parameter ${name}`);
    return w;
  }

  /** The position table of one side (learned weights or the sinusoidal table). */
  positionTable(side: 'enc' | 'dec'): B {
    return this.positions[side];
  }

  /**
   * Counts one more AdamW step and gives the update constants of a matrix or a vector parameter:
   * the reference's defaults and bias corrections, with weight decay on matrices only, as the
   * reference does.
   */
  protected nextAdamWStep(lr: number, options: AdamWOptions): (isMatrix: boolean) => AdamWStep {
    this.steps++;
    const b1 = options.beta1 ?? 0.9;
    const b2 = options.beta2 ?? 0.999;
    const wd = options.weightDecay ?? 0.01;
    const common = { b1, b2, eps: options.eps ?? 1e-8, lr, c1: 1 - Math.pow(b1, this.steps), c2: 1 - Math.pow(b2, this.steps) };
    return (isMatrix) => ({ ...common, decay: wd > 0 && isMatrix ? 1 - lr * wd : 1 });
  }

  /** Runs forward and backward on a batch, leaving every parameter's gradient in `paramGrads`. */
  protected lossAndGradients(batch: Batch): L {
    this.k.fill0(this.packed.grads);
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

  /** The forward computation of a batch; with `train`, the cross-entropy gradient seeds the tape. */
  protected pass(batch: Batch, train: boolean): { loss: L; logits: B } {
    const { size: B, tgtLen: T } = batch;
    const { maxLen, vocab: V, dModel: d } = this.config;
    if (batch.srcLen > maxLen || T > maxLen) throw new RangeError(`forward: length ${Math.max(batch.srcLen, T)} exceeds maxLen ${maxLen}`);
    const enc = this.encode(batch);
    const y = this.decodeHidden(batch, enc);
    const rows = B * T;
    const logits = this.logits(y, rows);
    const mask = this.k.f32(targetMask(batch));
    const targets = this.k.i32(batch.tgtOut);
    if (!train) return { loss: this.k.crossEntropy(logits, targets, rows, V, { mask }), logits };
    const dLogits = this.k.alloc(rows * V);
    const loss = this.k.crossEntropy(logits, targets, rows, V, { mask, grad: dLogits });
    const embedW = this.weight('embed');
    this.record(() => {
      this.k.columnSums(dLogits, this.pgrad('out.b'), rows, V);
      const dy = this.grad(y);
      if (this.config.tiedEmbeddings) {
        this.k.matmul(dLogits, embedW, dy, rows, d, V, { accumulate: true });
        this.k.matmul(dLogits, y, this.pgrad('embed'), V, d, rows, { transA: true, accumulate: true });
      } else {
        const w = this.weight('out.w');
        this.k.matmul(y, dLogits, this.pgrad('out.w'), d, V, rows, { transA: true, accumulate: true });
        this.k.matmul(dLogits, w, dy, rows, d, V, { transB: true, accumulate: true });
      }
    });
    return { loss, logits };
  }

  // ---- tape helpers ---------------------------------------------------------------------------

  protected record(backward: () => void): void {
    this.tape?.push(backward);
  }

  /** The gradient of an activation (zeroed when first asked for). */
  protected grad(x: B): B {
    let g = this.actGrads.get(x);
    if (g === undefined) {
      g = this.k.zeros(x.length);
      this.actGrads.set(x, g);
    }
    return g;
  }

  protected pgrad(name: string): B {
    const g = this.paramGrads.get(name);
    if (g === undefined) throw new RangeError(`model: missing parameter ${name}`);
    return g;
  }

  // ---- the two stacks -------------------------------------------------------------------------

  /** The encoder's output `[B·S, d]` for a batch's sources (only `src`, `srcLengths`, `size`, `srcLen` are read). */
  encode(batch: Pick<Batch, 'src' | 'srcLengths' | 'size' | 'srcLen'>): B {
    const { size: B, srcLen: S } = batch;
    const call = this.attentionCall(B, S, S, batch.srcLengths, false);
    let x = this.embed(this.k.i32(batch.src), B * S, S, 'enc');
    for (let l = 0; l < this.config.encoderLayers; l++) {
      const p = `enc.${l}`;
      const n1 = this.norm(`${p}.ln1`, x, B * S);
      x = this.residual(x, this.attention(`${p}.attn`, n1, n1, call));
      const n2 = this.norm(`${p}.ln2`, x, B * S);
      x = this.residual(x, this.ffn(`${p}.ffn`, n2, B * S));
    }
    return this.norm('enc.ln', x, B * S);
  }

  private decodeHidden(batch: Batch, enc: B): B {
    const { size: B, srcLen: S, tgtLen: T } = batch;
    const self = this.attentionCall(B, T, T, batch.tgtLengths, true);
    const cross = this.attentionCall(B, T, S, batch.srcLengths, false);
    let y = this.embed(this.k.i32(batch.tgtIn), B * T, T, 'dec');
    for (let l = 0; l < this.config.decoderLayers; l++) {
      const p = `dec.${l}`;
      const n1 = this.norm(`${p}.ln1`, y, B * T);
      y = this.residual(y, this.attention(`${p}.self`, n1, n1, self));
      const n2 = this.norm(`${p}.ln2`, y, B * T);
      y = this.residual(y, this.attention(`${p}.cross`, n2, enc, cross));
      const n3 = this.norm(`${p}.ln3`, y, B * T);
      y = this.residual(y, this.ffn(`${p}.ffn`, n3, B * T));
    }
    return this.norm('dec.ln', y, B * T);
  }

  // ---- blocks ---------------------------------------------------------------------------------

  /** The output layer: logits `[rows, V]` of final hidden states (tied: `y·embedᵀ`, else `y·W_out`), plus the bias. */
  logits(y: B, rows: number): B {
    const { vocab: V, dModel: d } = this.config;
    const logits = this.k.alloc(rows * V);
    if (this.config.tiedEmbeddings) this.k.matmul(y, this.weight('embed'), logits, rows, V, d, { transB: true });
    else this.k.matmul(y, this.weight('out.w'), logits, rows, V, d);
    this.k.addBias(logits, this.weight('out.b'), rows, V);
    return logits;
  }

  /** `embed[id]·√d + position[t0 + r mod T]` for the ids of `rows` tokens. */
  embed(ids: I, rows: number, T: number, side: 'enc' | 'dec', t0 = 0): B {
    const d = this.config.dModel;
    const x = this.k.alloc(rows * d);
    this.k.embedding(this.weight('embed'), ids, x, rows, d);
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
  norm(prefix: string, x: B, rows: number): B {
    const d = this.config.dModel;
    const y = this.k.alloc(rows * d);
    const mean = this.k.alloc(rows);
    const rstd = this.k.alloc(rows);
    const gamma = this.weight(`${prefix}.g`);
    this.k.layerNorm(x, gamma, this.weight(`${prefix}.b`), y, mean, rstd, rows, d);
    this.record(() => {
      const dx = this.k.alloc(rows * d);
      this.k.layerNormBackward(x, gamma, mean, rstd, this.grad(y), dx, this.pgrad(`${prefix}.g`), this.pgrad(`${prefix}.b`), rows, d);
      this.k.addInto(this.grad(x), dx);
    });
    return y;
  }

  /** `x·W + b` for `x[rows, in]`, `W[in, out]`. */
  linear(prefix: string, w: string, b: string, x: B, rows: number, inDim: number, outDim: number): B {
    const y = this.k.alloc(rows * outDim);
    const W = this.weight(`${prefix}.${w}`);
    this.k.matmul(x, W, y, rows, outDim, inDim);
    this.k.addBias(y, this.weight(`${prefix}.${b}`), rows, outDim);
    this.record(() => {
      const dy = this.grad(y);
      this.k.matmul(x, dy, this.pgrad(`${prefix}.${w}`), inDim, outDim, rows, { transA: true, accumulate: true });
      this.k.columnSums(dy, this.pgrad(`${prefix}.${b}`), rows, outDim);
      this.k.matmul(dy, W, this.grad(x), rows, inDim, outDim, { transB: true, accumulate: true });
    });
    return y;
  }

  /** The feed-forward block under `prefix`. */
  ffn(prefix: string, x: B, rows: number): B {
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

  /** Multi-head attention with its projections: the backend's core between them. */
  private attention(prefix: string, xq: B, xkv: B, call: AttentionCall<M>): B {
    const d = this.config.dModel;
    const q = this.linear(prefix, 'wq', 'bq', xq, call.B * call.Tq, d, d);
    const k = this.linear(prefix, 'wk', 'bk', xkv, call.B * call.Tk, d, d);
    const v = this.linear(prefix, 'wv', 'bv', xkv, call.B * call.Tk, d, d);
    return this.linear(prefix, 'wo', 'bo', this.attend(q, k, v, call), call.B * call.Tq, d, d);
  }

  /**
   * `x + f`, written into `f`: the block's output is only read by this add, so its tensor (and
   * its gradient, which equals the sum's) can be the sum's.
   */
  residual(x: B, f: B): B {
    this.k.addInto(f, x);
    this.record(() => this.k.addInto(this.grad(x), this.grad(f)));
    return f;
  }
}
