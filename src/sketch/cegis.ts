// Hole filling by counterexample-guided inductive synthesis (CEGIS) on top of the block verifier.
// A set of concrete entry states stands in for "all states": candidates for the holes are
// enumerated, most plausible first, and each is run against the set in the emulator (cheap, and
// nearly every wrong candidate fails on the first state). A candidate that agrees with the source
// on every state goes to Z3; a proof is confirmed by `checkBlock` under the fixed relation R on a
// freshly built context, and a counterexample joins the set, so the next candidates are tested
// on it too. Immediates are not solved for symbolically: the semantics read them from the IR as
// numbers, so they are enumerated from a ranked list (the frame slots the source block touches,
// shifted by R's frame delta; the source block's constants; nearby values) before the whole
// encodable range, which for 12-bit fields is small enough to sweep with the emulator.

import type { Instruction, IsaName, Program, Register } from '../ir/program.js';
import { unitOf } from '../verify/correspond.js';
import { frontEnd } from '../asm/index.js';
import { isDescribeError } from '../isa/types.js';
import { MAX_CONTEXT, MAX_PATHS, type Verdict, type Verifier, contextLevels, contextPaths } from '../verify/check.js';
import { type ConcreteEntry, type PairRun, randomEntry, runPair } from '../verify/concrete.js';
import { analyseFrame, type SideFrame } from '../verify/frame.js';
import { proveBlock } from '../verify/prove.js';
import type { FunctionRelation, PairContext } from '../verify/relation.js';
import { Rng } from '../util/random.js';
import {
  type Fill,
  type Hole,
  type ImmHole,
  type OpcodeHole,
  type RegHole,
  checkHole,
  constantValue,
  currentValue,
  encodingProblem,
  fillProgram,
  holeKey,
  immDomain,
  opcodeCandidates,
  registerCandidates,
  showHole,
  showValue,
} from './holes.js';

// ---------------------------------------------------------------------------------------------
// Options and results
// ---------------------------------------------------------------------------------------------

/** Options for `sketchBlock`. */
export interface SketchOptions {
  /** Total time budget, ms (default 20000). */
  readonly timeoutMs?: number;
  /** Solver rounds (candidates that pass every state and go to Z3) before giving up (default 64). */
  readonly maxIterations?: number;
  /** Candidates tried in the emulator before giving up (default 2,000,000). */
  readonly maxCandidates?: number;
  /** Z3 timeout per query, ms (default 4000; never more than the time left). */
  readonly proofTimeoutMs?: number;
  /** Seed of the initial random states and of `checkBlock`'s tests (default 1). */
  readonly seed?: number;
  /** Random states in the initial set (default 8). */
  readonly initialStates?: number;
  /** An immediate's whole encodable range is swept when it has at most this many values (default 8192). */
  readonly exhaustiveLimit?: number;
}

/** What one hole was filled with. */
export interface FillDescription {
  readonly hole: Hole;
  /** The hole, as it was: line, instruction and place. */
  readonly where: string;
  /** The value, as printed (`-28`, `a5`, `lw`). */
  readonly value: string;
  /** The whole filled instruction, in canonical syntax. */
  readonly instruction: string;
  /** False when the hole kept the value it had. */
  readonly changed: boolean;
}

/** Search effort, for reports and tuning. */
export interface SketchStats {
  /** CEGIS rounds: candidates that passed every state and went to the prover. */
  readonly iterations: number;
  /** Candidates run in the emulator. */
  readonly candidates: number;
  /** States in the set at the end (initial random ones plus counterexamples). */
  readonly states: number;
  readonly ms: number;
}

export type SketchResult =
  | ({
      readonly status: 'filled';
      /** The repaired target program (a new object; the input is unchanged). */
      readonly program: Program;
      /** `checkBlock`'s verdict on the repaired block under the given R: always PROVEN. */
      readonly verdict: Extract<Verdict, { kind: 'PROVEN' }>;
      readonly fills: readonly FillDescription[];
    } & SketchStats)
  | ({ readonly status: 'no-solution' | 'timeout' | 'unsupported'; readonly reason: string } & SketchStats);

