// AArch64 Advanced SIMD semantics for the forms gcc emits for copies and simple vector code at
// -O2 (movi/mvni, bitwise operations and bsl, lane-wise integer arithmetic, compares and shifts,
// widening and pairwise operations, lane moves, ld1/st1 and FP lane arithmetic). A vector value
// is the 128-bit (or 64-bit, for `8b`/`4h`/`2s`) register split into lanes; 64-bit arrangements
// zero the upper half of the destination, as scalar writes do.

import type { Expr, RegOperand, RegListOperand } from '../../ir/program.js';
import { ARRANGEMENTS } from './registers.js';
import {
  type Bool, type D, type FormFn, type Insn, type St, type Val, NEXT, SemanticsError,
  constNum, constValue, evalExpr, opAt, readFpr, readGpr, regOp, writeFpr, writeGpr,
} from './sem-common.js';
import { address, memOp } from './sem-mem.js';
import { defaultNaNMode, fpBinary } from './sem-fp.js';

// ---------------------------------------------------------------------------------------------
// Lanes
// ---------------------------------------------------------------------------------------------

interface Shape {
  /** Total bits of the operand (64 or 128 for vectors; the element size for a lane). */
  readonly width: number;
  readonly lanes: number;
  readonly elem: number;
}

/** The shape of a vector operand (`v0.4s`), or of a scalar FP register (`d0` = one 64-bit lane). */
function shapeOf(op: RegOperand<'aarch64'>): Shape {
  if (op.arrangement !== undefined && op.lane === undefined) {
    const a = ARRANGEMENTS.get(op.arrangement.toLowerCase());
    if (a && a.width >= 64) return a;
  }
  if (op.reg.file === 'fpr') return { width: op.reg.width, lanes: 1, elem: op.reg.width };
  throw new SemanticsError(`not a whole vector: ${op.reg.name}`);
}

/** The element size of an element operand (`v0.s[1]`). */
function elemSize(op: RegOperand<'aarch64'>): number {
  const a = op.arrangement === undefined ? undefined : ARRANGEMENTS.get(op.arrangement.toLowerCase());
  if (!a || op.lane === undefined) throw new SemanticsError(`not a vector element: ${op.reg.name}`);
  return a.elem;
}

function split(d: D, width: number, elem: number, v: Val): Val[] {
  const out: Val[] = [];
  for (let i = 0; i < width / elem; i++) out.push(width === elem ? v : d.extract(width, v, i * elem + elem - 1, i * elem));
  return out;
}

function join(d: D, elem: number, lanes: readonly Val[]): Val {
  let v = lanes[lanes.length - 1]!;
  let w = elem;
  for (let i = lanes.length - 2; i >= 0; i--) {
    v = d.concat(w, v, elem, lanes[i]!);
    w += elem;
  }
  return v;
}

function readVec(st: St, op: RegOperand<'aarch64'>, s: Shape = shapeOf(op)): Val[] {
  return split(st.d, s.width, s.elem, readFpr(st, op.reg, s.width));
}

function writeVec(st: St, op: RegOperand<'aarch64'>, lanes: readonly Val[], elem: number): void {
  writeFpr(st, op.reg, join(st.d, elem, lanes), lanes.length * elem);
}

function vop(insn: Insn, i: number): RegOperand<'aarch64'> {
  return regOp(insn, i);
}

function immExpr(insn: Insn, i: number): Expr | undefined {
  const op = opAt(insn, i);
  return op.kind === 'imm' ? op.expr : undefined;
}

// ---------------------------------------------------------------------------------------------
// Immediates
// ---------------------------------------------------------------------------------------------

