// Control-flow graphs: splits each function of a Program into basic blocks, links successors
// from the instruction table, and computes live-in/live-out registers by backward dataflow.

import type { Expr, Instruction, IsaName, Program } from '../ir/program.js';
import { exprSymbols, operandExpr } from '../ir/expr.js';
import { type ControlKind, type DescribeError, type InstrInfo, type IsaFrontEnd, isDescribeError } from '../isa/types.js';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** How control leaves a block other than through its in-function successors. */
export type BlockExit = 'return' | 'tailcall' | 'trap' | 'noreturn-call' | 'falls-off' | 'unknown-indirect' | 'external-jump';

/** C library functions that never return: a call to one ends the function's control flow. */
export const NORETURN_FUNCTIONS: ReadonlySet<string> = new Set([
  'abort', 'exit', '_exit', '_Exit', 'quick_exit', '__assert_fail', '__stack_chk_fail', 'longjmp', '_longjmp', 'siglongjmp', '__builtin_unreachable', 'pthread_exit',
]);

/** The called function's name for a direct call target (`printf@plt` -> `printf`). */
export function callee(target: Expr | undefined): string | undefined {
  const name = target ? exprSymbols(target)[0] : undefined;
  return name?.replace(/@plt$/, '');
}

/** One basic block: a maximal straight-line run of instructions. */
export interface BasicBlock {
  readonly index: number;
  /** Labels that name this block's first instruction (may be empty for the block after a call). */
  readonly labels: readonly string[];
  /** Statement indices (into `Program.statements`) of the block's instructions, in order. */
  readonly instructions: readonly number[];
  /** Control kind of the last instruction (`none` when the block ends because a label follows). */
  readonly terminator: ControlKind;
  /** Successor block indices; the fall-through successor, when there is one, comes last. */
  readonly successors: readonly number[];
  /** Set when control can also leave the function from this block. */
  readonly exit?: BlockExit;
  /** True when some instruction in the block has no table entry (UNSUPPORTED downstream). */
  readonly unsupported: boolean;
  /**
   * Set on an empty block the verifier adds to one side on an edge where the other side does work
   * of its own (see `splitEdges` in src/verify/correspond.ts); never set by the CFG builder.
   */
  readonly added?: boolean;
  /** Registers live on entry and on exit, sorted. */
  liveIn: readonly string[];
  liveOut: readonly string[];
}

/** The CFG of one function. Block 0 is the entry. */
export interface FunctionCfg {
  readonly name: string;
  readonly blocks: readonly BasicBlock[];
  /** Branch targets that name no block in this function (and are not other functions). */
  readonly unresolvedTargets: readonly string[];
}

/** Per-instruction register effects, after ABI effects of calls and returns are added. */
export interface InstructionEffects {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  readonly info?: InstrInfo;
}

// ---------------------------------------------------------------------------------------------
// Which labels start blocks
// ---------------------------------------------------------------------------------------------

const dataDirectives = new Set([
  '.word', '.xword', '.dword', '.quad', '.long', '.int', '.short', '.half', '.hword', '.2byte', '.4byte', '.8byte', '.byte',
]);

const symbolRe = /[A-Za-z_.$][\w.$@]*/g;

// Block building, jump-table search and liveness each ask the table about every instruction;
// one lookup per instruction object is enough.
const described = new WeakMap<object, InstrInfo | DescribeError>();

/** `fe.describe(insn)`, computed once per instruction object. */
export function describeOnce<I extends IsaName>(fe: IsaFrontEnd<I>, insn: Instruction<I>): InstrInfo | DescribeError {
  let info = described.get(insn);
  if (info === undefined) {
    info = fe.describe(insn);
    described.set(insn, info);
  }
  return info;
}

/**
 * Labels whose address flows somewhere code can reach: operands of instructions and data
 * directives outside debug sections (jump tables). Debug-only labels such as `.LVL3` do not
 * split blocks, so `-g` does not change the CFG. `fromData` lists the data references alone, in
 * order (jump-table candidates), so no function has to scan the whole program again.
 */
