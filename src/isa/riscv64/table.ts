// The RISC-V 64 instruction table: for each mnemonic gcc 12 emits for RV64GC (base integer,
// M, A, F, D, Zicsr, Zifencei, plus the GNU as pseudo-instructions), its operand forms, what it
// reads and writes, its memory access and its control flow. `describe` matches an instruction's
// operands against the forms and never throws.

import type { Expr, Instruction, Operand } from '../../ir/program.js';
import type { ControlKind, DescribeError, InstrInfo } from '../types.js';
import { isLocalTarget } from '../../ir/expr.js';
import { expandBraces, matchForm } from '../forms.js';

// ---------------------------------------------------------------------------------------------
// Operand roles
// ---------------------------------------------------------------------------------------------

/**
 * One letter per operand in a form string (comma-separated):
 * - `d` integer register written, `s` integer register read
 * - `D` FP register written, `S` FP register read
 * - `i` immediate (number or relocation expression, e.g. `%lo(x)`)
 * - `m` memory `off(base)` / `(base)`: the base register is read
 * - `A` atomic address `(base)` / `0(base)` (the A extension has no offset)
 * - `a` symbolic address: branch/call target, or the symbol of a load/store-from-symbol pseudo
 * - `r` rounding mode name (`rtz`, `dyn`, ...); a trailing `r?` makes it optional
 * - `f` fence set (`iorw`, `rw`, ...)
 * - `c` CSR, by name (`fflags`) or number
 */
type Role = 'd' | 's' | 'D' | 'S' | 'i' | 'm' | 'A' | 'a' | 'r' | 'f' | 'c';

type Memory = InstrInfo['memory'];

/** A mnemonic's behaviour that is not in its operand roles. */
interface Spec {
  readonly memory?: Memory;
  readonly control?: ControlKind;
  readonly implicitReads?: readonly string[];
  readonly implicitWrites?: readonly string[];
}

interface Form {
  readonly name: string;
  readonly roles: readonly Role[];
}

