// Random testing of a block pair in the emulator: build a concrete entry state for each side
// that satisfies R (related registers equal in their low bits, the frames overlaid, one shared
// memory), run both blocks, and evaluate the same exit obligations the prover proves. Counter-
// examples found by Z3 are replayed here too, so every REFUTED verdict is confirmed by emulation.

import type { Instruction } from '../ir/program.js';
import { exprSymbols, operandExpr } from '../ir/expr.js';
import { ConcreteMemory } from '../isa/concrete.js';
import type { Outcome } from '../isa/exec.js';
import { type Domain, mask } from '../isa/sem.js';
import { Machine, runStraight } from '../emu/machine.js';
import { Rng } from '../util/random.js';
import { type CallFrame, type Obligation, callsOut, exitObligations, exitsOf, pairImage, slotObligations, stackArgumentObligations } from './obligations.js';
import { concrete } from '../isa/concrete.js';
import { type FunctionRelation, type PairContext, type RegPair, type SideContext, type SlotPair, registersNamed, showCfa, slotAliases } from './relation.js';
import { NO_FORWARDING, type Region, staysInside, unitOf } from './correspond.js';
import { extendValue } from './returns.js';
import { frameBytes } from './frame.js';

// ---------------------------------------------------------------------------------------------
// Entry states
// ---------------------------------------------------------------------------------------------

/** A concrete choice of everything a block pair's entry state leaves open. */
export interface ConcreteEntry {
  /** The source's canonical frame address. */
  readonly cfa: bigint;
  /** Register values before R is imposed. */
  sourceRegister(id: string): bigint;
  targetRegister(id: string): bigint;
  /** Shared memory, and each side's private frame bytes. */
  memory(addr: bigint): number;
  privateSource(addr: bigint): number;
  privateTarget(addr: bigint): number;
  /** Address of a symbol, by shared key. */
  symbol(key: string): bigint;
}

function hash32(...parts: (string | number | bigint)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = String(p);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0x2c, 0x01000193) >>> 0;
  }
  return h;
}

const EDGES = [0n, 1n, 2n, mask(64), mask(63), 1n << 63n, mask(31), 1n << 31n, mask(32), 0xffffffff80000000n, 0x80n, 0xffn, 0x7fffn, 0x8000n];

/** A 64-bit test value: uniform, small, an edge value, or a sign- or zero-extended 32-bit one. */
function testValue(rng: Rng): bigint {
  const u64 = (): bigint => (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32());
  switch (rng.int(8)) {
    case 0:
    case 1:
      return u64();
    case 2:
      return BigInt(rng.int(256));
    case 3:
      return BigInt.asUintN(64, -BigInt(rng.int(256)));
    case 4:
      return rng.pick(EDGES);
    case 5:
      return BigInt(rng.nextU32());
    default:
      return BigInt.asUintN(64, BigInt(rng.nextU32() | 0));
  }
}

/** A random entry state; `seed` fixes it. */
export function randomEntry(seed: number): ConcreteEntry {
  const rng = new Rng(seed);
  const cfa = 0x7f00_0000_0000n + BigInt(rng.int(1 << 20)) * 16n;
  const value = (...k: (string | number)[]): bigint => testValue(new Rng(hash32(seed, ...k)));
  const byte = (tag: string, addr: bigint): number => hash32(seed, tag, addr) & 0xff;
  return {
    cfa,
    sourceRegister: (id) => value('s', id),
    targetRegister: (id) => value('t', id),
    memory: (addr) => byte('m', addr),
    privateSource: (addr) => byte('ps', addr),
    privateTarget: (addr) => byte('pt', addr),
    // Symbols sit apart from each other, 16-byte aligned but not page aligned, below the stack.
    symbol: (key) => 0x4000_0000n + BigInt(hash32('sym', key) & 0xfffffff) * 16n,
  };
}

// ---------------------------------------------------------------------------------------------
// Running a pair
// ---------------------------------------------------------------------------------------------

