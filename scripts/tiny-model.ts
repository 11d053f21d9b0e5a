// Makes the tiny committed checkpoint that decoding's golden tests run on
// (test/fixtures/lm/reverse): the reference model trained from a fixed seed to reverse sequences
// of 3-8 symbols (ids 4..13, the source ending in EOS), saved as F32 safetensors. Rerun it only
// when the model or the checkpoint format changes on purpose, then review the golden diffs.
//
// Usage: node dist/scripts/tiny-model.js [OUT_DIR]

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng } from '../src/util/random.js';
import { EOS, initParams, makeBatch, type ModelConfig, type Pair, type Params } from '../src/lm/reference/model.js';
import { AdamW, learningRate, trainStep } from '../src/lm/reference/train.js';
import { saveModel } from '../src/lm/checkpoint.js';

export const TINY_CONFIG: ModelConfig = { vocab: 14, dModel: 32, nHeads: 2, dFF: 64, encoderLayers: 1, decoderLayers: 1, maxLen: 10, tiedEmbeddings: true, positions: 'sinusoidal' };

/** A random sequence of 3-8 symbols (ids 4..13). */
export function tinySequence(rng: Rng): number[] {
  return Array.from({ length: 3 + rng.int(6) }, () => 4 + rng.int(10));
}

/** Trains the tiny reversal model (deterministic: same code, same bits). */
export function trainTiny(steps = 700): Params {
  const params = initParams(TINY_CONFIG, 1);
  const opt = new AdamW({ beta2: 0.98, weightDecay: 0.01 });
  const rng = new Rng(5);
  for (let step = 0; step < steps; step++) {
    const pairs: Pair[] = Array.from({ length: 32 }, () => {
      const s = tinySequence(rng);
      return { source: [...s, EOS], target: [...s].reverse() };
    });
    trainStep(params, TINY_CONFIG, makeBatch(pairs), opt, learningRate(step, { peak: 5e-3, warmup: 50, total: steps }), 1);
  }
  return params;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2] ?? 'test/fixtures/lm/reverse';
  saveModel(out, TINY_CONFIG, trainTiny(), { metadata: { recipe: 'scripts/tiny-model.ts: reversal, 700 steps, seed 1, data seed 5' } });
  process.stdout.write(`wrote ${out}\n`);
}
