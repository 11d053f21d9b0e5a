// The concrete emulator: runs instruction semantics over the concrete domain on a machine state
// of registers, flags and sparse memory. It runs one block, a chain of blocks, or a function,
// always under a step limit, and reports the final state, the memory written, the successor
// taken and any call made. An instruction without semantics gives an UNSUPPORTED result that
// names its form; nothing here throws on user input.

import type { Instruction, IsaName, Program } from '../ir/program.js';
import { ConcreteMemory, concrete } from '../isa/concrete.js';
import type { ExecState, IsaSemantics, Outcome } from '../isa/exec.js';
import { type Domain, mask } from '../isa/sem.js';

// ---------------------------------------------------------------------------------------------
// Machine state
// ---------------------------------------------------------------------------------------------

/** Concrete architectural state. Registers never written read as `defaultRegister(id)`. */
export class Machine implements ExecState<bigint, boolean, ConcreteMemory> {
  readonly regs = new Map<string, bigint>();
  pc = 0n;
  next = 0n;

  constructor(
    public mem: ConcreteMemory = new ConcreteMemory(),
    readonly symbols: ReadonlyMap<string, bigint> = new Map(),
    private readonly defaultRegister: (id: string) => bigint = () => 0n,
    /** The concrete domain, or one that also watches some operations (the verifier's tester). */
    readonly d: Domain<bigint, boolean, ConcreteMemory> = concrete,
  ) {}

  get(id: string): bigint {
    const v = this.regs.get(id);
    return v === undefined ? this.defaultRegister(id) : v;
  }

  set(id: string, value: bigint): void {
    this.regs.set(id, value);
  }

  symbol(name: string): bigint {
    const a = this.symbols.get(name);
    if (a !== undefined) return a;
    // An unknown symbol gets a stable made-up address, so code that only moves it around runs.
    let h = 0xcbf29ce484222325n;
    for (const ch of name) h = ((h ^ BigInt(ch.charCodeAt(0))) * 0x100000001b3n) & mask(64);
    return (h & ~0xfffn & mask(47)) | 0x1000_0000_0000n;
  }

  /** An independent copy (registers, memory). */
  clone(): Machine {
    const m = new Machine(this.mem.clone(), this.symbols, this.defaultRegister, this.d);
    for (const [k, v] of this.regs) m.regs.set(k, v);
    m.pc = this.pc;
    m.next = this.next;
    return m;
  }
}

// ---------------------------------------------------------------------------------------------
// Running code
// ---------------------------------------------------------------------------------------------

/** Where each instruction sits in memory: needed for pc-relative forms and link registers. */
export interface Layout {
  address(stmt: number): bigint;
  size(stmt: number): number;
}

/** A layout that places instructions 4 bytes apart from `base`, in statement order. */
export function fixedLayout(program: Program, base = 0x10000n): Layout {
  const addr = new Map<number, bigint>();
  let a = base;
  program.statements.forEach((s, i) => {
    if (s.kind === 'insn') {
      addr.set(i, a);
      a += 4n;
    }
  });
  return { address: (i) => addr.get(i) ?? base, size: () => 4 };
}

/** The result of running straight-line code. */
export type RunResult =
  | {
      readonly status: 'ok';
      /** How control left the last instruction run. */
      readonly outcome: Outcome<bigint, boolean>;
      /** Statement index of the instruction that produced the outcome. */
      readonly at: number;
      readonly steps: number;
    }
  | { readonly status: 'unsupported'; readonly at: number; readonly reason: string; readonly steps: number }
  | { readonly status: 'step-limit'; readonly steps: number };

/**
 * Runs the instructions with the given statement indices in order, stopping early at the first
 * that transfers control (a taken branch, a jump, call or return).
 */
export function runStraight<I extends IsaName>(sem: IsaSemantics<I>, program: Program<I>, stmts: readonly number[], m: Machine, layout: Layout): RunResult {
  let steps = 0;
  let last: { outcome: Outcome<bigint, boolean>; at: number } | undefined;
  for (const i of stmts) {
    const insn = program.statements[i] as Instruction<I>;
    const found = sem.lookup(insn);
    if ('unsupported' in found) return { status: 'unsupported', at: i, reason: found.unsupported, steps };
    m.pc = layout.address(i);
    m.next = m.pc + BigInt(layout.size(i));
    const outcome = found.run(m, insn);
    steps++;
    last = { outcome, at: i };
    if (outcome.kind === 'branch' && outcome.cond === false) continue;
    if (outcome.kind !== 'next') break;
  }
  return last ? { status: 'ok', ...last, steps } : { status: 'ok', outcome: { kind: 'next' }, at: -1, steps };
}

