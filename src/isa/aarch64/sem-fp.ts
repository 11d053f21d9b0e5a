// AArch64 scalar floating-point semantics: moves, arithmetic, fused multiply-add, comparisons,
// conditional select, precision and integer conversions, rounding to integral, min/max.
//
// What is modelled:
// - FPCR is the pseudo-register `fpcr`; a machine that never writes it reads 0, the reset value
//   that Unicorn (and Linux user space) has: round to nearest even, DN = 0 (NaNs propagate),
//   FZ = 0 (denormals are not flushed), no traps. Only DN (bit 25) is read: the verifier sets it
//   to compare with RISC-V, whose NaN results are always the canonical NaN. Instructions with
//   their own rounding (fcvtzs: toward zero, frintm: down, ...) use it.
// - NaN propagation with DN = 0: the first signalling NaN operand, quieted, else the first quiet
//   NaN operand, else the default NaN for an invalid operation (the Domain's result). fmadd and
//   friends check the addend first and negate operands before propagation, as the pseudocode
//   does; fnmul negates its result, NaN included. With DN = 1 every NaN result is the default NaN.
// - FP exception flags (FPSR) are NOT modelled; comparisons with other machines exclude FPSR.

import type { FpWidth, RoundingMode } from '../sem.js';
import { defaultNaN } from '../softfloat.js';
import { FPCR } from './registers.js';
import {
  type Bool, type D, type FormFn, type Insn, type St, type Val, NEXT, SemanticsError,
  condHolds, condOp, immNum, opAt, readFpr, readGpr, reg, writeFpr, writeGpr,
} from './sem-common.js';

// ---------------------------------------------------------------------------------------------
// NaN rules
// ---------------------------------------------------------------------------------------------

function quietBit(fw: FpWidth): bigint {
  return 1n << BigInt(fw === 32 ? 22 : 51);
}

export function isSNaN(d: D, fw: FpWidth, a: Val): Bool {
  return d.band(d.fisNaN(fw, a), d.eq(fw, d.and(fw, a, d.bv(fw, quietBit(fw))), d.bv(fw, 0n)));
}

export function isQNaN(d: D, fw: FpWidth, a: Val): Bool {
  return d.band(d.fisNaN(fw, a), d.bnot(d.eq(fw, d.and(fw, a, d.bv(fw, quietBit(fw))), d.bv(fw, 0n))));
}

function quiet(d: D, fw: FpWidth, a: Val): Val {
  return d.or(fw, a, d.bv(fw, quietBit(fw)));
}

/** Bit 25 of FPCR: NaN results are the default NaN instead of a propagated operand. */
const FPCR_DN = 25;

/** FPCR.DN of the state, as a boolean of its domain. */
export function defaultNaNMode(st: St): Bool {
  const d = st.d;
  return d.eq(1, d.extract(64, st.get(FPCR), FPCR_DN, FPCR_DN), d.bv(1, 1n));
}

/**
 * FPProcessNaNs for any number of operands: the first signalling NaN (quieted), else the first
 * quiet NaN, else `result`. With `dn` (FPCR.DN) it is `result`, whose NaNs are the default NaN.
 */
export function processNaNs(d: D, fw: FpWidth, ops: readonly Val[], result: Val, dn: Bool): Val {
  let r = result;
  for (let i = ops.length - 1; i >= 0; i--) r = d.ite(fw, d.fisNaN(fw, ops[i]!), ops[i]!, r);
  for (let i = ops.length - 1; i >= 0; i--) r = d.ite(fw, isSNaN(d, fw, ops[i]!), quiet(d, fw, ops[i]!), r);
  return d.ite(fw, dn, result, r);
}

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

function fpWidth(insn: Insn, i: number): FpWidth {
  const w = reg(insn, i).width;
  if (w !== 32 && w !== 64) throw new SemanticsError(`${insn.mnemonic}: only single and double precision are modelled`);
  return w;
}

function src(st: St, insn: Insn, i: number): Val {
  return readFpr(st, reg(insn, i));
}

