// Inference for the reference model: an incremental decoder with a key/value cache, and batched
// beam search on top of it. `greedyDecode` in train.ts reruns the whole decoder over the prefix at
// every step (quadratic in the output length times the layer cost); here the sources are encoded
// once, each decoder layer's cross-attention keys and values are projected once, and each step
// runs only the newest position through the decoder, attending to the cached self-attention keys
// and values of the earlier ones.
//
// The incremental decoder computes exactly the function of `decode` in model.ts: it calls the
// same row-wise ops (matmul, layerNorm, GELU, bias) on the new rows and performs attention with
// the same summation order, so its logits agree with the full decoder's to the last bit in
// practice (the tests hold them to 1e-12).

import { BOS, encode, EOS, ModelConfig, Params, sinusoidalPositions, validateConfig } from './model.js';
import { addBias, gelu, layerNorm, matmul, matmulABt } from './ops.js';
import { addInto, ShapeError, Tensor, zeros } from './tensor.js';

function param(params: Params, name: string): Tensor {
  const t = params.get(name);
  if (t === undefined) throw new RangeError(`decode: missing parameter ${name}`);
  return t;
}

function linear(params: Params, prefix: string, w: string, b: string, x: Tensor): Tensor {
  return addBias(matmul(x, param(params, `${prefix}.${w}`)), param(params, `${prefix}.${b}`));
}

function norm(params: Params, prefix: string, x: Tensor): Tensor {
  return layerNorm(x, param(params, `${prefix}.g`), param(params, `${prefix}.b`)).y;
}

// ---------------------------------------------------------------------------------------------
// Encoded sources
// ---------------------------------------------------------------------------------------------

/** A batch of sources after the encoder, with every decoder layer's cross-attention keys and values. */
export interface EncodedSources {
  readonly size: number;
  /** Padded source length (the longest source). */
  readonly srcLen: number;
  readonly lengths: readonly number[];
  /** Encoder output `[size·srcLen, d]`; padded rows are meaningless. */
  readonly out: Tensor;
  /** Per decoder layer, `out·Wk + bk` and `out·Wv + bv` of its cross-attention, `[size·srcLen, d]`. */
  readonly crossKeys: readonly Tensor[];
  readonly crossValues: readonly Tensor[];
}

/**
 * A batch of sources padded into one `[size, srcLen]` id array, with their lengths, for every
 * engine's incremental decoder. `who` names the caller in errors: no sources, a source longer
 * than `maxLen`, or an empty one.
 */
export function packSources(sources: readonly (readonly number[])[], who: string, maxLen = Infinity): { src: Int32Array; size: number; srcLen: number; lengths: number[] } {
  if (sources.length === 0) throw new RangeError(`${who}: no sources`);
  const size = sources.length;
  const srcLen = Math.max(...sources.map((s) => s.length));
  if (srcLen > maxLen) throw new RangeError(`${who}: a source of ${srcLen} tokens exceeds maxLen ${maxLen}`);
  const src = new Int32Array(size * srcLen);
  sources.forEach((s, b) => {
    if (s.length === 0) throw new RangeError(`${who}: source ${b} is empty`);
    src.set(s, b * srcLen);
  });
  return { src, size, srcLen, lengths: sources.map((s) => s.length) };
}

/**
 * Encodes `sources` (token ids, EOS included if the model was trained with it) as one padded
 * batch. Padding is masked in the encoder, so each source's rows equal those of encoding it alone.
 */
export function encodeSources(params: Params, config: ModelConfig, sources: readonly (readonly number[])[]): EncodedSources {
  validateConfig(config);
  const { src: ids, size, srcLen, lengths } = packSources(sources, 'encodeSources');
  const enc = encode(params, config, ids, lengths, size, srcLen);
  const crossKeys: Tensor[] = [];
  const crossValues: Tensor[] = [];
  for (let l = 0; l < config.decoderLayers; l++) {
    crossKeys.push(linear(params, `dec.${l}.cross`, 'wk', 'bk', enc.out));
    crossValues.push(linear(params, `dec.${l}.cross`, 'wv', 'bv', enc.out));
  }
  return { size, srcLen, lengths, out: enc.out, crossKeys, crossValues };
}

