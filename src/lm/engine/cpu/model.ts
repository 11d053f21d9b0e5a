// The model on the CPU backend: the shared forward and backward (src/lm/engine/tape.ts) on the
// WebAssembly kernels, in f32, with this backend's attention core (each head's slice packed
// contiguous for the matmul kernel) and an AdamW step computed per element in float64 and stored
// as f32, as the reference computes it. Tests hold it to the reference. Weights, gradients and
// optimizer moments live in the kernels' shared memory for the model's lifetime; activations are
// taken from the arena per call and released at its end.

import { attentionMask } from '../../reference/ops.js';
import type { Batch, ModelConfig, Params } from '../../reference/model.js';
import { adamwUpdate, type AdamWOptions, clipGradNorm } from '../../reference/train.js';
import { type AttentionCall, TapeModel } from '../tape.js';
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
export class CpuModel extends TapeModel<F32Buffer, I32Buffer, number, Uint8Array> {
  private constructor(
    /** The kernels this model runs on (the incremental decoder allocates from them too). */
    override readonly k: CpuKernels,
    config: ModelConfig,
    params: Params,
  ) {
    super(k, config, params);
  }

  /** Copies reference parameters (rounded to f32) into the kernels' memory. */
  static fromParams(kernels: CpuKernels, config: ModelConfig, params: Params): CpuModel {
    return new CpuModel(kernels, config, params);
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
      const stepOf = this.nextAdamWStep(lr, options);
      for (const [name, w] of this.weights) {
        const { m, v } = this.moments.get(name)!;
        adamwUpdate(w.data, this.pgrad(name).data, m.data, v.data, stepOf(this.shapes.get(name)!.length === 2));
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

  /** The current weights, copied out by name (f32). */
  weightsByName(): Map<string, Float32Array> {
    return new Map([...this.weights].map(([n, w]) => [n, w.data.slice()]));
  }

  /** The reference's `[B][Tq][Tk]` 0/1 mask. */
  protected keyMask(B: number, Tq: number, Tk: number, keyLengths: readonly number[], causal: boolean): Uint8Array {
    return attentionMask(B, Tq, Tk, { keyLengths, causal });
  }

  /**
   * Each head's slice is packed contiguous so the matmul kernel can take it; masked scores
   * become -Infinity, which the softmax kernel turns into exact zeros (every query row keeps at
   * least one key).
   */
  protected attend(q: F32Buffer, kk: F32Buffer, v: F32Buffer, call: AttentionCall<Uint8Array>): F32Buffer {
    const { dModel: d, nHeads: H } = this.config;
    const { B, Tq, Tk, mask } = call;
    const dh = d / H;
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
    return ctx;
  }
}

/** Copies columns `[c0, c0+dh)` of rows `[r0, r0+T)` of a `[*, d]` matrix into a contiguous `[T, dh]`. */
function gatherHead(src: Float32Array, dst: Float32Array, r0: number, T: number, d: number, c0: number, dh: number): void {
  for (let t = 0; t < T; t++) dst.set(src.subarray((r0 + t) * d + c0, (r0 + t) * d + c0 + dh), t * dh);
}

/** Adds a contiguous `[T, dh]` head back into columns `[c0, c0+dh)` of rows `[r0, r0+T)`. */
function scatterHead(src: Float32Array, dst: Float32Array, r0: number, T: number, d: number, c0: number, dh: number): void {
  for (let t = 0; t < T; t++) for (let c = 0; c < dh; c++) dst[(r0 + t) * d + c0 + c] = dst[(r0 + t) * d + c0 + c]! + src[t * dh + c]!;
}

/** A sub-buffer of `length` elements starting at element `offset`. */
function view(b: F32Buffer, offset: number, length: number): F32Buffer {
  return { ptr: b.ptr + offset * 4, length, data: b.data.subarray(offset, offset + length) };
}
