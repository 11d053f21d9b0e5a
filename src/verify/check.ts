// Checking a translation: pair the functions and their blocks, infer (or take) R, then give every
// source block one verdict. Random testing in the emulator runs first (cheap, and it finds most
// wrong blocks); then Z3 proves the pair, or finds a counterexample that the emulator replays
// before the block is called REFUTED. While R is being inferred, a refuted register pair of R is
// dropped instead (R was too strong, not the translation wrong) and the blocks that assumed it
// are checked again, to a fixpoint: Houdini with the prover in the loop.

import type { Instruction, IsaName, Program } from '../ir/program.js';
import { isLocalLabel } from '../ir/expr.js';
import { buildCfgs, type FunctionCfg } from '../cfg/cfg.js';
import { frontEnd } from '../asm/index.js';
import { semanticsFor } from '../isa/semantics.js';
import { symbolicDomain } from '../isa/symbolic.js';
import { loadZ3 } from './z3.js';
import { fixedLayout } from '../emu/machine.js';
import { RELATION_ABI } from './abi.js';
import { type ConcreteEntry, type PairRun, randomEntry, runPair, unspecifiedOnly } from './concrete.js';
import { hasJumpTable, matchBlocks, shape, splitEdges, unitOf } from './correspond.js';
import { localData, pairDataLabels } from './data.js';
import { analyseFrame, registerWidths } from './frame.js';
import { inferRelation, spilledArguments } from './infer.js';
import { type Obligation, type PairSite, pairImage } from './obligations.js';
import { concrete } from '../isa/concrete.js';
import { type Along, type ProverEnv, proveBlock, proverEnv } from './prove.js';
import { type ContextOptions, type FunctionRelation, type PairContext, type SlotPair, isKept, samePair, showCfa, showSlot, type RegPair, type SideContext, registersNamed, showPair } from './relation.js';
export type { ContextOptions };
import { verifyDomain } from './value.js';
import { type ExtensionFact, showFact } from './returns.js';

// ---------------------------------------------------------------------------------------------
// Verdicts and reports
// ---------------------------------------------------------------------------------------------

/** A concrete state on which the two blocks disagree. */
export interface Counterexample {
  /** The source CFA (sp at function entry). */
  readonly cfa: string;
  /** Live-in registers of each block at entry, hex. */
  readonly source: Readonly<Record<string, string>>;
  readonly target: Readonly<Record<string, string>>;
  /** Where the runs diverged. */
  readonly diverged: readonly string[];
}

/** One block's verdict, strongest first. */
export type Verdict =
  /** `forwarded`: a jump-only block with no partner; it changes no state, and the edges through it
   * are checked as edges of its predecessors. */
  | { readonly kind: 'PROVEN'; readonly by: 'z3' | 'evaluation' | 'forwarded'; /** Unique predecessors run in front (path condition). */ readonly context?: number }
  | { readonly kind: 'TESTED'; readonly tests: number; readonly reason: string }
  | { readonly kind: 'REFUTED'; readonly counterexample: Counterexample; readonly foundBy: 'testing' | 'z3' }
  | { readonly kind: 'UNSUPPORTED'; readonly reason: string };

/** Where a block is. */
export interface BlockPlace {
  readonly index: number;
  readonly label?: string;
  /** 1-based line of the block's first instruction. */
  readonly line?: number;
}

export interface BlockReport {
  readonly source: BlockPlace;
  readonly target?: BlockPlace;
  /**
   * Set for a block inside a region that is checked as a whole against its partner (a RISC-V
   * branch diamond for an AArch64 `csel`): the region's first block, whose verdict this is.
   */
  readonly region?: BlockPlace;
  /**
   * An empty block gns added to the source on an edge where the target does work of its own (a
   * RISC-V `mv a5,a0` after a call that AArch64 does not need): the verdict is on that work.
   * (Added target blocks show as a target place without a line.)
   */
  readonly added?: boolean;
  /** How many target blocks the block is checked against, when more than one (a region). */
  readonly targetBlocks?: number;
  readonly verdict: Verdict;
  /** R at the block's entry, as `x0~a0` pairs. */
  readonly relation: readonly string[];
  readonly ms: number;
}

export interface FunctionReport {
  readonly name: string;
  readonly blocks: readonly BlockReport[];
  /** Target blocks that no source block corresponds to. */
  readonly unmatchedTarget: readonly BlockPlace[];
  /**
   * Frame shift (target CFA - source CFA), the slots related one by one where the shift does not
   * line them up (each side from its own CFA), and the share of frame accesses the two explain.
   */
  readonly frame: { readonly delta: number; readonly agreement: number; readonly slots?: readonly string[] };
  readonly returns: readonly string[];
  readonly notes: readonly string[];
}

