// The verification domain: a partial evaluator in front of the Z3 symbolic domain. A value is a
// constant, an address "base + offset" (the canonical frame address, a symbol, the pc), or a lazy
// Z3 term. Constants fold through the concrete domain; addresses keep their base and offset
// through the add/sub/and arithmetic that address computations use; everything else becomes a
// Z3 term only when a query needs it. So the frame analysis runs the real semantics without Z3,
// and the prover's queries stay small: at -O0 almost every load reads a slot that an earlier
// store in the same block wrote, and those are resolved here without the solver.

import type { Context } from 'z3-solver';
import { concrete } from '../isa/concrete.js';
import type { Domain, FpWidth, RoundingMode } from '../isa/sem.js';
import { type FpArithmetic, type SymBV, type SymBool, type SymMem, type SymbolicDomain, uninterpretedFp } from '../isa/symbolic.js';
import { mask } from '../isa/sem.js';

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/**
 * Which part of `base + off` a value holds: the address itself, its 4 KiB page (`adrp`), or its
 * low 12 bits (`:lo12:`). Page plus low part gives the address back.
 */
export type AddressPart = 'full' | 'page' | 'lo12';

/** A bit-vector value of the verification domain. */
export interface SVal {
  readonly w: number;
  /** Set when the value is a known constant. */
  readonly c?: bigint;
  /** Set when the value is (a part of) `base + off`; 64-bit only. */
  readonly base?: string;
  readonly off: bigint;
  readonly part: AddressPart;
  /** Builds the Z3 term (memoized in `t`). */
  readonly mk?: () => SymBV;
  /** Computed from the frame address (so it may point into the frame even if not static). */
  readonly frame?: boolean;
  /** How a term was made, where a rewrite below looks at it (see `remainder`). */
  readonly op?: TermOp;
  /** Set when the value is `x * k / 2^t` (rounded down) for an n-bit `x` (see `shifted` below). */
  readonly scaled?: Scaled;
  /** Set when the value's low bits are `x * k / 2^t` (rounded down) for a signed `x` (see `signedQuotient`). */
  readonly sscaled?: SignedScaled;
  /** Set when the value is the sign mask of `x` (`x >> (w-1)`, arithmetic: 0 or -1). */
  readonly signOf?: SVal;
  t?: SymBV;
  /** The term with floating-point arithmetic left uninterpreted (see `VerifyDomain.fpAbstract`). */
  ta?: SymBV;
}

/** A value known to be floor(x * k / 2^t), with x an n-bit value zero-extended. */
export interface Scaled {
  readonly x: SVal;
  readonly n: number;
  readonly k: bigint;
  readonly t: number;
}

/**
 * A value whose low `bits` bits are floor(x * k / 2^t) mod 2^bits, with x the n-bit value `x`
 * read as signed and k any integer: how a signed division by a constant is computed (a signed
 * multiply-high by a magic number, perhaps an add of x, an arithmetic shift). Only the low bits
 * are tracked because the steps wrap: a logical shift of a negative product, a 32-bit add.
 */
export interface SignedScaled {
  readonly x: SVal;
  readonly n: number;
  readonly k: bigint;
  readonly t: number;
  readonly bits: number;
}

/**
 * The divisor d for which floor(x * k / 2^t) + (x < 0 ? 1 : 0) = trunc(x / d) for every n-bit
 * signed x, if there is one. With k = ceil(2^t / d) and e = k*d - 2^t, the identity holds when
 * 0 < e and e * 2^(n-1) <= 2^t: for x >= 0, x*e/(d*2^t) < 1/d keeps the floor at floor(x/d); for
 * x < 0 the same bound keeps floor(x*k/2^t) at ceil(x/d) - 1, never below, and e > 0 keeps it
 * from reaching ceil(x/d) when d divides x. (The argument of Hacker's Delight 10-4, for any n.)
 */
export function signedMagicDivisor(n: number, k: bigint, t: number): bigint | undefined {
  if (k <= 1n || t < n - 1) return undefined;
  const p = 1n << BigInt(t);
  const d = (p + k - 1n) / k;
  const e = k * d - p;
  return d > 1n && d < 1n << BigInt(n - 1) && (p + d - 1n) / d === k && e > 0n && e << BigInt(n - 1) <= p ? d : undefined;
}

/**
 * The divisor d for which floor(x * k / 2^t) = floor(x / d) for every n-bit x, if there is one:
 * the condition 2^t <= k*d <= 2^t + 2^(t-n) of Granlund and Montgomery (1994, theorem 4.2).
 * This is how compilers divide by a constant (`x / 10` is `(x * 0xcccccccd) >> 35` in 32 bits).
 */
