// Block correspondence between a source function and its translation. The translation keeps the
// source's control structure, so blocks are paired by walking both CFGs from their entries in
// step (successor by successor), and blocks the walk does not reach are paired by shared labels.
// Blocks left without a partner are reported, never dropped.

import type { BasicBlock, FunctionCfg } from '../cfg/cfg.js';

/** Source block index -> target block index, plus what stayed unpaired. */
export interface BlockMatching {
  readonly pairs: ReadonlyMap<number, number>;
  readonly unmatchedSource: readonly number[];
  readonly unmatchedTarget: readonly number[];
  /**
   * Unpaired jump-only blocks (`b .L5` alone) of each side, mapped to the block they lead to.
   * Such a block changes no state, so an edge into it is checked as an edge to where it leads;
   * one compiler often emits one where the other inverts the branch and falls through.
   */
  readonly forwardSource: ReadonlyMap<number, number>;
  readonly forwardTarget: ReadonlyMap<number, number>;
}

/** True for a block that is a single unconditional jump to a block of the same function. */
function isJumpOnly(b: BasicBlock): boolean {
  return b.instructions.length === 1 && b.terminator === 'jump' && b.successors.length === 1 && b.labels.length === 0;
}

/** Where each jump-only block finally leads (following chains, stopping at cycles). */
function forwarding(cfg: FunctionCfg): Map<number, number> {
  const out = new Map<number, number>();
  for (const b of cfg.blocks) {
    if (!isJumpOnly(b)) continue;
    let to = b.successors[0]!;
    const seen = new Set([b.index]);
    while (isJumpOnly(cfg.blocks[to]!) && !seen.has(to)) {
      seen.add(to);
      to = cfg.blocks[to]!.successors[0]!;
    }
    if (!seen.has(to)) out.set(b.index, to);
  }
  return out;
}

/** Terminators that leave the block the same way, for the structural walk. */
export function shape(b: BasicBlock): string {
  switch (b.terminator) {
    case 'none':
      return b.successors.length === 0 ? 'end' : 'fall';
    case 'call':
    case 'icall':
      return b.successors.length === 0 ? 'noreturn-call' : 'call';
    default:
      return b.terminator;
  }
}

/**
 * A block's successors, through jump-only blocks. A conditional branch's come as [the block laid
 * out next, the other]: when the fall-through is a jump-only block and the branch target is the
 * block right after it, the branch target is the one laid out next.
 */
function layoutSuccessors(cfg: FunctionCfg, index: number, forward: ReadonlyMap<number, number>): number[] {
  const b = cfg.blocks[index]!;
  const through = (x: number): number => forward.get(x) ?? x;
  if (b.terminator !== 'cbranch' || b.successors.length !== 2) return b.successors.map(through);
  const [taken, fall] = b.successors as [number, number];
  if (forward.has(fall) && taken === fall + 1) return [taken, through(fall)];
  return [through(fall), through(taken)];
}

/** Pairs the blocks of two functions. */
export function matchBlocks(source: FunctionCfg, target: FunctionCfg): BlockMatching {
  const pairs = new Map<number, number>();
  const taken = new Set<number>();
  const pair = (s: number, t: number): boolean => {
    if (pairs.has(s) || taken.has(t)) return false;
    pairs.set(s, t);
    taken.add(t);
    return true;
  };
  const fwdS = forwarding(source);
  const fwdT = forwarding(target);
  const walk = (start: [number, number][]): void => {
    const queue = start.filter(([s, t]) => pair(s, t));
    while (queue.length > 0) {
      const [s, t] = queue.shift()!;
      const bs = source.blocks[s]!;
      const bt = target.blocks[t]!;
      if (shape(bs) !== shape(bt) || bs.successors.length !== bt.successors.length) continue;
      // Successors in layout terms: for a conditional branch, the one whose code comes next
      // and the other. gcc may invert a branch on one side only, jumping over a jump-only block
      // (`b.gt .L3; b .L4; .L3:`) where the other falls through; labels do not help, since the
      // two compilers may number them differently.
      const ss = layoutSuccessors(source, s, fwdS);
      const ts = layoutSuccessors(target, t, fwdT);
      ss.forEach((x, k) => {
        const y = ts[k];
        if (y !== undefined && pair(x, y)) queue.push([x, y]);
      });
    }
  };
  if (source.blocks.length > 0 && target.blocks.length > 0) walk([[0, 0]]);
  // Labels seed the walk where structure alone does not reach (a target that calls memcpy where
  // the source copies inline has extra blocks). One seed at a time, so that structure found from
  // earlier seeds wins over a label the two compilers happened to number differently.
  const byLabel = new Map<string, number>();
  target.blocks.forEach((b) => b.labels.forEach((l) => byLabel.set(l, b.index)));
  for (const b of source.blocks) {
    if (pairs.has(b.index)) continue;
    const t = b.labels.map((l) => byLabel.get(l)).find((x) => x !== undefined && !taken.has(x));
    if (t !== undefined) walk([[b.index, t]]);
  }
  return {
    pairs,
    unmatchedSource: source.blocks.filter((b) => !pairs.has(b.index)).map((b) => b.index),
    unmatchedTarget: target.blocks.filter((b) => !taken.has(b.index)).map((b) => b.index),
    forwardSource: new Map([...fwdS].filter(([b]) => !pairs.has(b))),
    forwardTarget: new Map([...fwdT].filter(([b]) => !taken.has(b))),
  };
}
