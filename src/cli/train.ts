// `gns train`: trains the transformer on a built corpus, on any backend (src/lm/engine/backend.ts).
// This file holds the pieces that make a run reproducible and resumable: tokenizing the corpus's
// pairs, a sampler whose batches depend only on the seed and its position, and a `TrainingRun`
// that steps, evaluates and saves/loads itself through src/lm/checkpoint.ts. main.ts parses the
// flags and prints.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, readRecords } from '../data/stats.js';
import { type Batch, EOS, forward, initParams, makeBatch, parameterCount, type ModelConfig, type Pair, type Params } from '../lm/reference/model.js';
import { AdamW, type AdamWOptions, learningRate, trainStep, type Schedule } from '../lm/reference/train.js';
import { Tokenizer } from '../lm/tokenizer.js';
import { CpuModel } from '../lm/engine/cpu/model.js';
import { GpuModel } from '../lm/engine/gpu/model.js';
import { openBackend, type BackendName, type BackendRequest } from '../lm/engine/backend.js';
import {
  hasTrainingCheckpoint,
  loadTrainingCheckpoint,
  MODEL_FILES,
  readModelConfig,
  saveTrainingCheckpoint,
  type TrainState,
} from '../lm/checkpoint.js';
import { WeightsError, type WriteDtype } from '../lm/safetensors.js';
import { Rng } from '../util/random.js';

