// AArch64 integer data-processing semantics: add/subtract (with flags and carry), logical
// operations, moves and wide immediates, shifts, multiplies and divides, bit-field operations,
// bit counting and reversal, and conditional select and compare. Each exported entry maps a
// form name of the instruction table to its one semantics function.

import {
  type FormFn, type Insn, type St, type Val, NEXT, SemanticsError,
  addWithCarry, condHolds, condOp, constNum, evalExpr, immNum, invertCond, logicFlags, opAt, operand2,
  readGpr, reg, writeGpr,
} from './sem-common.js';

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

/** The second source at width w: an immediate (`#imm{, lsl 12}`, possibly `:lo12:sym`) or a
 * shifted/extended register. Immediates are truncated to w bits, as the encoding does. */
function source(st: St, insn: Insn, i: number, w: number): Val {
  const d = st.d;
  const op = opAt(insn, i);
  if (op.kind === 'reg') return operand2(st, op, w, insn);
  if (op.kind !== 'imm') throw new SemanticsError(`${insn.mnemonic}: bad operand ${i + 1}`);
  let v = evalExpr(st, op.expr);
  if (op.modifier) v = d.shl(64, v, d.bv(64, BigInt(constNum(insn, op.modifier.amount, 0))));
  return w === 64 ? v : d.extract(64, v, w - 1, 0);
}

// ---------------------------------------------------------------------------------------------
// Add and subtract
// ---------------------------------------------------------------------------------------------

interface ArithSpec {
  readonly sub: boolean;
  readonly flags: boolean;
  /** Index of the destination, or -1 for cmp/cmn. */
  readonly dst: number;
  /** Index of the first source, or -1 for neg (zero). */
  readonly src1: number;
  readonly src2: number;
  readonly carry?: boolean;
}

function arith(spec: ArithSpec): FormFn {
  return (st, insn) => {
    const d = st.d;
    const w = reg(insn, spec.dst >= 0 ? spec.dst : spec.src1).width;
    const x = spec.src1 >= 0 ? readGpr(st, reg(insn, spec.src1)) : d.bv(w, 0n);
    let y = source(st, insn, spec.src2, w);
    if (!spec.flags && !spec.carry) {
      // Without flags or carry in, it is plain modular arithmetic; said so, the prover sees the
      // subtraction itself (and can recognise `n - (n / m) * m` as a remainder).
      writeGpr(st, reg(insn, spec.dst), spec.sub ? d.sub(w, x, y) : d.add(w, x, y));
      return NEXT;
    }
    let c: Val = d.bv(1, 0n);
    if (spec.sub) {
      y = d.not(w, y);
      c = d.bv(1, 1n);
    }
    if (spec.carry) c = d.extract(4, st.get('nzcv'), 1, 1);
    if (!spec.flags) {
      // Without flags the carry chain is plain modular addition: x + y + c.
      writeGpr(st, reg(insn, spec.dst), d.add(w, d.add(w, x, y), d.zext(1, c, w)));
      return NEXT;
    }
    const { result, nzcv } = addWithCarry(d, w, x, y, c);
    if (spec.dst >= 0) writeGpr(st, reg(insn, spec.dst), result);
    st.set('nzcv', nzcv);
    return NEXT;
  };
}

const add = arith({ sub: false, flags: false, dst: 0, src1: 1, src2: 2 });
const sub = arith({ sub: true, flags: false, dst: 0, src1: 1, src2: 2 });
const adds = arith({ sub: false, flags: true, dst: 0, src1: 1, src2: 2 });
const subs = arith({ sub: true, flags: true, dst: 0, src1: 1, src2: 2 });
const cmp = arith({ sub: true, flags: true, dst: -1, src1: 0, src2: 1 });
const cmn = arith({ sub: false, flags: true, dst: -1, src1: 0, src2: 1 });
const neg = arith({ sub: true, flags: false, dst: 0, src1: -1, src2: 1 });
const negs = arith({ sub: true, flags: true, dst: 0, src1: -1, src2: 1 });
const adc = arith({ sub: false, flags: false, dst: 0, src1: 1, src2: 2, carry: true });
const sbc = arith({ sub: true, flags: false, dst: 0, src1: 1, src2: 2, carry: true });
const adcs = arith({ sub: false, flags: true, dst: 0, src1: 1, src2: 2, carry: true });
const sbcs = arith({ sub: true, flags: true, dst: 0, src1: 1, src2: 2, carry: true });
const ngc = arith({ sub: true, flags: false, dst: 0, src1: -1, src2: 1, carry: true });
const ngcs = arith({ sub: true, flags: true, dst: 0, src1: -1, src2: 1, carry: true });

