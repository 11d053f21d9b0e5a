// Exact IEEE-754 binary32/binary64 arithmetic on bit patterns with bigint, for every rounding
// mode. JavaScript numbers only round to nearest-even, and have no fused multiply-add, so the
// concrete domain uses this where the hardware result cannot come from a JS operation. NaN
// results are the default (canonical) quiet NaN; the ISA semantics decide about propagation.

import type { FpWidth, RoundingMode } from './sem.js';

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

interface Format {
  readonly width: FpWidth;
  readonly expBits: number;
  /** Precision including the hidden bit. */
  readonly precision: number;
  readonly bias: number;
}

const formats: Record<FpWidth, Format> = {
  32: { width: 32, expBits: 8, precision: 24, bias: 127 },
  64: { width: 64, expBits: 11, precision: 53, bias: 1023 },
};

/** The default quiet NaN of a format (positive, quiet bit only), as RISC-V and AArch64 DN use. */
export function defaultNaN(fw: FpWidth): bigint {
  return fw === 32 ? 0x7fc00000n : 0x7ff8000000000000n;
}

/** A decoded float: NaN, infinity, or the exact value (-1)^sign * mant * 2^exp. */
export type Decoded =
  | { readonly kind: 'nan'; readonly sign: number; readonly quiet: boolean }
  | { readonly kind: 'inf'; readonly sign: number }
  | { readonly kind: 'num'; readonly sign: number; readonly mant: bigint; readonly exp: number };

/** Decodes a bit pattern of width fw. Zeros are `num` with mant 0. */
export function decode(fw: FpWidth, bits: bigint): Decoded {
  const f = formats[fw];
  const fracBits = f.precision - 1;
  const sign = Number((bits >> BigInt(fw - 1)) & 1n);
  const e = Number((bits >> BigInt(fracBits)) & ((1n << BigInt(f.expBits)) - 1n));
  const frac = bits & ((1n << BigInt(fracBits)) - 1n);
  const maxE = (1 << f.expBits) - 1;
  if (e === maxE) {
    return frac === 0n ? { kind: 'inf', sign } : { kind: 'nan', sign, quiet: (frac >> BigInt(fracBits - 1)) === 1n };
  }
  if (e === 0) return { kind: 'num', sign, mant: frac, exp: 1 - f.bias - fracBits };
  return { kind: 'num', sign, mant: frac | (1n << BigInt(fracBits)), exp: e - f.bias - fracBits };
}

function infinity(fw: FpWidth, sign: number): bigint {
  const f = formats[fw];
  return (BigInt(sign) << BigInt(fw - 1)) | (((1n << BigInt(f.expBits)) - 1n) << BigInt(f.precision - 1));
}

function maxFinite(fw: FpWidth, sign: number): bigint {
  return infinity(fw, sign) - 1n;
}

