// The verification domain's two arithmetic rewrites, checked against their definitions with the
// real Z3 (at narrow widths, where the unrewritten terms still solve quickly) and, for the
// divisor condition, exhaustively:
// - `n - (n / m) * m`, with AArch64's division (0 when m is 0), is the remainder of n by m;
// - `(zext(x) * k) >> t` is `x / d` when k, t are a compiler's magic numbers for d.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symbolicDomain } from '../src/isa/symbolic.js';
import { loadZ3 } from '../src/verify/z3.js';
import { magicDivisor, verifyDomain } from '../src/verify/value.js';

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