/** Bits of an FP immediate at width fw (fmov's immediates are exact in both formats). */
export function fpBits(fw: FpWidth, value: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  if (fw === 32) {
    dv.setFloat32(0, value);
    return BigInt(dv.getUint32(0));
  }
  dv.setFloat64(0, value);
  return dv.getBigUint64(0);
}

/** The second comparison operand: a register or `#0.0`. */
function cmpOperand(st: St, insn: Insn, i: number, fw: FpWidth): Val {
  const op = opAt(insn, i);
  if (op.kind === 'reg') return readFpr(st, op.reg);
  return st.d.bv(fw, 0n);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

type Binary = 'add' | 'sub' | 'mul' | 'div';

function binop(d: D, op: Binary, fw: FpWidth, a: Val, b: Val): Val {
  switch (op) {
    case 'add': return d.fadd(fw, 'rne', a, b);
    case 'sub': return d.fsub(fw, 'rne', a, b);
    case 'mul': return d.fmul(fw, 'rne', a, b);
    case 'div': return d.fdiv(fw, 'rne', a, b);
  }
}

/** The value of a binary operation at width fw with NaN propagation. */
export function fpBinary(d: D, op: Binary, fw: FpWidth, a: Val, b: Val, dn: Bool): Val {
  return processNaNs(d, fw, [a, b], binop(d, op, fw, a, b), dn);
}

function arith(op: Binary, negate = false): FormFn {
  return (st, insn) => {
    const d = st.d;
    const fw = fpWidth(insn, 0);
    const r = fpBinary(d, op, fw, src(st, insn, 1), src(st, insn, 2), defaultNaNMode(st));
    writeFpr(st, reg(insn, 0), negate ? d.fneg(fw, r) : r);
    return NEXT;
  };
}

/** fmax/fmin: NaNs propagate; +0 is larger than -0. */
export function fpMax(d: D, fw: FpWidth, max: boolean, a: Val, b: Val, dn: Bool): Val {
  // Equal numbers have equal bits except for the two zeros, where max keeps +0 (and of the sign
  // bits) and min keeps -0 (or of the sign bits).
  const equal = max ? d.and(fw, a, b) : d.or(fw, a, b);
  const pick = d.ite(fw, d.flt(fw, a, b), max ? b : a, max ? a : b);
  // A NaN operand makes flt and feq false, so `pick` is not a NaN result: default it for DN.
  const result = d.ite(fw, d.bor(d.fisNaN(fw, a), d.fisNaN(fw, b)), d.bv(fw, defaultNaN(fw)), d.ite(fw, d.feq(fw, a, b), equal, pick));
  return processNaNs(d, fw, [a, b], result, dn);
}

/** fmaxnm/fminnm: a quiet NaN against a number loses (it becomes -inf for max, +inf for min). */
export function fpMaxNum(d: D, fw: FpWidth, max: boolean, a: Val, b: Val, dn: Bool): Val {
  const inf = d.bv(fw, fw === 32 ? (max ? 0xff800000n : 0x7f800000n) : max ? 0xfff0000000000000n : 0x7ff0000000000000n);
  const qa = isQNaN(d, fw, a);
  const qb = isQNaN(d, fw, b);
  const a2 = d.ite(fw, d.band(qa, d.bnot(qb)), inf, a);
  const b2 = d.ite(fw, d.band(d.bnot(qa), qb), inf, b);
  return fpMax(d, fw, max, a2, b2, dn);
}

function minmax(max: boolean, num: boolean): FormFn {
  return (st, insn) => {
    const fw = fpWidth(insn, 0);
    const f = num ? fpMaxNum : fpMax;
    writeFpr(st, reg(insn, 0), f(st.d, fw, max, src(st, insn, 1), src(st, insn, 2), defaultNaNMode(st)));
    return NEXT;
  };
}

/** fmadd (a + n*m), fmsub (a - n*m), fnmadd (-a - n*m), fnmsub (-a + n*m). */
function fused(negAddend: boolean, negProduct: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const fw = fpWidth(insn, 0);
    // The pseudocode negates before NaN processing, so a NaN operand comes out with its sign flipped.
    let n = src(st, insn, 1);
    const m = src(st, insn, 2);
    let a = src(st, insn, 3);
    if (negProduct) n = d.fneg(fw, n);
    if (negAddend) a = d.fneg(fw, a);
    const zeroInf = (x: Val, y: Val): Bool => {
      const ax = d.fabs(fw, x);
      const ay = d.fabs(fw, y);
      const inf = d.bv(fw, fw === 32 ? 0x7f800000n : 0x7ff0000000000000n);
      return d.band(d.eq(fw, ax, inf), d.eq(fw, ay, d.bv(fw, 0n)));
    };
    const r = processNaNs(d, fw, [a, n, m], d.ffma(fw, 'rne', n, m, a), defaultNaNMode(st));
    // A quiet-NaN addend with an invalid product gives the default NaN, not the addend.
    const invalid = d.band(isQNaN(d, fw, a), d.bor(zeroInf(n, m), zeroInf(m, n)));
    writeFpr(st, reg(insn, 0), d.ite(fw, invalid, d.bv(fw, defaultNaN(fw)), r));
    return NEXT;
  };
}