// ---------------------------------------------------------------------------------------------
// Logical
// ---------------------------------------------------------------------------------------------

type LogicOp = 'and' | 'or' | 'xor';

function logical(op: LogicOp, invert: boolean, flags: boolean, dst: number, src1: number, src2: number): FormFn {
  return (st, insn) => {
    const d = st.d;
    const w = reg(insn, dst >= 0 ? dst : src1).width;
    const x = src1 >= 0 ? readGpr(st, reg(insn, src1)) : d.bv(w, 0n);
    let y = source(st, insn, src2, w);
    if (invert) y = d.not(w, y);
    const r = op === 'and' ? d.and(w, x, y) : op === 'or' ? d.or(w, x, y) : d.xor(w, x, y);
    if (dst >= 0) writeGpr(st, reg(insn, dst), r);
    if (flags) st.set('nzcv', logicFlags(d, w, r));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// Moves
// ---------------------------------------------------------------------------------------------

/** `mov` between registers, including `mov x29, sp` and `mov sp, x0`. */
const movReg: FormFn = (st, insn) => {
  writeGpr(st, reg(insn, 0), readGpr(st, reg(insn, 1)));
  return NEXT;
};

/** `mov` of an immediate (an alias of movz, movn or orr; all give the value truncated). */
const movImm: FormFn = (st, insn) => {
  const r = reg(insn, 0);
  writeGpr(st, r, source(st, insn, 1, r.width));
  return NEXT;
};

/** movz/movn/movk with their `lsl #16k`. */
function movWide(kind: 'z' | 'n' | 'k'): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const w = r.width;
    const op = opAt(insn, 1);
    if (op.kind !== 'imm') throw new SemanticsError('movz/movn/movk need an immediate');
    // `movk x0, #:abs_g1_nc:sym` places bits 31..16 of sym: the relocation implies the shift.
    const g = op.expr.kind === 'reloc' ? /^abs_g([0-3])/.exec(op.expr.op) : null;
    const shift = g ? 16 * Number(g[1]) : constNum(insn, op.modifier?.amount, 0);
    const imm16 = d.extract(64, evalExpr(st, op.expr), 15, 0);
    if (kind === 'k') {
      const old = readGpr(st, r);
      const m = d.bv(w, ~(0xffffn << BigInt(shift)));
      const ins = d.shl(w, d.zext(16, imm16, w), d.bv(w, BigInt(shift)));
      writeGpr(st, r, d.or(w, d.and(w, old, m), ins));
    } else {
      const v = d.shl(w, d.zext(16, imm16, w), d.bv(w, BigInt(shift)));
      writeGpr(st, r, kind === 'n' ? d.not(w, v) : v);
    }
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// Shifts
// ---------------------------------------------------------------------------------------------

type ShiftOp = 'lsl' | 'lsr' | 'asr' | 'ror';

function applyShift(st: St, w: number, op: ShiftOp, v: Val, amount: Val): Val {
  const d = st.d;
  switch (op) {
    case 'lsl': return d.shl(w, v, amount);
    case 'lsr': return d.lshr(w, v, amount);
    case 'asr': return d.ashr(w, v, amount);
    case 'ror': return d.rotr(w, v, amount);
  }
}

/** Shift by an immediate (an alias of ubfm/sbfm/extr; the amount is below the width). */
function shiftImm(op: ShiftOp): FormFn {
  return (st, insn) => {
    const r = reg(insn, 0);
    const w = r.width;
    const amount = immNum(insn, 2);
    writeGpr(st, r, applyShift(st, w, op, readGpr(st, reg(insn, 1)), st.d.bv(w, BigInt(amount % w))));
    return NEXT;
  };
}

/** Shift by a register: the amount is taken modulo the width. */
function shiftReg(op: ShiftOp): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const w = r.width;
    const amount = d.and(w, readGpr(st, reg(insn, 2)), d.bv(w, BigInt(w - 1)));
    writeGpr(st, r, applyShift(st, w, op, readGpr(st, reg(insn, 1)), amount));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// Multiply and divide
// ---------------------------------------------------------------------------------------------

/** madd/msub family: d = a +- n * m at the destination width. `acc` -1 means zero. */
function mulAdd(negate: boolean, acc: number): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const w = r.width;
    const p = d.mul(w, readGpr(st, reg(insn, 1)), readGpr(st, reg(insn, 2)));
    const a = acc >= 0 ? readGpr(st, reg(insn, acc)) : d.bv(w, 0n);
    writeGpr(st, r, negate ? d.sub(w, a, p) : d.add(w, a, p));
    return NEXT;
  };
}