/** Local data images the blocks read, as (address, bytes) under the given symbol placement. */
function imagesOf(side: SideContext, blocks: readonly number[], symbol: (key: string) => bigint): [bigint, Uint8Array][] {
  const out: [bigint, Uint8Array][] = [];
  for (const i of blocks.flatMap((b) => side.cfg.blocks[b]!.instructions)) {
    const insn = side.program.statements[i] as Instruction;
    for (const op of insn.operands) {
      const e = operandExpr(op);
      if (!e) continue;
      for (const name of exprSymbols(e)) {
        const key = side.symbolKey(name);
        const image = side.images.get(key);
        if (image) out.push([symbol(key), image]);
      }
    }
  }
  return out;
}

/** The concrete domain, noting what C leaves undefined: division by zero, a NaN to an integer. */
function watchingUndefined(undefinedInC: () => void): Domain<bigint, boolean, ConcreteMemory> {
  const watch = (f: (w: number, a: bigint, b: bigint) => bigint) => (w: number, a: bigint, b: bigint): bigint => {
    if ((b & mask(w)) === 0n) undefinedInC();
    return f(w, a, b);
  };
  return {
    ...concrete,
    udiv: watch(concrete.udiv),
    urem: watch(concrete.urem),
    sdiv: watch(concrete.sdiv),
    srem: watch(concrete.srem),
    toInt(fw, w, signed, rm, a, nan) {
      if (concrete.fisNaN(fw, a)) undefinedInC();
      return concrete.toInt(fw, w, signed, rm, a, nan);
    },
  };
}

/** The bytes of slot and object pairs, both sides' (source CFA offsets), once per list of pairs. */
const pairedByList = new WeakMap<readonly SlotPair[], ReadonlySet<bigint>>();
function pairedBytes(slots: readonly SlotPair[]): ReadonlySet<bigint> {
  let bytes = pairedByList.get(slots);
  if (!bytes) {
    const set = new Set<bigint>();
    for (const p of slots) for (let k = 0n; k < BigInt(p.bytes); k++) set.add(p.s + k).add(p.t + k);
    pairedByList.set(slots, (bytes = set));
  }
  return bytes;
}

/**
 * `d`, noting an access that touches a byte of a slot or object pair (source CFA offsets) that no
 * access at a fixed frame offset of the side's `path` touches: an array element out of bounds.
 */
function strayingOff(d: Domain<bigint, boolean, ConcreteMemory>, rel: FunctionRelation, side: SideContext, path: readonly number[], shift: bigint, cfa: bigint, strayed: () => void): Domain<bigint, boolean, ConcreteMemory> {
  if (rel.slots.length === 0) return d;
  const paired = pairedBytes(rel.slots);
  // Built at the first access to a paired byte: most runs make none.
  let fixed: Set<bigint> | undefined;
  const check = (addr: bigint, n: number): void => {
    for (let k = 0; k < n; k++) {
      const off = BigInt.asIntN(64, addr + BigInt(k) - cfa);
      if (paired.has(off) && !(fixed ??= frameBytes(side.frame, shift, undefined, path)).has(off)) strayed();
    }
  };
  return {
    ...d,
    load(mem, addr, n) {
      check(addr, n);
      return d.load(mem, addr, n);
    },
    store(mem, addr, value, n) {
      check(addr, n);
      return d.store(mem, addr, value, n);
    },
  };
}

/**
 * One side's machine at the entry of `path`. Its private frame bytes come from `privateByte`; a
 * target byte of a slot pair (`aliases`: its offset to the source's) is the source's private byte.
 */