function unaryFp(f: (d: D, fw: FpWidth, a: Val, dn: Bool) => Val): FormFn {
  return (st, insn) => {
    const fw = fpWidth(insn, 0);
    writeFpr(st, reg(insn, 0), f(st.d, fw, src(st, insn, 1), defaultNaNMode(st)));
    return NEXT;
  };
}

const fabs = unaryFp((d, fw, a) => d.fabs(fw, a));
const fneg = unaryFp((d, fw, a) => d.fneg(fw, a));
const fsqrt = unaryFp((d, fw, a, dn) => processNaNs(d, fw, [a], d.fsqrt(fw, 'rne', a), dn));

/**
 * Round to integral in `rm`. Values of magnitude 2^(mantissa bits) and up, infinities and zeros
 * are already integral; the rest fit a 64-bit integer, so a round trip through one is exact. The
 * sign is kept, so -0.4 rounds to -0.
 */
export function roundIntegral(d: D, fw: FpWidth, rm: RoundingMode, a: Val, dn: Bool): Val {
  const big = d.bv(fw, fw === 32 ? 0x4b000000n : 0x4330000000000000n); // 2^23, 2^52
  const mag = d.fabs(fw, a);
  const sign = d.bv(fw, 1n << BigInt(fw - 1));
  const integral = d.bnot(d.flt(fw, mag, big)); // also true for NaN, handled below
  // Only values that fit go through an integer (the others give 0.0 there, and are not used).
  const rounded = d.fromInt(64, true, fw, rm, d.toInt(fw, 64, true, rm, d.ite(fw, integral, d.bv(fw, 0n), a), 0n));
  const withSign = d.or(fw, rounded, d.and(fw, a, sign));
  const result = d.ite(fw, d.fisNaN(fw, a), d.bv(fw, defaultNaN(fw)), d.ite(fw, integral, a, withSign));
  return processNaNs(d, fw, [a], result, dn);
}

function frint(rm: RoundingMode): FormFn {
  return unaryFp((d, fw, a, dn) => roundIntegral(d, fw, rm, a, dn));
}

// ---------------------------------------------------------------------------------------------
// Comparisons and selects
// ---------------------------------------------------------------------------------------------

/** NZCV of an FP comparison: unordered 0011, equal 0110, less 1000, greater 0010. */
export function fpCompareFlags(d: D, fw: FpWidth, a: Val, b: Val): Val {
  const unordered = d.bor(d.fisNaN(fw, a), d.fisNaN(fw, b));
  return d.ite(4, unordered, d.bv(4, 0b0011n), d.ite(4, d.feq(fw, a, b), d.bv(4, 0b0110n), d.ite(4, d.flt(fw, a, b), d.bv(4, 0b1000n), d.bv(4, 0b0010n))));
}

