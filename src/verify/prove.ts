// The Z3 proof of one block pair under R. Both blocks run in the verification domain from one
// symbolic entry state that satisfies R by construction (a related target register shares its
// low bits with the source register; memory is one shared array, plus each side's private bytes;
// the frames are overlaid). The query asks for an entry state that breaks some exit obligation;
// unsat is a proof. A model is turned back into a concrete entry state for the emulator.

import type { Context, Model } from 'z3-solver';
import type { SymBV, SymMem } from '../isa/symbolic.js';
import { mask } from '../isa/sem.js';
import { type ConcreteEntry, apart, randomEntry, resultBuffer } from './concrete.js';
import { CFA, type Side, VState, runBlock } from './exec.js';
import { guardedCheck } from './z3.js';
import { type CallFrame, type Obligation, callsOut, exitObligations, exitsOf, pairImage, slotObligations, stackArgumentObligations } from './obligations.js';
import type { Outcome } from '../isa/exec.js';
import { type FunctionRelation, type PairContext, type RegPair, type SideContext, showCfa, slotAliases } from './relation.js';
import { NO_FORWARDING, type Region, regionPaths, staysInside, unitOf } from './correspond.js';
import { type Access, QueryTooLarge, type SBool, type SVal, type VMem, type VerifyDomain, arrayBase, fromFrame, isStatic, writesOf } from './value.js';

/** Where a load or store went, and how many bytes. */
type Accessed = Pick<Access, 'addr' | 'bytes'>;

/** What the prover needs across queries: the domain and the memories. */
export interface ProverEnv {
  readonly d: VerifyDomain;
  readonly ctx: Context<'main'>;
  readonly shared: SymMem;
  readonly privateSource: SymMem;
  readonly privateTarget: SymMem;
}

export function proverEnv(d: VerifyDomain): ProverEnv {
  return { d, ctx: d.ctx, shared: d.sym.memory('mem'), privateSource: d.sym.memory('private.s'), privateTarget: d.sym.memory('private.t') };
}

/** The outcome of one proof attempt. */
export type ProofResult =
  | { readonly status: 'proven'; readonly byEvaluation: boolean }
  /** `along`: entry states with what the model pins, and `fill`'s values elsewhere (see alongModel). */
  | { readonly status: 'counterexample'; readonly entry: ConcreteEntry; readonly failed: readonly Obligation<SBool>[]; readonly along: Along }
  /**
   * `along`, behind a path context: entry states that take the path (from a model of the entry
   * assumptions alone), with `fill`'s values wherever the path does not pin one.
   */
  | { readonly status: 'unknown'; readonly reason: string; readonly along?: Along }
  | { readonly status: 'unsupported'; readonly reason: string }
  /** No execution in R follows the path context into the block. */
  | { readonly status: 'infeasible' };

// ---------------------------------------------------------------------------------------------
// The symbolic entry state
// ---------------------------------------------------------------------------------------------

/**
 * One side's entry state. Its private frame bytes read from its own private memory; a target
 * byte of a slot pair (`aliases`: its offset to the source's) reads the source's private byte.
 */
function sideState(env: ProverEnv, side: SideContext, which: Side, block: number, cfaShift: bigint, privates: ReadonlySet<bigint>, privateMem: SymMem, initial: (id: string) => SVal, symbols: Set<string>, aliases?: ReadonlyMap<bigint, bigint>): VState {
  const { d } = env;
  const privateByte = (mem: SymMem, addr: SVal): SVal => ({ w: 8, off: 0n, part: 'full', mk: () => mem.select(d.term(addr) as never) as unknown as SymBV });
  const special = (addr: SVal): SVal | undefined => {
    if (!isStatic(addr) || addr.base === undefined) return undefined;
    const alias = addr.base === CFA ? aliases?.get(addr.off) : undefined;
    if (alias !== undefined) return privateByte(env.privateSource, d.address(CFA, alias));
    if (addr.base === CFA && privates.has(addr.off)) return privateByte(privateMem, addr);
    if (addr.base.startsWith('sym:')) {
      const image = side.images.get(addr.base.slice(4));
      if (image && addr.off >= 0n && addr.off < BigInt(image.length)) return d.bv(8, BigInt(image[Number(addr.off)]!));
    }
    return undefined;
  };
  const mem: VMem = { base: arrayBase(d, env.shared, special) };
  const st = new VState(d, which, mem, initial, (name) => {
    const key = side.symbolKey(name);
    symbols.add(key);
    return key;
  });
  for (const [reg, off] of side.frame.entry[block] ?? []) st.set(reg, d.address(CFA, cfaShift + off));
  for (const [reg, value] of side.fixed) st.set(reg, d.bv(64, value));
  return st;
}

