// What a block pair must satisfy at its exit, written once over any Domain so that the tester
// (concrete states) and the prover (Z3 terms) check exactly the same conditions:
// - every way out of the source block is matched by the corresponding way out of the target
//   block under the same condition (corresponding successors, the same callee);
// - on each way out, the registers R relates at the successor are related, and sp and the frame
//   pointer point where the frame analysis says they do;
// - at a call, the argument registers R relates are related, and the outgoing stack arguments
//   (by offset from sp); at a return, the return registers;
// - the frame slots R pairs one by one hold equal bytes.
// Shared memory is compared separately (the two domains enumerate stores differently).

import type { BasicBlock } from '../cfg/cfg.js';
import type { Outcome } from '../isa/exec.js';
import type { Domain } from '../isa/sem.js';
import type { FunctionRelation, PairContext, RegPair, SideContext, SlotPair } from './relation.js';
import { showCfa, showPair, showSlot } from './relation.js';
import { type Region, staysInside, unitOf } from './correspond.js';
import { type ExtensionFact, factHolds, showFact } from './returns.js';

/** Where a way out of a block leads. */
export type ExitTarget<V> =
  | { readonly kind: 'block'; readonly index: number }
  | { readonly kind: 'ret' }
  | { readonly kind: 'call'; readonly callee: string | V; readonly then?: number }
  | { readonly kind: 'tailcall'; readonly callee: string }
  | { readonly kind: 'trap' }
  | { readonly kind: 'end' };

/** One way out of a block: taken when `cond` holds. */
export interface Exit<V, B> {
  readonly cond: B;
  readonly to: ExitTarget<V>;
}

/** Ways out of a block given its last instruction's outcome, or why they cannot be known. */
export function exitsOf<V, B>(d: Domain<V, B, unknown>, side: SideContext, block: BasicBlock, outcome: Outcome<V, B>, forward: ReadonlyMap<number, number>): Exit<V, B>[] | string {
  const fall = (): ExitTarget<V> => {
    const next = block.terminator === 'none' || block.terminator === 'cbranch' || block.terminator === 'call' || block.terminator === 'icall' ? block.successors.at(-1) : undefined;
    return next === undefined ? { kind: 'end' } : { kind: 'block', index: forward.get(next) ?? next };
  };
  const label = (name: string): ExitTarget<V> | string => {
    const index = side.labelBlock.get(name);
    return index === undefined ? `branch to ${name}, which starts no block of the function` : { kind: 'block', index: forward.get(index) ?? index };
  };
  const T = d.bool(true);
  switch (outcome.kind) {
    case 'next':
      return [{ cond: T, to: fall() }];
    case 'branch': {
      const to = label(outcome.target);
      if (typeof to === 'string') return to;
      if (outcome.cond === undefined) return [{ cond: T, to }];
      return [
        { cond: outcome.cond, to },
        { cond: d.bnot(outcome.cond), to: fall() },
      ];
    }
    case 'call':
    case 'icall': {
      const then = fall();
      const callee = outcome.kind === 'call' ? side.symbolKey(outcome.target.replace(/@plt$/, '')) : outcome.address;
      return [{ cond: T, to: { kind: 'call', callee, ...(then.kind === 'block' ? { then: then.index } : {}) } }];
    }
    case 'ret':
      return [{ cond: T, to: { kind: 'ret' } }];
    case 'tailcall':
      return [{ cond: T, to: { kind: 'tailcall', callee: side.symbolKey(outcome.target.replace(/@plt$/, '')) } }];
    case 'trap':
      return [{ cond: T, to: { kind: 'trap' } }];
    case 'ijump':
      return 'indirect jump (jump table): its successors are not modelled';
  }
}

/** Minimal view of a machine state, satisfied by the emulator's Machine and the prover's VState. */
export interface StateView<V, B, M> {
  readonly d: Domain<V, B, M>;
  get(id: string): V;
}

/** Where a part of R belongs: a block's entry, a call, the return, or the whole frame (slot pairs). */
export type PairSite = { readonly kind: 'block'; readonly index: number } | { readonly kind: 'call'; readonly index: number } | { readonly kind: 'return' } | { readonly kind: 'frame' };

