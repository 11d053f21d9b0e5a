// RISC-V 64 integer semantics: RV64I and M computation, loads and stores, the A extension, and the
// GNU as pseudo-instructions gcc emits for them. Each function is the one definition of its form
// for every Domain. Control transfer is in sem-control.ts, floating point in sem-fp.ts.

import type { Domain } from '../sem.js';
import type { Outcome } from '../exec.js';
import { addrAt, auipcPart, getX, immAt, regId, setX, xd, xs, type Insn, type St } from './sem-common.js';

/** A form's semantics, as registered in the table (control kind supplied by lookup). */
export type FormSem = <V, B, M>(st: St<V, B, M>, insn: Insn) => Outcome<V, B>;

const NEXT = { kind: 'next' } as const;

// ---------------------------------------------------------------------------------------------
// Register-register and register-immediate operations
// ---------------------------------------------------------------------------------------------

/** A 64-bit binary operation on two operand values. */
type Op2 = <V, B, M>(d: Domain<V, B, M>, a: V, b: V) => V;

const bool64 = <V, B, M>(d: Domain<V, B, M>, c: B): V => d.zext(1, d.fromBool(c), 64);
const low32 = <V, B, M>(d: Domain<V, B, M>, a: V): V => d.extract(64, a, 31, 0);
const sext32 = <V, B, M>(d: Domain<V, B, M>, a: V): V => d.sext(32, a, 64);
/** The shift amount: the low 6 bits (5 for the *w forms) of the register or immediate. */
function shamt<V, B, M>(d: Domain<V, B, M>, w: 32 | 64, b: V): V {
  const n = w === 64 ? 6 : 5;
  return d.zext(n, d.extract(w, b, n - 1, 0), w);
}

/** Upper 64 bits of the 128-bit product, each operand extended as signed or not. */
function mulHigh<V, B, M>(d: Domain<V, B, M>, a: V, b: V, sa: boolean, sb: boolean): V {
  const wa = sa ? d.sext(64, a, 128) : d.zext(64, a, 128);
  const wb = sb ? d.sext(64, b, 128) : d.zext(64, b, 128);
  return d.extract(128, d.mul(128, wa, wb), 127, 64);
}

/**
 * Signed division by the RISC-V rules: x / 0 = -1 (SMT-LIB gives 1 for negative x, hence the
 * ite) and INT_MIN / -1 = INT_MIN (as SMT-LIB). Unsigned division and both remainders already
 * agree with SMT-LIB: x /u 0 = all ones, x rem 0 = x, INT_MIN rem -1 = 0.
 */
function sdivRv<V, B, M>(d: Domain<V, B, M>, w: number, a: V, b: V): V {
  return d.ite(w, d.eq(w, b, d.bv(w, 0n)), d.bv(w, -1n), d.sdiv(w, a, b));
}

/** A *w operation: compute on the low 32 bits, sign-extend the 32-bit result. */
function word(f: <V, B, M>(d: Domain<V, B, M>, a: V, b: V) => V): Op2 {
  return (d, a, b) => sext32(d, f(d, low32(d, a), low32(d, b)));
}

/** The RV64IM operations by mnemonic; the immediate forms share them (`addi` is `add`). */
export const OPS: Readonly<Record<string, Op2>> = {
  add: (d, a, b) => d.add(64, a, b),
  sub: (d, a, b) => d.sub(64, a, b),
  and: (d, a, b) => d.and(64, a, b),
  or: (d, a, b) => d.or(64, a, b),
  xor: (d, a, b) => d.xor(64, a, b),
  sll: (d, a, b) => d.shl(64, a, shamt(d, 64, b)),
  srl: (d, a, b) => d.lshr(64, a, shamt(d, 64, b)),
  sra: (d, a, b) => d.ashr(64, a, shamt(d, 64, b)),
  slt: (d, a, b) => bool64(d, d.slt(64, a, b)),
  sltu: (d, a, b) => bool64(d, d.ult(64, a, b)),
  sgt: (d, a, b) => bool64(d, d.slt(64, b, a)),
  sgtu: (d, a, b) => bool64(d, d.ult(64, b, a)),
  mul: (d, a, b) => d.mul(64, a, b),
  mulh: (d, a, b) => mulHigh(d, a, b, true, true),
  mulhu: (d, a, b) => mulHigh(d, a, b, false, false),
  mulhsu: (d, a, b) => mulHigh(d, a, b, true, false),
  div: (d, a, b) => sdivRv(d, 64, a, b),
  divu: (d, a, b) => d.udiv(64, a, b),
  rem: (d, a, b) => d.srem(64, a, b),
  remu: (d, a, b) => d.urem(64, a, b),
  addw: word((d, a, b) => d.add(32, a, b)),
  subw: word((d, a, b) => d.sub(32, a, b)),
  sllw: word((d, a, b) => d.shl(32, a, shamt(d, 32, b))),
  srlw: word((d, a, b) => d.lshr(32, a, shamt(d, 32, b))),
  sraw: word((d, a, b) => d.ashr(32, a, shamt(d, 32, b))),
  mulw: word((d, a, b) => d.mul(32, a, b)),
  divw: word((d, a, b) => sdivRv(d, 32, a, b)),
  divuw: word((d, a, b) => d.udiv(32, a, b)),
  remw: word((d, a, b) => d.srem(32, a, b)),
  remuw: word((d, a, b) => d.urem(32, a, b)),
};