/** Target register values defined from the source ones through the related pairs. */
function targetInitial(env: ProverEnv, ctx: PairContext, source: (id: string) => SVal, pairs: readonly RegPair[], assumptions: SBool[]): (id: string) => SVal {
  const { d } = env;
  const byTarget = new Map<string, RegPair[]>();
  for (const p of pairs) byTarget.set(p.t, [...(byTarget.get(p.t) ?? []), p]);
  return (id) => {
    const wt = ctx.target.widths.get(id) ?? 64;
    const own = d.fresh(`t.${id}`, wt);
    const related = byTarget.get(id);
    if (!related) return own;
    const [first, ...rest] = related;
    const cfa = d.address(CFA, 0n);
    const low = pairImage(d, ctx, first!, source(first!.s), cfa);
    const value = first!.w === wt ? low : d.concat(wt - first!.w, d.extract(wt, own, wt - 1, first!.w), first!.w, low);
    for (const p of rest) assumptions.push(d.eq(p.w, pairImage(d, ctx, p, source(p.s), cfa), p.w === wt ? value : d.extract(wt, value, p.w - 1, 0)));
    return value;
  };
}

// ---------------------------------------------------------------------------------------------
// The proof
// ---------------------------------------------------------------------------------------------

/** Memory terms one query may build (byte-level store chains at computed addresses). */
const MEMORY_BUDGET = 20_000;

/** Proves (or refutes) one block pair under R. */
export async function proveBlock(env: ProverEnv, ctx: PairContext, rel: FunctionRelation, bs: number, timeoutMs: number, context: readonly number[] = []): Promise<ProofResult> {
  env.d.budget = MEMORY_BUDGET;
  try {
    return await proveWithin(env, ctx, rel, bs, timeoutMs, context);
  } catch (e) {
    if (e instanceof QueryTooLarge) return { status: 'unknown', reason: 'query too large for the solver (long store chains at computed addresses)' };
    throw e;
  } finally {
    env.d.budget = Infinity;
  }
}