export interface VerifyReport {
  readonly source: IsaName;
  readonly target: IsaName;
  readonly functions: readonly FunctionReport[];
  /** Functions present on one side only. */
  readonly unmatchedFunctions: { readonly source: readonly string[]; readonly target: readonly string[] };
  readonly counts: Readonly<Record<Verdict['kind'], number>>;
  /** What every verdict rests on. */
  readonly assumptions: readonly string[];
}

export const ASSUMPTIONS = [
  'a pointer that did not come from the frame does not point into the current frame',
  'a callee behaves the same on both sides given related arguments and equal memory, and preserves callee-saved registers and sp',
  'return addresses and callee-saved registers are restored (not compared)',
  'distinct symbols are distinct objects; function pointers are aligned code addresses',
  'an integer a callee returns on RISC-V is extended to 64 bits by its type (RISC-V psABI); the type is read from how the AArch64 side extends it',
  'the buffer for a structure result (x8 on AArch64, the hidden first argument on RISC-V) lies 64 KiB or more apart from the values of the other integer arguments',
];

/** Added to ASSUMPTIONS where R pairs frame objects (see SlotPair). */
export const FRAME_OBJECT_ASSUMPTION =
  'a callee given the address of a frame object that the two sides keep at different places (a copy of a structure argument) reaches only that object through it';

/** Added to ASSUMPTIONS unless the comparison is exact (`exact`): what C leaves open. */
export const DEFAULT_NAN_ASSUMPTION =
  'AArch64 runs in default-NaN mode (FPCR.DN = 1): every NaN an FP operation produces is the canonical NaN, as on RISC-V, so NaN payloads are not compared (--exact compares them)';
export const UNDEFINED_IN_C_ASSUMPTION =
  'the source never divides by zero or converts a NaN to an integer, which C leaves undefined (AArch64 gives 0 for both, RISC-V all ones and the largest integer; --exact compares them)';

/** Options for `verifyPrograms`. */
export interface VerifyOptions extends ContextOptions {
  /** Z3 timeout per query, ms (default 2000). */
  readonly timeoutMs?: number;
  /** Random states per block before Z3 (default 32). */
  readonly tests?: number;
  readonly seed?: number;
  /** Only these functions. */
  readonly functions?: readonly string[];
  /** Called after each function. */
  readonly progress?: (done: number, total: number, name: string) => void;
  /** Use this R instead of inferring one (per function name); it is never weakened. */
  readonly relations?: ReadonlyMap<string, FunctionRelation>;
}

// ---------------------------------------------------------------------------------------------
// The verifier
// ---------------------------------------------------------------------------------------------

/** A verifier holds one Z3 context; make one and reuse it. */
export interface Verifier {
  verifyPrograms(source: Program, target: Program, opts?: VerifyOptions): Promise<VerifyReport>;
  /** The pieces, for callers that work per function (sketch, tests). */
  pairContexts(source: Program, target: Program, opts?: ContextOptions): { pairs: PairContext[]; unmatched: { source: string[]; target: string[] } };
  checkFunction(ctx: PairContext, opts?: VerifyOptions & { relation?: FunctionRelation }): Promise<{ report: FunctionReport; relation: FunctionRelation }>;
  checkBlock(ctx: PairContext, rel: FunctionRelation, bs: number, opts?: VerifyOptions): Promise<Verdict>;
  readonly env: ProverEnv;
}

/** Creates a verifier (loads Z3 once per process). */
export async function createVerifier(): Promise<Verifier> {
  const { Context, Z3 } = await loadZ3();
  const ctx = new Context('main');
  const d = verifyDomain(symbolicDomain(ctx, Z3));
  const env = proverEnv(d);
  const verifier: Verifier = {
    env,
    pairContexts: (source, target, opts) => pairContexts(env, source, target, opts ?? {}),
    checkFunction: (c, opts) => checkFunction(env, c, opts),
    checkBlock: (c, rel, bs, opts) => checkBlock(env, c, rel, bs, opts ?? {}),
    async verifyPrograms(source, target, opts = {}) {
      const { pairs, unmatched } = pairContexts(env, source, target, opts);
      const chosen = opts.functions ? pairs.filter((p) => opts.functions!.includes(p.name)) : pairs;
      const functions: FunctionReport[] = [];
      let objects = false;
      for (const [i, p] of chosen.entries()) {
        const given = opts.relations?.get(p.name);
        const { report, relation } = await checkFunction(env, p, { ...opts, ...(given ? { relation: given } : {}) });
        functions.push(report);
        objects ||= relation.slots.some((s) => s.object);
        opts.progress?.(i + 1, chosen.length, p.name);
      }
      const counts = { PROVEN: 0, TESTED: 0, REFUTED: 0, UNSUPPORTED: 0 };
      for (const f of functions) for (const b of f.blocks) counts[b.verdict.kind]++;
      const nan = source.isa === 'aarch64' || target.isa === 'aarch64' ? [DEFAULT_NAN_ASSUMPTION] : [];
      const cLevel = opts.exact ? [] : [...nan, UNDEFINED_IN_C_ASSUMPTION];
      return { source: source.isa, target: target.isa, functions, unmatchedFunctions: unmatched, counts, assumptions: [...ASSUMPTIONS, ...(objects ? [FRAME_OBJECT_ASSUMPTION] : []), ...cLevel] };
    },
  };
  return verifier;
}

