// AArch64 memory and control-flow semantics: addressing modes (immediate and register offsets
// with extend/shift, pre- and post-index writeback, literals and `:lo12:` offsets), loads and
// stores of every size with zero or sign extension (integer, FP and 128-bit q registers), pairs,
// adr/adrp, branches, calls and returns, and the instructions that do nothing architecturally
// visible to a single thread (nop, hints, barriers, prefetches).

import type { MemOperand, Register } from '../../ir/program.js';
import { isLocalLabel } from '../../ir/expr.js';
import {
  type FormFn, type Insn, type Out, type St, type Val, NEXT, SemanticsError,
  condHolds, constNum, evalExpr, opAt, operand2, readFpr, readGpr, reg, symbolName, writeFpr, writeGpr,
} from './sem-common.js';

// ---------------------------------------------------------------------------------------------
// Addressing
// ---------------------------------------------------------------------------------------------

/** Finds the memory operand of a load or store. */
export function memOp(insn: Insn): MemOperand<'aarch64'> {
  const op = insn.operands.find((o) => o.kind === 'mem');
  if (op === undefined || op.kind !== 'mem') throw new SemanticsError(`${insn.mnemonic}: no memory operand`);
  return op;
}

/** Reads a base register: sp, or a 64-bit general register. */
function readBase(st: St, r: Register<'aarch64'>): Val {
  return r.id === 'sp' ? st.get('sp') : readGpr(st, r);
}

/** The access address and the written-back base (pre/post-index), computed before any write. */
export function address(st: St, insn: Insn, mem: MemOperand<'aarch64'>): { addr: Val; writeback?: Val } {
  const d = st.d;
  const base = readBase(st, mem.base);
  let offset: Val | undefined;
  if (mem.index) offset = operand2(st, mem.index, 64, insn);
  else if (mem.offset) offset = evalExpr(st, mem.offset);
  const addr = offset === undefined ? base : d.add(64, base, offset);
  if (mem.mode === 'pre') return { addr, writeback: addr };
  if (mem.mode === 'post') {
    const p = mem.post;
    if (p === undefined) throw new SemanticsError(`${insn.mnemonic}: post-index without an increment`);
    const inc = p.kind === 'imm' ? evalExpr(st, p.expr) : readGpr(st, p.reg);
    return { addr: base, writeback: d.add(64, base, inc) };
  }
  return { addr };
}

function writeBase(st: St, mem: MemOperand<'aarch64'>, v: Val): void {
  if (mem.base.id === 'sp') st.set('sp', v);
  else writeGpr(st, mem.base, v);
}

/** Writes a loaded value (zero-extended already to the register's width) to its register. */
function writeData(st: St, r: Register<'aarch64'>, v: Val): void {
  if (r.file === 'gpr') writeGpr(st, r, v);
  else writeFpr(st, r, v);
}

function readData(st: St, r: Register<'aarch64'>): Val {
  return r.file === 'gpr' ? readGpr(st, r) : readFpr(st, r);
}

// ---------------------------------------------------------------------------------------------
// Loads and stores
// ---------------------------------------------------------------------------------------------

/**
 * A load of `bytes` bytes per register into each of `count` registers (1, or 2 for pairs),
 * consecutive in memory. `bytes` 0 means the register's own width; `signed` sign-extends to it.
 */
function load(bytes: number, signed: boolean, count: 1 | 2): FormFn {
  return (st, insn) => {
    const d = st.d;
    const mem = memOp(insn);
    const { addr, writeback } = address(st, insn, mem);
    const values: [Register<'aarch64'>, Val][] = [];
    for (let i = 0; i < count; i++) {
      const r = reg(insn, i);
      const n = bytes === 0 ? r.width / 8 : bytes;
      const raw = d.load(st.mem, i === 0 ? addr : d.add(64, addr, d.bv(64, BigInt(i * n))), n);
      const w = 8 * n;
      values.push([r, w === r.width ? raw : signed ? d.sext(w, raw, r.width) : d.zext(w, raw, r.width)]);
    }
    for (const [r, v] of values) writeData(st, r, v);
    if (writeback !== undefined) writeBase(st, mem, writeback);
    return NEXT;
  };
}