// ---------------------------------------------------------------------------------------------
// Decoder state (the KV cache)
// ---------------------------------------------------------------------------------------------

/**
 * The decoding state of a set of rows (hypotheses), all at the same position: which source each
 * row reads, and per row and decoder layer the self-attention keys and values of every position
 * decoded so far. Each row owns its buffers, so `reorder` can move rows without copying and only
 * copies when one row continues into several (beam search's branching).
 */
export class DecoderState {
  /** Decoder positions each row has consumed (BOS included). */
  length = 0;
  private sourceOfRow: number[];
  /** `keys[row][layer]`: `capacity·d` values, position j at `j·d`. */
  private keys: Float64Array[][];
  private values: Float64Array[][];
  private capacity: number;

  /** Rows reading `sourceOfRow[r]` of the encoded batch, nothing decoded yet. Use `IncrementalDecoder.start`. */
  constructor(
    sourceOfRow: readonly number[],
    layers: number,
    private readonly d: number,
    capacity: number,
  ) {
    this.sourceOfRow = [...sourceOfRow];
    this.capacity = Math.max(1, capacity);
    const fresh = (): Float64Array[][] => this.sourceOfRow.map(() => Array.from({ length: layers }, () => new Float64Array(this.capacity * d)));
    this.keys = fresh();
    this.values = fresh();
  }

  /** Number of rows. */
  get rows(): number {
    return this.sourceOfRow.length;
  }

  /** The encoded source row `r` reads. */
  sourceOf(r: number): number {
    const s = this.sourceOfRow[r];
    if (s === undefined) throw new RangeError(`DecoderState: no row ${r}`);
    return s;
  }

  /**
   * Keeps the rows `rows` (in that order, repeats allowed): new row i continues old row `rows[i]`.
   * An empty list leaves no rows.
   */
  reorder(rows: readonly number[]): void {
    const used = new Uint8Array(this.rows);
    const keys: Float64Array[][] = [];
    const values: Float64Array[][] = [];
    const sources: number[] = [];
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= this.rows) throw new RangeError(`DecoderState.reorder: no row ${r}`);
      // The first continuation takes the buffers over; later ones need copies, because each row
      // writes its next key and value in place.
      const share = used[r] === 0;
      used[r] = 1;
      keys.push(share ? this.keys[r]! : this.keys[r]!.map((b) => b.slice()));
      values.push(share ? this.values[r]! : this.values[r]!.map((b) => b.slice()));
      sources.push(this.sourceOfRow[r]!);
    }
    this.keys = keys;
    this.values = values;
    this.sourceOfRow = sources;
  }

  /** Stores the key and value rows of position `length` for layer `l` (`k`, `v` are `[rows, d]`). */
  store(l: number, k: Tensor, v: Tensor): void {
    const d = this.d;
    const pos = this.length;
    if (pos >= this.capacity) this.grow(Math.max(2 * this.capacity, pos + 1));
    for (let r = 0; r < this.rows; r++) {
      this.keys[r]![l]!.set(k.data.subarray(r * d, (r + 1) * d), pos * d);
      this.values[r]![l]!.set(v.data.subarray(r * d, (r + 1) * d), pos * d);
    }
  }

  /** The cached keys and values of row `r`, layer `l` (position j at `j·d`). */
  cache(r: number, l: number): { keys: Float64Array; values: Float64Array } {
    return { keys: this.keys[r]![l]!, values: this.values[r]![l]! };
  }

  private grow(capacity: number): void {
    const d = this.d;
    const regrow = (b: Float64Array): Float64Array => {
      const n = new Float64Array(capacity * d);
      n.set(b);
      return n;
    };
    this.keys = this.keys.map((row) => row.map(regrow));
    this.values = this.values.map((row) => row.map(regrow));
    this.capacity = capacity;
  }
}

