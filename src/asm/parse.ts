// The ISA-independent half of the assembly front end: runs an ISA's Lezer parser over a file's
// distinct lines, turns the syntax trees into Program IR, and reports every problem with a
// location. It never throws on user input: a line it cannot understand becomes an
// ErrorStatement that keeps the line's text, so printing loses nothing.

import { Tree, type SyntaxNode } from '@lezer/common';
import type {
  Diagnostic,
  Expr,
  FunctionInfo,
  IsaName,
  ParseResult,
  Section,
  Span,
  Statement,
} from '../ir/program.js';
import {
  type IsaFrontEnd,
  type LowerContext,
  type LowerFailure,
  isDescribeError,
  isLowerFailure,
} from '../isa/types.js';

// ---------------------------------------------------------------------------------------------
// Line index: offsets -> (line, column)
// ---------------------------------------------------------------------------------------------

/** Maps character offsets to 1-based line and column numbers. */
export class LineIndex {
  readonly starts: number[] = [0];
  constructor(readonly text: string, readonly file: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 0-based line number containing `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  span(from: number, to: number): Span {
    const line = this.lineOf(from);
    return { file: this.file, line: line + 1, column: from - this.starts[line]! + 1, offset: from, length: to - from };
  }

  /** Text of 0-based line `line`, without its newline. */
  lineText(line: number): string {
    const start = this.starts[line]!;
    const next = this.starts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions (shared node names across the ISA grammars)
// ---------------------------------------------------------------------------------------------

/** Parses an assembler integer literal (decimal, 0x hex, 0b binary, 0-prefixed octal). */
export function parseIntegerLiteral(text: string): bigint | undefined {
  const t = text.toLowerCase();
  try {
    if (/^0x[0-9a-f]+$/.test(t) || /^0b[01]+$/.test(t)) return BigInt(t);
    if (/^0[0-7]+$/.test(t)) return BigInt('0o' + t.slice(1));
    if (/^[0-9]+$/.test(t)) return BigInt(t);
  } catch {
    return undefined;
  }
  return undefined;
}

function lowerExpr(node: SyntaxNode, text: string): Expr | LowerFailure {
  const src = text.slice(node.from, node.to);
  switch (node.name) {
    case 'Number': {
      const value = parseIntegerLiteral(src);
      return value === undefined ? { failure: `bad number '${src}'`, node } : { kind: 'num', value, text: src };
    }
    case 'Symbol':
      return { kind: 'sym', name: src };
    case 'ParenExpr': {
      const innerExpr = firstExprChild(node);
      if (!innerExpr) return { failure: 'empty parentheses', node };
      const e = lowerExpr(innerExpr, text);
      return isLowerFailure(e) ? e : { kind: 'paren', inner: e };
    }
    case 'UnaryExpr': {
      const op = node.firstChild;
      const arg = op?.nextSibling;
      if (!op || !arg) return { failure: 'incomplete expression', node };
      const a = lowerExpr(arg, text);
      if (isLowerFailure(a)) return a;
      return { kind: 'unary', op: text.slice(op.from, op.to) as '-' | '+' | '~' | '!', arg: a };
    }
    case 'BinaryExpr': {
      const left = node.firstChild;
      const op = left?.nextSibling;
      const right = op?.nextSibling;
      if (!left || !op || !right) return { failure: 'incomplete expression', node };
      const l = lowerExpr(left, text);
      if (isLowerFailure(l)) return l;
      const r = lowerExpr(right, text);
      if (isLowerFailure(r)) return r;
      const opText = text.slice(op.from, op.to) as Extract<Expr, { kind: 'binary' }>['op'];
      return { kind: 'binary', op: opText, left: l, right: r };
    }
    case 'Reloc': {
      // AArch64 `:lo12:expr` or RISC-V `%lo(expr)`: a RelocOp token, then the argument.
      const opNode = node.getChild('RelocOp');
      const argNode = firstExprChild(node);
      if (!opNode || !argNode) return { failure: 'incomplete relocation operator', node };
      const opText = text.slice(opNode.from, opNode.to);
      const arg = lowerExpr(argNode, text);
      if (isLowerFailure(arg)) return arg;
      return opText.startsWith('%')
        ? { kind: 'reloc', op: opText.slice(1), style: 'percent', arg }
        : { kind: 'reloc', op: opText.replace(/:/g, ''), style: 'colon', arg };
    }
    default:
      return { failure: `unexpected '${src}'`, node };
  }
}

const exprNodeNames = new Set(['Number', 'Symbol', 'UnaryExpr', 'BinaryExpr', 'ParenExpr', 'Reloc']);

/** The first child of `node` that is an expression node. */
export function firstExprChild(node: SyntaxNode): SyntaxNode | null {
  for (let c = node.firstChild; c; c = c.nextSibling) if (exprNodeNames.has(c.name)) return c;
  return null;
}

export function isExprNode(node: SyntaxNode): boolean {
  return exprNodeNames.has(node.name);
}

// ---------------------------------------------------------------------------------------------
// Sections and functions
// ---------------------------------------------------------------------------------------------

const functionTypeRe = /^\s*([^\s,]+)\s*,\s*[%@#]?(function|gnu_indirect_function)\b/;

/** Tracks `.text`/`.section`/`.pushsection`/`.previous` to give each statement its section. */
class SectionTracker {
  readonly sections: Section[] = [{ name: '.text', opener: '' }];
  private readonly byName = new Map<string, number>([['.text', 0]]);
  current = 0;
  private previous = 0;
  private readonly stack: number[] = [];

  directive(name: string, args: string): void {
    switch (name) {
      case '.text':
      case '.data':
      case '.bss':
        // `.text 1` is a subsection of .text; it is still the same section for our purposes.
        return this.switchTo(name, name + (args ? ` ${args}` : ''));
      case '.section':
        return this.switchTo(firstArg(args), `${name} ${args}`);
      case '.pushsection':
        this.stack.push(this.current);
        return this.switchTo(firstArg(args), `${name} ${args}`);
      case '.popsection': {
        const top = this.stack.pop();
        if (top !== undefined) this.set(top);
        return;
      }
      case '.previous':
        return this.set(this.previous);
    }
  }

  private switchTo(sectionName: string, opener: string): void {
    let index = this.byName.get(sectionName);
    if (index === undefined) {
      index = this.sections.length;
      this.sections.push({ name: sectionName, opener });
      this.byName.set(sectionName, index);
    }
    this.set(index);
  }

  private set(index: number): void {
    this.previous = this.current;
    this.current = index;
  }
}

function firstArg(args: string): string {
  return args.split(',')[0]!.trim().replace(/^"|"$/g, '');
}

/** Where a template statement stands before it is placed at an occurrence. */
const NO_SPAN: Span = { file: '', line: 0, column: 0, offset: 0, length: 0 };

// ---------------------------------------------------------------------------------------------
// Line templates: each distinct line is parsed and lowered once
// ---------------------------------------------------------------------------------------------

/** A statement of one line, with its range relative to the line start. */
export interface TemplateItem {
  readonly statement: Statement;
  readonly from: number;
  readonly to: number;
}

/** What one distinct line of text parses to, independent of where it occurs. */
export interface LineTemplate {
  readonly items: TemplateItem[];
  /** Set when the line cannot be parsed: it becomes one ErrorStatement. */
  error?: { readonly at: number; readonly message: string; readonly code: string };
  /** Table lookups that failed (unknown mnemonic, bad operands), relative ranges. */
  readonly problems: { readonly from: number; readonly to: number; readonly code: string; readonly message: string }[];
}

// Lines whose parse is obvious: a directive without strings, comments, separators or colons,
// and a lone label. About half of gcc's -g output is such lines (`.loc`, `.LVL3:`); building
// their templates directly halves the work of the Lezer parse. The equivalence with the
// grammar is a test (test/parse-fastpath.test.ts) over the whole corpus.
const plainDirective = /^[ \t]*(\.[A-Za-z_][A-Za-z0-9_.]*)(?:[ \t]+([^"';:/#@\\\s][^"';:/#@\\]*?))?[ \t]*$/d;
const plainLabel = /^([A-Za-z_.][A-Za-z0-9_.]*):[ \t]*$/;

/** The template of a line with an obvious parse, or undefined when the grammar must decide. */
export function obviousTemplate(line: string): LineTemplate | undefined {
  const d = plainDirective.exec(line);
  if (d) {
    const [from, nameEnd] = d.indices![1]!;
    const to = d.indices![2]?.[1] ?? nameEnd;
    return { items: [{ statement: { kind: 'directive', name: d[1]!, args: d[2] ?? '', section: 0, span: NO_SPAN }, from, to }], problems: [] };
  }
  const l = plainLabel.exec(line);
  if (l) return { items: [{ statement: { kind: 'label', name: l[1]!, section: 0, span: NO_SPAN }, from: 0, to: l[1]!.length + 1 }], problems: [] };
  return undefined;
}

/** Templates for distinct lines: obvious ones directly, the rest through the grammar. */
function lineTemplates<I extends IsaName>(fe: IsaFrontEnd<I>, lines: readonly string[]): LineTemplate[] {
  const out: (LineTemplate | undefined)[] = lines.map(obviousTemplate);
  const rest: number[] = [];
  out.forEach((t, i) => {
    if (!t) rest.push(i);
  });
  const parsed = grammarTemplates(fe, rest.map((i) => lines[i]!));
  rest.forEach((i, k) => (out[i] = parsed[k]));
  return out as LineTemplate[];
}

/**
 * Parses distinct lines in one Lezer run over their concatenation. Lines are independent in
 * the grammars (a newline always ends a statement, and error recovery restarts there), so a
 * line parses the same wherever it occurs. gcc output repeats lines heavily (`.loc`, spills,
 * moves), so this parses a fraction of the bytes.
 */
export function grammarTemplates<I extends IsaName>(fe: IsaFrontEnd<I>, lines: readonly string[]): LineTemplate[] {
  const batch = lines.join('\n');
  const index = new LineIndex(batch, '');
  const templates: LineTemplate[] = lines.map(() => ({ items: [], problems: [] }));
  let tree: Tree;
  try {
    tree = fe.parser.parse(batch);
  } catch (e) {
    // Lezer only throws on internal limits; report it on every line rather than crash.
    for (const t of templates) t.error = { at: 0, message: `parser failure: ${String(e)}`, code: 'syntax' };
    return templates;
  }
  const starts = index.starts;
  const fail = (line: number, at: number, message: string, code: string): void => {
    const t = templates[line]!;
    if (t.error) return;
    t.error = { at: at - starts[line]!, message, code };
    t.items.length = 0;
    t.problems.length = 0;
  };
  for (const [from, to] of errorRanges(tree)) {
    const first = index.lineOf(from);
    const last = index.lineOf(Math.max(from, to - 1));
    for (let l = first; l <= last; l++) fail(l, l === first ? from : starts[l]!, syntaxMessage(batch, l === first ? from : starts[l]!), 'syntax');
  }
  const cx: LowerContext = {
    text: batch,
    file: '',
    slice: (n) => batch.slice(n.from, n.to),
    span: (n) => index.span(n.from, n.to),
    expr: (n) => lowerExpr(n, batch),
  };
  let line = 0;
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) {
    while (line + 1 < starts.length && starts[line + 1]! <= node.from) line++;
    const t = templates[line]!;
    if (t.error) continue;
    const base = starts[line]!;
    const add = (statement: Statement): void => {
      t.items.push({ statement, from: node!.from - base, to: node!.to - base });
    };
    switch (node.name) {
      case 'Label': {
        const nameNode = node.getChild('LabelName');
        add({ kind: 'label', name: nameNode ? cx.slice(nameNode) : cx.slice(node).replace(/:$/, ''), section: 0, span: NO_SPAN });
        break;
      }
      case 'Directive': {
        const nameNode = node.getChild('DirectiveName');
        const argsNode = node.getChild('DirectiveArgs');
        add({ kind: 'directive', name: nameNode ? cx.slice(nameNode) : '', args: argsNode ? cx.slice(argsNode).trimEnd() : '', section: 0, span: NO_SPAN });
        break;
      }
      case 'Instruction': {
        const insn = fe.lowerInstruction(node, cx);
        if (isLowerFailure(insn)) {
          fail(line, insn.node.from, insn.failure, 'operand');
          break;
        }
        add(insn);
        const info = fe.describe(insn);
        if (isDescribeError(info)) {
          const at = info.operand === undefined ? undefined : operandSpans(batch, node.from, node.to)[info.operand];
          const [from, to] = at ?? [node.from, node.to];
          t.problems.push({ from: from - base, to: to - base, code: info.code, message: info.error });
        }
        break;
      }
      case 'Comment':
      case 'HashComment': {
        const text = cx.slice(node).trimEnd();
        const prev = t.items[t.items.length - 1];
        if (prev && prev.statement.kind !== 'comment' && prev.statement.comment === undefined) {
          t.items[t.items.length - 1] = { ...prev, statement: { ...prev.statement, comment: text } };
        } else add({ kind: 'comment', text, section: 0, span: NO_SPAN });
        break;
      }
      default:
        fail(line, node.from, `unexpected '${cx.slice(node).slice(0, 40)}'`, 'syntax');
        continue;
    }
    // A trailing comment can end up inside the statement's node (Lezer attaches skipped tokens).
    const inner = node.name !== 'Comment' && contains(batch, node.from, node.to, fe.commentMarker) ? node.getChild('Comment') : null;
    const prev = t.items[t.items.length - 1];
    if (inner && prev && prev.from === node.from - base && prev.statement.comment === undefined) {
      t.items[t.items.length - 1] = { ...prev, statement: { ...prev.statement, comment: cx.slice(inner).trimEnd() } };
    }
  }
  return templates;
}

// ---------------------------------------------------------------------------------------------
// The driver
// ---------------------------------------------------------------------------------------------

/**
 * Parses assembly text for one ISA. Never throws on user input: problems come back as
 * diagnostics, each with file, line and column, and unparseable lines are kept verbatim.
 */
export function parseWith<I extends IsaName>(fe: IsaFrontEnd<I>, text: string, file: string): ParseResult<I> {
  const index = new LineIndex(text, file);
  const starts = index.starts;
  const diagnostics: Diagnostic[] = [];
  const statements: Statement<I>[] = [];
  const sections = new SectionTracker();

  // Distinct lines, in first-seen order, and each line's template number.
  const distinct = new Map<string, number>();
  const lineTexts: string[] = [];
  const lineKind = new Int32Array(starts.length);
  for (let l = 0; l < starts.length; l++) {
    const next = starts[l + 1];
    const raw = text.slice(starts[l]!, next === undefined ? text.length : next - 1);
    let k = distinct.get(raw);
    if (k === undefined) {
      k = lineTexts.length;
      distinct.set(raw, k);
      lineTexts.push(raw);
    }
    lineKind[l] = k;
  }
  const templates = lineTemplates(fe, lineTexts);

  // Line-relative range [from, to) of line l as a span of this file.
  const span = (l: number, from: number, to: number): Span => ({ file, line: l + 1, column: from + 1, offset: starts[l]! + from, length: to - from });
  for (let l = 0; l < starts.length; l++) {
    const t = templates[lineKind[l]!]!;
    if (t.error) {
      const lineText = index.lineText(l);
      diagnostics.push({ severity: 'error', code: t.error.code, message: t.error.message, span: span(l, t.error.at, Math.max(t.error.at, lineText.length)) });
      statements.push({ kind: 'error', text: lineText, message: t.error.message, section: sections.current, span: span(l, 0, lineText.length) });
      continue;
    }
    for (const item of t.items) {
      const s = item.statement as Statement<I>;
      if (s.kind === 'directive') sections.directive(s.name, s.args);
      statements.push({ ...s, section: sections.current, span: span(l, item.from, item.to) });
    }
    for (const p of t.problems) diagnostics.push({ severity: 'error', code: p.code, message: p.message, span: span(l, p.from, p.to) });
  }

  return {
    program: {
      isa: fe.isa,
      file,
      statements,
      sections: sections.sections,
      functions: findFunctions(statements, index),
      trailingNewline: text.length === 0 || text.endsWith('\n'),
    },
    diagnostics,
  };
}

/** Whether `marker` occurs in text[from, to). */
function contains(text: string, from: number, to: number, marker: string): boolean {
  const first = marker.charCodeAt(0);
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === first && text.startsWith(marker, i)) return true;
  return false;
}

/**
 * The ranges of all error nodes in a tree. Reads the packed node buffers directly, which is an
 * order of magnitude cheaper than visiting every node through cursors.
 */
function errorRanges(tree: Tree): [number, number][] {
  const out: [number, number][] = [];
  const walk = (t: Tree, offset: number): void => {
    if (t.type.isError) out.push([offset, offset + t.length]);
    for (let i = 0; i < t.children.length; i++) {
      const child = t.children[i]!;
      const pos = offset + t.positions[i]!;
      if (child instanceof Tree) walk(child, pos);
      else {
        const { buffer, set } = child;
        for (let j = 0; j < buffer.length; j += 4) if (set.types[buffer[j]!]!.isError) out.push([pos + buffer[j + 1]!, pos + buffer[j + 2]!]);
      }
    }
  };
  walk(tree, 0);
  return out;
}

/**
 * Character ranges of an instruction's operands: the text after the mnemonic, split at commas
 * outside brackets, parentheses, braces and strings. Used to point a diagnostic at an operand.
 */
export function operandSpans(text: string, from: number, to: number): [number, number][] {
  let i = from;
  while (i < to && !/\s/.test(text[i]!)) i++;
  while (i < to && /\s/.test(text[i]!)) i++;
  const spans: [number, number][] = [];
  let depth = 0;
  let start = i;
  for (; i < to; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < to && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      spans.push([start, i]);
      start = i + 1;
      while (start < to && /\s/.test(text[start]!)) start++;
    }
  }
  let end = to;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start || spans.length > 0) spans.push([start, end]);
  return spans;
}

function syntaxMessage(text: string, at: number): string {
  const rest = text.slice(at).split('\n')[0]!;
  if (rest.trim() === '') return 'syntax error: unexpected end of line';
  const bad = rest.charCodeAt(0);
  if (bad > 0x7e || (bad < 0x20 && bad !== 0x09)) return `syntax error: invalid byte 0x${bad.toString(16).padStart(2, '0')}`;
  return `syntax error: unexpected '${rest.trim().slice(0, 24)}'`;
}

/** Functions: symbols typed as functions, from their label to their `.size` directive. */
function findFunctions(statements: readonly Statement[], index: LineIndex): FunctionInfo[] {
  const typed = new Set<string>();
  const globals = new Set<string>();
  for (const s of statements) {
    if (s.kind !== 'directive') continue;
    if (s.name === '.type') {
      const m = functionTypeRe.exec(s.args);
      if (m) typed.add(m[1]!);
    } else if (s.name === '.global' || s.name === '.globl') {
      for (const g of s.args.split(',')) globals.add(g.trim());
    }
  }
  const out: FunctionInfo[] = [];
  let open: { name: string; start: number } | undefined;
  const close = (end: number): void => {
    if (!open) return;
    const first = statements[open.start]!.span;
    const last = statements[end - 1]!.span;
    out.push({
      name: open.name,
      start: open.start,
      end,
      global: globals.has(open.name),
      span: index.span(first.offset, last.offset + last.length),
    });
    open = undefined;
  };
  statements.forEach((s, i) => {
    if (s.kind === 'label' && typed.has(s.name)) {
      close(i);
      open = { name: s.name, start: i };
    } else if (open && s.kind === 'directive' && s.name === '.size' && firstArg(s.args) === open.name) {
      close(i + 1);
    }
  });
  close(statements.length);
  return out;
}
