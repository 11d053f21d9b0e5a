// The AArch64 semantics against the real machine: every form of the semantics table, on real
// gcc instances and synthesized operand variants, each from many random edge-biased states, run
// in Unicorn, in the concrete emulator and (on a deterministic subset of states) in the symbolic
// domain folded by Z3; all registers, NZCV, the data region and the successor must agree. Then
// hand-computed cases for the tricky corners of each category.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from 'z3-solver';
import { aarch64Semantics } from '../src/isa/aarch64/semantics.js';
import { describeAarch64 } from '../src/isa/aarch64/table.js';
import { FPCR } from '../src/isa/aarch64/registers.js';
import { Machine } from '../src/emu/machine.js';
import { ConcreteMemory } from '../src/isa/concrete.js';
import type { ExecState, Outcome } from '../src/isa/exec.js';
import { symbolicDomain, type SymBool, type SymBV, type SymMem, type Z3LowLevel } from '../src/isa/symbolic.js';
import { mask } from '../src/isa/sem.js';
import { parseAsm } from '../src/asm/index.js';
import type { Instruction } from '../src/ir/program.js';
import { groundEvaluator } from './helpers/z3eval.js';
import { Rng } from '../src/util/random.js';
import { UnicornMachine, STOP } from './oracle/unicorn.js';
import { UC_ERR } from './oracle/unicorn-consts.js';
import {
  CODE_BASE, CODE_SIZE, CORPUS_INSTANCES, DATA_BASE, DATA_SIZE, SYNTH_INSTANCES, SymbolTable,
  type DiffState, type Instance, linkInstances, makeInstances, memOperand, stateGenerator,
} from './helpers/aarch64-states.js';

const STATES = Number(process.env.GNS_DIFF_STATES ?? 1000);
/** States per instance also checked symbolically (Z3 folding is the slow part). */
const SYM_STATES = Number(process.env.GNS_SYM_STATES ?? 25);
const SEED = 0x5eed_a64;

const { Context, Z3 } = await init();
const ctx = Context('main');
const ground = groundEvaluator(ctx);
const sym = symbolicDomain(ctx, Z3 as unknown as Z3LowLevel);

const GPRS = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp'];
const VREGS = Array.from({ length: 32 }, (_, i) => `v${i}`);
const ALL_REGS = [...GPRS, 'nzcv', ...VREGS];
const width = (id: string): number => (id === 'nzcv' ? 4 : id.startsWith('v') ? 128 : 64);
/** FPCR.DN: every NaN result is the default NaN (the verifier's mode against RISC-V). */
const FPCR_DN = 1n << 25n;
const hex = (v: bigint): string => '0x' + v.toString(16);

// ---------------------------------------------------------------------------------------------
// Running one state three ways
// ---------------------------------------------------------------------------------------------

interface Final {
  regs: Map<string, bigint>;
  mem: Uint8Array;
  /** The next pc, or 'fault' when the instruction raised an exception. */
  pc: bigint | 'fault';
}

/** Loads a state into Unicorn: only `regs` (the rest is already there), memory when it may differ. */
function loadUnicorn(uc: UnicornMachine, s: DiffState, regs: readonly string[], withMemory: boolean): void {
  for (const id of regs) uc.setReg(id, id === 'nzcv' ? s.regs.get(id)! << 28n : s.regs.get(id)!);
  if (withMemory) uc.writeMemory(DATA_BASE, s.mem);
}

/** Runs the instance in Unicorn (its state already loaded) and reads back every register. */
function runUnicorn(uc: UnicornMachine, inst: Instance, s: DiffState, withMemory: boolean): Final {
  const r = uc.run(inst.addr, inst.addr + 4n, { maxInstructions: 1 });
  let pc: bigint | 'fault';
  if (r.ok) pc = inst.addr + 4n;
  // A taken branch stops on the instruction count, or on fetching an unmapped target.
  else if (r.code === STOP.INSN_LIMIT || r.code === UC_ERR.FETCH_UNMAPPED) pc = r.pc;
  else pc = 'fault';
  const regs = new Map<string, bigint>();
  for (const id of ALL_REGS) regs.set(id, id === 'nzcv' ? (uc.getReg(id) >> 28n) & 0xfn : uc.getReg(id));
  return { regs, mem: withMemory ? uc.readMemory(DATA_BASE, DATA_SIZE) : s.mem, pc };
}

function regionMemory(s: DiffState): ConcreteMemory {
  return new ConcreteMemory((a) => (a >= DATA_BASE && a < DATA_BASE + BigInt(DATA_SIZE) ? s.mem[Number(a - DATA_BASE)]! : 0));
}

