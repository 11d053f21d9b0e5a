// Differential and unit tests of the RISC-V 64 semantics (src/isa/riscv64/semantics.ts). Every
// modeled form runs on real instances (from a fixed part of the gcc corpus, plus synthesized ones
// covering operand variants) from many random edge-biased states in three ways: the real Unicorn
// engine, the concrete emulator (Machine), and the symbolic domain with Z3 folding the terms for
// the same inputs. All registers, memory and the control outcome must agree.
//
// Unicorn 2.0.1 is QEMU 5.0, which predates the ratified NaN-boxing rules and IEEE 754-2019
// fmin/fmax; those three known deviations of the oracle are corrected here, case by case, and
// counted (see `oracleInput` and `compareF`). Everything else is compared bit for bit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from 'z3-solver';
import { parseAsm } from '../src/asm/index.js';
import type { Expr, Instruction, Operand } from '../src/ir/program.js';
import { ConcreteMemory } from '../src/isa/concrete.js';
import type { Outcome, Semantics } from '../src/isa/exec.js';
import type { ExecState } from '../src/isa/exec.js';
import { evalExpr } from '../src/isa/riscv64/sem-common.js';
import { symbolicDomain, type SymBV, type SymBool, type SymMem, type Z3LowLevel } from '../src/isa/symbolic.js';
import { riscv64Semantics, RESERVATION, RESERVATION_VALID } from '../src/isa/riscv64/semantics.js';
import { describeRiscv, formsOf, knownMnemonics } from '../src/isa/riscv64/table.js';
import { FPR_NAMES, GPR_NAMES } from '../src/isa/riscv64/registers.js';
import { isDescribeError } from '../src/isa/types.js';
import { Machine } from '../src/emu/machine.js';
import { Rng } from '../src/util/random.js';
import { UnicornMachine, STOP } from './oracle/unicorn.js';
import { groundEvaluator } from './helpers/z3eval.js';
import { buildAsmCorpus } from '../scripts/corpus.js';
import { assembleLinked, boxed, edgeByte, edgeInt, fpReg, seedOf } from './helpers/riscv64-states.js';

type Insn = Instruction<'riscv64'>;

const STATES = Number(process.env.GNS_DIFF_STATES ?? 1000);
/** States per instance also evaluated symbolically (Z3 is the slow part). */
const SYM_STATES = Number(process.env.GNS_SYM_STATES ?? 25);
const SEED = 20240611;
const hex = (v: bigint): string => '0x' + v.toString(16);

function parseOne(text: string): Insn[] {
  const { program, diagnostics } = parseAsm(text + '\n', { isa: 'riscv64', file: 'test.s' });
  assert.equal(diagnostics.filter((d) => d.severity === 'error').length, 0, `${text}: ${JSON.stringify(diagnostics)}`);
  return program.statements.filter((s): s is Insn => s.kind === 'insn');
}

// ---------------------------------------------------------------------------------------------
// Memory layout of the oracle: one 8 KiB slot per instance (code page, then data page)
// ---------------------------------------------------------------------------------------------

const BASE = 0x40_0000n;
const SLOT = 0x2000n;
const TARGET_OFF = 0x100n; // branch, jump and call targets
const JUMP_AREA = 0x200n; // register jump targets
const DATA_OFF = 0x1000n; // the data page
const DATA_LABEL_OFF = 0x1800n; // data symbols (`lla`, `ld a0,sym`)
const PAGE = 0x1000;

/** Slot 0 holds the stub that clears Unicorn's LR reservation (an SC that cannot succeed). */
const STUB = 'sc.d zero,zero,(t6)';

// ---------------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------------

interface Instance {
  /** The text as written (corpus or synthesized), before symbols are renamed. */
  readonly source: string;
  readonly origin: 'corpus' | 'synth';
  form: string;
  slot: number;
  /** Renamed text, as assembled and parsed. */
  text: string;
  insns: Insn[];
  symbols: Map<string, bigint>;
  size: number;
  /** The snippet given to the assembler: the code, its targets and its data labels. */
  asm: string;
}

const INT_POOL = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 't0', 't1', 's1', 'sp', 'ra', 'zero', 's11', 'gp'];
const BASE_POOL = ['a0', 'a1', 'a5', 's0', 'sp', 't2', 'a4'];
const FP_POOL = ['fa0', 'fa1', 'fa2', 'fa3', 'ft0', 'fs1', 'ft11', 'fa5'];
const RMS = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn'];

/** The access size of a memory instruction, for alignment. */
function accessSize(m: string): number {
  if (/^(lb|lbu|sb)$/.test(m)) return 1;
  if (/^(lh|lhu|sh)$/.test(m)) return 2;
  if (/^(lw|lwu|sw|flw|fsw)$/.test(m) || /\.w(\.|$)/.test(m)) return 4;
  return 8;
}

function immFor(rng: Rng, m: string, variant: number): string {
  if (/^(slli|srli|srai|sll|srl|sra)$/.test(m)) return String(rng.pick([0, 1, 31, 32, 63, rng.int(64)]));
  if (/^(slliw|srliw|sraiw|sllw|srlw|sraw)$/.test(m)) return String(rng.pick([0, 1, 15, 31, rng.int(32)]));
  if (m === 'lui' || m === 'auipc') {
    if (variant === 1) return m === 'lui' ? '%hi(dat)' : '%pcrel_hi(dat)';
    return String(rng.pick([0, 1, 0x7ffff, 0x80000, 0xfffff, rng.int(0x100000)]));
  }
  if (m === 'li') return String(BigInt.asIntN(64, rng.pick([edgeInt(rng), 0x12345678_9abcdef0n, 0x800n, 0x7ffff800n, 0x8000_0000n, BigInt(rng.int(4096) - 2048)])));
  if (m.startsWith('csr') || m.startsWith('fs')) return String(rng.int(32));
  if (variant === 1 && /^(addi|add|addiw|addw)$/.test(m)) return '%lo(dat)';
  return String(rng.pick([0, 1, -1, 2047, -2048, rng.int(4096) - 2048]));
}

/** Builds a synthesized instance of mnemonic `m` with operand roles `roles` (table.ts). */
function synthesize(rng: Rng, m: string, roles: readonly string[], variant: number): string {
  const control = /^(b|j|call|tail)/.test(m);
  // `lb zero,sym` and `fsw fa0,sym,zero` lose the auipc part and access low memory, which faults.
  const symbolAccess = !control && roles.includes('a');
  const ops = roles.map((role, i) => {
    switch (role) {
      case 'd':
      case 's':
        return symbolAccess ? rng.pick(INT_POOL.filter((r) => r !== 'zero')) : rng.pick(INT_POOL);
      case 'D':
      case 'S':
        return rng.pick(FP_POOL);
      case 'i':
        return immFor(rng, m, variant);
      case 'm': {
        const base = rng.pick(BASE_POOL);
        if (m === 'jr' || m === 'jalr') return `${rng.pick([0, 4, -8, 12])}(${base})`;
        if (variant === 1) return `%lo(dat)(${base})`;
        const size = accessSize(m);
        return `${Math.trunc((rng.int(4096) - 2048) / size) * size}(${base})`;
      }
      case 'A':
        return variant === 1 ? `0(${rng.pick(BASE_POOL)})` : `(${rng.pick(BASE_POOL)})`;
      case 'a':
        if (!control) return variant === 1 ? 'dat+8' : 'dat';
        if (m === 'j' || m === 'jal') return variant === 1 ? 'tgt' : '.Ltgt';
        return m === 'call' || m === 'tail' ? 'tgt' : '.Ltgt';
      case 'r':
        return rng.pick(RMS);
      case 'f':
        return rng.pick(['rw', 'iorw', 'r', 'w']);
      case 'c':
        return rng.pick(['fflags', 'frm', 'fcsr']);
      default:
        throw new Error(`role ${role} at ${i}`);
    }
  });
  return ops.length ? `${m}\t${ops.join(',')}` : m;
}