export function magicDivisor(n: number, k: bigint, t: number): bigint | undefined {
  if (k <= 1n || t < n) return undefined;
  const p = 1n << BigInt(t);
  const d = (p + k - 1n) / k;
  return d > 1n && k * d >= p && k * d - p <= 1n << BigInt(t - n) ? d : undefined;
}

/** The structure of a term that the rewrites recognise. */
export type TermOp =
  | { readonly name: 'mul' | 'udiv' | 'sdiv'; readonly args: readonly [SVal, SVal] }
  | { readonly name: 'shl' | 'lshr'; readonly arg: SVal; readonly by: number }
  | { readonly name: 'zext' | 'sext'; readonly from: number; readonly arg: SVal }
  | { readonly name: 'ite'; readonly cond: SBool; readonly then: SVal; readonly else: SVal };

/** A boolean of the verification domain. */
export interface SBool {
  readonly c?: boolean;
  readonly mk?: () => SymBool;
  /** Set for an equality, where a rewrite looks at it. */
  readonly eq?: readonly [SVal, SVal];
  t?: SymBool;
  ta?: SymBool;
}

/** The byte memory a side starts from (shared memory, private frame bytes, constant data). */
export interface MemoryBase {
  /** One byte at `addr`. */
  readByte(addr: SVal): SVal;
}

/** One store, newest first through `prev`. */
export interface Write {
  readonly addr: SVal;
  readonly bytes: number;
  readonly value: SVal;
  readonly prev?: Write;
}

/** A memory: a base plus the stores made since. Immutable; a store makes a new one. */
export interface VMem {
  readonly base: MemoryBase;
  readonly last?: Write;
}

/** A memory access seen by the access hook (the frame analysis records them). */
export interface Access {
  readonly kind: 'load' | 'store';
  readonly addr: SVal;
  readonly bytes: number;
  readonly value: SVal;
}

/** Thrown when a query grows past the domain's budget: the caller settles for testing. */
export class QueryTooLarge extends Error {}

export type VerifyDomain = Domain<SVal, SBool, VMem> & {
  /** Memory terms left before `QueryTooLarge` (the prover sets it per query). */
  budget: number;
  /**
   * While set, terms are built with floating-point arithmetic as uninterpreted functions (see
   * `uninterpretedFp`), memoized apart from the real ones: one symbolic run gives both queries.
   */
  fpAbstract: boolean;
  /** How many values made so far use floating-point arithmetic on unknowns. */
  fpTerms: number;
  /** The Z3 term of a value or boolean. */
  term(v: SVal): SymBV;
  boolTerm(b: SBool): SymBool;
  /** A named unknown; the same name gives the same value. */
  fresh(name: string, w: number): SVal;
  /** The named unknown, if it was ever made. */
  lookup(name: string): SVal | undefined;
  /** The address `base + off` (a named unknown base). */
  address(base: string, off: bigint): SVal;
  /** The symbolic domain terms are built in. */
  readonly sym: SymbolicDomain;
  readonly ctx: Context<'main'>;
  /** Called on every load and store (set by the frame analysis; undefined otherwise). */
  onAccess?: (a: Access) => void;
  /**
   * Called with the condition under which an operation is defined in C, for the operations C
   * leaves undefined somewhere: a divisor is nonzero, a float converted to an integer is not a NaN
   * (set while the source runs).
   */
  onUndefined?: (defined: SBool) => void;
};

// ---------------------------------------------------------------------------------------------
// Static address reasoning
// ---------------------------------------------------------------------------------------------

/** True when the address is known statically: a constant, or a full `base + off`. */
export function isStatic(a: SVal): boolean {
  return a.c !== undefined || (a.base !== undefined && a.part === 'full');
}

/**
 * The distance `a - b` when both are static in the same space, `'disjoint'` when they are in
 * different objects (distinct bases: frame, symbols), undefined when unknown.
 */