/** smaddl/umaddl/smsubl/umsubl/smull/umull/smnegl/umnegl: 32x32 -> 64. */
function mulLong(signed: boolean, negate: boolean, acc: number): FormFn {
  return (st, insn) => {
    const d = st.d;
    const ext = (v: Val): Val => (signed ? d.sext(32, v, 64) : d.zext(32, v, 64));
    const p = d.mul(64, ext(readGpr(st, reg(insn, 1))), ext(readGpr(st, reg(insn, 2))));
    const a = acc >= 0 ? readGpr(st, reg(insn, acc)) : d.bv(64, 0n);
    writeGpr(st, reg(insn, 0), negate ? d.sub(64, a, p) : d.add(64, a, p));
    return NEXT;
  };
}

/** smulh/umulh: the high 64 bits of the 128-bit product. */
function mulHigh(signed: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const ext = (v: Val): Val => (signed ? d.sext(64, v, 128) : d.zext(64, v, 128));
    const p = d.mul(128, ext(readGpr(st, reg(insn, 1))), ext(readGpr(st, reg(insn, 2))));
    writeGpr(st, reg(insn, 0), d.extract(128, p, 127, 64));
    return NEXT;
  };
}

/** udiv/sdiv: division by zero gives 0 (SMT-LIB gives all ones or 1), INT_MIN / -1 = INT_MIN. */
function divide(signed: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const w = r.width;
    const n = readGpr(st, reg(insn, 1));
    const m = readGpr(st, reg(insn, 2));
    const q = signed ? d.sdiv(w, n, m) : d.udiv(w, n, m);
    writeGpr(st, r, d.ite(w, d.eq(w, m, d.bv(w, 0n)), d.bv(w, 0n), q));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// Extension and bit fields
// ---------------------------------------------------------------------------------------------

/** sxtb/sxth/sxtw/uxtb/uxth/uxtw: extend the low bits of the source to the destination width. */
function extend(signed: boolean, bits: number): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const src = readGpr(st, reg(insn, 1));
    const field = d.extract(reg(insn, 1).width, src, bits - 1, 0);
    writeGpr(st, r, bits === r.width ? field : signed ? d.sext(bits, field, r.width) : d.zext(bits, field, r.width));
    return NEXT;
  };
}

type BfKind = 'u' | 's' | 'b';

/**
 * The bit-field move UBFM/SBFM/BFM with raw immr and imms. With imms >= immr the field
 * src<imms:immr> moves to bit 0; otherwise src<imms:0> moves to bit w - immr. UBFM zeroes the
 * other bits, SBFM sign-extends above the field and zeroes below, BFM keeps the destination's.
 */
function bitfieldMove(st: St, kind: BfKind, w: number, dst: Val, src: Val, immr: number, imms: number): Val {
  const d = st.d;
  let lo: number;
  let width: number;
  let pos: number;
  if (imms >= immr) {
    lo = immr;
    width = imms - immr + 1;
    pos = 0;
  } else {
    lo = 0;
    width = imms + 1;
    pos = w - immr;
  }
  const field = d.extract(w, src, lo + width - 1, lo);
  if (kind === 'b') {
    const m = ((1n << BigInt(width)) - 1n) << BigInt(pos);
    const placed = d.shl(w, width === w ? field : d.zext(width, field, w), d.bv(w, BigInt(pos)));
    return d.or(w, d.and(w, dst, d.bv(w, ~m)), placed);
  }
  const wide = width === w ? field : kind === 's' ? d.sext(width, field, w) : d.zext(width, field, w);
  return d.shl(w, wide, d.bv(w, BigInt(pos)));
}