// ---------------------------------------------------------------------------------------------
// Candidate spaces
// ---------------------------------------------------------------------------------------------

/**
 * The values of one hole, by tier: tier 0 is the current value, higher tiers are less plausible.
 * Tiers are thunks because the last tier of an immediate can be a whole encodable range, swept
 * lazily rather than held for every register choice.
 */
type Tiers<T> = readonly (() => Iterable<T>)[];

/**
 * Every choice of one value per hole whose tiers add up to `cost`. Enumerating by total cost puts
 * "one hole changed a little" before "every hole changed"; within one cost, choices whose worst
 * tier is lower come first, so two likely values are tried before one value from a sweep.
 */
function* withCost<T>(slots: readonly Tiers<T>[], cost: number): Generator<T[]> {
  const room = slots.map((s) => s.length - 1);
  const restMax: number[] = new Array(slots.length + 1).fill(0);
  for (let i = slots.length - 1; i >= 0; i--) restMax[i] = restMax[i + 1]! + room[i]!;
  if (cost > restMax[0]!) return;
  if (slots.length === 0) {
    if (cost === 0) yield [];
    return;
  }
  const acc: T[] = [];
  function* rec(i: number, left: number, cap: number, capped: boolean): Generator<T[]> {
    if (i === slots.length) {
      if (left === 0 && capped) yield acc.slice();
      return;
    }
    for (let t = 0; t <= Math.min(room[i]!, left, cap); t++) {
      if (left - t > restMax[i + 1]!) continue;
      for (const v of slots[i]![t]!()) {
        acc.push(v);
        yield* rec(i + 1, left - t, cap, capped || t === cap);
        acc.pop();
      }
    }
  }
  for (let cap = Math.ceil(cost / slots.length); cap <= Math.min(cost, Math.max(...room)); cap++) yield* rec(0, cost, cap, false);
}

const list = <T>(xs: readonly T[]) => (): Iterable<T> => xs;

/**
 * How near each register the target block mentions is to the hole, in instructions (0: another
 * operand of the same instruction). A wrong register is most often one of these, and most often
 * the one a neighbouring instruction just wrote or is about to read.
 */
function registerDistances(program: Program, stmts: readonly number[], h: RegHole): Map<string, number> {
  const out = new Map<string, number>();
  const at = stmts.indexOf(h.stmt);
  stmts.forEach((i, k) => {
    const insn = program.statements[i] as Instruction;
    insn.operands.forEach((op, j) => {
      const ids: string[] = [];
      if (op.kind === 'reg') ids.push(op.reg.id);
      else if (op.kind === 'mem') {
        if (!(i === h.stmt && j === h.operand && h.part !== 'index')) ids.push(op.base.id);
        if (op.index && !(i === h.stmt && j === h.operand && h.part === 'index')) ids.push(op.index.reg.id);
      }
      if (i === h.stmt && j === h.operand && op.kind === 'reg') return;
      for (const id of ids) out.set(id, Math.min(out.get(id) ?? Infinity, Math.abs(k - at)));
    });
  });
  return out;
}

function registerTiers(program: Program, h: RegHole, stmts: readonly number[], related: ReadonlySet<string>): Tiers<Register> {
  const [current, ...others] = registerCandidates(program, h);
  const dist = registerDistances(program, stmts, h);
  for (const id of related) if (!dist.has(id)) dist.set(id, stmts.length);
  // A stable sort keeps register-number order among equals.
  const near = others.filter((r) => dist.has(r.id)).sort((a, b) => dist.get(a.id)! - dist.get(b.id)!);
  const far = others.filter((r) => !dist.has(r.id));
  return [list([current!]), list(near), list(far)];
}

function opcodeTiers(program: Program, h: OpcodeHole): Tiers<string> {
  const [current, ...others] = opcodeCandidates(program, h);
  return [list([current!]), list(others)];
}

