// The symbolic Domain: bit-vectors are Z3 BitVec terms, booleans Z3 Bool terms, and memory a Z3
// array from 64-bit addresses to bytes. Floating point uses Z3's IEEE-754 theory (exact for every
// rounding mode), converting at the boundary from and to bit patterns; NaN results become the
// default NaN explicitly, because Z3 leaves the bit pattern of a NaN unspecified.

import type { Bool, BitVec, Context, FP, FPRM, FPSort, SMTArray, BitVecSort } from 'z3-solver';
import { defaultNaN } from './softfloat.js';
import type { Domain, FpWidth, RoundingMode } from './sem.js';

/** The low-level Z3 API object returned by `init()`; only the FP entry points are used. */
export interface Z3LowLevel {
  mk_fpa_to_fp_bv(c: unknown, bv: unknown, s: unknown): unknown;
  mk_fpa_to_fp_float(c: unknown, rm: unknown, t: unknown, s: unknown): unknown;
  mk_fpa_to_fp_signed(c: unknown, rm: unknown, t: unknown, s: unknown): unknown;
  mk_fpa_to_fp_unsigned(c: unknown, rm: unknown, t: unknown, s: unknown): unknown;
  mk_fpa_to_sbv(c: unknown, rm: unknown, t: unknown, sz: number): unknown;
  mk_fpa_to_ubv(c: unknown, rm: unknown, t: unknown, sz: number): unknown;
  mk_fpa_round_to_integral(c: unknown, rm: unknown, t: unknown): unknown;
  mk_fpa_eq(c: unknown, a: unknown, b: unknown): unknown;
  mk_fpa_lt(c: unknown, a: unknown, b: unknown): unknown;
  mk_fpa_leq(c: unknown, a: unknown, b: unknown): unknown;
}

export type SymBV = BitVec<number, 'main'>;
export type SymBool = Bool<'main'>;
export type SymMem = SMTArray<'main', [BitVecSort<64, 'main'>], BitVecSort<8, 'main'>>;
export type SymbolicDomain = Domain<SymBV, SymBool, SymMem> & {
  /** A fresh unconstrained memory. */
  memory(name: string): SymMem;
  readonly ctx: Context<'main'>;
};

