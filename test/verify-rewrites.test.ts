// The verification domain's arithmetic rewrites, checked against their definitions with the
// real Z3 (at narrow widths, where the unrewritten terms still solve quickly) and, for the
// divisor conditions, exhaustively:
// - `n - (n / m) * m`, with AArch64's division (0 when m is 0) or a plain one, is the remainder;
// - `(zext(x) * k) >> t` is `x / d` when k, t are a compiler's magic numbers for d, also when x
//   was shifted right first;
// - gcc's signed division by a constant (a signed multiply-high by a magic number, perhaps adding
//   x back, an arithmetic shift, minus the sign mask of x) is `x / d`, rounding toward zero.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symbolicDomain } from '../src/isa/symbolic.js';
import { loadZ3 } from '../src/verify/z3.js';
import { magicDivisor, signedMagicDivisor, verifyDomain } from '../src/verify/value.js';

const { Context, Z3 } = await loadZ3();
const ctx = new Context('main');
const sym = symbolicDomain(ctx, Z3);
const d = verifyDomain(sym);

/** True when Z3 shows the two terms equal for every value of their unknowns. */
async function alwaysEqual(a: ReturnType<typeof d.term>, b: ReturnType<typeof d.term>): Promise<boolean> {
  const solver = new ctx.Solver();
  solver.set('timeout', 20_000);
  solver.add(ctx.Not(a.eq(b)));
  return (await solver.check()) === 'unsat';
}

test('magicDivisor agrees with division for every 16-bit x, for every divisor it names', () => {
  const n = 16;
  let named = 0;
  for (let divisor = 2n; divisor <= 300n; divisor++) {
    for (let t = n; t <= n + 17; t++) {
      const k = ((1n << BigInt(t)) + divisor - 1n) / divisor;
      const got = magicDivisor(n, k, t);
      if (got === undefined) continue;
      named++;
      for (let x = 0n; x < 1n << BigInt(n); x += 1n) {
        if ((x * k) >> BigInt(t) !== x / got) assert.fail(`k=${k} t=${t}: x=${x} gives ${(x * k) >> BigInt(t)}, not x/${got}`);
      }
    }
  }
  // Granlund and Montgomery: t = n + ceil(log2 d) always works, so every divisor is named.
  assert.ok(named >= 299, `${named} magic pairs`);
  // A k that is not a magic number names nothing.
  assert.equal(magicDivisor(16, 0xccccn, 19), undefined);
});

test('n - (n / m) * m becomes the remainder, and the two are equal (Z3, 8 bits)', async () => {
  for (const signed of [false, true]) {
    // Narrow, because the signed form is slow for Z3 already at 16 bits: the very reason for the rewrite.
    const w = 8;
    const n = d.fresh(`n${signed}`, w);
    const m = d.fresh(`m${signed}`, w);
    const zero = d.bv(w, 0n);
    const q = d.ite(w, d.eq(w, m, zero), zero, signed ? d.sdiv(w, n, m) : d.udiv(w, n, m));
    const r = d.sub(w, n, d.mul(w, q, m));
    const expected = signed ? d.srem(w, n, m) : d.urem(w, n, m);
    assert.ok(d.term(r).eqIdentity(d.term(expected)), `rewritten to ${d.term(r).sexpr()}`);
    const raw = sym.sub(w, d.term(n), sym.mul(w, sym.ite(w, sym.eq(w, d.term(m), sym.bv(w, 0n)), sym.bv(w, 0n), signed ? sym.sdiv(w, d.term(n), d.term(m)) : sym.udiv(w, d.term(n), d.term(m))), d.term(m)));
    assert.ok(await alwaysEqual(raw, d.term(expected)), 'the rewrite is an identity');
  }
  // Not a remainder: the quotient of another dividend.
  const [a, b, m] = [d.fresh('a', 16), d.fresh('b', 16), d.fresh('m', 16)];
  const q = d.ite(16, d.eq(16, m, d.bv(16, 0n)), d.bv(16, 0n), d.udiv(16, b, m));
  assert.equal(d.term(d.sub(16, a, d.mul(16, q, m))).sexpr().includes('bvurem'), false);
});