function sideMachine(side: SideContext, path: readonly number[], cfaSide: bigint, entry: ConcreteEntry, register: (id: string) => bigint, privates: ReadonlySet<bigint>, privateByte: (a: bigint) => number, cfa: bigint, domain?: Domain<bigint, boolean, ConcreteMemory>, aliases?: ReadonlyMap<bigint, bigint>, start?: ReadonlyMap<bigint, number>): Machine {
  const block = path[0]!;
  // The constant data every block of the path reads (a later block may load a float constant).
  const images = imagesOf(side, path, (k) => entry.symbol(k));
  const initial = (addr: bigint): number => {
    const given = start?.get(addr);
    if (given !== undefined) return given;
    for (const [at, bytes] of images) if (addr >= at && addr < at + BigInt(bytes.length)) return bytes[Number(addr - at)]!;
    const alias = aliases?.get(addr - cfa);
    if (alias !== undefined) return entry.privateSource(cfa + alias);
    return privates.has(addr - cfa) ? privateByte(addr) : entry.memory(addr);
  };
  const symbols = { get: (name: string): bigint => entry.symbol(side.symbolKey(name)) } as unknown as ReadonlyMap<string, bigint>;
  const m = new Machine(new ConcreteMemory(initial), symbols, register, domain);
  for (const [reg, off] of side.frame.entry[block] ?? []) m.set(reg, (cfaSide + off) & mask(64));
  for (const [reg, value] of side.fixed) m.set(reg, value);
  return m;
}

/**
 * The two machines at the entry of the first block of `pathS` and `pathT` (the blocks each side
 * may run, in order; their constant data is mapped in), related by `pairs`.
 */
function entryMachines(ctx: PairContext, rel: FunctionRelation, pathS: readonly number[], pathT: readonly number[], entry: ConcreteEntry, pairs: readonly RegPair[], domains: { s: Domain<bigint, boolean, ConcreteMemory>; t: Domain<bigint, boolean, ConcreteMemory> }, start?: StartBytes): { S: Machine; T: Machine } {
  const bs = pathS[0]!;
  const bt = pathT[0]!;
  const S = sideMachine(ctx.source, pathS, entry.cfa, entry, (id) => entry.sourceRegister(id), rel.privateSource, (a) => entry.privateSource(a), entry.cfa, domains.s, undefined, start?.source);
  const T = sideMachine(ctx.target, pathT, entry.cfa + rel.delta, entry, (id) => entry.targetRegister(id), rel.privateTarget, (a) => entry.privateTarget(a), entry.cfa, domains.t, slotAliases(rel.slots), start?.target);
  // Source facts shape the values the pairs copy; target facts apply to the copies.
  const facts = rel.facts.get(bs) ?? [];
  for (const f of facts) if (f.side === 's') S.set(f.reg, extendValue(f, S.get(f.reg)));
  for (const p of pairs) {
    if (ctx.target.frame.entry[bt]?.has(p.t)) continue;
    const m = mask(p.w);
    const wt = ctx.target.widths.get(p.t) ?? 64;
    T.set(p.t, ((T.get(p.t) & ~m) | (pairImage(concrete, ctx, p, S.get(p.s), entry.cfa) & m)) & mask(wt));
  }
  for (const f of facts) if (f.side === 't') T.set(f.reg, extendValue(f, T.get(f.reg)));
  return { S, T };
}

/** The result of running a block pair from one entry state. */
export type PairRun =
  | {
      readonly status: 'ran';
      readonly S: Machine;
      readonly T: Machine;
      readonly outS: Outcome<bigint, boolean>;
      readonly outT: Outcome<bigint, boolean>;
      /** Everything that failed, described. */
      readonly failures: readonly string[];
      /** The blocks the two runs ended in (a region's runs may end in more than one). */
      readonly endS: number;
      readonly endT: number;
      /** The failed obligations that are register pairs of R. */
      readonly brokenPairs: readonly Obligation<boolean>[];
    }
  | { readonly status: 'unsupported'; readonly reason: string }
  /** The run left the path context, or the source did what C leaves undefined (unless exact). */
  | { readonly status: 'infeasible' };

/**
 * Runs a block pair (or region pair) from `entry` and checks every exit obligation, shared memory
 * included. With a `context` (the block's unique predecessors, outermost first), the run starts at
 * the first of them and must follow the path to `bs` on both sides; otherwise it is `infeasible`.
 */