/** Builds the symbolic domain over a Z3 context (from `init()` of z3-solver). */
export function symbolicDomain(ctx: Context<'main'>, Z3: Z3LowLevel): SymbolicDomain {
  const { BitVec, Bool } = ctx;
  // High-level wrappers for raw ASTs made through the low-level API: reuse the classes of
  // existing terms, since the high-level API has no public constructor for them.
  const sorts: Record<FpWidth, FPSort<'main'>> = { 32: ctx.Float.sort32(), 64: ctx.Float.sort64() };
  const FPClass = ctx.Float.const('__gns_fp_witness', sorts[64]).constructor as new (ast: unknown) => FP<'main'>;
  const BVClass = BitVec.const('__gns_bv_witness', 8).constructor as new (ast: unknown) => SymBV;
  const BoolClass = Bool.const('__gns_bool_witness').constructor as new (ast: unknown) => SymBool;
  const rms: Record<RoundingMode, FPRM<'main'>> = {
    rne: ctx.FloatRM.RNE(),
    rtz: ctx.FloatRM.RTZ(),
    rdn: ctx.FloatRM.RTN(),
    rup: ctx.FloatRM.RTP(),
    rmm: ctx.FloatRM.RNA(),
  };
  const c = ctx.ptr;
  const ast = (x: { ast: unknown }): unknown => x.ast;
  const check = (w: number, v: SymBV): SymBV => {
    if (v.size() !== w) throw new Error(`width mismatch: expected ${w}, got ${v.size()}`);
    return v;
  };
  const bv = (w: number, v: bigint): SymBV => BitVec.val(v & ((1n << BigInt(w)) - 1n), w);
  const toFp = (fw: FpWidth, bits: SymBV): FP<'main'> => new FPClass(Z3.mk_fpa_to_fp_bv(c, ast(check(fw, bits)), sorts[fw].ptr));
  const fromFp = (fw: FpWidth, x: FP<'main'>): SymBV => ctx.If(x.isNaN(), bv(fw, defaultNaN(fw)), x.toIEEEBV()) as SymBV;
  const fpConst = (fw: FpWidth, value: number): FP<'main'> => ctx.Float.val(value, sorts[fw]);

  const domain: SymbolicDomain = {
    kind: 'symbolic',
    ctx,
    memory: (name) => ctx.Array.const(name, BitVec.sort(64), BitVec.sort(8)) as unknown as SymMem,
    bv,
    extract: (w, a, hi, lo) => check(w, a).extract(hi, lo),
    concat: (wh, hi, wl, lo) => ctx.Concat(check(wh, hi), check(wl, lo)),
    zext: (w, a, to) => (to === w ? a : check(w, a).zeroExt(to - w)),
    sext: (w, a, to) => (to === w ? a : check(w, a).signExt(to - w)),
    ite: (w, cond, a, b) => ctx.If(cond, check(w, a), check(w, b)) as SymBV,

    add: (w, a, b) => check(w, a).add(check(w, b)),
    sub: (w, a, b) => check(w, a).sub(check(w, b)),
    mul: (w, a, b) => check(w, a).mul(check(w, b)),
    udiv: (w, a, b) => check(w, a).udiv(check(w, b)),
    urem: (w, a, b) => check(w, a).urem(check(w, b)),
    sdiv: (w, a, b) => check(w, a).sdiv(check(w, b)),
    srem: (w, a, b) => check(w, a).srem(check(w, b)),
    neg: (w, a) => check(w, a).neg(),
    and: (w, a, b) => check(w, a).and(check(w, b)),
    or: (w, a, b) => check(w, a).or(check(w, b)),
    xor: (w, a, b) => check(w, a).xor(check(w, b)),
    not: (w, a) => check(w, a).not(),
    shl: (w, a, s) => check(w, a).shl(check(w, s)),
    lshr: (w, a, s) => check(w, a).lshr(check(w, s)),
    ashr: (w, a, s) => check(w, a).shr(check(w, s)),
    rotr: (w, a, s) => check(w, a).rotateRight(check(w, s).urem(bv(w, BigInt(w)))),
    clz(w, a) {
      // Scan from the low bit up so the highest set bit decides last.
      let r: SymBV = bv(w, BigInt(w));
      for (let i = 0; i < w; i++) r = ctx.If(check(w, a).extract(i, i).eq(bv(1, 1n)), bv(w, BigInt(w - 1 - i)), r) as SymBV;
      return r;
    },
    rbit(w, a) {
      const bits: SymBV[] = [];
      for (let i = 0; i < w; i++) bits.push(check(w, a).extract(i, i));
      return ctx.Concat(...bits);
    },

    eq: (w, a, b) => check(w, a).eq(check(w, b)),
    ult: (w, a, b) => check(w, a).ult(check(w, b)),
    ule: (w, a, b) => check(w, a).ule(check(w, b)),
    slt: (w, a, b) => check(w, a).slt(check(w, b)),
    sle: (w, a, b) => check(w, a).sle(check(w, b)),
    bool: (v) => Bool.val(v),
    band: (a, b) => ctx.And(a, b),
    bor: (a, b) => ctx.Or(a, b),
    bxor: (a, b) => ctx.Xor(a, b),
    bnot: (a) => ctx.Not(a),
    fromBool: (cond) => ctx.If(cond, bv(1, 1n), bv(1, 0n)) as SymBV,
    toBool: (a) => check(1, a).eq(bv(1, 1n)),

    load(mem, addr, bytes) {
      const parts: SymBV[] = [];
      for (let i = bytes - 1; i >= 0; i--) parts.push(mem.select(check(64, addr).add(bv(64, BigInt(i))) as BitVec<64, 'main'>) as SymBV);
      return parts.length === 1 ? parts[0]! : ctx.Concat(...parts);
    },
    store(mem, addr, value, bytes) {
      let m = mem;
      for (let i = 0; i < bytes; i++) m = m.store(check(64, addr).add(bv(64, BigInt(i))) as BitVec<64, 'main'>, check(8 * bytes, value).extract(8 * i + 7, 8 * i) as BitVec<8, 'main'>) as SymMem;
      return m;
    },

    fadd: (fw, rm, a, b) => fromFp(fw, toFp(fw, a).add(rms[rm], toFp(fw, b))),
    fsub: (fw, rm, a, b) => fromFp(fw, toFp(fw, a).sub(rms[rm], toFp(fw, b))),
    fmul: (fw, rm, a, b) => fromFp(fw, toFp(fw, a).mul(rms[rm], toFp(fw, b))),
    fdiv: (fw, rm, a, b) => fromFp(fw, toFp(fw, a).div(rms[rm], toFp(fw, b))),
    fsqrt: (fw, rm, a) => fromFp(fw, toFp(fw, a).sqrt(rms[rm])),
    ffma: (fw, rm, a, b, cc) => fromFp(fw, toFp(fw, a).fma(rms[rm], toFp(fw, b), toFp(fw, cc))),
    fneg: (fw, a) => check(fw, a).xor(bv(fw, 1n << BigInt(fw - 1))),
    fabs: (fw, a) => check(fw, a).and(bv(fw, (1n << BigInt(fw - 1)) - 1n)),
    feq: (fw, a, b) => new BoolClass(Z3.mk_fpa_eq(c, toFp(fw, a).ast, toFp(fw, b).ast)),
    flt: (fw, a, b) => new BoolClass(Z3.mk_fpa_lt(c, toFp(fw, a).ast, toFp(fw, b).ast)),
    fle: (fw, a, b) => new BoolClass(Z3.mk_fpa_leq(c, toFp(fw, a).ast, toFp(fw, b).ast)),
    fisNaN: (fw, a) => toFp(fw, a).isNaN(),
    fconvert: (from, to, rm, a) => fromFp(to, new FPClass(Z3.mk_fpa_to_fp_float(c, rms[rm].ast, toFp(from, a).ast, sorts[to].ptr))),
    fromInt: (w, signed, fw, rm, a) =>
      fromFp(fw, new FPClass((signed ? Z3.mk_fpa_to_fp_signed : Z3.mk_fpa_to_fp_unsigned)(c, rms[rm].ast, check(w, a).ast, sorts[fw].ptr))),
    toInt(fw, w, signed, rm, a, nanResult) {
      const x = toFp(fw, a);
      const r = new FPClass(Z3.mk_fpa_round_to_integral(c, rms[rm].ast, x.ast));
      const hiBound = fpConst(fw, signed ? 2 ** (w - 1) : 2 ** w); // first value out of range
      const loBound = fpConst(fw, signed ? -(2 ** (w - 1)) : 0);
      const lo = signed ? -(1n << BigInt(w - 1)) : 0n;
      const hi = signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
      const conv = new BVClass((signed ? Z3.mk_fpa_to_sbv : Z3.mk_fpa_to_ubv)(c, rms.rtz.ast, r.ast, w));
      return ctx.If(
        x.isNaN(),
        bv(w, nanResult),
        ctx.If(r.ge(hiBound), bv(w, hi), ctx.If(r.lt(loBound), bv(w, lo), conv)),
      ) as SymBV;
    },
  };
  return domain;
}