/** Multi-instruction instances: relocation pairs and a successful LR/SC. */
const PAIRS: readonly string[] = [
  'lui\ta5,%hi(dat)\naddi\ta5,a5,%lo(dat)',
  'lui\ta5,%hi(dat+12)\nld\ta0,%lo(dat+12)(a5)',
  'lui\ta4,%hi(dat)\nsw\ta1,%lo(dat)(a4)',
  'auipc\ta3,%pcrel_hi(dat)\naddi\ta3,a3,4',
  'lr.w\ta5,(a0)\nsc.w\ta4,a1,(a0)',
  'lr.d.aq\ta5,(a0)\nsc.d.rl\ta5,a5,(a0)',
  'lr.w.aqrl\ta2,(a0)\nsc.w\ta3,a1,(a1)',
];

/** Forms the differential test cannot run, with the reason (covered by unit tests instead). */
const NOT_DIFFERENTIAL: Readonly<Record<string, string>> = {
  'add.dssi': '%tprel_add needs a TLS symbol, which a relocation-free snippet cannot have',
};

/** The corpus files real instances come from: a fixed set, built (or taken from the cache). */
async function corpusFiles(): Promise<string[]> {
  const configs = (['O0', 'O1', 'O2'] as const).map((opt) => ({ opt, debug: false }));
  const corpus = await buildAsmCorpus({ csmithSeeds: Array.from({ length: 60 }, (_, i) => i + 1), fixtures: true, isas: ['riscv64'], configs });
  return corpus.map((f) => f.path).sort();
}

/** Up to `perForm` distinct real instances per form from the given gcc outputs. */
function corpusInstances(perForm: number, files: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const seen = new Set<string>();
  const rng = new Rng(SEED);
  const candidates = new Map<string, string[]>();
  for (const path of files) {
    for (const line of readFileSync(path, 'latin1').split('\n')) {
      if (!/^\t[a-z]/.test(line) || seen.has(line)) continue;
      seen.add(line);
      const text = line.trim();
      const insns = parseOne(text);
      if (insns.length !== 1) continue;
      const found = riscv64Semantics.lookup(insns[0]!);
      if ('unsupported' in found) continue;
      const list = candidates.get(found.form) ?? [];
      if (list.length < 50) list.push(text);
      candidates.set(found.form, list);
    }
  }
  for (const [form, list] of candidates) {
    const picked: string[] = [];
    while (picked.length < perForm && list.length) picked.push(list.splice(rng.int(list.length), 1)[0]!);
    out.set(form, picked);
  }
  return out;
}

/** Every instance of the run: corpus ones, synthesized ones for every form, and the pairs. */
function allInstances(files: readonly string[]): Instance[] {
  const rng = new Rng(SEED + 1);
  const list: Instance[] = [];
  const add = (source: string, origin: Instance['origin']): void => {
    list.push({ source, origin, form: '', slot: 0, text: '', insns: [], symbols: new Map(), size: 0, asm: '' });
  };
  for (const texts of corpusInstances(2, files).values()) for (const t of texts) add(t, 'corpus');
  const ordered = ['amoadd.w.aq', 'amoswap.d.aqrl', 'amomaxu.w.rl', 'lr.d.aq', 'sc.w.rl'];
  for (const m of [...knownMnemonics().filter((x) => !/\.(aq|rl|aqrl)$/.test(x)), ...ordered]) {
    for (const roles of formsOf(m)) {
      // Two variants per form (variant 1 uses relocations where the form allows them).
      for (const variant of [0, 1]) {
        const text = synthesize(rng, m, roles, variant);
        // Forms without semantics (ecall, rdcycle, TLS) and NOT_DIFFERENTIAL ones are left out.
        const found = riscv64Semantics.lookup(parseOne(text)[0]!);
        if ('unsupported' in found || NOT_DIFFERENTIAL[found.form]) continue;
        add(text, 'synth');
      }
    }
  }
  for (const p of PAIRS) add(p, 'synth');
  return list;
}

/** Symbols in an instance: branch/jump/call targets go to the slot's target, data to its data. */
function renameSymbols(inst: Instance, index: number): void {
  const insns = parseOne(inst.source);
  const names = new Map<string, 'target' | 'data'>();
  const visit = (e: unknown, kind: 'target' | 'data'): void => {
    const x = e as { kind: string; name?: string; arg?: unknown; left?: unknown; right?: unknown; inner?: unknown };
    if (x.kind === 'sym' && x.name !== '.') names.set(x.name!, kind);
    for (const k of ['arg', 'left', 'right', 'inner'] as const) if (x[k]) visit(x[k], kind);
  };
  for (const insn of insns) {
    const info = describeRiscv(insn);
    const control = !isDescribeError(info) && ['jump', 'cbranch', 'call', 'tailcall'].includes(info.control);
    for (const op of insn.operands as readonly Operand<'riscv64'>[]) {
      if (op.kind === 'sym' || op.kind === 'imm') visit(op.expr, control && op.kind === 'sym' ? 'target' : 'data');
      if (op.kind === 'mem' && op.offset) visit(op.offset, 'data');
    }
  }
  let text = inst.source;
  const slot = BASE + BigInt(index) * SLOT;
  const targets: string[] = [];
  const data: string[] = [];
  for (const [name, kind] of names) {
    // `.L` names: GNU as resolves references to local labels itself, leaving no relocation.
    const renamed = `.Lg${index}_${name.replace(/[^\w]/g, '_')}`;
    const esc = name.replace(/[.$]/g, '\\$&');
    text = text.replace(new RegExp(`(?<![\\w.$])${esc}(?![\\w.$])`, 'g'), renamed);
    (kind === 'target' ? targets : data).push(renamed);
    inst.symbols.set(renamed, slot + (kind === 'target' ? TARGET_OFF : DATA_LABEL_OFF));
  }
  inst.text = text;
  inst.slot = index;
  inst.insns = parseOne(text);
  // The snippet: the code, targets at TARGET_OFF, data labels in the data page.
  inst.asm = `${text}\n.org ${TARGET_OFF}\n${targets.map((t) => `${t}:`).join('\n')}\nnop\n.org ${DATA_LABEL_OFF}\n${data.map((t) => `${t}:`).join('\n')}\n.byte 0\n`;
}

