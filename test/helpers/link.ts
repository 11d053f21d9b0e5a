// Assembles and links a gcc output file into a fixed-address image, for running its functions
// in Unicorn and in our emulator side by side: the ELF image, every symbol's address (local
// `.L` labels kept with `as -L`), and the address and size of every source line from the
// assembler's listing, so the emulator's layout matches the real one byte for byte.

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { IsaName, Program } from '../../src/ir/program.js';
import { readElf, type ElfFile } from '../../src/binary/elf.js';
import type { Layout } from '../../src/emu/machine.js';

const run = promisify(execFile);
const triple: Record<IsaName, string> = { aarch64: 'aarch64-linux-gnu', riscv64: 'riscv64-linux-gnu' };
const asFlags: Record<IsaName, string[]> = { aarch64: [], riscv64: ['-march=rv64gc', '-mabi=lp64d'] };
const TEXT_BASE = '0x400000';

/**
 * The same program, changed only so that every label keeps an address in the linked image, which
 * the emulator needs (`adrp x0, .LC0`, `lla a4, .L4`):
 * - mergeable sections (`"aM"`, `"aMS"`) become plain: the linker merges them and drops their
 *   local labels; the bytes and code are the same without the flag;
 * - on RISC-V, `.L` labels are renamed `__gnsL...`: its assembler discards `.L` symbols even with
 *   `-L`, while AArch64's keeps them.
 */
export function linkableText(isa: IsaName, text: string): string {
  const plain = text.replace(/^(\s*\.section\s+[^,\n]+,\s*")([^"]*)"(,\s*[@%]\w+)?(,\s*\d+)?/gm, (all, pre: string, flags: string, type: string | undefined) =>
    flags.includes('M') ? `${pre}${flags.replace(/[MS]/g, '')}"${type ?? ''}` : all,
  );
  return isa === 'riscv64' ? plain.replace(/(?<![\w.$"])\.L(?=[\w$])/g, '__gnsL') : plain;
}

/** A linked image of one assembly file. */
export interface LinkedImage {
  readonly elf: ElfFile;
  readonly symbols: ReadonlyMap<string, bigint>;
  /** Source line (1-based) -> offset in its section and encoded size, from the listing. */
  readonly lines: ReadonlyMap<number, { readonly offset: number; readonly size: number }>;
}

/**
 * Assembles (keeping local symbols, with a listing) and links `text` at a fixed address. Pass text
 * through {@link linkableText} first when the emulator needs every label's address.
 */
export async function assembleAndLink(isa: IsaName, text: string, dir: string): Promise<LinkedImage | { error: string }> {
  const src = join(dir, 'in.s');
  const obj = join(dir, 'in.o');
  const exe = join(dir, 'in.elf');
  const listing = join(dir, 'in.lst');
  writeFileSync(src, text, 'latin1');
  try {
    await run(`${triple[isa]}-as`, [...asFlags[isa], '-L', `-aln=${listing}`, '-o', obj, src], { timeout: 60_000 });
    const relax = isa === 'riscv64' ? ['--no-relax'] : [];
    await run(`${triple[isa]}-ld`, ['-static', `-Ttext=${TEXT_BASE}`, '--unresolved-symbols=ignore-all', ...relax, '-e', '0', '-o', exe, obj], { timeout: 60_000 });
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e).slice(0, 400) };
  }
  const elf = readElf(new Uint8Array(readFileSync(exe)));
  if ('error' in elf) return elf;
  const symbols = new Map<string, bigint>();
  for (const s of elf.symbols) if (s.name && s.shndx !== 0) symbols.set(s.name, s.value);
  return { elf, symbols, lines: parseListing(readFileSync(listing, 'latin1')) };
}

/** Parses `as -aln` output: `  12 0002 63E9A704   bgtu a0,a5,.L2`, continuation lines add bytes. */
function parseListing(text: string): Map<number, { offset: number; size: number }> {
  const out = new Map<number, { offset: number; size: number }>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s([0-9a-f]{4,})\s([0-9A-F]+)\s/.exec(line);
    if (m) {
      const n = Number(m[1]);
      const prev = out.get(n);
      const size = m[3]!.length / 2;
      if (prev) out.set(n, { offset: prev.offset, size: prev.size + size });
      else out.set(n, { offset: parseInt(m[2]!, 16), size });
      continue;
    }
    const cont = /^\s*(\d+)\s+([0-9A-F]+)\s*$/.exec(line);
    if (cont) {
      const n = Number(cont[1]);
      const prev = out.get(n);
      if (prev) out.set(n, { offset: prev.offset, size: prev.size + cont[2]!.length / 2 });
    }
  }
  return out;
}

/**
 * The emulator layout of one function: each instruction's real address, from the function
 * symbol's address and the listing's section offsets (all of a function is in one section).
 */
export function functionLayout(program: Program, image: LinkedImage, fn: { name: string; start: number; end: number }): Layout | undefined {
  const base = image.symbols.get(fn.name);
  const label = program.statements[fn.start];
  const at = label ? image.lines.get(label.span.line) : undefined;
  // A label line has no bytes; its offset is that of the next line with bytes.
  let labelOffset = at?.offset;
  if (labelOffset === undefined) {
    for (let i = fn.start + 1; i < fn.end && labelOffset === undefined; i++) {
      const s = program.statements[i]!;
      if (s.kind === 'insn') labelOffset = image.lines.get(s.span.line)?.offset;
    }
  }
  if (base === undefined || labelOffset === undefined) return undefined;
  const sectionBase = base - BigInt(labelOffset);
  return {
    address: (i) => sectionBase + BigInt(image.lines.get(program.statements[i]!.span.line)?.offset ?? 0),
    size: (i) => image.lines.get(program.statements[i]!.span.line)?.size ?? 4,
  };
}
