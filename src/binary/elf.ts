// A small ELF64 little-endian reader: header, program headers, section headers and the symbol
// table. It is enough to load linked images into the emulator and to map symbols to addresses;
// malformed input gives an error value with the offending offset, never an exception.

/** ELF machine numbers we know. */
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;

export interface ElfSegment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: bigint;
  readonly filesz: number;
  readonly memsz: number;
}

export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: number;
  /** STT_* */
  readonly type: number;
  /** STB_* */
  readonly bind: number;
  readonly shndx: number;
}

export interface ElfFile {
  readonly machine: number;
  readonly type: number;
  readonly entry: bigint;
  readonly segments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  readonly bytes: Uint8Array;
}

export const PT_LOAD = 1;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const STT_FUNC = 2;

/** Parses an ELF64 little-endian file. Returns `{ error }` for anything malformed. */
export function readElf(bytes: Uint8Array): ElfFile | { readonly error: string } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (off: number, len: number, what: string): string | undefined =>
    off < 0 || off + len > bytes.length ? `truncated ELF: ${what} at offset ${off} runs past the end (${bytes.length} bytes)` : undefined;
  const early = need(0, 64, 'header');
  if (early) return { error: early };
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return { error: 'not an ELF file (bad magic)' };
  if (bytes[4] !== 2) return { error: 'only 64-bit ELF is supported' };
  if (bytes[5] !== 1) return { error: 'only little-endian ELF is supported' };
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const u64 = (o: number): bigint => dv.getBigUint64(o, true);
  const num = (o: number): number => Number(u64(o));
  const type = u16(16);
  const machine = u16(18);
  const entry = u64(24);
  const phoff = num(32);
  const shoff = num(40);
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);
  const shstrndx = u16(62);

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const bad = need(o, 56, `program header ${i}`);
    if (bad) return { error: bad };
    segments.push({ type: u32(o), flags: u32(o + 4), offset: num(o + 8), vaddr: u64(o + 16), filesz: num(o + 32), memsz: num(o + 40) });
  }
  const raw: { nameOff: number; type: number; flags: bigint; addr: bigint; offset: number; size: number; link: number; entsize: number }[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    const bad = need(o, 64, `section header ${i}`);
    if (bad) return { error: bad };
    raw.push({ nameOff: u32(o), type: u32(o + 4), flags: u64(o + 8), addr: u64(o + 16), offset: num(o + 24), size: num(o + 32), link: u32(o + 40), entsize: num(o + 56) });
  }
  const cstr = (off: number): string => {
    let end = off;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return String.fromCharCode(...bytes.subarray(off, end));
  };
  const strtab = raw[shstrndx];
  const sections: ElfSection[] = raw.map((s) => ({
    name: strtab ? cstr(strtab.offset + s.nameOff) : '',
    type: s.type,
    flags: s.flags,
    addr: s.addr,
    offset: s.offset,
    size: s.size,
  }));
  const symbols: ElfSymbol[] = [];
  for (const s of raw) {
    if (s.type !== SHT_SYMTAB || s.entsize < 24) continue;
    const names = raw[s.link];
    if (!names) return { error: 'symbol table without a string table' };
    const bad = need(s.offset, s.size, 'symbol table');
    if (bad) return { error: bad };
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += s.entsize) {
      const info = bytes[o + 4]!;
      symbols.push({ name: cstr(names.offset + u32(o)), type: info & 0xf, bind: info >> 4, shndx: u16(o + 6), value: u64(o + 8), size: num(o + 16) });
    }
  }
  return { machine, type, entry, segments, sections, symbols, bytes };
}

/** The bytes of a loadable segment, zero-filled to its memory size. */
export function segmentImage(elf: ElfFile, seg: ElfSegment): Uint8Array {
  const out = new Uint8Array(seg.memsz);
  out.set(elf.bytes.subarray(seg.offset, seg.offset + Math.min(seg.filesz, seg.memsz)));
  return out;
}