// ---------------------------------------------------------------------------------------------
// The symbolic ExecState: constant inputs, so Z3's simplifier folds every output
// ---------------------------------------------------------------------------------------------

const { Context, Z3 } = await init();
const ctx = Context('main');
const sym = symbolicDomain(ctx, Z3 as unknown as Z3LowLevel);

const WIDTHS = new Map<string, number>(riscv64Semantics.stateRegisters.map((r) => [r.id, r.width]));

class SymState implements ExecState<SymBV, SymBool, SymMem> {
  readonly d = sym;
  readonly written = new Map<string, SymBV>();
  constructor(
    private readonly initial: (id: string) => bigint,
    public mem: SymMem,
    private readonly symbols: ReadonlyMap<string, bigint>,
    public pc: SymBV,
    public next: SymBV,
  ) {}
  get(id: string): SymBV {
    return this.written.get(id) ?? sym.bv(WIDTHS.get(id) ?? 64, this.initial(id));
  }
  set(id: string, v: SymBV): void {
    const w = WIDTHS.get(id);
    if (w !== undefined && v.size() !== w) throw new Error(`${id}: width ${v.size()}, expected ${w}`);
    this.written.set(id, v);
  }
  symbol(name: string): SymBV {
    const a = this.symbols.get(name);
    if (a === undefined) throw new Error(`unknown symbol ${name}`);
    return sym.bv(64, a);
  }
}

const ground = groundEvaluator(ctx);
const fold = (x: SymBV): bigint => ground.value(x);
const foldBool = (x: SymBool): boolean => ground.truth(x);

// ---------------------------------------------------------------------------------------------
// Oracle deviations (Unicorn 2.0.1 = QEMU 5.0) and their corrections
// ---------------------------------------------------------------------------------------------

const counts = { boxedInputs: 0, unboxedResults: 0, fminmaxSnan: 0, amoMinMaxW: 0 };

/**
 * QEMU 5.0's amomin.w/amomax.w/amominu.w/amomaxu.w compare the zero-extended 32-bit memory
 * value with all 64 bits of rs2 (the spec compares the two 32-bit values, signed or unsigned).
 * The new memory word that bug gives, to recognize it.
 */
function buggyAmoMinMaxW(m: string, old32: bigint, rs2: bigint): bigint {
  const signed = !m.startsWith('amominu') && !m.startsWith('amomaxu');
  const a = signed ? BigInt.asIntN(64, old32) : old32;
  const b = signed ? BigInt.asIntN(64, rs2) : rs2;
  const min = m.startsWith('amomin');
  return (min ? (a < b ? old32 : rs2) : a > b ? old32 : rs2) & 0xffff_ffffn;
}

/** Whether instruction `insn` reads its f-register operand `i` as a NaN-boxed single. */
function readsBoxedSingle(insn: Insn, i: number): boolean {
  const m = insn.mnemonic;
  if (['fsw', 'fmv.x.w', 'fmv.x.s'].includes(m)) return false;
  const cvt = /^fcvt\.[a-z]+\.([a-z]+)$/.exec(m);
  if (cvt) return cvt[1] === 's' && i === 1;
  return /\.s$/.test(m) && i > 0;
}

/** Whether `insn` writes its destination as a single. */
function writesSingle(insn: Insn): boolean {
  const m = insn.mnemonic;
  if (m === 'flw' || m === 'fmv.w.x' || m === 'fmv.s.x') return true;
  const cvt = /^fcvt\.([a-z]+)\.[a-z]+$/.exec(m);
  if (cvt) return cvt[1] === 's';
  return /\.s$/.test(m) && insn.operands[0]?.kind === 'reg' && insn.operands[0].reg.file === 'fpr';
}

const isNaNBits = (fw: 32 | 64, v: bigint): boolean => (fw === 32 ? (v & 0x7f800000n) === 0x7f800000n && (v & 0x7fffffn) !== 0n : (v & 0x7ff0000000000000n) === 0x7ff0000000000000n && (v & 0xfffffffffffffn) !== 0n);
const isSNaN = (fw: 32 | 64, v: bigint): boolean => isNaNBits(fw, v) && ((v >> BigInt(fw === 32 ? 22 : 51)) & 1n) === 0n;

/**
 * QEMU 5.0 reads singles without checking the NaN box, so a badly boxed input is given to it as
 * what the spec says the instruction sees: the canonical NaN, boxed.
 */
function oracleInput(inst: Instance, regs: Map<string, bigint>): Map<string, bigint> {
  const out = new Map(regs);
  for (const insn of inst.insns) {
    insn.operands.forEach((op, i) => {
      if (op.kind !== 'reg' || op.reg.file !== 'fpr' || !readsBoxedSingle(insn, i)) return;
      const v = out.get(op.reg.id)!;
      if (v >> 32n !== 0xffff_ffffn) {
        out.set(op.reg.id, boxed(0x7fc00000n));
        counts.boxedInputs++;
      }
    });
  }
  return out;
}