/** A named condition that must hold; `pair` is set when it is one inferred part of R. */
export interface Obligation<B> {
  readonly what: string;
  readonly holds: B;
  readonly pair?: { readonly site: PairSite; readonly pair?: RegPair; readonly fact?: ExtensionFact; readonly slot?: SlotPair };
}

/** The frame state at a call: where sp is, and the frame bytes the block stored (CFA offsets). */
export interface CallFrame {
  readonly sp: bigint;
  readonly written: ReadonlySet<bigint>;
}

/**
 * The outgoing stack arguments at a call: every argument byte the source stores at sp + x, the
 * target stores at its sp + x, with the same value. In an 8-byte slot whose first byte both sides
 * store, the bytes past the shorter store are padding (AAPCS64 leaves the bytes above a small
 * argument unspecified; RISC-V extends it). Offsets are from the source CFA (the target's shifted
 * by delta), like the private bytes.
 */
export function stackArgumentObligations<V, B, M>(d: Domain<V, B, M>, rel: FunctionRelation, memS: M, memT: M, cfa: V, s: CallFrame, t: CallFrame): Obligation<B>[] {
  const at = (off: bigint): V => d.add(64, cfa, d.bv(64, off));
  const out: Obligation<B>[] = [];
  for (const o of [...s.written].filter((b) => rel.outgoing.source.has(b)).sort((a, b) => (a < b ? -1 : 1))) {
    const x = o - s.sp;
    const what = `stack argument byte at sp+${x}`;
    if (t.written.has(t.sp + x) && rel.outgoing.target.has(t.sp + x)) {
      out.push({ what, holds: d.eq(8, d.load(memS, at(o), 1), d.load(memT, at(t.sp + x), 1)) });
      continue;
    }
    const slot = x - (((x % 8n) + 8n) % 8n);
    if (!(s.written.has(s.sp + slot) && t.written.has(t.sp + slot))) out.push({ what: `${what}: the target passes none`, holds: d.bool(false) });
  }
  return out;
}

/** Whether a block's way out is a call (or a tail call): outgoing stack arguments are read then. */
export function callsOut<V, B>(outcome: Outcome<V, B>): boolean {
  return outcome.kind === 'call' || outcome.kind === 'icall' || outcome.kind === 'tailcall';
}

/**
 * The slot pairs of R hold in the two final memories (`cfa` is the source's; a target slot's
 * offset already includes delta). `only` picks the pairs to compare (the prover leaves out those
 * that no store of the block can touch).
 */
export function slotObligations<V, B, M>(d: Domain<V, B, M>, rel: FunctionRelation, memS: M, memT: M, cfa: V, only: (p: SlotPair) => boolean = () => true): Obligation<B>[] {
  const at = (off: bigint): V => d.add(64, cfa, d.bv(64, off));
  // An object pair is compared byte by byte (it may be 40 bytes and more), and never weakened: a
  // callee reads it through the pointers passed to it.
  return rel.slots.filter(only).flatMap((p): Obligation<B>[] =>
    p.object
      ? Array.from({ length: p.bytes }, (_, k) => ({
          what: `frame object ${showSlot(p, rel.delta)} byte ${k}`,
          holds: d.eq(8, d.load(memS, at(p.s + BigInt(k)), 1), d.load(memT, at(p.t + BigInt(k)), 1)),
        }))
      : [{ what: `frame slot ${showSlot(p, rel.delta)}`, holds: d.eq(8 * p.bytes, d.load(memS, at(p.s), p.bytes), d.load(memT, at(p.t), p.bytes)), pair: { site: { kind: 'frame' }, slot: p } }],
  );
}

function describeTarget<V>(side: SideContext, to: ExitTarget<V>): string {
  switch (to.kind) {
    case 'block': {
      const b = side.cfg.blocks[to.index]!;
      return b.labels[0] ?? `block ${to.index}`;
    }
    case 'call':
      return `call ${typeof to.callee === 'string' ? to.callee : '(indirect)'}`;
    case 'tailcall':
      return `tail call ${to.callee}`;
    default:
      return to.kind;
  }
}