/** Converts an alias's (lsb, width) to (immr, imms). */
type BfAlias = 'extract' | 'insert' | 'raw';

function bitfield(kind: BfKind, alias: BfAlias): FormFn {
  return (st, insn) => {
    const r = reg(insn, 0);
    const w = r.width;
    const a = immNum(insn, 2);
    const b = immNum(insn, 3);
    let immr: number;
    let imms: number;
    if (alias === 'raw') [immr, imms] = [a, b];
    else if (alias === 'extract') [immr, imms] = [a, a + b - 1];
    else [immr, imms] = [(w - a) % w, b - 1];
    const src = readGpr(st, reg(insn, 1));
    writeGpr(st, r, bitfieldMove(st, kind, w, readGpr(st, r), src, immr, imms));
    return NEXT;
  };
}

/** `bfc d, lsb, width`: clear a field (BFM from the zero register). */
const bfc: FormFn = (st, insn) => {
  const r = reg(insn, 0);
  const w = r.width;
  const lsb = immNum(insn, 1);
  const width = immNum(insn, 2);
  writeGpr(st, r, bitfieldMove(st, 'b', w, readGpr(st, r), st.d.bv(w, 0n), (w - lsb) % w, width - 1));
  return NEXT;
};

/** `extr d, n, m, lsb`: bits lsb+w-1..lsb of n:m. */
const extr: FormFn = (st, insn) => {
  const d = st.d;
  const r = reg(insn, 0);
  const w = r.width;
  const lsb = immNum(insn, 3);
  const both = d.concat(w, readGpr(st, reg(insn, 1)), w, readGpr(st, reg(insn, 2)));
  writeGpr(st, r, d.extract(2 * w, both, lsb + w - 1, lsb));
  return NEXT;
};

// ---------------------------------------------------------------------------------------------
// Bit counting and reversal
// ---------------------------------------------------------------------------------------------

function unary(f: (st: St, w: number, v: Val) => Val): FormFn {
  return (st, insn) => {
    const r = reg(insn, 0);
    writeGpr(st, r, f(st, r.width, readGpr(st, reg(insn, 1))));
    return NEXT;
  };
}

/** Reverses the bytes within each `chunk`-bit container. */
function reverseBytes(st: St, w: number, v: Val, chunk: number): Val {
  const d = st.d;
  let out: Val | undefined;
  let outW = 0;
  for (let c = w / chunk - 1; c >= 0; c--) {
    for (let b = 0; b < chunk / 8; b++) {
      const lo = c * chunk + b * 8;
      const byte = d.extract(w, v, lo + 7, lo);
      out = out === undefined ? byte : d.concat(outW, out, 8, byte);
      outW += 8;
    }
  }
  return out!;
}

const clz = unary((st, w, v) => st.d.clz(w, v));
/** cls: leading bits equal to the sign bit, not counting it: clz(x<w-1:1> ^ x<w-2:0>) on w-1 bits. */
const cls = unary((st, w, v) => {
  const d = st.d;
  const t = d.xor(w, d.lshr(w, v, d.bv(w, 1n)), d.and(w, v, d.bv(w, (1n << BigInt(w - 1)) - 1n)));
  return d.sub(w, d.clz(w, t), d.bv(w, 1n));
});
const rbit = unary((st, w, v) => st.d.rbit(w, v));
const rev = unary((st, w, v) => reverseBytes(st, w, v, w));
const rev16 = unary((st, w, v) => reverseBytes(st, w, v, 16));
const rev32 = unary((st, w, v) => reverseBytes(st, w, v, 32));

// ---------------------------------------------------------------------------------------------
// Conditional select and compare
// ---------------------------------------------------------------------------------------------

type CsOp = 'sel' | 'inc' | 'inv' | 'neg';

function csOp(st: St, op: CsOp, w: number, v: Val): Val {
  const d = st.d;
  switch (op) {
    case 'sel': return v;
    case 'inc': return d.add(w, v, d.bv(w, 1n));
    case 'inv': return d.not(w, v);
    case 'neg': return d.neg(w, v);
  }
}

