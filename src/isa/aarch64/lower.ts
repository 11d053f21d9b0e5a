// Lowering of AArch64 `Instruction` syntax nodes to IR operands, and the printer back to GNU as
// text. The grammar leaves every identifier a Symbol; here each one becomes a register (with its
// vector arrangement), a shift/extend modifier of the operand before it, a keyword (condition
// code, prefetch operation, barrier option, system register) where the mnemonic takes one, or a
// symbol. A memory operand followed by one more operand is post-indexed (`[sp], 32`).

import type { SyntaxNode } from '@lezer/common';
import type { Expr, FpImmOperand, ImmOperand, Instruction, MemOperand, Modifier, Operand, Register, RegOperand } from '../../ir/program.js';
import { printExpr } from '../../asm/print.js';
import { hasBareSymbol } from '../../ir/expr.js';
import { isExprNode } from '../../asm/parse.js';
import { isLowerFailure, type LowerContext, type LowerFailure } from '../types.js';
import { aarch64Register, ARRANGEMENTS } from './registers.js';

// ---------------------------------------------------------------------------------------------
// Keyword sets
// ---------------------------------------------------------------------------------------------

/** Condition codes (with the `hs`/`lo` aliases of `cs`/`cc`). */
export const CONDITIONS: ReadonlySet<string> = new Set([
  'eq', 'ne', 'cs', 'hs', 'cc', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv',
]);

/** Shift operators (`lsl #3`, `msl #8` for `movi`). */
const SHIFTS: ReadonlySet<string> = new Set(['lsl', 'lsr', 'asr', 'ror', 'msl']);
/** Extend operators; they may stand without an amount (`add x0, sp, w1, uxtw`). */
const EXTENDS: ReadonlySet<string> = new Set(['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx']);

/** Relocation operators GNU as knows for AArch64 (`:lo12:sym`), from tc-aarch64.c. */
export const RELOC_OPERATORS: ReadonlySet<string> = new Set([
  'lo12', 'pg_hi21', 'pg_hi21_nc', 'abs_g0', 'abs_g0_s', 'abs_g0_nc', 'abs_g1', 'abs_g1_s', 'abs_g1_nc', 'abs_g2',
  'abs_g2_s', 'abs_g2_nc', 'abs_g3', 'prel_g0', 'prel_g0_nc', 'prel_g1', 'prel_g1_nc', 'prel_g2', 'prel_g2_nc',
  'prel_g3', 'got', 'got_lo12', 'gotoff_g0_nc', 'gotoff_g1', 'gotoff_lo15', 'gottprel_g0_nc', 'gottprel_g1',
  'tlsgd', 'tlsgd_lo12', 'tlsgd_g0_nc', 'tlsgd_g1', 'tlsdesc', 'tlsdesc_lo12', 'tlsldm', 'tlsldm_lo12_nc',
  'dtprel_lo12', 'dtprel_lo12_nc', 'dtprel_hi12', 'dtprel_g0', 'dtprel_g0_nc', 'dtprel_g1', 'dtprel_g1_nc',
  'dtprel_g2', 'tlsdesc_off_g0_nc', 'tlsdesc_off_g1', 'gottprel', 'gottprel_lo12', 'tprel', 'tprel_lo12',
  'tprel_hi12', 'tprel_lo12_nc', 'tprel_g2', 'tprel_g1', 'tprel_g1_nc', 'tprel_g0', 'tprel_g0_nc', 'gotpage_lo15',
  'gotpage_lo14',
]);

const BARRIER_OPTIONS: ReadonlySet<string> = new Set([
  'sy', 'st', 'ld', 'ish', 'ishst', 'ishld', 'nsh', 'nshst', 'nshld', 'osh', 'oshst', 'oshld',
]);