export function runPair(ctx: PairContext, rel: FunctionRelation, bs: number, entry: ConcreteEntry, context: readonly number[] = [], start?: StartBytes): PairRun {
  const unit = unitOf(ctx.matching, bs)!;
  const contextT = context.map((b) => ctx.matching.pairs.get(b)!);
  // Runs where the source does what C leaves undefined (divides by zero, converts a NaN to an
  // integer) are not compared, unless the check is exact.
  let undefinedInC = false;
  const sourceDomain = ctx.options.exact ? concrete : watchingUndefined(() => (undefinedInC = true));
  // An array access that reaches a slot or object pair is out of its array's bounds (C leaves it
  // undefined), and reaches a different byte on each side, as the pair lies at different places:
  // such runs are not compared (the prover does not prove them either, see prove.ts).
  let strayed = false;
  const pathS = [...context, ...unit.source.blocks];
  const pathT = [...contextT, ...unit.target.blocks];
  const domains = {
    s: strayingOff(sourceDomain, rel, ctx.source, pathS, 0n, entry.cfa, () => (strayed = true)),
    t: strayingOff(concrete, rel, ctx.target, pathT, rel.delta, entry.cfa, () => (strayed = true)),
  };
  const { S, T } = entryMachines(ctx, rel, pathS, pathT, entry, rel.blocks.get(context[0] ?? bs) ?? [], domains, start);
  const buffer = (context[0] ?? bs) === 0 ? resultBuffer(ctx) : undefined;
  if (buffer && buffer.others.some((r) => !apart(concrete, S.get(buffer.reg), S.get(r)))) return { status: 'infeasible' };
  for (const [k, b] of context.entries()) {
    const bt = contextT[k]!;
    const rs = runStraight(ctx.source.sem, ctx.source.program, ctx.source.cfg.blocks[b]!.instructions, S, ctx.source.layout);
    if (rs.status !== 'ok') return { status: 'unsupported', reason: rs.status === 'unsupported' ? `source: ${rs.reason}` : 'source: step limit' };
    const rt = runStraight(ctx.target.sem, ctx.target.program, ctx.target.cfg.blocks[bt]!.instructions, T, ctx.target.layout);
    if (rt.status !== 'ok') return { status: 'unsupported', reason: rt.status === 'unsupported' ? `target: ${rt.reason}` : 'target: step limit' };
    const next = context[k + 1] ?? bs;
    if (takenBlock(ctx.source, b, rs.outcome, ctx.matching.forwardSource) !== next || takenBlock(ctx.target, bt, rt.outcome, ctx.matching.forwardTarget) !== ctx.matching.pairs.get(next)) {
      return { status: 'infeasible' };
    }
  }
  const rs = runRegion(ctx.source, unit.source, S);
  if (rs.status !== 'ok') return { status: 'unsupported', reason: `source: ${rs.reason}` };
  const rt = runRegion(ctx.target, unit.target, T);
  if (rt.status !== 'ok') return { status: 'unsupported', reason: `target: ${rt.reason}` };
  if (undefinedInC || strayed) return { status: 'infeasible' };
  const [outS, outT] = [rs.outcome, rt.outcome];
  const obligations = exitObligations(ctx, rel, bs, S, T, outS, outT, entry.cfa, { s: rs.end, t: rt.end });
  if (typeof obligations === 'string') return { status: 'unsupported', reason: obligations };
  obligations.push(...slotObligations(concrete, rel, S.mem, T.mem, entry.cfa));
  if (callsOut(outS)) {
    const frame = (m: Machine, side: SideContext): CallFrame => ({ sp: m.get(side.abi.sp) - entry.cfa, written: new Set([...m.mem.writtenBytes()].map(([a]) => a - entry.cfa)) });
    obligations.push(...stackArgumentObligations(concrete, rel, S.mem, T.mem, entry.cfa, frame(S, ctx.source), frame(T, ctx.target)));
  }
  const failed = obligations.filter((o) => !o.holds);
  const failures = [...failed.map((o) => o.what), ...memoryDifferences(S.mem, T.mem, rel, entry.cfa)];
  return { status: 'ran', S, T, outS, outT, endS: rs.end, endT: rt.end, failures, brokenPairs: failed.filter((o) => o.pair) };
}

