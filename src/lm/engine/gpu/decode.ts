// Incremental decoding on the GPU backend: the step function of the float64 `IncrementalDecoder`
// (src/lm/reference/decode.ts) with everything on the device, the KV cache included. A step
// records every kernel of every layer (projections, attention over the cache for all rows and
// heads in one strided matmul, cross-attention, feed-forward, output layer) and reads back only
// the logits and the cross-attention: one round trip per step, none per op. Beam search drives it
// through `beamSearchAsync`; reordering rows gathers the cache rows on the device.

import { type AsyncStepDecoder, type DecodingRows, packSources, type StepOutput } from '../../reference/decode.js';
import { fromArray } from '../../reference/tensor.js';
import type { GpuBuffer, GpuIds, GpuKernels, Strides } from './kernels.js';
import type { GpuModel } from './model.js';

/**
 * The rows of a GPU decoding: per decoder layer, the self-attention keys and values of every
 * position so far (`[rows][capacity][d]`), and the cross-attention keys and values of each row's
 * source (`[rows][srcLen][d]`), all in GPU memory.
 */
export class GpuDecoderState implements DecodingRows {
  /** Decoder positions each row has consumed (BOS included). */
  length = 0;
  private sourceOfRow: number[];
  keys: GpuBuffer[] = [];
  values: GpuBuffer[] = [];
  crossKeys: GpuBuffer[] = [];
  crossValues: GpuBuffer[] = [];
  /** Each row's source length, for the cross-attention mask. */
  rowLengths: GpuIds;

  constructor(
    private readonly decoder: GpuIncrementalDecoder,
    sourceOfRow: readonly number[],
    /** Positions the cache holds before it grows. */
    public capacity: number,
  ) {
    this.sourceOfRow = [...sourceOfRow];
    const { k, layers, d } = decoder;
    for (let l = 0; l < layers; l++) {
      this.keys.push(k.alloc(this.rows * capacity * d));
      this.values.push(k.alloc(this.rows * capacity * d));
    }
    this.rowLengths = this.gatherSources();
  }

  get rows(): number {
    return this.sourceOfRow.length;
  }

  sourceOf(r: number): number {
    const s = this.sourceOfRow[r];
    if (s === undefined) throw new RangeError(`GpuDecoderState: no row ${r}`);
    return s;
  }

  /** Keeps the rows `rows` (in that order, repeats allowed), gathering their caches on the device. */
  reorder(rows: readonly number[]): void {
    for (const r of rows) if (!Number.isInteger(r) || r < 0 || r >= this.rows) throw new RangeError(`GpuDecoderState.reorder: no row ${r}`);
    const { k, d } = this.decoder;
    const ids = k.i32(rows);
    const width = this.capacity * d;
    const gather = (old: GpuBuffer): GpuBuffer => {
      const fresh = k.alloc(rows.length * width);
      k.embedding(old, ids, fresh, rows.length, width);
      k.free(old);
      return fresh;
    };
    this.keys = this.keys.map(gather);
    this.values = this.values.map(gather);
    k.free(ids);
    this.sourceOfRow = rows.map((r) => this.sourceOfRow[r]!);
    this.freeSources();
    this.rowLengths = this.gatherSources();
  }

  /** Makes room for `capacity` positions, copying the cache over. */
  grow(capacity: number): void {
    const { k, d } = this.decoder;
    const widen = (old: GpuBuffer): GpuBuffer => {
      const fresh = k.alloc(this.rows * capacity * d);
      k.writeRows(old, fresh, this.rows, this.capacity * d, capacity * d, 0);
      k.free(old);
      return fresh;
    };
    this.keys = this.keys.map(widen);
    this.values = this.values.map(widen);
    this.capacity = capacity;
  }

  /** Gathers each row's cross keys and values from the encoded sources; returns the row lengths. */
  private gatherSources(): GpuIds {
    const { k, d, encoded } = this.decoder;
    const ids = k.i32(this.sourceOfRow);
    const width = encoded.srcLen * d;
    const gather = (perSource: GpuBuffer): GpuBuffer => {
      const rows = k.alloc(this.rows * width);
      k.embedding(perSource, ids, rows, this.rows, width);
      return rows;
    };
    this.crossKeys = this.decoder.crossKeys.map(gather);
    this.crossValues = this.decoder.crossValues.map(gather);
    k.free(ids);
    return k.i32(this.sourceOfRow.map((s) => encoded.lengths[s]!));
  }

