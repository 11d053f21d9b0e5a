// Shared pieces of the AArch64 semantics: the opaque value types the semantics are written
// against, register access with the ISA's width rules (w writes zero the upper half, xzr reads
// zero, scalar FP/SIMD writes zero the rest of the 128-bit register), shifted and extended
// register operands, immediate expressions with relocation operators, NZCV arithmetic and the
// condition codes. Every instruction form in sem-*.ts is built from these.

import type { Expr, Instruction, Operand, RegOperand, Register } from '../../ir/program.js';
import type { ExecState, Outcome, Semantics } from '../exec.js';
import type { Domain } from '../sem.js';

// ---------------------------------------------------------------------------------------------
// Opaque domain types
// ---------------------------------------------------------------------------------------------

// The semantics are parametric in the domain. Rather than threading <V, B, M> through every
// helper, they are written against three distinct opaque types: a function that only uses the
// domain cannot tell them from any real V, B, M, so casting at the table boundary is sound, and
// the compiler still keeps values, booleans and memories apart.
declare const valBrand: unique symbol;
declare const boolBrand: unique symbol;
declare const memBrand: unique symbol;
/** A bit-vector of the domain. */
export type Val = { readonly [valBrand]: true };
/** A boolean of the domain. */
export type Bool = { readonly [boolBrand]: true };
/** A memory of the domain. */
export type Mem = { readonly [memBrand]: true };
/** The state every form function receives. */
export type St = ExecState<Val, Bool, Mem>;
/** The domain every form function computes in. */
export type D = Domain<Val, Bool, Mem>;
/** How control leaves an instruction, over the opaque types. */
export type Out = Outcome<Val, Bool>;
/** An instruction of this ISA. */
export type Insn = Instruction<'aarch64'>;
/** One form's semantics over the opaque types. */
export type FormFn = (st: St, insn: Insn) => Out;

/** Turns a form function into the generic `Semantics` (see the note on the opaque types). */
export function generic(f: FormFn): Semantics<'aarch64'> {
  return f as unknown as Semantics<'aarch64'>;
}

/** Thrown for operands a form cannot handle; `lookup` pre-checks, so reaching it is a bug. */
export class SemanticsError extends Error {}

export const NEXT: Out = { kind: 'next' };

// ---------------------------------------------------------------------------------------------
// Operand access
// ---------------------------------------------------------------------------------------------

export function opAt(insn: Insn, i: number): Operand<'aarch64'> {
  const op = insn.operands[i];
  if (op === undefined) throw new SemanticsError(`${insn.mnemonic}: missing operand ${i + 1}`);
  return op;
}

export function regOp(insn: Insn, i: number): RegOperand<'aarch64'> {
  const op = opAt(insn, i);
  if (op.kind !== 'reg') throw new SemanticsError(`${insn.mnemonic}: operand ${i + 1} is not a register`);
  return op;
}

export function reg(insn: Insn, i: number): Register<'aarch64'> {
  return regOp(insn, i).reg;
}

/** Reads an integer register at its view width; xzr/wzr read as zero. */
export function readGpr(st: St, r: Register<'aarch64'>): Val {
  if (r.zero) return st.d.bv(r.width, 0n);
  const v = st.get(r.id);
  return r.width === 64 ? v : st.d.extract(64, v, r.width - 1, 0);
}

/** Writes an integer register; a 32-bit view zeroes the upper half, writes to xzr vanish. */
export function writeGpr(st: St, r: Register<'aarch64'>, v: Val): void {
  if (r.zero) return;
  st.set(r.id, r.width === 64 ? v : st.d.zext(r.width, v, 64));
}

/** Reads the low `r.width` bits of an FP/SIMD register (`s0` = bits 31..0 of v0). */
export function readFpr(st: St, r: Register<'aarch64'>, width = r.width): Val {
  const v = st.get(r.id);
  return width === 128 ? v : st.d.extract(128, v, width - 1, 0);
}

