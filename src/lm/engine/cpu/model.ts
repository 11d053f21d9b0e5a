// The model's teacher-forced forward pass on the CPU backend: the same function as the float64
// reference (src/lm/reference/model.ts), in f32, with every matmul, softmax, layernorm, GELU,
// embedding and cross-entropy run by the WebAssembly kernels. Tests hold it to the reference.
// Weights live in the kernels' shared memory for the model's lifetime; activations are taken
// from the arena per call and released at its end.

import { attentionMask } from '../../reference/ops.js';
import { type Batch, type ModelConfig, type Params, sinusoidalPositions, targetMask, validateConfig } from '../../reference/model.js';
import type { CpuKernels, F32Buffer } from './kernels.js';

/** Result of {@link CpuModel.forward}: the masked mean loss and the logits `[B·T, V]`. */
export interface CpuForward {
  readonly loss: number;
  readonly logits: Float32Array;
}

/** A model whose weights are f32 buffers in the CPU kernels' memory. */
export class CpuModel {
  private constructor(
    private readonly k: CpuKernels,
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
    return new CpuModel(kernels, config, weights, { enc, dec: config.positions === 'learned' ? table('dec') : enc });
  }

  /** Loss and logits of a padded batch, exactly as the reference's `forward` defines them. */
  forward(batch: Batch): CpuForward {
    const mark = this.k.mark();
    try {
      const { size: B, srcLen: S, tgtLen: T } = batch;
      const { maxLen } = this.config;
      if (S > maxLen || T > maxLen) throw new RangeError(`forward: length ${Math.max(S, T)} exceeds maxLen ${maxLen}`);
      const enc = this.encode(batch);
      const y = this.decodeHidden(batch, enc);
      const V = this.config.vocab;
      const rows = B * T;
      const logits = this.k.alloc(rows * V);
      if (this.config.tiedEmbeddings) this.k.matmul(y, need(this.weights, 'embed'), logits, rows, V, this.config.dModel, { transB: true });
      else this.k.matmul(y, need(this.weights, 'out.w'), logits, rows, V, this.config.dModel);
      addBias(logits, need(this.weights, 'out.b'), rows, V);
      const mask = this.k.f32(targetMask(batch));
      const loss = this.k.crossEntropy(logits, this.k.i32(batch.tgtOut), rows, V, { mask });
      return { loss, logits: logits.data.slice() };
    } finally {
      this.k.release(mark);
    }
  }

  // ---- the two stacks -------------------------------------------------------------------------

  private encode(batch: Batch): F32Buffer {
    const { size: B, srcLen: S } = batch;
    const mask = attentionMask(B, S, S, { keyLengths: batch.srcLengths });
    let x = this.embed(batch.src, B * S, S, this.positions.enc);
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
    let y = this.embed(batch.tgtIn, B * T, T, this.positions.dec);
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
  private embed(ids: Int32Array, rows: number, T: number, pos: F32Buffer): F32Buffer {
    const d = this.config.dModel;
    const x = this.k.alloc(rows * d);
    this.k.embedding(need(this.weights, 'embed'), this.k.i32(ids), x, rows, d);
    const scale = Math.fround(Math.sqrt(d));
    const X = x.data;
    const P = pos.data;
    for (let r = 0; r < rows; r++) {
      const t = r % T;
      for (let j = 0; j < d; j++) X[r * d + j] = X[r * d + j]! * scale + P[t * d + j]!;
    }
    return x;
  }

  private norm(prefix: string, x: F32Buffer, rows: number): F32Buffer {
    const d = this.config.dModel;
    const y = this.k.alloc(rows * d);
    this.k.layerNorm(x, need(this.weights, `${prefix}.g`), need(this.weights, `${prefix}.b`), y, this.k.alloc(rows), this.k.alloc(rows), rows, d);
    return y;
  }

  /** `x·W + b` for `x[rows, in]`, `W[in, out]`. */
  private linear(prefix: string, w: string, b: string, x: F32Buffer, rows: number, inDim: number, outDim: number): F32Buffer {
    const y = this.k.alloc(rows * outDim);
    this.k.matmul(x, need(this.weights, `${prefix}.${w}`), y, rows, outDim, inDim);
    addBias(y, need(this.weights, `${prefix}.${b}`), rows, outDim);
    return y;
  }

  private ffn(prefix: string, x: F32Buffer, rows: number): F32Buffer {
    const { dModel: d, dFF } = this.config;
    const h = this.linear(prefix, 'w1', 'b1', x, rows, d, dFF);
    const g = this.k.alloc(rows * dFF);
    this.k.gelu(h, g);
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
    const probs = this.k.alloc(Tq * Tk);
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
        this.k.softmax(scores, probs, Tq, Tk);
        this.k.matmul(probs, vh, out, Tq, dh, Tk);
        for (let i = 0; i < Tq; i++) ctx.data.set(out.data.subarray(i * dh, (i + 1) * dh), (b * Tq + i) * d + h * dh);
      }
    }
    return this.linear(prefix, 'wo', 'bo', ctx, B * Tq, d, d);
  }

  /** `x + f`, written into `f` (the block's output is not needed afterwards). */
  private residual(x: F32Buffer, f: F32Buffer): F32Buffer {
    const X = x.data;
    const F = f.data;
    for (let i = 0; i < F.length; i++) F[i] = F[i]! + X[i]!;
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
