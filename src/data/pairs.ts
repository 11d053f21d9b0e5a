// Aligned block pairs from one C program compiled for both ISAs: functions pair by symbol, blocks
// by the verifier's structural walk (labels and successor structure), and blocks the walk leaves
// unpaired by their `.loc` line/column sets. Each pair carries the instruction-level gold
// alignment that `.loc` line info gives, and the label correspondence the tokenizer needs to
// give a target block the same label placeholders as its source block.

import type { IsaName, Program } from '../ir/program.js';
import { buildCfgs, type FunctionCfg } from '../cfg/cfg.js';
import { frontEnd } from '../asm/index.js';
import { matchBlocks } from '../verify/correspond.js';
import { localData, pairDataLabels } from '../verify/data.js';

/** One aligned block pair, as stored in the corpus shards (one JSON object per line). */
export interface PairRecord {
  /** The source program's id (`csmith-17`, `gcc-torture-execute/20000112-1`, `project/sieve`). */
  readonly program: string;
  readonly split: Split;
  /** gcc optimization level of both sides. */
  readonly opt: OptLevel;
  readonly from: IsaName;
  readonly to: IsaName;
  readonly function: string;
  /** Block indices in the source and target function CFGs. */
  readonly blocks: readonly [number, number];
  /** How the blocks were paired: by the structural walk, or by identical `.loc` sets. */
  readonly match: 'structure' | 'loc';
  /** The blocks' instructions in canonical spelling, one per line, no indentation. */
  readonly src: string;
  readonly tgt: string;
  /** Target local label -> the source label it corresponds to (branch targets, constant pools). */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The gold alignment, as one id per instruction of each side: instructions with the same id
   * came from the same `.loc` line and column (ids number the source's line/column pairs in order
   * of first use; -1 is an instruction without line info). See `alignment`.
   */
  readonly srcLoc: readonly number[];
  readonly tgtLoc: readonly number[];
  /** Every instruction on both sides has line info and an aligned partner. */
  readonly alignComplete: boolean;
}

export type Split = 'train' | 'valid' | 'test';
export type OptLevel = 'O0' | 'O1' | 'O2';

/** What pairing one program in one direction gave, besides the pairs. */
export interface PairingCounts {
  readonly functions: number;
  readonly sourceBlocks: number;
  readonly paired: number;
  readonly byLoc: number;
  /** Functions defined on one side only (gcc may inline or drop static functions differently). */
  readonly unpairedFunctions: number;
}

// ---------------------------------------------------------------------------------------------
// Line info
// ---------------------------------------------------------------------------------------------

/**
 * The `.loc` in force at each instruction (statement index -> `line:column`). The state carries
 * across labels and blocks, as the assembler's line table does, and restarts at each function.
 */