/** The lane value of a movi/mvni/orr/bic immediate (`#imm{, lsl|msl #n}`) for a lane size. */
function vectorImmediate(insn: Insn, i: number, elem: number): bigint {
  const op = opAt(insn, i);
  if (op.kind !== 'imm') throw new SemanticsError(`${insn.mnemonic}: needs an immediate`);
  const v = constValue(op.expr);
  if (v === undefined) throw new SemanticsError(`${insn.mnemonic}: needs a constant`);
  const amount = BigInt(constNum(insn, op.modifier?.amount, 0));
  const msl = op.modifier?.op.toLowerCase() === 'msl';
  const shifted = msl ? (v << amount) | ((1n << amount) - 1n) : v << amount;
  return BigInt.asUintN(elem, shifted);
}

// ---------------------------------------------------------------------------------------------
// Whole-register and bitwise forms
// ---------------------------------------------------------------------------------------------

function movi(invert: boolean): FormFn {
  return (st, insn) => {
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    const elem = s.lanes === 1 ? 64 : s.elem; // `movi d0, #imm` is one 64-bit lane
    let lane = vectorImmediate(insn, 1, elem);
    if (invert) lane = BigInt.asUintN(elem, ~lane);
    writeVec(st, dst, Array.from({ length: s.width / elem }, () => st.d.bv(elem, lane)), elem);
    return NEXT;
  };
}

type Bitwise = 'and' | 'orr' | 'eor' | 'bic' | 'orn';

function bitwise(d: D, op: Bitwise, w: number, a: Val, b: Val): Val {
  switch (op) {
    case 'and': return d.and(w, a, b);
    case 'orr': return d.or(w, a, b);
    case 'eor': return d.xor(w, a, b);
    case 'bic': return d.and(w, a, d.not(w, b));
    case 'orn': return d.or(w, a, d.not(w, b));
  }
}

/** and/orr/eor/bic/orn on whole vectors; orr/bic also take `#imm{, lsl #n}` per lane. */
function vecBitwise(op: Bitwise): FormFn {
  return (st, insn) => {
    const d = st.d;
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    if (insn.operands.length === 2) {
      const lane = vectorImmediate(insn, 1, s.elem);
      const imm = join(d, s.elem, Array.from({ length: s.lanes }, () => d.bv(s.elem, lane)));
      writeFpr(st, dst.reg, bitwise(d, op, s.width, readFpr(st, dst.reg, s.width), imm), s.width);
      return NEXT;
    }
    const a = readFpr(st, vop(insn, 1).reg, s.width);
    const b = readFpr(st, vop(insn, 2).reg, s.width);
    writeFpr(st, dst.reg, bitwise(d, op, s.width, a, b), s.width);
    return NEXT;
  };
}

/** `mov v0.16b, v1.16b` (orr with itself) and mvn/not. */
function vecMove(invert: boolean): FormFn {
  return (st, insn) => {
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    const v = readFpr(st, vop(insn, 1).reg, s.width);
    writeFpr(st, dst.reg, invert ? st.d.not(s.width, v) : v, s.width);
    return NEXT;
  };
}

