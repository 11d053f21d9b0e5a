// Block correspondence between a source function and its translation. The translation keeps the
// source's control structure, so blocks are paired by walking both CFGs from their entries in
// step (successor by successor), and blocks the walk does not reach are paired by shared labels.
// Where one side has a single block and the other a small branching region that does the same
// (an AArch64 `csel` is a RISC-V branch diamond), the block is paired with the whole region.
// Blocks left without a partner are reported, never dropped.

import type { BasicBlock, FunctionCfg } from '../cfg/cfg.js';

/**
 * A single-entry region of one side: control enters at `blocks[0]`, runs acyclically through
 * plain branches and jumps, and leaves from one or more of its blocks (a call or a return ends
 * it). A plain block is the region of itself.
 */
export interface Region {
  /** Entry first. */
  readonly blocks: readonly number[];
}

/** A source region and the target region that does the same. */
export interface RegionPair {
  readonly source: Region;
  readonly target: Region;
}

/** Source block index -> target block index, plus what stayed unpaired. */
export interface BlockMatching {
  /** Source block (a region's entry) -> target block (the partner region's entry). */
  readonly pairs: ReadonlyMap<number, number>;
  /** Pairs where a side has more than one block, by source entry. Other pairs are block to block. */
  readonly regions: ReadonlyMap<number, RegionPair>;
  /** Source blocks inside a source region, other than its entry -> the entry. */
  readonly inside: ReadonlyMap<number, number>;
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
    case 'jump':
      // Falling into a block and jumping to it are the same way out.
      return 'fall';
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

/** Blocks that leave the same way, to as many successors. */
function alike(a: BasicBlock, b: BasicBlock): boolean {
  return shape(a) === shape(b) && a.successors.length === b.successors.length;
}

// ---------------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------------

/** Most blocks, and most paths, a region may have: csel diamonds, a few in a row. */
const REGION_BLOCKS = 10;
const REGION_PATHS = 16;
/** How far past a region the two sides' structure is compared, to choose among regions that fit. */
const LOOKAHEAD = 4;

/** A block that ends in a fall-through, a jump or a conditional branch (no call, no return). */
function plainControl(b: BasicBlock): boolean {
  const k = shape(b);
  return k === 'fall' || k === 'cbranch';
}

/** Successors with no jump-only block skipped: how edges inside a region are followed. */
export const NO_FORWARDING: ReadonlyMap<number, number> = new Map();

/** Whether a function dispatches through a jump table (an indirect jump) anywhere. */
export function hasJumpTable(cfg: FunctionCfg): boolean {
  return cfg.blocks.some((b) => b.terminator === 'ijump');
}

/** An edge that stays inside a region: to one of its blocks other than its entry. */
export function staysInside(region: Region, to: number): boolean {
  return to !== region.blocks[0] && region.blocks.includes(to);
}

/**
 * Every path through a region, from its entry to a block where control may leave it, or undefined
 * when the region has a cycle or more than `limit` paths.
 */
export function regionPaths(cfg: FunctionCfg, region: Region, limit = REGION_PATHS): number[][] | undefined {
  const paths: number[][] = [];
  const extend = (path: number[]): boolean => {
    const b = cfg.blocks[path.at(-1)!]!;
    const inner = [...new Set(b.successors)].filter((s) => staysInside(region, s));
    if (inner.length < b.successors.length || b.successors.length === 0) paths.push(path);
    if (paths.length > limit) return false;
    for (const s of inner) if (path.includes(s) || !extend([...path, s])) return false;
    return true;
  };
  return extend([region.blocks[0]!]) ? paths : undefined;
}

/**
 * Where a region leaves, when it leaves the way `like` (a block of the other side) does: its
 * outside successors in layout order, matching `like`'s. Undefined when it does not match.
 */
function leavesLike(cfg: FunctionCfg, region: Region, forward: ReadonlyMap<number, number>, like: BasicBlock): number[] | undefined {
  const paths = regionPaths(cfg, region);
  if (!paths) return undefined;
  const ending = [...new Set(paths.map((p) => p.at(-1)!))];
  const outside = new Set<number>();
  for (const b of region.blocks) for (const s of cfg.blocks[b]!.successors) if (!staysInside(region, s)) outside.add(forward.get(s) ?? s);
  const kind = shape(like);
  const shapes = ending.map((b) => shape(cfg.blocks[b]!));
  // Calls and returns end a region; inside it, only plain control flow.
  if (!region.blocks.every((b) => plainControl(cfg.blocks[b]!) || ending.includes(b))) return undefined;
  switch (kind) {
    case 'fall':
      return shapes.every((k) => k === 'fall' || k === 'cbranch') && outside.size === 1 ? [...outside] : undefined;
    case 'cbranch': {
      // One block decides where the region goes, as `like` does.
      const [e] = ending;
      if (ending.length !== 1 || shapes[0] !== 'cbranch' || outside.size !== 2) return undefined;
      return layoutSuccessors(cfg, e!, forward);
    }
    default: {
      // A call or a return: one block makes it; the others only lead there.
      const makers = ending.filter((b) => shape(cfg.blocks[b]!) === kind);
      if (makers.length < 1 || ending.some((b) => !makers.includes(b)) || (kind !== 'ret' && makers.length !== 1)) return undefined;
      const rest = ending.length === 1 ? layoutSuccessors(cfg, ending[0]!, forward) : [];
      return rest.length === like.successors.length ? rest : undefined;
    }
  }
}

/**
 * The regions from `entry` that leave the way `like` does, smallest first, grown a block at a
 * time: a block joins when all its predecessors are in the region (so the region keeps one entry).
 */
function regionsLike(cfg: FunctionCfg, preds: readonly number[][], entry: number, forward: ReadonlyMap<number, number>, like: BasicBlock, claimed: (b: number) => boolean): { region: Region; successors: number[] }[] {
  const blocks = [entry];
  const found: { region: Region; successors: number[] }[] = [];
  while (blocks.length < REGION_BLOCKS) {
    const inside = new Set(blocks);
    const grow = blocks
      .filter((b) => plainControl(cfg.blocks[b]!))
      .flatMap((b) => cfg.blocks[b]!.successors)
      .filter((c) => !inside.has(c) && !claimed(c) && preds[c]!.every((p) => inside.has(p)))
      .sort((x, y) => x - y)[0];
    if (grow === undefined) break;
    blocks.push(grow);
    const region = { blocks: [...blocks] };
    const successors = leavesLike(cfg, region, forward, like);
    if (successors) found.push({ region, successors });
  }
  return found;
}

/** A block alone, as a region. */
export function single(block: number): Region {
  return { blocks: [block] };
}

/** Predecessors of every block. */
function predecessors(cfg: FunctionCfg): number[][] {
  const out: number[][] = cfg.blocks.map(() => []);
  for (const b of cfg.blocks) for (const s of b.successors) out[s]!.push(b.index);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/** How `matchBlocks` may pair beyond block-to-block structure. */
export interface MatchOptions {
  /** Pair a block with a region of the other side (default true). */
  readonly regions?: boolean;
}

/** Pairs the blocks of two functions. */
export function matchBlocks(source: FunctionCfg, target: FunctionCfg, opts: MatchOptions = {}): BlockMatching {
  const pairs = new Map<number, number>();
  const taken = new Set<number>();
  const regions = new Map<number, RegionPair>();
  const inside = new Map<number, number>();
  const pair = (s: number, t: number): boolean => {
    if (pairs.has(s) || taken.has(t) || inside.has(s)) return false;
    pairs.set(s, t);
    taken.add(t);
    return true;
  };
  const fwdS = forwarding(source);
  const fwdT = forwarding(target);
  const predsS = predecessors(source);
  const predsT = predecessors(target);
  /**
   * The successors of the pair (s, t) on each side, in layout terms (for a conditional branch:
   * the one whose code comes next, and the other). gcc may invert a branch on one side only,
   * jumping over a jump-only block (`b.gt .L3; b .L4; .L3:`) where the other falls through;
   * labels do not help, since the two compilers may number them differently.
   */
  const successors = (s: number, t: number): [number[], number[]] | undefined => {
    const bs = source.blocks[s]!;
    const bt = target.blocks[t]!;
    if (alike(bs, bt)) return [layoutSuccessors(source, s, fwdS), layoutSuccessors(target, t, fwdT)];
    if (opts.regions === false) return undefined;
    // One side branches where the other does not: a region on one side for a block on the other.
    // Of the regions that fit, the one after which the two sides keep the same structure longest
    // wins; on a tie, the larger (gcc puts the code after a RISC-V csel diamond in its join block).
    const claimedS = (b: number): boolean => pairs.has(b) || inside.has(b);
    const afterS = layoutSuccessors(source, s, fwdS);
    const afterT = layoutSuccessors(target, t, fwdT);
    const best = (list: { region: Region; successors: number[] }[], score: (c: number[]) => number): { region: Region; successors: number[] } | undefined => {
      let pick: { region: Region; successors: number[] } | undefined;
      let top = -1;
      for (const c of list) {
        const v = score(c.successors);
        if (v >= top) [pick, top] = [c, v];
      }
      return pick;
    };
    const agreeing = (xs: readonly number[], ys: readonly number[]): number => Math.min(LOOKAHEAD, ...xs.map((x, k) => agreement(x, ys[k]!, LOOKAHEAD)));
    const inT = best(regionsLike(target, predsT, t, fwdT, bs, (b) => taken.has(b)), (c) => agreeing(afterS, c));
    const inS = inT ? undefined : best(regionsLike(source, predsS, s, fwdS, bt, claimedS), (c) => agreeing(c, afterT));
    if (!inT && !inS) return undefined;
    const rp = { source: inS?.region ?? single(s), target: inT?.region ?? single(t) };
    regions.set(s, rp);
    for (const b of rp.source.blocks) if (b !== s) inside.set(b, s);
    for (const b of rp.target.blocks) taken.add(b);
    return [inS?.successors ?? afterS, inT?.successors ?? afterT];
  };
  /** How many levels of successors of source x and target y have the same structure (at most `depth`). */
  const agreement = (x: number, y: number, depth: number): number => {
    if (!alike(source.blocks[x]!, target.blocks[y]!)) return 0;
    if (depth === 1) return 1;
    const xs = layoutSuccessors(source, x, fwdS);
    const ys = layoutSuccessors(target, y, fwdT);
    return 1 + Math.min(depth - 1, ...xs.map((a, k) => agreement(a, ys[k]!, depth - 1)));
  };
  const walk = (start: [number, number][]): void => {
    const queue = start.filter(([s, t]) => pair(s, t));
    while (queue.length > 0) {
      const [s, t] = queue.shift()!;
      const next = successors(s, t);
      if (!next) continue;
      const [ss, ts] = next;
      const plainPair = !regions.has(s);
      const rawS = source.blocks[s]!.successors;
      const rawT = target.blocks[t]!.successors;
      ss.forEach((x, k) => {
        let y = ts[k];
        if (y === undefined) return;
        // A jump-only block on one side may stand where the other side does real work on the
        // edge (`bl f; b .L7` against `call f; mv a5,a0; j .L7`): then it is paired, not skipped.
        if (plainPair && ss.length === 1 && !alike(source.blocks[x]!, target.blocks[y]!)) {
          if (rawS[0] !== x && alike(source.blocks[rawS[0]!]!, target.blocks[y]!)) x = rawS[0]!;
          else if (rawT[0] !== y && alike(source.blocks[x]!, target.blocks[rawT[0]!]!)) y = rawT[0]!;
        }
        if (pair(x, y)) queue.push([x, y]);
      });
    }
  };
  if (source.blocks.length > 0 && target.blocks.length > 0) walk([[0, 0]]);
  // Labels seed the walk where structure alone does not reach (a target that calls memcpy where
  // the source copies inline has extra blocks). One seed at a time, so that structure found from
  // earlier seeds wins over a label the two compilers happened to number differently. Not where a
  // side dispatches through a jump table: the two compilers then number and order the cases
  // differently, and a label says nothing.
  const tables = hasJumpTable(source) || hasJumpTable(target);
  const byLabel = new Map<string, number>();
  target.blocks.forEach((b) => b.labels.forEach((l) => byLabel.set(l, b.index)));
  for (const b of tables ? [] : source.blocks) {
    if (pairs.has(b.index) || inside.has(b.index)) continue;
    const t = b.labels.map((l) => byLabel.get(l)).find((x) => x !== undefined && !taken.has(x));
    if (t !== undefined) walk([[b.index, t]]);
  }
  return {
    pairs,
    regions,
    inside,
    unmatchedSource: source.blocks.filter((b) => !pairs.has(b.index) && !inside.has(b.index)).map((b) => b.index),
    unmatchedTarget: target.blocks.filter((b) => !taken.has(b.index)).map((b) => b.index),
    forwardSource: new Map([...fwdS].filter(([b]) => !pairs.has(b) && !inside.has(b))),
    forwardTarget: new Map([...fwdT].filter(([b]) => !taken.has(b))),
  };
}

/** The regions a source block's unit runs on each side (plain blocks are their own region). */
export function unitOf(matching: BlockMatching, bs: number): RegionPair | undefined {
  const r = matching.regions.get(bs);
  if (r) return r;
  const bt = matching.pairs.get(bs);
  return bt === undefined ? undefined : { source: single(bs), target: single(bt) };
}

// ---------------------------------------------------------------------------------------------
// Edge blocks
// ---------------------------------------------------------------------------------------------

/**
 * Empty blocks, added to one side where the other side has a block of its own on an edge that
 * this side takes directly (`bl f` falling into `.L7` against `call f; mv a5,a0` falling into
 * `.L7`): each such block then has a partner, and its work is checked like any other block's.
 * Only fall-through edges are split (an added block has no label to branch to). Returns both CFGs,
 * with the added blocks at the end and flagged `added`, or undefined when there is nothing to add.
 */
export function splitEdges(source: FunctionCfg, target: FunctionCfg, matching: BlockMatching): { source: FunctionCfg; target: FunctionCfg } | undefined {
  const sourceOf = new Map([...matching.pairs].map(([s, t]) => [t, s]));
  const toTarget = (s: number): number | undefined => (matching.regions.has(s) ? undefined : matching.pairs.get(s));
  const toSource = (t: number): number | undefined => {
    const s = sourceOf.get(t);
    return s === undefined || matching.regions.has(s) ? undefined : s;
  };
  const addedTarget = addEdgeBlocks(target, source, matching.unmatchedSource.filter((b) => !matching.forwardSource.has(b)), toTarget, matching.forwardTarget, matching.forwardSource);
  const addedSource = addEdgeBlocks(source, target, matching.unmatchedTarget.filter((b) => !matching.forwardTarget.has(b)), toSource, matching.forwardSource, matching.forwardTarget);
  return addedSource || addedTarget ? { source: addedSource ?? source, target: addedTarget ?? target } : undefined;
}

/**
 * Adds to `cfg` an empty block for each unpaired block `e` of `other` that sits alone on the
 * fall-through edge of a paired block, when both edges lead to paired blocks.
 */
function addEdgeBlocks(cfg: FunctionCfg, other: FunctionCfg, unpaired: readonly number[], partner: (b: number) => number | undefined, forward: ReadonlyMap<number, number>, forwardOther: ReadonlyMap<number, number>): FunctionCfg | undefined {
  const predsOther = predecessors(other);
  const blocks = [...cfg.blocks];
  for (const e of unpaired) {
    const edge = other.blocks[e]!;
    const [po, ...more] = predsOther[e]!;
    if (po === undefined || more.length > 0 || shape(edge) !== 'fall' || edge.successors.length !== 1) continue;
    const p = partner(po);
    if (p === undefined) continue;
    const from = blocks[p]!;
    const x = from.successors.at(-1);
    // The edge must be the fall-through on both sides, and lead to blocks already paired.
    if (other.blocks[po]!.successors.at(-1) !== e || x === undefined || !['none', 'cbranch', 'call', 'icall'].includes(from.terminator)) continue;
    const y = edge.successors[0]!;
    if (partner(forwardOther.get(y) ?? y) !== (forward.get(x) ?? x)) continue;
    const added: BasicBlock = { index: blocks.length, labels: [], instructions: [], terminator: 'none', successors: [x], unsupported: false, liveIn: cfg.blocks[x]!.liveIn, liveOut: cfg.blocks[x]!.liveIn, added: true };
    blocks[p] = { ...from, successors: [...from.successors.slice(0, -1), added.index] };
    blocks.push(added);
  }
  return blocks.length === cfg.blocks.length ? undefined : { ...cfg, blocks };
}