/** A store of `bytes` bytes (0: the register's width) from each of `count` registers. */
function store(bytes: number, count: 1 | 2): FormFn {
  return (st, insn) => {
    const d = st.d;
    const mem = memOp(insn);
    const { addr, writeback } = address(st, insn, mem);
    const values: [Val, number][] = [];
    for (let i = 0; i < count; i++) {
      const r = reg(insn, i);
      const n = bytes === 0 ? r.width / 8 : bytes;
      const v = readData(st, r);
      values.push([8 * n === r.width ? v : d.extract(r.width, v, 8 * n - 1, 0), n]);
    }
    let at = addr;
    for (const [v, n] of values) {
      st.mem = d.store(st.mem, at, v, n);
      at = d.add(64, at, d.bv(64, BigInt(n)));
    }
    if (writeback !== undefined) writeBase(st, mem, writeback);
    return NEXT;
  };
}

/** `ldr x0, .LC0`: a load from a label's address. */
function loadLiteral(signed: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const target = opAt(insn, 1);
    if (target.kind !== 'sym') throw new SemanticsError('literal load needs a label');
    const n = signed ? 4 : r.width / 8;
    const raw = d.load(st.mem, evalExpr(st, target.expr), n);
    writeData(st, r, signed ? d.sext(32, raw, 64) : raw);
    return NEXT;
  };
}

type Mode = 'off' | 'reg' | 'pre' | 'post';

/** The addressing modes a mnemonic encodes: all four for single registers; pairs have no
 * register offset; unscaled (ldur/stur) and non-temporal forms only the plain offset. */
function modes(m: string, f: FormFn, which: readonly Mode[] = ['off', 'reg', 'pre', 'post']): [string, FormFn][] {
  return which.map((mode) => [`${m}.${mode}`, f]);
}

const PAIR: readonly Mode[] = ['off', 'pre', 'post'];
const UNSCALED: readonly Mode[] = ['off'];

// ---------------------------------------------------------------------------------------------
// Addresses of symbols
// ---------------------------------------------------------------------------------------------

function symbolOperand(st: St, insn: Insn): Val {
  const op = opAt(insn, 1);
  if (op.kind !== 'sym' && op.kind !== 'imm') throw new SemanticsError(`${insn.mnemonic}: needs a symbol`);
  return evalExpr(st, op.expr);
}

/** `adr x0, sym`: the address itself. */
const adr: FormFn = (st, insn) => {
  writeGpr(st, reg(insn, 0), symbolOperand(st, insn));
  return NEXT;
};

/** `adrp x0, sym`: the 4 KiB page of the address (`:got:sym` names the GOT slot's page). */
const adrp: FormFn = (st, insn) => {
  writeGpr(st, reg(insn, 0), st.d.and(64, symbolOperand(st, insn), st.d.bv(64, ~0xfffn)));
  return NEXT;
};

// ---------------------------------------------------------------------------------------------
// Control flow
// ---------------------------------------------------------------------------------------------

function targetOf(insn: Insn, i: number): string {
  const op = opAt(insn, i);
  const name = op.kind === 'sym' ? symbolName(op.expr) : undefined;
  if (name === undefined) throw new SemanticsError(`${insn.mnemonic}: needs a label`);
  return name;
}

const b: FormFn = (_st, insn) => {
  const target = targetOf(insn, 0);
  return isLocalLabel(target) ? { kind: 'branch', target } : { kind: 'tailcall', target };
};

const bcond: FormFn = (st, insn) => {
  const m = /^b\.?([a-z]{2})$/.exec(insn.mnemonic);
  if (!m) throw new SemanticsError(`bad conditional branch ${insn.mnemonic}`);
  return { kind: 'branch', target: targetOf(insn, 0), cond: condHolds(st, m[1]!) };
};