/** Bytes (by address) that a side's memory starts with instead of the entry state's. */
export interface StartBytes {
  readonly source?: ReadonlyMap<bigint, number>;
  readonly target?: ReadonlyMap<bigint, number>;
}

/**
 * Whether a failed run's differences all lie in what one side leaves unspecified: frame bytes it
 * never stores to at a fixed place in the function (structure padding it does not initialize, as
 * in `struct s x = {...}` built field by field on one ISA and copied whole from a constant on the
 * other), and the copies it makes of them. The pair runs again with each side's such bytes
 * starting as the other side ends there; when that run agrees, the bytes that mattered are
 * returned (source CFA offsets), otherwise undefined. A diagnosis, never a proof.
 */
export function unspecifiedOnly(ctx: PairContext, rel: FunctionRelation, bs: number, entry: ConcreteEntry, context: readonly number[], run: Extract<PairRun, { status: 'ran' }>): bigint[] | undefined {
  const stored = (side: SideContext, shift: bigint): Set<bigint> => frameBytes(side.frame, shift, (a) => a.kind === 'store');
  const mattered: bigint[] = [];
  // Bytes `to` never stores, that `from` wrote in the run: `to` starts with `from`'s final value.
  const fill = (from: Machine, to: Machine, storesOfTo: ReadonlySet<bigint>): Map<bigint, number> => {
    const out = new Map<bigint, number>();
    for (const [addr] of from.mem.writtenBytes()) {
      const off = BigInt.asIntN(64, addr - entry.cfa);
      // Private bytes are never compared: nothing to explain there.
      if (off < -FRAME_REACH || off >= FRAME_REACH || storesOfTo.has(off) || rel.privateSource.has(off) || rel.privateTarget.has(off)) continue;
      out.set(addr, from.mem.readByte(addr));
      if (from.mem.readByte(addr) !== to.mem.readByte(addr)) mattered.push(off);
    }
    return out;
  };
  const start = { target: fill(run.S, run.T, stored(ctx.target, rel.delta)), source: fill(run.T, run.S, stored(ctx.source, 0n)) };
  if (mattered.length === 0) return undefined;
  const again = runPair(ctx, rel, bs, entry, context, start);
  return again.status === 'ran' && again.failures.length === 0 ? [...new Set(mattered)].sort((a, b) => (a < b ? -1 : 1)) : undefined;
}

/** How far from the CFA a byte counts as in (or near) the frame, in bytes. */
export const FRAME_REACH = 1n << 20n;

/** Runs a region from its entry along the branches taken, to the block where control leaves it. */
function runRegion(side: SideContext, region: Region, m: Machine): { status: 'ok'; outcome: Outcome<bigint, boolean>; end: number } | { status: 'unsupported'; reason: string } {
  const seen: number[] = [];
  for (let b = region.blocks[0]!; ; ) {
    const r = runStraight(side.sem, side.program, side.cfg.blocks[b]!.instructions, m, side.layout);
    if (r.status !== 'ok') return { status: 'unsupported', reason: r.status === 'unsupported' ? r.reason : 'step limit' };
    seen.push(b);
    // Inside a region, edges are the blocks' own (no forwarding through jump-only blocks).
    const next = region.blocks.length > 1 ? takenBlock(side, b, r.outcome, NO_FORWARDING) : undefined;
    if (next === undefined || !staysInside(region, next)) return { status: 'ok', outcome: r.outcome, end: b };
    if (seen.includes(next)) return { status: 'unsupported', reason: `the region of block ${region.blocks[0]} loops` };
    b = next;
  }
}

/** The block a concrete run of `block` continues to, if it stays in the function. */
function takenBlock(side: SideContext, block: number, outcome: Outcome<bigint, boolean>, forward: ReadonlyMap<number, number>): number | undefined {
  const exits = exitsOf(concrete, side, side.cfg.blocks[block]!, outcome, forward);
  if (typeof exits === 'string') return undefined;
  const to = exits.find((e) => e.cond)?.to;
  return to?.kind === 'block' ? to.index : undefined;
}

