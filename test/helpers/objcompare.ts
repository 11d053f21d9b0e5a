// Object-level comparison for the round-trip tests: assemble two texts with the same GNU `as`
// flags gcc uses, read the ELF objects directly (no readelf/objdump round trip per file, which
// would triple the process count), and report the first difference with a section, an offset
// and, when asked, the source line and disassembly that produced it.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/util/proc.js';
import { asCommand, asFlags } from '../../scripts/toolchain.js';

export { asCommand, asFlags } from '../../scripts/toolchain.js';

export type ObjIsa = 'aarch64' | 'riscv64';

const AS_TIMEOUT_MS = 60_000;
const OBJDUMP_TIMEOUT_MS = 60_000;

/** Whether the text carries gcc's own debug info (then gcc would have run `as --gdwarf-5`). */
export function looksDebug(asmText: string): boolean {
  return /^\s*\.section\s+\.debug_info\b/m.test(asmText);
}

export interface ObjectDump {
  /** Section contents as lower-case hex; NOBITS sections (`.bss`) as `nobits:<size>`. */
  readonly sections: Record<string, string>;
  /** Relocations keyed by the section they apply to: `offset TYPE symbol+addend`. */
  readonly relocs: Record<string, string[]>;
  /** Section header facts that bytes do not show: `type flags align entsize`. */
  readonly headers: Record<string, string>;
  /** Symbol table entries in order: `name value size type bind visibility section`. */
  readonly symbols: string[];
  /** The assembler's stderr (errors and warnings); empty when it was silent. */
  readonly errors: string;
  /** Whether `as` produced an object. */
  readonly ok: boolean;
}

export interface AssembleOptions {
  /** Pass `--gdwarf-5` as gcc does under -g; by default guessed from the text. */
  readonly debug?: boolean;
  /** Keep the .s and .o files (their paths are returned by `assembleToFile`). */
  readonly keep?: boolean;
  /** Base name for the temporary files. */
  readonly name?: string;
}

let counter = 0;

function tmpBase(tmpDir: string, name: string | undefined): string {
  mkdirSync(tmpDir, { recursive: true });
  const safe = (name ?? 'obj').replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(tmpDir, `${safe}-${process.pid}-${counter++}`);
}

/** Assembles `asmText` (written as latin1, so bytes are exact) and returns the object's path. */
export async function assembleToFile(
  isa: ObjIsa,
  asmText: string,
  tmpDir: string,
  opts: AssembleOptions = {},
): Promise<{ sPath: string; oPath: string; ok: boolean; errors: string }> {
  const base = tmpBase(tmpDir, opts.name);
  const sPath = `${base}.s`;
  const oPath = `${base}.o`;
  writeFileSync(sPath, asmText, 'latin1');
  const debug = opts.debug ?? looksDebug(asmText);
  const r = await run(asCommand(isa), [...asFlags(isa, debug), '-o', oPath, sPath], { timeout: AS_TIMEOUT_MS });
  const errors = r.timedOut ? `as timed out after ${AS_TIMEOUT_MS} ms\n${r.stderr}` : r.stderr;
  return { sPath, oPath, ok: r.code === 0, errors };
}

export async function assembleAndDump(
  isa: ObjIsa,
  asmText: string,
  tmpDir: string,
  opts: AssembleOptions = {},
): Promise<ObjectDump> {
  const { sPath, oPath, ok, errors } = await assembleToFile(isa, asmText, tmpDir, opts);
  try {
    if (!ok) return { sections: {}, relocs: {}, headers: {}, symbols: [], errors: errors || 'as failed', ok: false };
    const dump = readElf(readFileSync(oPath), isa);
    return { ...dump, errors: normalizeErrors(errors, sPath), ok: true };
  } finally {
    if (!opts.keep) {
      rmSync(sPath, { force: true });
      rmSync(oPath, { force: true });
    }
  }
}

/** Warnings name the temporary file; strip it so two texts' warnings compare equal. */
function normalizeErrors(stderr: string, sPath: string): string {
  return stderr.split(sPath).join('<input>');
}

// ---------------------------------------------------------------------------------------------
// ELF64 little-endian reader (relocatable objects only)
// ---------------------------------------------------------------------------------------------

const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_RELA = 4;
const SHT_NOBITS = 8;
const SHT_REL = 9;

