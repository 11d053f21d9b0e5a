// The concrete Domain: bit-vectors are unsigned bigints in [0, 2^w), booleans are booleans, and
// memory is a sparse, paged byte store whose never-written bytes come from a seedable function
// (so random testing can start from arbitrary memory). The emulator runs semantics over it.

import * as sf from './softfloat.js';
import { type Domain, type FpWidth, type RoundingMode, mask, toSigned } from './sem.js';

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

const PAGE_BITS = 12n;
const PAGE_SIZE = 1 << Number(PAGE_BITS);
const ADDR_MASK = mask(64);
const PAGE_MASK = BigInt(PAGE_SIZE - 1);

interface Page {
  readonly data: Uint8Array;
  readonly view: DataView;
  /** 1 where the byte was written (or explicitly initialized). */
  readonly written: Uint8Array;
}

function newPage(data = new Uint8Array(PAGE_SIZE), written = new Uint8Array(PAGE_SIZE)): Page {
  return { data, view: new DataView(data.buffer), written };
}

/** Sparse little-endian byte memory. Mutable: `store` in the concrete domain updates in place. */
export class ConcreteMemory {
  private readonly pages = new Map<bigint, Page>();

  /** @param initial value of a byte never written (default 0). */
  constructor(readonly initial: (addr: bigint) => number = () => 0) {}

  // The last page touched: loads and stores cluster on a few pages (stack, one array).
  private lastKey = -1n;
  private lastPage: Page | undefined;

  private page(addr: bigint, create: boolean): Page | undefined {
    const key = addr >> PAGE_BITS;
    if (key === this.lastKey) return this.lastPage;
    let p = this.pages.get(key);
    if (!p && create) {
      p = newPage();
      this.pages.set(key, p);
    }
    if (p) {
      this.lastKey = key;
      this.lastPage = p;
    }
    return p;
  }

  readByte(addr: bigint): number {
    const a = addr & ADDR_MASK;
    const p = this.page(a, false);
    const off = Number(a & PAGE_MASK);
    return p && p.written[off] ? p.data[off]! : this.initial(a) & 0xff;
  }

  writeByte(addr: bigint, value: number): void {
    const a = addr & ADDR_MASK;
    const p = this.page(a, true)!;
    const off = Number(a & PAGE_MASK);
    p.data[off] = value & 0xff;
    p.written[off] = 1;
  }