/** Whether `text` (lower case) is a keyword operand of `mnemonic` at operand `index` of `count`. */
function isKeyword(mnemonic: string, text: string, index: number, count: number): boolean {
  switch (mnemonic) {
    case 'csel': case 'csinc': case 'csinv': case 'csneg': case 'cset': case 'csetm': case 'cinc': case 'cinv':
    case 'cneg': case 'ccmp': case 'ccmn': case 'fcsel': case 'fccmp': case 'fccmpe':
      return index === count - 1 && CONDITIONS.has(text);
    case 'prfm': case 'prfum':
      return index === 0 && /^(pld|pli|pst)l[123](keep|strm)$/.test(text);
    case 'dmb': case 'dsb':
      return BARRIER_OPTIONS.has(text);
    case 'isb':
      return text === 'sy';
    case 'bti':
      return text === 'c' || text === 'j' || text === 'jc';
    case 'mrs':
      return index === 1 && /^[a-z][a-z0-9_]*$/.test(text);
    case 'msr':
      return index === 0 && /^[a-z][a-z0-9_]*$/.test(text);
    case 'dc': case 'ic': case 'at': case 'tlbi':
      return index === 0 && /^[a-z][a-z0-9]*$/.test(text);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

const MIN_IMM = -(1n << 63n);
const LIMIT_IMM = 1n << 64n;

/** Finds what GNU as rejects in an expression: a literal outside [-2^63, 2^64) or an unknown
 * relocation operator. */
function badExpr(e: Expr): string | undefined {
  switch (e.kind) {
    case 'num':
      return e.value >= LIMIT_IMM ? `immediate '${e.text}' out of range` : undefined;
    case 'sym':
      return undefined;
    case 'unary':
      if (e.op === '-' && e.arg.kind === 'num') return -e.arg.value < MIN_IMM ? `immediate '-${e.arg.text}' out of range` : undefined;
      return badExpr(e.arg);
    case 'binary':
      return badExpr(e.left) ?? badExpr(e.right);
    case 'paren':
      return badExpr(e.inner);
    case 'reloc':
      if (e.style !== 'colon' || !RELOC_OPERATORS.has(e.op)) return `unknown relocation operator ':${e.op}:'`;
      return badExpr(e.arg);
  }
}

function lowerExpr(node: SyntaxNode, cx: LowerContext): Expr | LowerFailure {
  const e = cx.expr(node);
  if (isLowerFailure(e)) return e;
  const bad = badExpr(e);
  return bad === undefined ? e : { failure: bad, node };
}

// ---------------------------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------------------------

/**
 * A register operand from its spelling: `x0`, `w1`, `d2`, `v3.4s`, `v3.s` (lane given apart).
 * Returns undefined when the text is not a register.
 */
export function registerOperand(text: string): RegOperand<'aarch64'> | undefined {
  const dot = text.indexOf('.');
  if (dot < 0) {
    const reg = aarch64Register(text);
    return reg ? { kind: 'reg', reg } : undefined;
  }
  const reg = aarch64Register(text.slice(0, dot));
  const arrangement = text.slice(dot + 1);
  if (!reg || reg.file !== 'vec' || !ARRANGEMENTS.has(arrangement.toLowerCase())) return undefined;
  return { kind: 'reg', reg, arrangement };
}

const MAX_LANE = 15;

function laneOf(node: SyntaxNode | null, cx: LowerContext): number | LowerFailure {
  const num = node?.getChild('Number');
  if (!node || !num) return { failure: 'missing lane index', node: node! };
  const text = cx.slice(num);
  const value = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= MAX_LANE)) return { failure: `lane index '${text}' out of range`, node: num };
  return value;
}

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

/** What one syntax node lowers to before post-processing: an operand, or a modifier for the
 * operand before it. */
type Piece = Operand<'aarch64'> | { readonly kind: 'modifier'; readonly modifier: Modifier; readonly node: SyntaxNode };

function lowerShift(node: SyntaxNode, cx: LowerContext): Piece | LowerFailure {
  // Children: the amount only (the operator is an anonymous token before it).
  const amountNode = node.lastChild!;
  const opText = cx.text.slice(node.from, amountNode.from).trim();
  const op = opText.toLowerCase();
  if (!SHIFTS.has(op) && !EXTENDS.has(op)) return { failure: `unknown shift or extend '${opText}'`, node };
  const hash = amountNode.name === 'Immediate';
  const exprNode = hash ? amountNode.lastChild! : amountNode;
  const amount = lowerExpr(exprNode, cx);
  if (isLowerFailure(amount)) return amount;
  if (amount.kind === 'num' && amount.value > 64n) return { failure: `shift amount '${amount.text}' out of range`, node: exprNode };
  return { kind: 'modifier', modifier: { op: opText, amount, hash }, node };
}

