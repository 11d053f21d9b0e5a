// Shared helpers of the CPU kernels (AssemblyScript): the work split and a vectorised exp.
// Every kernel is called once per chunk (`chunk` of `chunks`), by whichever thread claims it; a
// chunk only depends on (n, chunk, chunks), so each output element is computed by exactly one call
// and the arithmetic of an element never depends on which thread ran it or on how many there are.

/** Start of part `i` when `n` items are cut into `parts` contiguous parts. */
// @ts-ignore: decorator
@inline
export function part(n: i32, i: i32, parts: i32): i32 {
  return <i32>((<i64>n * <i64>i) / <i64>parts);
}

// @ts-ignore: decorator
@inline
export function minI(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// Cephes-style expf: range reduction by ln 2 in two parts, a degree-6 polynomial, and 2^n built in
// the exponent bits. Results below the normal range (x < ln 2^-126) are exactly 0, never
// subnormal: the masked scores of attention (-Infinity) must give exact zeros. A clamped ~1e-38
// there, divided by the row sum, was a subnormal probability in every masked cell, and the
// matrix products fed with them ran 8-17 times slower on Intel CPUs (a microcode assist per SIMD
// operation with a subnormal operand; AMD's cores take none), as seen on an H200 machine's Xeon.
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  const underflow = f32x4.lt(x, f32x4.splat(-87.3365447));
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3365447)), f32x4.splat(88.3762626));
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504089)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  // n is in [-126, 127] after the clamp, so the biased exponent never leaves 1..254.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, scale), underflow);
}

/** Scalar exp through the vector path, so tails of a row round exactly like its body. */
// @ts-ignore: decorator
@inline
export function sexp(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}

/** Lane sum in a fixed order: (l0 + l1) + (l2 + l3). */
// @ts-ignore: decorator
@inline
export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Lane maximum. */
// @ts-ignore: decorator
@inline
export function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}
