// The printer: Program IR back to assembly text. Assembling the printed text gives exactly the
// bytes that assembling the original gives; `canonical` also normalizes each instruction's
// spelling (register names, numbers, aliases) while keeping that guarantee.

import type { Expr, IsaName, Program, Statement } from '../ir/program.js';
import type { IsaFrontEnd } from '../isa/types.js';

/** Options for printing. */
export interface PrintOptions {
  /** One normalized spelling per instruction instead of the spelling as written. */
  readonly canonical?: boolean;
}

/** Prints an assembler expression; `canonical` prints numbers in decimal. */
export function printExpr(e: Expr, canonical = false): string {
  switch (e.kind) {
    case 'num':
      return canonical ? e.value.toString() : e.text;
    case 'sym':
      return e.name;
    case 'unary':
      return e.op + printExpr(e.arg, canonical);
    case 'binary':
      return `${printExpr(e.left, canonical)}${e.op}${printExpr(e.right, canonical)}`;
    case 'paren':
      return `(${printExpr(e.inner, canonical)})`;
    case 'reloc':
      return e.style === 'colon' ? `:${e.op}:${printExpr(e.arg, canonical)}` : `%${e.op}(${printExpr(e.arg, canonical)})`;
  }
}

/** Prints one statement as one line of text (no newline). */
export function printStatement<I extends IsaName>(fe: IsaFrontEnd<I>, s: Statement<I>, opts: PrintOptions = {}): string {
  const withComment = (body: string): string => (s.comment !== undefined ? `${body}\t${s.comment}` : body);
  switch (s.kind) {
    case 'label':
      return withComment(`${s.name}:`);
    case 'directive':
      return withComment(s.args ? `\t${s.name}\t${s.args}` : `\t${s.name}`);
    case 'insn':
      return withComment(`\t${fe.printInstruction(s, opts.canonical ?? false)}`);
    case 'error':
      return s.text;
    case 'comment':
      return s.text;
  }
}

/** Prints a whole program, one statement per line. */
export function printWith<I extends IsaName>(fe: IsaFrontEnd<I>, program: Program<I>, opts: PrintOptions = {}): string {
  const lines = program.statements.map((s) => printStatement(fe, s, opts));
  const body = lines.join('\n');
  return program.trailingNewline && lines.length > 0 ? body + '\n' : body;
}