/** Immediate mnemonics and the operation they apply (`slliw` is `sllw` with an immediate). */
export const IMM_OPS: Readonly<Record<string, string>> = {
  addi: 'add', slti: 'slt', sltiu: 'sltu', xori: 'xor', ori: 'or', andi: 'and',
  slli: 'sll', srli: 'srl', srai: 'sra', addiw: 'addw', slliw: 'sllw', srliw: 'srlw', sraiw: 'sraw',
};

/** `op rd, rs1, rs2` (also `add rd, rs1, rs2, %tprel_add(x)`, whose last operand only marks a relocation). */
export function regReg(op: Op2): FormSem {
  return (st, insn) => {
    xd(st, insn, 0, op(st.d, xs(st, insn, 1), xs(st, insn, 2)));
    return NEXT;
  };
}

/** `op rd, rs1, imm`: the immediate's 64-bit value (sign-extended, `%lo` included). */
export function regImm(op: Op2): FormSem {
  return (st, insn) => {
    xd(st, insn, 0, op(st.d, xs(st, insn, 1), immAt(st, insn, 2)));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// One-operand pseudo-instructions, lui, auipc, li
// ---------------------------------------------------------------------------------------------

type Op1 = <V, B, M>(d: Domain<V, B, M>, a: V) => V;

/** `mv`, `not`, `neg`, `sext.w`, `seqz`, ... as functions of the source register. */
export const UNARY: Readonly<Record<string, Op1>> = {
  mv: (_d, a) => a,
  not: (d, a) => d.not(64, a),
  neg: (d, a) => d.neg(64, a),
  negw: (d, a) => sext32(d, d.neg(32, low32(d, a))),
  'sext.w': (d, a) => sext32(d, low32(d, a)),
  'sext.b': (d, a) => d.sext(8, d.extract(64, a, 7, 0), 64),
  'sext.h': (d, a) => d.sext(16, d.extract(64, a, 15, 0), 64),
  'zext.b': (d, a) => d.zext(8, d.extract(64, a, 7, 0), 64),
  'zext.h': (d, a) => d.zext(16, d.extract(64, a, 15, 0), 64),
  'zext.w': (d, a) => d.zext(32, low32(d, a), 64),
  seqz: (d, a) => bool64(d, d.eq(64, a, d.bv(64, 0n))),
  snez: (d, a) => bool64(d, d.bnot(d.eq(64, a, d.bv(64, 0n)))),
  sltz: (d, a) => bool64(d, d.slt(64, a, d.bv(64, 0n))),
  sgtz: (d, a) => bool64(d, d.slt(64, d.bv(64, 0n), a)),
};

/** `op rd, rs`. */
export function unary(op: Op1): FormSem {
  return (st, insn) => {
    xd(st, insn, 0, op(st.d, xs(st, insn, 1)));
    return NEXT;
  };
}

/** `lui rd, imm20`: imm20 << 12, sign-extended from 32 bits. */
export const lui: FormSem = (st, insn) => {
  const d = st.d;
  const field = d.extract(64, immAt(st, insn, 1), 19, 0);
  xd(st, insn, 0, sext32(d, d.concat(20, field, 12, d.bv(12, 0n))));
  return NEXT;
};

/** `auipc rd, imm20`: pc + (imm20 << 12, sign-extended). */
export const auipc: FormSem = (st, insn) => {
  const d = st.d;
  const field = d.extract(64, immAt(st, insn, 1), 19, 0);
  xd(st, insn, 0, d.add(64, st.pc, sext32(d, d.concat(20, field, 12, d.bv(12, 0n)))));
  return NEXT;
};

/** `li rd, imm`: any 64-bit constant (GNU as expands it into as many instructions as needed). */
export const li: FormSem = (st, insn) => {
  xd(st, insn, 0, immAt(st, insn, 1));
  return NEXT;
};

/** `la`/`lla rd, sym`: the symbol's address (through the GOT for `la` under PIC: same value). */
export const la: FormSem = (st, insn) => {
  xd(st, insn, 0, immAt(st, insn, 1));
  return NEXT;
};

// ---------------------------------------------------------------------------------------------
// Loads and stores
// ---------------------------------------------------------------------------------------------

/** Access size in bytes and whether a load sign-extends, by mnemonic. */
export const LOADS: Readonly<Record<string, readonly [number, boolean]>> = {
  lb: [1, true], lh: [2, true], lw: [4, true], ld: [8, true], lbu: [1, false], lhu: [2, false], lwu: [4, false],
};
/** Access size in bytes of each integer store. */
export const STORES: Readonly<Record<string, number>> = { sb: 1, sh: 2, sw: 4, sd: 8 };

/** `lw rd, off(base)` and `lw rd, sym` (auipc rd + load: rd ends with the loaded value). */
export function load(bytes: number, signed: boolean): FormSem {
  return (st, insn) => {
    const d = st.d;
    const v = d.load(st.mem, addrAt(st, insn, 1, regId(insn.operands[0])), bytes);
    const w = bytes * 8;
    xd(st, insn, 0, w === 64 ? v : signed ? d.sext(w, v, 64) : d.zext(w, v, 64));
    return NEXT;
  };
}

/** `sw rs, off(base)` and `sw rs, sym, tmp` (tmp keeps the auipc result). */
export function store(bytes: number): FormSem {
  return (st, insn) => {
    const d = st.d;
    const v = xs(st, insn, 0);
    const tmp = insn.operands.length === 3 ? regId(insn.operands[2]) : '';
    const addr = addrAt(st, insn, 1, tmp);
    st.mem = d.store(st.mem, addr, bytes === 8 ? v : d.extract(64, v, bytes * 8 - 1, 0), bytes);
    if (tmp) xd(st, insn, 2, auipcPart(st, addr));
    return NEXT;
  };
}

// ---------------------------------------------------------------------------------------------
// A extension (single hart)
// ---------------------------------------------------------------------------------------------

/**
 * The reservation of `lr`: pseudo-registers `reservation` (the address, 64 bits) and
 * `reservation_valid` (1 bit). One hart and no interrupts, so only `sc` itself breaks it.
 */
export const RESERVATION = 'reservation';
export const RESERVATION_VALID = 'reservation_valid';

/** `lr.w`/`lr.d rd, (base)`: load (sign-extended), reserve the address. */
export function lr(bytes: 4 | 8): FormSem {
  return (st, insn) => {
    const d = st.d;
    const addr = getX(st, regId(insn.operands[1]));
    const v = d.load(st.mem, addr, bytes);
    st.set(RESERVATION, addr);
    st.set(RESERVATION_VALID, d.bv(1, 1n));
    xd(st, insn, 0, bytes === 8 ? v : sext32(d, v));
    return NEXT;
  };
}

/**
 * `sc.w`/`sc.d rd, rs2, (base)`: store and write 0 when the reservation holds for this address,
 * else leave memory alone and write 1 (the nonzero failure code QEMU and hardware use). Either
 * way the reservation is gone.
 */
export function sc(bytes: 4 | 8): FormSem {
  return (st, insn) => {
    const d = st.d;
    const addr = getX(st, regId(insn.operands[2]));
    const src = xs(st, insn, 1);
    const ok = d.band(d.toBool(st.get(RESERVATION_VALID)), d.eq(64, st.get(RESERVATION), addr));
    const old = d.load(st.mem, addr, bytes);
    const value = bytes === 8 ? src : low32(d, src);
    // Storing the old value on failure keeps memory a single term in the symbolic domain.
    st.mem = d.store(st.mem, addr, d.ite(bytes * 8, ok, value, old), bytes);
    st.set(RESERVATION_VALID, d.bv(1, 0n));
    xd(st, insn, 0, d.ite(64, ok, d.bv(64, 0n), d.bv(64, 1n)));
    return NEXT;
  };
}

/** The AMO combining functions on `w`-bit values (loaded value, rs2). */
const AMO_OPS: Readonly<Record<string, <V, B, M>(d: Domain<V, B, M>, w: number, a: V, b: V) => V>> = {
  amoswap: (_d, _w, _a, b) => b,
  amoadd: (d, w, a, b) => d.add(w, a, b),
  amoxor: (d, w, a, b) => d.xor(w, a, b),
  amoand: (d, w, a, b) => d.and(w, a, b),
  amoor: (d, w, a, b) => d.or(w, a, b),
  amomin: (d, w, a, b) => d.ite(w, d.slt(w, a, b), a, b),
  amomax: (d, w, a, b) => d.ite(w, d.slt(w, b, a), a, b),
  amominu: (d, w, a, b) => d.ite(w, d.ult(w, a, b), a, b),
  amomaxu: (d, w, a, b) => d.ite(w, d.ult(w, b, a), a, b),
};

/** Names of the AMO operations (without width). */
export const AMO_NAMES: readonly string[] = Object.keys(AMO_OPS);

/** `amoop.w/.d rd, rs2, (base)`: rd = old (sign-extended for .w); memory = op(old, rs2). */
export function amo(name: string, bytes: 4 | 8): FormSem {
  const f = AMO_OPS[name]!;
  const w = bytes * 8;
  return (st, insn) => {
    const d = st.d;
    const addr = getX(st, regId(insn.operands[2]));
    const src = xs(st, insn, 1); // read before rd is written: rd may be rs2
    const b = w === 64 ? src : low32(d, src);
    const old = d.load(st.mem, addr, bytes);
    st.mem = d.store(st.mem, addr, f(d, w, old, b), bytes);
    setX(st, regId(insn.operands[0]), w === 64 ? old : sext32(d, old));
    return NEXT;
  };
}

/** Instructions without architectural effect on one hart: `nop`, `fence`, `fence.i`. */
export const nothing: FormSem = () => NEXT;