/** The numbers written in a block's instructions (immediates and memory offsets). */
function blockConstants(program: Program, stmts: readonly number[]): bigint[] {
  const out: bigint[] = [];
  for (const i of stmts) {
    for (const op of (program.statements[i] as Instruction).operands) {
      const e = op.kind === 'imm' ? op.expr : op.kind === 'mem' ? op.offset : undefined;
      const v = e ? constantValue(e) : undefined;
      if (v !== undefined) out.push(v);
    }
  }
  return out;
}

/** What the immediate candidates are drawn from, besides the hole's own instruction. */
interface ImmSources {
  /** CFA-relative offsets (source frame) the source block accesses, then the rest of the source function. */
  readonly sourceBlockSlots: readonly bigint[];
  readonly sourceSlots: readonly bigint[];
  readonly sourceConstants: readonly bigint[];
  readonly delta: bigint;
}

/**
 * The ranked candidates of an immediate hole, given the program with the register and opcode
 * holes already chosen (the base register decides which offset reaches which frame slot).
 */
function immTiers(program: Program, frame: SideFrame, bt: number, h: ImmHole, src: ImmSources, exhaustiveLimit: number): Tiers<bigint> {
  const insn = program.statements[h.stmt] as Instruction;
  const dom = immDomain(insn, h.operand)!;
  const current = currentValue(program, h);
  const seen = new Set<bigint>([current]);
  const take = (xs: Iterable<bigint>): bigint[] => {
    const out: bigint[] = [];
    for (const v of xs) {
      if (seen.has(v) || !dom.contains(v)) continue;
      seen.add(v);
      out.push(v);
    }
    return out;
  };
  const op = insn.operands[h.operand]!;
  // A frame slot is at the same address on both sides (R overlays the frames), so the offset that
  // reaches source slot `s` from a target base `b` (both CFA-relative) is s - delta - b.
  const slotOffsets = (slots: readonly bigint[]): bigint[] => {
    if (op.kind !== 'mem' || op.mode === 'post') return [];
    const access = frame.accesses[bt]?.find((a) => a.stmt === h.stmt && a.off !== undefined);
    if (!access) return [];
    const base = access.off! - current;
    return slots.map((s) => s - src.delta - base);
  };
  const targetSlots: bigint[] = [];
  for (const accesses of frame.accesses) for (const a of accesses) if (a.off !== undefined && a.stmt !== h.stmt) targetSlots.push(a.off + src.delta);
  const tier1 = take([...slotOffsets(src.sourceBlockSlots), ...src.sourceConstants]);
  const transformed = src.sourceConstants.flatMap((c) => [-c, c + src.delta, c - src.delta, -(c + src.delta), -(c - src.delta)]);
  const small = [0n, 1n, -1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, -2n, -4n, -8n, 16n, 32n, 64n, 128n, 256n, 512n, 1024n, 2048n, -16n, -32n, -64n];
  const nearby: bigint[] = [];
  for (let k = 1n; k <= 16n; k++) nearby.push(current - k * dom.stride, current + k * dom.stride);
  for (let k = 1n; k <= 8n; k++) nearby.push(current - k, current + k);
  const tier2 = take([...slotOffsets(src.sourceSlots), ...slotOffsets(targetSlots), ...transformed, ...nearby, ...small]);
  const earlier = new Set(seen);
  const ranges = dom.ranges;
  const size = ranges?.reduce((n, r) => n + (r.max - r.min) / r.step + 1n, 0n) ?? BigInt(Number.MAX_SAFE_INTEGER);
  const sweep = (): Iterable<bigint> => {
    if (!ranges || size > BigInt(exhaustiveLimit)) return [];
    const lo = ranges.reduce((m, r) => (r.min < m ? r.min : m), ranges[0]!.min);
    const hi = ranges.reduce((m, r) => (r.max > m ? r.max : m), ranges[0]!.max);
    // Outward from the current value: a slightly wrong immediate is the likelier mistake.
    return (function* () {
      for (let d = 0n; current - d >= lo || current + d <= hi; d++) {
        for (const v of d === 0n ? [current] : [current - d, current + d]) if (v >= lo && v <= hi && !earlier.has(v) && dom.contains(v)) yield v;
      }
    })();
  };
  // The sweep is thousands of values: it sits two tiers above the ranked candidates, so that two
  // holes from the ranked lists are tried before one from a sweep.
  return [list([current]), list(tier1), list(tier2), list([]), sweep];
}

