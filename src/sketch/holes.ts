// Holes in a target function: the tokens of a translated block that the sketch step may change.
// A hole is an immediate (or memory offset), a register, or a mnemonic of one instruction; this
// module says which values each hole may take (only encodable immediates, only registers of the
// same file and view, only mnemonics that fit the operands), and substitutes chosen values into a
// copy of the Program. The search itself is in cegis.ts.

import type { Expr, Instruction, IsaName, MemOperand, Operand, Program, Register, Statement } from '../ir/program.js';
import { frontEnd } from '../asm/index.js';
import { isDescribeError } from '../isa/types.js';

// ---------------------------------------------------------------------------------------------
// Holes and fills
// ---------------------------------------------------------------------------------------------

/**
 * An immediate hole: the number of an `imm` operand, or the offset of a `mem` operand (its
 * post-index increment when the operand is post-indexed). The operand's expression must be a
 * plain number: a relocation or symbol is not a value the search could choose.
 */
export interface ImmHole {
  readonly kind: 'imm';
  /** Statement index into `Program.statements`; must be an instruction. */
  readonly stmt: number;
  readonly operand: number;
}

/** A register hole: a `reg` operand, or the base (default) or index register of a `mem` operand. */
export interface RegHole {
  readonly kind: 'reg';
  readonly stmt: number;
  readonly operand: number;
  /** Only for `mem` operands. */
  readonly part?: 'base' | 'index';
}

/** A mnemonic hole: one of `alternatives` (the current mnemonic is always a candidate too). */
export interface OpcodeHole {
  readonly kind: 'opcode';
  readonly stmt: number;
  readonly alternatives: readonly string[];
}

export type Hole = ImmHole | RegHole | OpcodeHole;
export type HoleKind = Hole['kind'];

/** A value chosen for a hole. */
export type Fill =
  | { readonly hole: ImmHole; readonly value: bigint }
  | { readonly hole: RegHole; readonly value: Register }
  | { readonly hole: OpcodeHole; readonly value: string };

/** The value type of each hole kind. */
export type HoleValue<H extends Hole> = H extends ImmHole ? bigint : H extends RegHole ? Register : string;

/** A stable key for a hole's place (two holes with the same key would overwrite each other). */
export function holeKey(h: Hole): string {
  return h.kind === 'opcode' ? `${h.stmt}:mnemonic` : h.kind === 'reg' ? `${h.stmt}:${h.operand}:reg:${h.part ?? 'base'}` : `${h.stmt}:${h.operand}:imm`;
}

// ---------------------------------------------------------------------------------------------
// Reading a hole's current value
// ---------------------------------------------------------------------------------------------

/** The instruction a hole is in, or why it is not one. */
export function holeInstruction<I extends IsaName>(program: Program<I>, h: Hole): Instruction<I> | { error: string } {
  const s = program.statements[h.stmt];
  if (!s) return { error: `statement ${h.stmt} does not exist` };
  if (s.kind !== 'insn') return { error: `statement ${h.stmt} (line ${s.span.line}) is not an instruction` };
  return s;
}

