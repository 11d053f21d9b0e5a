// RISC-V 64 control-transfer semantics: conditional branches (and their pseudo-instructions),
// jumps, calls, tail calls, returns and traps. The link register gets `st.next`, the address
// after the whole (possibly expanded) instruction, which the caller sets from the real layout:
// `call` is auipc+jalr, so its return address is pc + 8.

import type { Domain } from '../sem.js';
import type { Outcome } from '../exec.js';
import type { ControlKind } from '../types.js';
import { auipcPart, evalExpr, getX, immAt, memAddr, regId, setX, targetName, xs, type Insn, type St } from './sem-common.js';

/** A control form's semantics; `control` is the table's classification of this instance. */
export type ControlSem = <V, B, M>(st: St<V, B, M>, insn: Insn, control: ControlKind) => Outcome<V, B>;

// ---------------------------------------------------------------------------------------------
// Conditional branches
// ---------------------------------------------------------------------------------------------

type Cond2 = <V, B, M>(d: Domain<V, B, M>, a: V, b: V) => B;

/** Two-register branch conditions, pseudo-instructions (`bgt a,b` = `blt b,a`) included. */
export const BRANCH2: Readonly<Record<string, Cond2>> = {
  beq: (d, a, b) => d.eq(64, a, b),
  bne: (d, a, b) => d.bnot(d.eq(64, a, b)),
  blt: (d, a, b) => d.slt(64, a, b),
  bge: (d, a, b) => d.sle(64, b, a),
  bltu: (d, a, b) => d.ult(64, a, b),
  bgeu: (d, a, b) => d.ule(64, b, a),
  bgt: (d, a, b) => d.slt(64, b, a),
  ble: (d, a, b) => d.sle(64, a, b),
  bgtu: (d, a, b) => d.ult(64, b, a),
  bleu: (d, a, b) => d.ule(64, a, b),
};

/** Compare-with-zero pseudo-branches, as the two-register branch they stand for. */
export const BRANCH1: Readonly<Record<string, string>> = {
  beqz: 'beq', bnez: 'bne', blez: 'ble', bgez: 'bge', bltz: 'blt', bgtz: 'bgt',
};

/** `bxx rs1, rs2, label`. */
export function branch2(cond: Cond2): ControlSem {
  return (st, insn) => ({ kind: 'branch', target: targetName(insn), cond: cond(st.d, xs(st, insn, 0), xs(st, insn, 1)) });
}

/** `bxxz rs, label`: rs against zero. */
export function branch1(cond: Cond2): ControlSem {
  return (st, insn) => ({ kind: 'branch', target: targetName(insn), cond: cond(st.d, xs(st, insn, 0), st.d.bv(64, 0n)) });
}

// ---------------------------------------------------------------------------------------------
// Direct jumps and calls
// ---------------------------------------------------------------------------------------------

/** A direct transfer to `target`: a jump within the function, a tail call or a call. */
function direct<V, B>(control: ControlKind, target: string): Outcome<V, B> {
  if (control === 'call') return { kind: 'call', target };
  if (control === 'tailcall') return { kind: 'tailcall', target };
  return { kind: 'branch', target };
}

/** `j label` (a tail call when the label is another function's). */
export const j: ControlSem = (_st, insn, control) => direct(control, targetName(insn));

/** `jal label` (links ra) and `jal rd, label` (links rd; `jal zero, ...` is a jump). */
export const jal: ControlSem = (st, insn, control) => {
  setX(st, insn.operands.length === 1 ? 'ra' : regId(insn.operands[0]), st.next);
  return direct(control, targetName(insn));
};

/**
 * `call sym` (auipc ra; jalr ra) and `call rd, sym` (auipc t1; jalr rd, t1: GNU as takes t1 as
 * the scratch register of the two-operand form, so t1 keeps the auipc part unless it is rd).
 */
export const call: ControlSem = (st, insn, control) => {
  if (insn.operands.length === 1) setX(st, 'ra', st.next);
  else {
    const sym = insn.operands[1];
    if (sym?.kind === 'sym') setX(st, 't1', auipcPart(st, evalExpr(st, sym.expr)));
    setX(st, regId(insn.operands[0]), st.next);
  }
  return direct(control, targetName(insn));
};

/** `tail sym`: auipc t1; jr t1. t1 keeps the auipc part. */
export const tail: ControlSem = (st, insn, control) => {
  const sym = insn.operands[0];
  if (sym?.kind === 'sym') setX(st, 't1', auipcPart(st, evalExpr(st, sym.expr)));
  return direct(control, targetName(insn));
};

// ---------------------------------------------------------------------------------------------
// Indirect jumps, calls and returns
// ---------------------------------------------------------------------------------------------

/** The target of `jr`/`jalr`: (base + offset) with bit 0 cleared. */
function indirectTarget<V, B, M>(st: St<V, B, M>, insn: Insn, from: number): V {
  const d = st.d;
  const op = insn.operands[from];
  let addr: V;
  if (op?.kind === 'mem') addr = memAddr(st, op);
  else {
    addr = getX(st, regId(op));
    if (insn.operands.length > from + 1) addr = d.add(64, addr, immAt(st, insn, from + 1));
  }
  return d.and(64, addr, d.bv(64, ~1n));
}

function indirect<V, B>(control: ControlKind, address: V): Outcome<V, B> {
  if (control === 'ret') return { kind: 'ret', address };
  if (control === 'icall') return { kind: 'icall', address };
  return { kind: 'ijump', address };
}

/** `jr rs`, `jr off(rs)`, `jr rs, off`: no link. */
export const jr: ControlSem = (st, insn, control) => indirect(control, indirectTarget(st, insn, 0));

/**
 * `jalr rs` / `jalr off(rs)` / `jalr rs, off` (link ra) and `jalr rd, rs[, off]` / `jalr rd, off(rs)`
 * (link rd). The target is read before the link is written: rd may be rs.
 */
export const jalr: ControlSem = (st, insn, control) => {
  const first = insn.operands[0];
  const linkFirst = insn.operands.length >= 2 && first?.kind === 'reg' && (insn.operands[1]?.kind === 'reg' || insn.operands[1]?.kind === 'mem');
  const address = indirectTarget(st, insn, linkFirst ? 1 : 0);
  setX(st, linkFirst ? regId(first) : 'ra', st.next);
  return indirect(control, address);
};

/** `ret`: jr ra. */
export const ret: ControlSem = (st) => ({ kind: 'ret', address: st.d.and(64, getX(st, 'ra'), st.d.bv(64, ~1n)) });

/** `ebreak`, `unimp`, `ecall`: control leaves the program (environment calls are not modeled). */
export const trap: ControlSem = () => ({ kind: 'trap' });