function referencedLabels<I extends IsaName>(program: Program<I>): { all: Set<string>; fromData: string[] } {
  const all = new Set<string>();
  const fromData: string[] = [];
  for (const s of program.statements) {
    if (s.kind === 'insn') {
      for (const op of s.operands) {
        const e = operandExpr(op);
        if (e) for (const name of exprSymbols(e)) all.add(name);
      }
    } else if (s.kind === 'directive' && dataDirectives.has(s.name)) {
      const section = program.sections[s.section]?.name ?? '';
      if (section.startsWith('.debug')) continue;
      for (const m of s.args.matchAll(symbolRe)) {
        all.add(m[0]);
        fromData.push(m[0]);
      }
    }
  }
  return { all, fromData };
}

const numericLabelRe = /^[0-9]+$/;
const numericRefRe = /^([0-9]+)([bf])$/;

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** Builds the CFG of every function in the program (and of code outside any function). */
export function buildCfgs<I extends IsaName>(program: Program<I>, fe: IsaFrontEnd<I>): FunctionCfg[] {
  const refs = referencedLabels(program);
  const functionNames = new Set(program.functions.map((f) => f.name));
  const ranges = functionRanges(program);
  return ranges.map((r) => buildFunctionCfg(program, fe, r, refs, functionNames));
}

