// Lowering of RISC-V `Instruction` syntax nodes to IR operands, and the printer back to GNU as
// text. A bare identifier is resolved here (register, rounding mode, fence set, CSR name or
// symbol) because the grammar deliberately leaves that to the register table.

import type { SyntaxNode, TreeCursor } from '@lezer/common';
import type { Expr, Instruction, Operand, Register } from '../../ir/program.js';
import { printExpr } from '../../asm/print.js';
import { hasBareSymbol } from '../../ir/expr.js';
import { isLowerFailure, type LowerContext, type LowerFailure } from '../types.js';
import { riscvRegister } from './registers.js';
import { ROUNDING_MODES } from './table.js';

// ---------------------------------------------------------------------------------------------
// Lowering
// ---------------------------------------------------------------------------------------------

const MIN_IMM = -(1n << 63n);
const LIMIT_IMM = 1n << 64n;

/** Finds a literal outside [-2^63, 2^64), which GNU as rejects ("unsupported large constant"). */
function outOfRange(e: Expr): boolean {
  switch (e.kind) {
    case 'num':
      return e.value >= LIMIT_IMM;
    case 'sym':
      return false;
    case 'unary':
      return e.op === '-' && e.arg.kind === 'num' ? -e.arg.value < MIN_IMM : outOfRange(e.arg);
    case 'binary':
      return outOfRange(e.left) || outOfRange(e.right);
    case 'paren':
      return outOfRange(e.inner);
    case 'reloc':
      return outOfRange(e.arg);
  }
}

const FP_MEMORY: ReadonlySet<string> = new Set(['flw', 'fld', 'fsw', 'fsd']);

/** Whether a non-register identifier in an operand of `mnemonic` is a keyword (rounding mode,
 * fence set, CSR name) rather than a symbol. */
function nameOperand(mnemonic: string, text: string): boolean {
  const c = mnemonic.charCodeAt(0);
  if (c === 0x66 /* f */) {
    if (mnemonic.startsWith('fence')) return /^[iorw]+$/.test(text);
    // FP loads and stores take a symbol there (`fld fa5,.LC0,a5`), never a rounding mode.
    return ROUNDING_MODES.has(text) && !FP_MEMORY.has(mnemonic);
  }
  return c === 0x63 /* c */ && mnemonic.startsWith('csr');
}

/** Integer literal value, as GNU as reads it (decimal, 0x hex, 0b binary, 0-prefixed octal). */
function literal(text: string): bigint | undefined {
  try {
    // BigInt reads decimal, 0x and 0b itself; only a leading-zero octal needs help.
    if (text.length > 1 && text.charCodeAt(0) === 0x30 && text.charCodeAt(1) <= 0x39) return BigInt('0o' + text.slice(1));
    return BigInt(text);
  } catch {
    return undefined;
  }
}

/** Lowers an expression; leaves (the common case) without a detour through SyntaxNode. */
function expr(c: TreeCursor, cx: LowerContext): Expr | LowerFailure {
  const name = c.name;
  if (name === 'Symbol') return { kind: 'sym', name: cx.text.slice(c.from, c.to) };
  if (name === 'Number') {
    const text = cx.text.slice(c.from, c.to);
    const value = literal(text);
    return value === undefined ? { failure: `bad number '${text}'`, node: c.node } : { kind: 'num', value, text };
  }
  return cx.expr(c.node);
}

function exprOperand(c: TreeCursor, cx: LowerContext): Operand<'riscv64'> | LowerFailure {
  const e = expr(c, cx);
  if (isLowerFailure(e)) return e;
  if (outOfRange(e)) return { failure: 'immediate out of range', node: c.node };
  return hasBareSymbol(e) ? { kind: 'sym', expr: e } : { kind: 'imm', expr: e, hash: false };
}

function baseRegister(c: TreeCursor, cx: LowerContext): Register<'riscv64'> | undefined {
  if (c.name !== 'Symbol') return undefined;
  const reg = riscvRegister(cx.text.slice(c.from, c.to));
  return reg && reg.file === 'gpr' ? reg : undefined;
}

