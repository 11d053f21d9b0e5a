// Running one side of a block pair in the verification domain: a register file of lazy values, a
// memory, symbol addresses (local data labels renamed to their pair on the other side), and the
// outcome of the block's last instruction.

import type { Instruction, IsaName, Program } from '../ir/program.js';
import type { ExecState, IsaSemantics, Outcome } from '../isa/exec.js';
import type { Layout } from '../emu/machine.js';
import { FRAME_BASE, QueryTooLarge, type SBool, type SVal, type VMem, type VerifyDomain } from './value.js';

/** Which side of a translation: the source (s) or the target (t). */
export type Side = 's' | 't';

/** The base name of the canonical frame address: one unknown shared by both sides. */
export const CFA = FRAME_BASE;

/** Architectural state over the verification domain. Unset registers read as `initial(id)`. */
export class VState implements ExecState<SVal, SBool, VMem> {
  readonly regs = new Map<string, SVal>();
  pc: SVal;
  next: SVal;

  constructor(
    readonly d: VerifyDomain,
    readonly side: Side,
    public mem: VMem,
    private readonly initial: (id: string) => SVal,
    /** The shared name of a symbol (local data labels map to their pair). */
    private readonly symbolKey: (name: string) => string,
  ) {
    this.pc = d.bv(64, 0n);
    this.next = this.pc;
  }

  get(id: string): SVal {
    let v = this.regs.get(id);
    if (v === undefined) {
      v = this.initial(id);
      this.regs.set(id, v);
    }
    return v;
  }

  set(id: string, value: SVal): void {
    this.regs.set(id, value);
  }

  /** An independent copy, for following each path of a branching region (memory is immutable). */
  fork(): VState {
    const copy = new VState(this.d, this.side, this.mem, this.initial, this.symbolKey);
    for (const [id, v] of this.regs) copy.regs.set(id, v);
    copy.pc = this.pc;
    copy.next = this.next;
    return copy;
  }

  symbol(name: string): SVal {
    return this.d.address('sym:' + this.symbolKey(name), 0n);
  }
}

/** How a block run ended. */
export type BlockRun =
  | { readonly status: 'ok'; readonly outcome: Outcome<SVal, SBool> }
  | { readonly status: 'unsupported'; readonly at: number; readonly reason: string };

/**
 * Runs a block's instructions in order. The last instruction's outcome is the block's; a control
 * transfer before the last instruction cannot happen in a basic block, and is reported if it does.
 */
export function runBlock<I extends IsaName>(
  sem: IsaSemantics<I>,
  program: Program<I>,
  stmts: readonly number[],
  st: VState,
  layout: Layout,
  onStep?: (stmt: number) => void,
): BlockRun {
  let outcome: Outcome<SVal, SBool> = { kind: 'next' };
  for (let k = 0; k < stmts.length; k++) {
    const i = stmts[k]!;
    const insn = program.statements[i] as Instruction<I>;
    const found = sem.lookup(insn);
    if ('unsupported' in found) return { status: 'unsupported', at: i, reason: found.unsupported };
    st.pc = st.d.address(`pc.${st.side}`, layout.address(i));
    st.next = st.d.address(`pc.${st.side}`, layout.address(i) + BigInt(layout.size(i)));
    onStep?.(i);
    try {
      outcome = found.run(st, insn);
    } catch (e) {
      if (e instanceof QueryTooLarge) throw e;
      return { status: 'unsupported', at: i, reason: `semantics failed: ${(e as Error).message}` };
    }
    if (outcome.kind !== 'next' && k < stmts.length - 1) {
      if (outcome.kind === 'branch' && outcome.cond?.c === false) continue;
      return { status: 'unsupported', at: i, reason: 'control leaves the block before its end' };
    }
  }
  return { status: 'ok', outcome };
}