function lowerFpImm(node: SyntaxNode, cx: LowerContext): FpImmOperand | LowerFailure {
  const written = cx.slice(node);
  const hash = written.startsWith('#');
  const text = written.replace(/^#\s*/, '').replace(/\s+/g, '');
  const value = Number(text);
  if (!Number.isFinite(value) || text.startsWith('~')) return { failure: `bad floating-point immediate '${text}'`, node };
  return { kind: 'fpimm', value, text, hash };
}

/**
 * Operand positions that GNU as reads as an address expression, where a register name is just a
 * symbol (C functions and variables may be called `s1`, `fp` or `x0`): branch and call targets,
 * `adr`/`adrp` and literal loads.
 */
function isAddressPosition(mnemonic: string, index: number): boolean {
  switch (mnemonic) {
    case 'b':
    case 'bl':
      return index === 0;
    case 'cbz':
    case 'cbnz':
    case 'adr':
    case 'adrp':
    case 'ldr':
    case 'ldrsw':
    case 'prfm':
      return index === 1;
    case 'tbz':
    case 'tbnz':
      return index === 2;
    default:
      return index === 0 && mnemonic.charCodeAt(0) === 0x62 /* b */ && CONDITIONS.has(mnemonic.slice(mnemonic[1] === '.' ? 2 : 1));
  }
}

function lowerSymbolLike(node: SyntaxNode, cx: LowerContext, mnemonic: string, index: number, count: number): Piece | LowerFailure {
  const text = cx.slice(node);
  if (isAddressPosition(mnemonic, index)) return { kind: 'sym', expr: { kind: 'sym', name: text } };
  const reg = registerOperand(text);
  if (reg) return reg;
  const lower = text.toLowerCase();
  if (EXTENDS.has(lower)) return { kind: 'modifier', modifier: { op: text }, node };
  if (isKeyword(mnemonic, lower, index, count)) return { kind: 'name', text };
  return { kind: 'sym', expr: { kind: 'sym', name: text } };
}

/** The operand nodes inside a bracket, or a failure when the bracket was left open. */
function bracketParts(node: SyntaxNode, close: string): { parts: SyntaxNode[]; lane: SyntaxNode | null; pre: boolean } | LowerFailure {
  const parts: SyntaxNode[] = [];
  let lane: SyntaxNode | null = null;
  let pre = false;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    switch (c.name) {
      case 'Unclosed':
        return { failure: `missing '${close}'`, node };
      case '!':
        pre = true;
        break;
      case 'LaneIndex':
        lane = c;
        break;
      case 'Comment':
        break;
      default:
        parts.push(c);
    }
  }
  return { parts, lane, pre };
}

