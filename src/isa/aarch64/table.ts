// The AArch64 instruction table: for each mnemonic gcc 12 emits for C code (base A64, FP,
// Advanced SIMD including what the vectorizer uses at -O3, LSE atomics, and the system
// instructions of inline asm and PAC/BTI), its operand forms, what it reads and writes, its
// memory access and its control flow. `describe` matches an instruction's operands against the
// forms and never throws. Mnemonic names follow binutils' opcodes/aarch64-tbl.h.

import type { Expr, Instruction, Operand, RegOperand } from '../../ir/program.js';
import type { ControlKind, DescribeError, InstrInfo } from '../types.js';
import { CONDITIONS } from './lower.js';
import { NZCV } from './registers.js';
import { isLocalTarget } from '../../ir/expr.js';
import { expandBraces, matchForm as matchRoles } from '../forms.js';

// ---------------------------------------------------------------------------------------------
// Operand roles
// ---------------------------------------------------------------------------------------------

/**
 * One letter per operand in a form string (comma-separated; a trailing `?` makes the last
 * operand optional):
 * - `d` integer register written, `s` integer register read, `u` integer register read and written
 * - `D` FP/SIMD register written (scalar `d0`, vector `v0.4s`, or element `v0.s[1]`), `S` read,
 *   `U` read and written. A written element (`ins v0.s[1], w0`) keeps the other lanes, so it is
 *   read as well.
 * - `l` vector register list written (`ld1 {v0.16b}`; with a lane it is also read), `L` read
 * - `i` integer immediate (number or relocation expression, e.g. `:lo12:x`)
 * - `f` floating-point immediate that `fmov` can encode; `z` the FP zero of `fcmp d0, #0.0`
 * - `m` memory operand: the base is read, and written back in pre/post-index forms
 * - `a` symbolic address: branch/call target, `adrp` page, literal-pool load
 * - `c` condition code (`eq`, `ne`, ...), `n` other keyword (prefetch op, barrier, system register)
 */
type Role = 'd' | 's' | 'u' | 'D' | 'S' | 'U' | 'l' | 'L' | 'i' | 'f' | 'z' | 'm' | 'a' | 'c' | 'n';

type Memory = InstrInfo['memory'];

/** A mnemonic's behaviour that is not in its operand roles. */
interface Spec {
  readonly memory?: Memory;
  readonly control?: ControlKind;
  readonly implicitReads?: readonly string[];
  readonly implicitWrites?: readonly string[];
}

interface Form {
  readonly roles: readonly Role[];
}

