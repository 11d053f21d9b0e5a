// Queries on assembler expressions shared by the ISA tables, lowerings, the CFG and semantics.

import type { Expr, Operand } from './program.js';

/** The expression an operand carries: an immediate's, a symbol's, or a memory offset. */
export function operandExpr(op: Operand): Expr | undefined {
  return op.kind === 'imm' || op.kind === 'sym' ? op.expr : op.kind === 'mem' ? op.offset : undefined;
}

/** Symbols an expression mentions, in order. */
export function exprSymbols(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'sym':
      out.push(e.name);
      break;
    case 'unary':
      exprSymbols(e.arg, out);
      break;
    case 'binary':
      exprSymbols(e.left, out);
      exprSymbols(e.right, out);
      break;
    case 'paren':
      exprSymbols(e.inner, out);
      break;
    case 'reloc':
      exprSymbols(e.arg, out);
      break;
    case 'num':
      break;
  }
  return out;
}

/** Whether an expression names a symbol anywhere outside a relocation operator. */
export function hasBareSymbol(e: Expr): boolean {
  switch (e.kind) {
    case 'num':
      return false;
    case 'sym':
      return true;
    case 'unary':
      return hasBareSymbol(e.arg);
    case 'binary':
      return hasBareSymbol(e.left) || hasBareSymbol(e.right);
    case 'paren':
      return hasBareSymbol(e.inner);
    case 'reloc':
      return false;
  }
}

/** Whether a label name is local to its function: `.L3`, `.`, numeric `1f`/`1b`. */
export function isLocalLabel(name: string): boolean {
  return name.startsWith('.L') || name === '.' || /^[0-9]+[fb]$/.test(name);
}

/**
 * Whether a branch target stays inside the function (a local label, possibly with an offset);
 * anything else is another function, so a jump there is a tail call.
 */
export function isLocalTarget(e: Expr | undefined): boolean {
  if (!e) return true;
  switch (e.kind) {
    case 'sym':
      return isLocalLabel(e.name);
    case 'binary':
      return isLocalTarget(e.left);
    case 'paren':
      return isLocalTarget(e.inner);
    default:
      return true;
  }
}
