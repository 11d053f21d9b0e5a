// Model-test fixtures both backends' model tests use (test/lm-cpu-model.test.ts,
// test/lm-gpu-model.test.ts): configuration variants and random padded pairs.

import type { ModelConfig, Pair } from '../../src/lm/reference/model.js';
import type { Rng } from '../../src/util/random.js';

/** n pairs of random lengths (sources 1-9, targets 1-8 tokens) over the non-special ids. */
export function randomPairs(rng: Rng, n: number, vocab: number): Pair[] {
  const seq = (len: number): number[] => Array.from({ length: len }, () => 4 + rng.int(vocab - 4));
  return Array.from({ length: n }, () => ({ source: seq(1 + rng.int(9)), target: seq(1 + rng.int(8)) }));
}

const base: ModelConfig = { vocab: 37, dModel: 24, nHeads: 3, dFF: 40, encoderLayers: 2, decoderLayers: 2, maxLen: 12, tiedEmbeddings: true, positions: 'sinusoidal' };

/** Tied and untied embeddings, sinusoidal and learned positions, one head and several, unequal stacks. */
export const MODEL_VARIANTS: readonly ModelConfig[] = [base, { ...base, tiedEmbeddings: false, positions: 'learned' }, { ...base, encoderLayers: 1, decoderLayers: 3, nHeads: 1 }];