/** Lowers the operand at the cursor; leaves the cursor on that operand. */
function operand(c: TreeCursor, cx: LowerContext, mnemonic: string): Operand<'riscv64'> | LowerFailure {
  switch (c.name) {
    case 'Symbol': {
      const text = cx.text.slice(c.from, c.to);
      const reg = riscvRegister(text);
      if (reg) return { kind: 'reg', reg };
      if (nameOperand(mnemonic, text)) return { kind: 'name', text };
      return { kind: 'sym', expr: { kind: 'sym', name: text } };
    }
    case 'Memory': {
      // Children: the offset expression, then the base expression.
      if (!c.firstChild()) return { failure: 'malformed memory operand', node: c.node };
      const offset = expr(c, cx);
      if (isLowerFailure(offset)) return offset;
      if (outOfRange(offset)) return { failure: 'immediate out of range', node: c.node };
      // An offset must be a constant or a relocation operator (`%lo(x)`): GNU as has no
      // relocation for a bare symbol there.
      if (hasBareSymbol(offset)) return { failure: 'memory offset must be a constant or a %lo/%pcrel_lo/%tprel_lo operand', node: c.node };
      if (!c.nextSibling()) return { failure: 'malformed memory operand', node: c.node };
      const base = baseRegister(c, cx);
      if (!base) return { failure: `expected a base register, got '${cx.text.slice(c.from, c.to)}'`, node: c.node };
      c.parent();
      return { kind: 'mem', base, offset, mode: 'offset' };
    }
    case 'ParenExpr': {
      // `(a0)`: a memory operand without offset, as the A extension writes it.
      if (c.firstChild()) {
        let base = baseRegister(c, cx);
        if (c.nextSibling()) base = undefined;
        c.parent();
        if (base) return { kind: 'mem', base, mode: 'offset' };
      }
      return exprOperand(c, cx);
    }
    case 'Number':
    case 'UnaryExpr':
    case 'BinaryExpr':
    case 'Reloc':
      return exprOperand(c, cx);
    default:
      return { failure: `unexpected '${cx.text.slice(c.from, c.to)}'`, node: c.node };
  }
}

/** Lowers an `Instruction` node: `Mnemonic`, then one node per operand. Never throws. */
export function lowerRiscv(node: SyntaxNode, cx: LowerContext): Instruction<'riscv64'> | LowerFailure {
  const c = node.cursor();
  if (!c.firstChild() || c.name !== 'Mnemonic') return { failure: 'missing mnemonic', node };
  const written = cx.text.slice(c.from, c.to);
  const mnemonic = /[A-Z]/.test(written) ? written.toLowerCase() : written;
  const operands: Operand<'riscv64'>[] = [];
  while (c.nextSibling()) {
    const op = operand(c, cx, mnemonic);
    if (isLowerFailure(op)) return op;
    operands.push(op);
  }
  // A global may be named like a register (`int s1;` gives `lla a4,s1`): where only a symbol
  // can stand, the name is the symbol.
  const last = operands[operands.length - 1];
  if (SYMBOL_LAST.has(mnemonic) && operands.length >= 1 && last?.kind === 'reg' && (operands.length === 2 || mnemonic === 'call' || mnemonic === 'tail')) {
    operands[operands.length - 1] = { kind: 'sym', expr: { kind: 'sym', name: last.reg.spelling } };
  }
  return { kind: 'insn', isa: 'riscv64', mnemonic, operands, span: cx.span(node), section: 0 };
}

/** Pseudo-instructions whose last operand is always a symbol, never a register. */
const SYMBOL_LAST: ReadonlySet<string> = new Set(['la', 'lla', 'lga', 'call', 'tail']);

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

function printOperand(op: Operand<'riscv64'>, canonical: boolean): string {
  switch (op.kind) {
    case 'reg':
      return canonical ? op.reg.name : op.reg.spelling;
    case 'imm':
    case 'sym':
      return printExpr(op.expr, canonical);
    case 'mem': {
      const base = canonical ? op.base.name : op.base.spelling;
      return op.offset ? `${printExpr(op.offset, canonical)}(${base})` : `(${base})`;
    }
    case 'name':
      return op.text;
    case 'fpimm':
      return op.text;
    case 'reglist':
      // Not a RISC-V shape; printed plainly so nothing is lost.
      return `{${op.regs.map((r) => printOperand(r, canonical)).join(',')}}`;
  }
}

/**
 * Prints `mnemonic\top1,op2` in gcc's style (no spaces after commas). Canonical mode prints ABI
 * register names (`s0` for `fp`/`x8`) and decimal numbers; mnemonics are kept as written,
 * since GNU as may encode RISC-V aliases differently (compressed or not).
 */
export function printRiscv(insn: Instruction<'riscv64'>, canonical: boolean): string {
  const ops = insn.operands;
  if (ops.length === 0) return insn.mnemonic;
  let out = insn.mnemonic + '\t' + printOperand(ops[0]!, canonical);
  for (let i = 1; i < ops.length; i++) out += ',' + printOperand(ops[i]!, canonical);
  return out;
}
