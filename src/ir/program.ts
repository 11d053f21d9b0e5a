// Program IR: the typed, ISA-tagged representation every gns stage reads and writes.
// Registers carry their ISA as a type parameter, so an AArch64 register cannot reach a
// RISC-V printer; directives are kept verbatim so printing is exact.

/** The instruction set architectures gns knows. */
export type IsaName = 'aarch64' | 'riscv64';

// ---------------------------------------------------------------------------------------------
// Locations and diagnostics
// ---------------------------------------------------------------------------------------------

/** A source range. `line` and `column` are 1-based; `offset`/`length` count characters of the
 * latin1-decoded text, which equal bytes of the file. */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
}

/** A problem found in user input. Parsing reports these and never throws. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** Stable machine-readable code, e.g. `syntax`, `unknown-instruction`, `operand`. */
  readonly code: string;
  readonly message: string;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------------------------

/** Register files. `gpr` integer, `fpr` scalar FP / SIMD, `vec` AArch64 vector views, `sys` others. */
export type RegFile = 'gpr' | 'fpr' | 'vec' | 'sys';

/**
 * An architectural register as written in an operand. The type parameter ties it to its ISA.
 * `id` names the full architectural register (AArch64 `w3` and `x3` both have id `x3`; RISC-V
 * `a0` and `x10` both have id `a0`), which is what liveness and semantics key on.
 */
export interface Register<I extends IsaName = IsaName> {
  readonly isa: I;
  readonly file: RegFile;
  /** Canonical name of the full architectural register, e.g. `x3`, `v0`, `a0`, `fa0`, `sp`. */
  readonly id: string;
  /** Canonical name of this view, e.g. `w3`, `d0`, `a0`. */
  readonly name: string;
  /** Access width in bits (32 for `w3`, 64 for `x3`, 128 for `q0`). */
  readonly width: number;
  /** True for the hard-wired zero register (AArch64 xzr/wzr, RISC-V zero). */
  readonly zero: boolean;
  /** Spelling as written in the input (kept so `gns fmt` reprints it). */
  readonly spelling: string;
}

// ---------------------------------------------------------------------------------------------
// Expressions (immediates, symbols, relocations)
// ---------------------------------------------------------------------------------------------

/** An assembler expression. Numbers keep their spelling; symbols include `.`, `.L3`, `1b`. */
export type Expr =
  | { readonly kind: 'num'; readonly value: bigint; readonly text: string }
  | { readonly kind: 'sym'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '-' | '+' | '~' | '!'; readonly arg: Expr }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^';
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'paren'; readonly inner: Expr }
  /** Relocation operator: AArch64 `:lo12:sym` (style `colon`), RISC-V `%lo(sym)` (style `percent`). */
  | { readonly kind: 'reloc'; readonly op: string; readonly style: 'colon' | 'percent'; readonly arg: Expr };

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

/** A shift or extend modifier: AArch64 `lsl #3`, `sxtw`, `uxtw #2`, `msl #8`. */
export interface Modifier {
  readonly op: string;
  readonly amount?: Expr;
  /** Whether the amount was written with `#`. */
  readonly hash?: boolean;
}

/** A register operand, optionally shifted or extended (AArch64). */
export interface RegOperand<I extends IsaName = IsaName> {
  readonly kind: 'reg';
  readonly reg: Register<I>;
  readonly modifier?: Modifier;
  /** AArch64 vector arrangement (`16b`, `2d`, `s`) and lane index: `v0.4s`, `v1.s[1]`. */
  readonly arrangement?: string;
  readonly lane?: number;
}

/** An integer immediate or symbolic expression: `#12`, `12`, `:lo12:x`, `%lo(x)`. */
export interface ImmOperand {
  readonly kind: 'imm';
  readonly expr: Expr;
  /** AArch64: written with a leading `#`. */
  readonly hash: boolean;
  /** AArch64 `movk x0, #1, lsl #16`. */
  readonly modifier?: Modifier;
}

/** A floating-point immediate: AArch64 `fmov d0, #1.0e+0`. */
export interface FpImmOperand {
  readonly kind: 'fpimm';
  readonly value: number;
  readonly text: string;
  readonly hash: boolean;
}

/**
 * A memory operand.
 * - AArch64: `[base]`, `[base, #off]`, `[base, #off]!` (pre), `[base], #off` (post, `post` set),
 *   `[base, index, lsl #3]`.
 * - RISC-V: `off(base)` and `(base)`.
 */