interface Shdr {
  name: string;
  type: number;
  flags: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: bigint;
  entsize: bigint;
}

function cstr(buf: Buffer, off: number): string {
  let end = off;
  while (end < buf.length && buf[end] !== 0) end++;
  return buf.toString('latin1', off, end);
}

/** Reads sections, relocations and symbols out of an ELF64 LE relocatable object. */
export function readElf(buf: Buffer, isa: ObjIsa): Omit<ObjectDump, 'errors' | 'ok'> {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) {
    throw new Error('not an ELF64 little-endian object');
  }
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const shstrndx = buf.readUInt16LE(0x3e);
  const raw: Omit<Shdr, 'name'>[] = [];
  const nameOff: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    nameOff.push(buf.readUInt32LE(o));
    raw.push({
      type: buf.readUInt32LE(o + 4),
      flags: buf.readBigUInt64LE(o + 8),
      offset: Number(buf.readBigUInt64LE(o + 0x18)),
      size: Number(buf.readBigUInt64LE(o + 0x20)),
      link: buf.readUInt32LE(o + 0x28),
      info: buf.readUInt32LE(o + 0x2c),
      align: buf.readBigUInt64LE(o + 0x30),
      entsize: buf.readBigUInt64LE(o + 0x38),
    });
  }
  const strOff = raw[shstrndx]?.offset ?? 0;
  const shdrs: Shdr[] = raw.map((s, i) => ({ ...s, name: cstr(buf, strOff + nameOff[i]!) }));

  // Several sections may share a name (e.g. COMDAT groups); later ones get a `#n` suffix.
  const keys: string[] = [];
  const seen = new Map<string, number>();
  for (const s of shdrs) {
    const n = seen.get(s.name) ?? 0;
    seen.set(s.name, n + 1);
    keys.push(n === 0 ? s.name : `${s.name}#${n + 1}`);
  }

  // Symbols, named by section for STT_SECTION so relocation lines are readable and stable.
  const symtabIdx = shdrs.findIndex((s) => s.type === SHT_SYMTAB);
  const symNames: string[] = [];
  const symbols: string[] = [];
  if (symtabIdx >= 0) {
    const st = shdrs[symtabIdx]!;
    const strtab = shdrs[st.link]!;
    const n = Math.floor(st.size / 24);
    for (let i = 0; i < n; i++) {
      const o = st.offset + i * 24;
      const name = cstr(buf, strtab.offset + buf.readUInt32LE(o));
      const info = buf[o + 4]!;
      const other = buf[o + 5]!;
      const shndx = buf.readUInt16LE(o + 6);
      const value = buf.readBigUInt64LE(o + 8);
      const size = buf.readBigUInt64LE(o + 16);
      const type = info & 0xf;
      const bind = info >> 4;
      const secName =
        shndx === 0 ? 'UND' : shndx === 0xfff1 ? 'ABS' : shndx === 0xfff2 ? 'COM' : (keys[shndx] ?? `#${shndx}`);
      symNames.push(type === 3 ? secName : name);
      if (i === 0) continue;
      symbols.push(
        `${name || '""'} ${value.toString(16)} ${size} ${SYM_TYPES[type] ?? type} ${SYM_BINDS[bind] ?? bind} ${SYM_VIS[other & 3]} ${secName}`,
      );
    }
  }

  const sections: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const relocs: Record<string, string[]> = {};
  shdrs.forEach((s, i) => {
    const key = keys[i]!;
    if (i === 0 || s.type === SHT_SYMTAB || s.type === SHT_STRTAB) return;
    if (s.type === SHT_RELA || s.type === SHT_REL) {
      const target = keys[s.info] ?? `#${s.info}`;
      const ent = s.type === SHT_RELA ? 24 : 16;
      const list: string[] = (relocs[target] ??= []);
      for (let o = s.offset; o + ent <= s.offset + s.size; o += ent) {
        const off = buf.readBigUInt64LE(o);
        const info = buf.readBigUInt64LE(o + 8);
        const sym = Number(info >> 32n);
        const type = Number(info & 0xffffffffn);
        const addend = s.type === SHT_RELA ? buf.readBigInt64LE(o + 16) : 0n;
        const sign = addend < 0n ? '-' : '+';
        const mag = addend < 0n ? -addend : addend;
        list.push(`${off.toString(16)} ${relocName(isa, type)} ${symNames[sym] ?? `#${sym}`}${sign}0x${mag.toString(16)}`);
      }
      return;
    }
    headers[key] = `type=${s.type} flags=0x${s.flags.toString(16)} align=${s.align} entsize=${s.entsize}`;
    sections[key] = s.type === SHT_NOBITS ? `nobits:${s.size}` : buf.toString('hex', s.offset, s.offset + s.size);
  });
  return { sections, relocs, headers, symbols };
}

