// The Domain interface that every instruction semantics function is written against. One
// semantics, two interpretations: the concrete domain (bigint arithmetic, the emulator) and the
// symbolic domain (Z3 bit-vectors and arrays, the prover) implement the same operations, so the
// emulator and the prover cannot drift apart.
//
// Conventions:
// - Every bit-vector operation takes its width `w` explicitly. The concrete domain then needs no
//   boxed values (a value is a bigint in [0, 2^w)), and the symbolic domain checks it.
// - Division and remainder follow SMT-LIB (x udiv 0 = all ones, x urem 0 = x, sdiv/srem by
//   truncation, INT_MIN sdiv -1 = INT_MIN). Each ISA's semantics builds its own rules for division
//   by zero on top with `ite`, so the ISA difference is visible in one place.
// - Shift amounts are bit-vectors of the same width; shifting by >= w gives 0 (or all sign bits
//   for ashr), as in SMT-LIB. ISAs that mask the amount (both of ours do) mask it explicitly.
// - Floating point works on bit patterns: FP operations take and return bit-vectors of width 32
//   or 64, so registers stay plain bit-vectors and NaN payloads are explicit.

/** IEEE-754 rounding modes, named as in SMT-LIB. */
export type RoundingMode = 'rne' | 'rtz' | 'rdn' | 'rup' | 'rmm';

/** Scalar floating-point formats by bit width. */
export type FpWidth = 32 | 64;

/**
 * Operations on fixed-width bit-vectors (`V`), booleans (`B`) and byte-addressed little-endian
 * memories (`M`).
 */
export interface Domain<V, B, M> {
  readonly kind: 'concrete' | 'symbolic';

  // ---- constants and structure ----
  /** The constant `value` (taken modulo 2^w) of width `w`. */
  bv(w: number, value: bigint): V;
  /** Bits `hi..lo` of `a` (width `hi - lo + 1`). */
  extract(w: number, a: V, hi: number, lo: number): V;
  /** `hi` (width `wh`) above `lo` (width `wl`). */
  concat(wh: number, hi: V, wl: number, lo: V): V;
  zext(w: number, a: V, to: number): V;
  sext(w: number, a: V, to: number): V;
  ite(w: number, c: B, a: V, b: V): V;

  // ---- arithmetic and logic ----
  add(w: number, a: V, b: V): V;
  sub(w: number, a: V, b: V): V;
  mul(w: number, a: V, b: V): V;
  udiv(w: number, a: V, b: V): V;
  urem(w: number, a: V, b: V): V;
  sdiv(w: number, a: V, b: V): V;
  srem(w: number, a: V, b: V): V;
  neg(w: number, a: V): V;
  and(w: number, a: V, b: V): V;
  or(w: number, a: V, b: V): V;
  xor(w: number, a: V, b: V): V;
  not(w: number, a: V): V;
  shl(w: number, a: V, amount: V): V;
  lshr(w: number, a: V, amount: V): V;
  ashr(w: number, a: V, amount: V): V;
  rotr(w: number, a: V, amount: V): V;
  /** Count leading zeros. */
  clz(w: number, a: V): V;
  /** Reverse the bit order. */
  rbit(w: number, a: V): V;

  // ---- comparisons and booleans ----
  eq(w: number, a: V, b: V): B;
  ult(w: number, a: V, b: V): B;
  ule(w: number, a: V, b: V): B;
  slt(w: number, a: V, b: V): B;
  sle(w: number, a: V, b: V): B;
  bool(value: boolean): B;
  band(a: B, b: B): B;
  bor(a: B, b: B): B;
  bxor(a: B, b: B): B;
  bnot(a: B): B;
  /** A 1-bit vector from a boolean. */
  fromBool(c: B): V;
  /** True when the 1-bit vector is 1. */
  toBool(a: V): B;

  // ---- memory ----
  /** Loads `bytes` bytes little-endian from `addr` (width 64). Result width `8 * bytes`. */
  load(mem: M, addr: V, bytes: number): V;
  /** Stores the low `bytes` bytes of `value` little-endian at `addr`; returns the new memory. */
  store(mem: M, addr: V, value: V, bytes: number): M;

  // ---- floating point, on bit patterns of width fw ----
  fadd(fw: FpWidth, rm: RoundingMode, a: V, b: V): V;
  fsub(fw: FpWidth, rm: RoundingMode, a: V, b: V): V;
  fmul(fw: FpWidth, rm: RoundingMode, a: V, b: V): V;
  fdiv(fw: FpWidth, rm: RoundingMode, a: V, b: V): V;
  fsqrt(fw: FpWidth, rm: RoundingMode, a: V): V;
  /** Fused a * b + c with one rounding. */
  ffma(fw: FpWidth, rm: RoundingMode, a: V, b: V, c: V): V;
  fneg(fw: FpWidth, a: V): V;
  fabs(fw: FpWidth, a: V): V;
  /** IEEE equality (false on NaN). */
  feq(fw: FpWidth, a: V, b: V): B;
  flt(fw: FpWidth, a: V, b: V): B;
  fle(fw: FpWidth, a: V, b: V): B;
  fisNaN(fw: FpWidth, a: V): B;
  /** Converts between formats (f32 <-> f64) with rounding. */
  fconvert(from: FpWidth, to: FpWidth, rm: RoundingMode, a: V): V;
  /** Integer (width w, signed or not) to float with rounding. */
  fromInt(w: number, signed: boolean, fw: FpWidth, rm: RoundingMode, a: V): V;
  /**
   * Float to integer of width w, rounding with rm. Out-of-range values and NaN follow the
   * given saturation policy, which the ISA supplies (both of ours saturate; NaN differs).
   */
  toInt(fw: FpWidth, w: number, signed: boolean, rm: RoundingMode, a: V, nanResult: bigint): V;
}

/** Any domain, for code that does not care about the representation. */
export type AnyDomain = Domain<unknown, unknown, unknown>;

/** Mask of the low `w` bits. */
export function mask(w: number): bigint {
  return (1n << BigInt(w)) - 1n;
}

/** Interprets an unsigned w-bit value as signed. */
export function toSigned(w: number, v: bigint): bigint {
  return v >= 1n << BigInt(w - 1) ? v - (1n << BigInt(w)) : v;
}