// ---------------------------------------------------------------------------------------------
// Function pairs
// ---------------------------------------------------------------------------------------------

function sideContext<I extends IsaName>(env: ProverEnv, which: 's' | 't', program: Program<I>, cfg: FunctionCfg, images: Map<string, Uint8Array>, symbolKey: (name: string) => string, opts: ContextOptions): SideContext<I> {
  const sem = semanticsFor(program.isa);
  const abi = RELATION_ABI[program.isa];
  const layout = fixedLayout(program);
  const labelBlock = new Map<string, number>();
  for (const b of cfg.blocks) for (const l of b.labels) labelBlock.set(l, b.index);
  return {
    program,
    cfg,
    sem,
    abi,
    layout,
    frame: analyseFrame(env.d, which, sem, program, cfg, layout),
    widths: registerWidths(sem),
    fixed: opts.exact ? new Map() : abi.canonicalNaN,
    images,
    symbolKey,
    labelBlock,
  };
}

function pairContexts(env: ProverEnv, source: Program, target: Program, opts: ContextOptions): { pairs: PairContext[]; unmatched: { source: string[]; target: string[] } } {
  const cfgsS = new Map(buildCfgs(source, frontEnd(source.isa)).map((c) => [c.name, c]));
  const cfgsT = new Map(buildCfgs(target, frontEnd(target.isa)).map((c) => [c.name, c]));
  const dataS = localData(source);
  const dataT = localData(target);
  const imagesS = dataS.images;
  const imagesT = dataT.images;
  const dataPairs = pairDataLabels(dataS.keys, dataT.keys);
  // Target local data labels take their source partner's name; unpaired ones get a name of their own.
  const keyT = (name: string): string => dataPairs.get(name) ?? (isLocalLabel(name) ? `target:${name}` : name);
  const imagesByKeyT = new Map([...imagesT].map(([name, bytes]) => [keyT(name), bytes]));
  const pairs: PairContext[] = [];
  for (const [name, cfg] of cfgsS) {
    const cfgT = cfgsT.get(name);
    if (!cfgT) continue;
    // Edges where only one side does work get an empty block on the other, and the pairing is redone.
    // Variadic functions get no regions: their va_arg code branches on one ISA only, and R cannot
    // relate the two va_list layouts anyway.
    const isVariadic = variadic(source, cfg) || variadic(target, cfgT);
    const caveat = isVariadic
      ? 'variadic function: R does not relate the two va_list layouts'
      : hasJumpTable(cfg) !== hasJumpTable(cfgT)
        ? 'one side dispatches a switch through a jump table, the other through compares: the blocks around the dispatch are paired by structure alone'
        : undefined;
    const matchOpts = { regions: !isVariadic };
    let matching = matchBlocks(cfg, cfgT, matchOpts);
    const split = splitEdges(cfg, cfgT, matching);
    if (split) matching = matchBlocks(split.source, split.target, matchOpts);
    pairs.push({
      name,
      source: sideContext(env, 's', source, split?.source ?? cfg, imagesS, (n) => n, opts),
      target: sideContext(env, 't', target, split?.target ?? cfgT, imagesByKeyT, keyT, opts),
      matching,
      ...(caveat ? { caveat } : {}),
      options: opts,
    });
  }
  // What each function reads of its arguments, for the calls to it (see FunctionRelation.arguments).
  const callees = new Map(pairs.map((p) => [p.name, spilledArguments(p)]));
  return {
    pairs: pairs.map((p) => ({ ...p, callees })),
    unmatched: { source: [...cfgsS.keys()].filter((n) => !cfgsT.has(n)), target: [...cfgsT.keys()].filter((n) => !cfgsS.has(n)) },
  };
}

/**
 * Whether a function takes variable arguments, by its prologue: AArch64 saves the vector argument
 * registers (`str q7, ...`) into its register save area, RISC-V stores the last argument register
 * above its frame address (`sd a7, 56(s0)`, next to the stack arguments). At -O0 neither happens
 * otherwise.
 */
function variadic(program: Program, cfg: FunctionCfg): boolean {
  const entry = cfg.blocks[0];
  if (!entry) return false;
  return entry.instructions.some((i) => {
    const insn = program.statements[i] as Instruction;
    const [value, where] = insn.operands;
    if (value?.kind !== 'reg') return false;
    if (program.isa === 'aarch64') return /^st/.test(insn.mnemonic) && value.reg.name === 'q7';
    return insn.mnemonic === 'sd' && value.reg.id === 'a7' && where?.kind === 'mem' && where.base.id === 's0' && where.offset?.kind === 'num' && where.offset.value >= 0n;
  });
}

