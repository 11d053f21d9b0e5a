// Training and inference for the reference model: AdamW with decoupled weight decay, global
// gradient-norm clipping, warmup-then-cosine learning rate, one training step, and greedy
// decoding that reports, per output token, the top-k probabilities and the cross-attention over
// the source (the alignment the product uses to map output tokens back to source tokens).

import { backward, BOS, decode, encode, EOS, forward, Grads, ModelConfig, Params, Batch, averagedCrossAttention } from './model.js';
import { Tensor, zeros } from './tensor.js';

// ---------------------------------------------------------------------------------------------
// Optimiser
// ---------------------------------------------------------------------------------------------

export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay per unit of learning rate. */
  readonly weightDecay?: number;
  /**
   * Which parameters decay. Default: matrices only (rank 2, positions and embeddings included),
   * never biases or layernorm gains, whose scale is not a capacity knob.
   */
  readonly decays?: (name: string, t: Tensor) => boolean;
}

/**
 * AdamW (Loshchilov & Hutter): Adam moments with bias correction, and weight decay applied to the
 * weights directly (`p ← p − lr·wd·p`) rather than through the gradient, as PyTorch's `AdamW`.
 */
/** The constants of one AdamW step: decay is `1 - lr·weightDecay` (or 1), c1/c2 the bias corrections. */
export interface AdamWStep {
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  readonly lr: number;
  readonly decay: number;
  readonly c1: number;
  readonly c2: number;
}

/**
 * One AdamW update of a parameter array in place, shared by the reference (float64 arrays) and
 * the CPU backend (f32 arrays, each element computed in float64 and rounded once on store).
 */
export function adamwUpdate(P: Float64Array | Float32Array, G: Float64Array | Float32Array, M: Float64Array | Float32Array, V: Float64Array | Float32Array, k: AdamWStep): void {
  const { b1, b2, eps, lr, decay, c1, c2 } = k;
  for (let i = 0; i < P.length; i++) {
    const gi = G[i]!;
    M[i] = b1 * M[i]! + (1 - b1) * gi;
    V[i] = b2 * V[i]! + (1 - b2) * gi * gi;
    P[i] = P[i]! * decay - (lr * (M[i]! / c1)) / (Math.sqrt(V[i]! / c2) + eps);
  }
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly decays: (name: string, t: Tensor) => boolean;
  /** First and second moments by parameter name (filled on the first update); checkpoints save them. */
  readonly m = new Map<string, Tensor>();
  readonly v = new Map<string, Tensor>();
  /** Steps taken so far (the bias correction's t). */
  step = 0;

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.decays = options.decays ?? ((_name, t) => t.shape.length === 2);
  }

  /** One update of every parameter in place with learning rate `lr`; every parameter needs a gradient. */
  update(params: Params, grads: Grads, lr: number): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps } = this;
    const c1 = 1 - Math.pow(b1, this.step);
    const c2 = 1 - Math.pow(b2, this.step);
    for (const [name, p] of params) {
      const g = grads.get(name);
      if (g === undefined) throw new RangeError(`AdamW: no gradient for ${name}`);
      if (g.data.length !== p.data.length) throw new RangeError(`AdamW: gradient of ${name} has ${g.data.length} values, parameter ${p.data.length}`);
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (m === undefined || v === undefined) {
        m = zeros(p.shape);
        v = zeros(p.shape);
        this.m.set(name, m);
        this.v.set(name, v);
      }
      const decay = this.weightDecay > 0 && this.decays(name, p) ? 1 - lr * this.weightDecay : 1;
      adamwUpdate(p.data, g.data, m.data, v.data, { b1, b2, eps, lr, decay, c1, c2 });
    }
  }
}

/** Gradients by name, of either engine (float64 reference tensors, f32 CPU buffers). */
export type AnyGrads = ReadonlyMap<string, { readonly data: Float64Array | Float32Array }>;

/** The global L2 norm of all gradients together. */
export function gradNorm(grads: AnyGrads): number {
  let s = 0;
  for (const g of grads.values()) for (let i = 0; i < g.data.length; i++) s += g.data[i]! * g.data[i]!;
  return Math.sqrt(s);
}

/**
 * Scales all gradients together so their global L2 norm is at most `maxNorm` (the direction is
 * kept; per-tensor clipping would change it). Returns the norm before clipping.
 */
export function clipGradNorm(grads: AnyGrads, maxNorm: number): number {
  const norm = gradNorm(grads);
  if (norm > maxNorm && norm > 0) {
    const s = maxNorm / norm;
    for (const g of grads.values()) for (let i = 0; i < g.data.length; i++) g.data[i]! *= s;
  }
  return norm;
}

