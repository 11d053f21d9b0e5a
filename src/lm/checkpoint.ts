// Model directories and training checkpoints on disk. A model directory is what ships:
//   config.json          the ModelConfig
//   model.safetensors    the weights (F32 by default; F64 on request)
//   vocab.json           the tokenizer's vocabulary (a copy, so the directory stands alone)
// and a training checkpoint adds what resuming needs:
//   optimizer.safetensors  AdamW's moments (F64), plus F64 master weights when the model file is F32
//   train-state.json       step, schedule, optimiser settings, data position, seed
// Resuming is exact whatever the model file's dtype: training N steps, saving, loading and
// training M more gives the same bits as N + M steps in one go. Each file is written atomically
// and stamped with its step, and train-state.json is written last, so a save cut short is caught
// on load instead of silently mixing two steps.

import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parameterShapes, validateConfig, type ModelConfig, type Params } from './reference/model.js';
import { AdamW, type Schedule } from './reference/train.js';
import type { Tensor } from './reference/tensor.js';
import { Tokenizer, VocabError } from './tokenizer.js';
import { readSafetensors, writeFileAtomic, writeSafetensors, WeightsError, type StoredTensor, type WriteDtype } from './safetensors.js';

export { WeightsError };

/** File names inside a model directory. */
export const MODEL_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  vocab: 'vocab.json',
  optimizer: 'optimizer.safetensors',
  state: 'train-state.json',
} as const;

const CONFIG_KEYS: ReadonlyArray<keyof ModelConfig> = ['vocab', 'dModel', 'nHeads', 'dFF', 'encoderLayers', 'decoderLayers', 'maxLen', 'tiedEmbeddings', 'positions'];

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/**
 * Checks parsed JSON as a ModelConfig: every field present, none unknown (a typo such as
 * `dmodel` must not silently fall back to something), and values the model can be built from.
 * `file` names the source in the `WeightsError`.
 */
export function parseModelConfig(value: unknown, file: string): ModelConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WeightsError(`'${file}': a model config must be a JSON object`);
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!(CONFIG_KEYS as readonly string[]).includes(k)) throw new WeightsError(`'${file}': unknown model config field '${k}' (expected ${CONFIG_KEYS.join(', ')})`);
  for (const k of CONFIG_KEYS) if (obj[k] === undefined) throw new WeightsError(`'${file}': model config lacks '${k}'`);
  const config = obj as unknown as ModelConfig;
  try {
    validateConfig(config);
  } catch (e) {
    throw new WeightsError(`'${file}': ${(e as Error).message}`);
  }
  return { ...config };
}