export function lineInfo(program: Program): Map<number, string> {
  const out = new Map<number, string>();
  const starts = new Set(program.functions.map((f) => f.start));
  let current: string | undefined;
  program.statements.forEach((s, i) => {
    if (starts.has(i)) current = undefined;
    if (s.kind === 'directive' && s.name === '.loc') {
      const m = /^\s*\d+\s+(\d+)(?:\s+(\d+))?/.exec(s.args);
      if (m) current = `${m[1]}:${m[2] ?? '0'}`;
    } else if (s.kind === 'insn' && current !== undefined) out.set(i, current);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pairing
// ---------------------------------------------------------------------------------------------

interface Side {
  readonly program: Program;
  readonly cfgs: Map<string, FunctionCfg>;
  readonly loc: Map<number, string>;
  readonly dataKeys: Map<string, string>;
}

/** Parsed-program facts both directions need, computed once per program. */
export function prepareSide(program: Program): Side {
  return {
    program,
    cfgs: new Map(buildCfgs(program, frontEnd(program.isa)).map((c) => [c.name, c])),
    loc: lineInfo(program),
    dataKeys: localData(program).keys,
  };
}

/**
 * The canonical text of instructions (statement indices) of a program, one per line, no
 * indentation: the spelling corpus records hold, and so what the model reads and writes.
 */
export function canonicalText(program: Program, instructions: readonly number[]): string {
  const fe = frontEnd(program.isa);
  return instructions.map((i) => fe.printInstruction(program.statements[i] as never, true)).join('\n');
}

function locSignature(side: Side, instructions: readonly number[]): string {
  const locs = instructions.map((i) => side.loc.get(i));
  if (locs.some((l) => l === undefined)) return '';
  return [...new Set(locs)].sort().join(' ');
}

/** A local label (`.L5`, `.LC0`) anywhere in block text. */
export const LOCAL_LABELS = /\.L[\w.$]*/g;

/** The local labels a text uses, in order of first use. */
function labelsIn(text: string): string[] {
  return [...new Set(text.match(LOCAL_LABELS) ?? [])];
}

/**
 * Every aligned block pair of one program in one direction. `meta` fills the record fields that
 * name the program. Deterministic: functions in source order, blocks by source index.
 */
export function pairBlocks(
  source: Side,
  target: Side,
  meta: { program: string; split: Split; opt: OptLevel },
): { records: PairRecord[]; counts: PairingCounts } {
  const records: PairRecord[] = [];
  let functions = 0;
  let sourceBlocks = 0;
  let byLoc = 0;
  let unpairedFunctions = 0;
  const dataLabels = pairDataLabels(source.dataKeys, target.dataKeys);
  for (const [name, cs] of source.cfgs) {
    const ct = target.cfgs.get(name);
    if (!ct) {
      unpairedFunctions++;
      continue;
    }
    functions++;
    sourceBlocks += cs.blocks.length;
    const matching = matchBlocks(cs, ct);
    // A block paired with a whole region of the other side (a csel against a branch diamond) has
    // no block-sized partner; such pairs are left out rather than cut to the region's first block.
    const pairs = new Map([...matching.pairs].filter(([s]) => !matching.regions.has(s)));
    const how = new Map<number, 'structure' | 'loc'>([...pairs.keys()].map((s) => [s, 'structure']));
    // Blocks the walk left alone pair when their line/column sets are equal and unique.
    const bySig = new Map<string, number[]>();
    for (const t of matching.unmatchedTarget) {
      const sig = locSignature(target, ct.blocks[t]!.instructions);
      if (sig !== '') bySig.set(sig, [...(bySig.get(sig) ?? []), t]);
    }
    const sigOf = new Map(matching.unmatchedSource.map((s) => [s, locSignature(source, cs.blocks[s]!.instructions)]));
    const sourceSigs = new Map<string, number>();
    for (const sig of sigOf.values()) if (sig !== '') sourceSigs.set(sig, (sourceSigs.get(sig) ?? 0) + 1);
    for (const s of matching.unmatchedSource) {
      const sig = sigOf.get(s)!;
      const ts = bySig.get(sig);
      if (sig !== '' && ts?.length === 1 && sourceSigs.get(sig) === 1) {
        pairs.set(s, ts[0]!);
        how.set(s, 'loc');
        byLoc++;
      }
    }
    // Target label -> source label, from paired blocks (and below, paired constant data).
    const labelMap = new Map<string, string>();
    for (const [s, t] of pairs) {
      const sl = cs.blocks[s]!.labels.find((l) => l.startsWith('.L'));
      if (sl !== undefined) for (const tl of ct.blocks[t]!.labels) labelMap.set(tl, sl);
    }
    for (const s of [...pairs.keys()].sort((a, b) => a - b)) {
      const t = pairs.get(s)!;
      const si = cs.blocks[s]!.instructions;
      const ti = ct.blocks[t]!.instructions;
      if (si.length === 0 || ti.length === 0) continue;
      const src = canonicalText(source.program, si);
      const tgt = canonicalText(target.program, ti);
      const labels: Record<string, string> = {};
      for (const l of labelsIn(tgt)) {
        const m = labelMap.get(l) ?? dataLabels.get(l);
        if (m !== undefined) labels[l] = m;
      }
      const ids = new Map<string, number>();
      const srcLoc = si.map((i) => {
        const l = source.loc.get(i);
        if (l === undefined) return -1;
        if (!ids.has(l)) ids.set(l, ids.size);
        return ids.get(l)!;
      });
      // A target line/column the source block lacks gets an id no source instruction has.
      const unseen = new Map<string, number>();
      const tgtLoc = ti.map((i) => {
        const l = target.loc.get(i);
        if (l === undefined) return -1;
        if (ids.has(l)) return ids.get(l)!;
        if (!unseen.has(l)) unseen.set(l, ids.size + unseen.size);
        return unseen.get(l)!;
      });
      const srcIds = new Set(srcLoc);
      const tgtIds = new Set(tgtLoc);
      const alignComplete = srcLoc.every((x) => x >= 0 && tgtIds.has(x)) && tgtLoc.every((x) => x >= 0 && srcIds.has(x));
      records.push({ ...meta, from: source.program.isa, to: target.program.isa, function: name, blocks: [s, t], match: how.get(s)!, src, tgt, labels, srcLoc, tgtLoc, alignComplete });
    }
  }
  return { records, counts: { functions, sourceBlocks, paired: records.length, byLoc, unpairedFunctions } };
}

/** The gold alignment of a record: for each target instruction, the source instructions it came from. */
export function alignment(r: Pick<PairRecord, 'srcLoc' | 'tgtLoc'>): number[][] {
  return r.tgtLoc.map((t) => (t < 0 ? [] : r.srcLoc.flatMap((s, j) => (s === t ? [j] : []))));
}
