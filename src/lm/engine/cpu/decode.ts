// Incremental decoding on the CPU backend: the same step function as the float64
// `IncrementalDecoder` (src/lm/reference/decode.ts), with the encoder, every projection, layernorm,
// feed-forward block and the output layer run by the WebAssembly kernels in f32. The per-row
// attention over the KV cache stays in plain code (it is small next to the projections and the
// vocabulary-sized output), on the f32 values widened exactly. It plugs into `beamSearch` through
// `StepDecoder`, so greedy and beam search run on either engine.

import { attendRow, DecoderState, packSources, type StepDecoder, type StepOutput } from '../../reference/decode.js';
import { fromArray, type Tensor } from '../../reference/tensor.js';
import type { F32Buffer } from './kernels.js';
import type { CpuModel } from './model.js';

/**
 * Encodes `sources` once on the CPU backend and advances rows one token at a time. Holds arena
 * memory of the model's kernels until `close()`; decode with one decoder at a time per model.
 */
export class CpuIncrementalDecoder implements StepDecoder {
  readonly encoded: { readonly size: number; readonly srcLen: number; readonly lengths: readonly number[] };
  private readonly crossKeys: Float64Array[] = [];
  private readonly crossValues: Float64Array[] = [];
  private readonly mark: number;

  constructor(
    private readonly model: CpuModel,
    sources: readonly (readonly number[])[],
  ) {
    const { k, config } = model;
    const { src, size, srcLen, lengths } = packSources(sources, 'CpuIncrementalDecoder', config.maxLen);
    this.mark = k.mark();
    this.encoded = { size, srcLen, lengths };
    const d = config.dModel;
    const stepMark = k.mark();
    const enc = model.encode({ src, srcLengths: lengths, size, srcLen });
    for (let l = 0; l < config.decoderLayers; l++) {
      this.crossKeys.push(Float64Array.from(model.linear(`dec.${l}.cross`, 'wk', 'bk', enc, size * srcLen, d, d).data));
      this.crossValues.push(Float64Array.from(model.linear(`dec.${l}.cross`, 'wv', 'bv', enc, size * srcLen, d, d).data));
    }
    // The cross keys and values were copied out: the encoder's arena memory can go.
    k.release(stepMark);
  }

  /** A fresh state with one row per entry of `sourceOfRow`. */
  start(sourceOfRow: readonly number[], capacity = 16): DecoderState {
    for (const s of sourceOfRow) {
      if (!Number.isInteger(s) || s < 0 || s >= this.encoded.size) throw new RangeError(`CpuIncrementalDecoder.start: no source ${s}`);
    }
    const c = this.model.config;
    return new DecoderState(sourceOfRow, c.decoderLayers, c.dModel, Math.min(capacity, c.maxLen));
  }

  /** Feeds `tokens[r]` to row r at position `state.length`; the next token's logits and this position's cross-attention. */
  step(state: DecoderState, tokens: readonly number[]): StepOutput {
    const { model } = this;
    const { k, config } = model;
    const N = state.rows;
    if (tokens.length !== N) throw new RangeError(`CpuIncrementalDecoder.step: ${tokens.length} tokens for ${N} rows`);
    const t = state.length;
    if (t >= config.maxLen) throw new RangeError(`CpuIncrementalDecoder.step: position ${t} exceeds maxLen ${config.maxLen}`);
    const { dModel: d, nHeads: H, vocab: V } = config;
    const { srcLen, lengths } = this.encoded;
    const stepMark = k.mark();
    try {
      const table = model.weight('embed').data;
      const pos = model.positionTable('dec').data;
      const scale = Math.fround(Math.sqrt(d));
      let x = k.alloc(N * d);
      tokens.forEach((id, r) => {
        if (!Number.isInteger(id) || id < 0 || id >= V) throw new RangeError(`CpuIncrementalDecoder.step: token ${id} of row ${r} is outside the vocabulary [0, ${V})`);
        for (let j = 0; j < d; j++) x.data[r * d + j] = table[id * d + j]! * scale + pos[t * d + j]!;
      });
      const scores = new Float64Array(Math.max(t + 1, srcLen));
      const crossAttention: Tensor[] = [];
      for (let l = 0; l < config.decoderLayers; l++) {
        const p = `dec.${l}`;
        const n1 = model.norm(`${p}.ln1`, x, N);
        const q = widen(model.linear(`${p}.self`, 'wq', 'bq', n1, N, d, d), [N, d]);
        state.store(l, widen(model.linear(`${p}.self`, 'wk', 'bk', n1, N, d, d), [N, d]), widen(model.linear(`${p}.self`, 'wv', 'bv', n1, N, d, d), [N, d]));
        const ctx = new Float64Array(N * d);
        for (let r = 0; r < N; r++) {
          const c = state.cache(r, l);
          attendRow(q.data, r * d, c.keys, c.values, 0, t + 1, d, H, ctx, r * d, scores);
        }
        x = model.residual(x, model.linear(`${p}.self`, 'wo', 'bo', k.f32(ctx), N, d, d));
        const n2 = model.norm(`${p}.ln2`, x, N);
        const q2 = widen(model.linear(`${p}.cross`, 'wq', 'bq', n2, N, d, d), [N, d]);
        const ctx2 = new Float64Array(N * d);
        const probs = new Float64Array(N * H * srcLen);
        for (let r = 0; r < N; r++) {
          const b = state.sourceOf(r);
          attendRow(q2.data, r * d, this.crossKeys[l]!, this.crossValues[l]!, b * srcLen * d, lengths[b]!, d, H, ctx2, r * d, scores, probs, r * H * srcLen, srcLen);
        }
        crossAttention.push(fromArray([N, H, srcLen], probs));
        x = model.residual(x, model.linear(`${p}.cross`, 'wo', 'bo', k.f32(ctx2), N, d, d));
        const n3 = model.norm(`${p}.ln3`, x, N);
        x = model.residual(x, model.ffn(`${p}.ffn`, n3, N));
      }
      state.length = t + 1;
      const logits = model.logits(model.norm('dec.ln', x, N), N);
      return { logits: widen(logits, [N, V]), crossAttention };
    } finally {
      k.release(stepMark);
    }
  }

  /** Frees the arena memory this decoder holds. */
  close(): void {
    this.model.k.release(this.mark);
  }
}

function widen(b: F32Buffer, shape: number[]): Tensor {
  return fromArray(shape, Float64Array.from(b.data));
}
