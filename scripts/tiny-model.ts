// The reversal task the language-model tests learn, and the tiny committed checkpoint that
// decoding's golden tests run on (test/fixtures/lm/reverse): sequences of 3-8 symbols (ids 4..13;
// 0..3 are PAD, BOS, EOS, SEP, as in the tokenizer), the source ending in EOS, the target the
// sequence reversed. One recipe (seeds, batch, schedule, optimizer) serves the reference's
// learning test, the CPU backend's, and the checkpoint, which is the reference model trained
// by it and saved as F32 safetensors. Rerun this script only when the model or the checkpoint
// format changes on purpose, then review the golden diffs.
//
// Usage: node dist/scripts/tiny-model.js [OUT_DIR]

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng } from '../src/util/random.js';
import { type Batch, EOS, initParams, makeBatch, type ModelConfig, type Pair, type Params } from '../src/lm/reference/model.js';
import { AdamW, learningRate, trainStep } from '../src/lm/reference/train.js';
import { saveModel } from '../src/lm/checkpoint.js';

export const TINY_CONFIG: ModelConfig = { vocab: 14, dModel: 32, nHeads: 2, dFF: 64, encoderLayers: 1, decoderLayers: 1, maxLen: 10, tiedEmbeddings: true, positions: 'sinusoidal' };

/** Symbols are ids FIRST_SYMBOL .. FIRST_SYMBOL + SYMBOLS - 1 (0..3 are PAD, BOS, EOS, SEP). */
export const FIRST_SYMBOL = 4;
export const SYMBOLS = 10;

/** A random sequence of 3-8 symbols. */
export function tinySequence(rng: Rng): number[] {
  return Array.from({ length: 3 + rng.int(6) }, () => FIRST_SYMBOL + rng.int(SYMBOLS));
}

/** The training pair of a sequence: the source ends in EOS, which gives the encoder the end to count from. */
export function reversalPair(seq: readonly number[]): Pair {
  return { source: [...seq, EOS], target: [...seq].reverse() };
}

/** `count` distinct sequences from a fixed seed, for evaluation, and their keys (`seq.join()`). */
export function heldOutSequences(count = 200): { sequences: number[][]; keys: Set<string> } {
  const rng = new Rng(999);
  const sequences: number[][] = [];
  const keys = new Set<string>();
  while (sequences.length < count) {
    const s = tinySequence(rng);
    if (keys.has(s.join())) continue;
    keys.add(s.join());
    sequences.push(s);
  }
  return { sequences, keys };
}

/**
 * The recipe's batches, step by step: 32 pairs drawn from seed 5, skipping sequences in
 * `exclude`, at a learning rate warming up for 50 steps to 5e-3, then cosine (deterministic).
 */
export function* reversalBatches(steps: number, exclude: ReadonlySet<string> = new Set()): Generator<{ batch: Batch; lr: number }> {
  const rng = new Rng(5);
  for (let i = 0; i < steps; i++) {
    const pairs: Pair[] = [];
    while (pairs.length < 32) {
      const s = tinySequence(rng);
      if (!exclude.has(s.join())) pairs.push(reversalPair(s));
    }
    yield { batch: makeBatch(pairs), lr: learningRate(i, { peak: 5e-3, warmup: 50, total: steps }) };
  }
}

/** Runs the recipe through `step` (one engine's optimizer step; returns the loss): the loss of every step. */
export function trainReversal(steps: number, step: (batch: Batch, lr: number) => number, exclude: ReadonlySet<string> = new Set()): number[] {
  return Array.from(reversalBatches(steps, exclude), ({ batch, lr }) => step(batch, lr));
}

/** The reference model trained by the recipe (deterministic: same code, same bits), and its losses. */
export function trainTiny(steps = 700, exclude?: ReadonlySet<string>): { params: Params; losses: number[] } {
  const params = initParams(TINY_CONFIG, 1);
  const opt = new AdamW({ beta2: 0.98, weightDecay: 0.01 });
  const losses = trainReversal(steps, (batch, lr) => trainStep(params, TINY_CONFIG, batch, opt, lr, 1).loss, exclude);
  return { params, losses };
}

/** Token accuracy against the reversal (EOS included) and the count of exact outputs. */
export function reversalAccuracy(inputs: readonly (readonly number[])[], outputs: ReadonlyArray<{ tokens: readonly number[]; ended: boolean }>): { tokens: number; exact: number } {
  let correct = 0;
  let total = 0;
  let exact = 0;
  inputs.forEach((s, i) => {
    const expected = [...[...s].reverse(), EOS];
    const o = outputs[i]!;
    const got = o.ended ? [...o.tokens, EOS] : [...o.tokens];
    expected.forEach((id, k) => {
      if (got[k] === id) correct++;
    });
    total += expected.length;
    if (got.length === expected.length && got.every((id, k) => id === expected[k])) exact++;
  });
  return { tokens: correct / total, exact };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2] ?? 'test/fixtures/lm/reverse';
  saveModel(out, TINY_CONFIG, trainTiny().params, { metadata: { recipe: 'scripts/tiny-model.ts: reversal, 700 steps, seed 1, data seed 5' } });
  process.stdout.write(`wrote ${out}\n`);
}
