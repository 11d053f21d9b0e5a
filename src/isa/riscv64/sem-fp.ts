// RISC-V 64 floating-point (F and D) and FP CSR semantics, on top of the Domain's IEEE-754
// operations. The ISA rules live here: single-precision values are NaN-boxed in the 64-bit f
// registers (written with the upper 32 bits all ones; an input that is not boxed reads as the
// canonical NaN), every NaN result is the canonical NaN (the Domain's default NaN), fmin/fmax
// follow IEEE 754-2019 minimumNumber/maximumNumber with -0 < +0, and float-to-integer conversions
// saturate, with NaN converting to the largest positive value.
//
// Not modeled: the accrued exception flags. FP operations leave `fflags` unchanged; only the CSR
// instructions read and write it. The dynamic rounding mode (`dyn` or no operand) is taken as
// round-to-nearest-even, the frm value every C program runs with.

import type { Domain, FpWidth, RoundingMode } from '../sem.js';
import { defaultNaN } from '../softfloat.js';
import { addrAt, auipcPart, getX, immAt, regId, xd, xs, type Insn, type St } from './sem-common.js';
import type { FormSem } from './sem-int.js';

const NEXT = { kind: 'next' } as const;

// ---------------------------------------------------------------------------------------------
// NaN-boxing and operand access
// ---------------------------------------------------------------------------------------------

const BOX = 0xffff_ffffn;

/** Reads f register `id` as a value of width fw: a single must be properly NaN-boxed. */
export function readF<V, B, M>(st: St<V, B, M>, id: string, fw: FpWidth): V {
  const d = st.d;
  const raw = st.get(id);
  if (fw === 64) return raw;
  const boxed = d.eq(32, d.extract(64, raw, 63, 32), d.bv(32, BOX));
  return d.ite(32, boxed, d.extract(64, raw, 31, 0), d.bv(32, defaultNaN(32)));
}

/** Writes a value of width fw to f register `id`, NaN-boxing a single. */
export function writeF<V, B, M>(st: St<V, B, M>, id: string, fw: FpWidth, v: V): void {
  st.set(id, fw === 64 ? v : st.d.concat(32, st.d.bv(32, BOX), 32, v));
}

const fs = <V, B, M>(st: St<V, B, M>, insn: Insn, i: number, fw: FpWidth): V => readF(st, regId(insn.operands[i]), fw);
const fd = <V, B, M>(st: St<V, B, M>, insn: Insn, i: number, fw: FpWidth, v: V): void => writeF(st, regId(insn.operands[i]), fw, v);

const STATIC_RM: Readonly<Record<string, RoundingMode>> = { rne: 'rne', rtz: 'rtz', rdn: 'rdn', rup: 'rup', rmm: 'rmm', dyn: 'rne' };

