// Operand evaluation shared by the RISC-V 64 semantics files: register reads and writes (x0 reads
// as zero and ignores writes), assembler expressions with the relocation operators gcc emits, and
// memory addresses. Everything here works in any Domain, so the emulator and the prover evaluate
// operands identically.

import type { Expr, Instruction, MemOperand, Operand } from '../../ir/program.js';
import { printExpr } from '../../asm/print.js';
import type { ExecState } from '../exec.js';

/** A RISC-V instruction. */
export type Insn = Instruction<'riscv64'>;

/** Any ExecState (the semantics are generic over the domain). */
export type St<V, B, M> = ExecState<V, B, M>;

// ---------------------------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------------------------

/** The register id of a register operand, or of a memory operand's base. */
export function regId(op: Operand<'riscv64'> | undefined): string {
  if (op?.kind === 'reg') return op.reg.id;
  if (op?.kind === 'mem') return op.base.id;
  throw new Error('internal: operand is not a register'); // lookup checked the form
}

/** Reads an integer register (64 bits); `zero` is the constant 0 whatever the state holds. */
export function getX<V, B, M>(st: St<V, B, M>, id: string): V {
  return id === 'zero' ? st.d.bv(64, 0n) : st.get(id);
}

/** Writes an integer register; writes to `zero` are discarded, as the hardware does. */
export function setX<V, B, M>(st: St<V, B, M>, id: string, v: V): void {
  if (id !== 'zero') st.set(id, v);
}

/** Reads integer operand `i` of `insn` (a register). */
export function xs<V, B, M>(st: St<V, B, M>, insn: Insn, i: number): V {
  return getX(st, regId(insn.operands[i]));
}

/** Writes integer operand `i` of `insn`. */
export function xd<V, B, M>(st: St<V, B, M>, insn: Insn, i: number, v: V): void {
  setX(st, regId(insn.operands[i]), v);
}

// ---------------------------------------------------------------------------------------------
// Expressions and relocations
// ---------------------------------------------------------------------------------------------

/**
 * Relocation operators with a value that follows from symbol addresses and the pc alone.
 * `%pcrel_lo(label)` is missing on purpose: its value depends on the symbol named by the
 * `%pcrel_hi` at `label`, which one instruction's semantics cannot see (see the report in
 * semantics.ts). TLS and GOT operators need a thread pointer and a GOT model.
 */
const RELOCS: ReadonlySet<string> = new Set(['hi', 'lo', 'pcrel_hi']);

/** Why an expression cannot be evaluated, or undefined when it can. */
export function unsupportedExpr(e: Expr): string | undefined {
  switch (e.kind) {
    case 'num':
    case 'sym':
      return undefined;
    case 'unary':
      return unsupportedExpr(e.arg);
    case 'binary':
      return unsupportedExpr(e.left) ?? unsupportedExpr(e.right);
    case 'paren':
      return unsupportedExpr(e.inner);
    case 'reloc':
      return RELOCS.has(e.op) ? unsupportedExpr(e.arg) : `%${e.op}`;
  }
}

/**
 * The 64-bit value of an assembler expression. Symbols are addresses (`.` is the pc). `%hi(x)`
 * and `%pcrel_hi(x)` are the 20-bit upper fields, rounded by +0x800 so that adding the sign-
 * extended `%lo` part gives x back; `%lo(x)` is the sign-extended low 12 bits.
 */
