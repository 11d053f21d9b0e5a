// The two Domain implementations against each other: every operation, on random and edge-value
// inputs, computed by the concrete domain (bigint, softfloat, JS floats) and by the symbolic
// domain (Z3 terms, evaluated by Z3) must agree bit for bit. For floating point, Z3's
// IEEE-754 theory is the reference for every rounding mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'z3-solver';
import { concrete, ConcreteMemory } from '../src/isa/concrete.js';
import { symbolicDomain, type SymBV, type SymBool, type Z3LowLevel } from '../src/isa/symbolic.js';
import type { FpWidth, RoundingMode } from '../src/isa/sem.js';
import { mask } from '../src/isa/sem.js';
import { Rng } from '../src/util/random.js';
import { groundEvaluator } from './helpers/z3eval.js';

const { Context, Z3 } = await init();
const ctx = Context('main');
const sym = symbolicDomain(ctx, Z3 as unknown as Z3LowLevel);

const ground = groundEvaluator(ctx);
const valueOf = (x: SymBV): bigint => ground.value(x);
const truthOf = (x: SymBool): boolean => ground.truth(x);

/** Random values biased to edges: 0, 1, -1, INT_MIN/MAX, widths, and random bits. */
function edgyValue(rng: Rng, w: number): bigint {
  const m = mask(w);
  const edges = [0n, 1n, m, 1n << BigInt(w - 1), (1n << BigInt(w - 1)) - 1n, BigInt(w), BigInt(w - 1), BigInt(w + 1), 2n];
  if (rng.int(3) === 0) return rng.pick(edges) & m;
  let v = 0n;
  for (let i = 0; i < w; i += 32) v = (v << 32n) | BigInt(rng.nextU32());
  return v & m;
}

/** Random floats biased to specials: zeros, infinities, NaNs (quiet/signalling), subnormals. */
function edgyFloat(rng: Rng, fw: FpWidth): bigint {
  const specials32 = [0n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0x7f800001n, 0x00000001n, 0x007fffffn, 0x00800000n, 0x3f800000n, 0xbf800000n, 0x7f7fffffn, 0x4b000000n, 0x3effffffn];
  const specials64 = [0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff0000000000001n, 1n, 0x000fffffffffffffn, 0x0010000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7fefffffffffffffn, 0x4330000000000000n, 0x3fdfffffffffffffn, 0x43e0000000000000n];
  const r = rng.int(4);
  if (r === 0) return rng.pick(fw === 32 ? specials32 : specials64);
  if (r === 1) {
    // Moderate magnitudes, so sums and products are interesting rather than overflowing.
    const v = (rng.nextU32() / 2 ** 32 - 0.5) * 2 ** (rng.int(80) - 40);
    const dv = new DataView(new ArrayBuffer(8));
    if (fw === 32) {
      dv.setFloat32(0, v);
      return BigInt(dv.getUint32(0));
    }
    dv.setFloat64(0, v);
    return dv.getBigUint64(0);
  }
  return edgyValue(rng, fw);
}

const widths = [8, 32, 64];
const binaryOps = ['add', 'sub', 'mul', 'udiv', 'urem', 'sdiv', 'srem', 'and', 'or', 'xor', 'shl', 'lshr', 'ashr', 'rotr'] as const;
const compareOps = ['eq', 'ult', 'ule', 'slt', 'sle'] as const;

test('integer operations: concrete equals symbolic', async () => {
  const rng = new Rng(1);
  for (const w of widths) {
    for (let i = 0; i < 60; i++) {
      const a = edgyValue(rng, w);
      const b = edgyValue(rng, w);
      const sa = sym.bv(w, a);
      const sb = sym.bv(w, b);
      for (const op of binaryOps) {
        const want = concrete[op](w, a, b);
        assert.equal(valueOf(sym[op](w, sa, sb)), want, `${op}/${w}(${a}, ${b})`);
      }
      for (const op of compareOps) {
        assert.equal(truthOf(sym[op](w, sa, sb)), concrete[op](w, a, b), `${op}/${w}(${a}, ${b})`);
      }
      assert.equal(valueOf(sym.neg(w, sa)), concrete.neg(w, a));
      assert.equal(valueOf(sym.not(w, sa)), concrete.not(w, a));
      assert.equal(valueOf(sym.clz(w, sa)), concrete.clz(w, a), `clz/${w}(${a})`);
      assert.equal(valueOf(sym.rbit(w, sa)), concrete.rbit(w, a), `rbit/${w}(${a})`);
      assert.equal(valueOf(sym.sext(w, sa, 128)), concrete.sext(w, a, 128));
      assert.equal(valueOf(sym.zext(w, sa, 128)), concrete.zext(w, a, 128));
      const hi = rng.int(w);
      const lo = rng.int(hi + 1);
      assert.equal(valueOf(sym.extract(w, sa, hi, lo)), concrete.extract(w, a, hi, lo));
      assert.equal(valueOf(sym.concat(w, sa, w, sb)), concrete.concat(w, a, w, b));
    }
  }
});