async function proveWithin(env: ProverEnv, ctx: PairContext, rel: FunctionRelation, bs: number, timeoutMs: number, context: readonly number[]): Promise<ProofResult> {
  const { d } = env;
  const fpTermsBefore = d.fpTerms;
  const path = [...context, bs];
  const first = path[0]!;
  const firstT = ctx.matching.pairs.get(first);
  if (firstT === undefined || !ctx.matching.pairs.has(bs)) return { status: 'unsupported', reason: 'no corresponding target block' };
  const assumptions: SBool[] = [];
  const symbols = new Set<string>();
  const pairs = rel.blocks.get(first) ?? [];
  // Target registers are defined from the source's entry values (not its current ones).
  const frameS = ctx.source.frame.entry[first];
  const sourceEntry = (id: string): SVal => {
    const off = frameS?.get(id);
    return off !== undefined ? d.address(CFA, off) : d.fresh(`s.${id}`, ctx.source.widths.get(id) ?? 64);
  };
  // Extension facts (returns.ts) shape a register's entry value on their side.
  const facts = rel.facts.get(first) ?? [];
  const withFacts = (side: Side, initial: (id: string) => SVal) => (id: string): SVal => {
    const v = initial(id);
    const f = facts.find((x) => x.side === side && x.reg === id);
    if (!f) return v;
    const low = d.extract(64, v, f.bits - 1, 0);
    return f.signed ? d.sext(f.bits, low, 64) : d.zext(f.bits, low, 64);
  };
  const sourceValue = withFacts('s', sourceEntry);
  const S = sideState(env, ctx.source, 's', first, 0n, rel.privateSource, env.privateSource, sourceValue, symbols);
  const buffer = first === 0 ? resultBuffer(ctx) : undefined;
  for (const r of buffer?.others ?? []) assumptions.push(apart(d, sourceValue(buffer!.reg), sourceValue(r)));
  const T = sideState(env, ctx.target, 't', firstT, rel.delta, rel.privateTarget, env.privateTarget, withFacts('t', targetInitial(env, ctx, sourceValue, pairs, assumptions)), symbols, slotAliases(rel.slots));
  // Addresses not computed from the frame: the assumption below keeps them out of both frames.
  const outside: Accessed[] = [];
  // Addresses computed from the frame at run time (array elements).
  const indexed: Accessed[] = [];
  // The loads of the path context, which its branches may test (see Along).
  const loads: Accessed[] = [];
  let onPath = true;
  d.onAccess = (a) => {
    if (a.kind === 'load' && onPath) loads.push(a);
    if (!fromFrame(a.addr) && !(isStatic(a.addr) && a.addr.base?.startsWith('sym:'))) outside.push(a);
    else if (fromFrame(a.addr) && !isStatic(a.addr)) indexed.push(a);
  };
  const obligations: Obligation<SBool>[] = [];
  // What C leaves undefined (division by zero, a NaN converted to an integer): the source is
  // taken never to do it (unless exact).
  const definedness: SBool[] | undefined = ctx.options.exact ? undefined : assumptions;
  try {
    for (const [k, b] of context.entries()) {
      const bt = ctx.matching.pairs.get(b)!;
      const [rs, defined] = definedIn(d, () => runBlock(ctx.source.sem, ctx.source.program, ctx.source.cfg.blocks[b]!.instructions, S, ctx.source.layout));
      definedness?.push(...defined);
      if (rs.status !== 'ok') return { status: 'unsupported', reason: `source: ${rs.reason}` };
      const rt = runBlock(ctx.target.sem, ctx.target.program, ctx.target.cfg.blocks[bt]!.instructions, T, ctx.target.layout);
      if (rt.status !== 'ok') return { status: 'unsupported', reason: `target: ${rt.reason}` };
      // Only executions that follow the path to `bs` on both sides reach it.
      const next = context[k + 1] ?? bs;
      const cs = edgeCondition(d, ctx.source, b, rs.outcome, next, ctx.matching.forwardSource);
      const ct = edgeCondition(d, ctx.target, bt, rt.outcome, ctx.matching.pairs.get(next)!, ctx.matching.forwardTarget);
      if (!cs || !ct) return { status: 'unsupported', reason: 'the path context does not lead to the block' };
      assumptions.push(cs, ct);
    }
    onPath = false;
    // A region runs once per path; every pair of paths must meet the exit obligations under both
    // paths' conditions.
    const unit = unitOf(ctx.matching, bs)!;
    const endsS = runPaths(d, ctx.source, unit.source, S, definedness);
    if (typeof endsS === 'string') return { status: 'unsupported', reason: `source: ${endsS}` };
    const endsT = runPaths(d, ctx.target, unit.target, T);
    if (typeof endsT === 'string') return { status: 'unsupported', reason: `target: ${endsT}` };
    const cfa = d.address(CFA, 0n);
    for (const es of endsS) {
      for (const et of endsT) {
        const found = exitObligations(ctx, rel, bs, es.state, et.state, es.outcome, et.outcome, cfa, { s: es.end, t: et.end });
        if (typeof found === 'string') return { status: 'unsupported', reason: found };
        found.push(...memoryObligations(d, es.state.mem, et.state.mem, rel));
        if (callsOut(es.outcome)) {
          const frames = [[es.state, ctx.source], [et.state, ctx.target]] as const;
          const [fs, ft] = frames.map(([st, side]): CallFrame | undefined => {
            const sp = st.get(side.abi.sp);
            return isStatic(sp) && sp.base === CFA ? { sp: sp.off, written: staticFrameBytes(st.mem) } : undefined;
          });
          if (!fs || !ft) return { status: 'unsupported', reason: 'sp at the call is not a constant offset from the frame address' };
          found.push(...stackArgumentObligations(d, rel, es.state.mem, et.state.mem, cfa, fs, ft));
        }
        found.push(...slotObligations(d, rel, es.state.mem, et.state.mem, cfa, (p) => mayWrite(es.state.mem, p.s, p.bytes) || mayWrite(et.state.mem, p.t, p.bytes)));
        const both = d.band(es.cond, et.cond);
        const single = endsS.length === 1 && endsT.length === 1;
        for (const o of found) obligations.push(single ? o : { ...o, what: `${o.what} (${es.path} / ${et.path})`, holds: d.bor(d.bnot(both), o.holds) });
      }
    }
  } finally {
    d.onAccess = undefined;
  }

  const open = obligations.filter((o) => o.holds.c !== true);
  if (open.length === 0) return { status: 'proven', byEvaluation: true };

  const z = env.ctx;
  const [lo, hi] = frameWindow(ctx, rel);
  /** The query, its terms built in the domain's current mode (see `VerifyDomain.fpAbstract`). */
  const query = (timeout: number): { solver: import('z3-solver').Solver<'main'>; assumed: import('z3-solver').Bool<'main'>[]; cfaTerm: SymBV } => {
    const solver = new z.Solver();
    solver.set('timeout', Math.max(1, Math.floor(timeout)));
    const cfaTerm = d.term(d.fresh(CFA, 64));
    solver.add(...cfaPlacement(env, cfaTerm));
    // Symbols are distinct objects below the stack, at least 64 KiB apart.
    const symbolTerms = [...symbols].map((key) => d.term(d.fresh('sym:' + key, 64)));
    symbolTerms.forEach((s, i) => {
      solver.add(s.uge(1n << 12n), s.ult(1n << 39n));
      for (const o of symbolTerms.slice(0, i)) solver.add(s.sub(o).uge(1n << 16n), o.sub(s).uge(1n << 16n));
    });
    const assumed: import('z3-solver').Bool<'main'>[] = [];
    for (const a of assumptions) assumed.push(d.boolTerm(a));
    // DESIGN.md's one assumption: a pointer that did not come from the frame does not point into
    // it. With the frames overlaid, "the frame" is both sides' frames together.
    for (const a of outside) {
      const off = d.term(a.addr).sub(cfaTerm);
      assumed.push(z.Or(off.slt(lo), off.sge(hi)));
    }
    solver.add(...assumed);
    solver.add(z.Not(z.And(...open.map((o) => d.boolTerm(o.holds)))));
    return { solver, assumed, cfaTerm };
  };
  // Floating-point arithmetic is tried first as uninterpreted functions: where both sides apply the
  // same operations to operands that are equal, that query is unsat, often where the IEEE circuits
  // take the solver past its timeout (a loop body `r = r*x + c[i]` under `i >= 0`, its index
  // sign-extended on one side and zero-extended on the other). Sat there says nothing (the model
  // need not be one of the real operations); the real query follows.
  let abstractUnsat = false;
  if (d.fpTerms > fpTermsBefore) {
    d.fpAbstract = true;
    try {
      const abstract = query(timeoutMs).solver;
      abstractUnsat = (await guardedCheck(() => abstract.check())) === 'unsat';
    } catch {
      // The real query decides.
    } finally {
      d.fpAbstract = false;
    }
  }
  const { solver, assumed, cfaTerm } = query(timeoutMs);
  let verdict: string;
  try {
    verdict = abstractUnsat ? 'unsat' : await guardedCheck(() => solver.check());
    // Constant data is memory like any other. An address computed from a symbol reads its bytes
    // (see sideState), but one computed from a pointer reads the shared array, where a model may
    // put anything; the emulator, placing the bytes at the symbol's address, reads the data. Where
    // a model puts such an address inside constant data, that data's bytes are asserted in the
    // shared memory (a fact, not an assumption) and the solver asked again.
    const pinned = new Set<string>();
    while (verdict === 'sat') {
      const reached = constantsReached(env, ctx, solver.model(), outside, symbols).filter((key) => !pinned.has(key));
      if (reached.length === 0) break;
      for (const key of reached) {
        pinned.add(key);
        const facts = constantBytes(env, ctx, key);
        assumed.push(...facts);
        solver.add(...facts);
      }
      verdict = await guardedCheck(() => solver.check());
    }
  } catch (e) {
    return { status: 'unknown', reason: `solver error: ${(e as Error).message}` };
  }
  /** A state in R at the entry (and along the path context): the assumptions alone. */
  const witness = async (): Promise<{ readonly found: string; readonly model?: Model<'main'> }> => {
    const w = new z.Solver();
    w.set('timeout', Math.max(1, Math.floor(timeoutMs)));
    w.add(...cfaPlacement(env, cfaTerm), ...assumed);
    const found = await guardedCheck(() => w.check());
    return found === 'sat' ? { found, model: w.model() } : { found };
  };
  if (verdict === 'unsat') {
    // Never prove from contradictory assumptions: the entry state must exist.
    const exists = (await witness()).found;
    if (exists === 'sat') return { status: 'proven', byEvaluation: false };
    if (exists === 'unsat') return context.length > 0 ? { status: 'infeasible' } : { status: 'unsupported', reason: 'the entry assumptions are contradictory' };
    return { status: 'unknown', reason: `solver gave up (${timeoutMs} ms timeout) showing that the entry assumptions can hold` };
  }
  if (verdict !== 'sat') {
    const reason = `solver gave up (${timeoutMs} ms timeout)`;
    // Random states rarely take a path context's branches (a field equal to 5); a model of the
    // path condition is a small query, and gives the tester states that do.
    const model = context.length > 0 ? (await witness()).model : undefined;
    return model ? { status: 'unknown', reason, along: alongModel(env, model, loads) } : { status: 'unknown', reason };
  }
  let model = solver.model();
  // A slot or object pair lies at different places on the two sides, so an array element that
  // reaches one (an index out of its array's bounds, which C leaves undefined) is a different byte
  // on each side. A counterexample that needs one is looked for again without; if none is left,
  // the proof holds only for the runs that keep their array accesses in bounds, and is not a proof.
  const inBounds = slotsApart(d, rel, indexed, cfaTerm);
  if (inBounds.length > 0 && z.isFalse(model.eval(z.And(...inBounds), true))) {
    solver.add(...inBounds);
    const again = await guardedCheck(() => solver.check());
    if (again === 'unsat') return { status: 'unknown', reason: 'proven only for runs whose array accesses in the frame stay off the slots the two sides keep at different places' };
    if (again !== 'sat') return { status: 'unknown', reason: `solver gave up (${timeoutMs} ms timeout)` };
    model = solver.model();
  }
  const failed = open.filter((o) => z.isFalse(model.eval(d.boolTerm(o.holds), true)));
  return { status: 'counterexample', entry: entryFromModel(env, model), failed, along: alongModel(env, model, loads) };
}