function lowerMemory(node: SyntaxNode, cx: LowerContext): MemOperand<'aarch64'> | LowerFailure {
  const b = bracketParts(node, ']');
  if (isLowerFailure(b)) return b;
  const { parts, pre } = b;
  const baseNode = parts[0]!;
  const base = baseNode.name === 'Symbol' ? aarch64Register(cx.slice(baseNode)) : undefined;
  if (!base || base.file !== 'gpr' || base.width !== 64 || base.zero) {
    return { failure: `expected a 64-bit base register, got '${cx.slice(baseNode)}'`, node: baseNode };
  }
  let mem: { -readonly [K in keyof MemOperand<'aarch64'>]: MemOperand<'aarch64'>[K] } = { kind: 'mem', base, mode: pre ? 'pre' : 'offset' };
  const second = parts[1];
  if (second) {
    const reg = second.name === 'Symbol' ? registerOperand(cx.slice(second)) : undefined;
    if (reg) {
      if (reg.reg.file !== 'gpr' || reg.reg.id === 'sp') return { failure: `bad index register '${cx.slice(second)}'`, node: second };
      let index: RegOperand<'aarch64'> = reg;
      const third = parts[2];
      if (third) {
        const m = third.name === 'Shift' ? lowerShift(third, cx) : third.name === 'Symbol' ? lowerSymbolLike(third, cx, '', 2, 3) : undefined;
        if (m === undefined || isLowerFailure(m) || m.kind !== 'modifier') {
          return m !== undefined && isLowerFailure(m) ? m : { failure: `expected a shift or extend, got '${cx.slice(third)}'`, node: third };
        }
        index = { ...index, modifier: m.modifier };
      }
      if (parts.length > 3) return { failure: 'too many parts in memory operand', node: parts[3]! };
      mem = { ...mem, index };
    } else {
      const hash = second.name === 'Immediate';
      const exprNode = hash ? second.lastChild! : second;
      if (!hash && !isExprNode(second)) return { failure: `unexpected '${cx.slice(second)}' in memory operand`, node: second };
      const offset = lowerExpr(exprNode, cx);
      if (isLowerFailure(offset)) return offset;
      // GNU as needs a constant or a relocation operator here (`:lo12:sym`), as for immediates.
      if (hasBareSymbol(offset)) return { failure: `symbol used as an offset: '${cx.slice(exprNode)}'`, node: exprNode };
      if (parts.length > 2) return { failure: 'too many parts in memory operand', node: parts[2]! };
      mem = { ...mem, offset, hash };
    }
  }
  return mem;
}

function lowerRegList(node: SyntaxNode, cx: LowerContext): Operand<'aarch64'> | LowerFailure {
  const b = bracketParts(node, '}');
  if (isLowerFailure(b)) return b;
  const regs: RegOperand<'aarch64'>[] = [];
  let lane: number | undefined;
  if (b.lane) {
    const l = laneOf(b.lane, cx);
    if (isLowerFailure(l)) return l;
    lane = l;
  }
  for (const c of b.parts) {
    if (c.name === 'Symbol') {
      const r = registerOperand(cx.slice(c));
      if (!r || r.reg.file !== 'vec' || r.arrangement === undefined) return { failure: `expected a vector register, got '${cx.slice(c)}'`, node: c };
      regs.push(r);
    } else if (c.name === 'BinaryExpr' && c.firstChild?.name === 'Symbol' && c.lastChild?.name === 'Symbol' && cx.slice(c.firstChild.nextSibling!) === '-') {
      // A range `v0.16b - v3.16b`, expanded (registers wrap around from v31 to v0).
      const first = registerOperand(cx.slice(c.firstChild));
      const last = registerOperand(cx.slice(c.lastChild));
      if (!first || !last || first.reg.file !== 'vec' || last.reg.file !== 'vec' || first.arrangement === undefined || first.arrangement.toLowerCase() !== last.arrangement?.toLowerCase()) {
        return { failure: `bad register range '${cx.slice(c)}'`, node: c };
      }
      const from = Number(first.reg.id.slice(1));
      const to = Number(last.reg.id.slice(1));
      const n = ((to - from + 32) % 32) + 1;
      if (n < 2 || n > 4) return { failure: `bad register range '${cx.slice(c)}'`, node: c };
      const upper = first.reg.spelling !== first.reg.spelling.toLowerCase();
      for (let i = 0; i < n; i++) {
        const name = `${upper ? 'V' : 'v'}${(from + i) % 32}`;
        regs.push({ kind: 'reg', reg: aarch64Register(name)!, arrangement: first.arrangement });
      }
    } else {
      return { failure: `expected a vector register, got '${cx.slice(c)}'`, node: c };
    }
  }
  if (regs.length === 0 || regs.length > 4) return { failure: 'a register list holds one to four registers', node };
  return lane === undefined ? { kind: 'reglist', regs } : { kind: 'reglist', regs, lane };
}