/**
 * What beam search needs of a decoder: the encoded sources' lengths, fresh states, and steps.
 * `IncrementalDecoder` is the float64 one; the CPU backend has its own (src/lm/engine/cpu), and the
 * GPU backend an asynchronous one (`AsyncStepDecoder`, src/lm/engine/gpu).
 */
export interface StepDecoder<S extends DecodingRows = DecoderState> {
  readonly encoded: { readonly size: number; readonly srcLen: number; readonly lengths: readonly number[] };
  start(sourceOfRow: readonly number[], capacity?: number): S;
  step(state: S, tokens: readonly number[]): StepOutput;
}

/** A decoder whose steps finish later (the GPU backend's, which reads its results back from the device). */
export interface AsyncStepDecoder<S extends DecodingRows = DecodingRows> {
  readonly encoded: { readonly size: number; readonly srcLen: number; readonly lengths: readonly number[] };
  start(sourceOfRow: readonly number[], capacity?: number): S;
  step(state: S, tokens: readonly number[]): Promise<StepOutput>;
}

/** The rows of a decoding state, as beam search sees them: each row's source, and reordering. */
export interface DecodingRows {
  readonly rows: number;
  sourceOf(r: number): number;
  /** Keeps the rows `rows` (in that order, repeats allowed): new row i continues old row `rows[i]`. */
  reorder(rows: readonly number[]): void;
}

/** What one decoding step gives for every row. */
export interface StepOutput {
  /** Next-token logits `[rows, vocab]`. */
  readonly logits: Tensor;
  /**
   * Per decoder layer, the cross-attention of the new position `[rows, heads, srcLen]` (the
   * padded length); entries past a row's own source length are 0.
   */
  readonly crossAttention: readonly Tensor[];
}

/**
 * Multi-head attention of one query row over `n` keys, exactly as `attention` in ops.ts computes
 * an unmasked row (same summation order, masked keys there are simply absent here). Writes the
 * output into `out[oOff..]` (which must be zero) and, when given, the probabilities of head h into
 * `probs[pOff + h·pStride + j]`.
 */
export function attendRow(
  Q: Float64Array,
  qOff: number,
  K: Float64Array,
  V: Float64Array,
  kvOff: number,
  n: number,
  d: number,
  H: number,
  out: Float64Array,
  oOff: number,
  scores: Float64Array,
  probs?: Float64Array,
  pOff = 0,
  pStride = 0,
): void {
  const dh = d / H;
  const scale = 1 / Math.sqrt(dh);
  for (let h = 0; h < H; h++) {
    const c0 = h * dh;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const kOff = kvOff + j * d + c0;
      let s = 0;
      for (let c = 0; c < dh; c++) s += Q[qOff + c0 + c]! * K[kOff + c]!;
      scores[j] = s * scale;
      max = Math.max(max, scores[j]!);
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(scores[j]! - max);
      scores[j] = e;
      sum += e;
    }
    for (let j = 0; j < n; j++) {
      const p = scores[j]! / sum;
      if (probs !== undefined) probs[pOff + h * pStride + j] = p;
      if (p === 0) continue;
      const vOff = kvOff + j * d + c0;
      for (let c = 0; c < dh; c++) out[oOff + c0 + c]! += p * V[vOff + c]!;
    }
  }
}

/**
 * The incremental decoder: encodes a batch of sources once, then advances any number of rows
 * (hypotheses, each reading one of the sources) one token at a time.
 */
export class IncrementalDecoder implements StepDecoder {
  readonly encoded: EncodedSources;
  private readonly positions: Tensor;

