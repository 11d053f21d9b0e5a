// Turns assembly snippets into raw machine code for the Unicorn oracle with the cross GNU
// assemblers: one snippet at a time (as + objcopy, the reference path), or thousands in one `as`
// call, each in its own section, sliced out of the object by reading its ELF section table.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/util/proc.js';
import type { OracleIsa } from './unicorn.js';

/** Options for {@link assembleSnippet} and {@link assembleMany}. */
export interface SnippetAsmOptions {
  /**
   * RISC-V only: allow compressed (RVC) encodings (`-march=rv64gc`), which `as` then picks on
   * its own wherever one fits; default false (`-march=rv64g`), so every instruction is 4 bytes.
   */
  readonly compressed?: boolean;
}

/** Milliseconds before a tool is killed; a batch of thousands of snippets takes well under 5 s. */
const TOOL_TIMEOUT_MS = 60_000;

/** Names of the per-snippet sections of a batch: `.text.gns0`, `.text.gns1`, ... */
const BATCH_SECTION = '.text.gns';

function tool(isa: OracleIsa, name: 'as' | 'objcopy'): string {
  return `${isa}-linux-gnu-${name}`;
}

function asArgs(isa: OracleIsa, opts: SnippetAsmOptions): string[] {
  if (isa === 'aarch64') return ['-EL', '-mabi=lp64'];
  return [`-march=${opts.compressed ? 'rv64gc' : 'rv64g'}`, '-mabi=lp64d'];
}

/**
 * Linker relaxation would let `as` leave branch offsets to the linker (as relocations) and
 * pad with alignment NOPs the linker may later delete; with it off, the object's bytes are final.
 */
function prologue(isa: OracleIsa): string {
  return isa === 'riscv64' ? '\t.option norelax\n' : '';
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'gns-oracle-as-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runTool(cmd: string, args: string[], what: string): Promise<void> {
  const r = await run(cmd, args, { timeout: TOOL_TIMEOUT_MS });
  if (r.timedOut) throw new Error(`${cmd} timed out after ${TOOL_TIMEOUT_MS} ms (${what})`);
  if (r.code !== 0) throw new Error(`${cmd} failed (${what}):\n${r.stderr.trim()}`);
}

/**
 * Assembles one snippet and returns its .text bytes, as the oracle will load them.
 *
 * Throws with the assembler's message when the snippet does not assemble, and when it needs
 * relocations (a reference to a symbol it does not define): those bytes would be incomplete.
 */
export async function assembleSnippet(isa: OracleIsa, asmText: string, opts: SnippetAsmOptions = {}): Promise<Uint8Array> {
  return withTempDir(async (dir) => {
    const [s, o, bin] = ['snippet.s', 'snippet.o', 'snippet.bin'].map((f) => join(dir, f)) as [string, string, string];
    await writeFile(s, `${prologue(isa)}\t.text\n${asmText}\n`, 'latin1');
    await runTool(tool(isa, 'as'), [...asArgs(isa, opts), '-o', o, s], 'snippet');
    const elf = await readFile(o);
    const sections = elfSections(elf);
    const text = sections.find((sec) => sec.name === '.text');
    if (text && unresolvedSections(elf, sections).has(text.index)) {
      throw new Error(`snippet needs relocations (it refers to a symbol it does not define):\n${asmText}`);
    }
    await runTool(tool(isa, 'objcopy'), ['-O', 'binary', '-j', '.text', o, bin], 'snippet');
    return new Uint8Array(await readFile(bin));
  });
}

/**
 * Assembles many snippets in a single `as` run and returns each one's bytes, equal to what
 * {@link assembleSnippet} gives for it alone: each snippet gets its own section, so alignment
 * directives and PC-relative offsets inside it behave as if it started at address 0.
 *
 * Snippets share one assembler run, so they must not define the same named label (numeric
 * local labels like `1:` are fine). When the batch fails, each snippet is assembled alone to
 * name the culprit.
 */
export async function assembleMany(isa: OracleIsa, snippets: readonly string[], opts: SnippetAsmOptions = {}): Promise<Uint8Array[]> {
  if (snippets.length === 0) return [];
  return withTempDir(async (dir) => {
    const s = join(dir, 'batch.s');
    const o = join(dir, 'batch.o');
    const parts = [prologue(isa)];
    snippets.forEach((text, i) => parts.push(`\t.section ${BATCH_SECTION}${i},"ax",%progbits\n${text}\n`));
    await writeFile(s, parts.join(''), 'latin1');
    const r = await run(tool(isa, 'as'), [...asArgs(isa, opts), '-o', o, s], { timeout: TOOL_TIMEOUT_MS });
    if (r.timedOut) throw new Error(`${tool(isa, 'as')} timed out after ${TOOL_TIMEOUT_MS} ms on ${snippets.length} snippets`);
    if (r.code !== 0) await blameSnippet(isa, snippets, opts, r.stderr);
    const elf = await readFile(o);
    const sections = elfSections(elf);
    const byName = new Map(sections.map((sec) => [sec.name, sec]));
    const unresolved = unresolvedSections(elf, sections);
    return snippets.map((text, i) => {
      const sec = byName.get(`${BATCH_SECTION}${i}`);
      // An empty section still has a header; a missing one means the text switched sections.
      if (!sec) throw new Error(`snippet ${i}: section ${BATCH_SECTION}${i} missing from the object`);
      if (unresolved.has(sec.index)) {
        throw new Error(`snippet ${i} needs relocations (it refers to a symbol it does not define):\n${text}`);
      }
      return new Uint8Array(elf.subarray(sec.offset, sec.offset + sec.size));
    });
  });
}