interface Entry extends Spec {
  readonly mnemonic: string;
  readonly forms: readonly Form[];
  /** Refines control flow from the operands (`j`/`jr`/`jalr`/`jal` depend on them). */
  readonly classify?: (insn: Instruction<'riscv64'>, form: Form) => Partial<Spec>;
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

/** Rounding-mode operand spellings. */
export const ROUNDING_MODES: ReadonlySet<string> = new Set(['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn']);

/** Atomic ordering suffixes: `amoadd.w`, `amoadd.w.aq`, `.rl`, `.aqrl`. */
const ORDERINGS = ['', '.aq', '.rl', '.aqrl'];

const LOAD: Spec = { memory: 'load' };
const STORE: Spec = { memory: 'store' };
const AMO: Spec = { memory: 'load-store' };
const CBRANCH: Spec = { control: 'cbranch' };

/** Rows: [mnemonics (space-separated; `{s,d}` expands), forms (`|`-separated), spec]. */
type Row = readonly [string, string, Spec?];

const ROWS: readonly Row[] = [
  // --- RV64I/M register-register ---
  ['add', 'd,s,s|d,s,i|d,s,s,i'], // 4-operand form: `add a5,a5,tp,%tprel_add(x)`
  ['sub mul mulh mulhsu mulhu div divu rem remu subw mulw divw divuw remw remuw', 'd,s,s'],
  ['and or xor sll srl sra slt sltu addw sllw srlw sraw', 'd,s,s|d,s,i'],
  ['addi slti sltiu xori ori andi slli srli srai addiw slliw srliw sraiw', 'd,s,i'],
  ['lui auipc', 'd,i'],
  // --- loads and stores; the symbol forms are `ld a1,.LC0` and `sd a0,sym,t0` ---
  ['lb lh lw ld lbu lhu lwu', 'd,m|d,a', LOAD],
  ['sb sh sw sd', 's,m|s,a,d', STORE],
  ['flw fld', 'D,m|D,a,d', LOAD],
  ['fsw fsd', 'S,m|S,a,d', STORE],
  // --- branches and jumps ---
  ['beq bne blt bge bltu bgeu bgt ble bgtu bleu', 's,s,a', CBRANCH],
  ['beqz bnez blez bgez bltz bgtz', 's,a', CBRANCH],
  ['j', 'a', { control: 'jump' }],
  ['jal', 'a|d,a', { control: 'call' }],
  ['jr', 's|m|s,i', { control: 'ijump' }],
  ['jalr', 's|m|d,s|d,m|d,s,i|s,i', { control: 'icall' }],
  ['call', 'a|d,a', { control: 'call' }],
  ['tail', 'a', { control: 'tailcall', implicitWrites: ['t1'] }], // auipc t1; jr t1
  ['ret', '', { control: 'ret', implicitReads: ['ra'] }],
  ['ebreak unimp', '', { control: 'trap' }],
  ['ecall nop fence.i fence.tso', ''],
  ['fence', '|f,f'],
  // --- pseudo-instructions ---
  ['li', 'd,i'],
  ['la lla la.tls.ie la.tls.gd', 'd,a'],
  ['mv not neg negw sext.w sext.b sext.h zext.b zext.h zext.w seqz snez sltz sgtz', 'd,s'],
  ['sgt sgtu', 'd,s,s'],
  // --- A: load-reserved / store-conditional / AMOs ---
  ['lr.w lr.d', 'd,A', LOAD],
  ['sc.w sc.d', 'd,s,A', STORE],
  ['amoswap amoadd amoxor amoand amoor amomin amomax amominu amomaxu', 'd,s,A', AMO],
  // --- Zicsr and the FP CSR shorthands ---
  ['csrr', 'd,c'],
  ['csrw csrs csrc', 'c,s'],
  ['csrwi csrsi csrci', 'c,i'],
  ['csrrw csrrs csrrc', 'd,c,s'],
  ['csrrwi csrrsi csrrci', 'd,c,i'],
  ['frflags', 'd', { implicitReads: ['fflags'] }],
  ['fsflags', 's|d,s', { implicitWrites: ['fflags'] }],
  ['fsflagsi', 'i|d,i', { implicitWrites: ['fflags'] }],
  ['frrm', 'd', { implicitReads: ['frm'] }],
  ['fsrm', 's|d,s', { implicitWrites: ['frm'] }],
  ['fsrmi', 'i|d,i', { implicitWrites: ['frm'] }],
  ['frcsr', 'd', { implicitReads: ['fcsr'] }],
  ['fscsr', 's|d,s', { implicitWrites: ['fcsr'] }],
  ['rdcycle rdtime rdinstret', 'd'],
  // --- F/D ---
  ['fadd.{s,d} fsub.{s,d} fmul.{s,d} fdiv.{s,d}', 'D,S,S,r?'],
  ['fsqrt.{s,d}', 'D,S,r?'],
  ['fmin.{s,d} fmax.{s,d} fsgnj.{s,d} fsgnjn.{s,d} fsgnjx.{s,d}', 'D,S,S'],
  ['fmadd.{s,d} fmsub.{s,d} fnmadd.{s,d} fnmsub.{s,d}', 'D,S,S,S,r?'],
  ['fmv.{s,d} fabs.{s,d} fneg.{s,d}', 'D,S'],
  ['feq.{s,d} flt.{s,d} fle.{s,d} fgt.{s,d} fge.{s,d}', 'd,S,S'],
  ['fclass.{s,d}', 'd,S'],
  ['fcvt.w.{s,d} fcvt.wu.{s,d} fcvt.l.{s,d} fcvt.lu.{s,d}', 'd,S,r?'],
  ['fcvt.s.w fcvt.s.wu fcvt.{s,d}.l fcvt.{s,d}.lu', 'D,s,r?'],
  ['fcvt.d.w fcvt.d.wu', 'D,s'], // exact: no rounding-mode operand
  ['fcvt.s.d', 'D,S,r?'],
  ['fcvt.d.s', 'D,S'],
  ['fmv.x.w fmv.x.d fmv.x.s', 'd,S'],
  ['fmv.w.x fmv.d.x fmv.s.x', 'D,s'],
];

// ---------------------------------------------------------------------------------------------
// Control-flow refinements that depend on operands
// ---------------------------------------------------------------------------------------------

function regAt(insn: Instruction<'riscv64'>, i: number): string | undefined {
  const op = insn.operands[i];
  if (!op) return undefined;
  if (op.kind === 'reg') return op.reg.id;
  if (op.kind === 'mem') return op.base.id;
  return undefined;
}

const CLASSIFY: Readonly<Record<string, Entry['classify']>> = {
  // `j foo` to another function is a tail call.
  j: (insn) => (isLocalTarget(targetOf(insn)) ? {} : { control: 'tailcall' }),
  // `jr ra` returns; `jr a5` is an indirect jump.
  jr: (insn) => (regAt(insn, 0) === 'ra' ? { control: 'ret' } : {}),
  // `jal foo` links through ra; `jal zero,.L3` is a plain jump.
  jal: (insn, form) => {
    if (form.roles.length === 1) return { implicitWrites: ['ra'] };
    return regAt(insn, 0) === 'zero' ? { control: isLocalTarget(targetOf(insn)) ? 'jump' : 'tailcall' } : {};
  },
  // `jalr a5` links through ra; `jalr zero,0(ra)` returns; `jalr zero,a5` jumps.
  jalr: (insn, form) => {
    if (form.roles[0] !== 'd') return { implicitWrites: ['ra'] };
    if (regAt(insn, 0) !== 'zero') return {};
    return regAt(insn, 1) === 'ra' ? { control: 'ret' } : { control: 'ijump' };
  },
  call: (_insn, form) => (form.roles.length === 1 ? { implicitWrites: ['ra'] } : {}),
};

function targetOf(insn: Instruction<'riscv64'>): Expr | undefined {
  for (const op of insn.operands) if (op.kind === 'sym') return op.expr;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Table construction
// ---------------------------------------------------------------------------------------------

function parseForms(mnemonic: string, forms: string): Form[] {
  const out: Form[] = [];
  for (const f of forms.split('|')) {
    const roles = f === '' ? [] : (f.split(',') as string[]);
    const optional = roles[roles.length - 1] === 'r?';
    const base = (optional ? roles.slice(0, -1) : roles) as Role[];
    const name = (r: readonly Role[]): string => (forms.includes('|') || optional ? `${mnemonic}.${r.join('') || 'none'}` : mnemonic);
    out.push({ name: name(base), roles: base });
    if (optional) out.push({ name: name([...base, 'r']), roles: [...base, 'r'] });
  }
  return out;
}

function buildTable(): Map<string, Entry> {
  const table = new Map<string, Entry>();
  for (const [names, forms, spec] of ROWS) {
    for (const word of names.split(' ')) {
      const isAmo = word.startsWith('amo') || word.startsWith('lr.') || word.startsWith('sc.');
      const widths = word.startsWith('amo') ? ['.w', '.d'] : [''];
      for (const base of expandBraces(word)) {
        for (const w of widths) {
          for (const ord of isAmo ? ORDERINGS : ['']) {
            const mnemonic = base + w + ord;
            table.set(mnemonic, { mnemonic, forms: parseForms(mnemonic, forms), ...spec, classify: CLASSIFY[base] });
          }
        }
      }
    }
  }
  return table;
}

const TABLE = buildTable();

/** Every mnemonic the table knows (for tests and completion). */
export function knownMnemonics(): string[] {
  return [...TABLE.keys()];
}

/** The operand roles of each form of `mnemonic` (see `Role`), for tests and completion. */
export function formsOf(mnemonic: string): string[][] {
  return TABLE.get(mnemonic)?.forms.map((f) => [...f.roles]) ?? [];
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

function fits(role: Role, op: Operand<'riscv64'>): boolean {
  switch (role) {
    case 'd':
    case 's':
      return op.kind === 'reg' && op.reg.file === 'gpr';
    case 'D':
    case 'S':
      return op.kind === 'reg' && op.reg.file === 'fpr';
    case 'i':
      return op.kind === 'imm';
    case 'm':
      return op.kind === 'mem';
    case 'A':
      return op.kind === 'mem' && (op.offset === undefined || (op.offset.kind === 'num' && op.offset.value === 0n));
    case 'a':
      return op.kind === 'sym';
    case 'r':
      return op.kind === 'name' && ROUNDING_MODES.has(op.text);
    case 'f':
      return op.kind === 'name' && /^[iorw]+$/.test(op.text);
    case 'c':
      return op.kind === 'name' || op.kind === 'imm';
  }
}

const ROLE_WORDS: Readonly<Record<Role, string>> = {
  d: 'an integer register',
  s: 'an integer register',
  D: 'an FP register',
  S: 'an FP register',
  i: 'an immediate',
  m: 'a memory operand',
  A: 'an address (reg) or 0(reg)',
  a: 'a symbol',
  r: 'a rounding mode',
  f: 'a fence set',
  c: 'a CSR',
};

function push(list: string[], id: string): void {
  if (id !== 'zero' && !list.includes(id)) list.push(id);
}

/**
 * Describes an instruction: its form, the register ids it reads and writes (zero omitted), its
 * memory access and control flow, or why it fits no form of its mnemonic.
 */
export function describeRiscv(insn: Instruction<'riscv64'>): InstrInfo | DescribeError {
  const entry = TABLE.get(insn.mnemonic);
  if (!entry) return { error: `unknown instruction '${insn.mnemonic}'`, code: 'unknown-instruction' };
  const ops = insn.operands;
  const form = matchForm(insn.mnemonic, entry.forms, ops, fits, (r) => ROLE_WORDS[r]);
  if ('error' in form) return form;

  const reads: string[] = [];
  const writes: string[] = [];
  let target: Expr | undefined;
  const roles = form.roles;
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i]!;
    const op = ops[i]!;
    if (op.kind === 'reg') {
      if (role === 'd' || role === 'D') push(writes, op.reg.id);
      else push(reads, op.reg.id);
    } else if (op.kind === 'mem') push(reads, op.base.id);
    else if (role === 'a' && op.kind === 'sym' && target === undefined) target = op.expr;
  }
  let control = entry.control ?? 'none';
  if (entry.implicitReads) for (const r of entry.implicitReads) push(reads, r);
  if (entry.implicitWrites) for (const w of entry.implicitWrites) push(writes, w);
  if (entry.classify) {
    const extra = entry.classify(insn, form);
    if (extra.implicitReads) for (const r of extra.implicitReads) push(reads, r);
    if (extra.implicitWrites) for (const w of extra.implicitWrites) push(writes, w);
    if (extra.control) control = extra.control;
  }
  // Only direct control flow has a target; `ld a1,.LC0` names data, not a destination.
  const direct = control === 'jump' || control === 'cbranch' || control === 'call' || control === 'tailcall';
  const memory = entry.memory ?? 'none';
  return direct && target !== undefined
    ? { form: form.name, control, reads, writes, memory, target }
    : { form: form.name, control, reads, writes, memory };
}