/** Whether a register mismatch is a known oracle deviation rather than a semantics bug. */
function oracleDeviation(inst: Instance, id: string, model: bigint, oracle: bigint, inputs: Map<string, bigint>): boolean {
  const insn = inst.insns[inst.insns.length - 1]!;
  const dest = insn.operands[0];
  if (dest?.kind !== 'reg' || dest.reg.id !== id || dest.reg.file !== 'fpr') return false;
  // QEMU 5.0 writes singles without the NaN box: zero-extended, and `fmv.w.x` copies all 64 bits.
  if (writesSingle(insn) && model >> 32n === 0xffff_ffffn && (model & 0xffff_ffffn) === (oracle & 0xffff_ffffn)) {
    counts.unboxedResults++;
    return true;
  }
  // QEMU 5.0 fmin/fmax are IEEE 754-2008 minNum/maxNum: a signalling NaN input gives NaN.
  if (/^fm(in|ax)\.[sd]$/.test(insn.mnemonic)) {
    const fw = insn.mnemonic.endsWith('.s') ? 32 : 64;
    const val = (i: number): bigint => {
      const op = insn.operands[i];
      const v = op?.kind === 'reg' ? inputs.get(op.reg.id)! : 0n;
      return fw === 32 ? v & 0xffff_ffffn : v;
    };
    const canon = fw === 32 ? 0x7fc00000n : 0x7ff8000000000000n;
    const low = fw === 32 ? oracle & 0xffff_ffffn : oracle;
    if ((isSNaN(fw, val(1)) || isSNaN(fw, val(2))) && low === canon) {
      counts.fminmaxSnan++;
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The differential run
// ---------------------------------------------------------------------------------------------

const GPRS = GPR_NAMES.filter((r) => r !== 'zero');
const ALL_REGS = [...GPRS, ...FPR_NAMES, 'fflags', 'frm'];

interface Failure {
  readonly seed: number;
  readonly text: string;
  readonly state: string;
  readonly what: string;
}

/** The registers an instance reads or writes, from the instruction table. */
function activeRegisters(inst: Instance): Set<string> {
  const set = new Set<string>();
  for (const insn of inst.insns) {
    const info = describeRiscv(insn);
    if (isDescribeError(info)) throw new Error(`${inst.text}: ${info.error}`);
    for (const r of [...info.reads, ...info.writes]) set.add(r);
    // The table omits the scratch register of `call rd, sym` (auipc t1; jalr rd, t1).
    if (insn.mnemonic === 'call' && insn.operands.length === 2) set.add('t1');
  }
  // fcsr is not a register of its own: it is frm and fflags side by side.
  set.delete('fcsr');
  return set;
}

function isCsr(inst: Instance): boolean {
  return inst.insns.some((i) => /^(csr|fr|fs(flags|rm|csr))/.test(i.mnemonic) && !/^fsqrt|^fsub|^fsgnj|^fsw|^fsd/.test(i.mnemonic));
}

function fpFormatOf(insn: Insn): 32 | 64 {
  const cvt = /^fcvt\.[a-z]+\.([a-z]+)$/.exec(insn.mnemonic);
  if (cvt) return cvt[1] === 's' ? 32 : 64;
  return /\.s$|^flw|^fsw|\.w$/.test(insn.mnemonic) ? 32 : 64;
}

/** Evaluates the value of a memory operand's offset for address planning. */
function offsetValue(inst: Instance, e: Expr | undefined): bigint {
  if (!e) return 0n;
  const m = new Machine(new ConcreteMemory(), inst.symbols);
  m.pc = BASE + BigInt(inst.slot) * SLOT;
  return evalExpr(m, e);
}

interface Plan {
  /** Registers whose value is an address: base registers and jump targets. */
  readonly pinned: Map<string, (rng: Rng) => bigint>;
  readonly memory: boolean;
}

function plan(inst: Instance): Plan {
  const slot = BASE + BigInt(inst.slot) * SLOT;
  const pinned = new Map<string, (rng: Rng) => bigint>();
  const writtenBefore = new Set<string>();
  let memory = false;
  for (const insn of inst.insns) {
    const m = insn.mnemonic;
    const info = describeRiscv(insn);
    if (isDescribeError(info)) continue;
    if (info.memory !== 'none') memory = true;
    for (const op of insn.operands) {
      const base = op.kind === 'mem' ? op.base.id : undefined;
      if (base && base !== 'zero' && !writtenBefore.has(base)) {
        const off = offsetValue(inst, op.kind === 'mem' ? op.offset : undefined);
        if (m === 'jr' || m === 'jalr') {
          pinned.set(base, (rng) => (slot + JUMP_AREA + BigInt(4 * rng.int(32)) + BigInt(rng.int(2)) - off) & ((1n << 64n) - 1n));
        } else {
          const size = accessSize(m.replace(/\.(aq|rl|aqrl)$/, ''));
          pinned.set(base, (rng) => (slot + DATA_OFF + 0x400n + BigInt(size * rng.int(0x800 / size)) - off) & ((1n << 64n) - 1n));
        }
      }
    }
    // `jr a5`, `jalr a5`, `jalr ra,a5,8`: the register is the target.
    if ((m === 'jr' || m === 'jalr') && !insn.operands.some((o) => o.kind === 'mem')) {
      const regs = insn.operands.filter((o): o is Extract<Operand<'riscv64'>, { kind: 'reg' }> => o.kind === 'reg');
      const src = m === 'jalr' && regs.length >= 2 ? regs[1]! : regs[0]!;
      const imm = insn.operands.find((o) => o.kind === 'imm');
      const off = offsetValue(inst, imm?.kind === 'imm' ? imm.expr : undefined);
      if (src.reg.id !== 'zero') pinned.set(src.reg.id, (rng) => (slot + JUMP_AREA + BigInt(4 * rng.int(32)) + BigInt(rng.int(2)) - off) & ((1n << 64n) - 1n));
    }
    if (m === 'ret') pinned.set('ra', (rng) => slot + JUMP_AREA + BigInt(4 * rng.int(32)) + BigInt(rng.int(2)));
    for (const w of info.writes) writtenBefore.add(w);
  }
  return { pinned, memory };
}

/** The expected pc after the instance, from the model's outcome. */
function expectedPc(o: Outcome<bigint, boolean>, inst: Instance, next: bigint): bigint | 'trap' {
  switch (o.kind) {
    case 'next':
      return next;
    case 'branch':
      return o.cond === false ? next : inst.symbols.get(o.target)!;
    case 'call':
    case 'tailcall':
      return inst.symbols.get(o.target)!;
    case 'ijump':
    case 'icall':
    case 'ret':
      return o.address;
    case 'trap':
      return 'trap';
  }
}

test('differential: every RISC-V 64 form against Unicorn, the concrete and the symbolic domain', { timeout: 600_000 }, async () => {
  const started = performance.now();
  const instances = allInstances(await corpusFiles());
  instances.forEach((inst, i) => renameSymbols(inst, i + 1));
  // Each instance must be modeled, and its form recorded for the coverage check.
  const runnable: Instance[] = [];
  for (const inst of instances) {
    const forms = inst.insns.map((insn) => riscv64Semantics.lookup(insn));
    const bad = forms.find((f) => 'unsupported' in f);
    if (bad) {
      if (inst.origin === 'synth') assert.fail(`${inst.text}: ${JSON.stringify(bad)}`);
      continue;
    }
    inst.form = (forms[forms.length - 1] as { form: string }).form;
    runnable.push(inst);
  }
  const codes = await assembleLinked([STUB, ...runnable.map((i) => i.asm)], [BASE, ...runnable.map((i) => BASE + BigInt(i.slot) * SLOT)]);
  const stubCode = codes[0]!;

  const uc = UnicornMachine.open('riscv64');
  const slots = instances.length + 1;
  uc.map(BASE, Number(SLOT) * slots);
  uc.writeMemory(BASE, stubCode.subarray(0, 4));
  runnable.forEach((inst, k) => {
    const code = codes[k + 1]!;
    let size = 0;
    while (size + 4 <= code.length && new DataView(code.buffer, code.byteOffset + size, 4).getUint32(0, true) !== 0) size += 4;
    inst.size = size;
    uc.writeMemory(BASE + BigInt(inst.slot) * SLOT, code.subarray(0, Number(DATA_OFF)));
  });

  const failures: Failure[] = [];
  const covered = new Set<string>();
  let runs = 0;
  let symRuns = 0;
  let symTime = 0;
  const fail = (f: Failure): void => {
    if (failures.length < 2000) failures.push(f);
  };

  for (const inst of runnable) {
    const seed = seedOf(inst.text, SEED);
    const rng = new Rng(seed);
    const slot = BASE + BigInt(inst.slot) * SLOT;
    const dataAddr = slot + DATA_OFF;
    const { pinned, memory } = plan(inst);
    const active = activeRegisters(inst);
    const csr = isCsr(inst);
    const atomic = inst.insns.some((i) => /^(lr|sc)\./.test(i.mnemonic));
    if (csr) for (const r of ['fflags', 'frm']) active.add(r);
    const fw = fpFormatOf(inst.insns[0]!);
    const lookups = inst.insns.map((insn) => riscv64Semantics.lookup(insn) as { form: string; run: Semantics<'riscv64'> });
    covered.add(inst.form);

    // The base state of this instance: every register random, set once in Unicorn.
    const base = new Map<string, bigint>();
    for (const r of GPRS) base.set(r, edgeInt(rng));
    for (const r of FPR_NAMES) base.set(r, fpReg(rng, fw));
    base.set('fflags', 0n);
    base.set('frm', 0n);
    const page = new Uint8Array(PAGE);
    for (let i = 0; i < PAGE; i++) page[i] = edgeByte(rng);
    for (const [r, v] of base) uc.setReg(r, v);
    uc.writeMemory(dataAddr, page);
    let ucRegs = new Map(base);

    const symEvery = Math.max(1, Math.floor(STATES / Math.max(1, SYM_STATES)));
    for (let s = 0; s < STATES; s++) {
      runs++;
      // ---- the state ----
      const regs = new Map(base);
      const sources = [...active].filter((r) => r !== 'fflags' && r !== 'frm');
      for (const r of sources) regs.set(r, FPR_NAMES.includes(r) ? fpReg(rng, fw) : edgeInt(rng));
      // Equal operands and +0/-0 pairs, which random values almost never give.
      if (sources.length >= 2 && rng.int(4) === 0) {
        const [a, b] = [rng.pick(sources), rng.pick(sources)];
        if (FPR_NAMES.includes(a) === FPR_NAMES.includes(b)) {
          regs.set(a, regs.get(b)!);
          if (FPR_NAMES.includes(a) && rng.int(3) === 0) {
            regs.set(a, fw === 32 ? boxed(0n) : 0n);
            regs.set(b, fw === 32 ? boxed(0x80000000n) : 1n << 63n);
          }
        }
      }
      if (csr) {
        regs.set('fflags', BigInt(rng.int(32)));
        regs.set('frm', BigInt(rng.int(8)));
      }
      for (const [r, f] of pinned) regs.set(r, f(rng));
      // A window of fresh bytes where the access lands.
      let windowAt = -1;
      if (memory) {
        windowAt = rng.int(PAGE - 64);
        for (let i = 0; i < 64; i++) page[windowAt + i] = edgeByte(rng);
      }
      const describeState = (): string =>
        [...regs].filter(([r]) => active.has(r) || pinned.has(r)).map(([r, v]) => `${r}=${hex(v)}`).join(' ') + (memory ? ` mem@${hex(dataAddr)}` : '');

      // ---- the concrete model ----
      const reads: bigint[] = [];
      const initialPage = page.slice();
      const cmem = new ConcreteMemory((a) => {
        reads.push(a);
        const off = a - dataAddr;
        return off >= 0n && off < BigInt(PAGE) ? initialPage[Number(off)]! : 0;
      });
      const machine = new Machine(cmem, inst.symbols, (id) => regs.get(id) ?? 0n);
      machine.set(RESERVATION_VALID, 0n);
      let outcome: Outcome<bigint, boolean> = { kind: 'next' };
      let next = slot;
      const outcomes: Outcome<bigint, boolean>[] = [];
      inst.insns.forEach((insn, k) => {
        machine.pc = slot + BigInt(4 * k);
        machine.next = inst.insns.length === 1 ? slot + BigInt(inst.size) : machine.pc + 4n;
        next = machine.next;
        outcome = lookups[k]!.run(machine, insn);
        outcomes.push(outcome);
      });

      // ---- Unicorn ----
      const oracleRegs = oracleInput(inst, regs);
      if (atomic) {
        uc.setReg('t6', BASE + DATA_OFF);
        uc.run(BASE, undefined, { maxInstructions: 1 });
        ucRegs.set('t6', BASE + DATA_OFF);
      }
      for (const [r, v] of oracleRegs) {
        if (ucRegs.get(r) !== v) uc.setReg(r, v);
      }
      if (memory) uc.writeMemory(dataAddr + BigInt(windowAt), page.subarray(windowAt, windowAt + 64));
      const result = uc.run(slot, undefined, { maxInstructions: inst.size / 4 });
      const full = s % 16 === 0;
      const compareSet = full ? ALL_REGS : [...new Set([...active, ...pinned.keys(), 'fflags', 'frm'])];
      const after = new Map<string, bigint>();
      for (const r of compareSet) after.set(r, uc.getReg(r));
      ucRegs = new Map(oracleRegs);
      for (const [r, v] of after) ucRegs.set(r, v);
      const where = (what: string): Failure => ({ seed, text: inst.text, state: describeState(), what });

      // ---- compare: control ----
      const want = expectedPc(outcome, inst, next);
      if (want === 'trap') {
        if (result.ok || result.code === STOP.INSN_LIMIT) fail(where('model traps, Unicorn ran on'));
      } else if (result.ok || result.code !== STOP.INSN_LIMIT) {
        fail(where(`Unicorn stopped: ${result.ok ? 'ok' : result.error}`));
        page.set(uc.readMemory(dataAddr, PAGE));
        continue;
      } else if (result.pc !== want) fail(where(`pc: model ${hex(want)}, Unicorn ${hex(result.pc)}`));

      // ---- compare: registers ----
      for (const r of compareSet) {
        if (r === 'fflags' && !csr) continue; // exception flags are not modeled
        const model = machine.get(r);
        const oracle = after.get(r)!;
        // A source the oracle was given corrected (see oracleInput) and that stayed unchanged.
        if (oracleRegs.get(r) !== regs.get(r) && model === regs.get(r) && oracle === oracleRegs.get(r)) continue;
        if (model !== oracle && !oracleDeviation(inst, r, model, oracle, oracleRegs)) fail(where(`${r}: model ${hex(model)}, Unicorn ${hex(oracle)}`));
      }
      // Registers the model changed must be ones the table says the instance writes.
      for (const [r, v] of machine.regs) {
        if (r !== RESERVATION && r !== RESERVATION_VALID && !active.has(r) && v !== regs.get(r)) fail(where(`model wrote ${r}, which the table does not list`));
      }

      // ---- compare: memory ----
      const expected = initialPage.slice();
      for (const [a, b] of cmem.writtenBytes()) {
        const off = a - dataAddr;
        if (off >= 0n && off < BigInt(PAGE)) expected[Number(off)] = b;
        else fail(where(`model wrote outside the data page at ${hex(a)}`));
      }
      if (memory || full) {
        const got = uc.readMemory(dataAddr, PAGE);
        const amoW = /^amo(min|max)u?\.w/.exec(inst.insns[0]!.mnemonic);
        for (let i = 0; i < PAGE; i++) {
          if (got[i] !== expected[i]) {
            if (amoW) {
              const mem = inst.insns[0]!.operands[2];
              const addr = mem?.kind === 'mem' ? regs.get(mem.base.id)! : 0n;
              const off = Number(addr - dataAddr);
              const word = (b: Uint8Array): bigint => BigInt(new DataView(b.buffer, b.byteOffset + off, 4).getUint32(0, true));
              const rs2 = inst.insns[0]!.operands[1];
              const v = rs2?.kind === 'reg' && !rs2.reg.zero ? regs.get(rs2.reg.id)! : 0n;
              if (word(got) === buggyAmoMinMaxW(inst.insns[0]!.mnemonic, word(initialPage), v)) {
                counts.amoMinMaxW++;
                break;
              }
            }
            fail(where(`memory at ${hex(dataAddr + BigInt(i))}: model ${expected[i]}, Unicorn ${got[i]}`));
            break;
          }
        }
        page.set(got);
      }

      // ---- the symbolic domain, on a deterministic subset of states ----
      if (s % symEvery === 0) {
        const t0 = performance.now();
        symRuns++;
        // Constant memory: the bytes the concrete run read, stored over an all-zero array.
        let smem = ctx.Array.K(ctx.BitVec.sort(64), ctx.BitVec.val(0, 8)) as unknown as SymMem;
        for (const a of new Set(reads)) smem = sym.store(smem, sym.bv(64, a), sym.bv(8, BigInt(initialPage[Number(a - dataAddr)] ?? 0)), 1);
        const initialOf = (id: string): bigint => (id === RESERVATION_VALID ? 0n : regs.get(id) ?? 0n);
        const sstate = new SymState(initialOf, smem, inst.symbols, sym.bv(64, slot), sym.bv(64, slot));
        try {
          for (let k = 0; k < inst.insns.length; k++) {
            const pc = slot + BigInt(4 * k);
            sstate.pc = sym.bv(64, pc);
            sstate.next = sym.bv(64, inst.insns.length === 1 ? slot + BigInt(inst.size) : pc + 4n);
            const so = lookups[k]!.run(sstate, inst.insns[k]!);
            const co = outcomes[k]!;
            if (so.kind !== co.kind) fail(where(`symbolic outcome ${so.kind}, concrete ${co.kind}`));
            else if (so.kind === 'branch' && co.kind === 'branch' && so.cond !== undefined && (foldBool(so.cond)) !== co.cond) fail(where('symbolic branch condition differs'));
            else if ('address' in so && 'address' in co && (fold(so.address)) !== co.address) fail(where('symbolic jump address differs'));
          }
          for (const [r, v] of sstate.written) {
            const got = fold(v);
            if (got !== machine.get(r)) fail(where(`symbolic ${r}: ${hex(got)}, concrete ${hex(machine.get(r))}`));
          }
          for (const [r] of machine.regs) {
            if (!sstate.written.has(r) && machine.get(r) !== initialOf(r)) fail(where(`symbolic run did not write ${r}`));
          }
          for (const [a, b] of cmem.writtenBytes()) {
            const got = fold(sym.load(sstate.mem, sym.bv(64, a), 1));
            if (got !== BigInt(b)) fail(where(`symbolic memory at ${hex(a)}: ${got}, concrete ${b}`));
          }
        } catch (e) {
          fail(where(`symbolic run threw: ${(e as Error).message}`));
        }
        symTime += performance.now() - t0;
      }
    }
  }
  uc.close();

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const allForms = riscv64Semantics.forms.filter((f) => !NOT_DIFFERENTIAL[f]);
  const missing = allForms.filter((f) => !covered.has(f));
  console.log(
    `riscv64 differential: ${runnable.length} instances (${runnable.filter((i) => i.origin === 'corpus').length} from the corpus), ` +
      `${covered.size} forms, ${STATES} states each = ${runs} runs; symbolic on ${symRuns} (${(symTime / 1000).toFixed(1)} s); ` +
      `oracle corrections: ${counts.boxedInputs} boxed inputs, ${counts.unboxedResults} unboxed results, ${counts.fminmaxSnan} fmin/fmax sNaN, ${counts.amoMinMaxW} amo{min,max}[u].w; ` +
      `${failures.length} mismatches; ${seconds} s`,
  );
  for (const f of failures.slice(0, Number(process.env.GNS_SHOW ?? 25))) console.log(`  seed ${f.seed} | ${f.text.replace(/\n/g, ' ; ')} | ${f.what} | ${f.state}`);
  assert.deepEqual(missing, [], 'forms without a differential instance');
  assert.equal(failures.length, 0, `${failures.length} mismatches`);
});

// ---------------------------------------------------------------------------------------------
// Hand-computed cases
// ---------------------------------------------------------------------------------------------

/** Runs one instruction on the concrete Machine at pc 0x1000 (size 4 unless given). */
function exec(text: string, regs: Record<string, bigint>, opts: { size?: number; symbols?: Record<string, bigint>; mem?: ConcreteMemory } = {}): { m: Machine; o: Outcome<bigint, boolean> } {
  const [insn] = parseOne(text);
  const found = riscv64Semantics.lookup(insn!);
  assert.ok(!('unsupported' in found), `${text}: ${JSON.stringify(found)}`);
  const m = new Machine(opts.mem ?? new ConcreteMemory(), new Map(Object.entries(opts.symbols ?? {})));
  for (const [r, v] of Object.entries(regs)) m.set(r, BigInt.asUintN(64, v));
  m.pc = 0x1000n;
  m.next = 0x1000n + BigInt(opts.size ?? 4);
  const o = found.run(m, insn!);
  return { m, o };
}

const u = (v: bigint): bigint => BigInt.asUintN(64, v);
const INT64_MIN = 1n << 63n;

test('division by zero and overflow follow the RISC-V rules', () => {
  assert.equal(exec('div a0,a1,a2', { a1: -7n, a2: 0n }).m.get('a0'), u(-1n));
  assert.equal(exec('divu a0,a1,a2', { a1: 7n, a2: 0n }).m.get('a0'), u(-1n));
  assert.equal(exec('rem a0,a1,a2', { a1: -7n, a2: 0n }).m.get('a0'), u(-7n));
  assert.equal(exec('remu a0,a1,a2', { a1: 7n, a2: 0n }).m.get('a0'), 7n);
  assert.equal(exec('div a0,a1,a2', { a1: INT64_MIN, a2: -1n }).m.get('a0'), INT64_MIN);
  assert.equal(exec('rem a0,a1,a2', { a1: INT64_MIN, a2: -1n }).m.get('a0'), 0n);
  assert.equal(exec('divw a0,a1,a2', { a1: 0xffff_ffff_8000_0000n, a2: -1n }).m.get('a0'), 0xffff_ffff_8000_0000n);
  assert.equal(exec('divuw a0,a1,a2', { a1: 5n, a2: 0x1_0000_0000n }).m.get('a0'), u(-1n), 'the divisor is the low word: 0');
  assert.equal(exec('remuw a0,a1,a2', { a1: 0x1_8000_0000n, a2: 0n }).m.get('a0'), 0xffff_ffff_8000_0000n, 'dividend, sign-extended');
  assert.equal(exec('divw a0,a1,a2', { a1: -7n, a2: 2n }).m.get('a0'), u(-3n));
});

test('*w operations, shifts and multiplications', () => {
  assert.equal(exec('addw a0,a1,a2', { a1: 0x7fff_ffffn, a2: 1n }).m.get('a0'), 0xffff_ffff_8000_0000n);
  assert.equal(exec('sllw a0,a1,a2', { a1: 1n, a2: 33n }).m.get('a0'), 2n, 'amount masked to 5 bits');
  assert.equal(exec('sraw a0,a1,a2', { a1: 0x8000_0000n, a2: 31n }).m.get('a0'), u(-1n));
  assert.equal(exec('srlw a0,a1,a2', { a1: 0xffff_ffff_8000_0000n, a2: 31n }).m.get('a0'), 1n);
  assert.equal(exec('sll a0,a1,a2', { a1: 1n, a2: 64n + 3n }).m.get('a0'), 8n, 'amount masked to 6 bits');
  assert.equal(exec('sraiw a0,a1,4', { a1: 0xdead_beef_f000_0000n }).m.get('a0'), 0xffff_ffff_ff00_0000n);
  assert.equal(exec('mulh a0,a1,a2', { a1: -1n, a2: -1n }).m.get('a0'), 0n);
  assert.equal(exec('mulhu a0,a1,a2', { a1: -1n, a2: -1n }).m.get('a0'), u(-2n));
  assert.equal(exec('mulhsu a0,a1,a2', { a1: -1n, a2: -1n }).m.get('a0'), u(-1n));
  assert.equal(exec('mulw a0,a1,a2', { a1: 0x1_0001n, a2: 0x1_0000n }).m.get('a0'), 0x1_0000n);
  assert.equal(exec('negw a0,a1', { a1: 0x8000_0000n }).m.get('a0'), 0xffff_ffff_8000_0000n);
  assert.equal(exec('sext.w a0,a1', { a1: 0x1_ffff_fffen }).m.get('a0'), u(-2n));
  assert.equal(exec('sltiu a0,a1,-1', { a1: 5n }).m.get('a0'), 1n, 'the immediate is sign-extended, then compared unsigned');
  assert.equal(exec('sgtz a0,a1', { a1: INT64_MIN }).m.get('a0'), 0n);
});

test('li, lui, auipc and relocation operators', () => {
  assert.equal(exec('li a0,-9223372036854775808', {}).m.get('a0'), INT64_MIN);
  assert.equal(exec('li a0,0x123456789abcdef0', {}).m.get('a0'), 0x1234_5678_9abc_def0n);
  assert.equal(exec('lui a0,0x80000', {}).m.get('a0'), 0xffff_ffff_8000_0000n);
  assert.equal(exec('auipc a0,0xfffff', {}).m.get('a0'), 0x1000n - 0x1000n);
  const symbols = { x: 0x1234_5fffn };
  const hi = exec('lui a5,%hi(x)', {}, { symbols }).m.get('a5');
  assert.equal(hi, 0x1234_6000n, '%hi rounds by +0x800');
  assert.equal(exec('addi a5,a5,%lo(x)', { a5: hi }, { symbols }).m.get('a5'), 0x1234_5fffn, '%lo is -1 here');
  assert.equal(exec('auipc a5,%pcrel_hi(x)', {}, { symbols }).m.get('a5'), 0x1234_6000n);
  assert.equal(exec('lla a0,x+4', {}, { symbols }).m.get('a0'), 0x1234_6003n);
  assert.ok('unsupported' in riscv64Semantics.lookup(parseOne('addi a0,a0,%pcrel_lo(.Lpcrel_hi0)')[0]!));
});

test('loads extend, symbol loads and stores keep the auipc part in the scratch register', () => {
  const mem = new ConcreteMemory();
  mem.writeBytes(0x2000n, new Uint8Array([0x80, 0xff, 0xff, 0xff, 0x12, 0x34, 0x56, 0x78]));
  assert.equal(exec('lb a0,0(a1)', { a1: 0x2000n }, { mem }).m.get('a0'), u(-128n));
  assert.equal(exec('lhu a0,0(a1)', { a1: 0x2000n }, { mem }).m.get('a0'), 0xff80n);
  assert.equal(exec('lw a0,0(a1)', { a1: 0x2000n }, { mem }).m.get('a0'), u(-128n));
  assert.equal(exec('lwu a0,0(a1)', { a1: 0x2000n }, { mem }).m.get('a0'), 0xffff_ff80n);
  assert.equal(exec('ld a0,.LC0', {}, { mem, symbols: { '.LC0': 0x2000n } }).m.get('a0'), 0x7856_3412_ffff_ff80n);
  const { m } = exec('sd a0,x,t0', { a0: 1n }, { symbols: { x: 0x3_0900n }, size: 8 });
  assert.equal(m.d.load(m.mem, 0x3_0900n, 8), 1n);
  assert.equal(m.get('t0'), 0x3_1000n, 'auipc t0,%pcrel_hi(x): x - pc = 0x2f900 rounds to 0x30000');
  const z = exec('lb zero,x', {}, { symbols: { x: 0x3_0900n } });
  assert.equal(z.m.regs.has('zero'), false);
});

test('control: branches, calls, returns', () => {
  assert.deepEqual(exec('bgtu a0,a1,.L3', { a0: -1n, a1: 1n }).o, { kind: 'branch', target: '.L3', cond: true });
  assert.deepEqual(exec('blez a0,.L3', { a0: INT64_MIN }).o, { kind: 'branch', target: '.L3', cond: true });
  const c = exec('call foo', {}, { size: 8 });
  assert.deepEqual(c.o, { kind: 'call', target: 'foo' });
  assert.equal(c.m.get('ra'), 0x1008n, 'ra = st.next (auipc + jalr)');
  assert.deepEqual(exec('tail foo', {}, { size: 8 }).o, { kind: 'tailcall', target: 'foo' });
  assert.deepEqual(exec('j .L2', {}).o, { kind: 'branch', target: '.L2' });
  assert.deepEqual(exec('ret', { ra: 0x4001n }).o, { kind: 'ret', address: 0x4000n });
  const jr = exec('jalr a5,a5,3', { a5: 0x4000n });
  assert.deepEqual(jr.o, { kind: 'icall', address: 0x4002n }, 'target read before the link, bit 0 cleared');
  assert.equal(jr.m.get('a5'), 0x1004n);
});

test('atomics: amo .w sign-extends, lr/sc reservation', () => {
  const mem = new ConcreteMemory();
  mem.writeBytes(0x2000n, new Uint8Array([0xfe, 0xff, 0xff, 0xff]));
  const a = exec('amoadd.w a0,a1,(a2)', { a1: 3n, a2: 0x2000n }, { mem });
  assert.equal(a.m.get('a0'), u(-2n));
  assert.equal(a.m.d.load(a.m.mem, 0x2000n, 4), 1n);
  // min(0x80000080, 0x20) compares the signed words: the negative memory value stays.
  const memMin = new ConcreteMemory();
  memMin.writeBytes(0x2000n, new Uint8Array([0x80, 0, 0, 0x80]));
  const mn = exec('amomin.w a0,a1,(a2)', { a1: 0x20n, a2: 0x2000n }, { mem: memMin });
  assert.equal(mn.m.d.load(mn.m.mem, 0x2000n, 4), 0x8000_0080n);
  assert.equal(mn.m.get('a0'), 0xffff_ffff_8000_0080n);
  const sc = exec('sc.w a0,a1,(a2)', { a1: 5n, a2: 0x2000n });
  assert.equal(sc.m.get('a0'), 1n, 'no reservation: fails');
  const mem2 = new ConcreteMemory();
  const lr = exec('lr.w a0,(a2)', { a2: 0x2000n }, { mem: mem2 });
  assert.equal(lr.m.get(RESERVATION_VALID), 1n);
  const [insn] = parseOne('sc.w a3,a1,(a2)');
  const found = riscv64Semantics.lookup(insn!);
  assert.ok(!('unsupported' in found));
  lr.m.set('a1', 0x1234n);
  found.run(lr.m, insn!);
  assert.equal(lr.m.get('a3'), 0n, 'reserved: succeeds');
  assert.equal(lr.m.d.load(lr.m.mem, 0x2000n, 4), 0x1234n);
  assert.equal(lr.m.get(RESERVATION_VALID), 0n);
});

test('floating point: NaN-boxing, fmin/fmax, conversions, fused forms, fclass', () => {
  const one = boxed(0x3f80_0000n);
  const two = boxed(0x4000_0000n);
  assert.equal(exec('fadd.s fa0,fa1,fa2', { fa1: one, fa2: two }).m.get('fa0'), boxed(0x4040_0000n));
  assert.equal(exec('fadd.s fa0,fa1,fa2', { fa1: one, fa2: 0x4000_0000n }).m.get('fa0'), boxed(0x7fc0_0000n), 'badly boxed input reads as the canonical NaN');
  assert.equal(exec('fneg.s fa0,fa1', { fa1: 0x3f80_0000n }).m.get('fa0'), boxed(0xffc0_0000n), 'sign injection on the canonical NaN');
  assert.equal(exec('fmv.x.w a0,fa1', { fa1: 0x8000_0000n }).m.get('a0'), 0xffff_ffff_8000_0000n, 'raw bits, sign-extended');
  assert.equal(exec('fmv.w.x fa0,a1', { a1: 0x1234_5678_3f80_0000n }).m.get('fa0'), one);
  assert.equal(exec('fmin.s fa0,fa1,fa2', { fa1: boxed(0n), fa2: boxed(0x8000_0000n) }).m.get('fa0'), boxed(0x8000_0000n), '-0 < +0');
  assert.equal(exec('fmax.d fa0,fa1,fa2', { fa1: 0n, fa2: 1n << 63n }).m.get('fa0'), 0n);
  assert.equal(exec('fmin.s fa0,fa1,fa2', { fa1: boxed(0x7f80_0001n), fa2: one }).m.get('fa0'), one, 'signalling NaN: the other operand (minimumNumber)');
  assert.equal(exec('fmax.d fa0,fa1,fa2', { fa1: 0x7ff0_0000_0000_0001n, fa2: 0xfff8_0000_0000_0000n }).m.get('fa0'), 0x7ff8_0000_0000_0000n, 'both NaN: canonical');
  assert.equal(exec('fcvt.w.s a0,fa1,rtz', { fa1: boxed(0x7fc0_0000n) }).m.get('a0'), 0x7fff_ffffn, 'NaN -> INT_MAX');
  assert.equal(exec('fcvt.wu.d a0,fa1,rtz', { fa1: 0xbff0_0000_0000_0000n }).m.get('a0'), 0n, '-1.0 saturates to 0');
  assert.equal(exec('fcvt.wu.d a0,fa1,rtz', { fa1: 0x41f0_0000_0000_0000n }).m.get('a0'), u(-1n), '2^32 saturates, sign-extended');
  assert.equal(exec('fcvt.l.d a0,fa1,rtz', { fa1: 0xfff0_0000_0000_0000n }).m.get('a0'), INT64_MIN);
  assert.equal(exec('fcvt.w.d a0,fa1,rne', { fa1: 0x4004_0000_0000_0000n }).m.get('a0'), 2n, '2.5 rounds to even');
  assert.equal(exec('fcvt.s.w fa0,a1', { a1: 0x1_0000_0001n }).m.get('fa0'), one, 'the low word only');
  assert.equal(exec('fcvt.d.s fa0,fa1', { fa1: boxed(0x7f80_0001n) }).m.get('fa0'), 0x7ff8_0000_0000_0000n);
  // fnmadd = -(a*b) - c: with a*b = +0 and c = +0 the result is -0.
  assert.equal(exec('fnmadd.d fa0,fa1,fa2,fa3', { fa1: 0n, fa2: 0x3ff0_0000_0000_0000n, fa3: 0n }).m.get('fa0'), 1n << 63n);
  // fmadd rounds once: (1 + 2^-52) * (1 - 2^-52) - 1 = -2^-104 exactly.
  assert.equal(exec('fmsub.d fa0,fa1,fa2,fa3', { fa1: 0x3ff0_0000_0000_0001n, fa2: 0x3fef_ffff_ffff_fffen, fa3: 0x3ff0_0000_0000_0000n }).m.get('fa0'), 0xb970_0000_0000_0000n);
  assert.equal(exec('fclass.s a0,fa1', { fa1: 0x3f80_0000n }).m.get('a0'), 1n << 9n, 'badly boxed: the canonical (quiet) NaN');
  assert.equal(exec('fclass.d a0,fa1', { fa1: 0x8000_0000_0000_0001n }).m.get('a0'), 1n << 2n);
  assert.equal(exec('fclass.d a0,fa1', { fa1: 0x7ff0_0000_0000_0001n }).m.get('a0'), 1n << 8n);
  assert.equal(exec('flt.d a0,fa1,fa2', { fa1: 0x7ff8_0000_0000_0000n, fa2: 0n }).m.get('a0'), 0n);
});

test('FP CSRs, and what has no semantics', () => {
  const r = exec('fscsr a0,a1', { a1: 0xffn, fflags: 3n, frm: 1n });
  assert.equal(r.m.get('a0'), (1n << 5n) | 3n);
  assert.equal(r.m.get('fflags'), 0x1fn);
  assert.equal(r.m.get('frm'), 7n);
  assert.equal(exec('csrrsi a0,fflags,4', { fflags: 1n }).m.get('fflags'), 5n);
  assert.equal(exec('frrm a0', { frm: 2n }).m.get('a0'), 2n);
  for (const text of ['ecall', 'rdcycle a0', 'csrr a0,mstatus', 'addi a0,a0,%tprel_lo(x)']) {
    assert.ok('unsupported' in riscv64Semantics.lookup(parseOne(text)[0]!), text);
  }
  // The %tprel_add operand only marks a relocation: the add itself is modeled.
  assert.ok(!('unsupported' in riscv64Semantics.lookup(parseOne('add a5,a5,tp,%tprel_add(x)')[0]!)));
  const unknown = { ...parseOne('nop')[0]!, mnemonic: 'frobnicate' };
  assert.deepEqual(riscv64Semantics.lookup(unknown), { unsupported: 'frobnicate' });
});
