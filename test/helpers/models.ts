// Model-test fixtures both backends' model tests use (test/lm-cpu-model.test.ts,
// test/lm-gpu-model.test.ts): configuration variants, random padded pairs, and the golden decoding
// of the committed tiny checkpoint.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ModelConfig, Pair } from '../../src/lm/reference/model.js';
import type { BeamSearchOptions, Hypothesis } from '../../src/lm/reference/decode.js';
import { repoPath } from './golden.js';
import type { Rng } from '../../src/util/random.js';

/** n pairs of random lengths (sources 1-9, targets 1-8 tokens) over the non-special ids. */
export function randomPairs(rng: Rng, n: number, vocab: number): Pair[] {
  const seq = (len: number): number[] => Array.from({ length: len }, () => 4 + rng.int(vocab - 4));
  return Array.from({ length: n }, () => ({ source: seq(1 + rng.int(9)), target: seq(1 + rng.int(8)) }));
}

const base: ModelConfig = { vocab: 37, dModel: 24, nHeads: 3, dFF: 40, encoderLayers: 2, decoderLayers: 2, maxLen: 12, tiedEmbeddings: true, positions: 'sinusoidal' };

/** Tied and untied embeddings, sinusoidal and learned positions, one head and several, unequal stacks. */
export const MODEL_VARIANTS: readonly ModelConfig[] = [base, { ...base, tiedEmbeddings: false, positions: 'learned' }, { ...base, encoderLayers: 1, decoderLayers: 3, nHeads: 1 }];

/**
 * The golden decoding of the committed tiny checkpoint (test/golden/lm/reverse-decode.txt, written
 * by test/lm-golden.test.ts from the float64 reference): per source, the greedy output and the
 * beam-4 (nBest 2) outputs, as `tokens [<eos>]`. Probabilities and scores are left out: an f32
 * backend matches them only to rounding.
 */
function goldenDecoding(): { sources: number[][]; greedy: string[]; beams: string[][] } {
  const out = { sources: [] as number[][], greedy: [] as string[], beams: [] as string[][] };
  for (const line of readFileSync(repoPath('test/golden/lm/reverse-decode.txt'), 'utf8').split('\n')) {
    const [kind, ...rest] = line.trim().split(/\s+/);
    if (kind === 'source') {
      out.sources.push(rest.map(Number));
      out.beams.push([]);
    } else if (kind === 'greedy') out.greedy.push(rest.join(' '));
    else if (kind === 'beam') out.beams[out.beams.length - 1]!.push(rest.slice(0, rest.indexOf('score')).join(' '));
  }
  return out;
}

/** A hypothesis as the golden file spells its tokens. */
function hypothesisText(h: Hypothesis): string {
  return `${h.tokens.join(' ')}${h.ended ? ' <eos>' : ''}`;
}

/**
 * Runs a backend's beam search on the golden file's sources, greedy (beam 1, no length penalty)
 * and beam 4 (nBest 2), and asserts the golden outputs.
 */
export async function assertGoldenDecoding(search: (sources: number[][], options: Pick<BeamSearchOptions, 'beam' | 'maxLen' | 'lengthPenalty' | 'nBest'>) => Hypothesis[][] | Promise<Hypothesis[][]>): Promise<void> {
  const gold = goldenDecoding();
  for (const options of [{ beam: 1, maxLen: 12, lengthPenalty: 0 }, { beam: 4, maxLen: 12, nBest: 2 }]) {
    const got = await search(gold.sources, options);
    gold.sources.forEach((_, b) => {
      if (options.beam === 1) assert.equal(hypothesisText(got[b]![0]!), gold.greedy[b], `greedy, golden source ${b}`);
      else assert.deepEqual(got[b]!.map(hypothesisText), gold.beams[b], `beam 4, golden source ${b}`);
    });
  }
}