  constructor(
    private readonly params: Params,
    private readonly config: ModelConfig,
    sources: readonly (readonly number[])[],
  ) {
    this.encoded = encodeSources(params, config, sources);
    this.positions = config.positions === 'learned' ? param(params, 'dec.pos') : sinusoidalPositions(config.maxLen, config.dModel);
  }

  /** A fresh state with one row per entry of `sourceOfRow` (indices into the encoded sources). */
  start(sourceOfRow: readonly number[], capacity = 16): DecoderState {
    for (const s of sourceOfRow) {
      if (!Number.isInteger(s) || s < 0 || s >= this.encoded.size) throw new RangeError(`IncrementalDecoder.start: no source ${s}`);
    }
    return new DecoderState(sourceOfRow, this.config.decoderLayers, this.config.dModel, Math.min(capacity, this.config.maxLen));
  }

  /**
   * Feeds `tokens[r]` to row r at position `state.length` (BOS first), advances the state, and
   * returns the logits of the next token and the cross-attention of this position.
   */
  step(state: DecoderState, tokens: readonly number[]): StepOutput {
    const { params, config } = this;
    const N = state.rows;
    if (tokens.length !== N) throw new ShapeError(`IncrementalDecoder.step: ${tokens.length} tokens for ${N} rows`);
    const t = state.length;
    if (t >= config.maxLen) throw new RangeError(`IncrementalDecoder.step: position ${t} exceeds maxLen ${config.maxLen}`);
    const d = config.dModel;
    const H = config.nHeads;
    const V = config.vocab;
    const { srcLen, lengths, crossKeys, crossValues } = this.encoded;
    const table = param(params, 'embed');
    const scale = Math.sqrt(d);
    let x = zeros([N, d]);
    tokens.forEach((id, r) => {
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new RangeError(`IncrementalDecoder.step: token ${id} of row ${r} is outside the vocabulary [0, ${V})`);
      for (let j = 0; j < d; j++) x.data[r * d + j] = table.data[id * d + j]! * scale + this.positions.data[t * d + j]!;
    });
    const scores = new Float64Array(Math.max(t + 1, srcLen));
    const crossAttention: Tensor[] = [];
    for (let l = 0; l < config.decoderLayers; l++) {
      const p = `dec.${l}`;
      // Self-attention: the new position sees every cached position and itself (the causal mask).
      const n1 = norm(params, `${p}.ln1`, x);
      const q = linear(params, `${p}.self`, 'wq', 'bq', n1);
      state.store(l, linear(params, `${p}.self`, 'wk', 'bk', n1), linear(params, `${p}.self`, 'wv', 'bv', n1));
      const ctx = zeros([N, d]);
      for (let r = 0; r < N; r++) {
        const c = state.cache(r, l);
        attendRow(q.data, r * d, c.keys, c.values, 0, t + 1, d, H, ctx.data, r * d, scores);
      }
      const s = linear(params, `${p}.self`, 'wo', 'bo', ctx);
      addInto(s, x);
      x = s;
      // Cross-attention over the row's own source only (the padding mask).
      const n2 = norm(params, `${p}.ln2`, x);
      const q2 = linear(params, `${p}.cross`, 'wq', 'bq', n2);
      const ctx2 = zeros([N, d]);
      const probs = zeros([N, H, srcLen]);
      for (let r = 0; r < N; r++) {
        const b = state.sourceOf(r);
        attendRow(q2.data, r * d, crossKeys[l]!.data, crossValues[l]!.data, b * srcLen * d, lengths[b]!, d, H, ctx2.data, r * d, scores, probs.data, r * H * srcLen, srcLen);
      }
      crossAttention.push(probs);
      const c = linear(params, `${p}.cross`, 'wo', 'bo', ctx2);
      addInto(c, x);
      x = c;
      const n3 = norm(params, `${p}.ln3`, x);
      const f = linear(params, `${p}.ffn`, 'w2', 'b2', gelu(linear(params, `${p}.ffn`, 'w1', 'b1', n3)));
      addInto(f, x);
      x = f;
    }
    state.length = t + 1;
    const hidden = norm(params, 'dec.ln', x);
    const flat = config.tiedEmbeddings ? matmulABt(hidden, table) : matmul(hidden, param(params, 'out.w'));
    return { logits: addBias(flat, param(params, 'out.b')), crossAttention };
  }
}