// ---------------------------------------------------------------------------------------------
// Contexts for candidates
// ---------------------------------------------------------------------------------------------

/** One state of the set: an entry at the first block of `context` (or at the block itself). */
interface State {
  readonly entry: ConcreteEntry;
  readonly context: readonly number[];
}


function safeRun(ctx: PairContext, rel: FunctionRelation, bs: number, s: State): PairRun {
  try {
    return runPair(ctx, rel, bs, s.entry, s.context);
  } catch (e) {
    // A filled value the semantics reject (an out-of-range shift, say) only rules out the candidate.
    return { status: 'unsupported', reason: `target: ${(e as Error).message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// The search
// ---------------------------------------------------------------------------------------------

const isImm = (h: Hole): h is ImmHole => h.kind === 'imm';

/**
 * Fills the holes of the target block that corresponds to source block `sourceBlock` so that the
 * pair is PROVEN under the fixed relation `rel` (never weakened). Holes must all be in that target
 * block, in `ctx.target.program`.
 *
 * Returns `filled` only with a PROVEN verdict from `verifier.checkBlock` on a context rebuilt from
 * the filled program; `no-solution` when every candidate was refuted (immediates too wide to sweep
 * are searched among their ranked candidates only); `timeout` when the time, candidate or
 * iteration budget ran out, or some candidate could be neither proven nor refuted; `unsupported`
 * when a hole cannot be filled or the block pair cannot be checked at all.
 */
export async function sketchBlock(
  verifier: Verifier,
  ctx: PairContext,
  rel: FunctionRelation,
  sourceBlock: number,
  holes: readonly Hole[],
  opts: SketchOptions = {},
): Promise<SketchResult> {
  const t0 = performance.now();
  const budget = opts.timeoutMs ?? 20_000;
  const deadline = t0 + budget;
  const maxIterations = opts.maxIterations ?? 64;
  const maxCandidates = opts.maxCandidates ?? 2_000_000;
  const proofTimeout = opts.proofTimeoutMs ?? 4000;
  const seed = opts.seed ?? 1;
  const exhaustiveLimit = opts.exhaustiveLimit ?? 8192;
  const bs = sourceBlock;
  const base = ctx.target.program;
  const fe = frontEnd(base.isa);
  let iterations = 0;
  let candidates = 0;
  const states: State[] = [];
  const stats = (): SketchStats => ({ iterations, candidates, states: states.length, ms: Math.round(performance.now() - t0) });
  const give = (status: 'no-solution' | 'timeout' | 'unsupported', reason: string): SketchResult => ({ status, reason, ...stats() });

  // --- What can be searched at all ---
  const unit = unitOf(ctx.matching, bs);
  if (unit === undefined) return give('unsupported', `source block ${bs} has no corresponding target block`);
  const bt = unit.target.blocks[0]!;
  if (ctx.source.frame.problem) return give('unsupported', `source: ${ctx.source.frame.problem}`);
  // Holes may be anywhere in the target blocks the source block is checked against (a region's).
  const stmts = new Set(unit.target.blocks.flatMap((b) => ctx.target.cfg.blocks[b]!.instructions));
  const keys = new Set<string>();
  for (const h of holes) {
    const problem = checkHole(base, h);
    if (problem) return give('unsupported', problem);
    if (!stmts.has(h.stmt)) return give('unsupported', `${showHole(base, h)} is not in target block ${bt}, the partner of source block ${bs}`);
    if (keys.has(holeKey(h))) return give('unsupported', `two holes at ${showHole(base, h)}`);
    keys.add(holeKey(h));
  }
  const structural = holes.filter((h): h is RegHole | OpcodeHole => !isImm(h));
  const immediates = holes.filter(isImm);

  // Registers that point into the frame: an instruction that writes one changes the frame
  // analysis, which the exit obligations read, so candidates that touch them get a fresh one.
  const frameRegs = new Set<string>([ctx.target.abi.sp, ctx.target.abi.fp]);
  for (const m of ctx.target.frame.entry) for (const id of m?.keys() ?? []) frameRegs.add(id);
  const writesFrame = (insn: Instruction): boolean => {
    const info = fe.describe(insn as never);
    return !isDescribeError(info) && info.writes.some((w) => frameRegs.has(w));
  };
  const analyse = (program: Program): SideFrame => analyseFrame(verifier.env.d, 't', ctx.target.sem, program, ctx.target.cfg, ctx.target.layout);
  // A target whose frame cannot be followed may be one whose holes are what breaks it (`lw sp,...`
  // for `lw a5,...`); then every candidate gets its own frame analysis, and only candidates with
  // a sound frame are tried.
  const targetProblem = ctx.target.frame.problem;
  if (targetProblem && !holes.some((h) => writesFrame(base.statements[h.stmt] as Instruction))) return give('unsupported', `target: ${targetProblem}`);
  /** The pair context with `program` as the target; the CFG and layout stay (holes change neither). */
  const retarget = (program: Program, frame: SideFrame): PairContext => ({ ...ctx, target: { ...ctx.target, program, frame } });
  // A register can decide how control leaves (`jr ra` returns, `jr a5` jumps through a table;
  // `jal zero` jumps, `jal ra` calls): such holes can change the CFG, so their candidates get a
  // context rebuilt from scratch, and a block that cannot be checked as it is may still be one
  // that a fill repairs.
  const controlSensitive = holes.some((h) => {
    const info = fe.describe(base.statements[h.stmt] as never);
    return h.kind === 'reg' && (isDescribeError(info) || info.control !== 'none');
  });

  // --- The initial states, through the same path context checkBlock may use ---
  const deepest = contextPaths(ctx, bs, MAX_CONTEXT);
  const initialPaths = deepest.length <= MAX_PATHS ? deepest : [[]];
  const rng = new Rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(bs + 1, 0x85ebca6b));
  const wanted = opts.initialStates ?? 8;
  const baseCtx = retarget(base, ctx.target.frame);
  for (let k = 0; k < wanted * 8 && states.length < wanted; k++) {
    const s: State = { entry: randomEntry(rng.nextU32()), context: rng.pick(initialPaths) };
    const run = safeRun(baseCtx, rel, bs, s);
    if (run.status === 'infeasible') continue;
    if (run.status === 'unsupported' && (run.reason.startsWith('source') || (!run.reason.startsWith('target') && !controlSensitive))) return give('unsupported', run.reason);
    states.push(s);
  }
  if (states.length === 0 && initialPaths.some((p) => p.length > 0)) {
    // No random state follows the path; start from the block itself and let Z3 supply the rest.
    states.push({ entry: randomEntry(rng.nextU32()), context: [] });
  }

  // --- Sources of immediate candidates ---
  const sourceSlots = (blocks: readonly (readonly { off?: bigint }[])[]): bigint[] => [...new Set(blocks.flatMap((l) => l.flatMap((a) => (a.off !== undefined ? [a.off] : []))))];
  const src: ImmSources = {
    sourceBlockSlots: sourceSlots([ctx.source.frame.accesses[bs] ?? []]),
    sourceSlots: sourceSlots(ctx.source.frame.accesses),
    sourceConstants: [...new Set(blockConstants(ctx.source.program, ctx.source.cfg.blocks[bs]!.instructions))],
    delta: rel.delta,
  };
  const related = new Set((rel.blocks.get(bs) ?? []).map((p) => p.t));
  const blockStmts = [...stmts];
  const blockOf = new Map(unit.target.blocks.flatMap((b) => ctx.target.cfg.blocks[b]!.instructions.map((i) => [i, b] as const)));
  const structuralTiers: Tiers<Register | string>[] = structural.map((h) => (h.kind === 'reg' ? registerTiers(base, h, blockStmts, related) : opcodeTiers(base, h)));
  const structuralRoom = structuralTiers.reduce((n, t) => n + t.length - 1, 0);
  const immRoom = immediates.length * 4;

  // Per choice of the register and opcode holes: the program so far, its frame, and the ranked
  // immediates (a small cache: the same choice recurs once per cost level).
  interface Shape {
    readonly fills: Fill[];
    readonly immTiers: Tiers<bigint>[];
  }
  const shapes = new Map<string, Shape>();
  const shapeOf = (values: readonly (Register | string)[]): Shape => {
    const key = values.map((v) => (typeof v === 'string' ? v : v.name)).join(',');
    let s = shapes.get(key);
    if (s) return s;
    const fills = structural.map((h, i) => ({ hole: h, value: values[i] }) as Fill);
    const program = fillProgram(base, fills);
    const frame = immediates.some((h) => (program.statements[h.stmt] as Instruction).operands[h.operand]!.kind === 'mem') ? analyse(program) : ctx.target.frame;
    s = { fills, immTiers: immediates.map((h) => immTiers(program, frame, blockOf.get(h.stmt)!, h, src, exhaustiveLimit)) };
    if (shapes.size > 64) shapes.clear();
    shapes.set(key, s);
    return s;
  };

  let undecided = 0;
  let lastUndecided = '';
  let swept = true;
  const touched = [...new Set(holes.map((h) => h.stmt))];

  /** Cheap test of a candidate on every state; the state that refutes it moves to the front. */
  const survives = (cand: PairContext): boolean => {
    for (let i = 0; i < states.length; i++) {
      const run = safeRun(cand, rel, bs, states[i]!);
      if (run.status === 'infeasible') continue;
      if (run.status === 'unsupported' || run.failures.length > 0) {
        if (i > 0) states.unshift(...states.splice(i, 1));
        return false;
      }
    }
    return true;
  };

  /**
   * The solver round for a candidate that passed every state: prove it alone, then with deeper
   * path context (as checkBlock does). A proof is confirmed by checkBlock on a rebuilt context.
   * Otherwise the deepest counterexample the emulator reproduces joins the set; a candidate that
   * is neither proven nor refuted is counted, so that running out of candidates is not reported
   * as "no solution" when one of them might have been.
   */
  const solve = async (program: Program, cand: PairContext): Promise<Extract<Verdict, { kind: 'PROVEN' }> | undefined> => {
    let cex: State | undefined;
    let why = '';
    // A question left open deeper than the last counterexample leaves the candidate undecided.
    let open = false;
    for (const [depth, paths] of [[[]], ...contextLevels(cand, bs)].entries()) {
      // Every path of a depth must be proven (or be one no execution takes) for the block to be.
      let proven = true;
      let found: State | undefined;
      let stop = false;
      for (const context of paths) {
        const left = deadline - performance.now();
        if (left < 20) {
          why = 'no time left for the proof';
          open = true;
          stop = true;
          break;
        }
        const proof = await proveBlock(verifier.env, cand, rel, bs, Math.floor(Math.min(proofTimeout, left)), context);
        if (proof.status === 'proven' || proof.status === 'infeasible') continue;
        proven = false;
        if (proof.status === 'counterexample') {
          const s: State = { entry: proof.entry, context };
          const replay = safeRun(cand, rel, bs, s);
          if (replay.status === 'ran' && replay.failures.length > 0) {
            found = s;
            break;
          }
          why = 'Z3 found a counterexample that the emulator does not reproduce';
          open = true;
          continue;
        }
        if (depth === 0 || proof.status === 'unknown') {
          why = proof.reason;
          open = true;
        }
        stop = true;
        break;
      }
      if (stop) break;
      if (proven) {
        // Shallower counterexamples do not count against a block proven under its path contexts.
        cex = undefined;
        const fresh = verifier.pairContexts(ctx.source.program, program, ctx.options).pairs.find((p) => p.name === ctx.name);
        const v = fresh ? await verifier.checkBlock(fresh, rel, bs, { timeoutMs: Math.floor(Math.max(20, Math.min(proofTimeout, deadline - performance.now()))), seed }) : undefined;
        if (v?.kind === 'PROVEN') return v;
        why = v === undefined ? 'the filled program has no such function' : v.kind === 'REFUTED' ? '' : `checkBlock: ${v.reason}`;
        open = why !== '';
        break;
      }
      if (found) {
        cex = found;
        open = false;
        continue;
      }
      break;
    }
    if (cex) states.unshift(cex);
    if (open || (!cex && why)) {
      undecided++;
      lastUndecided = why;
    }
    return undefined;
  };

  // --- Enumerate by total cost: structural changes and immediate tiers together ---
  for (let level = 0; level <= structuralRoom + immRoom; level++) {
    for (let sc = 0; sc <= Math.min(level, structuralRoom); sc++) {
      for (const values of withCost(structuralTiers, sc)) {
        const shape = shapeOf(values);
        for (const imms of withCost(shape.immTiers, level - sc)) {
          if (performance.now() > deadline) return give('timeout', `time budget of ${budget} ms spent (${candidates} candidates, ${iterations} solver rounds)`);
          if (candidates >= maxCandidates) return give('timeout', `candidate bound of ${maxCandidates} reached`);
          candidates++;
          // Long sweeps are synchronous; let timers and I/O run now and then.
          if (candidates % 4096 === 0) await new Promise((r) => setImmediate(r));
          const fills: Fill[] = [...shape.fills, ...immediates.map((h, i) => ({ hole: h, value: imms[i]! }) as Fill)];
          const program = fillProgram(base, fills);
          if (touched.some((i) => encodingProblem(program.statements[i] as Instruction, holes.filter((h) => h.stmt === i)) !== undefined)) continue;
          let cand: PairContext;
          if (controlSensitive) {
            const fresh = verifier.pairContexts(ctx.source.program, program, ctx.options).pairs.find((p) => p.name === ctx.name);
            if (!fresh || fresh.target.frame.problem || !fresh.matching.pairs.has(bs)) continue;
            cand = fresh;
          } else {
            const refresh = targetProblem !== undefined || touched.some((i) => program.statements[i] !== base.statements[i] && (writesFrame(program.statements[i] as Instruction) || writesFrame(base.statements[i] as Instruction)));
            const frame = refresh ? analyse(program) : ctx.target.frame;
            if (frame.problem) continue;
            cand = retarget(program, frame);
          }
          if (!survives(cand)) continue;
          if (iterations >= maxIterations) return give('timeout', `iteration bound of ${maxIterations} solver rounds reached (${candidates} candidates)`);
          iterations++;
          const verdict = await solve(program, cand);
          if (verdict) return { status: 'filled', program, verdict, fills: describeFills(base, program, holes.map((h) => fills.find((f) => f.hole === h)!)), ...stats() };
        }
      }
    }
  }
  for (const h of immediates) {
    const dom = immDomain(base.statements[h.stmt] as Instruction, h.operand)!;
    const size = dom.ranges?.reduce((n, r) => n + (r.max - r.min) / r.step + 1n, 0n);
    if (size === undefined || size > BigInt(exhaustiveLimit)) swept = false;
  }
  if (undecided > 0) return give('timeout', `${undecided} candidate(s) passed every test but could not be proven or refuted (${lastUndecided})`);
  return give('no-solution', `all ${candidates} candidates were refuted${swept ? '' : ' (some immediates were searched among ranked candidates only, not their whole range)'}`);
}

function describeFills(base: Program, program: Program, fills: readonly Fill[]): FillDescription[] {
  const fe = frontEnd(program.isa as IsaName);
  return fills.map((f) => {
    const before = currentValue(base, f.hole);
    const changed = typeof f.value === 'object' ? (before as Register).name !== f.value.name : before !== f.value;
    return {
      hole: f.hole,
      where: showHole(base, f.hole),
      value: showValue(f.value),
      instruction: fe.printInstruction(program.statements[f.hole.stmt] as never, true),
      changed,
    };
  });
}