/** fcmp/fcmpe (they differ only in which NaNs raise Invalid Operation, which is not modelled). */
const fcmp: FormFn = (st, insn) => {
  const fw = fpWidth(insn, 0);
  st.set('nzcv', fpCompareFlags(st.d, fw, src(st, insn, 0), cmpOperand(st, insn, 1, fw)));
  return NEXT;
};

/** fccmp/fccmpe n, m, #nzcv, cond. */
const fccmp: FormFn = (st, insn) => {
  const d = st.d;
  const fw = fpWidth(insn, 0);
  const c = condHolds(st, condOp(insn, 3));
  st.set('nzcv', d.ite(4, c, fpCompareFlags(d, fw, src(st, insn, 0), src(st, insn, 1)), d.bv(4, BigInt(immNum(insn, 2)))));
  return NEXT;
};

const fcsel: FormFn = (st, insn) => {
  const fw = fpWidth(insn, 0);
  const c = condHolds(st, condOp(insn, 3));
  writeFpr(st, reg(insn, 0), st.d.ite(fw, c, src(st, insn, 1), src(st, insn, 2)));
  return NEXT;
};

// ---------------------------------------------------------------------------------------------
// Moves
// ---------------------------------------------------------------------------------------------

/** fmov between FP registers, or of an immediate. */
const fmovFp: FormFn = (st, insn) => {
  const r = reg(insn, 0);
  const op = opAt(insn, 1);
  if (op.kind === 'reg') writeFpr(st, r, readFpr(st, op.reg, r.width));
  else if (op.kind === 'fpimm' || op.kind === 'imm') {
    const fw = fpWidth(insn, 0);
    const value = op.kind === 'fpimm' ? op.value : Number(op.expr.kind === 'num' ? op.expr.value : NaN);
    writeFpr(st, r, st.d.bv(fw, fpBits(fw, value)));
  } else throw new SemanticsError('fmov: bad source');
  return NEXT;
};

/** fmov between an integer and an FP register, bits unchanged (`fmov d0, x1`, `fmov w0, s1`). */
const fmovGpr: FormFn = (st, insn) => {
  const dst = reg(insn, 0);
  const s = reg(insn, 1);
  if (dst.file === 'gpr') writeGpr(st, dst, readFpr(st, s, dst.width));
  else writeFpr(st, dst, readGpr(st, s));
  return NEXT;
};

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

/**
 * fcvt between single and double: NaNs keep sign and payload (truncated or widened), quieted;
 * with `dn` (FPCR.DN) they become the default NaN.
 */
export function fpConvert(d: D, from: FpWidth, to: FpWidth, a: Val, dn: Bool): Val {
  const converted = d.fconvert(from, to, 'rne', a);
  const sign = d.extract(from, a, from - 1, from - 1);
  let nan: Val;
  if (from === 32 && to === 64) {
    // s:1 | 0x7ff | 1 | frac<21:0> | 29 zeros
    const head = d.concat(1, sign, 12, d.bv(12, 0xfffn));
    nan = d.concat(13, head, 51, d.concat(22, d.extract(32, a, 21, 0), 29, d.bv(29, 0n)));
  } else if (from === 64 && to === 32) {
    // s:1 | 0xff | 1 | frac<50:29>
    nan = d.concat(1, sign, 31, d.concat(9, d.bv(9, 0x1ffn), 22, d.extract(64, a, 50, 29)));
  } else {
    return a;
  }
  return d.ite(to, d.band(d.fisNaN(from, a), d.bnot(dn)), nan, converted);
}

const fcvt: FormFn = (st, insn) => {
  const to = fpWidth(insn, 0);
  const from = fpWidth(insn, 1);
  writeFpr(st, reg(insn, 0), fpConvert(st.d, from, to, src(st, insn, 1), defaultNaNMode(st)));
  return NEXT;
};

/** scvtf/ucvtf from an integer register, or from an integer in an FP register of the same size;
 * with `#fbits` the integer is fixed point: one rounding, since scaling by 2^-fbits is exact. */