function lowerPiece(node: SyntaxNode, cx: LowerContext, mnemonic: string, index: number, count: number): Piece | LowerFailure {
  switch (node.name) {
    case 'Symbol':
      return lowerSymbolLike(node, cx, mnemonic, index, count);
    case 'Immediate': {
      const e = lowerExpr(node.lastChild!, cx);
      return isLowerFailure(e) ? e : { kind: 'imm', expr: e, hash: true };
    }
    case 'FpImmediate':
      return lowerFpImm(node, cx);
    case 'Memory':
      return lowerMemory(node, cx);
    case 'RegList':
      return lowerRegList(node, cx);
    case 'VecLane': {
      const laneNode = node.getChild('LaneIndex');
      const text = cx.text.slice(node.from, laneNode ? laneNode.from : node.to).trim();
      const reg = registerOperand(text);
      if (!reg || reg.reg.file !== 'vec') return { failure: `expected a vector register, got '${text}'`, node };
      const lane = laneOf(laneNode, cx);
      return isLowerFailure(lane) ? lane : { ...reg, lane };
    }
    case 'Shift':
      return lowerShift(node, cx);
    case 'Number':
    case 'UnaryExpr':
    case 'BinaryExpr':
    case 'ParenExpr':
    case 'Reloc': {
      const e = lowerExpr(node, cx);
      if (isLowerFailure(e)) return e;
      return hasBareSymbol(e) ? { kind: 'sym', expr: e } : { kind: 'imm', expr: e, hash: false };
    }
    default:
      return { failure: `unexpected '${cx.slice(node)}'`, node };
  }
}