/** csel/csinc/csinv/csneg d, n, m, cond: d = cond ? n : op(m). */
function condSelect(op: CsOp): FormFn {
  return (st, insn) => {
    const r = reg(insn, 0);
    const w = r.width;
    const c = condHolds(st, condOp(insn, 3));
    writeGpr(st, r, st.d.ite(w, c, readGpr(st, reg(insn, 1)), csOp(st, op, w, readGpr(st, reg(insn, 2)))));
    return NEXT;
  };
}

/** cset (csinc d, zr, zr, !c) and csetm (csinv d, zr, zr, !c). */
function condSet(mask: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const w = r.width;
    const c = condHolds(st, condOp(insn, 1));
    writeGpr(st, r, d.ite(w, c, d.bv(w, mask ? -1n : 1n), d.bv(w, 0n)));
    return NEXT;
  };
}

/** cinc/cinv/cneg d, n, cond: d = cond ? op(n) : n (csinc d, n, n, !cond and friends). */
function condOpAlias(op: CsOp): FormFn {
  return (st, insn) => {
    const r = reg(insn, 0);
    const w = r.width;
    const c = condHolds(st, invertCond(condOp(insn, 2)));
    const n = readGpr(st, reg(insn, 1));
    writeGpr(st, r, st.d.ite(w, c, n, csOp(st, op, w, n)));
    return NEXT;
  };
}