// ---------------------------------------------------------------------------------------------
// Beam search
// ---------------------------------------------------------------------------------------------

/** How a hypothesis' summed log-probability is normalised for length. */
export type LengthPenaltyForm = 'gnmt' | 'power';

/**
 * The length penalty of a hypothesis of `length` tokens (EOS counted when it ended):
 * `((5 + length)/6)^alpha` for 'gnmt' (Wu et al. 2016, the default), `length^alpha` for 'power'.
 * Both are 1 at alpha 0 (plain sum of log-probabilities) and grow with the length for alpha > 0.
 */
export function lengthPenalty(length: number, alpha: number, form: LengthPenaltyForm = 'gnmt'): number {
  return form === 'gnmt' ? Math.pow((5 + length) / 6, alpha) : Math.pow(length, alpha);
}

/** Options of `beamSearch`. */
export interface BeamSearchOptions {
  /** Live hypotheses kept per source (1 = greedy). */
  readonly beam: number;
  /** Most output tokens per hypothesis, EOS included; also bounded by `config.maxLen − 1`. */
  readonly maxLen: number;
  /** The length penalty's alpha (>= 0); default 0.6, GNMT's. */
  readonly lengthPenalty?: number;
  /** Which penalty formula; default 'gnmt'. */
  readonly penaltyForm?: LengthPenaltyForm;
  /** Alternatives reported per output token, most probable first; default 5. */
  readonly topK?: number;
  /** Hypotheses returned per source; default `beam`. */
  readonly nBest?: number;
  /** Decoder layer whose head-averaged cross-attention is reported; default the last. */
  readonly attentionLayer?: number;
  /** The decoder to run, built on the same sources; default a float64 `IncrementalDecoder`. */
  readonly decoder?: StepDecoder<DecodingRows>;
}

/** One output token of a hypothesis. */
export interface BeamToken {
  readonly token: number;
  /** The model's probability of this token given the hypothesis' prefix. */
  readonly prob: number;
  /** The `topK` most probable tokens at this position (ties: lower id first), with probabilities. */
  readonly top: ReadonlyArray<{ readonly id: number; readonly prob: number }>;
  /** Cross-attention of this position over the source tokens, head-averaged, from `attentionLayer`. */
  readonly attention: readonly number[];
}

/** One finished (or length-limited) hypothesis. */
export interface Hypothesis {
  /** The output tokens, without BOS and without the final EOS. */
  readonly tokens: number[];
  /** Whether it ended with EOS (rather than at the length limit). */
  readonly ended: boolean;
  /** Sum of the log-probabilities of every step (EOS included when ended). */
  readonly logProb: number;
  /** The length the penalty saw: `steps.length`. */
  readonly length: number;
  /** `logProb / lengthPenalty(length)`, the ranking score. */
  readonly score: number;
  /** One entry per output token, the EOS step included when `ended`. */
  readonly steps: BeamToken[];
}

interface Node {
  readonly parent: Node | null;
  readonly step: BeamToken;
}

interface Live {
  readonly node: Node | null;
  readonly sum: number;
  readonly token: number;
}

interface Done {
  readonly node: Node;
  readonly sum: number;
  readonly score: number;
  readonly ended: boolean;
  readonly tokens: number[];
}

interface Candidate {
  readonly sum: number;
  readonly token: number;
  readonly parent: number;
}

/** Per-row facts of one step that every child of the row shares (computed on first use). */
interface RowInfo {
  readonly max: number;
  readonly z: number;
  readonly logZ: number;
  readonly order: number[];
  top?: ReadonlyArray<{ readonly id: number; readonly prob: number }>;
  attention?: readonly number[];
}