/** Lowers an `Instruction` node: `Mnemonic`, then one node per operand. Never throws. */
export function lowerAarch64(node: SyntaxNode, cx: LowerContext): Instruction<'aarch64'> | LowerFailure {
  const mnemonicNode = node.firstChild;
  if (!mnemonicNode || mnemonicNode.name !== 'Mnemonic') return { failure: 'missing mnemonic', node };
  const mnemonic = cx.slice(mnemonicNode).toLowerCase();
  const nodes: SyntaxNode[] = [];
  // Comments are skipped tokens and may sit between operands (`/* ... */`).
  for (let c = mnemonicNode.nextSibling; c; c = c.nextSibling) if (c.name !== 'Comment') nodes.push(c);
  const operands: Operand<'aarch64'>[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const piece = lowerPiece(n, cx, mnemonic, i, nodes.length);
    if (isLowerFailure(piece)) return piece;
    if (piece.kind === 'modifier') {
      // `x2, lsl 3` / `w1, sxtw` / `0x12, lsl 16`: the modifier belongs to the operand before it.
      const prev = operands[operands.length - 1];
      if (!prev || (prev.kind !== 'reg' && prev.kind !== 'imm') || prev.modifier !== undefined || (prev.kind === 'reg' && prev.lane !== undefined)) {
        return { failure: `unexpected '${cx.slice(n)}'`, node: n };
      }
      operands[operands.length - 1] = { ...prev, modifier: piece.modifier };
      continue;
    }
    operands.push(piece);
  }
  // `[base], post`: a memory operand followed by one more operand is post-indexed.
  const memAt = operands.findIndex((o) => o.kind === 'mem');
  if (memAt >= 0 && memAt < operands.length - 1) {
    const mem = operands[memAt] as MemOperand<'aarch64'>;
    const post = operands[memAt + 1]!;
    const postNode = nodes[nodes.length - 1]!;
    if (memAt !== operands.length - 2 || mem.mode !== 'offset' || mem.offset !== undefined || mem.index !== undefined) {
      return { failure: 'unexpected operand after a memory operand', node: postNode };
    }
    if (!((post.kind === 'imm' && post.modifier === undefined) || (post.kind === 'reg' && post.reg.file === 'gpr' && post.reg.width === 64 && post.modifier === undefined && !post.reg.zero && post.reg.id !== 'sp'))) {
      return { failure: `bad post-index increment '${cx.slice(postNode)}'`, node: postNode };
    }
    operands.splice(memAt, 2, { ...mem, mode: 'post', post: post as ImmOperand | RegOperand<'aarch64'> });
  }
  return { kind: 'insn', isa: 'aarch64', mnemonic, operands, span: cx.span(node), section: 0 };
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

function regName(reg: Register<'aarch64'>, canonical: boolean): string {
  return canonical ? reg.name : reg.spelling;
}

function printModifier(m: Modifier, canonical: boolean): string {
  const op = canonical ? m.op.toLowerCase() : m.op;
  if (m.amount === undefined) return op;
  return `${op} ${m.hash && !canonical ? '#' : ''}${printExpr(m.amount, canonical)}`;
}

function printReg(op: RegOperand<'aarch64'>, canonical: boolean): string {
  let s = regName(op.reg, canonical);
  if (op.arrangement !== undefined) s += '.' + (canonical ? op.arrangement.toLowerCase() : op.arrangement);
  if (op.lane !== undefined) s += `[${op.lane}]`;
  if (op.modifier) s += ', ' + printModifier(op.modifier, canonical);
  return s;
}

function printImm(op: ImmOperand, canonical: boolean): string {
  const s = (op.hash && !canonical ? '#' : '') + printExpr(op.expr, canonical);
  return op.modifier ? `${s}, ${printModifier(op.modifier, canonical)}` : s;
}

/** A canonical spelling of an FP immediate that GNU as reads back to the same value. */
function printFpValue(value: number): string {
  const s = String(value);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function printOperand(op: Operand<'aarch64'>, canonical: boolean): string {
  switch (op.kind) {
    case 'reg':
      return printReg(op, canonical);
    case 'imm':
      return printImm(op, canonical);
    case 'fpimm':
      return canonical ? printFpValue(op.value) : (op.hash ? '#' : '') + op.text;
    case 'sym':
      return printExpr(op.expr, canonical);
    case 'name':
      return canonical ? op.text.toLowerCase() : op.text;
    case 'mem': {
      let s = '[' + regName(op.base, canonical);
      if (op.index) s += ', ' + printReg(op.index, canonical);
      else if (op.offset) s += ', ' + (op.hash && !canonical ? '#' : '') + printExpr(op.offset, canonical);
      s += ']';
      if (op.mode === 'pre') s += '!';
      else if (op.mode === 'post' && op.post) s += ', ' + printOperand(op.post, canonical);
      return s;
    }
    case 'reglist': {
      // gcc writes lists of two or more registers as a range, `{v0.16b - v1.16b}`.
      const r = op.regs;
      const consecutive = r.every((x, i) => i === 0 || Number(x.reg.id.slice(1)) === (Number(r[i - 1]!.reg.id.slice(1)) + 1) % 32);
      const body = r.length >= 2 && consecutive
        ? `${printReg(r[0]!, canonical)} - ${printReg(r[r.length - 1]!, canonical)}`
        : r.map((x) => printReg(x, canonical)).join(', ');
      return `{${body}}` + (op.lane !== undefined ? `[${op.lane}]` : '');
    }
  }
}

/** Conditional branches: gcc 12 writes `bne`, and GNU as also takes `b.ne` (but `b.al` and
 * `b.nv` only dotted). */
const DOTTED_BRANCH = /^b\.([a-z]{2})$/;

/**
 * Prints `mnemonic\top1, op2` in gcc's style. Canonical mode prints canonical register names
 * (`x29` for `fp`), decimal numbers, no `#` before immediates, lower case throughout, and the
 * `bcond` spelling of conditional branches.
 */
export function printAarch64(insn: Instruction<'aarch64'>, canonical: boolean): string {
  let mnemonic = insn.mnemonic;
  if (canonical) {
    const m = DOTTED_BRANCH.exec(mnemonic);
    if (m && CONDITIONS.has(m[1]!) && m[1] !== 'al' && m[1] !== 'nv') mnemonic = 'b' + m[1];
  }
  const ops = insn.operands;
  if (ops.length === 0) return mnemonic;
  let out = mnemonic + '\t' + printOperand(ops[0]!, canonical);
  for (let i = 1; i < ops.length; i++) out += ', ' + printOperand(ops[i]!, canonical);
  return out;
}