/** Written bytes where the two memories differ, outside the private bytes. */
/** Bytes the two memories differ in, outside the private ones. */
function memoryDifferences(ms: ConcreteMemory, mt: ConcreteMemory, rel: FunctionRelation, cfa: bigint): string[] {
  const addrs = new Set<bigint>();
  for (const [a] of ms.writtenBytes()) addrs.add(a);
  for (const [a] of mt.writtenBytes()) addrs.add(a);
  const out: string[] = [];
  for (const a of [...addrs].sort((x, y) => (x < y ? -1 : 1))) {
    const off = a - cfa;
    if (rel.privateSource.has(off) || rel.privateTarget.has(off)) continue;
    const vs = ms.readByte(a);
    const vt = mt.readByte(a);
    if (vs !== vt) out.push(`memory at ${describeAddress(a, cfa)}: source 0x${vs.toString(16)}, target 0x${vt.toString(16)}`);
  }
  return out;
}

function describeAddress(a: bigint, cfa: bigint): string {
  const off = BigInt.asIntN(64, a - cfa);
  return off >= -FRAME_REACH && off < FRAME_REACH ? showCfa(off) : `0x${a.toString(16)}`;
}

/**
 * The integer argument registers of each side, in pairs. A function that returns a structure in
 * memory takes the result's address in x8 on AArch64 but as a hidden first argument (a0) on
 * RISC-V, so the other arguments shift by one: `sret` says so.
 */
export function argumentPairs(ctx: PairContext, sret: boolean): [string, string][] {
  const s = ctx.source.abi.intArgs;
  const t = ctx.target.abi.intArgs;
  if (!sret) return s.map((r, i) => [r, t[i]!]);
  const a64 = ctx.source.program.isa === 'aarch64';
  const [args, hidden] = a64 ? [s, t] : [t, s];
  const pairs: [string, string][] = [['x8', hidden[0]!], ...args.slice(0, -1).map((r, i): [string, string] => [r, hidden[i + 1]!])];
  return a64 ? pairs : pairs.map(([x, y]) => [y, x]);
}

/** True when the AArch64 side of a function reads x8 before writing it: it returns a structure in memory. */
export function returnsInMemory(ctx: PairContext): boolean {
  const side = ctx.source.program.isa === 'aarch64' ? ctx.source : ctx.target.program.isa === 'aarch64' ? ctx.target : undefined;
  const entry = side?.cfg.blocks[0];
  return entry !== undefined && entry.liveIn.includes('x8') && registersNamed(side!, [0]).has('x8');
}

/** How far apart (bytes) the entry assumes a structure result's buffer and the other arguments. */
export const BUFFER_APART = 1n << 16n;

/**
 * At a function's entry: the source register with the address of the caller's buffer for a
 * structure result, and the other integer argument registers. The buffer is an object of its own,
 * so it lies apart from whatever the arguments point to (a copy into it may run in any order).
 */
export function resultBuffer(ctx: PairContext): { readonly reg: string; readonly others: readonly string[] } | undefined {
  if (!returnsInMemory(ctx)) return undefined;
  const [first, ...rest] = argumentPairs(ctx, true).map(([s]) => s);
  return { reg: first!, others: rest };
}

/** `a` and `b` are at least BUFFER_APART apart, both ways round (over any domain). */
export function apart<V, B>(d: Domain<V, B, unknown>, a: V, b: V): B {
  const far = d.bv(64, BUFFER_APART);
  return d.band(d.bnot(d.ult(64, d.sub(64, a, b), far)), d.bnot(d.ult(64, d.sub(64, b, a), far)));
}

/** The ABI relation at a function's entry: argument registers equal. */
export function entryPairs(ctx: PairContext): RegPair[] {
  return [
    ...argumentPairs(ctx, returnsInMemory(ctx)).map(([s, t]) => ({ s, t, w: 64 })),
    ...ctx.source.abi.fpArgs.map((r, i) => ({ s: r, t: ctx.target.abi.fpArgs[i]!, w: 64 })),
  ];
}
