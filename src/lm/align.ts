// Instruction-level alignment from the model's token-level cross-attention. The decoder reports,
// per output token, a distribution over source tokens; the sketch needs to know which source
// instruction(s) each output instruction came from. Blocks are one instruction per line, so
// instructions are the runs of tokens between "\n" tokens: each output token votes for the
// source instruction of the source token it attends to most, and each output instruction takes
// the majority. The scorer compares such an alignment with the `.loc` gold of the corpus pairs.

import { alignment as goldAlignment, type PairRecord } from '../data/pairs.js';

/**
 * The instruction index of every token, -1 for separators: instructions are the runs between
 * separators, numbered from 0, so `k` separators make `k + 1` instructions (possibly empty), as
 * `text.split('\n')` does with the block's text.
 */
export function instructionIndices<T>(tokens: readonly T[], isSeparator: (token: T) => boolean): number[] {
  let k = 0;
  return tokens.map((t) => (isSeparator(t) ? (k++, -1) : k));
}

/** Options of `liftAlignment`. */
export interface LiftOptions<S, O> {
  /** Whether a source token separates instructions; default: it is the string "\n". */
  readonly sourceSeparator?: (token: S) => boolean;
  /** Whether an output token separates instructions; default: it is the string "\n". */
  readonly outputSeparator?: (token: O) => boolean;
}

/** One output instruction's alignment. */
export interface LiftedInstruction {
  /** The output token positions of the instruction (separators excluded). */
  readonly tokens: readonly number[];
  /** How many of its tokens point into each source instruction. */
  readonly votes: readonly number[];
  /**
   * The attention mass on each source instruction's tokens, summed over the instruction's tokens
   * and divided by their number (so it sums to at most 1: mass on separators or past the source
   * is not counted).
   */
  readonly mass: readonly number[];
  /**
   * The source instructions with the most votes, ascending (several on a tie). With no votes
   * (an instruction without tokens) it is empty.
   */
  readonly source: readonly number[];
}

/** The instruction-level alignment of one block pair. */
export interface LiftedAlignment {
  /** Per source token, its instruction (-1 for separators). */
  readonly sourceInstructionOf: readonly number[];
  /** Per output token, its instruction (-1 for separators). */
  readonly outputInstructionOf: readonly number[];
  /** Per output token, the source token it attends to most (-1 for separators). */
  readonly tokenSource: readonly number[];
  /** Number of source instructions. */
  readonly sourceInstructions: number;
  /** One entry per output instruction. */
  readonly instructions: readonly LiftedInstruction[];
  /** `instructions[i].source` for every output instruction: the format of `alignment` in data/pairs.ts. */
  readonly alignment: number[][];
}

const isNewline = (t: unknown): boolean => t === '\n';

/**
 * Lifts token-level cross-attention to instructions. `attention[i]` is output token i's
 * distribution over source positions (e.g. `Hypothesis.steps[i].attention`); positions at or past
 * `source.length` (a trailing EOS) and rows past `output.length` (the EOS step) are ignored.
 *
 * Each output token is mapped to the source token, among those inside an instruction, with the
 * highest attention (ties: the earlier token): separators carry no instruction, so attention
 * resting on one would give no vote. Tokens and separators are whatever the caller's predicates
 * say, so ids work as well as texts.
 */