export function distance(a: SVal, b: SVal): bigint | 'disjoint' | undefined {
  if (a.c !== undefined && b.c !== undefined) return BigInt.asIntN(64, a.c - b.c);
  if (a.base !== undefined && b.base !== undefined && a.part === 'full' && b.part === 'full') {
    return a.base === b.base ? a.off - b.off : 'disjoint';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The domain
// ---------------------------------------------------------------------------------------------

/** The base name of the canonical frame address. */
export const FRAME_BASE = 'cfa';

const K = (w: number, c: bigint): SVal => ({ w, c: c & mask(w), off: 0n, part: 'full' });
const L = (w: number, mk: () => SymBV, frame = false): SVal => (frame ? { w, off: 0n, part: 'full', mk, frame } : { w, off: 0n, part: 'full', mk });
/** Whether a value is, or was computed from, the frame address. */
export const fromFrame = (v: SVal): boolean => v.frame === true || v.base === FRAME_BASE;
const KB = (c: boolean): SBool => ({ c });
const LB = (mk: () => SymBool): SBool => ({ mk });
const PAGE = mask(64) ^ 0xfffn;

type BinOp = 'add' | 'sub' | 'mul' | 'udiv' | 'urem' | 'sdiv' | 'srem' | 'and' | 'or' | 'xor' | 'shl' | 'lshr' | 'ashr' | 'rotr';
type CmpOp = 'eq' | 'ult' | 'ule' | 'slt' | 'sle';

/** Builds the verification domain over a symbolic domain. */
export function verifyDomain(sym: SymbolicDomain): VerifyDomain {
  const named = new Map<string, SVal>();
  const T = (v: SVal): SymBV => {
    const memo = d.fpAbstract ? v.ta : v.t;
    if (memo) return memo;
    let t: SymBV;
    if (v.c !== undefined) t = sym.bv(v.w, v.c);
    else if (v.base !== undefined) {
      const full = sym.add(64, T(fresh(v.base, 64)), sym.bv(64, v.off));
      t = v.part === 'full' ? full : sym.and(64, full, sym.bv(64, v.part === 'page' ? PAGE : 0xfffn));
    } else t = v.mk!();
    if (d.fpAbstract) v.ta = t;
    else v.t = t;
    return t;
  };
  const TB = (b: SBool): SymBool => {
    const memo = d.fpAbstract ? b.ta : b.t;
    if (memo) return memo;
    const t = b.c !== undefined ? sym.bool(b.c) : b.mk!();
    if (d.fpAbstract) b.ta = t;
    else b.t = t;
    return t;
  };
  const abstractFp = uninterpretedFp(sym.ctx);
  /** The floating-point arithmetic terms are built with. */
  const fp = (): FpArithmetic => (d.fpAbstract ? abstractFp : sym);
  const fresh = (name: string, w: number): SVal => {
    let v = named.get(name);
    if (!v) {
      v = L(w, () => sym.ctx.BitVec.const(name, w) as SymBV);
      named.set(name, v);
    }
    if (v.w !== w) throw new Error(`internal: ${name} used at widths ${v.w} and ${w}`);
    return v;
  };
  const based = (base: string, off: bigint, part: AddressPart = 'full'): SVal => ({ w: 64, base, off: BigInt.asIntN(64, off), part });

  const bin = (op: BinOp) => (w: number, a: SVal, b: SVal): SVal =>
    a.c !== undefined && b.c !== undefined ? K(w, concrete[op](w, a.c, b.c)) : L(w, () => sym[op](w, T(a), T(b)), fromFrame(a) || fromFrame(b));
  const cmp = (op: CmpOp) => (w: number, a: SVal, b: SVal): SBool =>
    a.c !== undefined && b.c !== undefined ? KB(concrete[op](w, a.c, b.c)) : LB(() => sym[op](w, T(a), T(b)));
  const isK = (v: SVal, c: bigint): boolean => v.c === c;

  const add = bin('add');
  const sub = bin('sub');
  const and = bin('and');
  const or = bin('or');
  const xor = bin('xor');
  const shl = bin('shl');
  const lshr = bin('lshr');
  const ashr = bin('ashr');
  const eq = cmp('eq');
  const mulTerm = bin('mul');
  const udivTerm = bin('udiv');
  const sdivTerm = bin('sdiv');

  // A lazy floating-point value counts in `fpTerms` (fneg and fabs are bit operations, and don't).
  const lazyFp = (w: number, g: () => SymBV, arithmetic = true): SVal => {
    if (arithmetic) d.fpTerms++;
    return L(w, g);
  };
  const fp1 = (f: (a: bigint) => bigint, g: () => SymBV, fw: number, a: SVal, arithmetic = true): SVal => (a.c !== undefined ? K(fw, f(a.c)) : lazyFp(fw, g, arithmetic));
  const fp2 = (f: (a: bigint, b: bigint) => bigint, g: () => SymBV, fw: number, a: SVal, b: SVal): SVal =>
    a.c !== undefined && b.c !== undefined ? K(fw, f(a.c, b.c)) : lazyFp(fw, g);
  const fcmp = (f: (a: bigint, b: bigint) => boolean, g: () => SymBool, a: SVal, b: SVal): SBool => {
    if (a.c !== undefined && b.c !== undefined) return KB(f(a.c, b.c));
    d.fpTerms++;
    return LB(g);
  };

  // ---- memory ----
  const byteOf = (v: SVal, i: number): SVal => extract(v.w, v, 8 * i + 7, 8 * i);
  const concatBytes = (bytes: SVal[]): SVal => {
    let r = bytes[0]!;
    for (let i = 1; i < bytes.length; i++) r = concat(8, bytes[i]!, 8 * i, r);
    return r;
  };
  /** Byte `addr` read through the stores from `w` down to the base (symbolic fallback). */
  const readByteThrough = (mem: VMem, addr: SVal, w: Write | undefined): SVal => {
    const chain: Write[] = [];
    for (let x = w; x; x = x.prev) chain.push(x);
    let v = mem.base.readByte(addr);
    for (let k = chain.length - 1; k >= 0; k--) {
      const s = chain[k]!;
      if ((d.budget -= s.bytes) < 0) throw new QueryTooLarge('too many memory terms');
      for (let j = 0; j < s.bytes; j++) {
        const at = j === 0 ? s.addr : d.add(64, s.addr, K(64, BigInt(j)));
        const dist = distance(addr, at);
        if (dist === 'disjoint' || (dist !== undefined && dist !== 0n)) continue;
        // An address not computed from the frame does not point into it (the prover assumes so).
        if (dist === undefined && !fromFrame(addr) && isStatic(at) && at.base === FRAME_BASE) continue;
        const b = byteOf(s.value, j);
        v = dist === 0n ? b : ite(8, eq(64, addr, at), b, v);
      }
    }
    return v;
  };
  function load(mem: VMem, addr: SVal, bytes: number): SVal {
    let w = mem.last;
    if (isStatic(addr)) {
      // Walk back while every store is statically disjoint; stop at one that covers the load.
      for (; w; w = w.prev) {
        const dist = distance(addr, w.addr);
        if (dist === 'disjoint') continue;
        if (dist === undefined) {
          if (!fromFrame(addr) && !isStatic(addr) && isStatic(w.addr) && w.addr.base === FRAME_BASE) continue;
          break;
        }
        if (dist >= BigInt(w.bytes) || dist + BigInt(bytes) <= 0n) continue;
        if (dist >= 0n && dist + BigInt(bytes) <= BigInt(w.bytes)) {
          if (dist === 0n && bytes === w.bytes) return w.value;
          return extract(w.value.w, w.value, Number(dist) * 8 + bytes * 8 - 1, Number(dist) * 8);
        }
        break; // partial overlap: byte by byte below
      }
    }
    const out: SVal[] = [];
    for (let i = 0; i < bytes; i++) out.push(readByteThrough(mem, i === 0 ? addr : d.add(64, addr, K(64, BigInt(i))), w));
    return concatBytes(out);
  }

  function extract(w: number, a: SVal, hi: number, lo: number): SVal {
    if (lo === 0 && hi === w - 1) return a;
    if (a.c !== undefined) return K(hi - lo + 1, concrete.extract(w, a.c, hi, lo));
    // The low part of an extension is what was extended (a 32-bit result written to x, read as w).
    if (lo === 0 && (a.op?.name === 'zext' || a.op?.name === 'sext') && hi === a.op.from - 1) return a.op.arg;
    // Bits of a scaled product that hold all of it are a shift of it.
    if (a.scaled && bitLength(a.scaled.k) + a.scaled.n - a.scaled.t - lo <= hi - lo + 1) return shifted(L(hi - lo + 1, () => sym.extract(w, T(a), hi, lo)), a.scaled, lo);
    const v = L(hi - lo + 1, () => sym.extract(w, T(a), hi, lo));
    // Bits lo..hi of floor(x*k/2^t) are floor(x*k/2^(t+lo)) modulo 2^(hi-lo+1).
    return a.sscaled && hi < a.sscaled.bits ? { ...v, sscaled: { ...a.sscaled, t: a.sscaled.t + lo, bits: hi - lo + 1 } } : v;
  }
  function concat(wh: number, hi: SVal, wl: number, lo: SVal): SVal {
    if (hi.c !== undefined && lo.c !== undefined) return K(wh + wl, concrete.concat(wh, hi.c, wl, lo.c));
    return L(wh + wl, () => sym.concat(wh, T(hi), wl, T(lo)));
  }
  function ite(w: number, c: SBool, a: SVal, b: SVal): SVal {
    if (c.c !== undefined) return c.c ? a : b;
    if (a === b) return a;
    return { ...L(w, () => sym.ite(w, TB(c), T(a), T(b))), op: { name: 'ite', cond: c, then: a, else: b } };
  }

  // ---- rewrites ----
  const bitLength = (k: bigint): number => k.toString(2).length;
  /**
   * `v`, known to be the scaled product `s` shifted right by `by` more bits; when that is a
   * division by a constant, the quotient itself (a 64-bit multiply and shift against a divide
   * instruction does not bit-blast in time; two equal divisions compare at once).
   */
  const shifted = (v: SVal, s: Scaled, by: number): SVal => {
    const scaled = { ...s, t: s.t + by };
    // A dividend shifted right first (x / 1000 as (x >> 3) * k >> 68) has that many fewer bits,
    // and floor(floor(y / 2^s) / d) = floor(y / (d * 2^s)): the quotient is of y itself.
    const pre = scaled.x.op?.name === 'lshr' && scaled.x.op.arg.w === scaled.n ? scaled.x.op : undefined;
    const d = magicDivisor(scaled.n - (pre?.by ?? 0), scaled.k, scaled.t);
    if (d === undefined || v.w < scaled.n || (pre && d << BigInt(pre.by) >= 1n << BigInt(scaled.n))) return { ...v, scaled };
    const q = pre ? udivOp(scaled.n, pre.arg, K(scaled.n, d << BigInt(pre.by))) : udivOp(scaled.n, scaled.x, K(scaled.n, d));
    return v.w === scaled.n ? q : { ...L(v.w, () => sym.zext(scaled.n, T(q), v.w)), op: { name: 'zext', from: scaled.n, arg: q } };
  };
  const udivOp = (w: number, a: SVal, b: SVal): SVal => withOp(udivTerm(w, a, b), { name: 'udiv', args: [a, b] });
  const sdivOp = (w: number, a: SVal, b: SVal): SVal => withOp(sdivTerm(w, a, b), { name: 'sdiv', args: [a, b] });
  /** `sext(x) * k`, or `x * k` at x's own width, as a signed scaled product (exact modulo 2^w). */
  const signedProduct = (w: number, a: SVal, b: SVal): SignedScaled | undefined => {
    const [x, k] = b.c !== undefined ? [a, b.c] : [b, a.c];
    if (k === undefined || x.c !== undefined) return undefined;
    return x.op?.name === 'sext' ? { x: x.op.arg, n: x.op.from, k: BigInt.asIntN(w, k), t: 0, bits: w } : { x, n: w, k: BigInt.asIntN(w, k), t: 0, bits: w };
  };
  /**
   * A signed scaled product shifted right arithmetically by `by`: still exact when the w-bit
   * value is all of floor(x*k/2^t), which holds when |x*k/2^t| stays under 2^(w-1) - 1.
   */
  const signedShift = (w: number, s: SignedScaled, by: number): SignedScaled | undefined => {
    const k = s.k < 0n ? -s.k : s.k;
    if (s.bits < w || k << BigInt(s.n - 1) >= ((1n << BigInt(w - 1)) - 1n) << BigInt(s.t)) return undefined;
    return { ...s, t: s.t + by, bits: w };
  };
  /**
   * `a + b` when one is a signed scaled product and the other is its x (gcc adds x back when the
   * magic number does not fit in a signed word): floor(x*k/2^t) + x = floor(x*(k + 2^t)/2^t).
   */
  const addBack = (w: number, a: SVal, b: SVal): SignedScaled | undefined => {
    for (const [p, q] of [[a, b], [b, a]] as const) {
      const s = p.sscaled;
      if (s && s.bits >= w && s.n === w && same(q, s.x)) return { ...s, k: s.k + (1n << BigInt(s.t)), bits: w };
    }
    return undefined;
  };
  /**
   * `a - b` as a signed division by a constant: a is floor(x*k/2^t) and b the sign mask of x, so
   * the difference adds 1 for negative x, rounding the quotient toward zero as C does.
   */
  const signedQuotient = (w: number, a: SVal, b: SVal): SVal | undefined => {
    const s = a.sscaled;
    if (!s || s.bits < w || s.n !== w || !b.signOf || !same(b.signOf, s.x)) return undefined;
    const divisor = signedMagicDivisor(s.n, s.k, s.t);
    return divisor === undefined ? undefined : sdivOp(w, s.x, K(w, divisor));
  };
  /** `zext(x) * k` as a scaled product, when the product cannot wrap. */
  const scaledProduct = (w: number, a: SVal, b: SVal): Scaled | undefined => {
    const [x, k] = b.c !== undefined ? [a, b.c] : [b, a.c];
    if (k === undefined || x.op?.name !== 'zext' || x.op.from + bitLength(k) > w) return undefined;
    return { x: x.op.arg, n: x.op.from, k, t: 0 };
  };
  /** Two values that are certainly equal: the same value, constant or Z3 term. */
  const same = (a: SVal, b: SVal): boolean => a === b || (a.c !== undefined ? a.c === b.c : b.c === undefined && a.base === undefined && b.base === undefined && T(a).eqIdentity(T(b)));
  const withOp = (v: SVal, op: TermOp): SVal => (v.c !== undefined || v.base !== undefined ? v : { ...v, op });
  /**
   * `n - q*m` where q is n divided by m (as AArch64 computes it: 0 when m is 0) is the remainder
   * of n by m, for every n and m: AArch64 has no remainder instruction and gcc computes `%` so,
   * where RISC-V has `rem`. Bit-blasting a 64-bit divider and multiplier for the two to meet
   * does not finish; the remainder term does.
   */
  const remainder = (w: number, n: SVal, p: SVal): SVal | undefined => {
    if (p.op?.name !== 'mul') return undefined;
    for (const [q, m] of [p.op.args, [p.op.args[1], p.op.args[0]] as const]) {
      // q = n / m itself (a constant divisor, or a rewritten magic division): n - (n / m) * m is
      // the remainder for every m in SMT-LIB's semantics too (at m = 0 both sides are n).
      if ((q.op?.name === 'udiv' || q.op?.name === 'sdiv') && same(q.op.args[0], n) && same(q.op.args[1], m)) return q.op.name === 'udiv' ? d.urem(w, n, m) : d.srem(w, n, m);
      // q = ite(m == 0, 0, n / m)
      if (q.op?.name !== 'ite' || q.op.then.c !== 0n || !q.op.cond.eq) continue;
      const [x, zero] = q.op.cond.eq;
      const div = q.op.else.op;
      if (zero.c !== 0n || !same(x, m) || (div?.name !== 'udiv' && div?.name !== 'sdiv')) continue;
      if (!same(div.args[0], n) || !same(div.args[1], m)) continue;
      return div.name === 'udiv' ? d.urem(w, n, m) : d.srem(w, n, m);
    }
    return undefined;
  };

  const divides = (f: (w: number, a: SVal, b: SVal) => SVal) => (w: number, a: SVal, b: SVal): SVal => {
    d.onUndefined?.(d.bnot(d.eq(w, b, K(w, 0n))));
    return f(w, a, b);
  };

  const d: VerifyDomain = {
    kind: 'symbolic',
    budget: Infinity,
    fpAbstract: false,
    fpTerms: 0,
    sym,
    ctx: sym.ctx,
    term: T,
    boolTerm: TB,
    fresh,
    lookup: (name) => named.get(name),
    address: (base, off) => based(base, off),
    bv: K,
    extract,
    concat,
    zext: (w, a, to) => (to === w ? a : a.c !== undefined ? K(to, a.c) : { ...L(to, () => sym.zext(w, T(a), to)), op: { name: 'zext', from: w, arg: a } }),
    sext: (w, a, to) => (to === w ? a : a.c !== undefined ? K(to, concrete.sext(w, a.c, to)) : { ...L(to, () => sym.sext(w, T(a), to)), op: { name: 'sext', from: w, arg: a } }),
    ite,

    add(w, a, b) {
      if (isK(b, 0n)) return a;
      if (isK(a, 0n)) return b;
      if (w === 64) {
        if (a.base !== undefined && a.part === 'full' && b.c !== undefined) return based(a.base, a.off + b.c);
        if (b.base !== undefined && b.part === 'full' && a.c !== undefined) return based(b.base, b.off + a.c);
        const [p, q] = a.part === 'page' ? [a, b] : [b, a];
        if (p.part === 'page' && q.part === 'lo12' && p.base === q.base && p.off === q.off) return based(p.base!, p.off);
      }
      // q << s + q is q * (2^s + 1): how gcc multiplies by 3, 5, 9 (then `n - q*3` is a remainder).
      for (const [p, q] of [[a, b], [b, a]] as const) if (p.op?.name === 'shl' && same(p.op.arg, q)) return d.mul(w, q, K(w, (1n << BigInt(p.op.by)) + 1n));
      const sscaled = addBack(w, a, b);
      return sscaled ? { ...add(w, a, b), sscaled } : add(w, a, b);
    },
    sub(w, a, b) {
      if (isK(b, 0n)) return a;
      if (w === 64 && a.base !== undefined && a.part === 'full') {
        if (b.c !== undefined) return based(a.base, a.off - b.c);
        if (b.base === a.base && b.part === 'full') return K(64, a.off - b.off);
      }
      return remainder(w, a, b) ?? signedQuotient(w, a, b) ?? sub(w, a, b);
    },
    mul(w, a, b) {
      const v = withOp(mulTerm(w, a, b), { name: 'mul', args: [a, b] });
      if (v.c !== undefined) return v;
      const scaled = scaledProduct(w, a, b);
      const sscaled = signedProduct(w, a, b);
      return { ...v, ...(scaled ? { scaled } : {}), ...(sscaled ? { sscaled } : {}) };
    },
    udiv: divides(udivOp),
    urem: divides(bin('urem')),
    sdiv: divides((w, a, b) => withOp(sdivTerm(w, a, b), { name: 'sdiv', args: [a, b] })),
    srem: divides(bin('srem')),
    neg: (w, a) => (a.c !== undefined ? K(w, -a.c) : L(w, () => sym.neg(w, T(a)))),
    and(w, a, b) {
      if (w === 64 && a.base !== undefined && a.part === 'full' && b.c !== undefined) {
        if (b.c === PAGE) return based(a.base, a.off, 'page');
        if (b.c === 0xfffn) return based(a.base, a.off, 'lo12');
      }
      if (isK(b, mask(w))) return a;
      return and(w, a, b);
    },
    or: (w, a, b) => (isK(a, 0n) ? b : isK(b, 0n) ? a : or(w, a, b)),
    xor: (w, a, b) => (isK(a, 0n) ? b : isK(b, 0n) ? a : xor(w, a, b)),
    not: (w, a) => (a.c !== undefined ? K(w, ~a.c) : L(w, () => sym.not(w, T(a)))),
    shl: (w, a, s) => (isK(s, 0n) ? a : s.c !== undefined && s.c < BigInt(w) ? withOp(shl(w, a, s), { name: 'shl', arg: a, by: Number(s.c) }) : shl(w, a, s)),
    lshr(w, a, s) {
      if (isK(s, 0n)) return a;
      if (s.c === undefined || s.c >= BigInt(w)) return lshr(w, a, s);
      const by = Number(s.c);
      if (a.scaled) return shifted(lshr(w, a, s), a.scaled, by);
      const v = withOp(lshr(w, a, s), { name: 'lshr', arg: a, by });
      // The low w - by bits of floor(x*k/2^t) >> by are floor(x*k/2^(t+by)) modulo 2^(w-by).
      return a.sscaled && a.sscaled.bits > by && v.c === undefined ? { ...v, sscaled: { ...a.sscaled, t: a.sscaled.t + by, bits: a.sscaled.bits - by } } : v;
    },
    ashr(w, a, s) {
      if (isK(s, 0n)) return a;
      const v = ashr(w, a, s);
      if (s.c === undefined || s.c >= BigInt(w) || v.c !== undefined) return v;
      if (s.c === BigInt(w - 1)) return { ...v, signOf: a };
      const sscaled = a.sscaled && signedShift(w, a.sscaled, Number(s.c));
      return sscaled ? { ...v, sscaled } : v;
    },
    rotr: bin('rotr'),
    clz: (w, a) => (a.c !== undefined ? K(w, concrete.clz(w, a.c)) : L(w, () => sym.clz(w, T(a)))),
    rbit: (w, a) => (a.c !== undefined ? K(w, concrete.rbit(w, a.c)) : L(w, () => sym.rbit(w, T(a)))),

    eq(w, a, b) {
      if (a === b) return KB(true);
      const dist = isStatic(a) && isStatic(b) ? distance(a, b) : undefined;
      if (typeof dist === 'bigint') return KB(dist === 0n);
      const e = eq(w, a, b);
      return e.c !== undefined ? e : { ...e, eq: [a, b] };
    },
    ult: cmp('ult'),
    ule: cmp('ule'),
    slt: cmp('slt'),
    sle: cmp('sle'),
    bool: KB,
    band: (a, b) => (a.c === false || b.c === false ? KB(false) : a.c === true ? b : b.c === true ? a : LB(() => sym.band(TB(a), TB(b)))),
    bor: (a, b) => (a.c === true || b.c === true ? KB(true) : a.c === false ? b : b.c === false ? a : LB(() => sym.bor(TB(a), TB(b)))),
    bxor: (a, b) => (a.c !== undefined && b.c !== undefined ? KB(a.c !== b.c) : LB(() => sym.bxor(TB(a), TB(b)))),
    bnot: (a) => (a.c !== undefined ? KB(!a.c) : LB(() => sym.bnot(TB(a)))),
    fromBool: (c) => (c.c !== undefined ? K(1, c.c ? 1n : 0n) : L(1, () => sym.fromBool(TB(c)))),
    toBool: (a) => (a.c !== undefined ? KB(a.c === 1n) : LB(() => sym.toBool(T(a)))),

    load(mem, addr, bytes) {
      const value = load(mem, addr, bytes);
      d.onAccess?.({ kind: 'load', addr, bytes, value });
      return value;
    },
    store(mem, addr, value, bytes) {
      d.onAccess?.({ kind: 'store', addr, bytes, value });
      return { base: mem.base, last: { addr, bytes, value: value.w === 8 * bytes ? value : extract(value.w, value, 8 * bytes - 1, 0), prev: mem.last } };
    },

    fadd: (fw, rm, a, b) => fp2((x, y) => concrete.fadd(fw, rm, x, y), () => fp().fadd(fw, rm, T(a), T(b)), fw, a, b),
    fsub: (fw, rm, a, b) => fp2((x, y) => concrete.fsub(fw, rm, x, y), () => fp().fsub(fw, rm, T(a), T(b)), fw, a, b),
    fmul: (fw, rm, a, b) => fp2((x, y) => concrete.fmul(fw, rm, x, y), () => fp().fmul(fw, rm, T(a), T(b)), fw, a, b),
    fdiv: (fw, rm, a, b) => fp2((x, y) => concrete.fdiv(fw, rm, x, y), () => fp().fdiv(fw, rm, T(a), T(b)), fw, a, b),
    fsqrt: (fw, rm, a) => fp1((x) => concrete.fsqrt(fw, rm, x), () => fp().fsqrt(fw, rm, T(a)), fw, a),
    ffma: (fw, rm, a, b, c) =>
      a.c !== undefined && b.c !== undefined && c.c !== undefined ? K(fw, concrete.ffma(fw, rm, a.c, b.c, c.c)) : lazyFp(fw, () => fp().ffma(fw, rm, T(a), T(b), T(c))),
    fneg: (fw, a) => fp1((x) => concrete.fneg(fw, x), () => sym.fneg(fw, T(a)), fw, a, false),
    fabs: (fw, a) => fp1((x) => concrete.fabs(fw, x), () => sym.fabs(fw, T(a)), fw, a, false),
    feq: (fw, a, b) => fcmp((x, y) => concrete.feq(fw, x, y), () => fp().feq(fw, T(a), T(b)), a, b),
    flt: (fw, a, b) => fcmp((x, y) => concrete.flt(fw, x, y), () => fp().flt(fw, T(a), T(b)), a, b),
    fle: (fw, a, b) => fcmp((x, y) => concrete.fle(fw, x, y), () => fp().fle(fw, T(a), T(b)), a, b),
    fisNaN: (fw, a) => (a.c !== undefined ? KB(concrete.fisNaN(fw, a.c)) : (d.fpTerms++, LB(() => fp().fisNaN(fw, T(a))))),
    fconvert: (from: FpWidth, to: FpWidth, rm: RoundingMode, a: SVal) =>
      a.c !== undefined ? K(to, concrete.fconvert(from, to, rm, a.c)) : lazyFp(to, () => fp().fconvert(from, to, rm, T(a))),
    fromInt: (w, signed, fw, rm, a) => (a.c !== undefined ? K(fw, concrete.fromInt(w, signed, fw, rm, a.c)) : lazyFp(fw, () => fp().fromInt(w, signed, fw, rm, T(a)))),
    toInt(fw, w, signed, rm, a, nan) {
      d.onUndefined?.(d.bnot(d.fisNaN(fw, a)));
      return a.c !== undefined ? K(w, concrete.toInt(fw, w, signed, rm, a.c, nan)) : lazyFp(w, () => fp().toInt(fw, w, signed, rm, T(a), nan));
    },
  };
  return d;
}

/** A memory base that reads every byte from one Z3 array (unless `special` answers first). */
export function arrayBase(d: VerifyDomain, array: SymMem, special?: (addr: SVal) => SVal | undefined): MemoryBase {
  return {
    readByte(addr) {
      const s = special?.(addr);
      if (s) return s;
      return { w: 8, off: 0n, part: 'full', mk: () => array.select(d.term(addr) as never) as unknown as SymBV };
    },
  };
}

/** Every store in a memory, oldest first. */
export function writesOf(mem: VMem): Write[] {
  const out: Write[] = [];
  for (let w = mem.last; w; w = w.prev) out.push(w);
  return out.reverse();
}