export function evalExpr<V, B, M>(st: St<V, B, M>, e: Expr): V {
  const d = st.d;
  switch (e.kind) {
    case 'num':
      return d.bv(64, e.value);
    case 'sym':
      return e.name === '.' ? st.pc : st.symbol(e.name);
    case 'paren':
      return evalExpr(st, e.inner);
    case 'unary': {
      const a = evalExpr(st, e.arg);
      switch (e.op) {
        case '-':
          return d.neg(64, a);
        case '+':
          return a;
        case '~':
          return d.not(64, a);
        case '!':
          return d.zext(1, d.fromBool(d.eq(64, a, d.bv(64, 0n))), 64);
      }
      break;
    }
    case 'binary': {
      const a = evalExpr(st, e.left);
      const b = evalExpr(st, e.right);
      switch (e.op) {
        case '+':
          return d.add(64, a, b);
        case '-':
          return d.sub(64, a, b);
        case '*':
          return d.mul(64, a, b);
        case '/':
          return d.sdiv(64, a, b);
        case '%':
          return d.srem(64, a, b);
        case '<<':
          return d.shl(64, a, b);
        case '>>':
          return d.ashr(64, a, b); // GNU as shifts its signed offsetT arithmetically
        case '&':
          return d.and(64, a, b);
        case '|':
          return d.or(64, a, b);
        case '^':
          return d.xor(64, a, b);
      }
      break;
    }
    case 'reloc': {
      const a = evalExpr(st, e.arg);
      switch (e.op) {
        case 'hi':
          return hi20(st, a);
        case 'pcrel_hi':
          return hi20(st, d.sub(64, a, st.pc));
        case 'lo':
          return d.sext(12, d.extract(64, a, 11, 0), 64);
      }
      break;
    }
  }
  throw new Error(`internal: unsupported expression ${printExpr(e, true)}`); // lookup checked it
}

/** The `lui`/`auipc` field that, with the sign-extended low 12 bits, rebuilds `a`. */
function hi20<V, B, M>(st: St<V, B, M>, a: V): V {
  const d = st.d;
  return d.zext(20, d.extract(64, d.add(64, a, d.bv(64, 0x800n)), 31, 12), 64);
}

/** The value of immediate operand `i`. */
export function immAt<V, B, M>(st: St<V, B, M>, insn: Insn, i: number): V {
  const op = insn.operands[i];
  if (op?.kind === 'imm' || op?.kind === 'sym') return evalExpr(st, op.expr);
  throw new Error('internal: operand is not an immediate');
}

/** The expression of a symbol or immediate operand (for validation). */
export function exprOf(op: Operand<'riscv64'> | undefined): Expr | undefined {
  if (op?.kind === 'imm' || op?.kind === 'sym') return op.expr;
  if (op?.kind === 'mem') return op.offset;
  return undefined;
}

/** A branch or call target as a name: the symbol, or the expression's text. */
export function targetName(insn: Insn): string {
  for (const op of insn.operands) {
    if (op.kind === 'sym') return op.expr.kind === 'sym' ? op.expr.name : printExpr(op.expr, true);
  }
  throw new Error('internal: no target operand');
}

// ---------------------------------------------------------------------------------------------
// Memory addresses
// ---------------------------------------------------------------------------------------------

/** `off(base)`: base plus the offset expression (already sign-extended by `%lo`). */
export function memAddr<V, B, M>(st: St<V, B, M>, op: MemOperand<'riscv64'>): V {
  const base = getX(st, op.base.id);
  return op.offset ? st.d.add(64, base, evalExpr(st, op.offset)) : base;
}

/**
 * The address of operand `i`: a memory operand, or a symbol (`ld a1,.LC0`, `sd a0,sym,t0`).
 * GNU as expands the symbol forms to `auipc tmp,%pcrel_hi(sym)` and an access at
 * `%pcrel_lo(sym)(tmp)`, so the address is the symbol, except when tmp is `zero` (whose auipc
 * result is lost) and the access goes to the bare low part.
 */
export function addrAt<V, B, M>(st: St<V, B, M>, insn: Insn, i: number, tmp: string): V {
  const op = insn.operands[i];
  if (op?.kind === 'mem') return memAddr(st, op);
  const sym = immAt(st, insn, i);
  if (tmp !== 'zero') return sym;
  const d = st.d;
  return d.sext(12, d.extract(64, d.sub(64, sym, st.pc), 11, 0), 64);
}

/**
 * What GNU as leaves in the scratch register of `sd a0,sym,t0` (and `flw fa5,.LC0,a5`, `call`,
 * `tail`): they expand to `auipc tmp,%pcrel_hi(sym)` and an access through tmp, so tmp keeps
 * pc + the sign-extended upper part of (sym - pc).
 */
export function auipcPart<V, B, M>(st: St<V, B, M>, sym: V): V {
  const d = st.d;
  const field = hi20(st, d.sub(64, sym, st.pc));
  return d.add(64, st.pc, d.sext(32, d.shl(32, d.extract(64, field, 31, 0), d.bv(32, 12n)), 64));
}