/** Writes the low bits of an FP/SIMD register and zeroes the rest of the 128 bits. */
export function writeFpr(st: St, r: Register<'aarch64'>, v: Val, width = r.width): void {
  st.set(r.id, width === 128 ? v : st.d.zext(width, v, 128));
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** The value of a constant expression (no symbols), or undefined. Values wrap to 64 bits. */
export function constValue(e: Expr): bigint | undefined {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'sym':
    case 'reloc':
      return undefined;
    case 'paren':
      return constValue(e.inner);
    case 'unary': {
      const a = constValue(e.arg);
      if (a === undefined) return undefined;
      return e.op === '-' ? -a : e.op === '~' ? ~a : e.op === '!' ? (a === 0n ? 1n : 0n) : a;
    }
    case 'binary': {
      const a = constValue(e.left);
      const b = constValue(e.right);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0n ? undefined : a / b;
        case '%': return b === 0n ? undefined : a % b;
        case '<<': return b >= 0n && b < 64n ? a << b : undefined;
        case '>>': return b >= 0n && b < 64n ? a >> b : undefined;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
      }
    }
  }
}

/** A constant immediate as a JS number (shift amounts, bit positions, lanes). */
export function constNum(insn: Insn, e: Expr | undefined, dflt?: number): number {
  if (e === undefined) {
    if (dflt !== undefined) return dflt;
    throw new SemanticsError(`${insn.mnemonic}: missing constant`);
  }
  const v = constValue(e);
  if (v === undefined) throw new SemanticsError(`${insn.mnemonic}: expected a constant`);
  return Number(v);
}

/** The constant of integer immediate operand i. */
export function immNum(insn: Insn, i: number): number {
  const op = opAt(insn, i);
  if (op.kind !== 'imm') throw new SemanticsError(`${insn.mnemonic}: operand ${i + 1} is not an immediate`);
  return constNum(insn, op.expr);
}

/** Whether an expression mentions a symbol (so its value depends on the symbol table). */
export function isSymbolic(e: Expr): boolean {
  switch (e.kind) {
    case 'num':
      return false;
    case 'sym':
    case 'reloc':
      return true;
    case 'paren':
      return isSymbolic(e.inner);
    case 'unary':
      return isSymbolic(e.arg);
    case 'binary':
      return isSymbolic(e.left) || isSymbolic(e.right);
  }
}

/** Relocation operators whose value is the low 12 bits of their argument's address. */
const LO12 = new Set(['lo12', 'got_lo12']);
/** Relocation operators that name the GOT slot of their argument rather than the symbol. */
const GOT = new Set(['got', 'got_lo12']);

/**
 * Evaluates an expression to a 64-bit value. Symbols are `st.symbol(name)`. Relocations:
 * `:lo12:s` is the low 12 bits of s; `:got:s` is the address of s's GOT slot, modelled as the
 * symbol `got:s` (whose memory the environment fills with the address of s); `:got_lo12:s` is the
 * low 12 bits of that; `:pg_hi21:s` is s itself (adrp takes the page); `:abs_gN[_nc|_s]:s` is
 * bits 16N+15..16N of s, for movz/movk.
 */
export function evalExpr(st: St, e: Expr): Val {
  const d = st.d;
  const c = constValue(e);
  if (c !== undefined) return d.bv(64, c);
  switch (e.kind) {
    case 'num':
      return d.bv(64, e.value);
    case 'sym':
      return st.symbol(e.name);
    case 'paren':
      return evalExpr(st, e.inner);
    case 'unary': {
      const a = evalExpr(st, e.arg);
      switch (e.op) {
        case '-': return d.neg(64, a);
        case '~': return d.not(64, a);
        case '+': return a;
        case '!': return d.ite(64, d.eq(64, a, d.bv(64, 0n)), d.bv(64, 1n), d.bv(64, 0n));
      }
      break;
    }
    case 'binary': {
      const a = evalExpr(st, e.left);
      const b = evalExpr(st, e.right);
      switch (e.op) {
        case '+': return d.add(64, a, b);
        case '-': return d.sub(64, a, b);
        case '*': return d.mul(64, a, b);
        case '/': return d.sdiv(64, a, b);
        case '%': return d.srem(64, a, b);
        case '<<': return d.shl(64, a, b);
        case '>>': return d.ashr(64, a, b);
        case '&': return d.and(64, a, b);
        case '|': return d.or(64, a, b);
        case '^': return d.xor(64, a, b);
      }
      break;
    }
    case 'reloc': {
      let arg: Val;
      if (GOT.has(e.op)) {
        const name = symbolName(e.arg);
        if (name === undefined) throw new SemanticsError(`:${e.op}: needs a symbol`);
        arg = st.symbol('got:' + name);
      } else {
        arg = evalExpr(st, e.arg);
      }
      if (LO12.has(e.op)) return d.and(64, arg, d.bv(64, 0xfffn));
      if (e.op === 'got' || e.op === 'pg_hi21' || e.op === 'pg_hi21_nc') return arg;
      const g = /^abs_g([0-3])(_nc|_s)?$/.exec(e.op);
      if (g) return d.zext(16, d.extract(64, arg, 16 * Number(g[1]) + 15, 16 * Number(g[1])), 64);
      throw new SemanticsError(`relocation :${e.op}: is not modelled`);
    }
  }
  throw new SemanticsError('bad expression');
}