/** bsl (select by d), bit (insert n where m), bif (insert n where not m). */
function bitSelect(kind: 'bsl' | 'bit' | 'bif'): FormFn {
  return (st, insn) => {
    const d = st.d;
    const dst = vop(insn, 0);
    const w = shapeOf(dst).width;
    const x = readFpr(st, dst.reg, w);
    const n = readFpr(st, vop(insn, 1).reg, w);
    const m = readFpr(st, vop(insn, 2).reg, w);
    const sel = (mask: Val, a: Val, b: Val): Val => d.or(w, d.and(w, mask, a), d.and(w, d.not(w, mask), b));
    const r = kind === 'bsl' ? sel(x, n, m) : kind === 'bit' ? sel(m, n, x) : sel(m, x, n);
    writeFpr(st, dst.reg, r, w);
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// Lane-wise integer forms
// ---------------------------------------------------------------------------------------------

type LaneFn = (d: D, e: number, a: Val, b: Val) => Val;

const ALL_ONES = (d: D, e: number, c: Bool): Val => d.ite(e, c, d.bv(e, -1n), d.bv(e, 0n));

const LANE_OPS: Readonly<Record<string, LaneFn>> = {
  add: (d, e, a, b) => d.add(e, a, b),
  sub: (d, e, a, b) => d.sub(e, a, b),
  mul: (d, e, a, b) => d.mul(e, a, b),
  cmeq: (d, e, a, b) => ALL_ONES(d, e, d.eq(e, a, b)),
  cmge: (d, e, a, b) => ALL_ONES(d, e, d.sle(e, b, a)),
  cmgt: (d, e, a, b) => ALL_ONES(d, e, d.slt(e, b, a)),
  cmhs: (d, e, a, b) => ALL_ONES(d, e, d.ule(e, b, a)),
  cmhi: (d, e, a, b) => ALL_ONES(d, e, d.ult(e, b, a)),
  cmle: (d, e, a, b) => ALL_ONES(d, e, d.sle(e, a, b)),
  cmlt: (d, e, a, b) => ALL_ONES(d, e, d.slt(e, a, b)),
  cmtst: (d, e, a, b) => ALL_ONES(d, e, d.bnot(d.eq(e, d.and(e, a, b), d.bv(e, 0n)))),
  smax: (d, e, a, b) => d.ite(e, d.slt(e, a, b), b, a),
  smin: (d, e, a, b) => d.ite(e, d.slt(e, a, b), a, b),
  umax: (d, e, a, b) => d.ite(e, d.ult(e, a, b), b, a),
  umin: (d, e, a, b) => d.ite(e, d.ult(e, a, b), a, b),
};

/** d = op(n, m) lane by lane; the compares also take `#0` for m. */
function laneBinary(name: string): FormFn {
  const f = LANE_OPS[name]!;
  return (st, insn) => {
    const d = st.d;
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    const a = readVec(st, vop(insn, 1), s);
    const third = opAt(insn, 2);
    const b = third.kind === 'reg' ? readVec(st, third, s) : a.map(() => d.bv(s.elem, BigInt(constNum(insn, third.kind === 'imm' ? third.expr : undefined))));
    writeVec(st, dst, a.map((x, i) => f(d, s.elem, x, b[i]!)), s.elem);
    return NEXT;
  };
}

/** mla/mls: d += / -= n * m lane by lane. */
function laneMulAcc(sub: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    const acc = readVec(st, dst, s);
    const a = readVec(st, vop(insn, 1), s);
    const b = readVec(st, vop(insn, 2), s);
    writeVec(st, dst, acc.map((x, i) => {
      const p = d.mul(s.elem, a[i]!, b[i]!);
      return sub ? d.sub(s.elem, x, p) : d.add(s.elem, x, p);
    }), s.elem);
    return NEXT;
  };
}

type LaneUnary = (d: D, e: number, a: Val) => Val;

function laneUnary(f: LaneUnary): FormFn {
  return (st, insn) => {
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    writeVec(st, dst, readVec(st, vop(insn, 1), s).map((x) => f(st.d, s.elem, x)), s.elem);
    return NEXT;
  };
}

function popcount(d: D, e: number, a: Val): Val {
  let c = d.bv(e, 0n);
  for (let i = 0; i < e; i++) c = d.add(e, c, d.zext(1, d.extract(e, a, i, i), e));
  return c;
}

/** Shifts by an immediate: shl, ushr, sshr (a right shift by the lane size is allowed). */
function laneShift(kind: 'shl' | 'ushr' | 'sshr'): FormFn {
  return (st, insn) => {
    const d = st.d;
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    const n = constNum(insn, immExpr(insn, 2));
    const amt = d.bv(s.elem, BigInt(n));
    const f = (x: Val): Val => (kind === 'shl' ? d.shl(s.elem, x, amt) : kind === 'ushr' ? d.lshr(s.elem, x, amt) : d.ashr(s.elem, x, amt));
    writeVec(st, dst, readVec(st, vop(insn, 1), s).map(f), s.elem);
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// Widening, narrowing, pairwise and permutes
// ---------------------------------------------------------------------------------------------

/** The lanes of a half-width source for a widening op: the low half, or the high half (`2`). */
function halfLanes(st: St, op: RegOperand<'aarch64'>, upper: boolean): { lanes: Val[]; elem: number } {
  const s = shapeOf(op);
  const all = split(st.d, 128, s.elem, readFpr(st, op.reg, 128));
  const n = 64 / s.elem;
  return { lanes: upper ? all.slice(n, 2 * n) : all.slice(0, n), elem: s.elem };
}

/** uxtl/sxtl(2): widen each lane. */
function widen(signed: boolean, upper: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const { lanes, elem } = halfLanes(st, vop(insn, 1), upper);
    writeVec(st, vop(insn, 0), lanes.map((x) => (signed ? d.sext(elem, x, 2 * elem) : d.zext(elem, x, 2 * elem))), 2 * elem);
    return NEXT;
  };
}

/** uaddw/saddw/usubw/ssubw(2): wide n plus or minus the widened lanes of m. */
function wideOp(signed: boolean, sub: boolean, upper: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    const n = readVec(st, vop(insn, 1), s);
    const { lanes, elem } = halfLanes(st, vop(insn, 2), upper);
    const ext = (x: Val): Val => (signed ? d.sext(elem, x, s.elem) : d.zext(elem, x, s.elem));
    writeVec(st, dst, n.map((x, i) => (sub ? d.sub(s.elem, x, ext(lanes[i]!)) : d.add(s.elem, x, ext(lanes[i]!)))), s.elem);
    return NEXT;
  };
}

/** smull/umull/saddl/uaddl/ssubl/usubl(2): widen both sources then operate. */
function longOp(signed: boolean, op: 'mul' | 'add' | 'sub', upper: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const a = halfLanes(st, vop(insn, 1), upper);
    const b = halfLanes(st, vop(insn, 2), upper);
    const e = 2 * a.elem;
    const ext = (x: Val): Val => (signed ? d.sext(a.elem, x, e) : d.zext(a.elem, x, e));
    const f = op === 'mul' ? d.mul : op === 'add' ? d.add : d.sub;
    writeVec(st, vop(insn, 0), a.lanes.map((x, i) => f.call(d, e, ext(x), ext(b.lanes[i]!))), e);
    return NEXT;
  };
}