const SYM_TYPES = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS'];
const SYM_BINDS = ['LOCAL', 'GLOBAL', 'WEAK'];
const SYM_VIS = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'];

// The relocation types gcc output produces (from <elf.h>); others print as numbers.
const AARCH64_RELOCS: Record<number, string> = {
  0: 'NONE', 257: 'ABS64', 258: 'ABS32', 259: 'ABS16', 260: 'PREL64', 261: 'PREL32', 262: 'PREL16',
  263: 'MOVW_UABS_G0', 264: 'MOVW_UABS_G0_NC', 265: 'MOVW_UABS_G1', 266: 'MOVW_UABS_G1_NC',
  267: 'MOVW_UABS_G2', 268: 'MOVW_UABS_G2_NC', 269: 'MOVW_UABS_G3', 273: 'LD_PREL_LO19',
  274: 'ADR_PREL_LO21', 275: 'ADR_PREL_PG_HI21', 276: 'ADR_PREL_PG_HI21_NC', 277: 'ADD_ABS_LO12_NC',
  278: 'LDST8_ABS_LO12_NC', 279: 'TSTBR14', 280: 'CONDBR19', 282: 'JUMP26', 283: 'CALL26',
  284: 'LDST16_ABS_LO12_NC', 285: 'LDST32_ABS_LO12_NC', 286: 'LDST64_ABS_LO12_NC', 299: 'LDST128_ABS_LO12_NC',
  311: 'ADR_GOT_PAGE', 312: 'LD64_GOT_LO12_NC', 313: 'LD64_GOTPAGE_LO15',
  541: 'TLSIE_ADR_GOTTPREL_PAGE21', 542: 'TLSIE_LD64_GOTTPREL_LO12_NC', 549: 'TLSLE_ADD_TPREL_HI12',
  551: 'TLSLE_ADD_TPREL_LO12_NC', 562: 'TLSDESC_ADR_PAGE21', 563: 'TLSDESC_LD64_LO12', 564: 'TLSDESC_ADD_LO12',
  569: 'TLSDESC_CALL',
};
const RISCV_RELOCS: Record<number, string> = {
  0: 'NONE', 1: '32', 2: '64', 16: 'BRANCH', 17: 'JAL', 18: 'CALL', 19: 'CALL_PLT', 20: 'GOT_HI20',
  21: 'TLS_GOT_HI20', 22: 'TLS_GD_HI20', 23: 'PCREL_HI20', 24: 'PCREL_LO12_I', 25: 'PCREL_LO12_S',
  26: 'HI20', 27: 'LO12_I', 28: 'LO12_S', 29: 'TPREL_HI20', 30: 'TPREL_LO12_I', 31: 'TPREL_LO12_S',
  32: 'TPREL_ADD', 33: 'ADD8', 34: 'ADD16', 35: 'ADD32', 36: 'ADD64', 37: 'SUB8', 38: 'SUB16', 39: 'SUB32',
  40: 'SUB64', 43: 'ALIGN', 44: 'RVC_BRANCH', 45: 'RVC_JUMP', 46: 'RVC_LUI', 51: 'RELAX', 52: 'SUB6',
  53: 'SET6', 54: 'SET8', 55: 'SET16', 56: 'SET32', 57: '32_PCREL', 60: 'SET_ULEB128', 61: 'SUB_ULEB128',
};