export interface Schedule {
  /** Learning rate at the end of warmup. */
  readonly peak: number;
  /** Steps of linear warmup from peak/warmup to peak. */
  readonly warmup: number;
  /** Total steps; the cosine reaches `floor` at the last. */
  readonly total: number;
  /** Final learning rate (default 0). */
  readonly floor?: number;
}

/**
 * Learning rate for 0-based `step`: linear warmup `peak·(step+1)/warmup`, then cosine decay from
 * `peak` to `floor` over the remaining steps, and `floor` beyond `total`.
 */
export function learningRate(step: number, s: Schedule): number {
  const floor = s.floor ?? 0;
  if (step < s.warmup) return (s.peak * (step + 1)) / s.warmup;
  const span = Math.max(1, s.total - 1 - s.warmup);
  const progress = Math.min(1, (step - s.warmup) / span);
  return floor + 0.5 * (s.peak - floor) * (1 + Math.cos(Math.PI * progress));
}

export interface StepResult {
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly lr: number;
}

/** Forward, backward, clip to `clip` (default 1; Infinity disables) and one AdamW update at `lr`. */
export function trainStep(params: Params, config: ModelConfig, batch: Batch, optimizer: AdamW, lr: number, clip = 1): StepResult {
  const result = forward(params, config, batch);
  const grads = backward(params, config, batch, result);
  const norm = clipGradNorm(grads, clip);
  optimizer.update(params, grads, lr);
  return { loss: result.loss, gradNorm: norm, lr };
}

// ---------------------------------------------------------------------------------------------
// Greedy decoding
// ---------------------------------------------------------------------------------------------

/** One decoding step: the chosen token, the k most probable tokens, and where it looked. */
export interface DecodeStep {
  readonly token: number;
  /** The `topK` most probable tokens, most probable first (the chosen token is the first). */
  readonly top: ReadonlyArray<{ readonly id: number; readonly prob: number }>;
  /** Cross-attention over source positions, averaged over heads and decoder layers; sums to 1. */
  readonly attention: readonly number[];
  /** The same per decoder layer (heads averaged). */
  readonly attentionByLayer: ReadonlyArray<readonly number[]>;
}

export interface DecodeResult {
  /** The output tokens, without BOS and without the final EOS. */
  readonly tokens: number[];
  /** Whether decoding stopped on EOS (rather than at the length limit). */
  readonly ended: boolean;
  /** One entry per generated token, the EOS step included when `ended`. */
  readonly steps: DecodeStep[];
}

/**
 * Greedy decoding of one source: starting from BOS, repeatedly append the most probable next
 * token until EOS or `maxLen` generated tokens (also bounded by `config.maxLen − 1`, the room
 * the decoder has after BOS). Ties go to the lower id. The decoder is rerun over the whole
 * prefix each step: quadratic, but it is exactly the training-time computation.
 */
export function greedyDecode(params: Params, config: ModelConfig, sourceIds: readonly number[], maxLen: number, topK = 5): DecodeResult {
  if (sourceIds.length === 0) throw new RangeError('greedyDecode: empty source');
  const S = sourceIds.length;
  const enc = encode(params, config, Int32Array.from(sourceIds), [S], 1, S);
  const limit = Math.min(maxLen, config.maxLen - 1);
  const prefix = [BOS];
  const tokens: number[] = [];
  const steps: DecodeStep[] = [];
  let ended = false;
  const V = config.vocab;
  for (let step = 0; step < limit; step++) {
    const T = prefix.length;
    const dec = decode(params, config, enc, Int32Array.from(prefix), [T], T);
    const row = dec.logits.data.subarray((T - 1) * V, T * V);
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, row[j]!);
    let z = 0;
    for (let j = 0; j < V; j++) z += Math.exp(row[j]! - max);
    const order = Array.from({ length: V }, (_, j) => j).sort((a, b) => row[b]! - row[a]! || a - b);
    const top = order.slice(0, Math.max(1, topK)).map((id) => ({ id, prob: Math.exp(row[id]! - max) / z }));
    const token = order[0]!;
    const layers = dec.cache.layers.map((_, l) => rowOf(averagedCrossAttention(dec.cache, [l]), T - 1, S));
    const attention = rowOf(averagedCrossAttention(dec.cache), T - 1, S);
    steps.push({ token, top, attention, attentionByLayer: layers });
    if (token === EOS) {
      ended = true;
      break;
    }
    tokens.push(token);
    prefix.push(token);
  }
  return { tokens, ended, steps };
}

function rowOf(t: Tensor, row: number, width: number): number[] {
  return Array.from(t.data.subarray(row * width, (row + 1) * width));
}