/** Where a stack may lie: the CFA is 16-byte aligned, in the user half of the address space. */
function cfaPlacement(env: ProverEnv, cfaTerm: SymBV): import('z3-solver').Bool<'main'>[] {
  return [cfaTerm.extract(3, 0).eq(env.ctx.BitVec.val(0n, 4)), cfaTerm.uge(1n << 40n), cfaTerm.ult(1n << 47n)];
}

/** The constant data (by symbol key) that a model places some access through a pointer in. */
function constantsReached(env: ProverEnv, ctx: PairContext, model: Model<'main'>, outside: readonly Accessed[], symbols: ReadonlySet<string>): string[] {
  const { d } = env;
  const value = (t: SymBV): bigint => modelValue(model, t);
  const reached: string[] = [];
  for (const key of symbols) {
    const image = ctx.source.images.get(key) ?? ctx.target.images.get(key);
    if (!image || outside.length === 0) continue;
    const at = value(d.term(d.fresh('sym:' + key, 64)));
    const end = at + BigInt(image.length);
    if (outside.some((a) => {
      const addr = value(d.term(a.addr));
      return addr + BigInt(a.bytes) > at && addr < end;
    })) reached.push(key);
  }
  return reached;
}

/** The bytes of one symbol's constant data, as facts about the shared memory. */
function constantBytes(env: ProverEnv, ctx: PairContext, key: string): import('z3-solver').Bool<'main'>[] {
  const { d } = env;
  const image = (ctx.source.images.get(key) ?? ctx.target.images.get(key))!;
  const at = d.term(d.fresh('sym:' + key, 64));
  return [...image].map((byte, i) => (env.shared.select(at.add(BigInt(i)) as never) as unknown as SymBV).eq(env.ctx.BitVec.val(BigInt(byte), 8)));
}