/** addv/umaxv/...: reduce all lanes into a scalar of the lane size. */
function reduce(f: LaneFn): FormFn {
  return (st, insn) => {
    const d = st.d;
    const src = vop(insn, 1);
    const s = shapeOf(src);
    const lanes = readVec(st, src, s);
    let acc = lanes[0]!;
    for (let i = 1; i < lanes.length; i++) acc = f(d, s.elem, acc, lanes[i]!);
    writeFpr(st, vop(insn, 0).reg, acc, s.elem);
    return NEXT;
  };
}

/** addp: scalar (`addp d0, v0.2d`) or pairwise over the concatenation of n and m. */
const addp: FormFn = (st, insn) => {
  const d = st.d;
  const dst = vop(insn, 0);
  if (insn.operands.length === 2) {
    const lanes = readVec(st, vop(insn, 1));
    writeFpr(st, dst.reg, d.add(64, lanes[0]!, lanes[1]!), 64);
    return NEXT;
  }
  const s = shapeOf(dst);
  const all = [...readVec(st, vop(insn, 1), s), ...readVec(st, vop(insn, 2), s)];
  const out: Val[] = [];
  for (let i = 0; i < s.lanes; i++) out.push(d.add(s.elem, all[2 * i]!, all[2 * i + 1]!));
  writeVec(st, dst, out, s.elem);
  return NEXT;
};

