// Inferring R for a function pair, without an alignment from the language model:
// - the frame shift delta, by aligning each block pair's frame accesses (kind and size, in order)
//   and taking the offset difference most aligned accesses agree on;
// - the private bytes: register save slots, and frame bytes only one side touches;
// - the register pairs at every boundary, Houdini-style: start from every plausible pair (same
//   register file, widths 64/32/16/8) and drop each pair that some random related run of a
//   predecessor block pair breaks, until nothing changes. The prover later proves what is left
//   inductive, and drops what it can refute (see check.ts).
// The function entry relation is the ABI's (argument registers) and is never weakened.

import type { Instruction } from '../ir/program.js';
import { concrete } from '../isa/concrete.js';
import { frontEnd } from '../asm/index.js';
import { isDescribeError } from '../isa/types.js';
import { Rng } from '../util/random.js';
import { FRAME_REACH, argumentPairs, entryPairs, randomEntry, returnsInMemory, runPair } from './concrete.js';
import type { Machine } from '../emu/machine.js';
import { exitsOf } from './obligations.js';
import { type BasicBlock, callee } from '../cfg/cfg.js';
import { type Region, unitOf } from './correspond.js';
import { type FrameAccess, frameBytes } from './frame.js';
import { type FunctionRelation, type PairContext, type RegPair, type SideContext, type SlotPair, isKept, registersNamed, samePair } from './relation.js';
import { operandExpr } from '../ir/expr.js';
import { pairHolds } from './obligations.js';
import { type ExtensionFact, extendValue, factHolds, returnFact } from './returns.js';

// ---------------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------------

/**
 * Longest common subsequence of two access lists by (kind, size, register file, and the argument
 * a store spills, where `argument` names one on both sides): the aligned pairs.
 */