/** The one symbol an expression names (`sym`, `(sym)`), for GOT relocations and branch targets. */
export function symbolName(e: Expr): string | undefined {
  if (e.kind === 'sym') return e.name;
  if (e.kind === 'paren') return symbolName(e.inner);
  return undefined;
}

/** Relocation operators `evalExpr` understands. */
export function relocSupported(e: Expr): boolean {
  switch (e.kind) {
    case 'num':
    case 'sym':
      return true;
    case 'paren':
      return relocSupported(e.inner);
    case 'unary':
      return relocSupported(e.arg);
    case 'binary':
      return relocSupported(e.left) && relocSupported(e.right);
    case 'reloc':
      return (LO12.has(e.op) || e.op === 'got' || e.op === 'pg_hi21' || e.op === 'pg_hi21_nc' || /^abs_g[0-3](_nc|_s)?$/.test(e.op)) &&
        (!GOT.has(e.op) || symbolName(e.arg) !== undefined) && relocSupported(e.arg);
  }
}

// ---------------------------------------------------------------------------------------------
// Shifted and extended registers
// ---------------------------------------------------------------------------------------------

/** Applies a constant shift `op` (lsl/lsr/asr/ror) of `amount` to a w-bit value. */
export function shiftBy(d: D, w: number, v: Val, op: string, amount: number): Val {
  if (amount === 0) return v;
  const a = d.bv(w, BigInt(amount));
  switch (op.toLowerCase()) {
    case 'lsl': return d.shl(w, v, a);
    case 'lsr': return d.lshr(w, v, a);
    case 'asr': return d.ashr(w, v, a);
    case 'ror': return d.rotr(w, v, a);
  }
  throw new SemanticsError(`unknown shift ${op}`);
}

/** Extends the low bits of `v` (width vw) as `uxtb`..`sxtx` say, to width w. */
export function extendBy(d: D, vw: number, v: Val, op: string, w: number): Val {
  const m = /^([us])xt([bhwx])$/.exec(op.toLowerCase());
  if (!m) throw new SemanticsError(`unknown extend ${op}`);
  const bits = { b: 8, h: 16, w: 32, x: 64 }[m[2] as 'b' | 'h' | 'w' | 'x'];
  const src = bits >= vw ? v : d.extract(vw, v, bits - 1, 0);
  const sw = Math.min(bits, vw);
  if (sw === w) return src;
  if (sw > w) return d.extract(sw, src, w - 1, 0);
  return m[1] === 's' ? d.sext(sw, src, w) : d.zext(sw, src, w);
}

/** Whether a modifier is an extend (`uxtw`, `sxtb`...) rather than a shift. */
export function isExtend(op: string): boolean {
  return /^[us]xt[bhwx]$/i.test(op);
}

/**
 * The value of a second-source register operand at width w: plain, shifted (`x1, lsl 3`) or
 * extended (`w1, sxtw 2`, where the amount is a left shift after the extension).
 */
export function operand2(st: St, op: RegOperand<'aarch64'>, w: number, insn: Insn): Val {
  const d = st.d;
  const raw = readGpr(st, op.reg);
  const mod = op.modifier;
  if (mod === undefined) return op.reg.width === w ? raw : op.reg.width > w ? d.extract(op.reg.width, raw, w - 1, 0) : d.zext(op.reg.width, raw, w);
  const amount = constNum(insn, mod.amount, 0);
  if (isExtend(mod.op)) return shiftBy(d, w, extendBy(d, op.reg.width, raw, mod.op, w), 'lsl', amount);
  return shiftBy(d, w, op.reg.width === w ? raw : d.zext(op.reg.width, raw, w), mod.op, amount);
}