/** uzp1/uzp2 (even/odd lanes of n:m), zip1/zip2 (interleave halves), trn1/trn2. */
function permute(kind: 'uzp' | 'zip' | 'trn', part: 0 | 1): FormFn {
  return (st, insn) => {
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    const n = readVec(st, vop(insn, 1), s);
    const m = readVec(st, vop(insn, 2), s);
    const out: Val[] = [];
    const half = s.lanes / 2;
    for (let i = 0; i < s.lanes; i++) {
      if (kind === 'uzp') {
        const all = [...n, ...m];
        out.push(all[2 * i + part]!);
      } else if (kind === 'zip') {
        const j = part * half + (i >> 1);
        out.push(i % 2 === 0 ? n[j]! : m[j]!);
      } else {
        const j = (i & ~1) + part;
        out.push(i % 2 === 0 ? n[j]! : m[j]!);
      }
    }
    writeVec(st, dst, out, s.elem);
    return NEXT;
  };
}

/** ext: bytes imm.. of m:n. */
const ext: FormFn = (st, insn) => {
  const d = st.d;
  const dst = vop(insn, 0);
  const w = shapeOf(dst).width;
  const both = d.concat(w, readFpr(st, vop(insn, 2).reg, w), w, readFpr(st, vop(insn, 1).reg, w));
  const lo = 8 * constNum(insn, immExpr(insn, 3));
  writeFpr(st, dst.reg, d.extract(2 * w, both, lo + w - 1, lo), w);
  return NEXT;
};

// ---------------------------------------------------------------------------------------------
// Lane moves
// ---------------------------------------------------------------------------------------------

function readElem(st: St, op: RegOperand<'aarch64'>): Val {
  const e = elemSize(op);
  return st.d.extract(128, st.get(op.reg.id), (op.lane! + 1) * e - 1, op.lane! * e);
}

function writeElem(st: St, op: RegOperand<'aarch64'>, v: Val): void {
  const e = elemSize(op);
  const lanes = split(st.d, 128, e, st.get(op.reg.id));
  lanes[op.lane!] = v;
  st.set(op.reg.id, join(st.d, e, lanes));
}

/** ins/mov into an element from a general register (low bits) or from another element. */
const ins: FormFn = (st, insn) => {
  const dst = vop(insn, 0);
  const src = vop(insn, 1);
  const e = elemSize(dst);
  const v = src.reg.file === 'gpr' ? readGpr(st, src.reg) : readElem(st, src);
  writeElem(st, dst, src.reg.file === 'gpr' && src.reg.width !== e ? st.d.extract(src.reg.width, v, e - 1, 0) : v);
  return NEXT;
};

/** umov/smov (and `mov x0, v0.d[1]`): an element to a general register. */
function toGpr(signed: boolean): FormFn {
  return (st, insn) => {
    const dst = vop(insn, 0);
    const src = vop(insn, 1);
    const e = elemSize(src);
    const v = readElem(st, src);
    writeGpr(st, dst.reg, e === dst.reg.width ? v : signed ? st.d.sext(e, v, dst.reg.width) : st.d.zext(e, v, dst.reg.width));
    return NEXT;
  };
}

/** dup: a general register or an element into every lane (or into a scalar: `dup s0, v1.s[1]`). */
const dup: FormFn = (st, insn) => {
  const dst = vop(insn, 0);
  const src = vop(insn, 1);
  const s = shapeOf(dst);
  let v: Val;
  if (src.reg.file === 'gpr') {
    const raw = readGpr(st, src.reg);
    v = src.reg.width === s.elem ? raw : st.d.extract(src.reg.width, raw, s.elem - 1, 0);
  } else {
    v = readElem(st, src);
  }
  writeVec(st, dst, Array.from({ length: s.lanes }, () => v), s.elem);
  return NEXT;
};

/** The `mov` element forms: to an element (ins), to a general register (umov), to a scalar (dup). */
const movElem: FormFn = (st, insn) => {
  const dst = vop(insn, 0);
  if (dst.lane !== undefined) return ins(st, insn);
  if (dst.reg.file === 'gpr') return toGpr(false)(st, insn);
  return dup(st, insn);
};