/**
 * The `m` best token ids of a logits row, by logit then lower id (the order `greedyDecode` sorts
 * by), by insertion into a short sorted list: O(V·m) rather than a full sort.
 */
function bestIds(row: Float64Array, m: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < row.length; j++) {
    const v = row[j]!;
    if (out.length === m && v <= row[out[m - 1]!]!) continue;
    let i = out.length === m ? m - 1 : out.length;
    // Strictly greater moves ahead, so an equal logit stays behind the lower id already there.
    while (i > 0 && v > row[out[i - 1]!]!) i--;
    out.splice(i, 0, j);
    if (out.length > m) out.pop();
  }
  return out;
}

function compareTokens(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function tokensOf(node: Node | null): number[] {
  const out: number[] = [];
  for (let n = node; n !== null; n = n.parent) out.push(n.step.token);
  return out.reverse();
}

function stepsOf(node: Node): BeamToken[] {
  const out: BeamToken[] = [];
  for (let n: Node | null = node; n !== null; n = n.parent) out.push(n.step);
  return out.reverse();
}

/**
 * Batched beam search over `sources` (one search per source, all advanced together through one
 * incremental decoder). Per step each live hypothesis is extended by every token; the candidates
 * of a source are ranked by summed log-probability (ties: lower token id, then the earlier
 * parent), EOS candidates ranked within the first `beam` are set aside as finished, and the best
 * `beam` others stay live. Scores are `logProb / lengthPenalty(length, alpha)` (GNMT by default,
 * see `lengthPenalty`); within one step every candidate has the same length, so ranking by the
 * sum is ranking by the score.
 *
 * A source's search stops at the length limit or when it holds `nBest` finished hypotheses and
 * no live one can beat the `nBest`-th: log-probabilities are <= 0, so a live hypothesis' score can
 * reach at most `sum / lengthPenalty(limit)` (for alpha = 0, its current sum). At the limit, the
 * live hypotheses are kept as unfinished ones.
 *
 * Returns per source up to `nBest` hypotheses: finished ones first, then unfinished ones, each
 * group by score (ties: lexicographically smaller tokens first). With `beam` 1 and alpha 0 this is
 * `greedyDecode` token for token; with alpha > 0 it continues past greedy's EOS while a longer
 * hypothesis could still score better, and returns greedy's output unless it finds one that does.
 */
export function beamSearch(params: Params, config: ModelConfig, sources: readonly (readonly number[])[], options: BeamSearchOptions): Hypothesis[][] {
  if (sources.length === 0) return [];
  const search = new BeamSearcher(config, sources, options, options.decoder ?? new IncrementalDecoder(params, config, sources));
  for (let tokens = search.next(); tokens !== undefined; tokens = search.next()) search.advance(search.decoder.step(search.state, tokens));
  return search.results();
}

/** `beamSearch` through a decoder whose steps are asynchronous (the GPU backend's). */
export async function beamSearchAsync(config: ModelConfig, sources: readonly (readonly number[])[], options: Omit<BeamSearchOptions, 'decoder'> & { readonly decoder: AsyncStepDecoder }): Promise<Hypothesis[][]> {
  if (sources.length === 0) return [];
  const search = new BeamSearcher(config, sources, options, options.decoder);
  for (let tokens = search.next(); tokens !== undefined; tokens = search.next()) search.advance(await search.decoder.step(search.state, tokens));
  return search.results();
}

/**
 * The search of `beamSearch`, one step at a time, apart from running the decoder: `next` gives
 * the tokens to feed (undefined when every source is done), `advance` takes the step's output.
 */
class BeamSearcher<D extends { readonly encoded: StepDecoder['encoded']; start(sourceOfRow: readonly number[], capacity?: number): DecodingRows }> {
  readonly state: ReturnType<D['start']>;
  private readonly beam: number;
  private readonly topK: number;
  private readonly nBest: number;
  private readonly layer: number;
  private readonly limit: number;
  private readonly penalty: (n: number) => number;
  private readonly live: Live[][];
  private readonly finished: Done[][];
  private readonly active: boolean[];
  // rowsOf[b][i]: the state row of live hypothesis i of source b.
  private rowsOf: number[][];
  private t = 0;

  constructor(
    private readonly config: ModelConfig,
    private readonly sources: readonly (readonly number[])[],
    options: Omit<BeamSearchOptions, 'decoder'>,
    readonly decoder: D,
  ) {
    const beam = options.beam;
    if (!Number.isInteger(beam) || beam < 1) throw new RangeError(`beamSearch: beam must be an integer >= 1, got ${beam}`);
    const alpha = options.lengthPenalty ?? 0.6;
    if (!(alpha >= 0)) throw new RangeError(`beamSearch: lengthPenalty must be >= 0, got ${alpha}`);
    const form = options.penaltyForm ?? 'gnmt';
    const topK = Math.max(1, options.topK ?? 5);
    const nBest = options.nBest ?? beam;
    if (!Number.isInteger(nBest) || nBest < 1) throw new RangeError(`beamSearch: nBest must be an integer >= 1, got ${nBest}`);
    const layer = options.attentionLayer ?? config.decoderLayers - 1;
    if (config.decoderLayers > 0 && !(Number.isInteger(layer) && layer >= 0 && layer < config.decoderLayers)) {
      throw new RangeError(`beamSearch: no decoder layer ${layer}`);
    }
    const limit = Math.min(options.maxLen, config.maxLen - 1);
    if (decoder.encoded.size !== sources.length) throw new RangeError(`beamSearch: the decoder encoded ${decoder.encoded.size} sources, not ${sources.length}`);
    this.beam = beam;
    this.topK = topK;
    this.nBest = nBest;
    this.layer = layer;
    this.limit = limit;
    this.penalty = (n: number): number => lengthPenalty(n, alpha, form);
    this.live = sources.map(() => [{ node: null, sum: 0, token: BOS }]);
    this.finished = sources.map(() => []);
    this.active = sources.map(() => limit > 0);
    this.rowsOf = sources.map((_, b) => [b]);
    this.state = decoder.start(sources.map((_, b) => b), Math.max(1, limit)) as ReturnType<D['start']>;
  }

  /** The token each state row feeds next, or undefined when the search is over. */
  next(): number[] | undefined {
    const { state, live, active, rowsOf } = this;
    if (this.t >= this.limit || !active.some((a) => a)) return undefined;
    const tokens: number[] = new Array<number>(state.rows);
    this.sources.forEach((_, b) => {
      if (active[b]) rowsOf[b]!.forEach((r, i) => (tokens[r] = live[b]![i]!.token));
    });
    return tokens;
  }

  /** Ranks the candidates of one step's output, and reorders the state for the next. */
  advance(out: StepOutput): void {
    const { config, sources, state, live, finished, active, rowsOf, beam, topK, nBest, layer, limit, penalty, t } = this;
    const { srcLen, lengths } = this.decoder.encoded;
    const V = config.vocab;
    const H = config.nHeads;
    const info = new Map<number, RowInfo>();
    const rowInfo = (r: number): RowInfo => {
      let hit = info.get(r);
      if (hit === undefined) {
        const row = out.logits.data.subarray(r * V, (r + 1) * V);
        let max = -Infinity;
        for (let j = 0; j < V; j++) max = Math.max(max, row[j]!);
        let z = 0;
        for (let j = 0; j < V; j++) z += Math.exp(row[j]! - max);
        hit = { max, z, logZ: Math.log(z), order: bestIds(row, Math.max(beam + 1, topK)) };
        info.set(r, hit);
      }
      return hit;
    };
    const tokenOf = (r: number, id: number): BeamToken => {
      const ri = rowInfo(r);
      const row = out.logits.data.subarray(r * V, (r + 1) * V);
      ri.top ??= ri.order.slice(0, topK).map((j) => ({ id: j, prob: Math.exp(row[j]! - ri.max) / ri.z }));
      if (ri.attention === undefined) {
        const S = lengths[state.sourceOf(r)]!;
        const att = new Array<number>(S).fill(0);
        if (config.decoderLayers > 0) {
          const P = out.crossAttention[layer]!.data;
          // The same accumulation as `averagedCrossAttention` over one layer.
          const w = 1 / H;
          for (let h = 0; h < H; h++) for (let s = 0; s < S; s++) att[s]! += w * P[(r * H + h) * srcLen + s]!;
        }
        ri.attention = att;
      }
      return { token: id, prob: Math.exp(row[id]! - ri.max) / ri.z, top: ri.top, attention: ri.attention };
    };

    const nextRows: number[] = [];
    const nextRowsOf: number[][] = sources.map(() => []);
    sources.forEach((_, b) => {
      if (!active[b]) return;
      const beams = live[b]!;
      const rows = rowsOf[b]!;
      const candidates: Candidate[] = [];
      beams.forEach((h, i) => {
        const r = rows[i]!;
        const ri = rowInfo(r);
        const row = out.logits.data.subarray(r * V, (r + 1) * V);
        for (const id of ri.order.slice(0, beam + 1)) candidates.push({ sum: h.sum + (row[id]! - ri.max - ri.logZ), token: id, parent: i });
      });
      candidates.sort((x, y) => y.sum - x.sum || x.token - y.token || x.parent - y.parent);
      const kept: Live[] = [];
      const keptRows: number[] = [];
      for (let rank = 0; rank < candidates.length && kept.length < beam; rank++) {
        const c = candidates[rank]!;
        // An EOS ranked below the beam is not a hypothesis the beam would have kept.
        if (c.token === EOS && rank >= beam) continue;
        const parent = beams[c.parent]!;
        const node: Node = { parent: parent.node, step: tokenOf(rows[c.parent]!, c.token) };
        if (c.token === EOS) {
          finished[b]!.push({ node, sum: c.sum, score: c.sum / penalty(t + 1), ended: true, tokens: tokensOf(parent.node) });
          continue;
        }
        kept.push({ node, sum: c.sum, token: c.token });
        keptRows.push(rows[c.parent]!);
      }
      live[b] = kept;
      let done = kept.length === 0 || t + 1 >= limit;
      if (!done && finished[b]!.length >= nBest) {
        const scores = finished[b]!.map((f) => f.score).sort((x, y) => y - x);
        const best = Math.max(...kept.map((k) => k.sum)) / penalty(limit);
        done = best <= scores[nBest - 1]!;
      }
      if (done) {
        active[b] = false;
        if (t + 1 >= limit) for (const k of kept) finished[b]!.push({ node: k.node!, sum: k.sum, score: k.sum / penalty(t + 1), ended: false, tokens: tokensOf(k.node) });
        return;
      }
      for (const r of keptRows) {
        nextRowsOf[b]!.push(nextRows.length);
        nextRows.push(r);
      }
    });
    state.reorder(nextRows);
    this.rowsOf = nextRowsOf;
    this.t++;
  }

  /** Per source, up to `nBest` hypotheses: finished ones first, each group by score. */
  results(): Hypothesis[][] {
    const { nBest } = this;
    return this.finished.map((list) => {
      const ranked = [...list].sort((x, y) => Number(y.ended) - Number(x.ended) || y.score - x.score || compareTokens(x.tokens, y.tokens));
      return ranked.slice(0, nBest).map((f) => {
        const steps = stepsOf(f.node);
        return { tokens: f.tokens, ended: f.ended, logProb: f.sum, length: steps.length, score: f.score, steps };
      });
    });
  }
}
