// The AArch64 instruction semantics: one function per instruction form, written once against the
// Domain interface and shared by the concrete emulator and the symbolic prover. The forms live in
// sem-int.ts (integer data processing), sem-mem.ts (loads, stores, addresses, branches),
// sem-fp.ts (scalar floating point) and sem-simd.ts (the Advanced SIMD forms gcc uses for copies
// and simple vector code); this file keys them by the instruction table's form names.
//
// Modelling decisions (what "exact" means here):
// - Integer state, NZCV and memory are bit-exact, checked against Unicorn for every form.
// - FPCR is its reset value 0: round to nearest even, NaN propagation (DN = 0), no flush to zero.
//   FP exception flags (FPSR) are NOT modelled. See sem-fp.ts for the NaN rules.
// - Symbols: `st.symbol(name)` is a label's or object's address. `adrp` gives its 4 KiB page,
//   `:lo12:` its low 12 bits. The GOT slot of `sym` (`:got:sym`, `:got_lo12:sym`) is the symbol
//   `got:sym`; the environment is expected to hold sym's address in memory there (loads through
//   the slot are ordinary loads).
// - Alignment faults, exclusive monitors, system registers and anything a single user-mode thread
//   cannot observe are out of scope; barriers, hints and prefetches do nothing.
// - An instruction outside these forms (or with operands they do not handle, such as half
//   precision) is `{ unsupported }`, never an exception.

import { ConcreteMemory, concrete } from '../concrete.js';
import type { ExecState, IsaSemantics, SemanticsLookup } from '../exec.js';
import type { Expr, Operand } from '../../ir/program.js';
import { describeAarch64 } from './table.js';
import { type FormFn, type Insn, generic, isSymbolic, relocSupported } from './sem-common.js';
import { INTEGER_FORMS, SYMBOLIC_IMMEDIATE_FORMS } from './sem-int.js';
import { MEMORY_FORMS } from './sem-mem.js';
import { FP_FORMS } from './sem-fp.js';
import { SIMD_FORMS } from './sem-simd.js';

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const FORMS: ReadonlyMap<string, FormFn> = new Map([...INTEGER_FORMS, ...MEMORY_FORMS, ...FP_FORMS, ...SIMD_FORMS]);

/** Forms whose operands include a symbol by nature (branch targets, adr/adrp, literals). */
function symbolsAllowed(form: string): boolean {
  return SYMBOLIC_IMMEDIATE_FORMS.has(form) || /^(adrp?|b|bl|b\.cond|cbn?z|tbn?z)(\.|$)|\.lit$|^prfm\.sym$/.test(form);
}

function operandExprs(op: Operand<'aarch64'>): Expr[] {
  switch (op.kind) {
    case 'imm':
      return op.modifier?.amount ? [op.expr, op.modifier.amount] : [op.expr];
    case 'sym':
      return [op.expr];
    case 'mem': {
      const out: Expr[] = [];
      if (op.offset) out.push(op.offset);
      if (op.post?.kind === 'imm') out.push(op.post.expr);
      return out;
    }
    case 'reg':
      return op.modifier?.amount ? [op.modifier.amount] : [];
    default:
      return [];
  }
}

/** Why the operands are outside what the form's function handles, if they are. */
function operandProblem(form: string, insn: Insn): string | undefined {
  for (const op of insn.operands) {
    if (op.kind === 'reg' && op.reg.file === 'fpr' && op.reg.width === 16 && /^f|cvtf/.test(insn.mnemonic)) return 'half precision';
    for (const e of operandExprs(op)) {
      if (!relocSupported(e)) return 'relocation operator';
      if (isSymbolic(e) && op.kind !== 'mem' && !symbolsAllowed(form)) return 'symbolic immediate';
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Lookup
// ---------------------------------------------------------------------------------------------

/**
 * A throwaway concrete state for the dry run in `lookup`: every register reads 0, so any operand
 * shape a form function cannot handle shows up as an exception here instead of in a caller.
 */
function dryState(): ExecState<bigint, boolean, ConcreteMemory> {
  return { d: concrete, get: () => 0n, set: () => undefined, mem: new ConcreteMemory(), symbol: () => 0n, pc: 0n, next: 4n };
}

const cache = new WeakMap<Insn, SemanticsLookup<'aarch64'>>();

function lookupUncached(insn: Insn): SemanticsLookup<'aarch64'> {
  const info = describeAarch64(insn);
  if ('error' in info) return { unsupported: `${insn.mnemonic} (${info.error})` };
  const f = FORMS.get(info.form);
  if (f === undefined) return { unsupported: info.form };
  const problem = operandProblem(info.form, insn);
  if (problem !== undefined) return { unsupported: `${info.form} (${problem})` };
  const run = generic(f);
  try {
    run(dryState(), insn);
  } catch (e) {
    return { unsupported: `${info.form} (${(e as Error).message})` };
  }
  return { form: info.form, run };
}

/** The AArch64 semantics table. */
export const aarch64Semantics: IsaSemantics<'aarch64'> = {
  isa: 'aarch64',
  lookup(insn) {
    let r = cache.get(insn);
    if (r === undefined) {
      r = lookupUncached(insn);
      cache.set(insn, r);
    }
    return r;
  },
  forms: [...FORMS.keys()].sort(),
  stateRegisters: [
    ...Array.from({ length: 31 }, (_, i) => ({ id: `x${i}`, width: 64 })),
    { id: 'sp', width: 64 },
    { id: 'nzcv', width: 4 },
    ...Array.from({ length: 32 }, (_, i) => ({ id: `v${i}`, width: 128 })),
  ],
};