/**
 * The low `p.w` bits that pair `p` gives the target register, from the source register's value
 * `source` (`cfa`: the source's canonical frame address). The one definition of what a register
 * pair means: the tester and the prover build related entry states with it, and check exits.
 */
export function pairImage<V, B, M>(d: Domain<V, B, M>, ctx: PairContext, p: RegPair, source: V, cfa: V): V {
  const ws = ctx.source.widths.get(p.s) ?? 64;
  const low = p.w === ws ? source : d.extract(ws, source, p.w - 1, 0);
  if (!p.offset) return low;
  const shifted = d.add(64, low, d.bv(64, p.offset.add));
  return p.offset.cfa === 0 ? shifted : p.offset.cfa > 0 ? d.add(64, shifted, cfa) : d.sub(64, shifted, cfa);
}

/** Pair `p` holds: the target register's low `w` bits are the pair's image of the source register. */
export function pairHolds<V, B, M>(S: StateView<V, B, M>, T: StateView<V, B, M>, ctx: PairContext, p: RegPair, cfa: V): B {
  const d = S.d;
  const wt = ctx.target.widths.get(p.t) ?? 64;
  const b = T.get(p.t);
  return d.eq(p.w, pairImage(d, ctx, p, S.get(p.s), cfa), p.w === wt ? b : d.extract(wt, b, p.w - 1, 0));
}

/**
 * The exit obligations of a block pair, or region pair, (all but shared memory). `cfa` is the
 * source's canonical frame address; the target's is `cfa + delta`.
 */