function alignAccesses(a: readonly FrameAccess[], b: readonly FrameAccess[], argument: (x: FrameAccess, side: 's' | 't') => string | undefined): [FrameAccess, FrameAccess][] {
  // The table compares every pair of accesses: name each access's argument once, not per pair.
  const [argsA, argsB] = [a.map((x) => argument(x, 's')), b.map((y) => argument(y, 't'))];
  const same = (i: number, j: number): boolean => {
    const [x, y, ax, ay] = [a[i]!, b[j]!, argsA[i], argsB[j]];
    return x.kind === y.kind && x.bytes === y.bytes && x.fp === y.fp && (ax === undefined || ay === undefined || ax === ay);
  };
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i]![j] = same(i, j) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const out: [FrameAccess, FrameAccess][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (same(i, j) && table[i]![j] === table[i + 1]![j + 1]! + 1) out.push([a[i++]!, b[j++]!]);
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

/** The frame relation of a function pair: the shift, the slot pairs, and the private bytes. */
export interface Frames extends Pick<FunctionRelation, 'privateSource' | 'privateTarget' | 'outgoing'> {
  readonly delta: bigint;
  readonly slots: SlotPair[];
  /** Share of aligned accesses that delta or a slot pair explains. */
  readonly agreement: number;
  /** Calls that pass the address of a paired frame object, with the argument pairs that do. */
  readonly escapes: Map<number, RegPair[]>;
}

/**
 * The register a store of the entry block spills while it still holds its value on entry (no
 * earlier instruction of the block wrote it): at -O0 the prologue spills every argument so. With
 * `throughCopy`, also a register copied first (RISC-V's `mv a5,a1` then `sw a5,-28(s0)`).
 */
function spilled(side: SideContext, x: FrameAccess, throughCopy = false): string | undefined {
  const entry = side.cfg.blocks[0]!.instructions;
  const at = entry.indexOf(x.stmt);
  const value = (side.program.statements[x.stmt] as Instruction).operands[0];
  if (x.kind !== 'store' || at < 0 || value?.kind !== 'reg') return undefined;
  // Stores write memory only.
  const writer = (reg: string, before: number): number => {
    for (let k = before - 1; k >= 0; k--) {
      const insn = side.program.statements[entry[k]!] as Instruction;
      const dst = insn.operands[0];
      if (!/^(st|s[bhwd]$|fs[wd]$)/.test(insn.mnemonic) && dst?.kind === 'reg' && dst.reg.id === reg) return k;
    }
    return -1;
  };
  const w = writer(value.reg.id, at);
  if (w < 0) return value.reg.id;
  const copy = side.program.statements[entry[w]!] as Instruction;
  const from = copy.operands[1];
  if (!throughCopy || !/^(mv|mov)$/.test(copy.mnemonic) || copy.operands.length !== 2 || from?.kind !== 'reg') return undefined;
  return writer(from.reg.id, w) < 0 ? from.reg.id : undefined;
}

/**
 * The argument registers a function reads, paired across the two sides, at the width both
 * prologues spill them (a char argument is one byte: the bits above are the caller's garbage on
 * AArch64). A call to the function must pass these related. None for a function with a caveat (a
 * variadic prologue spills every register) and none for the structure result's address, which
 * may point to objects R relates in other ways.
 */
export function spilledArguments(ctx: PairContext): RegPair[] {
  if (ctx.caveat) return [];
  const widths = (side: SideContext): Map<string, number> => {
    const out = new Map<string, number>();
    for (const x of side.frame.accesses[0] ?? []) {
      const r = spilled(side, x, true);
      if (r !== undefined && !out.has(r)) out.set(r, x.bytes);
    }
    return out;
  };
  const [ws, wt] = [widths(ctx.source), widths(ctx.target)];
  const sret = returnsInMemory(ctx);
  const pairs = [...argumentPairs(ctx, sret).slice(sret ? 1 : 0), ...ctx.source.abi.fpArgs.map((r, i): [string, string] => [r, ctx.target.abi.fpArgs[i]!])];
  return pairs.flatMap(([s, t]) => (ws.has(s) && wt.has(t) ? [{ s, t, w: 8 * Math.min(ws.get(s)!, wt.get(t)!) }] : []));
}

/** The frame shift, slot pairs and private bytes of a function pair. */
export function inferFrames(ctx: PairContext): Frames {
  const aligned: [FrameAccess, FrameAccess][] = [];
  const slots = (xs: readonly FrameAccess[]): FrameAccess[] => xs.filter((x) => x.off !== undefined && !x.save);
  const accessesOf = (side: SideContext, region: Region): FrameAccess[] => region.blocks.flatMap((b) => side.frame.accesses[b] ?? []);
  // The prologue spills the arguments: a spill pairs only with the spill of the same argument (a
  // structure result's address is x8 on AArch64 but a hidden a0 on RISC-V, and shifts the rest).
  const targetArg = new Map([...argumentPairs(ctx, returnsInMemory(ctx)), ...ctx.source.abi.fpArgs.map((r, i): [string, string] => [r, ctx.target.abi.fpArgs[i]!])].map(([s, t]) => [t, s]));
  const sourceArgs = new Set(targetArg.values());
  const argument = (x: FrameAccess, which: 's' | 't'): string | undefined => {
    if (which === 's') {
      const r = spilled(ctx.source, x);
      return r !== undefined && sourceArgs.has(r) ? r : undefined;
    }
    const r = spilled(ctx.target, x);
    return r === undefined ? undefined : targetArg.get(r) ?? (ctx.target.abi.intArgs.includes(r) || ctx.target.abi.fpArgs.includes(r) ? `target ${r}` : undefined);
  };
  // Each aligned pair with the target accesses of its unit.
  const units: [FrameAccess, FrameAccess, readonly FrameAccess[]][] = [];
  for (const bs of ctx.matching.pairs.keys()) {
    const unit = unitOf(ctx.matching, bs)!;
    const targets = slots(accessesOf(ctx.target, unit.target));
    for (const [x, y] of alignAccesses(slots(accessesOf(ctx.source, unit.source)), targets, argument)) {
      aligned.push([x, y]);
      units.push([x, y, targets]);
    }
  }
  // The shift that lines up the most source frame bytes (a spill slot read ten times counts
  // once): a lone slot elsewhere can still be paired on its own, a whole structure cannot.
  const covered = new Map<bigint, Set<bigint>>();
  for (const [x, y] of aligned) {
    const set = covered.get(x.off! - y.off!) ?? new Set<bigint>();
    for (let k = 0n; k < BigInt(x.bytes); k++) set.add(x.off! + k);
    covered.set(x.off! - y.off!, set);
  }
  let delta = 0n;
  let most = 0;
  for (const [d, bytes] of covered) if (bytes.size > most || (bytes.size === most && d < delta)) [delta, most] = [d, bytes.size];
  const found = frameObjects(ctx, delta);
  const objects = found.objects;
  const overlaps = (p: SlotPair): boolean => objects.some((o) => (p.s < o.s + BigInt(o.bytes) && o.s < p.s + BigInt(p.bytes)) || (p.t < o.t + BigInt(o.bytes) && o.t < p.t + BigInt(p.bytes)));
  // A slot pair needs an aligned access that delta cannot explain: one the unit's target makes
  // nowhere at delta (a copy in 16-byte pieces on one side and 8-byte ones on the other aligns its
  // pieces at random), or the spill of one argument on both sides.
  const unexplained = (p: SlotPair): boolean =>
    units.some(([x, y, targets]) => x.off === p.s && y.off! + delta === p.t && x.bytes === p.bytes && (argument(x, 's') !== undefined || !targets.some((z) => z.kind === x.kind && z.bytes === x.bytes && z.off === x.off! - delta)));
  const lone = slotPairs(ctx, aligned, delta).filter((p) => !overlaps(p) && unexplained(p));
  const explained = aligned.filter(([x, y]) => x.off! - y.off! === delta || lone.some((p) => p.s === x.off && p.t === y.off! + delta)).length;
  const pairs = [...lone, ...objects];
  return { delta, slots: pairs, ...framePartition(ctx, delta, pairs), agreement: aligned.length === 0 ? 1 : explained / aligned.length, escapes: found.escapes };
}

/** The private bytes and outgoing stack-argument bytes of each side, given the frame shift and the slot pairs. */
function framePartition(ctx: PairContext, delta: bigint, slots: readonly SlotPair[]): Pick<FunctionRelation, 'privateSource' | 'privateTarget' | 'outgoing'> {
  const paired = (which: 's' | 't'): Set<bigint> => new Set(slots.flatMap((p) => Array.from({ length: p.bytes }, (_, k) => (which === 's' ? p.s : p.t) + BigInt(k))));
  const [pairedS, pairedT] = [paired('s'), paired('t')];
  const bytes = (side: SideContext, shift: bigint, skip: Set<bigint>): Set<bigint> => new Set([...frameBytes(side.frame, shift, (a) => !a.save)].filter((b) => !skip.has(b)));
  const usedS = bytes(ctx.source, 0n, pairedS);
  const usedT = bytes(ctx.target, delta, pairedT);
  // Both sides pass stack arguments, or neither does: bytes at the bottom of one frame alone are
  // something else (a structure copy whose address is passed).
  let outgoingS = new Set([...outgoingArguments(ctx.source, 0n)].filter((b) => !pairedS.has(b)));
  let outgoingT = new Set([...outgoingArguments(ctx.target, delta)].filter((b) => !pairedT.has(b)));
  if (outgoingS.size === 0 || outgoingT.size === 0) [outgoingS, outgoingT] = [new Set(), new Set()];
  const privateSource = new Set([...ctx.source.frame.saveBytes, ...pairedS, ...outgoingS, ...[...usedS].filter((b) => !usedT.has(b))]);
  const privateTarget = new Set([...[...ctx.target.frame.saveBytes].map((b) => b + delta), ...pairedT, ...outgoingT, ...[...usedT].filter((b) => !usedS.has(b))]);
  return { privateSource, privateTarget, outgoing: { source: outgoingS, target: outgoingT } };
}

/** A frame address each side passes in corresponding argument registers at a call. */
interface Escape {
  /** The calling unit (source block index). */
  readonly bs: number;
  readonly s: string;
  readonly t: string;
  /** Source CFA offsets (the target's shifted by delta). */
  readonly a: bigint;
  readonly b: bigint;
  /** The blocks of the calling unit on each side. */
  readonly blocksS: readonly number[];
  readonly blocksT: readonly number[];
}

const isCall = (term: string): boolean => term === 'call' || term === 'icall' || term === 'tailcall';

/**
 * The frame addresses the two sides pass to callees, argument register by argument register, as
 * the ABI pairs them (a callee that returns a structure in memory takes its buffer in x8 on
 * AArch64, in a0 on RISC-V: the AArch64 side sets x8 to a frame address then).
 */
function frameEscapes(ctx: PairContext, delta: bigint): Escape[] {
  const [S, T] = [ctx.source, ctx.target];
  const out: Escape[] = [];
  for (const bs of ctx.matching.pairs.keys()) {
    const unit = unitOf(ctx.matching, bs)!;
    const cs = unit.source.blocks.find((b) => isCall(S.cfg.blocks[b]!.terminator));
    const ct = unit.target.blocks.find((b) => isCall(T.cfg.blocks[b]!.terminator));
    const [fs, ft] = [cs === undefined ? undefined : S.frame.atCall[cs], ct === undefined ? undefined : T.frame.atCall[ct]];
    if (!fs || !ft) continue;
    const a64 = S.program.isa === 'aarch64' ? fs : T.program.isa === 'aarch64' ? ft : undefined;
    for (const [s, t] of argumentPairs(ctx, a64?.has('x8') ?? false)) {
      const [a, b] = [fs.get(s), ft.get(t)];
      if (a !== undefined && b !== undefined) out.push({ bs, s, t, a, b: b + delta, blocksS: unit.source.blocks, blocksT: unit.target.blocks });
    }
  }
  return out;
}

/**
 * Object pairs (see SlotPair): a frame address the source passes to a callee where the target
 * passes one that delta does not line up, each the other's most frequent partner (gcc makes the
 * by-reference copy of a structure argument at different places on the two ISAs). An object
 * extends from that address over the bytes the calling blocks access next to it on either side
 * (the copy). Every call where both sides pass a frame address, and one of them into an object,
 * gets that argument pair, related through the object: a callee given a pointer to the wrong byte
 * is a difference.
 */
function frameObjects(ctx: PairContext, delta: bigint): { objects: SlotPair[]; escapes: Map<number, RegPair[]> } {
  const all = frameEscapes(ctx, delta);
  const votes = new Map<string, Escape[]>();
  for (const e of all.filter((x) => x.a !== x.b)) votes.set(`${e.a}:${e.b}`, [...(votes.get(`${e.a}:${e.b}`) ?? []), e]);
  // Bytes from `base` on that one side accesses in the given blocks, without a gap.
  const extent = (side: SideContext, blocks: readonly number[], base: bigint, shift: bigint): number => {
    const used = frameBytes(side.frame, shift, (x) => !x.save, blocks);
    let n = 0;
    while (used.has(base + BigInt(n))) n++;
    return n;
  };
  const savesT = new Set([...ctx.target.frame.saveBytes].map((b) => b + delta));
  const objects: SlotPair[] = [];
  const inside = (off: bigint, base: bigint, n: number): boolean => off >= base && off < base + BigInt(n);
  for (const group of mutualBest([...votes.values()].map((p) => ({ p, n: p.length })), (g) => `${g[0]!.a}`, (g) => `${g[0]!.b}`)) {
    const { a, b } = group[0]!;
    const bytes = Math.max(...group.flatMap((e) => [extent(ctx.source, e.blocksS, a, 0n), extent(ctx.target, e.blocksT, b, delta)]));
    const clash = (o: SlotPair): boolean => (a < o.s + BigInt(o.bytes) && o.s < a + BigInt(bytes)) || (b < o.t + BigInt(o.bytes) && o.t < b + BigInt(bytes));
    const saved = Array.from({ length: bytes }, (_, k) => BigInt(k)).some((k) => ctx.source.frame.saveBytes.has(a + k) || savesT.has(b + k));
    if (bytes > 0 && !saved && !objects.some(clash)) objects.push({ s: a, t: b, bytes, object: true });
  }
  const escapes = new Map<number, RegPair[]>();
  for (const e of all) {
    const o = objects.find((x) => inside(e.a, x.s, x.bytes)) ?? objects.find((x) => inside(e.b, x.t, x.bytes));
    if (o) escapes.set(e.bs, [...(escapes.get(e.bs) ?? []), { s: e.s, t: e.t, w: 64, offset: { add: o.t - o.s, cfa: 0 } }]);
  }
  return { objects, escapes };
}

/**
 * The items that are, on both sides (`left`, `right` name an item's place on each), the most voted
 * partner of their place; a tie leaves a place without one.
 */
function mutualBest<P>(votes: Iterable<{ readonly p: P; readonly n: number }>, left: (p: P) => string, right: (p: P) => string): P[] {
  const list = [...votes];
  const best = (key: (p: P) => string): Map<string, P | null> => {
    const out = new Map<string, { p: P | null; n: number }>();
    for (const { p, n } of list) {
      const prev = out.get(key(p));
      if (!prev || n > prev.n) out.set(key(p), { p, n });
      else if (n === prev.n) prev.p = null;
    }
    return new Map([...out].map(([k, v]) => [k, v.p]));
  };
  const ofRight = best(right);
  return [...best(left).values()].filter((p): p is P => p !== null && ofRight.get(right(p)) === p);
}

/**
 * The outgoing stack-argument bytes of one side (shifted by `shift`): bytes it stores but never
 * loads, below every byte it loads or saves a register to (the argument area sits at the bottom
 * of the frame). They are compared as arguments at each call, by their offset from sp. None in a
 * function that saves no register (it makes no call) or indexes its frame (an array might be
 * read there).
 */
function outgoingArguments(side: SideContext, shift: bigint): Set<bigint> {
  const all = side.frame.accesses.flat();
  const out = new Set<bigint>();
  if (!all.some((a) => a.save) || all.some((a) => a.indexed)) return out;
  const statics = all.filter((a) => a.off !== undefined);
  const floor = statics.filter((a) => a.kind === 'load' || a.save).reduce((lo, a) => (a.off! < lo ? a.off! : lo), 0n);
  for (const a of statics) if (a.kind === 'store' && !a.save && a.off! + BigInt(a.bytes) <= floor) for (let k = 0n; k < BigInt(a.bytes); k++) out.add(a.off! + k + shift);
  return out;
}

/**
 * Slot pairs: a source slot and a target slot of one size that most often meet in the aligned
 * accesses, each the other's best partner, at a shift other than delta, where every other static
 * access on each side either is the slot or misses it (a slot inside a structure is not paired on
 * its own).
 */
function slotPairs(ctx: PairContext, aligned: readonly [FrameAccess, FrameAccess][], delta: bigint): SlotPair[] {
  const votes = new Map<string, { p: SlotPair; n: number }>();
  for (const [x, y] of aligned) {
    const key = `${x.off}:${y.off}:${x.bytes}`;
    const v = votes.get(key) ?? { p: { s: x.off!, t: y.off!, bytes: x.bytes }, n: 0 };
    v.n++;
    votes.set(key, v);
  }
  const clean = (side: SideContext, off: bigint, n: number): boolean =>
    side.frame.accesses.every((list) => list.every((a) => a.off === undefined || a.save || (a.off === off && a.bytes === n) || a.off + BigInt(a.bytes) <= off || a.off >= off + BigInt(n)));
  // The best partner of each slot; a tie leaves the slot without one.
  return mutualBest(votes.values(), (p) => `${p.s}:${p.bytes}`, (p) => `${p.t}:${p.bytes}`)
    .filter((p) => p.s - p.t !== delta && clean(ctx.source, p.s, p.bytes) && clean(ctx.target, p.t, p.bytes))
    .map((p) => ({ ...p, t: p.t + delta }));
}

// ---------------------------------------------------------------------------------------------
// Returned values
// ---------------------------------------------------------------------------------------------

/**
 * Integer results are compared in their low 32 bits: the type is not known, and AArch64 may leave
 * the upper half of x0 unspecified for an int (`asr x0, x0, 16` for `(int)(x >> 16)`), where
 * RISC-V sign-extends.
 */
const INT_RESULT_BITS = 32;

/**
 * The first integer and FP return registers, where both sides set theirs on the way out: after
 * the last call, in a block that returns or in one of its predecessors. A void function may leave
 * anything in x0 (AArch64 -O0 computes in it), but RISC-V -O0 computes in a5 and writes a0 last
 * only for a result, so it takes both. The width is the narrower write (`s0`: 32 bits), and at
 * most INT_RESULT_BITS for integers. A function that returns a structure in memory returns no
 * register.
 */
export function returnedValues(ctx: PairContext): RegPair[] {
  const setOnReturn = (side: SideContext, reg: string): number | undefined => {
    const fe = frontEnd(side.program.isa);
    // The width of the block's last write of `reg`; null when a call comes after it.
    const lastWrite = (b: BasicBlock): number | null | undefined => {
      for (let k = b.instructions.length - 1; k >= 0; k--) {
        const insn = side.program.statements[b.instructions[k]!] as Instruction;
        const info = fe.describe(insn as never);
        if (isDescribeError(info)) continue;
        if (info.control === 'call' || info.control === 'icall') return null;
        if (!info.writes.includes(reg)) continue;
        const dst = insn.operands[0];
        return dst?.kind === 'reg' && dst.reg.id === reg ? dst.reg.width : 64;
      }
      return undefined;
    };
    let width: number | undefined;
    for (const b of side.cfg.blocks) {
      if (b.terminator !== 'ret') continue;
      const own = lastWrite(b);
      const candidates = own === undefined ? side.cfg.blocks.filter((p) => p.successors.includes(b.index)).map(lastWrite) : [own];
      for (const w of candidates) if (typeof w === 'number') width = Math.min(width ?? w, w);
    }
    return width;
  };
  const out: RegPair[] = [];
  // A structure result goes through memory; RISC-V also returns its address in a0, AArch64 not.
  const ints = returnsInMemory(ctx) ? [] : [[ctx.source.abi.intRets[0]!, ctx.target.abi.intRets[0]!] as const];
  for (const [s, t] of [...ints, [ctx.source.abi.fpRets[0]!, ctx.target.abi.fpRets[0]!] as const]) {
    const [ws, wt] = [setOnReturn(ctx.source, s), setOnReturn(ctx.target, t)];
    if (ws !== undefined && wt !== undefined) out.push({ s, t, w: Math.min(ws, wt, ctx.source.abi.isFp(s) ? ctx.source.abi.fpWidth : INT_RESULT_BITS) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Register pairs (Houdini by testing)
// ---------------------------------------------------------------------------------------------

const INT_WIDTHS = [64, 32, 16, 8];
const FP_WIDTHS = [64, 32];

/** Candidate extension facts about one side's integer registers. */
function factCandidates(side: SideContext, which: 's' | 't', regs: readonly string[]): ExtensionFact[] {
  return regs.filter((r) => !side.abi.isFp(r)).flatMap((reg) => [8, 16, 32].flatMap((bits) => [true, false].map((signed) => ({ side: which, reg, bits, signed }))));
}

function crossPairs(ss: readonly string[], ts: readonly string[], widths: readonly number[]): RegPair[] {
  return ss.flatMap((s) => ts.flatMap((t) => widths.map((w) => ({ s, t, w }))));
}

/** Options of the inference. */
export interface InferOptions {
  /** Random runs per block pair per round (default 12). */
  readonly samples?: number;
  readonly seed?: number;
}

/** Infers R for a function pair by testing. */
export function inferRelation(ctx: PairContext, opts: InferOptions = {}): FunctionRelation {
  const samples = opts.samples ?? 12;
  const seed = opts.seed ?? 1;
  const frames = inferFrames(ctx);
  const S = ctx.source;
  const T = ctx.target;
  const defS = registersNamed(S, S.cfg.blocks.keys());
  const defT = registersNamed(T, T.cfg.blocks.keys());
  const data = (side: SideContext, defs: Set<string>, block: number, live: readonly string[]): string[] =>
    live.filter((r) => defs.has(r) && r !== side.abi.sp && r !== side.abi.link && !side.abi.control.has(r) && !side.frame.entry[block]?.has(r));
  const candidates = (bs: number, bt: number): RegPair[] => {
    const ls = data(S, defS, bs, S.cfg.blocks[bs]!.liveIn);
    const lt = data(T, defT, bt, T.cfg.blocks[bt]!.liveIn);
    return [
      ...crossPairs(ls.filter((r) => !S.abi.isFp(r)), lt.filter((r) => !T.abi.isFp(r)), INT_WIDTHS),
      ...crossPairs(ls.filter((r) => S.abi.isFp(r)), lt.filter((r) => T.abi.isFp(r)), FP_WIDTHS),
    ];
  };
  const blocks = new Map<number, RegPair[]>();
  const started = new Map<number, number>();
  const calls = new Map<number, RegPair[]>();
  const facts = new Map<number, ExtensionFact[]>();
  for (const [bs, bt] of ctx.matching.pairs) {
    if (bs === 0) continue;
    facts.set(bs, [
      ...factCandidates(S, 's', data(S, defS, bs, S.cfg.blocks[bs]!.liveIn)),
      ...factCandidates(T, 't', data(T, defT, bt, T.cfg.blocks[bt]!.liveIn)),
    ]);
  }
  // A unit whose source region calls makes the call from its one call block.
  const exitBlock = (bs: number): BasicBlock => {
    const blocks = unitOf(ctx.matching, bs)!.source.blocks.map((b) => S.cfg.blocks[b]!);
    return blocks.find((b) => isCall(b.terminator)) ?? blocks[0]!;
  };
  for (const bs of ctx.matching.pairs.keys()) {
    const b = exitBlock(bs);
    const then = b.successors.at(-1);
    if ((b.terminator === 'call' || b.terminator === 'icall') && then !== undefined && ctx.matching.pairs.has(then)) {
      const fact = returnFact(S, T, then, ctx.matching.pairs.get(then)!);
      if (fact) facts.set(then, [...(facts.get(then) ?? []).filter((f) => f.reg !== fact.reg || f.side !== fact.side), fact]);
    }
  }
  // The arguments a callee of this program reads, and the addresses of paired frame objects
  // passed to it (R relates those through the object, and not as plain values).
  const argumentsAt = new Map<number, RegPair[]>();
  const calleeOf = (b: BasicBlock): string | undefined => {
    const last = b.instructions.at(-1);
    const insn = last === undefined ? undefined : (S.program.statements[last] as Instruction);
    for (const op of insn?.operands ?? []) {
      const name = callee(operandExpr(op));
      if (name !== undefined) return name;
    }
    return undefined;
  };
  for (const [bs, bt] of ctx.matching.pairs) {
    blocks.set(bs, bs === 0 ? entryPairs(ctx) : candidates(bs, bt));
    started.set(bs, blocks.get(bs)!.length);
    if (isCall(exitBlock(bs).terminator)) {
      const callee = calleeOf(exitBlock(bs));
      const escaping = frames.escapes.get(bs) ?? [];
      const spilled = (callee === undefined ? [] : ctx.callees?.get(callee) ?? []).filter((p) => !escaping.some((e) => e.s === p.s || e.t === p.t));
      const read = [...escaping, ...spilled];
      if (read.length > 0) argumentsAt.set(bs, read);
      const candidates: RegPair[] = [
        ...S.abi.intArgs.flatMap((r, i) => INT_WIDTHS.map((w) => ({ s: r, t: T.abi.intArgs[i]!, w }))),
        // A callee that returns a structure in memory: x8 on AArch64 is a0 on RISC-V (see argumentPairs).
        ...argumentPairs(ctx, true).map(([s, t]) => ({ s, t, w: 64 })),
        ...S.abi.fpArgs.flatMap((r, i) => FP_WIDTHS.map((w) => ({ s: r, t: T.abi.fpArgs[i]!, w }))),
        // Variadic FP arguments travel in integer registers on RISC-V, in FP registers on AArch64.
        ...crossPairs(S.abi.fpArgs, T.abi.intArgs, [64]),
        ...crossPairs(S.abi.intArgs, T.abi.fpArgs, [64]),
      ];
      calls.set(bs, [...read, ...candidates.filter((p) => !read.some((q) => samePair(p, q)))]);
    }
  }
  let returns: RegPair[] = [
    ...S.abi.intRets.flatMap((r, i) => INT_WIDTHS.map((w) => ({ s: r, t: T.abi.intRets[i]!, w }))),
    ...S.abi.fpRets.flatMap((r, i) => FP_WIDTHS.map((w) => ({ s: r, t: T.abi.fpRets[i]!, w }))),
  ];
  let slots = frames.slots;
  const kept = returnedValues(ctx);
  const rel = (): FunctionRelation => ({ delta: frames.delta, privateSource: frames.privateSource, privateTarget: frames.privateTarget, outgoing: frames.outgoing, slots: [...slots], blocks, calls, arguments: argumentsAt, returns, kept, candidates: started, facts, frameAgreement: frames.agreement });
  const keep = (list: RegPair[] | undefined, sm: Machine, tm: Machine, cfa: bigint): RegPair[] | undefined => list?.filter((p) => pairHolds(sm, tm, ctx, p, cfa));
  // Offset pairs with the frame address (see PairOffset) are proposed by the first run that
  // reaches a block, from the values it shows; later runs and the prover keep or drop them like
  // the other pairs.
  const proposed = new Set<number>();
  const propose = (k: number, sm: Machine, tm: Machine, cfa: bigint): void => {
    const list = blocks.get(k);
    if (k === 0 || !list || proposed.has(k)) return;
    proposed.add(k);
    const ints = (side: SideContext, defs: Set<string>, b: number): string[] => data(side, defs, b, side.cfg.blocks[b]!.liveIn).filter((r) => !side.abi.isFp(r));
    const found: RegPair[] = [];
    for (const s of ints(S, defS, k)) {
      for (const t of ints(T, defT, ctx.matching.pairs.get(k)!)) {
        for (const c of [1, -1] as const) {
          const add = BigInt.asIntN(64, tm.get(t) - sm.get(s) - BigInt(c) * cfa);
          if (add > -FRAME_REACH && add < FRAME_REACH) found.push({ s, t, w: 64, offset: { add, cfa: c } });
        }
      }
    }
    if (found.length === 0) return;
    blocks.set(k, [...list, ...found]);
    started.set(k, (started.get(k) ?? 0) + found.length);
    changed = true;
  };
  const keepFacts = (k: number, sm: Machine, tm: Machine, calleeSavedOnly: boolean): void => {
    const list = facts.get(k);
    if (!list) return;
    const next = list.filter((f) => {
      const [side, m] = f.side === 's' ? [S, sm] : [T, tm];
      if (f.assumed || (calleeSavedOnly && !side.abi.calleeSaved.has(f.reg))) return true;
      return factHolds(concrete, m.get(f.reg), side.widths.get(f.reg) ?? 64, f);
    });
    if (next.length !== list.length) {
      facts.set(k, next);
      changed = true;
    }
  };

  let changed = false;
  for (let round = 0; round < 8; round++) {
    changed = false;
    const update = (map: Map<number, RegPair[]>, k: number, next: RegPair[] | undefined): void => {
      const prev = map.get(k);
      if (prev && next && next.length !== prev.length) {
        map.set(k, next);
        changed = true;
      }
    };
    for (const bs of [...ctx.matching.pairs.keys()].sort((a, b) => a - b)) {
      for (let k = 0; k < samples; k++) {
        const entry = randomEntry(seed * 7919 + round * 104729 + bs * 131 + k);
        const r = runPair(ctx, rel(), bs, entry);
        if (r.status !== 'ran') break;
        const broken = r.brokenPairs.flatMap((o) => (o.pair?.slot ? [o.pair.slot] : []));
        if (broken.length > 0) [slots, changed] = [slots.filter((p) => !broken.includes(p)), true];
        const exitsS = exitsOf(concrete, S, S.cfg.blocks[r.endS]!, r.outS, ctx.matching.forwardSource);
        if (typeof exitsS === 'string') break;
        const to = exitsS.find((e) => e.cond)!.to;
        if (to.kind === 'block') {
          if (bs !== 0 && to.index === 0) continue;
          if (to.index !== 0) {
            propose(to.index, r.S, r.T, entry.cfa);
            update(blocks, to.index, keep(blocks.get(to.index), r.S, r.T, entry.cfa));
            keepFacts(to.index, r.S, r.T, false);
          }
        } else if (to.kind === 'ret') {
          const next = returns.filter((p) => isKept(rel(), p) || pairHolds(r.S, r.T, ctx, p, entry.cfa));
          if (next.length !== returns.length) [returns, changed] = [next, true];
        } else if (to.kind === 'call' || to.kind === 'tailcall') {
          const read = argumentsAt.get(bs) ?? [];
          update(calls, bs, calls.get(bs)?.filter((p) => read.includes(p) || pairHolds(r.S, r.T, ctx, p, entry.cfa)));
          if (to.kind === 'call' && to.then !== undefined) {
            keepFacts(to.then, r.S, r.T, true);
            afterCall(ctx, r.S, r.T, new Rng(seed + k), (facts.get(to.then) ?? []).filter((f) => f.assumed));
            propose(to.then, r.S, r.T, entry.cfa);
            update(blocks, to.then, keep(blocks.get(to.then), r.S, r.T, entry.cfa));
            keepFacts(to.then, r.S, r.T, false);
          }
        }
      }
    }
    if (!changed) break;
  }
  return rel();
}

/**
 * What a call does to the caller's registers, as R sees it: caller-saved registers get unrelated
 * values on the two sides, the return registers get one value on both (the callee is the same
 * function, given related arguments and equal memory).
 */
function afterCall(ctx: PairContext, S: Machine, T: Machine, rng: Rng, facts: readonly ExtensionFact[]): void {
  const u64 = (): bigint => (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32());
  for (const [side, m] of [[ctx.source, S], [ctx.target, T]] as const) {
    for (const { id, width } of side.sem.stateRegisters) {
      if (id === side.abi.sp || side.abi.calleeSaved.has(id) || side.abi.control.has(id)) continue;
      m.set(id, u64() & ((1n << BigInt(width)) - 1n));
    }
  }
  const rets: [string, string][] = [
    ...ctx.source.abi.intRets.map((r, i): [string, string] => [r, ctx.target.abi.intRets[i]!]),
    ...ctx.source.abi.fpRets.map((r, i): [string, string] => [r, ctx.target.abi.fpRets[i]!]),
  ];
  for (const [s, t] of rets) {
    const v = u64();
    S.set(s, v);
    T.set(t, v);
  }
  for (const f of facts) (f.side === 's' ? S : T).set(f.reg, extendValue(f, (f.side === 's' ? S : T).get(f.reg)));
}