// ---------------------------------------------------------------------------------------------
// Structure loads and stores
// ---------------------------------------------------------------------------------------------

function regList(insn: Insn): RegListOperand<'aarch64'> {
  const op = opAt(insn, 0);
  if (op.kind !== 'reglist') throw new SemanticsError(`${insn.mnemonic}: needs a register list`);
  return op;
}

/** The written-back base of a post-indexed ld1/st1: plus the immediate or the register. */
function structureWriteback(st: St, insn: Insn, base: Val, moved: number): Val | undefined {
  const mem = memOp(insn);
  if (mem.mode !== 'post') return undefined;
  const p = mem.post!;
  return st.d.add(64, base, p.kind === 'imm' ? evalExpr(st, p.expr) : p.reg.zero ? st.d.bv(64, BigInt(moved)) : readGpr(st, p.reg));
}

/** ld1/st1 with one to four whole registers, or one lane (`st1 {v0.d}[1], [x0]`). */
function ld1st1(isLoad: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const list = regList(insn);
    const mem = memOp(insn);
    const { addr } = address(st, insn, { ...mem, mode: 'offset', post: undefined } as typeof mem);
    let at = addr;
    let moved = 0;
    for (const r of list.regs) {
      if (list.lane !== undefined) {
        const e = elemSize({ ...r, lane: list.lane });
        const el = { ...r, lane: list.lane };
        if (isLoad) writeElem(st, el, d.load(st.mem, at, e / 8));
        else st.mem = d.store(st.mem, at, readElem(st, el), e / 8);
        at = d.add(64, at, d.bv(64, BigInt(e / 8)));
        moved += e / 8;
        continue;
      }
      const s = shapeOf(r);
      const bytes = s.width / 8;
      if (isLoad) writeFpr(st, r.reg, d.load(st.mem, at, bytes), s.width);
      else st.mem = d.store(st.mem, at, readFpr(st, r.reg, s.width), bytes);
      at = d.add(64, at, d.bv(64, BigInt(bytes)));
      moved += bytes;
    }
    const wb = structureWriteback(st, insn, addr, moved);
    if (wb !== undefined) writeGpr(st, mem.base, wb);
    return NEXT;
  };
}

/** ld1r: one element loaded and replicated to every lane. */
const ld1r: FormFn = (st, insn) => {
  const d = st.d;
  const list = regList(insn);
  const mem = memOp(insn);
  const { addr } = address(st, insn, { ...mem, mode: 'offset', post: undefined } as typeof mem);
  const r = list.regs[0]!;
  const s = shapeOf(r);
  const v = d.load(st.mem, addr, s.elem / 8);
  writeVec(st, r, Array.from({ length: s.lanes }, () => v), s.elem);
  const wb = structureWriteback(st, insn, addr, s.elem / 8);
  if (wb !== undefined) writeGpr(st, mem.base, wb);
  return NEXT;
};

// ---------------------------------------------------------------------------------------------
// FP lanes
// ---------------------------------------------------------------------------------------------