/** The rounding-mode operand (last, optional); `dyn` and none mean frm, taken as RNE. */
function rmOf(insn: Insn): RoundingMode {
  const last = insn.operands[insn.operands.length - 1];
  return last?.kind === 'name' ? (STATIC_RM[last.text] ?? 'rne') : 'rne';
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

type Arith2 = <V, B, M>(d: Domain<V, B, M>, fw: FpWidth, rm: RoundingMode, a: V, b: V) => V;

/** Binary arithmetic by operation name (without the `.s`/`.d` suffix). */
export const ARITH2: Readonly<Record<string, Arith2>> = {
  fadd: (d, fw, rm, a, b) => d.fadd(fw, rm, a, b),
  fsub: (d, fw, rm, a, b) => d.fsub(fw, rm, a, b),
  fmul: (d, fw, rm, a, b) => d.fmul(fw, rm, a, b),
  fdiv: (d, fw, rm, a, b) => d.fdiv(fw, rm, a, b),
};

/** `fop.fmt fd, fs1, fs2[, rm]`. */
export function arith2(op: Arith2, fw: FpWidth): FormSem {
  return (st, insn) => {
    fd(st, insn, 0, fw, op(st.d, fw, rmOf(insn), fs(st, insn, 1, fw), fs(st, insn, 2, fw)));
    return NEXT;
  };
}

/** `fsqrt.fmt fd, fs[, rm]`. */
export function fsqrt(fw: FpWidth): FormSem {
  return (st, insn) => {
    fd(st, insn, 0, fw, st.d.fsqrt(fw, rmOf(insn), fs(st, insn, 1, fw)));
    return NEXT;
  };
}

/**
 * The fused forms, one rounding each: fmadd = a*b + c, fmsub = a*b - c, fnmsub = -(a*b) + c,
 * fnmadd = -(a*b) - c. Negating an operand is exact, so each is one ffma.
 */
export const FMA: Readonly<Record<string, readonly [negProduct: boolean, negAddend: boolean]>> = {
  fmadd: [false, false],
  fmsub: [false, true],
  fnmsub: [true, false],
  fnmadd: [true, true],
};

/** `fmadd.fmt fd, fs1, fs2, fs3[, rm]` and the other three. */
export function fma(negProduct: boolean, negAddend: boolean, fw: FpWidth): FormSem {
  return (st, insn) => {
    const d = st.d;
    const a = fs(st, insn, 1, fw);
    const c = fs(st, insn, 3, fw);
    fd(st, insn, 0, fw, d.ffma(fw, rmOf(insn), negProduct ? d.fneg(fw, a) : a, fs(st, insn, 2, fw), negAddend ? d.fneg(fw, c) : c));
    return NEXT;
  };
}

/**
 * `fmin`/`fmax`: the non-NaN operand when exactly one is NaN (signalling or quiet), the
 * canonical NaN when both are, and -0 below +0. Equal operands differ only for zeros, so the
 * OR (min) or AND (max) of their bits gives the right zero and the common value otherwise.
 */
export function fminmax(max: boolean, fw: FpWidth): FormSem {
  return (st, insn) => {
    const d = st.d;
    const a = fs(st, insn, 1, fw);
    const b = fs(st, insn, 2, fw);
    const an = d.fisNaN(fw, a);
    const bn = d.fisNaN(fw, b);
    const aWins = max ? d.flt(fw, b, a) : d.flt(fw, a, b);
    const bWins = max ? d.flt(fw, a, b) : d.flt(fw, b, a);
    const tie = max ? d.and(fw, a, b) : d.or(fw, a, b);
    const ordered = d.ite(fw, aWins, a, d.ite(fw, bWins, b, tie));
    const r = d.ite(fw, d.band(an, bn), d.bv(fw, defaultNaN(fw)), d.ite(fw, an, b, d.ite(fw, bn, a, ordered)));
    fd(st, insn, 0, fw, r);
    return NEXT;
  };
}

/** Sign injection: the sign bit from fs2 (`j`), its complement (`jn`) or the XOR (`jx`). */
export function fsgnj(kind: 'j' | 'jn' | 'jx', fw: FpWidth): FormSem {
  return (st, insn) => {
    const d = st.d;
    const a = fs(st, insn, 1, fw);
    const b = fs(st, insn, 2, fw);
    const sa = d.extract(fw, a, fw - 1, fw - 1);
    const sb = d.extract(fw, b, fw - 1, fw - 1);
    const sign = kind === 'j' ? sb : kind === 'jn' ? d.not(1, sb) : d.xor(1, sa, sb);
    fd(st, insn, 0, fw, d.concat(1, sign, fw - 1, d.extract(fw, a, fw - 2, 0)));
    return NEXT;
  };
}

/** `fmv.fmt`, `fneg.fmt`, `fabs.fmt fd, fs`: fsgnj, fsgnjn and fsgnjx with fs2 = fs1. */
export function fsgnjSame(kind: 'j' | 'jn' | 'jx', fw: FpWidth): FormSem {
  const f = fsgnj(kind, fw);
  return (st, insn) => f(st, { ...insn, operands: [insn.operands[0]!, insn.operands[1]!, insn.operands[1]!] });
}

// ---------------------------------------------------------------------------------------------
// Comparisons and classification
// ---------------------------------------------------------------------------------------------

type FCmp = <V, B, M>(d: Domain<V, B, M>, fw: FpWidth, a: V, b: V) => B;

/** Quiet (`feq`) and signalling (`flt`, `fle`) comparisons; `fgt`/`fge` swap the operands. */
export const FCMP: Readonly<Record<string, FCmp>> = {
  feq: (d, fw, a, b) => d.feq(fw, a, b),
  flt: (d, fw, a, b) => d.flt(fw, a, b),
  fle: (d, fw, a, b) => d.fle(fw, a, b),
  fgt: (d, fw, a, b) => d.flt(fw, b, a),
  fge: (d, fw, a, b) => d.fle(fw, b, a),
};

/** `fcmp.fmt rd, fs1, fs2`: rd = 1 or 0 (false for NaN operands). */
export function fcmp(op: FCmp, fw: FpWidth): FormSem {
  return (st, insn) => {
    const d = st.d;
    xd(st, insn, 0, d.zext(1, d.fromBool(op(d, fw, fs(st, insn, 1, fw), fs(st, insn, 2, fw))), 64));
    return NEXT;
  };
}

/**
 * `fclass.fmt rd, fs`: one bit set, from bit 0 to 9: -inf, -normal, -subnormal, -0, +0,
 * +subnormal, +normal, +inf, signalling NaN, quiet NaN.
 */
export function fclass(fw: FpWidth): FormSem {
  const expBits = fw === 32 ? 8 : 11;
  const fracBits = fw - 1 - expBits;
  return (st, insn) => {
    const d = st.d;
    const a = fs(st, insn, 1, fw);
    const neg = d.toBool(d.extract(fw, a, fw - 1, fw - 1));
    const exp = d.extract(fw, a, fw - 2, fracBits);
    const frac = d.extract(fw, a, fracBits - 1, 0);
    const expMax = d.eq(expBits, exp, d.bv(expBits, -1n));
    const expZero = d.eq(expBits, exp, d.bv(expBits, 0n));
    const fracZero = d.eq(fracBits, frac, d.bv(fracBits, 0n));
    const quiet = d.toBool(d.extract(fw, a, fracBits - 1, fracBits - 1));
    const bit = (n: number): ReturnType<typeof d.bv> => d.bv(64, 1n << BigInt(n));
    const signed = (negBit: number, posBit: number): ReturnType<typeof d.bv> => d.ite(64, neg, bit(negBit), bit(posBit));
    const r = d.ite(64, expMax,
      d.ite(64, fracZero, signed(0, 7), d.ite(64, quiet, bit(9), bit(8))),
      d.ite(64, expZero, d.ite(64, fracZero, signed(3, 4), signed(2, 5)), signed(1, 6)));
    xd(st, insn, 0, r);
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// Conversions and moves
// ---------------------------------------------------------------------------------------------

/**
 * `fcvt.{w,wu,l,lu}.fmt rd, fs[, rm]`: saturating; NaN gives the largest positive value. The
 * 32-bit results are sign-extended to 64 bits (also for `wu`: 0xffffffff becomes all ones).
 */
export function fcvtToInt(w: 32 | 64, signed: boolean, fw: FpWidth): FormSem {
  const nan = signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
  return (st, insn) => {
    const d = st.d;
    const r = d.toInt(fw, w, signed, rmOf(insn), fs(st, insn, 1, fw), nan);
    xd(st, insn, 0, w === 64 ? r : d.sext(32, r, 64));
    return NEXT;
  };
}

/** `fcvt.fmt.{w,wu,l,lu} fd, rs[, rm]`: the low 32 bits of rs for w/wu. */
export function fcvtFromInt(w: 32 | 64, signed: boolean, fw: FpWidth): FormSem {
  return (st, insn) => {
    const d = st.d;
    const x = xs(st, insn, 1);
    fd(st, insn, 0, fw, d.fromInt(w, signed, fw, rmOf(insn), w === 64 ? x : d.extract(64, x, 31, 0)));
    return NEXT;
  };
}

/** `fcvt.s.d` (rounds) and `fcvt.d.s` (exact); NaN becomes the canonical NaN. */
export function fcvtFloat(from: FpWidth, to: FpWidth): FormSem {
  return (st, insn) => {
    fd(st, insn, 0, to, st.d.fconvert(from, to, rmOf(insn), fs(st, insn, 1, from)));
    return NEXT;
  };
}

/** `fmv.x.w rd, fs`: the raw low 32 bits, sign-extended (no NaN-box check); `fmv.x.d` raw. */
export function fmvToX(fw: FpWidth): FormSem {
  return (st, insn) => {
    const d = st.d;
    const raw = st.get(regId(insn.operands[1]));
    xd(st, insn, 0, fw === 64 ? raw : d.sext(32, d.extract(64, raw, 31, 0), 64));
    return NEXT;
  };
}

/** `fmv.w.x fd, rs`: the low 32 bits, NaN-boxed; `fmv.d.x` raw. */
export function fmvFromX(fw: FpWidth): FormSem {
  return (st, insn) => {
    const x = xs(st, insn, 1);
    fd(st, insn, 0, fw, fw === 64 ? x : st.d.extract(64, x, 31, 0));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// FP loads and stores
// ---------------------------------------------------------------------------------------------

/** `flw`/`fld fd, off(base)` and `flw fd, sym, tmp` (tmp keeps the auipc result). */
export function fload(fw: FpWidth): FormSem {
  return (st, insn) => {
    const tmp = insn.operands.length === 3 ? regId(insn.operands[2]) : '';
    const addr = addrAt(st, insn, 1, tmp);
    fd(st, insn, 0, fw, st.d.load(st.mem, addr, fw / 8));
    if (tmp) xd(st, insn, 2, auipcPart(st, immAt(st, insn, 1)));
    return NEXT;
  };
}

/** `fsw`/`fsd fs, off(base)`: the raw low 32 (64) bits, boxed or not. */
export function fstore(fw: FpWidth): FormSem {
  return (st, insn) => {
    const d = st.d;
    const raw = st.get(regId(insn.operands[0]));
    const tmp = insn.operands.length === 3 ? regId(insn.operands[2]) : '';
    const addr = addrAt(st, insn, 1, tmp);
    st.mem = d.store(st.mem, addr, fw === 64 ? raw : d.extract(64, raw, 31, 0), fw / 8);
    if (tmp) xd(st, insn, 2, auipcPart(st, immAt(st, insn, 1)));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// FP control and status registers
// ---------------------------------------------------------------------------------------------

/** The FP CSRs by name and number: fflags (5 bits), frm (3 bits), fcsr = frm:fflags. */
export const FP_CSRS: Readonly<Record<string, 'fflags' | 'frm' | 'fcsr'>> = {
  fflags: 'fflags', frm: 'frm', fcsr: 'fcsr', '1': 'fflags', '2': 'frm', '3': 'fcsr',
};

/** The CSR an operand names, or undefined for one outside the FP CSRs. */
export function csrOf(insn: Insn, i: number): 'fflags' | 'frm' | 'fcsr' | undefined {
  const op = insn.operands[i];
  if (op?.kind === 'name') return FP_CSRS[op.text];
  if (op?.kind === 'imm' && op.expr.kind === 'num') return FP_CSRS[op.expr.value.toString()];
  return undefined;
}

function readCsr<V, B, M>(st: St<V, B, M>, csr: 'fflags' | 'frm' | 'fcsr'): V {
  const d = st.d;
  if (csr === 'fcsr') return d.zext(8, d.concat(3, st.get('frm'), 5, st.get('fflags')), 64);
  return d.zext(csr === 'frm' ? 3 : 5, st.get(csr), 64);
}

/** Writes a CSR; bits beyond its fields are dropped (fcsr keeps 8, frm 3, fflags 5). */
function writeCsr<V, B, M>(st: St<V, B, M>, csr: 'fflags' | 'frm' | 'fcsr', v: V): void {
  const d = st.d;
  if (csr === 'fcsr') {
    st.set('fflags', d.extract(64, v, 4, 0));
    st.set('frm', d.extract(64, v, 7, 5));
  } else st.set(csr, d.extract(64, v, csr === 'frm' ? 2 : 4, 0));
}

/** How a CSR instruction combines the old value with its source: write, set bits, clear bits. */
export type CsrOp = 'w' | 's' | 'c';

/**
 * The general CSR access: rd = old CSR value; CSR = old op source. `rdAt`/`csrAt`/`srcAt` are
 * operand positions (-1: absent, rd is x0, source is x0 for csrr); `srcImm` for the i forms.
 * A set or clear with a zero source register does not write, as the spec says (it matters
 * nowhere here, since the FP CSRs have no write side effects).
 */
export function csrAccess(op: CsrOp, rdAt: number, csrAt: number, srcAt: number, srcImm: boolean, fixed?: 'fflags' | 'frm' | 'fcsr'): FormSem {
  return (st, insn) => {
    const d = st.d;
    const csr = fixed ?? csrOf(insn, csrAt)!;
    const old = readCsr(st, csr);
    const src = srcAt < 0 ? d.bv(64, 0n) : srcImm ? d.and(64, immAt(st, insn, srcAt), d.bv(64, 31n)) : getX(st, regId(insn.operands[srcAt]));
    const next = op === 'w' ? src : op === 's' ? d.or(64, old, src) : d.and(64, old, d.not(64, src));
    if (!(op !== 'w' && srcAt < 0)) writeCsr(st, csr, next);
    if (rdAt >= 0) xd(st, insn, rdAt, old);
    return NEXT;
  };
}