function nextPc(o: Outcome<bigint, boolean>, inst: Instance, symbols: ReadonlyMap<string, bigint>): bigint | 'fault' {
  switch (o.kind) {
    case 'next':
      return inst.addr + 4n;
    case 'branch':
      return o.cond === false ? inst.addr + 4n : symbols.get(o.target)!;
    case 'call':
    case 'tailcall':
      return symbols.get(o.target)!;
    case 'ijump':
    case 'icall':
    case 'ret':
      return o.address;
    case 'trap':
      return 'fault';
  }
}

function runConcrete(inst: Instance, s: DiffState, symbols: ReadonlyMap<string, bigint>, fpcr: bigint): { final: Final; outcome: Outcome<bigint, boolean>; outside: bigint[] } {
  const m = new Machine(regionMemory(s), symbols, (id) => (id === FPCR ? fpcr : s.regs.get(id) ?? 0n));
  m.pc = inst.addr;
  m.next = inst.addr + 4n;
  const found = aarch64Semantics.lookup(inst.insn);
  if ('unsupported' in found) throw new Error('unsupported');
  const outcome = found.run(m, inst.insn);
  const mem = s.mem.slice();
  const outside: bigint[] = [];
  for (const [a, b] of m.mem.writtenBytes()) {
    if (a >= DATA_BASE && a < DATA_BASE + BigInt(DATA_SIZE)) mem[Number(a - DATA_BASE)] = b;
    else outside.push(a);
  }
  const regs = new Map<string, bigint>();
  for (const id of ALL_REGS) regs.set(id, m.get(id));
  return { final: { regs, mem, pc: nextPc(outcome, inst, symbols) }, outcome, outside };
}

/** An ExecState over the symbolic domain whose initial registers and memory are constants. */
class ConstState implements ExecState<SymBV, SymBool, SymMem> {
  readonly d = sym;
  readonly written = new Map<string, SymBV>();
  constructor(
    private readonly init: ReadonlyMap<string, bigint>,
    public mem: SymMem,
    private readonly symbols: ReadonlyMap<string, bigint>,
    readonly pc: SymBV,
    readonly next: SymBV,
  ) {}
  get(id: string): SymBV {
    return this.written.get(id) ?? ctx.BitVec.val(this.init.get(id) ?? 0n, width(id));
  }
  set(id: string, v: SymBV): void {
    if (v.size() !== width(id)) throw new Error(`write of width ${v.size()} to ${id}`);
    this.written.set(id, v);
  }
  symbol(name: string): SymBV {
    return ctx.BitVec.val(this.symbols.get(name) ?? 0n, 64);
  }
}

/** Checks the symbolic semantics on the state; returns a description of any disagreement. */
function checkSymbolic(inst: Instance, s: DiffState, want: Final, wantOutcome: Outcome<bigint, boolean>, symbols: ReadonlyMap<string, bigint>, fpcr: bigint): string | undefined {
  let mem = ctx.Array.K(ctx.BitVec.sort(64), ctx.BitVec.val(0n, 8)) as unknown as SymMem;
  if (s.window) {
    for (let i = 0; i < s.window.size; i++) {
      const a = s.window.addr + BigInt(i);
      mem = mem.store(ctx.BitVec.val(a, 64), ctx.BitVec.val(BigInt(s.mem[Number(a - DATA_BASE)]!), 8)) as SymMem;
    }
  }
  const initialMem = mem;
  const st = new ConstState(new Map([...s.regs, [FPCR, fpcr]]), mem, symbols, ctx.BitVec.val(inst.addr, 64), ctx.BitVec.val(inst.addr + 4n, 64));
  const found = aarch64Semantics.lookup(inst.insn);
  if ('unsupported' in found) return 'unsupported';
  const o = found.run(st, inst.insn);
  const checks: [string, SymBool][] = [];
  for (const [id, v] of st.written) checks.push([id, v.eq(ctx.BitVec.val(want.regs.get(id)!, width(id)))]);
  if (st.mem !== initialMem) {
    if (!s.window) return 'memory written by an instruction without a memory window';
    for (let i = 0; i < s.window.size; i++) {
      const a = s.window.addr + BigInt(i);
      checks.push([`mem[${hex(a)}]`, (st.mem.select(ctx.BitVec.val(a, 64)) as SymBV).eq(ctx.BitVec.val(BigInt(want.mem[Number(a - DATA_BASE)]!), 8))]);
    }
  }
  if (o.kind !== wantOutcome.kind) return `outcome ${o.kind}, concrete ${wantOutcome.kind}`;
  if (o.kind === 'branch' && o.cond !== undefined) checks.push(['branch condition', wantOutcome.kind === 'branch' && wantOutcome.cond === false ? ctx.Not(o.cond) : o.cond]);
  if (o.kind === 'ijump' || o.kind === 'icall' || o.kind === 'ret') {
    checks.push(['target', o.address.eq(ctx.BitVec.val(want.pc as bigint, 64))]);
  }
  if (checks.length === 0) return undefined;
  if (ground.truth(ctx.And(...checks.map((c) => c[1])))) return undefined;
  const bad: string[] = [];
  for (const [what, c] of checks) if (!ground.truth(c)) bad.push(what);
  return `symbolic disagrees: ${bad.join('; ')}`;
}