/** A call made while running a function. */
export interface CallRecord {
  readonly target: string | bigint;
  readonly at: number;
}

/** The result of running a function to its return. */
export type FunctionRunResult =
  | { readonly status: 'returned'; readonly steps: number; readonly calls: readonly CallRecord[] }
  | { readonly status: 'unsupported'; readonly at: number; readonly reason: string; readonly steps: number }
  | { readonly status: 'step-limit'; readonly steps: number }
  | { readonly status: 'stopped'; readonly reason: string; readonly at: number; readonly steps: number };

/** What to do at a call: run it in the callee's stead (return true) or stop. */
export type CallHandler = (target: string | bigint, m: Machine) => boolean;

/**
 * Runs a function from its first instruction until it returns, following branches by label and
 * indirect jumps by address, under a step limit.
 */
export function runFunction<I extends IsaName>(
  sem: IsaSemantics<I>,
  program: Program<I>,
  range: { readonly start: number; readonly end: number },
  m: Machine,
  layout: Layout,
  opts: { readonly maxSteps?: number; readonly onCall?: CallHandler } = {},
): FunctionRunResult {
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const insns: number[] = [];
  const labelAt = new Map<string, number>(); // label -> position in insns
  const byAddress = new Map<bigint, number>();
  for (let i = range.start; i < range.end; i++) {
    const s = program.statements[i]!;
    if (s.kind === 'label') labelAt.set(s.name, insns.length);
    else if (s.kind === 'insn') {
      byAddress.set(layout.address(i), insns.length);
      insns.push(i);
    }
  }
  // Look each instruction up once: the loop below may run it a million times.
  const code = insns.map((i) => {
    const insn = program.statements[i] as Instruction<I>;
    const pc = layout.address(i);
    return { i, insn, found: sem.lookup(insn), pc, next: pc + BigInt(layout.size(i)) };
  });
  const calls: CallRecord[] = [];
  let pos = 0;
  let steps = 0;
  while (steps < maxSteps) {
    const c = code[pos];
    if (c === undefined) return { status: 'stopped', reason: 'ran off the end of the function', at: insns[insns.length - 1] ?? range.start, steps };
    const { i, insn, found } = c;
    if ('unsupported' in found) return { status: 'unsupported', at: i, reason: found.unsupported, steps };
    m.pc = c.pc;
    m.next = c.next;
    const o = found.run(m, insn);
    steps++;
    switch (o.kind) {
      case 'next':
        pos++;
        break;
      case 'branch': {
        if (o.cond === false) {
          pos++;
          break;
        }
        const t = resolveLabel(o.target, labelAt, program, i, range);
        if (t === undefined) return { status: 'stopped', reason: `branch to unknown label ${o.target}`, at: i, steps };
        pos = t;
        break;
      }
      case 'ijump': {
        const t = byAddress.get(o.address);
        if (t === undefined) return { status: 'stopped', reason: `indirect jump to 0x${o.address.toString(16)} outside the function`, at: i, steps };
        pos = t;
        break;
      }
      case 'call':
      case 'icall': {
        const target = o.kind === 'call' ? o.target : o.address;
        calls.push({ target, at: i });
        if (!opts.onCall || !opts.onCall(target, m)) return { status: 'stopped', reason: `call to ${typeof target === 'string' ? target : '0x' + target.toString(16)}`, at: i, steps };
        pos++;
        break;
      }
      case 'tailcall':
        return { status: 'stopped', reason: `tail call to ${o.target}`, at: i, steps };
      case 'ret':
        return { status: 'returned', steps, calls };
      case 'trap':
        return { status: 'stopped', reason: 'trap', at: i, steps };
    }
  }
  return { status: 'step-limit', steps };
}

function resolveLabel(name: string, labelAt: ReadonlyMap<string, number>, program: Program, from: number, range: { start: number; end: number }): number | undefined {
  const m = /^([0-9]+)([bf])$/.exec(name);
  if (!m) return labelAt.get(name);
  // Numeric local labels: nearest definition backwards or forwards from the reference.
  let insnPos = 0;
  let found: number | undefined;
  for (let i = range.start; i < range.end; i++) {
    const s = program.statements[i]!;
    if (s.kind === 'label' && s.name === m[1]) {
      if (m[2] === 'b' && i < from) found = insnPos;
      if (m[2] === 'f' && i > from) return insnPos;
    }
    if (s.kind === 'insn') insnPos++;
  }
  return found;
}
