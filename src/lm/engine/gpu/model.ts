// The model on the GPU backend: the shared forward and backward (src/lm/engine/tape.ts) on the
// WGSL kernels, in f32, with this backend's attention core (all heads of all items in one strided
// matmul per product, read in place from the [rows, d] projections) and gradient clipping and
// AdamW on the device. A training step records every kernel into the command encoder and reads
// back two numbers (loss and gradient norm); nothing else crosses to the host.

import type { Batch, ModelConfig, Params } from '../../reference/model.js';
import type { AdamWOptions } from '../../reference/train.js';
import { type AttentionCall, TapeModel } from '../tape.js';
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

/** A model whose weights, gradients and optimizer moments are GPU buffers. */
export class GpuModel extends TapeModel<GpuBuffer, GpuIds, GpuBuffer, GpuIds> {
  /** 1 for the elements of matrices, 0 for vectors, in the packed order: which weights decay. */
  private readonly decayMask: GpuBuffer;

  private constructor(
    /** The kernels this model runs on. */
    override readonly k: GpuKernels,
    config: ModelConfig,
    params: Params,
  ) {
    super(k, config, params);
    const mask = new Float32Array(this.packed.weights.length);
    let offset = 0;
    for (const [name, w] of this.weights) {
      if (this.shapes.get(name)!.length === 2) mask.fill(1, offset, offset + w.length);
      offset += w.length;
    }
    this.decayMask = k.f32(mask);
  }

  /** Copies reference parameters (rounded to f32) to the GPU. */
  static fromParams(kernels: GpuKernels, config: ModelConfig, params: Params): GpuModel {
    return new GpuModel(kernels, config, params);
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
    const mark = this.k.mark();
    let results: Promise<[Float32Array, Float32Array]>;
    try {
      const loss = this.lossAndGradients(batch);
      // Every parameter at once: the global norm, the clipping factor, then AdamW.
      const { weights, grads, m, v } = this.packed;
      const stats = this.k.zeros(3);
      this.k.sumSquares(grads, stats, 0);
      this.k.clipFactor(stats, 1, options.clip ?? 1);
      this.k.adamw(weights, grads, m, v, stats, 2, this.nextAdamWStep(lr, options)(true), this.decayMask);
      // The reads are recorded now; the step's buffers can go back before the GPU has run it, so
      // a caller may record the next step while this one runs.
      results = Promise.all([this.k.read(loss), this.k.read(stats)]);
    } finally {
      this.k.release(mark);
    }
    const [lossValue, statValues] = await results;
    return { loss: lossValue[0]!, gradNorm: statValues[1]! };
  }

  /** AdamW's step count and moments, copied out, for checkpoints. */
  async optimizerState(): Promise<{ step: number; m: Map<string, Float32Array>; v: Map<string, Float32Array> }> {
    return { step: this.steps, m: await this.unpack(this.packed.m), v: await this.unpack(this.packed.v) };
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
    return this.unpack(this.packed.weights);
  }

  /** One packed tensor read back in one go, cut into the parameters' parts by name. */
  private async unpack(packed: GpuBuffer): Promise<Map<string, Float32Array>> {
    const all = await this.k.read(packed);
    const out = new Map<string, Float32Array>();
    let offset = 0;
    for (const [name, w] of this.weights) {
      out.set(name, all.slice(offset, offset + w.length));
      offset += w.length;
    }
    return out;
  }

  /** The key lengths on the device: the mask kernel derives the rest (and causality) per score. */
  protected keyMask(_B: number, _Tq: number, _Tk: number, keyLengths: readonly number[]): GpuIds {
    return this.k.i32(keyLengths);
  }

  /**
   * Each product covers every item and head at once, reading the heads' columns of the [rows, d]
   * projections in place; masked scores become -1e30, which softmax turns into exact zeros.
   */
  protected attend(q: GpuBuffer, kk: GpuBuffer, v: GpuBuffer, call: AttentionCall<GpuIds>): GpuBuffer {
    const { dModel: d, nHeads: H } = this.config;
    const { B, Tq, Tk } = call;
    const dh = d / H;
    const alpha = Math.fround(1 / Math.sqrt(dh));
    const heads = { batches: B, heads: H };
    // Layouts: a head's [T, dh] slice of a [B·T, d] activation, and the [B][H][Tq][Tk] scores.
    const rowsOf = (T: number): Strides => ({ batch: T * d, head: dh, row: d, col: 1 });
    const colsOf = (T: number): Strides => ({ batch: T * d, head: dh, row: 1, col: d });
    const scoreRows: Strides = { batch: H * Tq * Tk, head: Tq * Tk, row: Tk, col: 1 };
    const scoreCols: Strides = { batch: H * Tq * Tk, head: Tq * Tk, row: 1, col: Tk };
    const scores = this.k.alloc(B * H * Tq * Tk);
    this.k.matmulStrided(q, kk, scores, { m: Tq, n: Tk, k: dh, ...heads, alpha, a: rowsOf(Tq), b: colsOf(Tk), c: scoreRows });
    this.k.attentionMask(scores, call.mask, B, H, Tq, Tk, call.causal);
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
    return ctx;
  }
}