interface Range {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** Function ranges, plus pseudo-functions for instructions outside any declared function. */
function functionRanges(program: Program): Range[] {
  const ranges: Range[] = program.functions.map((f) => ({ name: f.name, start: f.start, end: f.end }));
  const covered = new Uint8Array(program.statements.length);
  for (const r of ranges) covered.fill(1, r.start, r.end);
  let open: { name: string; start: number } | undefined;
  let lastLabel: string | undefined;
  const st = program.statements;
  for (let i = 0; i <= st.length; i++) {
    const s = st[i];
    const inCode = s !== undefined && !covered[i] && (s.kind === 'insn' || (s.kind === 'label' && open !== undefined));
    if (s?.kind === 'label' && !covered[i]) lastLabel = s.name;
    if (inCode && !open) open = { name: lastLabel ?? '<top>', start: i };
    if (!inCode && open && (s === undefined || covered[i] || s.kind === 'directive')) {
      ranges.push({ name: open.name, start: open.start, end: i });
      open = undefined;
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function buildFunctionCfg<I extends IsaName>(
  program: Program<I>,
  fe: IsaFrontEnd<I>,
  range: Range,
  refs: { readonly all: ReadonlySet<string>; readonly fromData: readonly string[] },
  functionNames: ReadonlySet<string>,
): FunctionCfg {
  const st = program.statements;
  interface Draft {
    labels: string[];
    instructions: number[];
    infos: (InstrInfo | undefined)[];
  }
  const drafts: Draft[] = [];
  let current: Draft = { labels: [], instructions: [], infos: [] };
  const labelDefs: { name: string; stmt: number; block: number }[] = [];
  const flush = (): void => {
    if (current.instructions.length > 0 || current.labels.length > 0) drafts.push(current);
    current = { labels: [], instructions: [], infos: [] };
  };
  // Jump tables can sit inside a function's range in another section (gcc's RISC-V switch
  // tables go to .rodata between the function label and .size): only code-section statements
  // form blocks.
  const codeSection = st[range.start]?.section;
  for (let i = range.start; i < range.end; i++) {
    const s = st[i]!;
    if (s.section !== codeSection) continue;
    if (s.kind === 'label') {
      const startsBlock = i === range.start || refs.all.has(s.name) || numericLabelRe.test(s.name) || functionNames.has(s.name);
      if (!startsBlock) continue;
      if (current.instructions.length > 0) flush();
      current.labels.push(s.name);
      labelDefs.push({ name: s.name, stmt: i, block: drafts.length });
    } else if (s.kind === 'insn') {
      const info = describeOnce(fe, s);
      current.instructions.push(i);
      current.infos.push(isDescribeError(info) ? undefined : info);
      if (!isDescribeError(info) && info.control !== 'none') flush();
    }
  }
  flush();
  // Drop label-only blocks at the very end (e.g. `.LFE3:` style labels that were referenced).
  while (drafts.length > 1 && drafts[drafts.length - 1]!.instructions.length === 0) drafts.pop();

  const blockOfLabel = new Map<string, number>();
  for (const d of labelDefs) if (d.block < drafts.length && !numericLabelRe.test(d.name)) blockOfLabel.set(d.name, d.block);
  const resolve = (name: string, fromStmt: number): number | undefined => {
    const m = numericRefRe.exec(name);
    if (!m) return blockOfLabel.get(name);
    // `1b` is the nearest `1:` before the reference, `1f` the nearest after.
    const defs = labelDefs.filter((d) => d.name === m[1] && d.block < drafts.length);
    const def = m[2] === 'b' ? defs.filter((d) => d.stmt <= fromStmt).pop() : defs.find((d) => d.stmt > fromStmt);
    return def?.block;
  };

  // Labels whose address is taken inside this function: the candidates for an indirect jump.
  const addressTaken = new Set<number>();
  for (let i = range.start; i < range.end; i++) {
    const s = st[i]!;
    if (s.kind === 'insn' && !isControl(fe, s)) {
      for (const op of s.operands) {
        const e = operandExpr(op);
        if (e) for (const name of exprSymbols(e)) {
          const b = blockOfLabel.get(name);
          if (b !== undefined) addressTaken.add(b);
        }
      }
    }
  }
  const jumpTableTargets = jumpTableBlocks(refs.fromData, blockOfLabel, addressTaken);

  const unresolved = new Set<string>();
  const blocks: BasicBlock[] = drafts.map((d, b) => {
    const lastInfo = d.infos[d.infos.length - 1];
    const lastStmt = d.instructions[d.instructions.length - 1];
    const terminator: ControlKind = lastInfo?.control ?? 'none';
    const successors: number[] = [];
    let exit: BlockExit | undefined;
    const fallthrough = (): void => {
      if (b + 1 < drafts.length) successors.push(b + 1);
      else exit = 'falls-off';
    };
    const direct = (): void => {
      const target = lastInfo?.target;
      const names = target ? exprSymbols(target) : [];
      const name = names[0];
      const t = name !== undefined && lastStmt !== undefined ? resolve(name, lastStmt) : undefined;
      if (t !== undefined) successors.push(t);
      else {
        exit = 'external-jump';
        if (name !== undefined && !functionNames.has(name)) unresolved.add(name);
      }
    };
    switch (terminator) {
      case 'call':
        if (NORETURN_FUNCTIONS.has(callee(lastInfo?.target) ?? '')) exit = 'noreturn-call';
        else fallthrough();
        break;
      case 'none':
      case 'icall':
        fallthrough();
        break;
      case 'jump':
        direct();
        break;
      case 'cbranch':
        direct();
        if (exit === 'external-jump') exit = undefined;
        fallthrough();
        break;
      case 'ijump':
        if (jumpTableTargets.length > 0) successors.push(...jumpTableTargets);
        else exit = 'unknown-indirect';
        break;
      case 'tailcall':
        exit = 'tailcall';
        break;
      case 'ret':
        exit = 'return';
        break;
      case 'trap':
        exit = 'trap';
        break;
    }
    const unique = [...new Set(successors)];
    return {
      index: b,
      labels: d.labels,
      instructions: d.instructions,
      terminator,
      successors: unique,
      ...(exit ? { exit } : {}),
      unsupported: d.infos.some((x) => x === undefined),
      liveIn: [],
      liveOut: [],
    };
  });
  computeLiveness(blocks, program, fe);
  return { name: range.name, blocks, unresolvedTargets: [...unresolved].sort() };
}

function isControl<I extends IsaName>(fe: IsaFrontEnd<I>, s: Instruction<I>): boolean {
  const info = describeOnce(fe, s);
  return !isDescribeError(info) && info.control !== 'none';
}

/**
 * Targets of an indirect jump: blocks named by a jump table (a data directive whose expression
 * mentions a label of this function), or failing that, blocks whose address the code takes.
 */
function jumpTableBlocks(dataRefs: readonly string[], blockOfLabel: ReadonlyMap<string, number>, addressTaken: ReadonlySet<number>): number[] {
  const out = new Set<number>();
  for (const name of dataRefs) {
    const b = blockOfLabel.get(name);
    if (b !== undefined) out.add(b);
  }
  if (out.size === 0) for (const b of addressTaken) out.add(b);
  return [...out].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Liveness
// ---------------------------------------------------------------------------------------------

/** Register effects of one instruction, including what a call or return implies by the ABI. */
export function instructionEffects<I extends IsaName>(fe: IsaFrontEnd<I>, insn: Instruction<I>): InstructionEffects {
  const info = describeOnce(fe, insn);
  if (isDescribeError(info)) return { reads: [], writes: [] };
  switch (info.control) {
    case 'call':
    case 'icall':
      return { info, reads: [...info.reads, ...fe.abi.callReads], writes: [...info.writes, ...fe.abi.callClobbers] };
    case 'ret':
      return { info, reads: [...info.reads, ...fe.abi.retReads], writes: info.writes };
    case 'tailcall':
      return { info, reads: [...info.reads, ...fe.abi.callReads, ...fe.abi.retReads], writes: info.writes };
    default:
      return { info, reads: info.reads, writes: info.writes };
  }
}

/** Upward-exposed uses and definitions of a block. */
export function blockUseDef<I extends IsaName>(block: BasicBlock, program: Program<I>, fe: IsaFrontEnd<I>): { use: Set<string>; def: Set<string> } {
  const use = new Set<string>();
  const def = new Set<string>();
  for (const i of block.instructions) {
    const s = program.statements[i] as Instruction<I>;
    const fx = instructionEffects(fe, s);
    for (const r of fx.reads) if (!def.has(r)) use.add(r);
    for (const w of fx.writes) def.add(w);
  }
  return { use, def };
}

/**
 * Standard backward may-liveness to a fixpoint, on bitsets over the registers the function
 * mentions. Mutates liveIn/liveOut of the blocks.
 */
function computeLiveness<I extends IsaName>(blocks: BasicBlock[], program: Program<I>, fe: IsaFrontEnd<I>): void {
  const ud = blocks.map((b) => blockUseDef(b, program, fe));
  const universe = sortRegs([...new Set(ud.flatMap((u) => [...u.use, ...u.def]))]);
  const position = new Map(universe.map((r, i) => [r, i]));
  const words = Math.max(1, Math.ceil(universe.length / 32));
  const bits = (regs: Iterable<string>): Uint32Array => {
    const a = new Uint32Array(words);
    for (const r of regs) {
      const i = position.get(r)!;
      a[i >> 5]! |= 1 << (i & 31);
    }
    return a;
  };
  const use = ud.map((u) => bits(u.use));
  const notDef = ud.map((u) => bits(u.def).map((w) => ~w));
  const liveIn = blocks.map(() => new Uint32Array(words));
  const liveOut = blocks.map(() => new Uint32Array(words));
  let changed = true;
  while (changed) {
    changed = false;
    for (let b = blocks.length - 1; b >= 0; b--) {
      const out = liveOut[b]!;
      const inn = liveIn[b]!;
      for (const s of blocks[b]!.successors) {
        const succIn = liveIn[s]!;
        for (let w = 0; w < words; w++) out[w]! |= succIn[w]!;
      }
      for (let w = 0; w < words; w++) {
        const next = (use[b]![w]! | (out[w]! & notDef[b]![w]!)) >>> 0;
        if (next !== inn[w]) {
          inn[w] = next;
          changed = true;
        }
      }
    }
  }
  const names = (a: Uint32Array): string[] => universe.filter((_, i) => (a[i >> 5]! >>> (i & 31)) & 1);
  blocks.forEach((b, i) => {
    b.liveIn = names(liveIn[i]!);
    b.liveOut = names(liveOut[i]!);
  });
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** Sorts register ids naturally (x2 before x10). */
export function sortRegs(regs: string[]): string[] {
  return regs.sort(naturalOrder);
}