  private freeSources(): void {
    const { k } = this.decoder;
    for (const b of [...this.crossKeys, ...this.crossValues]) k.free(b);
    k.free(this.rowLengths);
    this.crossKeys = [];
    this.crossValues = [];
  }
}

/**
 * Encodes `sources` once on the GPU and advances rows one token at a time. Holds GPU memory until
 * `close()`; decode with one decoder at a time per model.
 */
export class GpuIncrementalDecoder implements AsyncStepDecoder<GpuDecoderState> {
  readonly encoded: { readonly size: number; readonly srcLen: number; readonly lengths: readonly number[] };
  /** Per decoder layer, the cross-attention keys and values of every source (`[size·srcLen, d]`). */
  readonly crossKeys: GpuBuffer[] = [];
  readonly crossValues: GpuBuffer[] = [];
  readonly k: GpuKernels;
  readonly layers: number;
  readonly d: number;
  private readonly mark: number;

  constructor(
    private readonly model: GpuModel,
    sources: readonly (readonly number[])[],
  ) {
    const { k, config } = model;
    this.k = k;
    this.layers = config.decoderLayers;
    this.d = config.dModel;
    const { src, size, srcLen, lengths } = packSources(sources, 'GpuIncrementalDecoder', config.maxLen);
    sources.forEach((s, b) => {
      for (const id of s) if (!Number.isInteger(id) || id < 0 || id >= config.vocab) throw new RangeError(`GpuIncrementalDecoder: token ${id} of source ${b} is outside the vocabulary [0, ${config.vocab})`);
    });
    this.encoded = { size, srcLen, lengths };
    const d = config.dModel;
    this.mark = k.mark();
    for (let l = 0; l < config.decoderLayers; l++) {
      this.crossKeys.push(k.alloc(size * srcLen * d));
      this.crossValues.push(k.alloc(size * srcLen * d));
    }
    // The encoder's activations go once the cross keys and values are copied out.
    const encodeMark = k.mark();
    const enc = model.encode({ src, srcLengths: lengths, size, srcLen });
    for (let l = 0; l < config.decoderLayers; l++) {
      k.copy(model.linear(`dec.${l}.cross`, 'wk', 'bk', enc, size * srcLen, d, d), this.crossKeys[l]!);
      k.copy(model.linear(`dec.${l}.cross`, 'wv', 'bv', enc, size * srcLen, d, d), this.crossValues[l]!);
    }
    k.release(encodeMark);
  }

  /** A fresh state with one row per entry of `sourceOfRow`. */
  start(sourceOfRow: readonly number[], capacity = 16): GpuDecoderState {
    for (const s of sourceOfRow) {
      if (!Number.isInteger(s) || s < 0 || s >= this.encoded.size) throw new RangeError(`GpuIncrementalDecoder.start: no source ${s}`);
    }
    return new GpuDecoderState(this, sourceOfRow, Math.max(1, Math.min(capacity, this.model.config.maxLen)));
  }