/** For each address computed from the frame at run time: it is off every slot and object pair, on both sides. */
function slotsApart(d: VerifyDomain, rel: FunctionRelation, indexed: readonly Accessed[], cfaTerm: SymBV): import('z3-solver').Bool<'main'>[] {
  const out: import('z3-solver').Bool<'main'>[] = [];
  for (const a of indexed) {
    const off = d.term(a.addr).sub(cfaTerm);
    for (const p of rel.slots) for (const at of [p.s, p.t]) out.push(off.sle(at - BigInt(a.bytes)).or(off.sge(at + BigInt(p.bytes))));
  }
  return out;
}

/** Both frames, as offsets from the source CFA: [lowest sp or slot, highest private byte]. */
function frameWindow(ctx: PairContext, rel: FunctionRelation): [bigint, bigint] {
  let lo = 0n;
  let hi = rel.delta > 0n ? rel.delta : 0n;
  for (const [side, shift] of [[ctx.source, 0n], [ctx.target, rel.delta]] as const) {
    for (const m of side.frame.entry) for (const off of m?.values() ?? []) if (off + shift < lo) lo = off + shift;
  }
  for (const b of [...rel.privateSource, ...rel.privateTarget]) {
    if (b < lo) lo = b;
    if (b >= hi) hi = b + 1n;
  }
  return [lo, hi];
}