interface Entry extends Spec {
  readonly mnemonic: string;
  /** Base of the form names; `b.cond` for every conditional branch spelling. */
  readonly formBase: string;
  readonly forms: readonly Form[];
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

const LOAD: Spec = { memory: 'load' };
const STORE: Spec = { memory: 'store' };
const ATOMIC: Spec = { memory: 'load-store' };
const FLAGS_R: Spec = { implicitReads: [NZCV] };
const FLAGS_W: Spec = { implicitWrites: [NZCV] };
const FLAGS_RW: Spec = { implicitReads: [NZCV], implicitWrites: [NZCV] };

/** Rows: [mnemonics (space-separated; `{a,b}` expands), forms (`|`-separated), spec]. */
type Row = readonly [string, string, Spec?];

const ROWS: readonly Row[] = [
  // --- integer arithmetic and logic (the `D,S,S` forms are the SIMD versions) ---
  ['add sub', 'd,s,i|d,s,s|D,S,S'],
  ['adds subs', 'd,s,i|d,s,s', FLAGS_W],
  ['cmp cmn tst', 's,i|s,s', FLAGS_W],
  ['neg', 'd,s|D,S'],
  ['negs', 'd,s', FLAGS_W],
  ['adc sbc', 'd,s,s', FLAGS_R],
  ['ngc', 'd,s', FLAGS_R],
  ['adcs sbcs', 'd,s,s', FLAGS_RW],
  ['ngcs', 'd,s', FLAGS_RW],
  ['and eor', 'd,s,i|d,s,s|D,S,S'],
  ['orr bic', 'd,s,i|d,s,s|D,S,S|U,i'],
  ['orn', 'd,s,s|D,S,S'],
  ['eon', 'd,s,s'],
  ['ands', 'd,s,i|d,s,s', FLAGS_W],
  ['bics', 'd,s,s', FLAGS_W],
  ['mvn', 'd,s|D,S'],
  ['not', 'D,S'],
  ['mov', 'd,s|d,i|D,S|D,s|d,S'],
  ['movz movn', 'd,i'],
  ['movk', 'u,i'],
  ['adr adrp', 'd,a|d,i'],
  ['lsl lsr asr ror', 'd,s,i|d,s,s'],
  ['lslv lsrv asrv rorv', 'd,s,s'],
  ['mul', 'd,s,s|D,S,S'],
  ['mneg smulh umulh udiv sdiv smnegl umnegl', 'd,s,s'],
  ['madd msub smaddl umaddl smsubl umsubl', 'd,s,s,s'],
  ['smull umull', 'd,s,s|D,S,S'],
  ['sxtb sxth sxtw uxtb uxth uxtw', 'd,s'],
  ['ubfx sbfx ubfiz sbfiz ubfm sbfm', 'd,s,i,i'],
  ['bfi bfxil bfm', 'u,s,i,i'],
  ['bfc', 'u,i,i'],
  ['extr', 'd,s,s,i'],
  ['clz cls rbit rev16 rev32 rev64', 'd,s|D,S'],
  ['rev', 'd,s'],
  ['csel csinc csinv csneg', 'd,s,s,c', FLAGS_R],
  ['cset csetm', 'd,c', FLAGS_R],
  ['cinc cinv cneg', 'd,s,c', FLAGS_R],
  ['ccmp ccmn', 's,s,i,c|s,i,i,c', FLAGS_RW],
  ['crc32b crc32h crc32w crc32x crc32cb crc32ch crc32cw crc32cx', 'd,s,s'],

  // --- loads and stores ---
  ['ldr', 'd,m|D,m|d,a|D,a', LOAD],
  ['ldrsw', 'd,m|d,a', LOAD],
  ['ldur', 'd,m|D,m', LOAD],
  ['ldrb ldrh ldrsb ldrsh ldurb ldurh ldursb ldursh ldursw ldtr ldtrb ldtrh ldtrsb ldtrsh ldtrsw', 'd,m', LOAD],
  ['str stur', 's,m|S,m', STORE],
  ['strb strh sturb sturh sttr sttrb sttrh', 's,m', STORE],
  ['ldp ldnp', 'd,d,m|D,D,m', LOAD],
  ['ldpsw', 'd,d,m', LOAD],
  ['stp stnp', 's,s,m|S,S,m', STORE],
  ['ldxr ldaxr ldar ldxrb ldxrh ldaxrb ldaxrh ldarb ldarh ldapr ldaprb ldaprh ldlar ldlarb ldlarh', 'd,m', LOAD],
  ['ldapur ldapurb ldapurh ldapursb ldapursh ldapursw', 'd,m', LOAD],
  ['ldxp ldaxp', 'd,d,m', LOAD],
  ['stxr stlxr stxrb stxrh stlxrb stlxrh', 'd,s,m', STORE],
  ['stxp stlxp', 'd,s,s,m', STORE],
  ['stlr stlrb stlrh stllr stllrb stllrh stlur stlurb stlurh', 's,m', STORE],
  // LSE atomics: compare-and-swap reads and writes its first register; the load-and-op forms
  // read the first and write the second; the store-and-op forms only read.
  ['cas{,a,al,l}{,b,h}', 'u,s,m', ATOMIC],
  ['casp{,a,al,l}', 'u,u,s,s,m', ATOMIC],
  ['swp{,a,al,l}{,b,h} ld{add,clr,eor,set,smax,smin,umax,umin}{,a,al,l}{,b,h}', 's,d,m', ATOMIC],
  ['st{add,clr,eor,set,smax,smin,umax,umin}{,l}{,b,h}', 's,m', ATOMIC],
  ['prfm', 'n,m|i,m|n,a|i,a'],
  ['prfum', 'n,m|i,m'],
  // Advanced SIMD structure loads and stores; a list with a lane (`{v0.s}[1]`) is also read.
  ['ld1 ld2 ld3 ld4 ld1r ld2r ld3r ld4r', 'l,m', LOAD],
  ['st1 st2 st3 st4', 'L,m', STORE],

  // --- branches ---
  ['b', 'a', { control: 'jump' }],
  ['bl', 'a', { control: 'call', implicitWrites: ['x30'] }],
  ['br', 's', { control: 'ijump' }],
  ['blr', 's', { control: 'icall', implicitWrites: ['x30'] }],
  ['ret', 's?', { control: 'ret' }],
  ['cbz cbnz', 's,a', { control: 'cbranch' }],
  ['tbz tbnz', 's,i,a', { control: 'cbranch' }],

  // --- system ---
  ['nop yield wfe wfi sev sevl csdb ssbb pssbb sb esb dgh xpaclri', ''],
  ['paciasp autiasp pacibsp autibsp paciaz autiaz pacibz autibz', '', { implicitReads: ['x30', 'sp'], implicitWrites: ['x30'] }],
  ['hint', 'i'],
  ['bti', 'n?'],
  ['isb', 'n?|i'],
  ['dmb dsb', 'n|i'],
  ['clrex', 'i?'],
  ['brk udf hlt', 'i', { control: 'trap' }],
  // A Linux system call: number in x8, arguments in x0-x5, result in x0.
  ['svc', 'i', { implicitReads: ['x8', 'x0', 'x1', 'x2', 'x3', 'x4', 'x5'], implicitWrites: ['x0'] }],
  ['mrs', 'd,n'],
  ['msr', 'n,s|n,i'],
  ['dc at', 'n,s'],
  ['ic tlbi', 'n,s|n'],

  // --- scalar floating point (the vector forms share the roles) ---
  ['fmov', 'D,S|D,s|d,S|D,f'],
  ['fadd fsub fmul fdiv fnmul fmax fmin fmaxnm fminnm fabd fmulx frecps frsqrts facge facgt', 'D,S,S'],
  ['faddp fmaxp fminp fmaxnmp fminnmp', 'D,S,S|D,S'],
  ['fmadd fmsub fnmadd fnmsub', 'D,S,S,S'],
  ['fmla fmls', 'U,S,S'],
  ['fabs fneg fsqrt fcvt frecpe frsqrte frecpx frintn frintp frintm frintz frinta frintx frinti frint32x frint32z frint64x frint64z', 'D,S'],
  ['fcmp fcmpe', 'S,S|S,z', FLAGS_W],
  ['fccmp fccmpe', 'S,S,i,c', FLAGS_RW],
  ['fcsel', 'D,S,S,c', FLAGS_R],
  ['scvtf ucvtf', 'D,s|D,S|D,s,i|D,S,i'],
  ['fcvtzs fcvtzu', 'd,S|D,S|d,S,i|D,S,i'],
  ['fcvtas fcvtau fcvtms fcvtmu fcvtns fcvtnu fcvtps fcvtpu', 'd,S|D,S'],
  ['fcvtl fcvtl2 fcvtn fcvtxn', 'D,S'],
  ['fcvtn2 fcvtxn2', 'U,S'],
  ['fcmeq fcmge fcmgt', 'D,S,S|D,S,z'],
  ['fcmle fcmlt', 'D,S,z'],
  ['fmaxv fminv fmaxnmv fminnmv', 'D,S'],

  // --- Advanced SIMD integer ---
  [
    'cmhi cmhs cmtst smax smin umax umin sabd uabd smaxp sminp umaxp uminp sqadd uqadd sqsub uqsub ' +
      'sshl ushl srshl urshl sqrshl uqrshl shadd uhadd srhadd urhadd shsub uhsub pmul sqdmulh sqrdmulh ' +
      'zip1 zip2 uzp1 uzp2 trn1 trn2',
    'D,S,S',
  ],
  ['cmeq cmge cmgt', 'D,S,S|D,S,i'],
  ['cmle cmlt', 'D,S,i'],
  ['addp', 'D,S,S|D,S'],
  [
    'saddl saddl2 uaddl uaddl2 ssubl ssubl2 usubl usubl2 saddw saddw2 uaddw uaddw2 ssubw ssubw2 usubw usubw2 ' +
      'smull2 umull2 sabdl sabdl2 uabdl uabdl2 sqdmull sqdmull2 pmull pmull2 addhn raddhn subhn rsubhn',
    'D,S,S',
  ],
  [
    'mla mls saba uaba bsl bit bif sdot udot usdot sqrdmlah sqrdmlsh smlal smlal2 umlal umlal2 smlsl smlsl2 ' +
      'umlsl umlsl2 sabal sabal2 uabal uabal2 sqdmlal sqdmlal2 sqdmlsl sqdmlsl2 addhn2 raddhn2 subhn2 rsubhn2',
    'U,S,S',
  ],
  ['sadalp uadalp xtn2 sqxtn2 uqxtn2 sqxtun2 suqadd usqadd', 'U,S'],
  [
    'saddlp uaddlp xtn sqxtn uqxtn sqxtun abs sqabs sqneg cnt sxtl sxtl2 uxtl uxtl2 addv smaxv sminv umaxv ' +
      'uminv saddlv uaddlv urecpe ursqrte',
    'D,S',
  ],
  [
    'shl sshr ushr srshr urshr sqshlu shrn rshrn sqshrn uqshrn sqrshrn uqrshrn sqshrun sqrshrun sshll sshll2 ' +
      'ushll ushll2 shll shll2',
    'D,S,i',
  ],
  ['sqshl uqshl', 'D,S,S|D,S,i'],
  ['ssra usra srsra ursra sli sri shrn2 rshrn2 sqshrn2 uqshrn2 sqrshrn2 uqrshrn2 sqshrun2 sqrshrun2', 'U,S,i'],
  ['movi mvni', 'D,i'],
  ['dup ins', 'D,s|D,S'],
  ['umov smov', 'd,S'],
  ['ext', 'D,S,S,i'],
  ['tbl', 'D,L,S'],
  ['tbx', 'U,L,S'],
  // Crypto extensions (used through intrinsics).
  ['aese aesd sha1su1 sha256su0', 'U,S'],
  ['aesmc aesimc sha1h', 'D,S'],
  ['sha1c sha1m sha1p sha1su0 sha256h sha256h2 sha256su1 sha512h sha512h2 sha512su1', 'U,S,S'],
  ['sha512su0', 'U,S'],
  ['eor3 bcax', 'D,S,S,S'],
  ['rax1', 'D,S,S'],
  ['xar', 'D,S,S,i'],
];

// ---------------------------------------------------------------------------------------------
// Table construction
// ---------------------------------------------------------------------------------------------

function parseForms(forms: string): Form[] {
  const out: Form[] = [];
  for (const f of forms.split('|')) {
    const roles = f === '' ? [] : f.split(',');
    const last = roles[roles.length - 1];
    if (last !== undefined && last.endsWith('?')) {
      const base = roles.slice(0, -1) as Role[];
      out.push({ roles: base }, { roles: [...base, last.slice(0, -1) as Role] });
    } else {
      out.push({ roles: roles as Role[] });
    }
  }
  return out;
}

function buildTable(): Map<string, Entry> {
  const table = new Map<string, Entry>();
  for (const [names, forms, spec] of ROWS) {
    const parsed = parseForms(forms);
    for (const word of names.split(' ')) {
      for (const mnemonic of expandBraces(word)) table.set(mnemonic, { mnemonic, formBase: mnemonic, forms: parsed, ...spec });
    }
  }
  // Conditional branches: `bne` (gcc 12) and `b.ne`; GNU as takes `b.al`/`b.nv` only dotted.
  const branch: Omit<Entry, 'mnemonic'> = { formBase: 'b.cond', forms: parseForms('a'), control: 'cbranch', ...FLAGS_R };
  for (const cond of CONDITIONS) {
    table.set(`b.${cond}`, { mnemonic: `b.${cond}`, ...branch });
    if (cond !== 'al' && cond !== 'nv') table.set(`b${cond}`, { mnemonic: `b${cond}`, ...branch });
  }
  return table;
}

const TABLE = buildTable();

/** Every mnemonic the table knows (for tests and completion). */
export function knownMnemonics(): string[] {
  return [...TABLE.keys()];
}

/** The operand roles of each form of a mnemonic, as role strings like `d,s,i` (for tests). */
export function formsOf(mnemonic: string): string[] {
  return (TABLE.get(mnemonic)?.forms ?? []).map((f) => f.roles.join(','));
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/** Whether `v` is a value `fmov` encodes in its 8-bit immediate: +-(16+m)/16 * 2^e, e in -3..4. */
export function isFmovImmediate(v: number): boolean {
  const a = Math.abs(v);
  for (let e = -3; e <= 4; e++) {
    const m = (a / 2 ** e) * 16 - 16;
    if (m >= 0 && m <= 15 && Number.isInteger(m)) return true;
  }
  return false;
}

function isSimd(op: Operand<'aarch64'>): op is RegOperand<'aarch64'> {
  if (op.kind !== 'reg' || op.modifier !== undefined) return false;
  if (op.reg.file === 'fpr') return op.lane === undefined && op.arrangement === undefined;
  return op.reg.file === 'vec' && op.arrangement !== undefined;
}

function isGprOp(op: Operand<'aarch64'>): op is RegOperand<'aarch64'> {
  return op.kind === 'reg' && op.reg.file === 'gpr';
}

function fits(role: Role, op: Operand<'aarch64'>): boolean {
  switch (role) {
    case 'd':
    case 'u':
      return isGprOp(op) && op.modifier === undefined;
    case 's':
      return isGprOp(op);
    case 'D':
    case 'S':
    case 'U':
      return isSimd(op);
    case 'l':
    case 'L':
      return op.kind === 'reglist';
    case 'i':
      return op.kind === 'imm';
    case 'f':
      return (op.kind === 'fpimm' && isFmovImmediate(op.value)) || (op.kind === 'imm' && op.expr.kind === 'num' && isFmovImmediate(Number(op.expr.value)));
    case 'z':
      return (op.kind === 'fpimm' && op.value === 0) || (op.kind === 'imm' && op.expr.kind === 'num' && op.expr.value === 0n);
    case 'm':
      return op.kind === 'mem';
    case 'a':
      return op.kind === 'sym';
    case 'c':
      return op.kind === 'name' && CONDITIONS.has(op.text.toLowerCase());
    case 'n':
      return op.kind === 'name';
  }
}

const ROLE_WORDS: Readonly<Record<Role, string>> = {
  d: 'an integer register',
  s: 'an integer register',
  u: 'an integer register',
  D: 'an FP/SIMD register',
  S: 'an FP/SIMD register',
  U: 'an FP/SIMD register',
  l: 'a vector register list',
  L: 'a vector register list',
  i: 'an immediate',
  f: 'an FP immediate that fmov can encode',
  z: 'the FP immediate 0.0',
  m: 'a memory operand',
  a: 'a symbol',
  c: 'a condition code',
  n: 'a keyword',
};

function push(list: string[], id: string): void {
  if (id !== 'xzr' && !list.includes(id)) list.push(id);
}

/**
 * A form name: the mnemonic plus the operand shape. Integer: `.reg`, `.shift`, `.ext`, `.imm`,
 * `.sym`; memory: `.off`, `.reg` (index register), `.pre`, `.post`, `.lit`; FP/SIMD: `.fp`
 * (scalar), `.fpgpr` (scalar with an integer register), `.vec` (whole vectors), `.elem` (some
 * operand is a lane). Branches and operand-less forms are the bare mnemonic (`b.cond`, `nop`).
 */
function formName(entry: Entry, roles: readonly Role[], ops: readonly Operand<'aarch64'>[]): string {
  if (entry.control !== undefined && entry.control !== 'none') return entry.formBase;
  let gpr = false;
  let fpr = false;
  let vec = false;
  let lane = false;
  let imm = false;
  let sym = false;
  let shift = false;
  let ext = false;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    switch (op.kind) {
      case 'mem':
        if (op.mode !== 'offset') return `${entry.formBase}.${op.mode}`;
        return `${entry.formBase}.${op.index ? 'reg' : 'off'}`;
      case 'sym':
        if (roles[i] === 'a' && entry.memory === 'load') return `${entry.formBase}.lit`;
        sym = true;
        break;
      case 'reg':
        if (op.reg.file === 'gpr') gpr = true;
        else if (op.reg.file === 'fpr') fpr = true;
        else if (op.lane !== undefined) lane = true;
        else vec = true;
        if (op.modifier) {
          if (/^[us]xt/i.test(op.modifier.op)) ext = true;
          else shift = true;
        }
        break;
      case 'reglist':
        if (op.lane !== undefined) lane = true;
        else vec = true;
        break;
      case 'imm':
      case 'fpimm':
        imm = true;
        break;
      default:
        break;
    }
  }
  if (lane) return `${entry.formBase}.elem`;
  if (vec) return `${entry.formBase}.vec`;
  if (fpr) return `${entry.formBase}.${gpr ? 'fpgpr' : 'fp'}`;
  if (ext) return `${entry.formBase}.ext`;
  if (shift) return `${entry.formBase}.shift`;
  if (sym) return `${entry.formBase}.sym`;
  if (imm) return `${entry.formBase}.imm`;
  return gpr ? `${entry.formBase}.reg` : entry.formBase;
}

/** The table entry and the first form whose roles the operands fit, or why there is none. */
function matchForm(insn: Instruction<'aarch64'>): { entry: Entry; form: Form } | DescribeError {
  const entry = TABLE.get(insn.mnemonic);
  if (!entry) return { error: `unknown instruction '${insn.mnemonic}'`, code: 'unknown-instruction' };
  const form = matchRoles(insn.mnemonic, entry.forms, insn.operands, fits, (r) => ROLE_WORDS[r]);
  return 'error' in form ? form : { entry, form };
}

/** The roles of the form an instruction matches (`d,s,i`), or undefined (for tests). */
export function matchedRoles(insn: Instruction<'aarch64'>): string | undefined {
  const m = matchForm(insn);
  return 'error' in m ? undefined : m.form.roles.join(',');
}

/**
 * Describes an instruction: its form, the register ids it reads and writes (zero registers
 * omitted, `nzcv` for the flags), its memory access and control flow, or why it fits no form of
 * its mnemonic.
 */
export function describeAarch64(insn: Instruction<'aarch64'>): InstrInfo | DescribeError {
  const m = matchForm(insn);
  if ('error' in m) return m;
  const { entry, form } = m;
  const ops = insn.operands;
  const reads: string[] = [];
  const writes: string[] = [];
  let target: Expr | undefined;
  form.roles.forEach((role, i) => {
    const op = ops[i]!;
    switch (op.kind) {
      case 'reg':
        if (role === 's' || role === 'S' || role === 'u' || role === 'U' || ((role === 'D' || role === 'd') && op.lane !== undefined)) push(reads, op.reg.id);
        if (role === 'd' || role === 'D' || role === 'u' || role === 'U') push(writes, op.reg.id);
        break;
      case 'reglist':
        for (const r of op.regs) {
          if (role === 'L' || op.lane !== undefined) push(reads, r.reg.id);
          if (role === 'l') push(writes, r.reg.id);
        }
        break;
      case 'mem':
        push(reads, op.base.id);
        if (op.index) push(reads, op.index.reg.id);
        if (op.post?.kind === 'reg') push(reads, op.post.reg.id);
        if (op.mode !== 'offset') push(writes, op.base.id);
        break;
      case 'sym':
        if (role === 'a' && target === undefined) target = op.expr;
        break;
      default:
        break;
    }
  });
  // `ret` with no operand returns through the link register.
  if (entry.control === 'ret' && ops.length === 0) push(reads, 'x30');
  for (const r of entry.implicitReads ?? []) push(reads, r);
  for (const w of entry.implicitWrites ?? []) push(writes, w);
  let control = entry.control ?? 'none';
  // `b printf`: a direct jump to another function is a tail call.
  if (control === 'jump' && target !== undefined && !isLocalTarget(target)) control = 'tailcall';
  // Only direct control flow has a target; `ldr x0, .LC0` names data, not a destination.
  const direct = control === 'jump' || control === 'cbranch' || control === 'call' || control === 'tailcall';
  return {
    form: formName(entry, form.roles, ops),
    control,
    reads,
    writes,
    memory: entry.memory ?? 'none',
    ...(direct && target !== undefined ? { target } : {}),
  };
}