function zero(fw: FpWidth, sign: number): bigint {
  return BigInt(sign) << BigInt(fw - 1);
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

// ---------------------------------------------------------------------------------------------
// Rounding an exact value
// ---------------------------------------------------------------------------------------------

/** Whether rounding away from zero is due, given the truncated quotient's parity and remainder. */
function roundUp(rm: RoundingMode, sign: number, odd: boolean, half: -1 | 0 | 1, inexact: boolean): boolean {
  if (!inexact) return false;
  switch (rm) {
    case 'rne':
      return half > 0 || (half === 0 && odd);
    case 'rmm':
      return half >= 0;
    case 'rtz':
      return false;
    case 'rup':
      return sign === 0;
    case 'rdn':
      return sign === 1;
  }
}

/**
 * Rounds the exact nonzero value (-1)^sign * num / den * 2^exp2 (num, den > 0) to format fw.
 * Handles subnormals, overflow to infinity or the largest finite number per mode.
 */
export function roundRational(fw: FpWidth, rm: RoundingMode, sign: number, num: bigint, den: bigint, exp2: number): bigint {
  const f = formats[fw];
  const p = f.precision;
  const minExp = 1 - f.bias - (p - 1); // exponent of the smallest subnormal's unit
  // Choose e so that q = floor(value / 2^e) has p bits, then clamp to the subnormal range.
  let e = exp2 + bitLength(num) - bitLength(den) - p;
  const scaled = (shift: number): [bigint, bigint] => {
    // value / 2^e = num * 2^(exp2 - e) / den
    const s = exp2 - shift;
    return s >= 0 ? [num << BigInt(s), den] : [num, den << BigInt(-s)];
  };
  let [n, d] = scaled(e);
  let q = n / d;
  if (q >= 1n << BigInt(p)) {
    e += 1;
    [n, d] = scaled(e);
    q = n / d;
  } else if (q < 1n << BigInt(p - 1)) {
    e -= 1;
    [n, d] = scaled(e);
    q = n / d;
  }
  if (e < minExp) {
    e = minExp;
    [n, d] = scaled(e);
    q = n / d;
  }
  const r = n - q * d;
  const twice = 2n * r;
  const half: -1 | 0 | 1 = twice < d ? -1 : twice === d ? 0 : 1;
  if (roundUp(rm, sign, (q & 1n) === 1n, half, r !== 0n)) q += 1n;
  if (q === 1n << BigInt(p)) {
    q >>= 1n;
    e += 1;
  }
  const maxExp = (1 << f.expBits) - 2 - f.bias - (p - 1); // unit exponent of the largest binade
  if (e > maxExp) {
    const toInf = rm === 'rne' || rm === 'rmm' || (rm === 'rup' && sign === 0) || (rm === 'rdn' && sign === 1);
    return toInf ? infinity(fw, sign) : maxFinite(fw, sign);
  }
  if (q === 0n) return zero(fw, sign);
  // Encode: normal when the hidden bit is set, else subnormal (biased exponent 0).
  const hidden = 1n << BigInt(p - 1);
  const biased = q >= hidden ? BigInt(e + f.bias + (p - 1)) : 0n;
  return (BigInt(sign) << BigInt(fw - 1)) | (biased << BigInt(p - 1)) | (q & (hidden - 1n));
}

/** Rounds an exact dyadic value m * 2^exp (m signed, may be 0) with the given zero sign. */
function roundDyadic(fw: FpWidth, rm: RoundingMode, m: bigint, exp: number, zeroSign: number): bigint {
  if (m === 0n) return zero(fw, zeroSign);
  return m < 0n ? roundRational(fw, rm, 1, -m, 1n, exp) : roundRational(fw, rm, 0, m, 1n, exp);
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

type Num = Extract<Decoded, { kind: 'num' }>;

function signed(x: Num): bigint {
  return x.sign ? -x.mant : x.mant;
}

/** Exact sum of two finite values as (m, exp). */
function addExact(a: Num, b: Num): [bigint, number] {
  const e = Math.min(a.exp, b.exp);
  return [(signed(a) << BigInt(a.exp - e)) + (signed(b) << BigInt(b.exp - e)), e];
}

/** The sign of an exact zero sum: -0 only if both are -0, or rounding down with differing signs. */
function zeroSumSign(rm: RoundingMode, a: number, b: number): number {
  if (a === b) return a;
  return rm === 'rdn' ? 1 : 0;
}

export function fadd(fw: FpWidth, rm: RoundingMode, x: bigint, y: bigint): bigint {
  const a = decode(fw, x);
  const b = decode(fw, y);
  if (a.kind === 'nan' || b.kind === 'nan') return defaultNaN(fw);
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf') return a.sign === b.sign ? infinity(fw, a.sign) : defaultNaN(fw);
    return infinity(fw, a.kind === 'inf' ? a.sign : (b as { sign: number }).sign);
  }
  const [m, e] = addExact(a, b);
  return roundDyadic(fw, rm, m, e, zeroSumSign(rm, a.sign, b.sign));
}

export function fsub(fw: FpWidth, rm: RoundingMode, x: bigint, y: bigint): bigint {
  return fadd(fw, rm, x, y ^ (1n << BigInt(fw - 1)));
}

export function fmul(fw: FpWidth, rm: RoundingMode, x: bigint, y: bigint): bigint {
  const a = decode(fw, x);
  const b = decode(fw, y);
  if (a.kind === 'nan' || b.kind === 'nan') return defaultNaN(fw);
  const sign = a.sign ^ b.sign;
  if (a.kind === 'inf' || b.kind === 'inf') {
    const other = a.kind === 'inf' ? b : a;
    return other.kind === 'num' && other.mant === 0n ? defaultNaN(fw) : infinity(fw, sign);
  }
  return roundDyadic(fw, rm, (sign ? -1n : 1n) * a.mant * b.mant, a.exp + b.exp, sign);
}

export function fdiv(fw: FpWidth, rm: RoundingMode, x: bigint, y: bigint): bigint {
  const a = decode(fw, x);
  const b = decode(fw, y);
  if (a.kind === 'nan' || b.kind === 'nan') return defaultNaN(fw);
  const sign = a.sign ^ b.sign;
  if (a.kind === 'inf') return b.kind === 'inf' ? defaultNaN(fw) : infinity(fw, sign);
  if (b.kind === 'inf') return zero(fw, sign);
  if (b.mant === 0n) return a.mant === 0n ? defaultNaN(fw) : infinity(fw, sign);
  if (a.mant === 0n) return zero(fw, sign);
  return roundRational(fw, rm, sign, a.mant, b.mant, a.exp - b.exp);
}

/** Integer square root (floor). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function fsqrt(fw: FpWidth, rm: RoundingMode, x: bigint): bigint {
  const a = decode(fw, x);
  if (a.kind === 'nan') return defaultNaN(fw);
  if (a.kind === 'inf') return a.sign ? defaultNaN(fw) : x;
  if (a.mant === 0n) return x; // sqrt(+-0) = +-0
  if (a.sign) return defaultNaN(fw);
  // value = mant * 2^exp; scale by 2^(2k) for 2p+2 bits of root, with an even exponent.
  const p = formats[fw].precision;
  let exp = a.exp;
  let m = a.mant;
  if (exp & 1) {
    m <<= 1n;
    exp -= 1;
  }
  const k = Math.max(0, p + 2 - (bitLength(m) >> 1) + 1);
  const scaledM = m << BigInt(2 * k);
  const root = isqrt(scaledM);
  const exact = root * root === scaledM;
  // root approximates sqrt(m) * 2^k; a sticky bit below the root keeps rounding exact.
  const num = exact ? root : (root << 1n) | 1n;
  const e2 = exp / 2 - k - (exact ? 0 : 1);
  return roundRational(fw, rm, 0, num, 1n, e2);
}

export function ffma(fw: FpWidth, rm: RoundingMode, x: bigint, y: bigint, z: bigint): bigint {
  const a = decode(fw, x);
  const b = decode(fw, y);
  const c = decode(fw, z);
  if (a.kind === 'nan' || b.kind === 'nan' || c.kind === 'nan') return defaultNaN(fw);
  const ps = a.sign ^ b.sign;
  const aZero = a.kind === 'num' && a.mant === 0n;
  const bZero = b.kind === 'num' && b.mant === 0n;
  if ((a.kind === 'inf' && bZero) || (b.kind === 'inf' && aZero)) return defaultNaN(fw);
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (c.kind === 'inf' && c.sign !== ps) return defaultNaN(fw);
    return infinity(fw, ps);
  }
  if (c.kind === 'inf') return z;
  const product: Num = { kind: 'num', sign: ps, mant: a.mant * b.mant, exp: a.exp + b.exp };
  const [m, e] = addExact(product, c);
  return roundDyadic(fw, rm, m, e, zeroSumSign(rm, ps, c.sign));
}

/** Converts between formats with rounding. NaN gives the default NaN of the target. */
export function fconvert(from: FpWidth, to: FpWidth, rm: RoundingMode, x: bigint): bigint {
  const a = decode(from, x);
  if (a.kind === 'nan') return defaultNaN(to);
  if (a.kind === 'inf') return infinity(to, a.sign);
  return roundDyadic(to, rm, a.sign ? -a.mant : a.mant, a.exp, a.sign);
}

/** Integer (already interpreted, signed or unsigned) to float. Zero is +0. */
export function fromInteger(fw: FpWidth, rm: RoundingMode, v: bigint): bigint {
  return roundDyadic(fw, rm, v, 0, 0);
}

/**
 * Float to integer in [lo, hi] with rounding; out-of-range values saturate to lo/hi, NaN gives
 * `nanResult`. Returns the integer value (not yet reduced modulo 2^w).
 */
export function toInteger(fw: FpWidth, rm: RoundingMode, x: bigint, lo: bigint, hi: bigint, nanResult: bigint): bigint {
  const a = decode(fw, x);
  if (a.kind === 'nan') return nanResult;
  if (a.kind === 'inf') return a.sign ? lo : hi;
  let v: bigint;
  if (a.exp >= 0) v = a.mant << BigInt(a.exp);
  else {
    const shift = BigInt(-a.exp);
    const q = a.mant >> shift;
    const r = a.mant - (q << shift);
    const halfPoint = 1n << (shift - 1n);
    const half: -1 | 0 | 1 = r < halfPoint ? -1 : r === halfPoint ? 0 : 1;
    v = roundUp(rm, a.sign, (q & 1n) === 1n, half, r !== 0n) ? q + 1n : q;
  }
  if (a.sign) v = -v;
  return v < lo ? lo : v > hi ? hi : v;
}

/** IEEE comparison: -1, 0, 1, or undefined when unordered. */
export function compare(fw: FpWidth, x: bigint, y: bigint): -1 | 0 | 1 | undefined {
  const a = decode(fw, x);
  const b = decode(fw, y);
  if (a.kind === 'nan' || b.kind === 'nan') return undefined;
  const val = (d: Decoded): [number, bigint, number] =>
    d.kind === 'inf' ? [d.sign ? -1 : 1, 0n, 0] : [0, (d as Num).sign ? -(d as Num).mant : (d as Num).mant, (d as Num).exp];
  const [ia, ma, ea] = val(a);
  const [ib, mb, eb] = val(b);
  if (ia !== 0 || ib !== 0) return ia === ib ? 0 : ia < ib ? -1 : 1;
  const e = Math.min(ea, eb);
  const va = ma << BigInt(ea - e);
  const vb = mb << BigInt(eb - e);
  return va === vb ? 0 : va < vb ? -1 : 1;
}