test('SMT-LIB division conventions hold in the concrete domain', () => {
  assert.equal(concrete.udiv(64, 5n, 0n), mask(64));
  assert.equal(concrete.urem(64, 5n, 0n), 5n);
  assert.equal(concrete.sdiv(64, 1n << 63n, mask(64)), 1n << 63n, 'INT_MIN / -1 wraps');
  assert.equal(concrete.srem(64, 1n << 63n, mask(64)), 0n);
  assert.equal(concrete.sdiv(32, 0xfffffff9n, 2n), 0xfffffffdn, '-7 / 2 = -3 (truncation)');
  assert.equal(concrete.srem(32, 0xfffffff9n, 2n), 0xffffffffn, '-7 % 2 = -1');
});

test('memory: little-endian loads and stores agree, unwritten bytes come from the initializer', async () => {
  const mem = new ConcreteMemory((a) => Number(a & 0xffn) ^ 0x5a);
  concrete.store(mem, 0x1000n, 0x1122334455667788n, 8);
  assert.equal(concrete.load(mem, 0x1002n, 2), 0x5566n);
  assert.equal(concrete.load(mem, 0x1007n, 2), BigInt(((0x08 ^ 0x5a) << 8) | 0x11));
  const sm = sym.memory('m0');
  const stored = sym.store(sm, sym.bv(64, 0x1000n), sym.bv(64, 0x1122334455667788n), 8);
  assert.equal(valueOf(sym.load(stored, sym.bv(64, 0x1002n), 2)), 0x5566n);
  // A store that wraps around the top of the address space.
  concrete.store(mem, mask(64), 0xabcdn, 2);
  assert.equal(concrete.load(mem, 0n, 1), 0xabn);
});

const roundingModes: RoundingMode[] = ['rne', 'rtz', 'rdn', 'rup', 'rmm'];

test('floating point: concrete (JS + softfloat) equals Z3 IEEE-754, every rounding mode', async () => {
  const rng = new Rng(2);
  let cases = 0;
  for (const fw of [32, 64] as const) {
    for (let i = 0; i < 90; i++) {
      const a = edgyFloat(rng, fw);
      const b = edgyFloat(rng, fw);
      const c = edgyFloat(rng, fw);
      const [sa, sb, sc] = [sym.bv(fw, a), sym.bv(fw, b), sym.bv(fw, c)];
      const rm = roundingModes[i % roundingModes.length]!;
      const hex = (x: bigint): string => '0x' + x.toString(16);
      const where = `${fw} ${rm} a=${hex(a)} b=${hex(b)} c=${hex(c)}`;
      for (const op of ['fadd', 'fsub', 'fmul', 'fdiv'] as const) {
        assert.equal(hex(valueOf(sym[op](fw, rm, sa, sb))), hex(concrete[op](fw, rm, a, b)), `${op} ${where}`);
      }
      assert.equal(hex(valueOf(sym.fsqrt(fw, rm, sa))), hex(concrete.fsqrt(fw, rm, a)), `fsqrt ${where}`);
      assert.equal(hex(valueOf(sym.ffma(fw, rm, sa, sb, sc))), hex(concrete.ffma(fw, rm, a, b, c)), `ffma ${where}`);
      for (const op of ['feq', 'flt', 'fle', 'fisNaN'] as const) {
        assert.equal(truthOf(sym[op](fw, sa, sb)), concrete[op](fw, a, b), `${op} ${where}`);
      }
      const other: FpWidth = fw === 32 ? 64 : 32;
      assert.equal(hex(valueOf(sym.fconvert(fw, other, rm, sa))), hex(concrete.fconvert(fw, other, rm, a)), `fconvert ${where}`);
      for (const w of [32, 64]) {
        for (const signed of [true, false]) {
          const nan = signed ? mask(w - 1) : mask(w);
          assert.equal(hex(valueOf(sym.toInt(fw, w, signed, rm, sa, nan))), hex(concrete.toInt(fw, w, signed, rm, a, nan)), `toInt ${w} ${signed} ${where}`);
          const iv = edgyValue(rng, w);
          assert.equal(hex(valueOf(sym.fromInt(w, signed, fw, rm, sym.bv(w, iv)))), hex(concrete.fromInt(w, signed, fw, rm, iv)), `fromInt ${w} ${signed} ${hex(iv)} ${fw} ${rm}`);
        }
      }
      cases++;
    }
  }
  assert.equal(cases, 180);
});