test('a multiply by a magic number and a shift become a division, and the two are equal (Z3, 16 bits)', async () => {
  const x = d.fresh('x', 16);
  // x / 10 in 16 bits: k = ceil(2^19 / 10) = 0xcccd, t = 19, as one shift and as two.
  const product = d.mul(32, d.zext(16, x, 32), d.bv(32, 0xcccdn));
  const once = d.lshr(32, product, d.bv(32, 19n));
  const twice = d.lshr(16, d.extract(32, d.lshr(32, product, d.bv(32, 16n)), 15, 0), d.bv(16, 3n));
  const quotient = d.udiv(16, x, d.bv(16, 10n));
  assert.ok(d.term(twice).eqIdentity(d.term(quotient)), `rewritten to ${d.term(twice).sexpr()}`);
  assert.ok(d.term(once).sexpr().includes('bvudiv'));
  const raw = sym.lshr(32, sym.mul(32, sym.zext(16, d.term(x), 32), sym.bv(32, 0xcccdn)), sym.bv(32, 19n));
  assert.ok(await alwaysEqual(raw, sym.zext(16, d.term(quotient), 32)), 'the rewrite is an identity');
  // One bit less is x / 5 (0xcccd is magic for it too), checked the same way; two bits less is no
  // division at all, and is left alone.
  const fifth = d.lshr(32, product, d.bv(32, 18n));
  assert.ok(d.term(fifth).sexpr().includes('bvudiv'));
  const rawFifth = sym.lshr(32, sym.mul(32, sym.zext(16, d.term(x), 32), sym.bv(32, 0xcccdn)), sym.bv(32, 18n));
  assert.ok(await alwaysEqual(rawFifth, sym.zext(16, sym.udiv(16, d.term(x), sym.bv(16, 5n)), 32)));
  assert.equal(d.term(d.lshr(32, product, d.bv(32, 17n))).sexpr().includes('bvudiv'), false);
});

test('signedMagicDivisor agrees with C division for every 16-bit signed x, for every divisor it names', () => {
  const n = 16;
  let named = 0;
  const divisors = new Set<bigint>();
  for (let divisor = 2n; divisor <= 300n; divisor++) {
    for (let t = n - 1; t <= n + 17; t++) {
      const k = ((1n << BigInt(t)) + divisor - 1n) / divisor;
      const got = signedMagicDivisor(n, k, t);
      if (got === undefined) continue;
      named++;
      divisors.add(got);
      // Exact in doubles: |x * k| < 2^15 * 2^34.
      const [kn, scale, dn] = [Number(k), 2 ** t, Number(got)];
      for (let x = -(2 ** (n - 1)); x < 2 ** (n - 1); x++) {
        const q = Math.floor((x * kn) / scale) + (x < 0 ? 1 : 0);
        if (q !== Math.trunc(x / dn)) assert.fail(`k=${k} t=${t}: x=${x} gives ${q}, not x/${got}`);
      }
    }
  }
  // Every divisor but the powers of two (k*d = 2^t exactly there: gcc shifts instead, and the
  // rounding correction would be off by one for negative multiples).
  const powers = [2n, 4n, 8n, 16n, 32n, 64n, 128n, 256n];
  assert.equal(divisors.size, 299 - powers.length);
  for (const p of powers) assert.ok(!divisors.has(p), `${p} is named`);
  assert.ok(named >= 299 - powers.length, `${named} magic pairs`);
  // gcc's own numbers: x / 7 in 32 bits (0x92492493, shift 2, x added back) and x / 3 in 64 bits.
  assert.equal(signedMagicDivisor(32, 0x92492493n, 34), 7n);
  assert.equal(signedMagicDivisor(64, 0x5555555555555556n, 64), 3n);
  assert.equal(signedMagicDivisor(32, 0x92492491n, 34), undefined);
  assert.equal(signedMagicDivisor(64, 0x5555555555555555n, 64), undefined, 'one less is not magic: x = -3 would give 0');
});