  /** Feeds `tokens[r]` to row r at position `state.length`; the next token's logits and this position's cross-attention. */
  async step(state: GpuDecoderState, tokens: readonly number[]): Promise<StepOutput> {
    const { model, k } = this;
    const { config } = model;
    const N = state.rows;
    if (tokens.length !== N) throw new RangeError(`GpuIncrementalDecoder.step: ${tokens.length} tokens for ${N} rows`);
    const t = state.length;
    if (t >= config.maxLen) throw new RangeError(`GpuIncrementalDecoder.step: position ${t} exceeds maxLen ${config.maxLen}`);
    const { dModel: d, nHeads: H, vocab: V } = config;
    tokens.forEach((id, r) => {
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new RangeError(`GpuIncrementalDecoder.step: token ${id} of row ${r} is outside the vocabulary [0, ${V})`);
    });
    if (t >= state.capacity) state.grow(Math.min(config.maxLen, Math.max(2 * state.capacity, t + 1)));
    const S = this.encoded.srcLen;
    const cap = state.capacity;
    const dh = d / H;
    const alpha = Math.fround(1 / Math.sqrt(dh));
    const heads = { batches: N, heads: H };
    // One query row per item: q and the context are [N, d]; caches are [N][cap or S][d].
    const queryRow: Strides = { batch: d, head: dh, row: d, col: 1 };
    const cacheRows = (len: number): Strides => ({ batch: len * d, head: dh, row: d, col: 1 });
    const cacheCols = (len: number): Strides => ({ batch: len * d, head: dh, row: 1, col: d });
    const scoreRow = (n: number): Strides => ({ batch: H * n, head: n, row: n, col: 1 });
    const stepMark = k.mark();
    try {
      let x = model.embed(k.i32(tokens), N, 1, 'dec', t);
      const crossProbs: GpuBuffer[] = [];
      for (let l = 0; l < config.decoderLayers; l++) {
        const p = `dec.${l}`;
        const n1 = model.norm(`${p}.ln1`, x, N);
        const q = model.linear(`${p}.self`, 'wq', 'bq', n1, N, d, d);
        k.writeRows(model.linear(`${p}.self`, 'wk', 'bk', n1, N, d, d), state.keys[l]!, N, d, cap * d, t * d);
        k.writeRows(model.linear(`${p}.self`, 'wv', 'bv', n1, N, d, d), state.values[l]!, N, d, cap * d, t * d);
        const n = t + 1;
        const scores = k.alloc(N * H * n);
        k.matmulStrided(q, state.keys[l]!, scores, { m: 1, n, k: dh, ...heads, alpha, a: queryRow, b: cacheCols(cap), c: scoreRow(n) });
        const probs = k.alloc(N * H * n);
        k.softmax(scores, probs, N * H, n);
        const ctx = k.alloc(N * d);
        k.matmulStrided(probs, state.values[l]!, ctx, { m: 1, n: dh, k: n, ...heads, a: scoreRow(n), b: cacheRows(cap), c: queryRow });
        x = model.residual(x, model.linear(`${p}.self`, 'wo', 'bo', ctx, N, d, d));
        const n2 = model.norm(`${p}.ln2`, x, N);
        const q2 = model.linear(`${p}.cross`, 'wq', 'bq', n2, N, d, d);
        const crossScores = k.alloc(N * H * S);
        k.matmulStrided(q2, state.crossKeys[l]!, crossScores, { m: 1, n: S, k: dh, ...heads, alpha, a: queryRow, b: cacheCols(S), c: scoreRow(S) });
        k.attentionMask(crossScores, state.rowLengths, N, H, 1, S, false);
        const cp = k.alloc(N * H * S);
        k.softmax(crossScores, cp, N * H, S);
        crossProbs.push(cp);
        const ctx2 = k.alloc(N * d);
        k.matmulStrided(cp, state.crossValues[l]!, ctx2, { m: 1, n: dh, k: S, ...heads, a: scoreRow(S), b: cacheRows(S), c: queryRow });
        x = model.residual(x, model.linear(`${p}.cross`, 'wo', 'bo', ctx2, N, d, d));
        const n3 = model.norm(`${p}.ln3`, x, N);
        x = model.residual(x, model.ffn(`${p}.ffn`, n3, N));
      }
      const logits = model.logits(model.norm('dec.ln', x, N), N);
      state.length = t + 1;
      const [lg, ...cross] = await Promise.all([k.read(logits), ...crossProbs.map((c) => k.read(c))]);
      return {
        logits: fromArray([N, V], Float64Array.from(lg!)),
        crossAttention: cross.map((c) => fromArray([N, H, S], Float64Array.from(c))),
      };
    } finally {
      k.release(stepMark);
    }
  }

  /** Frees the GPU memory this decoder holds (its states' memory included). */
  close(): void {
    this.k.release(this.mark);
  }
}