/** The floating-point operations whose IEEE circuits are costly for the solver. */
export type FpArithmetic = Pick<SymbolicDomain, 'fadd' | 'fsub' | 'fmul' | 'fdiv' | 'fsqrt' | 'ffma' | 'feq' | 'flt' | 'fle' | 'fisNaN' | 'fconvert' | 'fromInt' | 'toInt'>;

/**
 * Floating-point arithmetic as uninterpreted functions of the bit patterns, one per operation,
 * width and rounding mode. The real operations are one interpretation of these, so a query that
 * is unsat under them is unsat under IEEE 754 too: two sides that apply the same operations to
 * equal operands are proven equal by congruence, without the solver building the circuits. A
 * model under them is not a model of the real operations, and is never used.
 */
export function uninterpretedFp(ctx: Context<'main'>): FpArithmetic {
  const decls = new Map<string, { call(...args: unknown[]): unknown }>();
  const fn = (name: string, args: number[], range: number | 'bool'): ((...a: SymBV[]) => unknown) => {
    let f = decls.get(name);
    if (!f) {
      const sorts = [...args.map((w) => ctx.BitVec.sort(w)), range === 'bool' ? ctx.Bool.sort() : ctx.BitVec.sort(range)];
      f = ctx.Function.declare(`fp.${name}`, ...(sorts as [ReturnType<typeof ctx.Bool.sort>])) as unknown as { call(...args: unknown[]): unknown };
      decls.set(name, f);
    }
    const g = f;
    return (...a) => g.call(...a);
  };
  const bv = (name: string, fw: number, n: number, range = fw) => (...a: SymBV[]): SymBV => fn(name, Array(n).fill(fw) as number[], range)(...a) as SymBV;
  const bool = (name: string, fw: number) => (a: SymBV, b?: SymBV): SymBool => fn(name, b ? [fw, fw] : [fw], 'bool')(...(b ? [a, b] : [a])) as SymBool;
  return {
    fadd: (fw, rm, a, b) => bv(`add.${fw}.${rm}`, fw, 2)(a, b),
    fsub: (fw, rm, a, b) => bv(`sub.${fw}.${rm}`, fw, 2)(a, b),
    fmul: (fw, rm, a, b) => bv(`mul.${fw}.${rm}`, fw, 2)(a, b),
    fdiv: (fw, rm, a, b) => bv(`div.${fw}.${rm}`, fw, 2)(a, b),
    fsqrt: (fw, rm, a) => bv(`sqrt.${fw}.${rm}`, fw, 1)(a),
    ffma: (fw, rm, a, b, c) => bv(`fma.${fw}.${rm}`, fw, 3)(a, b, c),
    feq: (fw, a, b) => bool(`eq.${fw}`, fw)(a, b),
    flt: (fw, a, b) => bool(`lt.${fw}`, fw)(a, b),
    fle: (fw, a, b) => bool(`le.${fw}`, fw)(a, b),
    fisNaN: (fw, a) => bool(`isnan.${fw}`, fw)(a),
    fconvert: (from, to, rm, a) => fn(`convert.${from}.${to}.${rm}`, [from], to)(a) as SymBV,
    fromInt: (w, signed, fw, rm, a) => fn(`from${signed ? 's' : 'u'}.${w}.${fw}.${rm}`, [w], fw)(a) as SymBV,
    toInt: (fw, w, signed, rm, a, nan) => fn(`to${signed ? 's' : 'u'}.${fw}.${w}.${rm}.${nan}`, [fw], w)(a) as SymBV,
  };
}