export function exitObligations<V, B, M>(
  ctx: PairContext,
  rel: FunctionRelation,
  bs: number,
  S: StateView<V, B, M>,
  T: StateView<V, B, M>,
  outS: Outcome<V, B>,
  outT: Outcome<V, B>,
  cfa: V,
  ends: { readonly s: number; readonly t: number } = { s: bs, t: ctx.matching.pairs.get(bs)! },
): Obligation<B>[] | string {
  const d = S.d;
  // A region pair's runs end in the blocks `ends` names; edges that stay inside the region are
  // not ways out (the run's path condition rules them out).
  const unit = unitOf(ctx.matching, bs)!;
  const leaving = <X extends { to: ExitTarget<V> }>(list: X[], region: Region): X[] => list.filter((e) => e.to.kind !== 'block' || !staysInside(region, e.to.index));
  const allS = exitsOf(d as Domain<V, B, unknown>, ctx.source, ctx.source.cfg.blocks[ends.s]!, outS, ctx.matching.forwardSource);
  if (typeof allS === 'string') return allS;
  const allT = exitsOf(d as Domain<V, B, unknown>, ctx.target, ctx.target.cfg.blocks[ends.t]!, outT, ctx.matching.forwardTarget);
  if (typeof allT === 'string') return allT;
  const exitsS = leaving(allS, unit.source);
  const exitsT = leaving(allT, unit.target);
  const out: Obligation<B>[] = [];
  const implies = (c: B, x: B): B => d.bor(d.bnot(c), x);
  const frameRegs = (side: SideContext, st: StateView<V, B, M>, block: number | 'cfa', shift: bigint, guard: B, who: string): void => {
    const offsets = block === 'cfa' ? new Map([[side.abi.sp, 0n]]) : side.frame.entry[block];
    for (const [reg, off] of offsets ?? []) {
      const want = d.add(64, cfa, d.bv(64, shift + off));
      out.push({ what: `${who} ${reg} = ${showCfa(off)}`, holds: implies(guard, d.eq(64, st.get(reg), want)) });
    }
  };
  const pairs = (list: readonly RegPair[] | undefined, guard: B, where: string, site: PairSite): void => {
    for (const p of list ?? []) {
      const object = p.offset?.cfa === 0 ? ' (the address of a paired frame object)' : '';
      out.push({ what: `${showPair(p)} at ${where}${object}`, holds: implies(guard, pairHolds(S, T, ctx, p, cfa)), pair: { site, pair: p } });
    }
  };
  const facts = (list: readonly ExtensionFact[] | undefined, guard: B, where: string, site: PairSite, keep: (f: ExtensionFact) => boolean): void => {
    for (const f of list ?? []) {
      if (f.assumed || !keep(f)) continue;
      const [side, st] = f.side === 's' ? [ctx.source, S] : [ctx.target, T];
      out.push({ what: `${f.side === 's' ? 'source' : 'target'} ${showFact(f)} at ${where}`, holds: implies(guard, factHolds(d as Domain<V, B, unknown>, st.get(f.reg), side.widths.get(f.reg) ?? 64, f)), pair: { site, fact: f } });
    }
  };
  for (const e of exitsS) {
    const to = e.to;
    let reach: B = d.bool(false);
    for (const f of exitsT) {
      const g = f.to;
      let same: B | undefined;
      if (to.kind === 'block' && g.kind === 'block') same = ctx.matching.pairs.get(to.index) === g.index ? d.bool(true) : undefined;
      else if (to.kind === 'call' && g.kind === 'call') {
        const thenOk = to.then === undefined ? g.then === undefined : g.then !== undefined && ctx.matching.pairs.get(to.then) === g.then;
        if (thenOk) {
          if (typeof to.callee === 'string' && typeof g.callee === 'string') same = to.callee === g.callee ? d.bool(true) : undefined;
          // Function pointers are code addresses, aligned on both ISAs (jalr clears bit 0, blr faults).
          else if (typeof to.callee !== 'string' && typeof g.callee !== 'string') same = d.eq(64, d.and(64, to.callee, d.bv(64, ~3n)), d.and(64, g.callee, d.bv(64, ~3n)));
        }
      } else if (to.kind === 'tailcall' && g.kind === 'tailcall') same = to.callee === g.callee ? d.bool(true) : undefined;
      else if (to.kind === g.kind && (to.kind === 'ret' || to.kind === 'trap' || to.kind === 'end')) same = d.bool(true);
      if (same !== undefined) reach = d.bor(reach, d.band(f.cond, same));
    }
    const where = describeTarget(ctx.source, to);
    out.push({ what: `both go to ${where}`, holds: implies(e.cond, reach) });
    switch (to.kind) {
      case 'block':
        pairs(rel.blocks.get(to.index), e.cond, where, { kind: 'block', index: to.index });
        facts(rel.facts.get(to.index), e.cond, where, { kind: 'block', index: to.index }, () => true);
        frameRegs(ctx.source, S, to.index, 0n, e.cond, 'source');
        frameRegs(ctx.target, T, ctx.matching.pairs.get(to.index) ?? -1, rel.delta, e.cond, 'target');
        break;
      case 'call': {
        pairs(rel.calls.get(bs), e.cond, where, { kind: 'call', index: bs });
        if (to.then !== undefined) {
          const kept = (rel.blocks.get(to.then) ?? []).filter((p) => ctx.source.abi.calleeSaved.has(p.s) && ctx.target.abi.calleeSaved.has(p.t));
          pairs(kept, e.cond, where, { kind: 'block', index: to.then });
          facts(rel.facts.get(to.then), e.cond, where, { kind: 'block', index: to.then }, (f) => (f.side === 's' ? ctx.source : ctx.target).abi.calleeSaved.has(f.reg));
          frameRegs(ctx.source, S, to.then, 0n, e.cond, 'source');
          frameRegs(ctx.target, T, ctx.matching.pairs.get(to.then) ?? -1, rel.delta, e.cond, 'target');
        }
        break;
      }
      case 'tailcall':
        pairs(rel.calls.get(bs), e.cond, where, { kind: 'call', index: bs });
        frameRegs(ctx.source, S, 'cfa', 0n, e.cond, 'source');
        frameRegs(ctx.target, T, 'cfa', rel.delta, e.cond, 'target');
        break;
      case 'ret':
        pairs(rel.returns, e.cond, 'return', { kind: 'return' });
        frameRegs(ctx.source, S, 'cfa', 0n, e.cond, 'source');
        frameRegs(ctx.target, T, 'cfa', rel.delta, e.cond, 'target');
        break;
      default:
        break;
    }
  }
  return out;
}