function relocName(isa: ObjIsa, type: number): string {
  const table = isa === 'aarch64' ? AARCH64_RELOCS : RISCV_RELOCS;
  return `R_${isa === 'aarch64' ? 'AARCH64' : 'RISCV'}_${table[type] ?? String(type)}`;
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

export interface ObjectDiff {
  readonly kind: 'assemble' | 'section-set' | 'bytes' | 'header' | 'reloc' | 'symbol' | 'diagnostics';
  /** The section the difference is in (for relocations: the section they patch). */
  readonly section?: string;
  /** Byte offset in that section (bytes and relocations). */
  readonly offset?: number;
  readonly detail: string;
}

function firstDiff(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i;
  return a.length === b.length ? -1 : n;
}

function hexWindow(hex: string, byteOff: number): string {
  const from = Math.max(0, byteOff - 4) * 2;
  return hex.slice(from, from + 24) || '(end)';
}

/**
 * The first difference between two assembled objects, or null when they are identical: the
 * assembler's verdict, the section list, then each section's bytes, header, relocations, and
 * finally the symbol table. `a` is taken as the reference (the original).
 */
export function compareObjects(a: ObjectDump, b: ObjectDump): ObjectDiff | null {
  if (a.ok !== b.ok) {
    return { kind: 'assemble', detail: a.ok ? `only the second failed to assemble: ${firstLines(b.errors)}` : `only the first failed to assemble: ${firstLines(a.errors)}` };
  }
  if (a.errors !== b.errors) {
    return { kind: 'diagnostics', detail: `assembler messages differ:\n  a: ${firstLines(a.errors)}\n  b: ${firstLines(b.errors)}` };
  }
  const an = Object.keys(a.sections);
  const bn = Object.keys(b.sections);
  if (an.join('\0') !== bn.join('\0')) {
    const missing = an.filter((n) => !(n in b.sections));
    const extra = bn.filter((n) => !(n in a.sections));
    return {
      kind: 'section-set',
      ...(missing[0] !== undefined ? { section: missing[0] } : extra[0] !== undefined ? { section: extra[0] } : {}),
      detail: `sections differ: missing [${missing.join(', ')}], extra [${extra.join(', ')}]` + (missing.length + extra.length === 0 ? `, order ${an.join(',')} vs ${bn.join(',')}` : ''),
    };
  }
  for (const name of an) {
    const x = a.sections[name]!;
    const y = b.sections[name]!;
    if (x !== y) {
      if (x.startsWith('nobits:') || y.startsWith('nobits:')) {
        return { kind: 'bytes', section: name, offset: 0, detail: `${name}: ${x} vs ${y}` };
      }
      const i = firstDiff(x, y);
      const off = Math.floor(i / 2);
      const sizes = x.length !== y.length ? ` (sizes ${x.length / 2} vs ${y.length / 2})` : '';
      return {
        kind: 'bytes',
        section: name,
        offset: off,
        detail: `${name}+0x${off.toString(16)}${sizes}: ${hexWindow(x, off)} vs ${hexWindow(y, off)}`,
      };
    }
    if (a.headers[name] !== b.headers[name]) {
      return { kind: 'header', section: name, detail: `${name} header: ${a.headers[name]} vs ${b.headers[name]}` };
    }
  }
  const rn = new Set([...Object.keys(a.relocs), ...Object.keys(b.relocs)]);
  for (const name of rn) {
    const x = a.relocs[name] ?? [];
    const y = b.relocs[name] ?? [];
    const n = Math.max(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (x[i] !== y[i]) {
        const off = parseInt((x[i] ?? y[i] ?? '0').split(' ')[0]!, 16);
        return {
          kind: 'reloc',
          section: name,
          offset: off,
          detail: `relocation #${i} against ${name}: ${x[i] ?? '(none)'} vs ${y[i] ?? '(none)'}` + (x.length !== y.length ? ` (counts ${x.length} vs ${y.length})` : ''),
        };
      }
    }
  }
  const n = Math.max(a.symbols.length, b.symbols.length);
  for (let i = 0; i < n; i++) {
    if (a.symbols[i] !== b.symbols[i]) {
      return { kind: 'symbol', detail: `symbol #${i + 1}: ${a.symbols[i] ?? '(none)'} vs ${b.symbols[i] ?? '(none)'}` };
    }
  }
  return null;
}

function firstLines(s: string, n = 3): string {
  return s.split('\n').filter((l) => l.trim() !== '').slice(0, n).join(' | ');
}

// ---------------------------------------------------------------------------------------------
// Explaining a difference: source line (from an `as` listing) and nearby disassembly
// ---------------------------------------------------------------------------------------------

export interface Location {
  /** 1-based line in the assembled text that emitted the byte, when the listing shows it. */
  readonly line?: number;
  readonly text?: string;
  /** A few lines of `objdump -d` around the offset, for code sections. */
  readonly disassembly?: string;
}

/** Tracks the current section from the directives of a source line, as `as` does. */
function sectionAfter(line: string, cur: string, stack: string[], prev: { v: string }): string {
  const m = /^\s*(?:[\w.$]+:\s*)?(\.(?:text|data|bss|section|pushsection|popsection|previous))\b\s*([^,\s#]*)?/.exec(line);
  if (!m) return cur;
  const d = m[1]!;
  let next = cur;
  if (d === '.text' || d === '.data' || d === '.bss') next = d;
  else if (d === '.section') next = (m[2] ?? '').replace(/^"|"$/g, '') || cur;
  else if (d === '.pushsection') {
    stack.push(cur);
    next = (m[2] ?? '').replace(/^"|"$/g, '') || cur;
  } else if (d === '.popsection') next = stack.pop() ?? cur;
  else if (d === '.previous') next = prev.v;
  if (next !== cur) prev.v = cur;
  return next;
}

/**
 * Maps a section offset back to the line of `asmText` that emitted it, using an `as -aln`
 * listing (run only when a difference has been found, so its cost does not matter).
 */
export async function locateOffset(
  isa: ObjIsa,
  asmText: string,
  section: string,
  offset: number,
  tmpDir: string,
  opts: { debug?: boolean } = {},
): Promise<Location> {
  const base = tmpBase(tmpDir, 'locate');
  const sPath = `${base}.s`;
  const oPath = `${base}.o`;
  const lPath = `${base}.lst`;
  writeFileSync(sPath, asmText, 'latin1');
  try {
    const debug = opts.debug ?? looksDebug(asmText);
    const r = await run(asCommand(isa), [...asFlags(isa, debug), `-aln=${lPath}`, '-o', oPath, sPath], { timeout: AS_TIMEOUT_MS });
    if (r.code !== 0) return {};
    const listing = readFileSync(lPath, 'latin1').split('\n');
    const lines = asmText.split('\n');
    let cur = '.text';
    const stack: string[] = [];
    const prev = { v: '.text' };
    let best: { line: number; addr: number } | undefined;
    let lastLine = 0;
    let lastSec = cur;
    for (const l of listing) {
      const withLine = /^\s*(\d+)\s([0-9a-f]{4,})\s([0-9A-F]+)/.exec(l);
      const numbered = withLine ?? /^\s*(\d+)\s/.exec(l);
      let addrLine: number | undefined;
      let addr: number | undefined;
      if (numbered) {
        const n = Number(numbered[1]);
        lastLine = n;
        // The section in effect for this line's bytes is the one before its own directive.
        lastSec = cur;
        cur = sectionAfter(lines[n - 1] ?? '', cur, stack, prev);
        if (withLine) {
          addrLine = n;
          addr = parseInt(withLine[2]!, 16);
        }
      } else {
        const cont = /^\s+([0-9a-f]{4,})\s([0-9A-F]+)\s*$/.exec(l);
        if (cont) {
          addrLine = lastLine;
          addr = parseInt(cont[1]!, 16);
        }
      }
      if (addrLine !== undefined && addr !== undefined && lastSec === section) {
        if (addr <= offset && (best === undefined || addr >= best.addr)) best = { line: addrLine, addr };
      }
    }
    const loc: Location = best ? { line: best.line, text: (lines[best.line - 1] ?? '').trim() } : {};
    const disassembly = await disassembleAround(isa, oPath, section, offset);
    return disassembly ? { ...loc, disassembly } : loc;
  } finally {
    for (const p of [sPath, oPath, lPath]) rmSync(p, { force: true });
  }
}

async function disassembleAround(isa: ObjIsa, oPath: string, section: string, offset: number): Promise<string | undefined> {
  if (!/^\.text|^\.init|^\.fini/.test(section)) return undefined;
  const r = await run(`${isa}-linux-gnu-objdump`, ['-d', '-r', '-j', section.replace(/#\d+$/, ''), oPath], {
    timeout: OBJDUMP_TIMEOUT_MS,
  });
  if (r.code !== 0) return undefined;
  const lines = r.stdout.toString('latin1').split('\n');
  let at = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([0-9a-f]+):\s/.exec(lines[i]!);
    if (m && parseInt(m[1]!, 16) <= offset) at = i;
  }
  if (at < 0) return undefined;
  return lines.slice(Math.max(0, at - 4), at + 5).join('\n');
}