function intToFp(signed: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const fw = fpWidth(insn, 0);
    const s = reg(insn, 1);
    const v = s.file === 'gpr' ? readGpr(st, s) : readFpr(st, s);
    let r = d.fromInt(s.width, signed, fw, 'rne', v);
    if (insn.operands.length === 3) r = d.fmul(fw, 'rne', r, d.bv(fw, fpBits(fw, 2 ** -immNum(insn, 2))));
    writeFpr(st, reg(insn, 0), r);
    return NEXT;
  };
}

/** fcvt[zamnp][su]: saturating conversion with its own rounding; NaN converts to 0. */
function fpToInt(signed: boolean, rm: RoundingMode): FormFn {
  return (st, insn) => {
    const dst = reg(insn, 0);
    const s = reg(insn, 1);
    const fw = fpWidth(insn, 1);
    let a = readFpr(st, s);
    // Fixed point (`fcvtzs w0, d0, #fbits`): scaling by 2^fbits is exact short of overflow, which
    // saturates the same way, so the one rounding stays in toInt.
    if (insn.operands.length === 3) a = st.d.fmul(fw, 'rne', a, st.d.bv(fw, fpBits(fw, 2 ** immNum(insn, 2))));
    const v = st.d.toInt(fw, dst.width, signed, rm, a, 0n);
    if (dst.file === 'gpr') writeGpr(st, dst, v);
    else writeFpr(st, dst, v);
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------

const ROUNDINGS: readonly [string, RoundingMode][] = [['z', 'rtz'], ['a', 'rmm'], ['m', 'rdn'], ['n', 'rne'], ['p', 'rup']];

/** Scalar FP forms, keyed by the table's form names. */
export const FP_FORMS: ReadonlyMap<string, FormFn> = new Map<string, FormFn>([
  ['fmov.fp', fmovFp],
  ['fmov.fpgpr', fmovGpr],
  ['fadd.fp', arith('add')],
  ['fsub.fp', arith('sub')],
  ['fmul.fp', arith('mul')],
  ['fdiv.fp', arith('div')],
  ['fnmul.fp', arith('mul', true)],
  ['fmax.fp', minmax(true, false)],
  ['fmin.fp', minmax(false, false)],
  ['fmaxnm.fp', minmax(true, true)],
  ['fminnm.fp', minmax(false, true)],
  ['fmadd.fp', fused(false, false)],
  ['fmsub.fp', fused(false, true)],
  ['fnmadd.fp', fused(true, true)],
  ['fnmsub.fp', fused(true, false)],
  ['fabs.fp', fabs],
  ['fneg.fp', fneg],
  ['fsqrt.fp', fsqrt],
  ['frintn.fp', frint('rne')],
  ['frintp.fp', frint('rup')],
  ['frintm.fp', frint('rdn')],
  ['frintz.fp', frint('rtz')],
  ['frinta.fp', frint('rmm')],
  ['frintx.fp', frint('rne')],
  ['frinti.fp', frint('rne')],
  ['fcmp.fp', fcmp],
  ['fcmpe.fp', fcmp],
  ['fccmp.fp', fccmp],
  ['fccmpe.fp', fccmp],
  ['fcsel.fp', fcsel],
  ['fcvt.fp', fcvt],
  ['scvtf.fpgpr', intToFp(true)],
  ['ucvtf.fpgpr', intToFp(false)],
  ['scvtf.fp', intToFp(true)],
  ['ucvtf.fp', intToFp(false)],
  ...ROUNDINGS.flatMap(([letter, rm]): [string, FormFn][] => [
    [`fcvt${letter}s.fpgpr`, fpToInt(true, rm)],
    [`fcvt${letter}u.fpgpr`, fpToInt(false, rm)],
    [`fcvt${letter}s.fp`, fpToInt(true, rm)],
    [`fcvt${letter}u.fp`, fpToInt(false, rm)],
  ]),
]);