function place(side: SideContext, index: number): BlockPlace {
  const b = side.cfg.blocks[index]!;
  const first = b.instructions[0];
  return { index, ...(b.labels[0] ? { label: b.labels[0] } : {}), ...(first !== undefined ? { line: side.program.statements[first]!.span.line } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

/** Removes refuted pairs from R; true when something was removed. */
function dropPairs(rel: FunctionRelation, failed: readonly Obligation<unknown>[]): boolean {
  const blocks = rel.blocks as Map<number, readonly RegPair[]>;
  const calls = rel.calls as Map<number, readonly RegPair[]>;
  let dropped = false;
  const without = (list: readonly RegPair[] | undefined, p: RegPair): RegPair[] | undefined => list?.filter((q) => q !== p && !samePair(q, p));
  const facts = rel.facts as Map<number, readonly ExtensionFact[]>;
  for (const o of failed) {
    const { site, pair, fact, slot } = o.pair!;
    if (slot) {
      (rel as { slots: readonly SlotPair[] }).slots = rel.slots.filter((p) => p !== slot);
      dropped = true;
      continue;
    }
    if (fact) {
      if (site.kind === 'block') facts.set(site.index, (facts.get(site.index) ?? []).filter((f) => f !== fact));
      dropped = true;
      continue;
    }
    if (!pair) continue;
    if (site.kind === 'block' || site.kind === 'call') {
      const map = site.kind === 'block' ? blocks : calls;
      const next = without(map.get(site.index), pair);
      if (next && next.length !== map.get(site.index)!.length) map.set(site.index, next);
    } else {
      (rel as { returns: readonly RegPair[] }).returns = without(rel.returns, pair)!;
    }
    dropped = true;
  }
  return dropped;
}

function counterexample(ctx: PairContext, rel: FunctionRelation, block: number, entry: ConcreteEntry, diverged: readonly string[], context: readonly number[]): Counterexample {
  // The state is given at the entry of the first block of the path.
  const bs = context[0] ?? block;
  const bt = ctx.matching.pairs.get(bs)!;
  const unit = unitOf(ctx.matching, block)!;
  const hex = (v: bigint): string => '0x' + v.toString(16);
  // The registers the path's instructions name, that are live at its entry.
  const pathS = [...context, ...unit.source.blocks];
  const pathT = [...context.map((b) => ctx.matching.pairs.get(b)!), ...unit.target.blocks];
  const regs = (side: SideContext, first: number, blocks: readonly number[], get: (id: string) => bigint): Record<string, string> => {
    const used = registersNamed(side, blocks);
    return Object.fromEntries(side.cfg.blocks[first]!.liveIn.filter((id) => used.has(id) && !side.abi.control.has(id)).map((id) => [id, hex(get(id))]));
  };
  const pairsAt = rel.blocks.get(bs) ?? [];
  const targetValue = (id: string): bigint => {
    const p = pairsAt.find((q) => q.t === id);
    const frameOff = ctx.target.frame.entry[bt]?.get(id);
    if (frameOff !== undefined) return BigInt.asUintN(64, entry.cfa + rel.delta + frameOff);
    if (!p) return entry.targetRegister(id);
    const m = (1n << BigInt(p.w)) - 1n;
    return (entry.targetRegister(id) & ~m) | (pairImage(concrete, ctx, p, sourceValue(p.s), entry.cfa) & m);
  };
  const sourceValue = (id: string): bigint => {
    const frameOff = ctx.source.frame.entry[bs]?.get(id);
    return frameOff !== undefined ? BigInt.asUintN(64, entry.cfa + frameOff) : entry.sourceRegister(id);
  };
  return {
    cfa: hex(entry.cfa),
    source: regs(ctx.source, bs, pathS, sourceValue),
    target: regs(ctx.target, bt, pathT, targetValue),
    diverged,
  };
}

/** Verdict of one block pair under a fixed R. */
async function checkBlock(env: ProverEnv, ctx: PairContext, rel: FunctionRelation, bs: number, opts: VerifyOptions): Promise<Verdict> {
  const r = await settle(env, ctx, rel, bs, opts, false);
  return r.verdict;
}

/** How deep the path contexts of a block may go, and how many paths one depth may have. */
export const MAX_CONTEXT = 4;
export const MAX_PATHS = 16;

/**
 * A verdict, or register pairs of R to drop; `uses` are the blocks whose entry R it rests on;
 * `resultOnly` marks a REFUTED verdict whose run failed only on returned values R keeps.
 */
interface Settled {
  readonly verdict: Verdict;
  readonly drop?: Obligation<unknown>[];
  readonly uses?: ReadonlySet<number>;
  readonly resultOnly?: boolean;
  /** For a REFUTED verdict: the frame bytes one side leaves unspecified that all its differences come from. */
  readonly unspecified?: string;
}

/**
 * Tests, then proves, one block pair. With `weaken`, failures that are only register pairs of R
 * are returned for dropping instead of becoming a verdict. A block that fails on its own is
 * checked again behind every path of predecessors that leads into it, one level deeper at a time
 * (a division guarded a few blocks earlier, behind a join): every execution that reaches the block
 * comes along one of those paths from a state in R, so when each path is proven, or cannot be
 * taken, the block is proven.
 */
async function settle(env: ProverEnv, ctx: PairContext, rel: FunctionRelation, bs: number, opts: VerifyOptions, weaken: boolean): Promise<Settled> {
  if (ctx.matching.forwardSource.has(bs)) return { verdict: { kind: 'PROVEN', by: 'forwarded' } };
  const unit = unitOf(ctx.matching, bs);
  if (!unit) return { verdict: { kind: 'UNSUPPORTED', reason: 'no corresponding target block' } };
  const frameProblem = ctx.source.frame.problem ?? ctx.target.frame.problem;
  if (frameProblem) return { verdict: { kind: 'UNSUPPORTED', reason: frameProblem } };
  const [ss, st] = [shape(ctx.source.cfg.blocks[bs]!), shape(ctx.target.cfg.blocks[unit.target.blocks[0]!]!)];
  if (ss !== st && !ctx.matching.regions.has(bs)) return { verdict: { kind: 'UNSUPPORTED', reason: `the blocks end differently (${ss} vs ${st}), and no branching region of either side does what the other's block does` } };
  const alone = await attempt(env, ctx, rel, bs, opts, weaken, []);
  let result: Settled = alone;
  if (alone.verdict.kind === 'REFUTED') {
    // Each path is checked once; a path that stops early (at the entry, a call, a region) recurs
    // unchanged at the next depth.
    const known = new Map<string, Attempt>([['', alone]]);
    for (const [level, paths] of contextLevels(ctx, bs).entries()) {
      const depth = level + 1;
      const results: Attempt[] = [];
      for (const path of paths) {
        const key = path.join(',');
        if (!known.has(key)) known.set(key, await attempt(env, ctx, rel, bs, opts, weaken, path));
        results.push(known.get(key)!);
      }
      const failed = results.find((r) => r.drop || r.verdict.kind === 'REFUTED');
      if (failed) {
        result = failed;
        continue;
      }
      const open = results.find((r) => !r.infeasible && r.verdict.kind !== 'PROVEN');
      if (open) {
        // What the context-free check found is still worth knowing when the paths settled nothing.
        const free = alone.verdict.kind === 'REFUTED' ? alone.verdict.counterexample.diverged[0] : undefined;
        result = open.verdict.kind === 'UNSUPPORTED' && free ? { verdict: { kind: 'UNSUPPORTED', reason: `${open.verdict.reason}; from some state in R at the block's entry, which those paths may not reach, the two sides differ (${free})` } } : open;
        break;
      }
      const z3 = results.some((r) => r.verdict.kind === 'PROVEN' && r.verdict.by === 'z3');
      result = { verdict: { kind: 'PROVEN', by: z3 ? 'z3' : 'evaluation', context: depth }, uses: new Set(paths.flat()) };
      break;
    }
  }
  // Where the inferred R or the pairing is known to fall short (a va_list is a pointer on one ABI
  // and a structure on the other), a difference is not evidence of a wrong translation. Under an
  // R the caller gives, a difference is a difference under that R, and is REFUTED.
  if (weaken && ctx.caveat && result.verdict.kind === 'REFUTED') {
    return { verdict: { kind: 'UNSUPPORTED', reason: `${ctx.caveat}; the two sides differ here (${result.verdict.counterexample.diverged[0] ?? ''})` } };
  }
  // Structure padding (or memory one side never initializes) holds values C leaves unspecified,
  // which gcc fills differently on the two ISAs; R relates bytes by place, and cannot tell them
  // from data. The same difference under an R the caller gives is a difference (REFUTED).
  if (weaken && result.verdict.kind === 'REFUTED' && result.unspecified) {
    return { verdict: { kind: 'UNSUPPORTED', reason: `the two sides differ only in frame bytes that one of them never stores to (${result.unspecified}), or copies of them: structure padding or uninitialized memory, whose values C leaves unspecified and R does not model` } };
  }
  // A returned value that differs is never proven; but where R at the block was weakened, the
  // state may be one that no run reaches, so it is not called REFUTED either.
  if (weaken && result.verdict.kind === 'REFUTED' && result.resultOnly && (rel.blocks.get(bs)?.length ?? 0) < (rel.candidates.get(bs) ?? 0)) {
    return { verdict: { kind: 'UNSUPPORTED', reason: `the returned values differ (${result.verdict.counterexample.diverged.join('; ')}) under R as inferred, which was weakened at this block: a wrong result, or a relation gns could not keep` } };
  }
  return result;
}

/** What one attempt gives; `infeasible`: no execution in R follows its path into the block. */
interface Attempt extends Settled {
  readonly infeasible?: boolean;
}

/** One test-then-prove attempt with a given path context. */
async function attempt(env: ProverEnv, ctx: PairContext, rel: FunctionRelation, bs: number, opts: VerifyOptions, weaken: boolean, context: readonly number[]): Promise<Attempt> {
  const tests = opts.tests ?? 32;
  const seed = opts.seed ?? 1;
  // 1. Random testing (runs that leave the path context do not count).
  let ran = 0;
  for (let k = 0; k < tests * 4 && ran < tests; k++) {
    const entry = randomEntry(seed * 1_000_003 + bs * 7_919 + k);
    const run = runPair(ctx, rel, bs, entry, context);
    if (run.status === 'unsupported') return { verdict: { kind: 'UNSUPPORTED', reason: run.reason } };
    if (run.status === 'infeasible') continue;
    ran++;
    if (run.failures.length > 0) return failedRun(ctx, rel, bs, context, weaken, run, entry);
  }
  // 2. The proof.
  const proof = await proveBlock(env, ctx, rel, bs, opts.timeoutMs ?? 2000, context);
  switch (proof.status) {
    case 'proven':
      return { verdict: { kind: 'PROVEN', by: proof.byEvaluation ? 'evaluation' : 'z3', ...(context.length > 0 ? { context: context.length } : {}) } };
    case 'unsupported':
      return { verdict: { kind: 'UNSUPPORTED', reason: proof.reason } };
    case 'infeasible':
      return { verdict: { kind: 'UNSUPPORTED', reason: 'the path into the block cannot be taken under R' }, infeasible: true };
    case 'unknown': {
      const search = searchCounterexample(ctx, rel, bs, opts, context, tests, weaken, proof.along);
      return search.found ?? testedOrNot(ran + search.ran, proof.reason);
    }
    case 'counterexample': {
      const drop = droppable(rel, proof.failed);
      if (weaken && drop.length > 0) return { verdict: { kind: 'UNSUPPORTED', reason: 'relation weakened' }, drop };
      const replay = runPair(ctx, rel, bs, proof.entry, context);
      if (replay.status === 'ran' && replay.failures.length > 0) return refuted(ctx, rel, bs, context, replay, proof.entry, 'z3');
      // The solver's model does not replay: the two interpretations disagree. Never guess; look
      // harder for a concrete counterexample (half of the states keep what the model pins, so they
      // tend to follow a path context), and otherwise report what testing showed.
      const search = searchCounterexample(ctx, rel, bs, opts, context, tests, weaken, proof.along);
      const what = proof.failed.map((o) => o.what).join('; ');
      return search.found ?? testedOrNot(ran + search.ran, `Z3 found a counterexample (${what}) that the emulator does not reproduce`);
    }
  }
}

/** Whether a failed obligation is a returned value that R keeps (see `kept`). */
function keptResult<B>(rel: FunctionRelation, o: Obligation<B>): boolean {
  return o.pair?.site.kind === 'return' && o.pair.pair !== undefined && isKept(rel, o.pair.pair);
}

/** Whether a failed obligation is an argument the callee reads (see `arguments`). */
function readArgument<B>(rel: FunctionRelation, o: Obligation<B>): boolean {
  const site = o.pair?.site;
  return site?.kind === 'call' && o.pair!.pair !== undefined && (rel.arguments?.get(site.index) ?? []).some((p) => samePair(p, o.pair!.pair!));
}

/** The failed parts of R that Houdini may drop: any but a returned value or an argument the callee reads. */
function droppable<B>(rel: FunctionRelation, failed: readonly Obligation<B>[]): Obligation<B>[] {
  return failed.filter((o) => o.pair && !keptResult(rel, o) && !readArgument(rel, o));
}

/** REFUTED by a run that failed, replayed from `entry`. */
function refuted(ctx: PairContext, rel: FunctionRelation, bs: number, context: readonly number[], run: Extract<PairRun, { status: 'ran' }>, entry: ConcreteEntry, foundBy: 'testing' | 'z3'): Attempt {
  const resultOnly = run.brokenPairs.filter((o) => keptResult(rel, o)).length === run.failures.length;
  const unspecified = unspecifiedOnly(ctx, rel, bs, entry, context, run);
  return {
    verdict: { kind: 'REFUTED', counterexample: counterexample(ctx, rel, bs, entry, run.failures, context), foundBy },
    ...(resultOnly ? { resultOnly } : {}),
    ...(unspecified ? { unspecified: showOffsets(unspecified) } : {}),
  };
}

/** Frame offsets as runs of consecutive bytes: `CFA-127..-122, CFA-110`. */
function showOffsets(offs: readonly bigint[]): string {
  const runs: [bigint, bigint][] = [];
  for (const o of offs) {
    const last = runs.at(-1);
    if (last && o === last[1] + 1n) last[1] = o;
    else runs.push([o, o]);
  }
  return runs.map(([a, b]) => `${showCfa(a)}${a === b ? '' : `..${b}`}`).join(', ');
}

/**
 * A random run that failed. Houdini: a broken part of R is dropped first, even if something else
 * broke too; the block is checked again under the weaker R, and only what cannot be dropped
 * refutes it.
 */
function failedRun(ctx: PairContext, rel: FunctionRelation, bs: number, context: readonly number[], weaken: boolean, run: Extract<PairRun, { status: 'ran' }>, entry: ConcreteEntry): Attempt {
  const drop = droppable(rel, run.brokenPairs);
  if (weaken && drop.length > 0) return { verdict: { kind: 'UNSUPPORTED', reason: 'relation weakened' }, drop };
  return refuted(ctx, rel, bs, context, run, entry, 'testing');
}

/** When the proof does not settle a block, this many times more random states are tried. */
const EXTRA_TESTS = 16;

/**
 * More random testing, for blocks the prover could not settle: a REFUTED verdict if a run fails,
 * and how many runs counted (those that followed the path context).
 */
function searchCounterexample(ctx: PairContext, rel: FunctionRelation, bs: number, opts: VerifyOptions, context: readonly number[], tests: number, weaken: boolean, along?: Along): { readonly found?: Settled; readonly ran: number } {
  const seed = (opts.seed ?? 1) * 7_777_777 + bs * 104_729;
  let ran = 0;
  for (let k = 0; k < tests * EXTRA_TESTS; k++) {
    // Every other state from the path's model, where the prover gave one (see ProofResult); of
    // those, every other keeps all the bytes the path context loads as the model has them.
    const entry = along && k % 2 === 0 ? along(randomEntry(seed + k), k % 4 === 0) : randomEntry(seed + k);
    const run = runPair(ctx, rel, bs, entry, context);
    if (run.status !== 'ran') continue;
    ran++;
    if (run.failures.length > 0) return { found: failedRun(ctx, rel, bs, context, weaken, run, entry), ran };
  }
  return { ran };
}

/**
 * TESTED with the number of runs that really followed the path into the block. Behind a path
 * whose branches random states rarely take (a field equal to 5), none may have: then nothing was
 * tested, and saying TESTED would claim a check that never ran.
 */
function testedOrNot(tests: number, reason: string): Settled {
  if (tests > 0) return { verdict: { kind: 'TESTED', tests, reason } };
  return { verdict: { kind: 'UNSUPPORTED', reason: `${reason}, and no random state followed the path into the block, so nothing was tested` } };
}

/**
 * The paths of predecessors into block `bs`, outermost block first, at most `depth` blocks long,
 * that between them cover every execution reaching `bs`. A path grows backwards through all the
 * predecessors of its first block at once, and stops growing where that cannot be done: at the
 * function's entry (an execution may start there), at a predecessor that ends in a call or an
 * indirect jump, lies in a region, has no partner, or whose partner is not a predecessor of the
 * target block, and before a block repeats. `[[]]` (no context) when `bs` itself cannot grow.
 */
export function contextPaths(ctx: PairContext, bs: number, depth: number): number[][] {
  const ps = predecessors(ctx.source.cfg, ctx.matching.forwardSource);
  const pt = predecessors(ctx.target.cfg, ctx.matching.forwardTarget);
  const grows = (path: readonly number[]): number[] | undefined => {
    const b = path[0] ?? bs;
    const preds = ps[b]!;
    const bt = ctx.matching.pairs.get(b);
    if (b === 0 || preds.length === 0 || bt === undefined) return undefined;
    const ok = preds.every((p) => {
      const term = ctx.source.cfg.blocks[p]!.terminator;
      const partner = ctx.matching.pairs.get(p);
      return partner !== undefined && pt[bt]!.includes(partner) && !ctx.matching.regions.has(p) && !ctx.matching.inside.has(p) && term !== 'call' && term !== 'icall' && term !== 'ijump' && p !== bs && !path.includes(p);
    });
    return ok ? preds : undefined;
  };
  let paths: number[][] = [[]];
  for (let level = 0; level < depth; level++) {
    paths = paths.flatMap((path) => {
      if (path.length < level) return [path];
      const preds = grows(path);
      return preds ? preds.map((p) => [p, ...path]) : [path];
    });
  }
  return paths;
}

/**
 * `contextPaths` at depth 1, 2, ... as long as some path still grows and there are at most
 * MAX_PATHS of them: the contexts to try, shallowest first.
 */
export function contextLevels(ctx: PairContext, bs: number): number[][][] {
  const levels: number[][][] = [];
  for (let depth = 1; depth <= MAX_CONTEXT; depth++) {
    const paths = contextPaths(ctx, bs, depth);
    if (paths.length > MAX_PATHS || paths.every((p) => p.length < depth)) break;
    levels.push(paths);
  }
  return levels;
}

/** Predecessors of each block, through forwarded jump-only blocks. */
function predecessors(cfg: FunctionCfg, forward: ReadonlyMap<number, number>): number[][] {
  const out: number[][] = cfg.blocks.map(() => []);
  for (const b of cfg.blocks) if (!forward.has(b.index)) for (const s of b.successors) out[forward.get(s) ?? s]!.push(b.index);
  return out.map((list) => [...new Set(list)]);
}

async function checkFunction(env: ProverEnv, ctx: PairContext, opts: VerifyOptions & { relation?: FunctionRelation } = {}): Promise<{ report: FunctionReport; relation: FunctionRelation }> {
  const weaken = opts.relation === undefined;
  const rel = opts.relation ?? inferRelation(ctx, { ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const order = [...ctx.source.cfg.blocks.keys()];
  const verdicts = new Map<number, { verdict: Verdict; ms: number }>();
  // A verdict rests on R at its block's entry, and at the entry of every block of its path
  // contexts: when pairs are dropped there, it is checked again. So is an unproven predecessor,
  // whose obligations there just became weaker.
  const uses = new Map<number, ReadonlySet<number>>();
  const preds = predecessors(ctx.source.cfg, ctx.matching.forwardSource);
  const unproven = (b: number): boolean => verdicts.has(b) && verdicts.get(b)!.verdict.kind !== 'PROVEN';
  const consumers = (site: PairSite): number[] =>
    site.kind === 'block'
      ? [site.index, ...[...uses].filter(([, u]) => u.has(site.index)).map(([b]) => b), ...preds[site.index]!.filter(unproven)]
      : site.kind === 'frame'
        ? order
        : [];
  let dirty = new Set(order);
  for (let round = 0; round < 20 && dirty.size > 0; round++) {
    const next = new Set<number>();
    for (const bs of order) {
      if (!dirty.has(bs) || ctx.matching.inside.has(bs)) continue;
      const t0 = performance.now();
      const r = await settle(env, ctx, rel, bs, opts, weaken);
      if (r.drop && dropPairs(rel, r.drop)) {
        next.add(bs);
        for (const o of r.drop) for (const c of consumers(o.pair!.site)) next.add(c);
        continue;
      }
      verdicts.set(bs, { verdict: r.verdict, ms: performance.now() - t0 });
      if (r.uses) uses.set(bs, r.uses);
      else uses.delete(bs);
    }
    dirty = next;
  }
  const blocks: BlockReport[] = order.map((bs) => {
    // A block inside a source region shares the region's verdict.
    const entry = ctx.matching.inside.get(bs);
    const v = verdicts.get(entry ?? bs) ?? { verdict: { kind: 'UNSUPPORTED', reason: 'R did not settle' } as Verdict, ms: 0 };
    const bt = ctx.matching.pairs.get(entry ?? bs);
    const targetBlocks = ctx.matching.regions.get(entry ?? bs)?.target.blocks.length ?? 1;
    return {
      source: place(ctx.source, bs),
      ...(bt !== undefined ? { target: place(ctx.target, bt) } : {}),
      ...(entry !== undefined ? { region: place(ctx.source, entry) } : {}),
      ...(ctx.source.cfg.blocks[bs]!.added ? { added: true } : {}),
      ...(targetBlocks > 1 ? { targetBlocks } : {}),
      verdict: v.verdict,
      relation: [...(rel.blocks.get(bs) ?? []).map(showPair), ...(rel.facts.get(bs) ?? []).map((f) => `${f.side === 's' ? 'source' : 'target'} ${showFact(f)}`)],
      ms: entry !== undefined ? 0 : Math.round(v.ms * 10) / 10,
    };
  });
  const notes: string[] = [];
  if (ctx.source.frame.problem) notes.push(`source: ${ctx.source.frame.problem}`);
  if (ctx.target.frame.problem) notes.push(`target: ${ctx.target.frame.problem}`);
  // R is inferred from the pair itself, so a wrong return value and a function that returns
  // nothing look alike: both leave no return register related. Say so rather than stay silent.
  const namedS = registersNamed(ctx.source, ctx.source.cfg.blocks.keys());
  const namedT = registersNamed(ctx.target, ctx.target.cfg.blocks.keys());
  const written = rel.returns.filter((p) => namedS.has(p.s) || namedT.has(p.t));
  if (weaken && written.length === 0 && ctx.source.cfg.blocks.some((b) => b.terminator === 'ret')) {
    notes.push('no return register is compared: either the function returns nothing, or the two sides return different values');
  }
  const frames = { delta: Number(rel.delta), agreement: rel.frameAgreement ?? 1, ...(rel.slots.length > 0 ? { slots: rel.slots.map((p) => showSlot(p, rel.delta)) } : {}) };
  return {
    report: {
      name: ctx.name,
      blocks,
      unmatchedTarget: ctx.matching.unmatchedTarget.map((i) => place(ctx.target, i)),
      frame: frames,
      returns: rel.returns.map(showPair),
      notes,
    },
    relation: rel,
  };
}