/** The value of a constant expression; undefined when it names a symbol or relocation. */
export function constantValue(e: Expr): bigint | undefined {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'paren':
      return constantValue(e.inner);
    case 'unary': {
      const a = constantValue(e.arg);
      if (a === undefined) return undefined;
      return e.op === '-' ? -a : e.op === '~' ? ~a : e.op === '!' ? (a === 0n ? 1n : 0n) : a;
    }
    case 'binary': {
      const a = constantValue(e.left);
      const b = constantValue(e.right);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0n ? undefined : a / b;
        case '%':
          return b === 0n ? undefined : a % b;
        case '<<':
          return a << b;
        case '>>':
          return a >> b;
        case '&':
          return a & b;
        case '|':
          return a | b;
        case '^':
          return a ^ b;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The expression an immediate hole stands for (undefined: an absent offset, which reads as 0). */
function immExpr(op: Operand): { expr: Expr | undefined } | { error: string } {
  if (op.kind === 'imm') return { expr: op.expr };
  if (op.kind === 'mem') {
    if (op.index) return { error: 'a register-indexed memory operand has no offset' };
    if (op.mode === 'post') return op.post?.kind === 'imm' ? { expr: op.post.expr } : { error: 'the post-index increment is not an immediate' };
    return { expr: op.offset };
  }
  return { error: `operand is a ${op.kind}, not an immediate or memory operand` };
}

function regOf(op: Operand, part: 'base' | 'index' | undefined): Register | { error: string } {
  if (op.kind === 'reg') return part === undefined ? op.reg : { error: 'only memory operands have parts' };
  if (op.kind === 'mem') {
    if ((part ?? 'base') === 'base') return op.base;
    return op.index ? op.index.reg : { error: 'the memory operand has no index register' };
  }
  return { error: `operand is a ${op.kind}, not a register or memory operand` };
}

/** Why a hole cannot be filled in this program, or undefined when it can. */
export function checkHole(program: Program, h: Hole): string | undefined {
  const insn = holeInstruction(program, h);
  if ('error' in insn) return insn.error;
  if (h.kind === 'opcode') return undefined;
  const op = insn.operands[h.operand];
  if (!op) return `line ${insn.span.line}: '${insn.mnemonic}' has no operand ${h.operand}`;
  if (h.kind === 'reg') {
    const r = regOf(op, h.part);
    return 'error' in r ? `line ${insn.span.line}: ${r.error}` : undefined;
  }
  const e = immExpr(op);
  if ('error' in e) return `line ${insn.span.line}: ${e.error}`;
  if (e.expr !== undefined && constantValue(e.expr) === undefined) return `line ${insn.span.line}: the operand is symbolic, not a number`;
  if (!immDomain(insn, h.operand)) return `line ${insn.span.line}: no encodable range is known for operand ${h.operand + 1} of '${insn.mnemonic}'`;
  return undefined;
}

/** The value a hole has in `program` (call `checkHole` first). */
export function currentValue<H extends Hole>(program: Program, h: H): HoleValue<H> {
  const insn = holeInstruction(program, h);
  if ('error' in insn) throw new Error(insn.error);
  if (h.kind === 'opcode') return insn.mnemonic as HoleValue<H>;
  const op = insn.operands[h.operand]!;
  if (h.kind === 'reg') {
    const r = regOf(op, h.part);
    if ('error' in r) throw new Error(r.error);
    return r as HoleValue<H>;
  }
  const e = immExpr(op);
  if ('error' in e) throw new Error(e.error);
  return (e.expr === undefined ? 0n : constantValue(e.expr)!) as HoleValue<H>;
}

// ---------------------------------------------------------------------------------------------
// Candidate values of register and opcode holes
// ---------------------------------------------------------------------------------------------

/**
 * What AArch64 register number 31 means in an operand: sp (a memory base, the operands of
 * `add`/`sub` immediate), the zero register (most other places), or either (`mov`).
 */
function register31(insn: Instruction<'aarch64'>, h: RegHole): 'sp' | 'zr' | 'both' {
  const op = insn.operands[h.operand]!;
  if (op.kind === 'mem') return h.part === 'index' ? 'zr' : 'sp';
  const m = insn.mnemonic;
  const immLast = insn.operands[insn.operands.length - 1]?.kind === 'imm';
  if ((m === 'add' || m === 'sub') && immLast && h.operand <= 1) return 'sp';
  if ((m === 'adds' || m === 'subs') && immLast && h.operand === 1) return 'sp';
  if ((m === 'cmp' || m === 'cmn') && immLast && h.operand === 0) return 'sp';
  if (m === 'mov' && insn.operands.length === 2 && insn.operands[1]!.kind === 'reg') return 'both';
  return 'zr';
}

/**
 * The registers a register hole may take, the current one first: the other registers of the same
 * file and view (`w3` -> `w0`..`w30`, `d1` -> `d0`..`d31`). AArch64's register 31 is sp in some
 * operands and the zero register in the others; only the one the operand can encode is offered.
 */
export function registerCandidates<I extends IsaName>(program: Program<I>, h: RegHole): Register<I>[] {
  const current = currentValue(program, h) as Register<I>;
  const fe = frontEnd(program.isa);
  const names: string[] = [];
  if (program.isa === 'riscv64') {
    const prefix = current.file === 'fpr' ? 'f' : 'x';
    for (let i = 0; i < 32; i++) names.push(`${prefix}${i}`);
  } else if (current.file === 'gpr') {
    const v = current.width === 32 ? 'w' : 'x';
    for (let i = 0; i <= 30; i++) names.push(`${v}${i}`);
    const r31 = register31(program.statements[h.stmt] as Instruction<'aarch64'>, h);
    if (r31 !== 'zr') names.push(v === 'w' ? 'wsp' : 'sp');
    if (r31 !== 'sp') names.push(v === 'w' ? 'wzr' : 'xzr');
  } else {
    const prefix = current.file === 'vec' ? 'v' : current.name[0]!;
    for (let i = 0; i < 32; i++) names.push(`${prefix}${i}`);
  }
  const out: Register<I>[] = [current];
  const seen = new Set([current.name]);
  for (const n of names) {
    const r = fe.register(n);
    if (!r) continue;
    // The canonical spelling, so that filled code prints like the compiler's.
    const canon = fe.register(r.name) ?? r;
    if (seen.has(canon.name)) continue;
    seen.add(canon.name);
    out.push(canon);
  }
  return out;
}

/**
 * The mnemonics an opcode hole may take, the current one first: those alternatives that the
 * instruction table accepts with the instruction's operands and that transfer control the same
 * way (so the CFG, and with it the block correspondence, stays the same).
 */
export function opcodeCandidates<I extends IsaName>(program: Program<I>, h: OpcodeHole): string[] {
  const insn = program.statements[h.stmt] as Instruction<I>;
  const fe = frontEnd(program.isa);
  const info = fe.describe(insn);
  const control = isDescribeError(info) ? undefined : info.control;
  const out = [insn.mnemonic];
  for (const m of h.alternatives) {
    if (out.includes(m)) continue;
    const alt = fe.describe({ ...insn, mnemonic: m });
    if (isDescribeError(alt) || alt.control !== control) continue;
    out.push(m);
  }
  return out;
}

/** Mnemonic families the compilers use interchangeably-shaped instructions from (defaults for opcode holes). */
const FAMILIES: { readonly [I in IsaName]: readonly (readonly string[])[] } = {
  riscv64: [
    ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'],
    ['sb', 'sh', 'sw', 'sd'],
    ['flw', 'fld'],
    ['fsw', 'fsd'],
    ['addi', 'xori', 'ori', 'andi', 'slti', 'sltiu', 'addiw', 'slli', 'srli', 'srai', 'slliw', 'srliw', 'sraiw'],
    ['add', 'sub', 'and', 'or', 'xor', 'sll', 'srl', 'sra', 'slt', 'sltu', 'mul', 'mulh', 'mulhu', 'mulhsu', 'div', 'divu', 'rem', 'remu', 'addw', 'subw', 'sllw', 'srlw', 'sraw', 'mulw', 'divw', 'divuw', 'remw', 'remuw', 'sgt', 'sgtu'],
    ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'bgt', 'ble', 'bgtu', 'bleu'],
    ['beqz', 'bnez', 'blez', 'bgez', 'bltz', 'bgtz'],
    ['mv', 'not', 'neg', 'negw', 'sext.w', 'sext.b', 'sext.h', 'zext.b', 'zext.h', 'zext.w', 'seqz', 'snez', 'sltz', 'sgtz'],
    ['fadd.s', 'fsub.s', 'fmul.s', 'fdiv.s', 'fmin.s', 'fmax.s'],
    ['fadd.d', 'fsub.d', 'fmul.d', 'fdiv.d', 'fmin.d', 'fmax.d'],
    ['feq.s', 'flt.s', 'fle.s'],
    ['feq.d', 'flt.d', 'fle.d'],
  ],
  aarch64: [
    ['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'ldrsw'],
    ['ldur', 'ldurb', 'ldurh', 'ldursb', 'ldursh', 'ldursw'],
    ['str', 'strb', 'strh'],
    ['stur', 'sturb', 'sturh'],
    ['add', 'sub', 'and', 'orr', 'eor', 'bic', 'orn', 'eon', 'lsl', 'lsr', 'asr', 'ror', 'mul', 'sdiv', 'udiv', 'smulh', 'umulh', 'mneg'],
    ['adds', 'subs', 'ands', 'bics'],
    ['cmp', 'cmn', 'tst'],
    ['madd', 'msub'],
    ['sxtb', 'sxth', 'sxtw', 'uxtb', 'uxth', 'uxtw', 'mvn', 'neg'],
    ['cbz', 'cbnz'],
    ['tbz', 'tbnz'],
    ['cset', 'csetm'],
    ['csel', 'csinc', 'csinv', 'csneg'],
    ['fadd', 'fsub', 'fmul', 'fdiv', 'fmax', 'fmin', 'fnmul'],
    ['fmadd', 'fmsub', 'fnmadd', 'fnmsub'],
  ],
};

const AARCH64_CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];

/**
 * A default list of alternatives for an opcode hole: the mnemonics of the same family (loads with
 * loads, conditional branches with conditional branches, ...), without `mnemonic` itself.
 * `opcodeCandidates` still drops those that do not fit the operands.
 */
export function opcodeFamily(isa: IsaName, mnemonic: string): string[] {
  if (isa === 'aarch64') {
    const dotted = /^b\.([a-z]{2})$/.exec(mnemonic);
    const plain = /^b([a-z]{2})$/.exec(mnemonic);
    if ((dotted || plain) && AARCH64_CONDS.includes((dotted ?? plain)![1]!)) return AARCH64_CONDS.map((c) => (dotted ? `b.${c}` : `b${c}`)).filter((m) => m !== mnemonic);
  }
  const family = FAMILIES[isa].find((f) => f.includes(mnemonic));
  return family ? family.filter((m) => m !== mnemonic) : [];
}

// ---------------------------------------------------------------------------------------------
// Encodable immediates
// ---------------------------------------------------------------------------------------------

/** An arithmetic progression min, min+step, ..., max. */
export interface ImmRange {
  readonly min: bigint;
  readonly max: bigint;
  readonly step: bigint;
}

/** The values an immediate hole may take in its instruction (the encoding's field). */
export interface ImmDomain {
  /** For reports: `signed 12-bit`, `multiple of 8 in [0, 32760] or [-256, 255]`, ... */
  readonly what: string;
  /** Every encodable value as progressions; absent when the set is irregular (logical immediates). */
  readonly ranges?: readonly ImmRange[];
  /** Preferred distance between neighbouring candidates (the access size of a memory operand). */
  readonly stride: bigint;
  contains(v: bigint): boolean;
}

const inRanges = (ranges: readonly ImmRange[], v: bigint): boolean => ranges.some((r) => v >= r.min && v <= r.max && (v - r.min) % r.step === 0n);

function domain(what: string, ranges: readonly ImmRange[], stride = 1n, extra?: (v: bigint) => boolean): ImmDomain {
  return { what, ranges, stride, contains: (v) => inRanges(ranges, v) || (extra?.(v) ?? false) };
}

const signed = (bits: number, step = 1n): ImmRange => ({ min: -(1n << BigInt(bits - 1)) * step, max: ((1n << BigInt(bits - 1)) - 1n) * step, step });
const unsigned = (max: bigint, step = 1n, min = 0n): ImmRange => ({ min, max, step });

/**
 * True when `v` is an AArch64 logical (bitmask) immediate for a `width`-bit operation: a
 * repetition of an element of 2..width bits that is a rotated run of ones.
 */
export function isLogicalImmediate(v: bigint, width: 32 | 64): boolean {
  const all = (1n << BigInt(width)) - 1n;
  const x = BigInt.asUintN(width, v);
  if (width === 32 && (v > all || v < -(1n << 31n))) return false;
  if (x === 0n || x === all) return false;
  let size: number = width;
  while (size > 2) {
    const half = size / 2;
    const m = (1n << BigInt(half)) - 1n;
    if (((x >> BigInt(half)) & m) !== (x & m)) break;
    size = half;
  }
  const elem = x & ((1n << BigInt(size)) - 1n);
  // A rotated run of ones has exactly two boundaries between ones and zeros, cyclically.
  let changes = 0;
  for (let i = 0; i < size; i++) if (((elem >> BigInt(i)) & 1n) !== ((elem >> BigInt((i + 1) % size)) & 1n)) changes++;
  return changes === 2;
}

/** True when `mov` can materialise `v` in one instruction (movz, movn or a logical immediate). */
function isMovImmediate(v: bigint, width: 32 | 64): boolean {
  const x = BigInt.asUintN(width, v);
  if (width === 32 && (v > 0xffffffffn || v < -(1n << 31n))) return false;
  const chunks = (y: bigint): boolean => {
    for (let s = 0n; s < BigInt(width); s += 16n) if ((y & ~(0xffffn << s) & ((1n << BigInt(width)) - 1n)) === 0n) return true;
    return false;
  };
  return chunks(x) || chunks(BigInt.asUintN(width, ~x)) || isLogicalImmediate(x, width);
}

const RISCV_LOADS_STORES = new Set(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu', 'sb', 'sh', 'sw', 'sd', 'flw', 'fld', 'fsw', 'fsd', 'jr', 'jalr']);
const RISCV_ACCESS: Readonly<Record<string, bigint>> = { lb: 1n, lbu: 1n, sb: 1n, lh: 2n, lhu: 2n, sh: 2n, lw: 4n, lwu: 4n, sw: 4n, flw: 4n, fsw: 4n, ld: 8n, sd: 8n, fld: 8n, fsd: 8n };
const RISCV_I12 = new Set(['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw', 'add', 'and', 'or', 'xor', 'slt', 'sltu', 'addw', 'jr', 'jalr']);
const RISCV_SHIFT64 = new Set(['slli', 'srli', 'srai', 'sll', 'srl', 'sra']);
const RISCV_SHIFT32 = new Set(['slliw', 'srliw', 'sraiw', 'sllw', 'srlw', 'sraw']);
const RISCV_UIMM5 = new Set(['csrwi', 'csrsi', 'csrci', 'csrrwi', 'csrrsi', 'csrrci', 'fsflagsi', 'fsrmi']);

function riscvDomain(insn: Instruction<'riscv64'>, operand: number): ImmDomain | undefined {
  const m = insn.mnemonic;
  const op = insn.operands[operand];
  if (op?.kind === 'mem') {
    if (!RISCV_LOADS_STORES.has(m)) return undefined;
    return domain('signed 12-bit offset', [signed(12)], RISCV_ACCESS[m] ?? 1n);
  }
  if (op?.kind !== 'imm') return undefined;
  if (RISCV_I12.has(m)) return domain('signed 12-bit', [signed(12)]);
  if (RISCV_SHIFT64.has(m)) return domain('shift amount 0..63', [unsigned(63n)]);
  if (RISCV_SHIFT32.has(m)) return domain('shift amount 0..31', [unsigned(31n)]);
  if (m === 'lui' || m === 'auipc') return domain('unsigned 20-bit', [unsigned(0xfffffn)]);
  if (m === 'li') return domain('64-bit', [signed(64)]);
  if (RISCV_UIMM5.has(m)) return domain('unsigned 5-bit', [unsigned(31n)]);
  return undefined;
}

/** Bytes accessed per register by an AArch64 load or store, or undefined. */
function aarch64Access(insn: Instruction<'aarch64'>): bigint | undefined {
  const m = insn.mnemonic;
  const first = insn.operands[0];
  const regBytes = first?.kind === 'reg' ? BigInt(first.reg.width / 8) : undefined;
  if (/^(ld|st)(u?r|tr|apu?r|lu?r)b$|^ld(u?r|tr|apur)sb$|^prfu?m$/.test(m)) return m.startsWith('prf') ? 8n : 1n;
  if (/^(ld|st)(u?r|tr|apu?r|lu?r)h$|^ld(u?r|tr|apur)sh$/.test(m)) return 2n;
  if (/^ld(u?r|tr|apur)sw$|^ldpsw$/.test(m)) return 4n;
  if (/^(ldr|str|ldur|stur|ldtr|sttr|ldp|stp|ldnp|stnp|ldapur|stlur)$/.test(m)) return regBytes;
  return undefined;
}

function aarch64Domain(insn: Instruction<'aarch64'>, operand: number): ImmDomain | undefined {
  const m = insn.mnemonic;
  const op = insn.operands[operand];
  const first = insn.operands[0];
  const w: 32 | 64 = first?.kind === 'reg' && first.reg.width === 32 ? 32 : 64;
  if (op?.kind === 'mem') {
    const size = aarch64Access(insn);
    if (size === undefined) return undefined;
    const unscaled = { min: -256n, max: 255n, step: 1n };
    if (/^(ldp|stp|ldnp|stnp|ldpsw)$/.test(m)) return domain(`multiple of ${size} in [${-64n * size}, ${63n * size}]`, [signed(7, size)], size);
    // The unscaled and unprivileged forms have only the signed 9-bit offset, and no writeback.
    if (/^(ld|st)(ur|tr|apur|lur)/.test(m)) return op.mode === 'offset' ? domain('signed 9-bit', [unscaled], size) : undefined;
    if (op.mode !== 'offset') return domain('signed 9-bit', [unscaled], size);
    // `ldr` with an offset that does not scale is assembled as `ldur`.
    return domain(`multiple of ${size} in [0, ${4095n * size}] or [-256, 255]`, [unsigned(4095n * size, size), unscaled], size);
  }
  if (op?.kind !== 'imm') return undefined;
  const gpr = first?.kind === 'reg' && first.reg.file === 'gpr';
  if (/^(add|sub|adds|subs|cmp|cmn)$/.test(m) && gpr) {
    if (op.modifier) return domain('unsigned 12-bit', [unsigned(4095n)]);
    return domain('unsigned 12-bit, optionally shifted by 12', [unsigned(4095n), unsigned(4095n << 12n, 4096n, 4096n)]);
  }
  if (/^(and|orr|eor|ands|tst)$/.test(m) && gpr) return { what: `${w}-bit logical immediate`, stride: 1n, contains: (v) => isLogicalImmediate(v, w) };
  if (m === 'mov' && gpr) return domain('mov immediate', [unsigned(0xffffn, 1n, -0x10000n)], 1n, (v) => isMovImmediate(v, w));
  if (/^(movz|movn|movk|svc|brk|hlt|udf)$/.test(m)) return domain('unsigned 16-bit', [unsigned(0xffffn)]);
  if (/^(lsl|lsr|asr|ror)$/.test(m) && gpr) return domain(`shift amount 0..${w - 1}`, [unsigned(BigInt(w - 1))]);
  if (/^(ubfx|sbfx|ubfiz|sbfiz|bfi|bfxil)$/.test(m)) return operand === 2 ? domain('bit position', [unsigned(BigInt(w - 1))]) : domain('field width', [unsigned(BigInt(w), 1n, 1n)]);
  if (/^(ubfm|sbfm|bfm)$/.test(m) || (m === 'extr' && operand === 3)) return domain('bit position', [unsigned(BigInt(w - 1))]);
  if (m === 'bfc') return operand === 1 ? domain('bit position', [unsigned(BigInt(w - 1))]) : domain('field width', [unsigned(BigInt(w), 1n, 1n)]);
  if (m === 'tbz' || m === 'tbnz') return domain('bit number', [unsigned(BigInt(w - 1))]);
  if (m === 'ccmp' || m === 'ccmn') return operand === 1 ? domain('unsigned 5-bit', [unsigned(31n)]) : domain('flags 0..15', [unsigned(15n)]);
  return undefined;
}

/**
 * The encodable values of immediate operand `operand` of `insn`, or undefined when the table
 * does not know the field (the hole is then refused rather than filled with something the
 * assembler might reject).
 */
export function immDomain(insn: Instruction, operand: number): ImmDomain | undefined {
  return insn.isa === 'riscv64' ? riscvDomain(insn as Instruction<'riscv64'>, operand) : aarch64Domain(insn as Instruction<'aarch64'>, operand);
}

// ---------------------------------------------------------------------------------------------
// Substitution
// ---------------------------------------------------------------------------------------------

/** A number literal as the parser builds it (negative numbers are a unary minus). */
export function numberExpr(v: bigint): Expr {
  const num = (x: bigint): Expr => ({ kind: 'num', value: x, text: x.toString() });
  return v < 0n ? { kind: 'unary', op: '-', arg: num(-v) } : num(v);
}

function withImm(op: Operand, v: bigint): Operand {
  if (op.kind === 'imm') return { ...op, expr: numberExpr(v) };
  const mem = op as MemOperand;
  if (mem.mode === 'post') return { ...mem, post: { ...(mem.post as Extract<Operand, { kind: 'imm' }>), expr: numberExpr(v) } };
  // gcc writes `[x0]`, not `[x0, 0]`, on AArch64 (and `0(a5)` on RISC-V).
  if (v === 0n && mem.mode === 'offset' && mem.base.isa === 'aarch64') {
    const { offset: _offset, hash: _hash, ...rest } = mem;
    return rest;
  }
  return { ...mem, offset: numberExpr(v) };
}

function withReg(op: Operand, part: 'base' | 'index' | undefined, r: Register): Operand {
  if (op.kind === 'reg') return { ...op, reg: r };
  const mem = op as MemOperand;
  if ((part ?? 'base') === 'base') return { ...mem, base: r };
  return { ...mem, index: { ...mem.index!, reg: r } };
}

/** `insn` with one fill applied; the same object when the value is the current one. */
export function fillInstruction<I extends IsaName>(insn: Instruction<I>, fill: Fill): Instruction<I> {
  const h = fill.hole;
  if (h.kind === 'opcode') return fill.value === insn.mnemonic ? insn : { ...insn, mnemonic: fill.value as string };
  const op = insn.operands[h.operand]!;
  let next: Operand;
  if (h.kind === 'reg') {
    const r = fill.value as Register;
    const cur = regOf(op, h.part) as Register;
    // Same register in the same spelling: keep the operand, so the instruction prints as before.
    if (cur.name === r.name && cur.isa === r.isa) return insn;
    next = withReg(op, h.part, r);
  } else {
    const v = fill.value as bigint;
    const e = immExpr(op);
    const cur = 'error' in e ? undefined : e.expr === undefined ? 0n : constantValue(e.expr);
    if (cur === v) return insn;
    next = withImm(op, v);
  }
  const operands = insn.operands.slice() as Operand<I>[];
  operands[h.operand] = next as Operand<I>;
  return { ...insn, operands };
}

/**
 * A copy of `program` with the fills applied. The input is not changed; statements without a
 * fill are shared with it, so that a copy costs one array.
 */
export function fillProgram<I extends IsaName>(program: Program<I>, fills: readonly Fill[]): Program<I> {
  if (fills.length === 0) return program;
  const statements = program.statements.slice() as Statement<I>[];
  for (const f of fills) {
    const s = statements[f.hole.stmt];
    if (!s || s.kind !== 'insn') throw new Error(`hole at statement ${f.hole.stmt}: not an instruction`);
    statements[f.hole.stmt] = fillInstruction(s, f);
  }
  return { ...program, statements };
}

/**
 * Why a filled instruction could not be assembled, or undefined: the table must accept its
 * operands, and every immediate hole in it must hold an encodable value.
 */
export function encodingProblem(insn: Instruction, holes: readonly Hole[]): string | undefined {
  const info = frontEnd(insn.isa).describe(insn as never);
  if (isDescribeError(info)) return info.error;
  if (insn.isa === 'aarch64') {
    const problem = unpredictable(insn as Instruction<'aarch64'>);
    if (problem) return problem;
  }
  for (const h of holes) {
    if (h.kind !== 'imm') continue;
    const dom = immDomain(insn, h.operand);
    const e = immExpr(insn.operands[h.operand]!);
    const v = 'error' in e ? undefined : e.expr === undefined ? 0n : constantValue(e.expr);
    if (!dom || v === undefined || !dom.contains(v)) return `operand ${h.operand + 1} of '${insn.mnemonic}' is not ${dom ? `a ${dom.what}` : 'encodable'}`;
  }
  return undefined;
}

/**
 * AArch64 register choices the architecture leaves CONSTRAINED UNPREDICTABLE (GNU as warns or
 * refuses): a load pair into one register twice, and writeback to a base that is also loaded or
 * stored.
 */
function unpredictable(insn: Instruction<'aarch64'>): string | undefined {
  const regs = insn.operands.flatMap((op) => (op.kind === 'reg' && !op.reg.zero ? [op.reg.id] : []));
  const mem = insn.operands.find((op): op is MemOperand<'aarch64'> => op.kind === 'mem');
  if (/^ld(n?p|psw|a?xp)$/.test(insn.mnemonic) && regs.length >= 2 && regs[0] === regs[1]) return `'${insn.mnemonic}' loads ${regs[0]} twice`;
  if (mem && mem.mode !== 'offset' && mem.base.id !== 'sp' && regs.includes(mem.base.id)) return `'${insn.mnemonic}' writes back to ${mem.base.name}, which it also transfers`;
  return undefined;
}

/** A hole for reports: `line 21 lw a5,-24(s0), operand 2 (imm)`. */
export function showHole(program: Program, h: Hole): string {
  const insn = program.statements[h.stmt];
  if (!insn || insn.kind !== 'insn') return `statement ${h.stmt}`;
  const text = frontEnd(program.isa).printInstruction(insn as never, true).replace(/\t/, ' ');
  const where = h.kind === 'opcode' ? 'mnemonic' : `operand ${h.operand + 1}${h.kind === 'reg' && h.part === 'index' ? ' index' : ''}`;
  return `line ${insn.span.line} \`${text}\`, ${where} (${h.kind})`;
}

/** A hole's value for reports. */
export function showValue(v: bigint | Register | string): string {
  return typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? v : v.name;
}
