// Constant data behind local labels (`.LC0: .string "x"`, `.LC1: .word 0, 1072693248`): the bytes
// a program reads when it loads a float constant or passes a string literal. The two sides of a
// translation number these labels independently, so they are paired by content, and a paired
// label gets one address on both sides.

import type { Program } from '../ir/program.js';

/** What local data labels hold: constant bytes, and a content key for pairing. */
export interface LocalData {
  /** The initialized bytes of each label whose bytes are all constants. */
  readonly images: Map<string, Uint8Array>;
  /** Every label's content as text (constants, and symbol references such as `.xword add`). */
  readonly keys: Map<string, string>;
}

/** The data behind each local label of a program. */
export function localData(program: Program): LocalData {
  const images = new Map<string, Uint8Array>();
  const keys = new Map<string, string>();
  let current: { name: string; bytes: number[]; ok: boolean; key: string[]; keyed: boolean } | undefined;
  const close = (): void => {
    if (current?.ok && current.bytes.length > 0) images.set(current.name, Uint8Array.from(current.bytes));
    if (current?.keyed && current.key.length > 0) keys.set(current.name, current.key.join(';'));
    current = undefined;
  };
  let lastSection = -1;
  for (const s of program.statements) {
    if (s.section !== lastSection) {
      close();
      lastSection = s.section;
    }
    if (s.kind === 'label') {
      close();
      if (s.name.startsWith('.L')) current = { name: s.name, bytes: [], ok: true, key: [], keyed: true };
    } else if (s.kind === 'insn') close();
    else if (s.kind === 'directive' && current && !IGNORED.has(s.name)) {
      const bytes = current.ok ? directiveBytes(s.name, s.args) : undefined;
      if (bytes === undefined) current.ok = false;
      else current.bytes.push(...bytes);
      // Symbol references pair by name (`.xword add` with `.dword add`); label differences
      // (jump tables) name labels of one side only, so they never pair.
      const size = INT_SIZES[s.name];
      if (bytes !== undefined) current.key.push(Buffer.from(bytes).toString('hex'));
      else if (size !== undefined && /^[A-Za-z_.][\w.$]*$/.test(s.args.trim())) current.key.push(`${size}:${s.args.trim()}`);
      else current.keyed = false;
    }
  }
  close();
  // A reference to another local label (a table of string literals) pairs by what it points to.
  const resolve = (key: string, depth: number): string | undefined => {
    const parts: string[] = [];
    for (const part of key.split(';')) {
      const m = /^(\d+):(\.L.*)$/.exec(part);
      if (!m) {
        parts.push(part);
        continue;
      }
      const inner = keys.get(m[2]!);
      const r = inner !== undefined && depth < 3 ? resolve(inner, depth + 1) : undefined;
      if (r === undefined) return undefined;
      parts.push(`${m[1]}:[${r}]`);
    }
    return parts.join(';');
  };
  const resolved = new Map<string, string>();
  for (const [name, key] of keys) {
    const r = resolve(key, 0);
    if (r !== undefined) resolved.set(name, r);
  }
  return { images, keys: resolved };
}

// Directives that place no bytes of a label's own (alignment is placed before the label; `.ident`
// goes to .comment, and gcc puts it right after the last constant of a file).
const IGNORED = new Set(['.type', '.size', '.global', '.globl', '.local', '.hidden', '.p2align', '.align', '.balign', '.ident']);

const INT_SIZES: Readonly<Record<string, number>> = {
  '.byte': 1, '.hword': 2, '.half': 2, '.short': 2, '.2byte': 2,
  '.word': 4, '.long': 4, '.int': 4, '.4byte': 4,
  '.xword': 8, '.quad': 8, '.dword': 8, '.8byte': 8,
};

/** The bytes a data directive places, or undefined when they are not plain constants. */
function directiveBytes(name: string, args: string): number[] | undefined {
  const size = INT_SIZES[name];
  if (size !== undefined) {
    const out: number[] = [];
    for (const part of args.split(',')) {
      const t = part.trim();
      if (!/^-?(0x[0-9a-fA-F]+|[0-9]+)$/.test(t)) return undefined;
      let v = BigInt.asUintN(size * 8, BigInt(t));
      for (let i = 0; i < size; i++, v >>= 8n) out.push(Number(v & 0xffn));
    }
    return out;
  }
  if (name === '.zero' || name === '.skip' || name === '.space') {
    const n = Number(args.split(',')[0]!.trim());
    return Number.isInteger(n) && n >= 0 && n < 1 << 20 ? new Array<number>(n).fill(0) : undefined;
  }
  if (name === '.string' || name === '.asciz' || name === '.ascii') {
    const strings = parseStrings(args);
    if (strings === undefined) return undefined;
    return strings.flatMap((b) => (name === '.ascii' ? b : [...b, 0]));
  }
  return undefined;
}

/** Parses `"a\n", "b"` into byte lists, with GNU as escapes. */
function parseStrings(args: string): number[][] | undefined {
  const out: number[][] = [];
  let i = 0;
  while (i < args.length) {
    while (args[i] === ' ' || args[i] === '\t' || args[i] === ',') i++;
    if (i >= args.length) break;
    if (args[i] !== '"') return undefined;
    i++;
    const bytes: number[] = [];
    while (i < args.length && args[i] !== '"') {
      const ch = args[i]!;
      if (ch !== '\\') {
        bytes.push(...Buffer.from(ch, 'utf8'));
        i++;
        continue;
      }
      const e = args[i + 1];
      i += 2;
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '\\': 92, '"': 34, "'": 39 };
      if (e !== undefined && e in simple) bytes.push(simple[e]!);
      else if (e !== undefined && /[0-7]/.test(e)) {
        let s = e;
        while (s.length < 3 && /[0-7]/.test(args[i] ?? '')) s += args[i++];
        bytes.push(parseInt(s, 8) & 0xff);
      } else if (e === 'x') {
        let s = '';
        while (/[0-9a-fA-F]/.test(args[i] ?? '')) s += args[i++];
        bytes.push(parseInt(s || '0', 16) & 0xff);
      } else return undefined;
    }
    if (args[i] !== '"') return undefined;
    i++;
    out.push(bytes);
  }
  return out;
}

/**
 * Pairs the target's local data labels with the source's by identical content (gcc merges equal
 * constants, so a content names one label on each side). Returns target label -> source label.
 */
export function pairDataLabels(source: ReadonlyMap<string, string>, target: ReadonlyMap<string, string>): Map<string, string> {
  const bySource = new Map<string, string>();
  for (const [name, key] of source) if (!bySource.has(key)) bySource.set(key, name);
  const pairs = new Map<string, string>();
  for (const [name, key] of target) {
    const s = bySource.get(key);
    if (s !== undefined) pairs.set(name, s);
  }
  return pairs;
}