// ---------------------------------------------------------------------------------------------
// Flags and conditions
// ---------------------------------------------------------------------------------------------

/** `x + y + carry` at width w with the NZCV it sets (AArch64 AddWithCarry). */
export function addWithCarry(d: D, w: number, x: Val, y: Val, carry: Val): { result: Val; nzcv: Val } {
  const wide = d.add(w + 1, d.add(w + 1, d.zext(w, x, w + 1), d.zext(w, y, w + 1)), d.zext(1, carry, w + 1));
  const result = d.extract(w + 1, wide, w - 1, 0);
  const n = d.extract(w, result, w - 1, w - 1);
  const z = d.fromBool(d.eq(w, result, d.bv(w, 0n)));
  const c = d.extract(w + 1, wide, w, w);
  // Signed overflow: both inputs have the same sign and the result's differs.
  const v = d.extract(w, d.and(w, d.xor(w, x, result), d.xor(w, y, result)), w - 1, w - 1);
  return { result, nzcv: nzcvOf(d, n, z, c, v) };
}

/** Packs four 1-bit values into the 4-bit NZCV (N at bit 3). */
export function nzcvOf(d: D, n: Val, z: Val, c: Val, v: Val): Val {
  return d.concat(2, d.concat(1, n, 1, z), 2, d.concat(1, c, 1, v));
}

/** NZCV of a logical result (ands, bics, tst): N and Z from the result, C = V = 0. */
export function logicFlags(d: D, w: number, result: Val): Val {
  const n = d.extract(w, result, w - 1, w - 1);
  const z = d.fromBool(d.eq(w, result, d.bv(w, 0n)));
  return nzcvOf(d, n, z, d.bv(1, 0n), d.bv(1, 0n));
}

/** Whether condition `cond` (eq, ne, ..., al, nv; hs/lo aliases) holds for the flags. */
export function condHolds(st: St, cond: string): Bool {
  const d = st.d;
  const f = st.get('nzcv');
  const bit = (i: number): Bool => d.toBool(d.extract(4, f, i, i));
  const N = (): Bool => bit(3);
  const Z = (): Bool => bit(2);
  const C = (): Bool => bit(1);
  const V = (): Bool => bit(0);
  switch (cond.toLowerCase()) {
    case 'eq': return Z();
    case 'ne': return d.bnot(Z());
    case 'cs': case 'hs': return C();
    case 'cc': case 'lo': return d.bnot(C());
    case 'mi': return N();
    case 'pl': return d.bnot(N());
    case 'vs': return V();
    case 'vc': return d.bnot(V());
    case 'hi': return d.band(C(), d.bnot(Z()));
    case 'ls': return d.bnot(d.band(C(), d.bnot(Z())));
    case 'ge': return d.bnot(d.bxor(N(), V()));
    case 'lt': return d.bxor(N(), V());
    case 'gt': return d.band(d.bnot(Z()), d.bnot(d.bxor(N(), V())));
    case 'le': return d.bor(Z(), d.bxor(N(), V()));
    case 'al': case 'nv': return d.bool(true);
  }
  throw new SemanticsError(`unknown condition ${cond}`);
}

/** The condition-code operand at index i. */
export function condOp(insn: Insn, i: number): string {
  const op = opAt(insn, i);
  if (op.kind !== 'name') throw new SemanticsError(`${insn.mnemonic}: operand ${i + 1} is not a condition`);
  return op.text;
}

/** The inverse condition (for cset/cinc and friends, which are csinc with the condition inverted). */
export function invertCond(cond: string): string {
  const inv: Record<string, string> = {
    eq: 'ne', ne: 'eq', cs: 'cc', hs: 'lo', cc: 'cs', lo: 'hs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs',
    hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt', al: 'nv', nv: 'al',
  };
  const r = inv[cond.toLowerCase()];
  if (r === undefined) throw new SemanticsError(`unknown condition ${cond}`);
  return r;
}