/** ccmp/ccmn n, op2, #nzcv, cond: the comparison's flags if cond holds, else #nzcv. */
function condCompare(subtract: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const w = reg(insn, 0).width;
    const c = condHolds(st, condOp(insn, 3));
    const x = readGpr(st, reg(insn, 0));
    let y = source(st, insn, 1, w);
    if (subtract) y = d.not(w, y);
    const { nzcv } = addWithCarry(d, w, x, y, d.bv(1, subtract ? 1n : 0n));
    st.set('nzcv', d.ite(4, c, nzcv, d.bv(4, BigInt(immNum(insn, 2)))));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------

/** Every shape (`.imm`, `.reg`, `.shift`, `.ext`) a mnemonic takes, all to one function. */
function shapes(m: string, f: FormFn, kinds: readonly string[]): [string, FormFn][] {
  return kinds.map((k) => [`${m}.${k}`, f]);
}

const ARITH_SHAPES = ['imm', 'reg', 'shift', 'ext'];
const LOGIC_SHAPES = ['imm', 'reg', 'shift'];
const REG_SHAPES = ['reg', 'shift'];

/** Integer data-processing forms, keyed by the table's form names. */
export const INTEGER_FORMS: ReadonlyMap<string, FormFn> = new Map<string, FormFn>([
  ...shapes('add', add, ARITH_SHAPES),
  ...shapes('sub', sub, ARITH_SHAPES),
  ...shapes('adds', adds, ARITH_SHAPES),
  ...shapes('subs', subs, ARITH_SHAPES),
  ...shapes('cmp', cmp, ARITH_SHAPES),
  ...shapes('cmn', cmn, ARITH_SHAPES),
  ...shapes('neg', neg, REG_SHAPES),
  ...shapes('negs', negs, REG_SHAPES),
  ['adc.reg', adc],
  ['sbc.reg', sbc],
  ['adcs.reg', adcs],
  ['sbcs.reg', sbcs],
  ['ngc.reg', ngc],
  ['ngcs.reg', ngcs],
  ...shapes('and', logical('and', false, false, 0, 1, 2), LOGIC_SHAPES),
  ...shapes('orr', logical('or', false, false, 0, 1, 2), LOGIC_SHAPES),
  ...shapes('eor', logical('xor', false, false, 0, 1, 2), LOGIC_SHAPES),
  ...shapes('bic', logical('and', true, false, 0, 1, 2), REG_SHAPES),
  ...shapes('orn', logical('or', true, false, 0, 1, 2), REG_SHAPES),
  ...shapes('eon', logical('xor', true, false, 0, 1, 2), REG_SHAPES),
  ...shapes('ands', logical('and', false, true, 0, 1, 2), LOGIC_SHAPES),
  ...shapes('bics', logical('and', true, true, 0, 1, 2), REG_SHAPES),
  ...shapes('tst', logical('and', false, true, -1, 0, 1), LOGIC_SHAPES),
  ...shapes('mvn', logical('or', true, false, 0, -1, 1), REG_SHAPES),
  ['mov.reg', movReg],
  ['mov.imm', movImm],
  ['movz.imm', movWide('z')],
  ['movn.imm', movWide('n')],
  ['movk.imm', movWide('k')],
  ['lsl.imm', shiftImm('lsl')],
  ['lsr.imm', shiftImm('lsr')],
  ['asr.imm', shiftImm('asr')],
  ['ror.imm', shiftImm('ror')],
  ['lsl.reg', shiftReg('lsl')],
  ['lsr.reg', shiftReg('lsr')],
  ['asr.reg', shiftReg('asr')],
  ['ror.reg', shiftReg('ror')],
  ['lslv.reg', shiftReg('lsl')],
  ['lsrv.reg', shiftReg('lsr')],
  ['asrv.reg', shiftReg('asr')],
  ['rorv.reg', shiftReg('ror')],
  ['mul.reg', mulAdd(false, -1)],
  ['mneg.reg', mulAdd(true, -1)],
  ['madd.reg', mulAdd(false, 3)],
  ['msub.reg', mulAdd(true, 3)],
  ['smull.reg', mulLong(true, false, -1)],
  ['umull.reg', mulLong(false, false, -1)],
  ['smnegl.reg', mulLong(true, true, -1)],
  ['umnegl.reg', mulLong(false, true, -1)],
  ['smaddl.reg', mulLong(true, false, 3)],
  ['umaddl.reg', mulLong(false, false, 3)],
  ['smsubl.reg', mulLong(true, true, 3)],
  ['umsubl.reg', mulLong(false, true, 3)],
  ['smulh.reg', mulHigh(true)],
  ['umulh.reg', mulHigh(false)],
  ['udiv.reg', divide(false)],
  ['sdiv.reg', divide(true)],
  ['sxtb.reg', extend(true, 8)],
  ['sxth.reg', extend(true, 16)],
  ['sxtw.reg', extend(true, 32)],
  ['uxtb.reg', extend(false, 8)],
  ['uxth.reg', extend(false, 16)],
  ['uxtw.reg', extend(false, 32)],
  ['ubfx.imm', bitfield('u', 'extract')],
  ['sbfx.imm', bitfield('s', 'extract')],
  ['bfxil.imm', bitfield('b', 'extract')],
  ['ubfiz.imm', bitfield('u', 'insert')],
  ['sbfiz.imm', bitfield('s', 'insert')],
  ['bfi.imm', bitfield('b', 'insert')],
  ['ubfm.imm', bitfield('u', 'raw')],
  ['sbfm.imm', bitfield('s', 'raw')],
  ['bfm.imm', bitfield('b', 'raw')],
  ['bfc.imm', bfc],
  ['extr.imm', extr],
  ['clz.reg', clz],
  ['cls.reg', cls],
  ['rbit.reg', rbit],
  ['rev.reg', rev],
  ['rev16.reg', rev16],
  ['rev32.reg', rev32],
  ['rev64.reg', rev],
  ['csel.reg', condSelect('sel')],
  ['csinc.reg', condSelect('inc')],
  ['csinv.reg', condSelect('inv')],
  ['csneg.reg', condSelect('neg')],
  ['cset.reg', condSet(false)],
  ['csetm.reg', condSet(true)],
  ['cinc.reg', condOpAlias('inc')],
  ['cinv.reg', condOpAlias('inv')],
  ['cneg.reg', condOpAlias('neg')],
  // The table names both the register and the immediate form `.imm` (it has an immediate).
  ['ccmp.imm', condCompare(true)],
  ['ccmn.imm', condCompare(false)],
]);

/** Forms whose immediates may name symbols (`add x0, x0, :lo12:sym`, `movk x0, :abs_g1_nc:s`). */
export const SYMBOLIC_IMMEDIATE_FORMS: ReadonlySet<string> = new Set(['add.imm', 'sub.imm', 'adds.imm', 'subs.imm', 'movz.imm', 'movk.imm', 'movn.imm', 'mov.imm']);