/** One path through a region: the state at its end, how its last block ended, and its condition. */
interface PathEnd {
  readonly state: VState;
  readonly outcome: Outcome<SVal, SBool>;
  readonly cond: SBool;
  /** The block it ends in. */
  readonly end: number;
  /** The path's blocks, for messages. */
  readonly path: string;
}

/** Runs `run`, and returns with its result the conditions under which C defines what it did. */
function definedIn<R>(d: VerifyDomain, run: () => R): [R, SBool[]] {
  const defined: SBool[] = [];
  d.onUndefined = (c) => defined.push(c);
  try {
    return [run(), defined];
  } finally {
    d.onUndefined = undefined;
  }
}

/**
 * Runs every path of a region from a copy of `start`; a plain block is its one path. With
 * `definedness`, what each path does is taken to be defined in C under the path's condition.
 */
function runPaths(d: VerifyDomain, side: SideContext, region: Region, start: VState, definedness?: SBool[]): PathEnd[] | string {
  const paths = region.blocks.length === 1 ? [region.blocks] : regionPaths(side.cfg, region);
  if (!paths) return `the region of block ${region.blocks[0]} has a cycle or too many paths`;
  const ends: PathEnd[] = [];
  for (const path of paths) {
    const st = paths.length === 1 ? start : start.fork();
    let cond: SBool = d.bool(true);
    let outcome: Outcome<SVal, SBool> = { kind: 'next' };
    const defined: SBool[] = [];
    for (const [k, b] of path.entries()) {
      const [r, conditions] = definedIn(d, () => runBlock(side.sem, side.program, side.cfg.blocks[b]!.instructions, st, side.layout));
      defined.push(...conditions);
      if (r.status !== 'ok') return r.reason;
      outcome = r.outcome;
      const next = path[k + 1];
      if (next === undefined) break;
      // Inside a region, edges are the blocks' own (no forwarding through jump-only blocks).
      const c = edgeCondition(d, side, b, outcome, next, NO_FORWARDING);
      if (!c) return `block ${b} does not lead to block ${next}`;
      cond = d.band(cond, c);
    }
    // The path ends where control leaves the region, not where it could go on inside.
    const end = path.at(-1)!;
    if (paths.length > 1) {
      const exits = exitsOf(d, side, side.cfg.blocks[end]!, outcome, NO_FORWARDING);
      if (typeof exits === 'string') return exits;
      cond = d.band(cond, exits.filter((e) => e.to.kind !== 'block' || !staysInside(region, e.to.index)).reduce<SBool>((a, e) => d.bor(a, e.cond), d.bool(false)));
    }
    for (const c of defined) definedness?.push(d.bor(d.bnot(cond), c));
    ends.push({ state: st, outcome, cond, end, path: path.map((b) => side.cfg.blocks[b]!.labels[0] ?? `block ${b}`).join('>') });
  }
  return ends;
}