export interface MemOperand<I extends IsaName = IsaName> {
  readonly kind: 'mem';
  readonly base: Register<I>;
  readonly offset?: Expr;
  /** AArch64: written with `#` before the offset. */
  readonly hash?: boolean;
  /** AArch64 register index, possibly extended or shifted. */
  readonly index?: RegOperand<I>;
  readonly mode: 'offset' | 'pre' | 'post';
  /** AArch64 post-index increment: immediate or register. */
  readonly post?: ImmOperand | RegOperand<I>;
}

/** A bare symbolic reference: a branch target, a symbol for `adrp`, `call`, `la`. */
export interface SymOperand {
  readonly kind: 'sym';
  readonly expr: Expr;
}

/** A keyword operand: AArch64 condition (`eq`), prefetch op, system register; RISC-V rounding
 * mode (`rtz`), fence set (`rw`), CSR name. */
export interface NameOperand {
  readonly kind: 'name';
  readonly text: string;
}

/** AArch64 vector register list `{v0.16b, v1.16b}` optionally with a lane `{v0.s}[1]`. */
export interface RegListOperand<I extends IsaName = IsaName> {
  readonly kind: 'reglist';
  readonly regs: readonly RegOperand<I>[];
  readonly lane?: number;
}

export type Operand<I extends IsaName = IsaName> =
  | RegOperand<I>
  | ImmOperand
  | FpImmOperand
  | MemOperand<I>
  | SymOperand
  | NameOperand
  | RegListOperand<I>;

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

interface StatementBase {
  readonly span: Span;
  /** Index of the section this statement is in (into `Program.sections`). */
  readonly section: number;
  /** A trailing comment on the same line, verbatim including its marker. */
  readonly comment?: string;
}

/** A label definition, `main:`, `.L3:` or numeric `1:`. */
export interface LabelDef extends StatementBase {
  readonly kind: 'label';
  readonly name: string;
}

/** An instruction with structured operands. `mnemonic` is lower-case as written (`b.ne`). */
export interface Instruction<I extends IsaName = IsaName> extends StatementBase {
  readonly kind: 'insn';
  readonly isa: I;
  readonly mnemonic: string;
  readonly operands: readonly Operand<I>[];
}

/** A directive, kept verbatim: `name` is `.cfi_def_cfa_offset`, `args` the raw text after it. */
export interface Directive extends StatementBase {
  readonly kind: 'directive';
  readonly name: string;
  readonly args: string;
}

/** A line (or part of one) that could not be parsed. Kept verbatim so nothing is lost. */
export interface ErrorStatement extends StatementBase {
  readonly kind: 'error';
  readonly text: string;
  readonly message: string;
}

/** A whole-line comment, kept so `gns fmt` loses nothing. */
export interface CommentLine extends StatementBase {
  readonly kind: 'comment';
  readonly text: string;
}

export type Statement<I extends IsaName = IsaName> =
  | LabelDef
  | Instruction<I>
  | Directive
  | ErrorStatement
  | CommentLine;

// ---------------------------------------------------------------------------------------------
// Program structure
// ---------------------------------------------------------------------------------------------

/** A section as switched to by `.text`, `.data`, `.section name,...`. */
export interface Section {
  readonly name: string;
  /** The directive text that opened it, verbatim (empty for the implicit initial `.text`). */
  readonly opener: string;
}

/** A function: a symbol typed `%function`/`@function`, from its label to its `.size`. */
export interface FunctionInfo {
  readonly name: string;
  /** Index in `Program.statements` of the function's label. */
  readonly start: number;
  /** One past the index of the function's last statement (its `.size`, or the next function). */
  readonly end: number;
  readonly global: boolean;
  readonly span: Span;
}

/** A parsed assembly file. `statements` is in source order and round-trips through the printer. */
export interface Program<I extends IsaName = IsaName> {
  readonly isa: I;
  readonly file: string;
  readonly statements: readonly Statement<I>[];
  readonly sections: readonly Section[];
  readonly functions: readonly FunctionInfo[];
  /** Whether the input ended with a newline (restored by the printer). */
  readonly trailingNewline: boolean;
}

/** The result of parsing: the IR, plus every problem found, each with a location. */
export interface ParseResult<I extends IsaName = IsaName> {
  readonly program: Program<I>;
  readonly diagnostics: readonly Diagnostic[];
}