function fpLanes(op: 'add' | 'sub' | 'mul' | 'div'): FormFn {
  return (st, insn) => {
    const dst = vop(insn, 0);
    const s = shapeOf(dst);
    if (s.elem !== 32 && s.elem !== 64) throw new SemanticsError('half precision lanes');
    const fw = s.elem;
    const a = readVec(st, vop(insn, 1), s);
    const b = readVec(st, vop(insn, 2), s);
    const dn = defaultNaNMode(st);
    writeVec(st, dst, a.map((x, i) => fpBinary(st.d, op, fw, x, b[i]!, dn)), s.elem);
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------

/** Advanced SIMD forms, keyed by the table's form names. */
export const SIMD_FORMS: ReadonlyMap<string, FormFn> = new Map<string, FormFn>([
  ['movi.vec', movi(false)],
  ['movi.fp', movi(false)],
  ['mvni.vec', movi(true)],
  ['mov.vec', vecMove(false)],
  ['mvn.vec', vecMove(true)],
  ['not.vec', vecMove(true)],
  ['and.vec', vecBitwise('and')],
  ['orr.vec', vecBitwise('orr')],
  ['eor.vec', vecBitwise('eor')],
  ['bic.vec', vecBitwise('bic')],
  ['orn.vec', vecBitwise('orn')],
  ['bsl.vec', bitSelect('bsl')],
  ['bit.vec', bitSelect('bit')],
  ['bif.vec', bitSelect('bif')],
  ...Object.keys(LANE_OPS).map((k): [string, FormFn] => [`${k}.vec`, laneBinary(k)]),
  ['mla.vec', laneMulAcc(false)],
  ['mls.vec', laneMulAcc(true)],
  ['neg.vec', laneUnary((d, e, a) => d.neg(e, a))],
  ['abs.vec', laneUnary((d, e, a) => d.ite(e, d.slt(e, a, d.bv(e, 0n)), d.neg(e, a), a))],
  ['cnt.vec', laneUnary(popcount)],
  ['shl.vec', laneShift('shl')],
  ['ushr.vec', laneShift('ushr')],
  ['sshr.vec', laneShift('sshr')],
  ['uxtl.vec', widen(false, false)],
  ['uxtl2.vec', widen(false, true)],
  ['sxtl.vec', widen(true, false)],
  ['sxtl2.vec', widen(true, true)],
  ['uaddw.vec', wideOp(false, false, false)],
  ['uaddw2.vec', wideOp(false, false, true)],
  ['saddw.vec', wideOp(true, false, false)],
  ['saddw2.vec', wideOp(true, false, true)],
  ['usubw.vec', wideOp(false, true, false)],
  ['usubw2.vec', wideOp(false, true, true)],
  ['ssubw.vec', wideOp(true, true, false)],
  ['ssubw2.vec', wideOp(true, true, true)],
  ['smull.vec', longOp(true, 'mul', false)],
  ['smull2.vec', longOp(true, 'mul', true)],
  ['umull.vec', longOp(false, 'mul', false)],
  ['umull2.vec', longOp(false, 'mul', true)],
  ['saddl.vec', longOp(true, 'add', false)],
  ['saddl2.vec', longOp(true, 'add', true)],
  ['uaddl.vec', longOp(false, 'add', false)],
  ['uaddl2.vec', longOp(false, 'add', true)],
  ['addv.vec', reduce(LANE_OPS.add!)],
  ['umaxv.vec', reduce(LANE_OPS.umax!)],
  ['uminv.vec', reduce(LANE_OPS.umin!)],
  ['smaxv.vec', reduce(LANE_OPS.smax!)],
  ['sminv.vec', reduce(LANE_OPS.smin!)],
  ['addp.vec', addp],
  ['uzp1.vec', permute('uzp', 0)],
  ['uzp2.vec', permute('uzp', 1)],
  ['zip1.vec', permute('zip', 0)],
  ['zip2.vec', permute('zip', 1)],
  ['trn1.vec', permute('trn', 0)],
  ['trn2.vec', permute('trn', 1)],
  ['ext.vec', ext],
  ['ins.elem', ins],
  ['mov.elem', movElem],
  ['umov.elem', toGpr(false)],
  ['smov.elem', toGpr(true)],
  ['dup.vec', dup],
  ['dup.elem', dup],
  ['ld1.off', ld1st1(true)],
  ['ld1.post', ld1st1(true)],
  ['st1.off', ld1st1(false)],
  ['st1.post', ld1st1(false)],
  ['ld1r.off', ld1r],
  ['ld1r.post', ld1r],
  ['fadd.vec', fpLanes('add')],
  ['fsub.vec', fpLanes('sub')],
  ['fmul.vec', fpLanes('mul')],
  ['fdiv.vec', fpLanes('div')],
]);