/** A command failure with the exit-code class it maps to (main.ts turns it into a `CliError`). */
export class CommandError extends Error {
  constructor(message: string, readonly kind: 'input' | 'usage' | 'io') {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------------

/** Tokenized pairs of one split and direction, and what was left out. */
export interface Examples {
  readonly pairs: Pair[];
  /** Pairs dropped because the source (with EOS) or the decoder input (BOS + target) exceeds maxLen. */
  readonly skipped: number;
}

/**
 * Tokenizes one block pair the way training and decoding both see it: the source ends in EOS
 * (so the encoder knows where the block ends), the target has neither BOS nor EOS (`makeBatch`
 * adds them). Returns undefined when either side does not fit `maxLen`.
 */
export function examplePair(tok: Tokenizer, src: string, tgt: string, labels: Readonly<Record<string, string>>, maxLen: number): Pair | undefined {
  const { source, target } = tok.encodePair(src, tgt, labels);
  const s = [...source.ids, EOS];
  if (s.length > maxLen || target.ids.length + 1 > maxLen) return undefined;
  return { source: s, target: target.ids };
}

/** The train and valid examples of one direction of a corpus, in corpus order. */
export function loadExamples(corpus: string, tok: Tokenizer, direction: string, maxLen: number): { train: Examples; valid: Examples } {
  const manifest = readManifest(corpus);
  const [from, to] = direction.split('-');
  const train: Pair[] = [];
  const valid: Pair[] = [];
  let trainSkipped = 0;
  let validSkipped = 0;
  for (const r of readRecords(corpus, manifest)) {
    if (r.from !== from || r.to !== to || (r.split !== 'train' && r.split !== 'valid')) continue;
    const p = examplePair(tok, r.src, r.tgt, r.labels ?? {}, maxLen);
    if (r.split === 'train') {
      if (p) train.push(p);
      else trainSkipped++;
    } else if (p) valid.push(p);
    else validSkipped++;
  }
  return { train: { pairs: train, skipped: trainSkipped }, valid: { pairs: valid, skipped: validSkipped } };
}

/** sha256 of tokenized pairs, in order: the identity of the training data for resuming. */
export function fingerprint(pairs: readonly Pair[]): string {
  const h = createHash('sha256');
  for (const p of pairs) h.update(`${p.source.join(',')}|${p.target.join(',')}\n`);
  return h.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Sampling
// ---------------------------------------------------------------------------------------------

/** The name of the ordering below, stored in checkpoints. */
export const SAMPLER_ORDER = 'splitmix32-fisher-yates-per-epoch';

/**
 * Deterministic batches: each epoch visits every example once, in a Fisher-Yates shuffle drawn
 * from a generator seeded by (seed, epoch) alone. The whole state is therefore (epoch, index),
 * which a checkpoint stores as two integers; no generator state needs saving.
 */
export class BatchSampler {
  private order: number[] = [];
  private orderEpoch = -1;

  constructor(
    private readonly pairs: readonly Pair[],
    private readonly seed: number,
    private readonly batchSize: number,
    /** Cap on padded tokens per batch, B × (longest source + longest decoder input); a single pair over it still forms a batch. */
    private readonly maxTokens: number | null,
    public epoch = 0,
    public index = 0,
  ) {
    if (pairs.length === 0) throw new RangeError('BatchSampler: no examples');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`BatchSampler: batch size ${batchSize}`);
  }

  private epochOrder(): number[] {
    if (this.orderEpoch !== this.epoch) {
      const rng = new Rng((this.seed ^ Math.imul(this.epoch + 1, 0x9e3779b9)) >>> 0);
      const order = Array.from({ length: this.pairs.length }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      this.order = order;
      this.orderEpoch = this.epoch;
    }
    return this.order;
  }

  /** The next batch's pairs, advancing the position (into the next epoch when this one runs out). */
  next(): Pair[] {
    const batch: Pair[] = [];
    let src = 0;
    let tgt = 0;
    while (batch.length < this.batchSize) {
      if (this.index >= this.pairs.length) {
        this.epoch++;
        this.index = 0;
      }
      const p = this.pairs[this.epochOrder()[this.index]!]!;
      const s = Math.max(src, p.source.length);
      const t = Math.max(tgt, p.target.length + 1);
      if (this.maxTokens !== null && batch.length > 0 && (batch.length + 1) * (s + t) > this.maxTokens) break;
      batch.push(p);
      src = s;
      tgt = t;
      this.index++;
    }
    return batch;
  }
}

// ---------------------------------------------------------------------------------------------
// A training run
// ---------------------------------------------------------------------------------------------

/** Hyper-parameters of a fresh run. */
export interface RunSettings {
  readonly batchSize: number;
  readonly maxTokens: number | null;
  readonly seed: number;
  readonly schedule: Required<Schedule>;
  /** Global gradient-norm clip (default 1). */
  readonly clip?: number;
  /** AdamW settings (defaults β2 0.98, weight decay 0.01, as the reference tests train). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
  /** dtype of model.safetensors in checkpoints (default F32; resuming is exact either way). */
  readonly weights?: WriteDtype;
}

/** What one step did. */
export interface StepReport {
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  /** Unpadded tokens processed: sources (with EOS) plus scored targets (with EOS). */
  readonly tokens: number;
}

/** Where the data comes from, recorded in checkpoints. */
export interface DataSource {
  readonly corpus: string;
  readonly direction: string;
  readonly skipped: number;
}

/**
 * A backend's copy of the model, as training drives it: the CPU backend's model answers at once,
 * the GPU backend's once its results are read back.
 */
interface TrainEngine {
  trainStep(batch: Batch, lr: number, options: AdamWOptions & { readonly clip?: number }): { loss: number; gradNorm: number } | Promise<{ loss: number; gradNorm: number }>;
  forward(batch: Batch): { loss: number } | Promise<{ loss: number }>;
  weightsByName(): Map<string, Float32Array> | Promise<Map<string, Float32Array>>;
  optimizerState(): OptimizerCopy | Promise<OptimizerCopy>;
}

interface OptimizerCopy {
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

/** Model, optimiser, schedule and sampler together: `step()` advances all of them, `save()` stores all of them. */
export class TrainingRun {
  /** The backend's copy of the model, when training runs on the CPU or GPU backend (see `useBackend`). */
  private engine: { readonly model: TrainEngine; close(): Promise<void> } | undefined;
  /** The engine in use, and why. */
  backend: { readonly name: BackendName; readonly note: string } = { name: 'reference', note: 'the float64 reference' };

  private constructor(
    readonly config: ModelConfig,
    readonly params: Params,
    readonly optimizer: AdamW,
    readonly sampler: BatchSampler,
    private state: TrainState,
  ) {}

  /** A fresh run: parameters from `settings.seed`, sampler at the start. */
  static start(config: ModelConfig, pairs: readonly Pair[], source: DataSource, settings: RunSettings): TrainingRun {
    const optimizer = new AdamW({ beta1: settings.beta1 ?? 0.9, beta2: settings.beta2 ?? 0.98, eps: settings.eps ?? 1e-8, weightDecay: settings.weightDecay ?? 0.01 });
    const state: TrainState = {
      format: 'gns-train-state',
      version: 1,
      step: 0,
      schedule: settings.schedule,
      clip: settings.clip ?? 1,
      optimizer: { kind: 'adamw', beta1: optimizer.beta1, beta2: optimizer.beta2, eps: optimizer.eps, weightDecay: optimizer.weightDecay },
      batch: { size: settings.batchSize, maxTokens: settings.maxTokens },
      seed: settings.seed,
      data: { corpus: source.corpus, direction: source.direction, examples: pairs.length, skipped: source.skipped, fingerprint: fingerprint(pairs), epoch: 0, index: 0, order: SAMPLER_ORDER },
      weights: settings.weights ?? 'F32',
      vocab: null,
      lastLoss: null,
    };
    const sampler = new BatchSampler(pairs, settings.seed, settings.batchSize, settings.maxTokens);
    return new TrainingRun(config, initParams(config, settings.seed), optimizer, sampler, state);
  }

  /**
   * Continues the checkpoint in `dir` on `pairs`, which must be the data it was trained on
   * (same fingerprint); throws `CommandError` (input) otherwise.
   */
  static resume(dir: string, pairs: readonly Pair[]): TrainingRun {
    const ckpt = loadTrainingCheckpoint(dir);
    const d = ckpt.state.data;
    if (d.order !== SAMPLER_ORDER) throw new CommandError(`the checkpoint in '${dir}' orders its data by '${d.order}', which this gns does not implement`, 'input');
    if (d.fingerprint !== fingerprint(pairs)) {
      throw new CommandError(`the training data differs from the checkpoint's (${d.examples} pairs from '${d.corpus}' then, ${pairs.length} now); resume on the same corpus, direction and maxLen`, 'input');
    }
    const sampler = new BatchSampler(pairs, ckpt.state.seed, ckpt.state.batch.size, ckpt.state.batch.maxTokens, d.epoch, d.index);
    return new TrainingRun(ckpt.config, ckpt.params, ckpt.optimizer, sampler, ckpt.state);
  }

  /**
   * Moves training onto a backend (see src/lm/engine/backend.ts; the reference trains `params`
   * in place): the parameters and the optimizer's moments are copied there (f32), and `save`
   * copies them back (exactly: f32 values widen to f64 without loss, so a run resumes bit for bit).
   */
  async useBackend(request: BackendRequest, threads?: number): Promise<void> {
    const backend = await openBackend(request, threads !== undefined ? { threads } : {});
    this.backend = { name: backend.name, note: backend.note };
    if (backend.name === 'reference') return;
    const model = backend.name === 'cpu' ? CpuModel.fromParams(backend.kernels, this.config, this.params) : GpuModel.fromParams(backend.kernels, this.config, this.params);
    model.loadOptimizerState(this.optimizer.step, this.optimizer.m, this.optimizer.v);
    this.engine = { model, close: () => backend.kernels.close() };
  }

  /** Releases the backend (worker threads, GPU device). */
  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = undefined;
  }

  /** Copies the backend's weights and moments back into `params` and the optimizer. */
  private async syncFromEngine(): Promise<void> {
    if (this.engine === undefined) return;
    for (const [name, w] of await this.engine.model.weightsByName()) this.params.get(name)!.data.set(w);
    const { step, m, v } = await this.engine.model.optimizerState();
    this.optimizer.step = step;
    for (const [moments, from] of [[this.optimizer.m, m], [this.optimizer.v, v]] as const) {
      for (const [name, data] of from) moments.set(name, { shape: [...this.params.get(name)!.shape], data: Float64Array.from(data) });
    }
  }

  /** Steps completed. */
  get step(): number {
    return this.state.step;
  }

  /** The run's settings and position, as train-state.json stores them. */
  get trainState(): TrainState {
    return { ...this.state, data: { ...this.state.data, epoch: this.sampler.epoch, index: this.sampler.index } };
  }

  /** Changes the schedule's total (`gns train --resume --steps` beyond the first target). */
  setTotalSteps(total: number): void {
    this.state = { ...this.state, schedule: { ...this.state.schedule, total } };
  }

  /** One optimiser step on the next batch. */
  async trainStep(): Promise<StepReport> {
    const pairs = this.sampler.next();
    const lr = learningRate(this.state.step, this.state.schedule);
    const batch = makeBatch(pairs);
    const o = this.optimizer;
    const r = this.engine
      ? await this.engine.model.trainStep(batch, lr, { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, clip: this.state.clip })
      : trainStep(this.params, this.config, batch, o, lr, this.state.clip);
    let tokens = 0;
    for (const p of pairs) tokens += p.source.length + p.target.length + 1;
    this.state = { ...this.state, step: this.state.step + 1, lastLoss: r.loss };
    return { step: this.state.step, loss: r.loss, lr, gradNorm: r.gradNorm, tokens };
  }

  /** Token-weighted mean loss over `pairs`, in batches of the run's batch size (no update). */
  async evaluate(pairs: readonly Pair[]): Promise<{ loss: number; tokens: number } | null> {
    if (pairs.length === 0) return null;
    let sum = 0;
    let tokens = 0;
    for (let i = 0; i < pairs.length; i += this.state.batch.size) {
      const batch = makeBatch(pairs.slice(i, i + this.state.batch.size));
      const count = batch.tgtLengths.reduce((a, b) => a + b, 0);
      const loss = this.engine ? (await this.engine.model.forward(batch)).loss : forward(this.params, this.config, batch).loss;
      sum += loss * count;
      tokens += count;
    }
    return { loss: sum / tokens, tokens };
  }

  /** Saves the checkpoint into `dir` (see src/lm/checkpoint.ts), copying `vocab` in. */
  async save(dir: string, vocab?: string): Promise<void> {
    await this.syncFromEngine();
    const state: TrainState = { ...this.trainState, vocab: vocab !== undefined ? MODEL_FILES.vocab : this.state.vocab };
    saveTrainingCheckpoint(dir, { config: this.config, params: this.params, optimizer: this.optimizer, state }, vocab, { 'gns.direction': state.data.direction });
  }

  /** Number of scalar parameters. */
  get parameters(): number {
    return parameterCount(this.params);
  }
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

/** `gns train`'s inputs, flags already parsed. */
export interface TrainCommand {
  /** Required for a fresh run; optional with `resume` (then it must equal the checkpoint's). */
  readonly config?: string;
  readonly data: string;
  /** Total steps (the schedule's length); with `resume`, defaults to the checkpoint's total. */
  readonly steps?: number;
  readonly out: string;
  readonly batch?: number;
  readonly maxTokens?: number;
  readonly lr?: number;
  readonly seed?: number;
  readonly resume: boolean;
  readonly direction: string;
  /** Save a checkpoint every this many steps (0: only at the end). */
  readonly saveEvery: number;
  readonly weights?: WriteDtype;
  /**
   * `auto` (the default: the GPU when Dawn finds a hardware adapter, else the CPU), `gpu` (WGSL
   * on Dawn, f32), `cpu` (the WebAssembly kernels, f32) or `reference` (float64, slow, the oracle).
   */
  readonly backend?: BackendRequest;
  /** Threads of the cpu backend (default: every core). */
  readonly threads?: number;
}

/** What `gns train` reports. */
export interface TrainSummary {
  readonly out: string;
  /** The engine that trained, and why it was chosen. */
  readonly backend: BackendName;
  readonly backendNote: string;
  readonly direction: string;
  readonly parameters: number;
  readonly steps: { readonly from: number; readonly to: number; readonly total: number };
  readonly examples: { readonly train: number; readonly trainSkipped: number; readonly valid: number; readonly validSkipped: number };
  readonly batch: { readonly size: number; readonly maxTokens: number | null };
  readonly lr: { readonly peak: number; readonly warmup: number; readonly floor: number };
  /** Loss of the first and last step of this invocation, and the curve averaged into at most 100 points. */
  readonly loss: { readonly first: number | null; readonly last: number | null; readonly curve: number[] };
  /** Token-weighted mean loss on the valid split at the end, or null when it is empty. */
  readonly validLoss: number | null;
  readonly tokensPerSecond: number;
  readonly seconds: number;
  readonly files: string[];
  readonly notes: string[];
}

const DIRECTIONS = ['aarch64-riscv64', 'riscv64-aarch64'];

/** Default warmup: 5% of the run, at least 1 step, at most 1000. */
export function defaultSchedule(peak: number, total: number): Required<Schedule> {
  return { peak, warmup: Math.max(1, Math.min(1000, Math.round(total * 0.05))), total, floor: peak / 10 };
}

function configMismatch(a: ModelConfig, b: ModelConfig): string | undefined {
  for (const k of Object.keys(a) as (keyof ModelConfig)[]) if (a[k] !== b[k]) return `${k} ${String(b[k])} in the checkpoint, ${String(a[k])} in --config`;
  return undefined;
}

function averaged(xs: readonly number[], points: number): number[] {
  if (xs.length <= points) return [...xs];
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const a = Math.floor((i * xs.length) / points);
    const b = Math.floor(((i + 1) * xs.length) / points);
    let s = 0;
    for (let j = a; j < b; j++) s += xs[j]!;
    out.push(s / (b - a));
  }
  return out;
}

/**
 * Runs `gns train`. `progress` is called after every step with the steps done in this
 * invocation, the steps to do, and a short detail (loss, tokens/s). Throws `CommandError`,
 * `WeightsError`, `DataError` or `VocabError` for the CLI to map to exit codes.
 */
export async function runTraining(cmd: TrainCommand, progress: (done: number, total: number, detail: string) => void = () => {}): Promise<TrainSummary> {
  if (!DIRECTIONS.includes(cmd.direction)) throw new CommandError(`--direction takes ${DIRECTIONS.join(' or ')}, got '${cmd.direction}'`, 'usage');
  const notes: string[] = [];
  const checkpointThere = hasTrainingCheckpoint(cmd.out) || existsSync(join(cmd.out, MODEL_FILES.weights));
  if (cmd.resume && !hasTrainingCheckpoint(cmd.out)) throw new CommandError(`no training checkpoint to resume in '${cmd.out}' (no ${MODEL_FILES.state})`, 'io');
  if (!cmd.resume && checkpointThere) throw new CommandError(`'${cmd.out}' already holds a model; pass --resume to continue training it, or choose another --out`, 'usage');

  // The configuration: from --config for a fresh run, from the checkpoint when resuming.
  let config: ModelConfig | undefined;
  if (cmd.config !== undefined) {
    try {
      config = readModelConfig(cmd.config);
    } catch (e) {
      if (e instanceof WeightsError) throw new CommandError(e.message, /cannot read/.test(e.message) ? 'io' : 'input');
      throw e;
    }
  } else if (!cmd.resume) throw new CommandError('train needs --config FILE (a JSON model config) for a fresh run', 'usage');
  if (cmd.resume) {
    const saved = readModelConfig(join(cmd.out, MODEL_FILES.config));
    if (config !== undefined) {
      const diff = configMismatch(config, saved);
      if (diff !== undefined) throw new CommandError(`--config does not match the checkpoint's config (${diff}); drop --config to resume with the saved one`, 'usage');
    }
    config = saved;
  }
  if (config === undefined) throw new CommandError('no model config', 'usage');

  const manifest = readManifest(cmd.data);
  const vocabPath = join(cmd.data, manifest.vocab.file);
  const tok = Tokenizer.load(vocabPath);
  if (tok.size !== config.vocab) {
    throw new CommandError(`the model config has vocab ${config.vocab}, but the corpus vocabulary '${vocabPath}' has ${tok.size} tokens; set "vocab": ${tok.size} in ${cmd.config ?? join(cmd.out, MODEL_FILES.config)}`, 'input');
  }
  const { train, valid } = loadExamples(cmd.data, tok, cmd.direction, config.maxLen);
  if (train.pairs.length === 0) {
    throw new CommandError(`'${cmd.data}' has no ${cmd.direction} train-split pairs that fit maxLen ${config.maxLen} (${train.skipped} too long)`, 'input');
  }
  if (train.skipped > 0) notes.push(`${train.skipped} train pairs skipped: longer than maxLen ${config.maxLen} with BOS/EOS`);
  if (valid.pairs.length === 0) notes.push('the corpus has no valid-split pairs in this direction: no validation loss');

  let run: TrainingRun;
  if (cmd.resume) {
    run = TrainingRun.resume(cmd.out, train.pairs);
    const s = run.trainState;
    const clash = (flag: string, given: number | undefined, saved: number | null): void => {
      if (given !== undefined && given !== saved) throw new CommandError(`--${flag} ${given} differs from the checkpoint's ${String(saved)}; resuming keeps the run's settings (drop --${flag})`, 'usage');
    };
    clash('batch', cmd.batch, s.batch.size);
    clash('max-tokens', cmd.maxTokens, s.batch.maxTokens);
    clash('lr', cmd.lr, s.schedule.peak);
    clash('seed', cmd.seed, s.seed);
    if (s.data.direction !== cmd.direction) throw new CommandError(`the checkpoint was trained ${s.data.direction}, not ${cmd.direction}`, 'usage');
    if (cmd.weights !== undefined && cmd.weights !== s.weights) throw new CommandError(`--dtype ${cmd.weights} differs from the checkpoint's ${s.weights}`, 'usage');
    const total = cmd.steps ?? s.schedule.total;
    if (total <= run.step) throw new CommandError(`the checkpoint has already trained ${run.step} steps; ask for more with --steps N (N > ${run.step})`, 'usage');
    if (total !== s.schedule.total) {
      notes.push(`schedule length changed from ${s.schedule.total} to ${total} steps: the learning rate curve differs from here on`);
      run.setTotalSteps(total);
    }
  } else {
    if (cmd.steps === undefined) throw new CommandError('train needs --steps N', 'usage');
    run = TrainingRun.start(config, train.pairs, { corpus: cmd.data, direction: cmd.direction, skipped: train.skipped }, {
      batchSize: cmd.batch ?? 16,
      maxTokens: cmd.maxTokens ?? null,
      seed: cmd.seed ?? 1,
      schedule: defaultSchedule(cmd.lr ?? 1e-3, cmd.steps),
      weights: cmd.weights ?? 'F32',
    });
  }

  await run.useBackend(cmd.backend ?? 'auto', cmd.threads);
  try {
    return await trainLoop(run, cmd, vocabPath, { train, valid }, notes, progress);
  } finally {
    await run.close();
  }
}

async function trainLoop(
  run: TrainingRun,
  cmd: TrainCommand,
  vocabPath: string,
  { train, valid }: { train: { pairs: Pair[]; skipped: number }; valid: { pairs: Pair[]; skipped: number } },
  notes: string[],
  progress: (done: number, total: number, detail: string) => void,
): Promise<TrainSummary> {
  const state = run.trainState;
  const from = run.step;
  const total = state.schedule.total;
  const losses: number[] = [];
  let tokens = 0;
  let trainMs = 0;
  const started = performance.now();
  for (let done = 0; run.step < total; done++) {
    const t0 = performance.now();
    const r = await run.trainStep();
    trainMs += performance.now() - t0;
    if (!Number.isFinite(r.loss)) throw new CommandError(`the loss diverged at step ${r.step} (${r.loss}); lower --lr`, 'input');
    losses.push(r.loss);
    tokens += r.tokens;
    if (cmd.saveEvery > 0 && r.step % cmd.saveEvery === 0 && r.step < total) await run.save(cmd.out, vocabPath);
    progress(done + 1, total - from, `loss ${r.loss.toFixed(3)} ${Math.round(tokens / (trainMs / 1000))} tok/s`);
  }
  const validLoss = await run.evaluate(valid.pairs);
  await run.save(cmd.out, vocabPath);
  const files = [MODEL_FILES.config, MODEL_FILES.weights, MODEL_FILES.vocab, MODEL_FILES.optimizer, MODEL_FILES.state];
  return {
    out: cmd.out,
    backend: run.backend.name,
    backendNote: run.backend.note,
    direction: cmd.direction,
    parameters: run.parameters,
    steps: { from, to: run.step, total },
    examples: { train: train.pairs.length, trainSkipped: train.skipped, valid: valid.pairs.length, validSkipped: valid.skipped },
    batch: { size: state.batch.size, maxTokens: state.batch.maxTokens },
    lr: { peak: state.schedule.peak, warmup: state.schedule.warmup, floor: state.schedule.floor },
    loss: { first: losses[0] ?? null, last: losses[losses.length - 1] ?? null, curve: averaged(losses, 100) },
    validLoss: validLoss?.loss ?? null,
    tokensPerSecond: trainMs > 0 ? Math.round(tokens / (trainMs / 1000)) : 0,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    files,
    notes,
  };
}

/** The summary as text. */
export function renderTrainSummary(s: TrainSummary): string {
  const f = (x: number | null): string => (x === null ? '-' : x.toFixed(4));
  const lines = [
    `trained steps ${s.steps.from} -> ${s.steps.to} of ${s.steps.total} (${s.backend} backend, ${s.direction}, ${s.parameters} parameters)`,
    `  data: ${s.examples.train} train pairs (${s.examples.trainSkipped} too long), ${s.examples.valid} valid pairs (${s.examples.validSkipped} too long); batch ${s.batch.size}${s.batch.maxTokens !== null ? `, at most ${s.batch.maxTokens} padded tokens` : ''}`,
    `  learning rate: peak ${s.lr.peak}, ${s.lr.warmup} warmup steps, cosine to ${Number(s.lr.floor.toPrecision(4))}`,
    `  loss: ${f(s.loss.first)} -> ${f(s.loss.last)}; valid loss ${f(s.validLoss)}`,
    `  ${s.tokensPerSecond} tokens/s, ${s.seconds} s; wrote ${s.out}: ${s.files.join(', ')}`,
  ];
  for (const n of s.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}
