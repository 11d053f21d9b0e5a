// Public entry points of the assembly front end: parse text of a given ISA to IR, and print it.

import type { IsaName, ParseResult, Program } from '../ir/program.js';
import type { IsaFrontEnd } from '../isa/types.js';
import { aarch64FrontEnd } from '../isa/aarch64/frontend.js';
import { riscv64FrontEnd } from '../isa/riscv64/frontend.js';
import { parseWith } from './parse.js';
import { printWith, type PrintOptions } from './print.js';

export type { PrintOptions } from './print.js';

const frontEnds: { readonly [I in IsaName]: IsaFrontEnd<I> } = {
  aarch64: aarch64FrontEnd,
  riscv64: riscv64FrontEnd,
};

/** The ISAs gns parses, for CLI validation and messages. */
export const isaNames: readonly IsaName[] = ['aarch64', 'riscv64'];

/** The front end (parser, printer, instruction table) of an ISA. */
export function frontEnd<I extends IsaName>(isa: I): IsaFrontEnd<I> {
  return frontEnds[isa] as unknown as IsaFrontEnd<I>;
}

/** Options for {@link parseAsm}. */
export interface ParseOptions<I extends IsaName> {
  readonly isa: I;
  /** File name used in spans and diagnostics. */
  readonly file: string;
}

/**
 * Parses assembly text (decode files as latin1 so bytes round-trip) into Program IR.
 * Never throws on user input; problems are returned as diagnostics with locations.
 */
export function parseAsm<I extends IsaName>(text: string, opts: ParseOptions<I>): ParseResult<I> {
  return parseWith(frontEnd(opts.isa), text, opts.file);
}

/** Prints Program IR back to assembly text. */
export function printProgram<I extends IsaName>(program: Program<I>, opts: PrintOptions = {}): string {
  return printWith(frontEnd(program.isa), program, opts);
}