/** The condition under which a run of `block` continues to block `to`. */
function edgeCondition(d: VerifyDomain, side: SideContext, block: number, outcome: Outcome<SVal, SBool>, to: number, forward: ReadonlyMap<number, number>): SBool | undefined {
  const exits = exitsOf(d, side, side.cfg.blocks[block]!, outcome, forward);
  if (typeof exits === 'string') return undefined;
  const conds = exits.filter((e) => e.to.kind === 'block' && e.to.index === to).map((e) => e.cond);
  return conds.length === 0 ? undefined : conds.reduce((a, b) => d.bor(a, b));
}

/** Whether a store of `mem` may write a byte of the frame slot at `off` (from the source CFA). */
function mayWrite(mem: VMem, off: bigint, bytes: number): boolean {
  return writesOf(mem).some((w) => (isStatic(w.addr) ? w.addr.base === CFA && w.addr.off < off + BigInt(bytes) && w.addr.off + BigInt(w.bytes) > off : fromFrame(w.addr)));
}

/** The frame bytes (CFA offsets) that a memory's stores at static addresses wrote. */
function staticFrameBytes(mem: VMem): Set<bigint> {
  const out = new Set<bigint>();
  for (const w of writesOf(mem)) if (isStatic(w.addr) && w.addr.base === CFA) for (let k = 0n; k < BigInt(w.bytes); k++) out.add(w.addr.off + k);
  return out;
}

/** Every written byte outside the private ones must be equal in the two final memories. */
function memoryObligations(d: VerifyDomain, ms: VMem, mt: VMem, rel: FunctionRelation): Obligation<SBool>[] {
  const out: Obligation<SBool>[] = [];
  const seen = new Set<string>();
  const isPrivate = (a: SVal): boolean => a.base === CFA && isStatic(a) && (rel.privateSource.has(a.off) || rel.privateTarget.has(a.off));
  for (const w of [...writesOf(ms), ...writesOf(mt)]) {
    const ranges: [SVal, number][] = [];
    const bytes = Array.from({ length: w.bytes }, (_, j) => (j === 0 ? w.addr : d.add(64, w.addr, d.bv(64, BigInt(j)))));
    if (bytes.some(isPrivate)) for (const b of bytes) if (!isPrivate(b)) ranges.push([b, 1]);
    if (!bytes.some(isPrivate)) ranges.push([w.addr, w.bytes]);
    for (const [addr, n] of ranges) {
      const key = isStatic(addr) ? `${addr.base ?? ''}:${addr.c ?? addr.off}:${n}` : undefined;
      if (key !== undefined) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const where = addr.base === CFA ? showCfa(addr.off) : addr.base?.startsWith('sym:') ? `${addr.base.slice(4)}+${addr.off}` : 'a computed address';
      out.push({ what: `memory at ${where} (${n} bytes)`, holds: d.eq(8 * n, d.load(ms, addr, n), d.load(mt, addr, n)) });
    }
  }
  return out;
}

/** A bit-vector's value in a model (completed where the model leaves it open). */
function modelValue(model: Model<'main'>, t: SymBV): bigint {
  return (model.eval(t, true) as unknown as { value(): bigint }).value();
}

/** Remembers each answer: evaluating in a model costs about a millisecond per read. */
function memo<K, V>(f: (k: K) => V): (k: K) => V {
  const seen = new Map<K, V>();
  return (k) => {
    let v = seen.get(k);
    if (v === undefined) {
      v = f(k);
      seen.set(k, v);
    }
    return v;
  };
}

/**
 * Entry states that keep what a model pins and take `fill`'s values elsewhere. A model of the
 * entry assumptions alone pins the few cells a path's branches read; Z3 leaves the rest at a
 * default (zeros), under which a wrong `fadd` for an `fsub` would show nothing. But a byte the
 * model gives the array's default is not listed in it either, and a path may need that value (a
 * pointer that is zero). So the rest of a word with a listed byte keeps the default, and with
 * `loads`, so does every byte the path context loads (at the addresses the model gives the loads);
 * what the block itself loads stays random unless listed.
 */
export type Along = (fill: ConcreteEntry, loads?: boolean) => ConcreteEntry;