test('gcc\'s signed division by a constant becomes x / d, with the remainder after it (Z3, 12 bits)', async () => {
  // Narrow: Z3 takes tens of seconds on a signed division at 16 bits.
  const w = 12;
  const x = d.fresh('sx', w);
  /** The high half of sext(x) * sext(k), as smull + lsr or smulh compute it. */
  const high = (k: bigint, via: 'lsr' | 'extract'): ReturnType<typeof d.fresh> => {
    const p = d.mul(2 * w, d.sext(w, x, 2 * w), d.sext(w, d.bv(w, k), 2 * w));
    return via === 'lsr' ? d.extract(2 * w, d.lshr(2 * w, p, d.bv(2 * w, BigInt(w))), w - 1, 0) : d.extract(2 * w, p, 2 * w - 1, w);
  };
  const rawHigh = (k: bigint) => sym.extract(2 * w, sym.mul(2 * w, sym.sext(w, d.term(x), 2 * w), sym.bv(2 * w, BigInt.asUintN(2 * w, BigInt.asIntN(w, k)))), 2 * w - 1, w);
  const signMask = d.ashr(w, x, d.bv(w, BigInt(w - 1)));
  const rawSign = sym.ashr(w, d.term(x), sym.bv(w, BigInt(w - 1)));
  // x / 7: k = ceil(2^14 / 7) = 0x925 does not fit a signed word: gcc multiplies by k - 2^12 and
  // adds x back. Its neighbours are no magic numbers, and are left alone.
  for (const [k, expected] of [[0x925n, 7n], [0x926n, undefined], [0x924n, undefined]] as const) {
    for (const via of expected === undefined ? (['lsr'] as const) : (['lsr', 'extract'] as const)) {
      const q = d.sub(w, d.ashr(w, d.add(w, x, high(k, via)), d.bv(w, 2n)), signMask);
      const raw = sym.sub(w, sym.ashr(w, sym.add(w, d.term(x), rawHigh(k)), sym.bv(w, 2n)), rawSign);
      const text = d.term(q).sexpr();
      if (expected === undefined) assert.ok(!text.includes('bvsdiv'), `k=${k.toString(16)} is no magic number: ${text}`);
      else assert.ok(d.term(q).eqIdentity(d.term(d.sdiv(w, x, d.bv(w, expected)))), `rewritten to ${text}`);
      assert.ok(await alwaysEqual(raw, d.term(q)), `k=${k.toString(16)} via ${via}: the rewrite is an identity`);
    }
  }
  // x % 3: q = high(ceil(2^12 / 3) = 0x556) - sign mask, then x - (q << 1 + q).
  const q3 = d.sub(w, high(0x556n, 'extract'), signMask);
  const r3 = d.sub(w, x, d.add(w, d.shl(w, q3, d.bv(w, 1n)), q3));
  assert.ok(d.term(r3).eqIdentity(d.term(d.srem(w, x, d.bv(w, 3n)))), `rewritten to ${d.term(r3).sexpr()}`);
  const rawQ3 = sym.sub(w, rawHigh(0x556n), rawSign);
  const rawR3 = sym.sub(w, d.term(x), sym.add(w, sym.shl(w, rawQ3, sym.bv(w, 1n)), rawQ3));
  assert.ok(await alwaysEqual(rawR3, d.term(r3)), 'the remainder rewrite is an identity');
});

test('a dividend shifted right before the magic multiply divides the unshifted one (Z3, 16 bits)', async () => {
  const x = d.fresh('ux', 16);
  // x / 40 as gcc divides 64-bit x / 1000: (x >> 3) * ceil(2^16 / 5) >> 16, magic only for 13-bit dividends.
  const pre = d.lshr(16, x, d.bv(16, 3n));
  const q = d.extract(32, d.lshr(32, d.mul(32, d.zext(16, pre, 32), d.bv(32, 13108n)), d.bv(32, 16n)), 15, 0);
  assert.ok(d.term(q).eqIdentity(d.term(d.udiv(16, x, d.bv(16, 40n)))), `rewritten to ${d.term(q).sexpr()}`);
  const raw = sym.extract(32, sym.lshr(32, sym.mul(32, sym.zext(16, sym.lshr(16, d.term(x), sym.bv(16, 3n)), 32), sym.bv(32, 13108n)), sym.bv(32, 16n)), 15, 0);
  assert.ok(await alwaysEqual(raw, d.term(q)), 'the rewrite is an identity');
  // Without the pre-shift the same numbers are no division of a 16-bit x.
  const plain = d.extract(32, d.lshr(32, d.mul(32, d.zext(16, x, 32), d.bv(32, 13108n)), d.bv(32, 16n)), 15, 0);
  assert.equal(d.term(plain).sexpr().includes('bvudiv'), false);
});