  /** Little-endian load of `n` bytes; one page lookup when the access stays in a page. */
  load(addr: bigint, n: number): bigint {
    const a = addr & ADDR_MASK;
    const off = Number(a & PAGE_MASK);
    const p = off + n <= PAGE_SIZE ? this.page(a, false) : undefined;
    let v = 0n;
    if (p) {
      let all = true;
      for (let i = 0; i < n && all; i++) all = p.written[off + i] === 1;
      if (all) {
        switch (n) {
          case 1:
            return BigInt(p.data[off]!);
          case 2:
            return BigInt(p.view.getUint16(off, true));
          case 4:
            return BigInt(p.view.getUint32(off, true));
          case 8:
            return p.view.getBigUint64(off, true);
        }
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(p.data[off + i]!);
        return v;
      }
    }
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.readByte(a + BigInt(i)));
    return v;
  }

  /** Little-endian store of the low `n` bytes of `value`. */
  store(addr: bigint, value: bigint, n: number): void {
    const a = addr & ADDR_MASK;
    const off = Number(a & PAGE_MASK);
    if (off + n <= PAGE_SIZE) {
      const p = this.page(a, true)!;
      p.written.fill(1, off, off + n);
      switch (n) {
        case 1:
          p.data[off] = Number(value & 0xffn);
          return;
        case 2:
          p.view.setUint16(off, Number(value & 0xffffn), true);
          return;
        case 4:
          p.view.setUint32(off, Number(value & 0xffffffffn), true);
          return;
        case 8:
          p.view.setBigUint64(off, value & ADDR_MASK, true);
          return;
      }
      let v = value;
      for (let i = 0; i < n; i++) {
        p.data[off + i] = Number(v & 0xffn);
        v >>= 8n;
      }
      return;
    }
    for (let i = 0; i < n; i++) this.writeByte(a + BigInt(i), Number((value >> BigInt(8 * i)) & 0xffn));
  }

  /** Writes a byte string (e.g. an initial memory region). */
  writeBytes(addr: bigint, bytes: Uint8Array): void {
    bytes.forEach((b, i) => this.writeByte(addr + BigInt(i), b));
  }

  readBytes(addr: bigint, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.readByte(addr + BigInt(i));
    return out;
  }

  /** Every written byte, sorted by address. */
  writtenBytes(): [bigint, number][] {
    const out: [bigint, number][] = [];
    for (const [key, p] of this.pages) {
      for (let i = 0; i < PAGE_SIZE; i++) if (p.written[i]) out.push([(key << PAGE_BITS) + BigInt(i), p.data[i]!]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** An independent copy. */
  clone(): ConcreteMemory {
    const m = new ConcreteMemory(this.initial);
    for (const [key, p] of this.pages) m.pages.set(key, newPage(p.data.slice(), p.written.slice()));
    return m;
  }
}

// ---------------------------------------------------------------------------------------------
// Float helpers: bit patterns <-> JS numbers
// ---------------------------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function toNumber(fw: FpWidth, bits: bigint): number {
  if (fw === 64) {
    u64[0] = bits;
    return f64[0]!;
  }
  u32[0] = Number(bits);
  return f32[0]!;
}

function fromNumber(fw: FpWidth, x: number): bigint {
  if (Number.isNaN(x)) return sf.defaultNaN(fw);
  if (fw === 64) {
    f64[0] = x;
    return u64[0]!;
  }
  f32[0] = x;
  return BigInt(u32[0]!);
}

/** Applies a binary op: JS arithmetic is exact-then-RNE for f64, and for f32 through f64. */
function jsBinary(fw: FpWidth, a: bigint, b: bigint, op: (x: number, y: number) => number): bigint {
  const r = op(toNumber(fw, a), toNumber(fw, b));
  return fromNumber(fw, fw === 32 ? Math.fround(r) : r);
}

// ---------------------------------------------------------------------------------------------
// The domain
// ---------------------------------------------------------------------------------------------

// Masks are needed on almost every operation; computing them is a bigint shift and subtract.
const MASKS: bigint[] = Array.from({ length: 129 }, (_, w) => mask(w));
const W = (w: number): bigint => MASKS[w] ?? mask(w);

function shiftAmount(w: number, amount: bigint): number {
  return amount >= BigInt(w) ? w : Number(amount);
}

/** The concrete domain. Stateless; a single instance serves everything. */
export const concrete: Domain<bigint, boolean, ConcreteMemory> = {
  kind: 'concrete',
  bv: (w, v) => v & W(w),
  extract: (_w, a, hi, lo) => (a >> BigInt(lo)) & W(hi - lo + 1),
  concat: (_wh, hi, wl, lo) => (hi << BigInt(wl)) | lo,
  zext: (_w, a) => a,
  sext: (w, a, to) => toSigned(w, a) & W(to),
  ite: (_w, c, a, b) => (c ? a : b),

  add: (w, a, b) => (a + b) & W(w),
  sub: (w, a, b) => (a - b) & W(w),
  mul: (w, a, b) => (a * b) & W(w),
  udiv: (w, a, b) => (b === 0n ? W(w) : a / b),
  urem: (_w, a, b) => (b === 0n ? a : a % b),
  sdiv: (w, a, b) => {
    const sa = toSigned(w, a);
    const sb = toSigned(w, b);
    if (sb === 0n) return sa < 0n ? 1n : W(w);
    return (sa / sb) & W(w); // bigint division truncates, as SMT-LIB bvsdiv does
  },
  srem: (w, a, b) => {
    const sb = toSigned(w, b);
    if (sb === 0n) return a;
    return (toSigned(w, a) % sb) & W(w);
  },
  neg: (w, a) => -a & W(w),
  and: (_w, a, b) => a & b,
  or: (_w, a, b) => a | b,
  xor: (_w, a, b) => a ^ b,
  not: (w, a) => ~a & W(w),
  shl: (w, a, s) => (a << BigInt(shiftAmount(w, s))) & W(w),
  lshr: (w, a, s) => a >> BigInt(shiftAmount(w, s)),
  ashr: (w, a, s) => (toSigned(w, a) >> BigInt(shiftAmount(w, s))) & W(w),
  rotr: (w, a, s) => {
    const r = BigInt(Number(s % BigInt(w)));
    return ((a >> r) | (a << (BigInt(w) - r))) & W(w);
  },
  clz: (w, a) => BigInt(a === 0n ? w : w - a.toString(2).length),
  rbit: (w, a) => BigInt('0b' + (a.toString(2).padStart(w, '0').split('').reverse().join('') || '0')),

  eq: (_w, a, b) => a === b,
  ult: (_w, a, b) => a < b,
  ule: (_w, a, b) => a <= b,
  slt: (w, a, b) => toSigned(w, a) < toSigned(w, b),
  sle: (w, a, b) => toSigned(w, a) <= toSigned(w, b),
  bool: (v) => v,
  band: (a, b) => a && b,
  bor: (a, b) => a || b,
  bxor: (a, b) => a !== b,
  bnot: (a) => !a,
  fromBool: (c) => (c ? 1n : 0n),
  toBool: (a) => a === 1n,

  load: (mem, addr, bytes) => mem.load(addr, bytes),
  store(mem, addr, value, bytes) {
    mem.store(addr, value, bytes);
    return mem;
  },

  fadd: (fw, rm, a, b) => (rm === 'rne' ? jsBinary(fw, a, b, (x, y) => x + y) : sf.fadd(fw, rm, a, b)),
  fsub: (fw, rm, a, b) => (rm === 'rne' ? jsBinary(fw, a, b, (x, y) => x - y) : sf.fsub(fw, rm, a, b)),
  fmul: (fw, rm, a, b) => (rm === 'rne' ? jsBinary(fw, a, b, (x, y) => x * y) : sf.fmul(fw, rm, a, b)),
  fdiv: (fw, rm, a, b) => (rm === 'rne' ? jsBinary(fw, a, b, (x, y) => x / y) : sf.fdiv(fw, rm, a, b)),
  fsqrt: (fw, rm, a) => (rm === 'rne' ? jsBinary(fw, a, a, (x) => Math.sqrt(x)) : sf.fsqrt(fw, rm, a)),
  ffma: (fw, rm, a, b, c) => sf.ffma(fw, rm, a, b, c),
  fneg: (fw, a) => a ^ (1n << BigInt(fw - 1)),
  fabs: (fw, a) => a & W(fw - 1),
  feq: (fw, a, b) => sf.compare(fw, a, b) === 0,
  flt: (fw, a, b) => sf.compare(fw, a, b) === -1,
  fle: (fw, a, b) => {
    const c = sf.compare(fw, a, b);
    return c === -1 || c === 0;
  },
  fisNaN: (fw, a) => sf.decode(fw, a).kind === 'nan',
  fconvert: (from, to, rm: RoundingMode, a) => sf.fconvert(from, to, rm, a),
  fromInt: (w, signed, fw, rm, a) => sf.fromInteger(fw, rm, signed ? toSigned(w, a) : a),
  toInt(fw, w, signed, rm, a, nanResult) {
    const lo = signed ? -(1n << BigInt(w - 1)) : 0n;
    const hi = signed ? (1n << BigInt(w - 1)) - 1n : W(w);
    return sf.toInteger(fw, rm, a, lo, hi, toSigned(w, nanResult & W(w))) & W(w);
  },
};