/** The states a model seeds (see Along); `loads` are the path context's. */
function alongModel(env: ProverEnv, model: Model<'main'>, loads: readonly Accessed[]): Along {
  const { d } = env;
  const value = (t: SymBV): bigint => modelValue(model, t);
  // What the model pins, read at the first call: a counterexample that replays never needs it.
  const read = (): Pinned => {
    const assigned = new Set(model.decls().map((x) => String(x.name())));
    const register = (prefix: string) => (id: string): bigint | undefined => {
      const v = d.lookup(`${prefix}.${id}`);
      return v && assigned.has(`${prefix}.${id}`) ? value(d.term(v)) : undefined;
    };
    const loaded = new Set<bigint>();
    for (const l of loads) {
      const at = value(d.term(l.addr));
      for (let k = 0n; k < BigInt(l.bytes); k++) loaded.add(BigInt.asUintN(64, at + k));
    }
    const memory = (mem: SymMem, name: string): ((addr: bigint, loads: boolean) => number | undefined) => {
      if (!assigned.has(name)) return () => undefined;
      const text = (model.eval(mem as never, false) as unknown as { sexpr(): string }).sexpr();
      const bytes = new Map<bigint, number>();
      for (const m of text.matchAll(/#x([0-9a-f]{16})\s+#x([0-9a-f]{2})/g)) bytes.set(BigInt(`0x${m[1]}`), parseInt(m[2]!, 16));
      const fallback = parseInt(/\(as const [^#]*#x([0-9a-f]{2})/.exec(text)?.[1] ?? '00', 16);
      const words = new Set([...bytes.keys()].map((a) => a & ~7n));
      return (addr, all) => bytes.get(addr) ?? (words.has(addr & ~7n) || (all && loaded.has(addr)) ? fallback : undefined);
    };
    return {
      cfa: value(d.term(d.fresh(CFA, 64))),
      source: register('s'),
      target: register('t'),
      shared: memory(env.shared, 'mem'),
      privateSource: memory(env.privateSource, 'private.s'),
      privateTarget: memory(env.privateTarget, 'private.t'),
    };
  };
  let pinned: Pinned | undefined;
  return (fill, all = false) => {
    const p = (pinned ??= read());
    return {
      cfa: p.cfa,
      sourceRegister: memo((id) => p.source(id) ?? fill.sourceRegister(id)),
      targetRegister: memo((id) => p.target(id) ?? fill.targetRegister(id)),
      memory: memo((a) => p.shared(a, all) ?? fill.memory(a)),
      privateSource: memo((a) => p.privateSource(a, all) ?? fill.privateSource(a)),
      privateTarget: memo((a) => p.privateTarget(a, all) ?? fill.privateTarget(a)),
      symbol: fill.symbol,
    };
  };
}

/** What a model pins of an entry state (undefined: left open). */
interface Pinned {
  readonly cfa: bigint;
  source(id: string): bigint | undefined;
  target(id: string): bigint | undefined;
  /** With `loads`, every byte the query loads is pinned (see Along). */
  shared(addr: bigint, loads: boolean): number | undefined;
  privateSource(addr: bigint, loads: boolean): number | undefined;
  privateTarget(addr: bigint, loads: boolean): number | undefined;
}

/** A concrete entry state from a model: the emulator replays the counterexample from it. */
function entryFromModel(env: ProverEnv, model: Model<'main'>): ConcreteEntry {
  const { d } = env;
  const value = (t: SymBV): bigint => modelValue(model, t);
  // Unknowns the query never built are unconstrained: any value replays the same.
  const reg = (prefix: string) => (id: string): bigint => {
    const v = d.lookup(`${prefix}.${id}`);
    return v ? value(d.term(v)) : 0n;
  };
  const placement = randomEntry(1);
  const byte = (mem: SymMem) => (addr: bigint): number => Number(value(mem.select(env.ctx.BitVec.val(addr & mask(64), 64) as never) as unknown as SymBV));
  return {
    cfa: value(d.term(d.fresh(CFA, 64))),
    sourceRegister: memo(reg('s')),
    targetRegister: memo(reg('t')),
    memory: memo(byte(env.shared)),
    privateSource: memo(byte(env.privateSource)),
    privateTarget: memo(byte(env.privateTarget)),
    symbol: memo((key: string) => {
      const v = d.lookup('sym:' + key);
      return v ? value(d.term(v)) : placement.symbol(key);
    }),
  };
}