function compareBranch(nonzero: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const z = d.eq(r.width, readGpr(st, r), d.bv(r.width, 0n));
    return { kind: 'branch', target: targetOf(insn, 1), cond: nonzero ? d.bnot(z) : z };
  };
}

function testBranch(nonzero: boolean): FormFn {
  return (st, insn) => {
    const d = st.d;
    const r = reg(insn, 0);
    const op = opAt(insn, 1);
    if (op.kind !== 'imm') throw new SemanticsError('tbz/tbnz need a bit number');
    const bitNo = constNum(insn, op.expr);
    const bit = d.toBool(d.extract(r.width, readGpr(st, r), bitNo, bitNo));
    return { kind: 'branch', target: targetOf(insn, 2), cond: nonzero ? bit : d.bnot(bit) };
  };
}

const bl: FormFn = (st, insn) => {
  const target = targetOf(insn, 0);
  st.set('x30', st.next);
  return { kind: 'call', target };
};

/** `blr xN`: the target is read before x30 is written (so `blr x30` works). */
const blr: FormFn = (st, insn) => {
  const address = readGpr(st, reg(insn, 0));
  st.set('x30', st.next);
  return { kind: 'icall', address };
};

const br: FormFn = (st, insn) => ({ kind: 'ijump', address: readGpr(st, reg(insn, 0)) });

const ret: FormFn = (st, insn): Out => ({ kind: 'ret', address: insn.operands.length === 0 ? st.get('x30') : readGpr(st, reg(insn, 0)) });

const nothing: FormFn = () => NEXT;
const trap: FormFn = () => ({ kind: 'trap' });

// ---------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------

/** Memory, address and control-flow forms, keyed by the table's form names. */
export const MEMORY_FORMS: ReadonlyMap<string, FormFn> = new Map<string, FormFn>([
  ...modes('ldr', load(0, false, 1)),
  ...modes('ldur', load(0, false, 1), UNSCALED),
  ...modes('ldrb', load(1, false, 1)),
  ...modes('ldurb', load(1, false, 1), UNSCALED),
  ...modes('ldrh', load(2, false, 1)),
  ...modes('ldurh', load(2, false, 1), UNSCALED),
  ...modes('ldrsb', load(1, true, 1)),
  ...modes('ldursb', load(1, true, 1), UNSCALED),
  ...modes('ldrsh', load(2, true, 1)),
  ...modes('ldursh', load(2, true, 1), UNSCALED),
  ...modes('ldrsw', load(4, true, 1)),
  ...modes('ldursw', load(4, true, 1), UNSCALED),
  ...modes('str', store(0, 1)),
  ...modes('stur', store(0, 1), UNSCALED),
  ...modes('strb', store(1, 1)),
  ...modes('sturb', store(1, 1), UNSCALED),
  ...modes('strh', store(2, 1)),
  ...modes('sturh', store(2, 1), UNSCALED),
  ...modes('ldp', load(0, false, 2), PAIR),
  ...modes('ldnp', load(0, false, 2), UNSCALED),
  ...modes('ldpsw', load(4, true, 2), PAIR),
  ...modes('stp', store(0, 2), PAIR),
  ...modes('stnp', store(0, 2), UNSCALED),
  ['ldr.lit', loadLiteral(false)],
  ['ldrsw.lit', loadLiteral(true)],
  ['adr.sym', adr],
  ['adrp.sym', adrp],
  ['adrp.imm', adrp],
  ['b', b],
  ['b.cond', bcond],
  ['cbz', compareBranch(false)],
  ['cbnz', compareBranch(true)],
  ['tbz', testBranch(false)],
  ['tbnz', testBranch(true)],
  ['bl', bl],
  ['blr', blr],
  ['br', br],
  ['ret', ret],
  ['nop', nothing],
  ['yield', nothing],
  ['hint.imm', nothing],
  ['bti', nothing],
  ['dmb', nothing],
  ['dsb', nothing],
  ['isb', nothing],
  ...modes('prfm', nothing, ['off', 'reg']),
  ['prfm.sym', nothing],
  ['brk', trap],
  ['udf', trap],
  ['hlt', trap],
]);