/** Finds the first snippet that fails on its own and throws its error; or the batch's. */
async function blameSnippet(isa: OracleIsa, snippets: readonly string[], opts: SnippetAsmOptions, batchErr: string): Promise<never> {
  for (const [i, text] of snippets.entries()) {
    try {
      await assembleSnippet(isa, text, opts);
    } catch (e) {
      throw new Error(`snippet ${i} does not assemble: ${(e as Error).message}`);
    }
  }
  throw new Error(`batch of ${snippets.length} snippets does not assemble, though each does alone (duplicate labels?):\n${batchErr.trim()}`);
}

interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly offset: number;
  readonly size: number;
  /** For a relocation section: the symbol table's section index. */
  readonly link: number;
  /** For a relocation section: the index of the section it patches. */
  readonly info: number;
}

const SHT_SYMTAB = 2;
const SHT_RELA = 4;

/** Section headers of a little-endian ELF64 relocatable object (index 0 left out). */
function elfSections(buf: Buffer): ElfSection[] {
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new Error('not a little-endian ELF64 object');
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const shstrndx = buf.readUInt16LE(0x3e);
  const raw = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      nameOff: buf.readUInt32LE(at),
      type: buf.readUInt32LE(at + 4),
      offset: Number(buf.readBigUInt64LE(at + 0x18)),
      size: Number(buf.readBigUInt64LE(at + 0x20)),
      link: buf.readUInt32LE(at + 0x28),
      info: buf.readUInt32LE(at + 0x2c),
    };
  };
  const strtab = raw(shstrndx).offset;
  const out: ElfSection[] = [];
  for (let i = 1; i < shnum; i++) {
    const { nameOff, ...h } = raw(i);
    const start = strtab + nameOff;
    out.push({ index: i, name: buf.toString('latin1', start, buf.indexOf(0, start)), ...h });
  }
  return out;
}

/**
 * Relocation types whose bytes `as` has already filled in when the symbol lies in the patched
 * section, by ELF machine. RISC-V `as` keeps these relocations (for the linker's relaxation)
 * even for branches it resolved itself; AArch64 `as` emits none for what it resolved, so any
 * AArch64 relocation (e.g. adrp/:lo12:, which depend on the load address) means unfinished bytes.
 * Checked against binutils 2.40: `call` (R_RISCV_CALL_PLT) and `lla` (R_RISCV_PCREL_HI20/LO12)
 * are left as `auipc rd,0` plus a zero offset even when the target is a few bytes away.
 */
const RESOLVED_IN_PLACE: Readonly<Record<number, ReadonlySet<number>>> = {
  /** EM_AARCH64 */
  183: new Set(),
  /** EM_RISCV: BRANCH, JAL, RVC_BRANCH, RVC_JUMP. */
  243: new Set([16, 17, 44, 45]),
};

/**
 * Indices of the sections whose bytes are not final: those patched by a relocation that `as`
 * did not resolve itself (see {@link RESOLVED_IN_PLACE}), or whose symbol lies elsewhere (an
 * undefined symbol, or another snippet's section).
 */
function unresolvedSections(buf: Buffer, sections: readonly ElfSection[]): Set<number> {
  const machine = buf.readUInt16LE(0x12);
  const inPlace = RESOLVED_IN_PLACE[machine];
  if (!inPlace) throw new Error(`unexpected ELF machine ${machine}`);
  const out = new Set<number>();
  const byIndex = new Map(sections.map((s) => [s.index, s]));
  for (const rela of sections) {
    if (rela.type !== SHT_RELA) continue;
    const symtab = byIndex.get(rela.link);
    if (!symtab || symtab.type !== SHT_SYMTAB) throw new Error(`${rela.name}: no symbol table`);
    for (let at = rela.offset; at < rela.offset + rela.size; at += 24) {
      const rInfo = buf.readBigUInt64LE(at + 8);
      const sym = Number(rInfo >> 32n);
      const type = Number(rInfo & 0xffff_ffffn);
      const shndx = sym === 0 ? 0 : buf.readUInt16LE(symtab.offset + sym * 24 + 6);
      if (!inPlace.has(type) || shndx !== rela.info) out.add(rela.info);
    }
  }
  return out;
}