export function liftAlignment<S = string, O = string>(
  source: readonly S[],
  output: readonly O[],
  attention: ReadonlyArray<ArrayLike<number>>,
  options: LiftOptions<S, O> = {},
): LiftedAlignment {
  if (attention.length < output.length) throw new RangeError(`liftAlignment: ${attention.length} attention rows for ${output.length} output tokens`);
  const sourceInstructionOf = instructionIndices(source, options.sourceSeparator ?? isNewline);
  const outputInstructionOf = instructionIndices(output, options.outputSeparator ?? isNewline);
  // k separators make k + 1 instructions; an empty sequence has none.
  const sourceInstructions = source.length === 0 ? 0 : separators(sourceInstructionOf) + 1;
  const outputInstructions = output.length === 0 ? 0 : separators(outputInstructionOf) + 1;

  const tokenSource: number[] = [];
  const instructions = Array.from({ length: outputInstructions }, () => ({
    tokens: [] as number[],
    votes: new Array<number>(sourceInstructions).fill(0),
    mass: new Array<number>(sourceInstructions).fill(0),
  }));
  output.forEach((_, i) => {
    const k = outputInstructionOf[i]!;
    if (k < 0) {
      tokenSource.push(-1);
      return;
    }
    const row = attention[i]!;
    const ins = instructions[k]!;
    ins.tokens.push(i);
    let best = -1;
    for (let j = 0; j < source.length && j < row.length; j++) {
      const s = sourceInstructionOf[j]!;
      if (s < 0) continue;
      ins.mass[s]! += row[j]!;
      if (best < 0 || row[j]! > row[best]!) best = j;
    }
    tokenSource.push(best);
    if (best >= 0) ins.votes[sourceInstructionOf[best]!]!++;
  });
  const lifted: LiftedInstruction[] = instructions.map((ins) => {
    const n = ins.tokens.length;
    const mass = ins.mass.map((m) => (n === 0 ? 0 : m / n));
    const top = Math.max(0, ...ins.votes);
    const chosen = top === 0 ? [] : ins.votes.flatMap((v, s) => (v === top ? [s] : []));
    return { tokens: ins.tokens, votes: ins.votes, mass, source: chosen };
  });
  return {
    sourceInstructionOf,
    outputInstructionOf,
    tokenSource,
    sourceInstructions,
    instructions: lifted,
    alignment: lifted.map((l) => [...l.source]),
  };
}

function separators(indices: readonly number[]): number {
  return indices.reduce((n, k) => n + (k < 0 ? 1 : 0), 0);
}

/** Precision, recall and F1 of predicted (target instruction, source instruction) links. */
export interface AlignmentScore {
  /** Links both in the prediction and the gold. */
  readonly correct: number;
  readonly predicted: number;
  readonly gold: number;
  /** `correct / predicted` (0 when nothing is predicted, 1 when nothing is predicted or gold). */
  readonly precision: number;
  /** `correct / gold` (0 when the gold is empty but something is predicted, 1 when both are empty). */
  readonly recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  readonly f1: number;
}

function scoreOf(correct: number, predicted: number, gold: number): AlignmentScore {
  const precision = predicted === 0 ? (gold === 0 ? 1 : 0) : correct / predicted;
  const recall = gold === 0 ? (predicted === 0 ? 1 : 0) : correct / gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { correct, predicted, gold, precision, recall, f1 };
}

/**
 * Scores a predicted instruction alignment against a gold one; both list, per target (output)
 * instruction, the source instruction indices it aligns to, as `alignment(record)` does. Links are
 * counted as a set (a repeated index counts once). `skip[i]` leaves target instruction i out on
 * both sides (e.g. one without line info, whose gold is unknown rather than empty).
 */
export function scoreAlignment(predicted: readonly (readonly number[])[], gold: readonly (readonly number[])[], skip?: readonly boolean[]): AlignmentScore {
  if (predicted.length !== gold.length) throw new RangeError(`scoreAlignment: ${predicted.length} predicted target instructions, ${gold.length} in the gold`);
  let correct = 0;
  let p = 0;
  let g = 0;
  predicted.forEach((pred, i) => {
    if (skip?.[i] === true) return;
    const ps = new Set(pred);
    const gs = new Set(gold[i]!);
    p += ps.size;
    g += gs.size;
    for (const s of ps) if (gs.has(s)) correct++;
  });
  return scoreOf(correct, p, g);
}

/**
 * Scores a predicted alignment against a corpus record's `.loc` gold (`alignment(record)`),
 * leaving out target instructions without line info (`tgtLoc` -1): nothing is known about them.
 */
export function scoreAgainstRecord(predicted: readonly (readonly number[])[], record: Pick<PairRecord, 'srcLoc' | 'tgtLoc'>): AlignmentScore {
  return scoreAlignment(predicted, goldAlignment(record), record.tgtLoc.map((t) => t < 0));
}

/** Micro-average: the links of several blocks pooled into one score. */
export function poolScores(scores: readonly AlignmentScore[]): AlignmentScore {
  let correct = 0;
  let predicted = 0;
  let gold = 0;
  for (const s of scores) {
    correct += s.correct;
    predicted += s.predicted;
    gold += s.gold;
  }
  return scoreOf(correct, predicted, gold);
}