function describeState(s: DiffState): string {
  return ALL_REGS.map((id) => `${id}=${hex(s.regs.get(id)!)}`).join(' ');
}

function compare(u: Final, c: Final, outside: bigint[]): string[] {
  const out: string[] = [];
  for (const id of ALL_REGS) {
    const a = u.regs.get(id)!;
    const b = c.regs.get(id)!;
    if (a !== b) out.push(`${id}: unicorn ${hex(a)} ours ${hex(b)}`);
  }
  if (u.pc !== c.pc) out.push(`pc: unicorn ${u.pc === 'fault' ? 'fault' : hex(u.pc)} ours ${c.pc === 'fault' ? 'fault' : hex(c.pc)}`);
  if (outside.length > 0) out.push(`ours wrote outside the data region at ${outside.slice(0, 4).map(hex).join(', ')}`);
  if (Buffer.compare(u.mem, c.mem) !== 0) {
    const diffs: string[] = [];
    for (let i = 0; i < DATA_SIZE && diffs.length < 8; i++) if (u.mem[i] !== c.mem[i]) diffs.push(`${hex(DATA_BASE + BigInt(i))}: ${u.mem[i]!.toString(16)} vs ${c.mem[i]!.toString(16)}`);
    out.push(`memory: ${diffs.join(', ')}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The differential test
// ---------------------------------------------------------------------------------------------

/**
 * Runs every instance that `only` keeps from many states in Unicorn with FPCR = `fpcr`, and in
 * our concrete and symbolic semantics with the same FPCR; fails on any disagreement. Returns the
 * number of states whose concrete result depends on FPCR (against FPCR = 0).
 */
async function differential(t: { diagnostic(message: string): void }, fpcr: bigint, only: (insn: Instruction<'aarch64'>) => boolean): Promise<number> {
  const started = performance.now();
  const syms = new SymbolTable();
  const instances = makeInstances([...CORPUS_INSTANCES, ...SYNTH_INSTANCES], syms);
  const code = await linkInstances(instances, syms);
  const uc = UnicornMachine.open('aarch64');
  let modeMatters = 0;
  try {
    uc.map(CODE_BASE, CODE_SIZE);
    uc.map(DATA_BASE, DATA_SIZE);
    uc.writeMemory(CODE_BASE, code);
    // The FP model reads only FPCR.DN (RNE, FZ = 0): make sure the oracle runs that way.
    assert.equal(uc.getReg('fpcr'), 0n);
    uc.setReg('fpcr', fpcr);
    assert.equal(uc.getReg('fpcr'), fpcr);

    const failures: string[] = [];
    const unsupported = new Map<string, string[]>();
    const formsSeen = new Set<string>();
    let runs = 0;
    let symRuns = 0;
    const symEvery = Math.max(1, Math.floor(STATES / Math.max(1, SYM_STATES)));
    for (const [i, inst] of instances.entries()) {
      // Skipped instances stay linked: each one's address is fixed by its place in the list.
      if (!only(inst.insn)) continue;
      const found = aarch64Semantics.lookup(inst.insn);
      if ('unsupported' in found) {
        unsupported.set(found.unsupported, [...(unsupported.get(found.unsupported) ?? []), inst.text]);
        continue;
      }
      formsSeen.add(found.form);
      const seed = SEED + i;
      const rng = new Rng(seed);
      const gen = stateGenerator(rng, inst, syms);
      // Instructions without memory access keep the background data region; our side still
      // checks that they write no memory at all.
      const info = describeAarch64(inst.insn);
      const withMemory = memOperand(inst.insn) !== undefined || ('memory' in info && info.memory !== 'none');
      loadUnicorn(uc, gen.background, ALL_REGS, true);
      let instFailures = 0;
      for (let k = 0; k < STATES && instFailures < 3; k++) {
        const s = gen.next();
        // After a failure Unicorn's background may be off: reload everything.
        loadUnicorn(uc, s, instFailures > 0 ? ALL_REGS : gen.touched, withMemory || instFailures > 0);
        const u = runUnicorn(uc, inst, s, withMemory);
        const { final: c, outcome, outside } = runConcrete(inst, s, syms.addresses, fpcr);
        if (fpcr !== 0n && compare(c, runConcrete(inst, s, syms.addresses, 0n).final, []).length > 0) modeMatters++;
        runs++;
        const diffs = compare(u, c, outside);
        let symProblem: string | undefined;
        if (diffs.length === 0 && k % symEvery === 0 && SYM_STATES > 0) {
          symRuns++;
          symProblem = checkSymbolic(inst, s, c, outcome, syms.addresses, fpcr);
        }
        if (diffs.length > 0 || symProblem !== undefined) {
          instFailures++;
          failures.push(`${inst.text} (form ${found.form}, seed ${seed}, state ${k}):\n  ${[...diffs, ...(symProblem ? [symProblem] : [])].join('\n  ')}\n  initial: ${describeState(s)}`);
        }
      }
    }
    const missing = aarch64Semantics.forms.filter((f) => !formsSeen.has(f));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    t.diagnostic(`FPCR=${hex(fpcr)}: ${instances.filter((inst) => only(inst.insn)).length} instances, ${formsSeen.size} of ${aarch64Semantics.forms.length} forms exercised, ${runs} states run in Unicorn and concretely, ${symRuns} also symbolically, in ${seconds} s`);
    if (fpcr === 0n && missing.length > 0) t.diagnostic(`forms without an instance: ${missing.join(' ')}`);
    for (const [why, texts] of unsupported) t.diagnostic(`unsupported ${why}: ${texts.join(' | ')}`);
    if (failures.length > 0) assert.fail(`${failures.length} mismatches:\n${failures.slice(0, 40).join('\n')}`);
    assert.deepEqual([...unsupported.keys()], []);
  } finally {
    uc.close();
  }
  return modeMatters;
}

test('every AArch64 form agrees with Unicorn, concretely and symbolically', async (t) => {
  await differential(t, 0n, () => true);
});

test('FP forms agree with Unicorn in default-NaN mode (FPCR.DN = 1), and the mode matters', async (t) => {
  // Every FP instruction mnemonic starts with f (fadd, fmadd, fcvt, fmaxnm, ... and vector fadd).
  const matters = await differential(t, FPCR_DN, (insn) => insn.mnemonic.startsWith('f'));
  t.diagnostic(`${matters} states give a different result with DN = 1 than with DN = 0`);
  assert.ok(matters >= 50, `only ${matters} states depend on FPCR.DN: the NaN cases are not exercised`);
});

// ---------------------------------------------------------------------------------------------
// Hand-computed cases
// ---------------------------------------------------------------------------------------------

/** Runs one instruction on a concrete machine with the given registers (and memory bytes). */
function exec(text: string, regs: Record<string, bigint>, mem: [bigint, number[]][] = [], symbols: Record<string, bigint> = {}): { m: Machine; o: Outcome<bigint, boolean> } {
  const { program } = parseAsm(`\t${text}\n`, { isa: 'aarch64', file: 'unit.s' });
  const insn = program.statements.find((s) => s.kind === 'insn') as Instruction<'aarch64'>;
  const found = aarch64Semantics.lookup(insn);
  if ('unsupported' in found) assert.fail(`${text}: unsupported ${found.unsupported}`);
  const memory = new ConcreteMemory();
  for (const [a, bytes] of mem) memory.writeBytes(a, new Uint8Array(bytes));
  const m = new Machine(memory, new Map(Object.entries(symbols)));
  for (const [k, v] of Object.entries(regs)) m.set(k, v & mask(width(k)));
  m.pc = 0x1000n;
  m.next = 0x1004n;
  return { m, o: found.run(m, insn) };
}

const NZCV = (n: number, z: number, c: number, v: number): bigint => BigInt((n << 3) | (z << 2) | (c << 1) | v);

test('flags of add/subtract, compare and conditional compare', () => {
  // 0x80000000 - 1 overflows in 32 bits: N=0 Z=0 C=1 (no borrow) V=1.
  assert.equal(exec('cmp w0, w1', { x0: 0xffff_ffff_8000_0000n, x1: 1n }).m.get('nzcv'), NZCV(0, 0, 1, 1));
  // 0 - 1: borrow, so C=0; N=1.
  assert.equal(exec('cmp x0, 1', { x0: 0n }).m.get('nzcv'), NZCV(1, 0, 0, 0));
  // cmn x0, #1 with x0 = -1: -1 + 1 = 0 with carry out.
  assert.equal(exec('cmn x0, #1', { x0: -1n }).m.get('nzcv'), NZCV(0, 1, 1, 0));
  // INT64_MAX + 1 = INT64_MIN: V=1, N=1.
  const adds = exec('adds x2, x0, x1', { x0: (1n << 63n) - 1n, x1: 1n }).m;
  assert.equal(adds.get('x2'), 1n << 63n);
  assert.equal(adds.get('nzcv'), NZCV(1, 0, 0, 1));
  // negs of 0 sets C (0 - 0 has no borrow) and Z.
  assert.equal(exec('negs w0, w1', { x1: 0n }).m.get('nzcv'), NZCV(0, 1, 1, 0));
  // sbcs with C clear subtracts one more: 5 - 5 - 1 = -1.
  const sbcs = exec('sbcs x0, x1, x2', { x1: 5n, x2: 5n, nzcv: 0n }).m;
  assert.equal(sbcs.get('x0'), mask(64));
  assert.equal(sbcs.get('nzcv'), NZCV(1, 0, 0, 0));
  // tst clears C and V whatever they were.
  assert.equal(exec('tst w0, 0x80000000', { x0: 0x8000_0000n, nzcv: 0b0011n }).m.get('nzcv'), NZCV(1, 0, 0, 0));
  // ccmp: condition false -> the immediate flags; true -> the comparison's.
  assert.equal(exec('ccmp x1, 3, 5, eq', { x1: 3n, nzcv: NZCV(0, 0, 0, 0) }).m.get('nzcv'), 5n);
  assert.equal(exec('ccmp x1, 3, 5, eq', { x1: 3n, nzcv: NZCV(0, 1, 0, 0) }).m.get('nzcv'), NZCV(0, 1, 1, 0));
});

test('conditional select family and condition codes', () => {
  // gt is Z=0 and N=V: with N=1 V=1 it holds.
  assert.equal(exec('cset w0, gt', { x0: 77n, nzcv: NZCV(1, 0, 0, 1) }).m.get('x0'), 1n);
  assert.equal(exec('csetm x0, hi', { nzcv: NZCV(0, 1, 1, 0) }).m.get('x0'), 0n);
  assert.equal(exec('csetm w0, lo', { x0: -1n, nzcv: 0n }).m.get('x0'), 0xffff_ffffn);
  assert.equal(exec('cinc w0, w1, ne', { x1: 0xffff_ffffn, nzcv: 0n }).m.get('x0'), 0n);
  assert.equal(exec('cneg x0, x1, mi', { x1: 5n, nzcv: NZCV(1, 0, 0, 0) }).m.get('x0'), mask(64) - 4n);
  assert.equal(exec('csinv x0, x1, xzr, eq', { x1: 9n, nzcv: 0n }).m.get('x0'), mask(64));
});

test('32-bit writes, shifts, multiplies and divides', () => {
  assert.equal(exec('add w0, w1, w2', { x0: -1n, x1: 0xffff_ffffn, x2: 2n }).m.get('x0'), 1n);
  // Register shift amounts are taken modulo the width.
  assert.equal(exec('lsl w0, w1, w2', { x1: 3n, x2: 33n }).m.get('x0'), 6n);
  assert.equal(exec('asr x0, x1, x2', { x1: 1n << 63n, x2: 127n }).m.get('x0'), mask(64));
  assert.equal(exec('ror w0, w1, 4', { x1: 0x1234_5678n }).m.get('x0'), 0x8123_4567n);
  assert.equal(exec('sdiv w0, w1, w2', { x1: 0x8000_0000n, x2: 0xffff_ffffn }).m.get('x0'), 0x8000_0000n);
  assert.equal(exec('sdiv x0, x1, x2', { x1: 7n, x2: 0n }).m.get('x0'), 0n);
  assert.equal(exec('udiv w0, w1, w2', { x1: 7n, x2: 0n }).m.get('x0'), 0n);
  assert.equal(exec('sdiv x0, x1, x2', { x1: -7n, x2: 2n }).m.get('x0'), mask(64) - 2n);
  assert.equal(exec('smulh x0, x1, x2', { x1: -1n, x2: 1n }).m.get('x0'), mask(64));
  assert.equal(exec('umulh x0, x1, x2', { x1: -1n, x2: -1n }).m.get('x0'), mask(64) - 1n);
  assert.equal(exec('smull x0, w1, w2', { x1: 0xffff_ffffn, x2: 0xffff_fffen }).m.get('x0'), 2n);
  assert.equal(exec('msub w0, w1, w2, w3', { x1: 3n, x2: 4n, x3: 10n }).m.get('x0'), 0xffff_fffen);
  assert.equal(exec('add x0, x1, w2, sxtw 2', { x1: 100n, x2: 0xffff_ffffn }).m.get('x0'), 96n);
  assert.equal(exec('sub w0, w1, w2, uxtb', { x1: 0n, x2: 0x1ffn }).m.get('x0'), 0xffff_ff01n);
});

test('moves, bit fields and bit counting', () => {
  assert.equal(exec('movk x0, 0xbeef, lsl 48', { x0: 0x1234n }).m.get('x0'), 0xbeef_0000_0000_1234n);
  assert.equal(exec('movn w0, 0x1234, lsl 16', {}).m.get('x0'), 0xedcb_ffffn);
  assert.equal(exec('mov w0, -2147483648', {}).m.get('x0'), 0x8000_0000n);
  assert.equal(exec('ubfx x0, x1, 8, 8', { x1: 0xabcdn }).m.get('x0'), 0xabn);
  assert.equal(exec('sbfx w0, w1, 4, 4', { x1: 0x80n }).m.get('x0'), 0xffff_fff8n);
  assert.equal(exec('bfi w0, w1, 8, 4', { x0: 0xffff_ffffn, x1: 0n }).m.get('x0'), 0xffff_f0ffn);
  assert.equal(exec('bfxil x0, x1, 60, 4', { x0: 0n, x1: 0xa000_0000_0000_0000n }).m.get('x0'), 0xan);
  assert.equal(exec('sbfiz x0, x1, 60, 4', { x1: 0x8n }).m.get('x0'), 0x8000_0000_0000_0000n);
  assert.equal(exec('ubfiz w0, w1, 31, 1', { x1: 3n }).m.get('x0'), 0x8000_0000n);
  assert.equal(exec('extr x0, x1, x2, 4', { x1: 0x1n, x2: 0x20n }).m.get('x0'), 0x1000_0000_0000_0002n);
  assert.equal(exec('clz w0, w1', { x1: 0n }).m.get('x0'), 32n);
  assert.equal(exec('cls x0, x1', { x1: -1n }).m.get('x0'), 63n);
  assert.equal(exec('cls w0, w1', { x1: 0x0fff_ffffn }).m.get('x0'), 3n);
  assert.equal(exec('rbit w0, w1', { x1: 1n }).m.get('x0'), 0x8000_0000n);
  assert.equal(exec('rev16 w0, w1', { x1: 0x1122_3344n }).m.get('x0'), 0x2211_4433n);
  assert.equal(exec('rev32 x0, x1', { x1: 0x1122_3344_5566_7788n }).m.get('x0'), 0x4433_2211_8877_6655n);
});

test('loads and stores: extension, pairs, writeback, relocations', () => {
  const mem: [bigint, number[]][] = [[0x2000n, [0x80, 0xff, 0x01, 0x80, 5, 0, 0, 0]]];
  assert.equal(exec('ldrsb w0, [x1]', { x1: 0x2000n }, mem).m.get('x0'), 0xffff_ff80n);
  assert.equal(exec('ldrsh x0, [x1]', { x1: 0x2000n }, mem).m.get('x0'), mask(64) - 0x7fn);
  assert.equal(exec('ldrsw x0, [x1, -4]', { x1: 0x2004n }, mem).m.get('x0'), 0xffff_ffff_8001_ff80n);
  assert.equal(exec('ldrh w0, [x1, x2, lsl 1]', { x1: 0x1ffen, x2: 1n }, mem).m.get('x0'), 0xff80n);
  const pair = exec('ldpsw x2, x3, [x1], 16', { x1: 0x2000n }, mem).m;
  assert.deepEqual([pair.get('x2'), pair.get('x3'), pair.get('x1')], [0xffff_ffff_8001_ff80n, 5n, 0x2010n]);
  const pre = exec('stp w2, w3, [sp, -8]!', { sp: 0x3000n, x2: 0x1122_3344n, x3: 0xaabb_ccddn }).m;
  assert.equal(pre.get('sp'), 0x2ff8n);
  assert.deepEqual([...pre.mem.readBytes(0x2ff8n, 8)], [0x44, 0x33, 0x22, 0x11, 0xdd, 0xcc, 0xbb, 0xaa]);
  // A 32-bit load zeroes the upper half; a q load fills all 128 bits.
  assert.equal(exec('ldr w0, [x1]', { x0: -1n, x1: 0x2000n }, mem).m.get('x0'), 0x8001_ff80n);
  assert.equal(exec('ldr s0, [x1]', { v0: -1n, x1: 0x2000n }, mem).m.get('v0'), 0x8001_ff80n);
  // adrp takes the page of the symbol, :lo12: its low bits; :got: names the slot `got:sym`.
  const symbols = { counter: 0x41_2345n, 'got:counter': 0x42_0ff8n };
  assert.equal(exec('adrp x0, counter', {}, [], symbols).m.get('x0'), 0x41_2000n);
  assert.equal(exec('add x0, x0, :lo12:counter', { x0: 0x41_2000n }, [], symbols).m.get('x0'), 0x41_2345n);
  assert.equal(exec('adrp x0, :got:counter', {}, [], symbols).m.get('x0'), 0x42_0000n);
  const slot: [bigint, number[]][] = [[0x42_0ff8n, [0x45, 0x23, 0x41, 0, 0, 0, 0, 0]]];
  assert.equal(exec('ldr x0, [x0, #:got_lo12:counter]', { x0: 0x42_0000n }, slot, symbols).m.get('x0'), 0x41_2345n);
});

test('branches and calls', () => {
  const t = exec('tbnz w0, 31, .L3', { x0: 0x8000_0000n }).o;
  assert.deepEqual(t, { kind: 'branch', target: '.L3', cond: true });
  assert.deepEqual(exec('cbz w0, .L3', { x0: 1n << 32n }).o, { kind: 'branch', target: '.L3', cond: true });
  assert.deepEqual(exec('b.le .L3', { nzcv: NZCV(0, 0, 0, 1) }).o, { kind: 'branch', target: '.L3', cond: true });
  assert.deepEqual(exec('b printf', {}).o, { kind: 'tailcall', target: 'printf' });
  const call = exec('blr x30', { x30: 0x5000n });
  assert.deepEqual(call.o, { kind: 'icall', address: 0x5000n });
  assert.equal(call.m.get('x30'), 0x1004n);
  assert.deepEqual(exec('ret', { x30: 0x7000n }).o, { kind: 'ret', address: 0x7000n });
});

test('floating point: NaN propagation, compares, conversions, rounding', () => {
  const S = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]!);
  const D = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!;
  // The first signalling NaN wins over an earlier quiet NaN, and comes out quiet.
  assert.equal(exec('fadd d0, d1, d2', { v1: 0x7ff8_0000_0000_0001n, v2: 0xfff0_0000_0000_0002n }).m.get('v0'), 0xfff8_0000_0000_0002n);
  // Otherwise the first quiet NaN, payload kept; an invalid operation gives the default NaN.
  assert.equal(exec('fmul s0, s1, s2', { v1: S(1), v2: 0xffc0_0001n }).m.get('v0'), 0xffc0_0001n);
  assert.equal(exec('fsub d0, d1, d2', { v1: D(Infinity), v2: D(Infinity) }).m.get('v0'), 0x7ff8_0000_0000_0000n);
  // fnmul negates the propagated NaN; fmsub negates a NaN multiplicand before propagating it.
  assert.equal(exec('fnmul s0, s1, s2', { v1: 0x7fc0_0005n, v2: S(2) }).m.get('v0'), 0xffc0_0005n);
  assert.equal(exec('fmsub d0, d1, d2, d3', { v1: 0x7ff8_0000_0000_0007n, v2: D(1), v3: D(1) }).m.get('v0'), 0xfff8_0000_0000_0007n);
  // Scalar writes zero the rest of the vector register.
  assert.equal(exec('fabs s0, s1', { v0: -1n, v1: S(-2) }).m.get('v0'), S(2));
  // Unordered compares give NZCV = 0011; fcmp with #0.0; fccmp with a false condition.
  assert.equal(exec('fcmp d0, d1', { v0: 0x7ff8_0000_0000_0000n, v1: D(1) }).m.get('nzcv'), 0b0011n);
  assert.equal(exec('fcmpe s0, #0.0', { v0: S(-0) }).m.get('nzcv'), 0b0110n);
  assert.equal(exec('fcmp d0, d1', { v0: D(-1), v1: D(1) }).m.get('nzcv'), 0b1000n);
  assert.equal(exec('fccmp d0, d1, 2, eq', { nzcv: 0n, v0: D(1), v1: D(1) }).m.get('nzcv'), 2n);
  // max(-0, +0) = +0; min = -0; maxnm ignores a quiet NaN but not a signalling one.
  assert.equal(exec('fmax d0, d1, d2', { v1: D(-0), v2: D(0) }).m.get('v0'), D(0));
  assert.equal(exec('fmin s0, s1, s2', { v1: S(0), v2: S(-0) }).m.get('v0'), S(-0));
  assert.equal(exec('fmaxnm d0, d1, d2', { v1: 0x7ff8_0000_0000_0000n, v2: D(-3) }).m.get('v0'), D(-3));
  assert.equal(exec('fminnm s0, s1, s2', { v1: S(1), v2: 0x7f80_0001n }).m.get('v0'), 0x7fc0_0001n);
  // Saturating conversions toward zero; NaN converts to 0.
  assert.equal(exec('fcvtzs w0, d1', { v1: D(-1e10) }).m.get('x0'), 0x8000_0000n);
  assert.equal(exec('fcvtzu x0, s1', { v1: S(-5) }).m.get('x0'), 0n);
  assert.equal(exec('fcvtzs x0, d1', { v1: 0x7ff8_0000_0000_0000n }).m.get('x0'), 0n);
  assert.equal(exec('fcvtzs w0, s1', { v1: S(-2.9) }).m.get('x0'), 0xffff_fffen);
  assert.equal(exec('fcvtms w0, d1', { v1: D(-2.1) }).m.get('x0'), 0xffff_fffdn);
  assert.equal(exec('fcvtas w0, d1', { v1: D(2.5) }).m.get('x0'), 3n);
  assert.equal(exec('ucvtf d0, x1', { x1: mask(64) }).m.get('v0'), D(2 ** 64));
  assert.equal(exec('scvtf s0, w1', { x1: 0xffff_ffffn }).m.get('v0'), S(-1));
  // fcvt keeps a NaN's sign and top payload bits, quieted.
  assert.equal(exec('fcvt s0, d1', { v1: 0xfff4_0000_2000_0000n }).m.get('v0'), 0xffe0_0001n);
  assert.equal(exec('fcvt d0, s1', { v1: 0x7f80_0001n }).m.get('v0'), 0x7ff8_0000_2000_0000n);
  // Rounding to integral keeps the sign of zero.
  assert.equal(exec('frintz d0, d1', { v1: D(-0.7) }).m.get('v0'), D(-0));
  assert.equal(exec('frinta s0, s1', { v1: S(-2.5) }).m.get('v0'), S(-3));
  assert.equal(exec('frintn d0, d1', { v1: D(2.5) }).m.get('v0'), D(2));
  assert.equal(exec('frintp s0, s1', { v1: S(1.0000001) }).m.get('v0'), S(2));
  assert.equal(exec('fmov d0, 1.0e+0', { v0: -1n }).m.get('v0'), D(1));
  assert.equal(exec('fmov x0, d1', { v1: (5n << 64n) | 7n }).m.get('x0'), 7n);
});

test('SIMD: immediates, lanes, widening', () => {
  assert.equal(exec('movi v0.2s, 0x27, lsl 24', { v0: -1n }).m.get('v0'), 0x2700_0000_2700_0000n);
  // msl shifts ones in: (0x12 << 8) | 0xff, inverted.
  assert.equal(exec('mvni v0.4s, 0x12, msl 8', {}).m.get('v0'), 0xffff_ed00_ffff_ed00_ffff_ed00_ffff_ed00n);
  assert.equal(exec('cmeq v0.4s, v1.4s, #0', { v1: 0x5n << 32n }).m.get('v0'), (mask(128) ^ (0xffff_ffffn << 32n)));
  assert.equal(exec('ins v0.s[1], w2', { v0: 0n, x2: 0x1_2345_6789n }).m.get('v0'), 0x2345_6789n << 32n);
  assert.equal(exec('umov w0, v1.h[7]', { v1: 0xabcdn << 112n }).m.get('x0'), 0xabcdn);
  assert.equal(exec('smov x0, v1.b[0]', { v1: 0x80n }).m.get('x0'), mask(64) - 0x7fn);
  assert.equal(exec('uxtl2 v0.4s, v1.8h', { v1: 0xffff_0001n << 64n }).m.get('v0'), (0xffffn << 32n) | 1n);
  assert.equal(exec('addv b0, v1.8b', { v1: 0x0101_0101_0101_01ffn }).m.get('v0'), 6n);
  assert.equal(exec('cnt v0.8b, v1.8b', { v0: -1n, v1: 0xffn }).m.get('v0'), 8n);
});

test('unknown forms are unsupported, never thrown', () => {
  for (const text of ['ldaxr x0, [x1]', 'fadd h0, h1, h2', 'crc32b w0, w1, w2', 'sha1h s0, s1']) {
    const { program } = parseAsm(`\t${text}\n`, { isa: 'aarch64', file: 'u.s' });
    const insn = program.statements.find((s) => s.kind === 'insn') as Instruction<'aarch64'>;
    const r = aarch64Semantics.lookup(insn);
    assert.ok('unsupported' in r, text);
  }
});