/** Reads and checks a model config file (`gns train --config`, or a model directory's config.json). */
export function readModelConfig(path: string): ModelConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new WeightsError(`cannot read '${path}': ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WeightsError(`'${path}' is not valid JSON: ${(e as Error).message}`);
  }
  return parseModelConfig(parsed, path);
}

// ---------------------------------------------------------------------------------------------
// Weights against a configuration
// ---------------------------------------------------------------------------------------------

/**
 * Checks that `tensors` holds exactly the parameters `config` defines, each with its shape, and
 * returns them as float64 parameters in initialisation order. Throws a `WeightsError` naming the
 * first missing, misshapen or unexpected parameter. `prefix` selects entries such as `master.`.
 */
export function paramsFromTensors(config: ModelConfig, tensors: ReadonlyMap<string, StoredTensor>, file: string, prefix = ''): Params {
  const params: Params = new Map();
  const expected = parameterShapes(config);
  for (const [name, shape] of expected) {
    const t = tensors.get(prefix + name);
    if (t === undefined) throw new WeightsError(`'${file}' lacks parameter '${prefix + name}' (shape [${shape.join(', ')}]) that the config asks for`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new WeightsError(`parameter '${prefix + name}' has shape [${t.shape.join(', ')}] in '${file}', but the config needs [${shape.join(', ')}]`);
    }
    params.set(name, { shape: [...shape], data: t.data });
  }
  const known = new Set(expected.map(([n]) => prefix + n));
  for (const name of tensors.keys()) {
    if (name.startsWith(prefix) && !known.has(name)) throw new WeightsError(`'${file}' has parameter '${name}' that the config does not define (wrong config, or weights of another model)`);
  }
  return params;
}

// ---------------------------------------------------------------------------------------------
// Model directories
// ---------------------------------------------------------------------------------------------

/** Options of `saveModel`. */
export interface SaveModelOptions {
  /** Element type of model.safetensors (default F32: half the size, ample for inference). */
  readonly dtype?: WriteDtype;
  /** Extra `__metadata__` entries for model.safetensors. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** A vocab.json to copy into the directory. */
  readonly vocab?: string;
}

/** A model directory, loaded and checked. */
export interface LoadedModel {
  readonly config: ModelConfig;
  /** Float64 parameters (F32 weights widened exactly). */
  readonly params: Params;
  /** model.safetensors' `__metadata__`. */
  readonly metadata: Record<string, string>;
  /** The vocab.json inside the directory, when there is one (its size equals `config.vocab`). */
  readonly vocabPath: string | undefined;
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new WeightsError(`cannot create '${dir}': ${(e as Error).message}`);
  }
}

function copyVocab(from: string, dir: string): void {
  const to = join(dir, MODEL_FILES.vocab);
  if (resolve(from) === resolve(to)) return;
  let bytes: Buffer;
  try {
    bytes = readFileSync(from);
  } catch (e) {
    throw new WeightsError(`cannot read vocabulary '${from}': ${(e as Error).message}`);
  }
  writeFileAtomic(to, bytes);
}

/** Writes config.json, model.safetensors and (optionally) vocab.json into `dir`, creating it. */
export function saveModel(dir: string, config: ModelConfig, params: Params, options: SaveModelOptions = {}): void {
  validateConfig(config);
  paramsFromTensors(config, storedView(params), '<parameters to save>');
  ensureDir(dir);
  if (options.vocab !== undefined) copyVocab(options.vocab, dir);
  writeSafetensors(join(dir, MODEL_FILES.weights), params, { dtype: options.dtype ?? 'F32', metadata: { format: 'gns-model', ...options.metadata } });
  writeFileAtomic(join(dir, MODEL_FILES.config), JSON.stringify(config, null, 2) + '\n');
}

function storedView(params: Params): Map<string, StoredTensor> {
  return new Map([...params].map(([n, t]) => [n, { dtype: 'F64' as const, shape: t.shape, data: t.data }]));
}

/**
 * Loads a model directory: config.json (checked), model.safetensors (checked against the config:
 * every parameter present with its shape, nothing extra) and, when present, vocab.json (its size
 * must equal the config's vocab). Every problem is a `WeightsError` naming the file.
 */
export function loadModel(dir: string): LoadedModel {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new WeightsError(`model directory '${dir}' does not exist`);
  }
  if (!isDir) throw new WeightsError(`'${dir}' is not a directory (expected a model directory with ${MODEL_FILES.config} and ${MODEL_FILES.weights})`);
  const configPath = join(dir, MODEL_FILES.config);
  if (!existsSync(configPath)) throw new WeightsError(`'${dir}' is not a gns model directory (no ${MODEL_FILES.config}); train one with gns train`);
  const config = readModelConfig(configPath);
  const weightsPath = join(dir, MODEL_FILES.weights);
  const { tensors, metadata } = readSafetensors(weightsPath);
  const params = paramsFromTensors(config, tensors, weightsPath);
  const vocabPath = join(dir, MODEL_FILES.vocab);
  let vocab: string | undefined;
  if (existsSync(vocabPath)) {
    let size: number;
    try {
      size = Tokenizer.load(vocabPath).size;
    } catch (e) {
      throw new WeightsError(e instanceof VocabError ? e.message : `cannot read '${vocabPath}': ${(e as Error).message}`);
    }
    if (size !== config.vocab) throw new WeightsError(`'${configPath}' says vocab ${config.vocab}, but '${vocabPath}' has ${size} tokens`);
    vocab = vocabPath;
  }
  return { config, params, metadata, vocabPath: vocab };
}

// ---------------------------------------------------------------------------------------------
// Optimiser state
// ---------------------------------------------------------------------------------------------

/** AdamW's first and second moments by parameter name (empty before the first update). Live tensors, not copies. */
export function optimizerMoments(optimizer: AdamW): { readonly m: ReadonlyMap<string, Tensor>; readonly v: ReadonlyMap<string, Tensor> } {
  return optimizer;
}

/** Sets AdamW's step and moments (copied) as a checkpoint saved them. */
export function restoreOptimizer(optimizer: AdamW, step: number, m: ReadonlyMap<string, Tensor>, v: ReadonlyMap<string, Tensor>): void {
  optimizer.m.clear();
  optimizer.v.clear();
  for (const [n, t] of m) optimizer.m.set(n, { shape: [...t.shape], data: new Float64Array(t.data) });
  for (const [n, t] of v) optimizer.v.set(n, { shape: [...t.shape], data: new Float64Array(t.data) });
  optimizer.step = step;
}

// ---------------------------------------------------------------------------------------------
// Training checkpoints
// ---------------------------------------------------------------------------------------------

/** Where the data sampler stands, and which data it was drawing from. */
export interface DataState {
  /** The corpus directory, as given. */
  readonly corpus: string;
  /** `aarch64-riscv64` or `riscv64-aarch64`. */
  readonly direction: string;
  /** Training pairs after dropping the too-long ones, and how many were dropped. */
  readonly examples: number;
  readonly skipped: number;
  /** sha256 of the tokenized training pairs in corpus order: resuming on other data is refused. */
  readonly fingerprint: string;
  /** The sampler's position: epoch, and index into that epoch's shuffled order. */
  readonly epoch: number;
  readonly index: number;
  /** How epochs are ordered (the algorithm name; a change of algorithm must not resume silently). */
  readonly order: string;
}

/** train-state.json. */
export interface TrainState {
  readonly format: 'gns-train-state';
  readonly version: 1;
  /** Optimiser steps completed. */
  readonly step: number;
  readonly schedule: Required<Schedule>;
  /** Global gradient-norm clip. */
  readonly clip: number;
  readonly optimizer: { readonly kind: 'adamw'; readonly beta1: number; readonly beta2: number; readonly eps: number; readonly weightDecay: number };
  /** Pairs per batch, and the padded-token cap per batch (null: none). */
  readonly batch: { readonly size: number; readonly maxTokens: number | null };
  /** Seed of the initial parameters and of the epoch shuffles (there is no other randomness). */
  readonly seed: number;
  readonly data: DataState;
  /** Element type of model.safetensors. */
  readonly weights: WriteDtype;
  /** The copied vocabulary's file name in the directory, or null. */
  readonly vocab: string | null;
  /** Mean training loss of the last step, for the record. */
  readonly lastLoss: number | null;
}

/** Everything a training checkpoint holds, in memory. */
export interface TrainingCheckpoint {
  readonly config: ModelConfig;
  readonly params: Params;
  readonly optimizer: AdamW;
  readonly state: TrainState;
}

/**
 * Saves a training checkpoint into `dir`: the model directory (weights in `state.weights`), the
 * optimiser's moments and, for F32 model files, the exact F64 master weights, then
 * train-state.json. `vocab` is the vocabulary file to copy in.
 */
export function saveTrainingCheckpoint(dir: string, ckpt: TrainingCheckpoint, vocab?: string, metadata: Readonly<Record<string, string>> = {}): void {
  const { config, params, optimizer, state } = ckpt;
  if (optimizer.step !== state.step) throw new RangeError(`checkpoint: optimizer at step ${optimizer.step}, state says ${state.step}`);
  const step = String(state.step);
  saveModel(dir, config, params, { dtype: state.weights, metadata: { ...metadata, 'gns.step': step }, ...(vocab !== undefined ? { vocab } : {}) });
  const { m, v } = optimizerMoments(optimizer);
  const entries: Array<[string, Tensor]> = [];
  for (const [n, t] of m) entries.push([`m.${n}`, t]);
  for (const [n, t] of v) entries.push([`v.${n}`, t]);
  if (state.weights !== 'F64') for (const [n, t] of params) entries.push([`master.${n}`, t]);
  writeSafetensors(join(dir, MODEL_FILES.optimizer), entries, { dtype: 'F64', metadata: { format: 'gns-optimizer', 'gns.step': step } });
  writeFileAtomic(join(dir, MODEL_FILES.state), JSON.stringify(state, null, 2) + '\n');
}

/** Whether `dir` holds a training checkpoint (train-state.json). */
export function hasTrainingCheckpoint(dir: string): boolean {
  return existsSync(join(dir, MODEL_FILES.state));
}

function readTrainState(path: string): TrainState {
  let s: Partial<TrainState>;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as Partial<TrainState>;
  } catch (e) {
    throw new WeightsError(`cannot read '${path}': ${(e as Error).message}`);
  }
  const ok =
    s.format === 'gns-train-state' &&
    s.version === 1 &&
    Number.isSafeInteger(s.step) &&
    typeof s.schedule === 'object' &&
    typeof s.optimizer === 'object' &&
    typeof s.batch === 'object' &&
    typeof s.data === 'object' &&
    Number.isSafeInteger(s.seed) &&
    (s.weights === 'F32' || s.weights === 'F64');
  if (!ok) throw new WeightsError(`'${path}' is not a gns training state (format gns-train-state, version 1)`);
  return s as TrainState;
}

/**
 * Loads a training checkpoint saved by `saveTrainingCheckpoint`: the model (checked as by
 * `loadModel`), the exact F64 weights, AdamW with its settings, step and moments, and the state.
 * Files from different steps (a save cut short) are a `WeightsError`.
 */
export function loadTrainingCheckpoint(dir: string): TrainingCheckpoint {
  const model = loadModel(dir);
  const statePath = join(dir, MODEL_FILES.state);
  if (!existsSync(statePath)) throw new WeightsError(`'${dir}' has no ${MODEL_FILES.state}: it is a model, not a training checkpoint`);
  const state = readTrainState(statePath);
  const optPath = join(dir, MODEL_FILES.optimizer);
  const opt = readSafetensors(optPath);
  const steps = [model.metadata['gns.step'], opt.metadata['gns.step'], String(state.step)];
  if (steps.some((s) => s !== steps[2])) {
    throw new WeightsError(`the checkpoint in '${dir}' is inconsistent (model at step ${steps[0] ?? '?'}, optimizer at step ${steps[1] ?? '?'}, state at step ${steps[2]}); a save was interrupted`);
  }
  const { config } = model;
  const params = state.weights === 'F64' ? model.params : paramsFromTensors(config, opt.tensors, optPath, 'master.');
  const m = new Map<string, Tensor>();
  const v = new Map<string, Tensor>();
  if (state.step > 0) {
    for (const [name, p] of paramsFromTensors(config, opt.tensors, optPath, 'm.')) m.set(name, p);
    for (const [name, p] of paramsFromTensors(config, opt.tensors, optPath, 'v.')) v.set(name, p);
  }
  for (const name of opt.tensors.keys()) {
    if (!/^(m|v|master)\./.test(name)) throw new WeightsError(`'${optPath}' has unexpected tensor '${name}'`);
  }
  const o = state.optimizer;
  const optimizer = new AdamW({ beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay });
  restoreOptimizer(optimizer, state.step, m, v);
  return { config, params, optimizer, state };
}
