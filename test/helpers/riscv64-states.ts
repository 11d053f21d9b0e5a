// Random RISC-V 64 machine values for the differential semantics tests, biased towards the values
// where implementations go wrong: 0, -1, INT_MIN/INT_MAX at 32 and 64 bits, shift amounts at and
// past the width, division corner cases, and for floating point zeros of both signs, infinities,
// quiet and signalling NaNs, subnormals, integer-conversion boundaries and badly NaN-boxed singles.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/util/proc.js';
import { Rng } from '../../src/util/random.js';

const M64 = (1n << 64n) - 1n;

/** A random 64-bit value, uniform over all bits. */
export function u64(rng: Rng): bigint {
  return (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32());
}

const INT_EDGES: readonly bigint[] = [
  0n, 1n, 2n, M64, M64 - 1n, 1n << 63n, (1n << 63n) - 1n, (1n << 63n) + 1n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_0000_0000n, 0xffff_ffff_8000_0000n, 0xffff_ffff_7fff_ffffn,
  0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0001n,
  31n, 32n, 33n, 63n, 64n, 65n, 0xffff_ffff_ffff_ffe0n, 0xffff_ffff_ffff_ffc1n, 0x1_0000_001fn,
  0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x800n, 0xfffn,
  0x100_0001n, 0x20_0000_0000_0001n, 0xffff_ffff_ff00_0001n, // float precision boundaries
];

/** A 64-bit integer register value biased to edges; a third are edges, a third small or 32-bit. */
export function edgeInt(rng: Rng): bigint {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return rng.pick(INT_EDGES);
    case 2:
      return BigInt(rng.int(200) - 100) & M64; // small, either sign
    case 3:
      return BigInt.asUintN(64, BigInt.asIntN(32, BigInt(rng.nextU32()))); // a sign-extended int
    case 4:
      return BigInt(rng.nextU32()) | (rng.int(2) ? 0xdead_beef_0000_0000n : 0n); // garbage above a word
    default:
      return u64(rng);
  }
}

const F32_EDGES: readonly bigint[] = [
  0x00000000n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc00000n, 0x7f800001n, 0x7fa00000n, 0xff800001n,
  0x7fc00001n, 0x00000001n, 0x807fffffn, 0x007fffffn, 0x00800000n, 0x80800000n, 0x3f800000n, 0xbf800000n, 0x7f7fffffn,
  0xff7fffffn, 0x3f000000n, 0x3fc00000n, 0x40200000n, 0xbf000000n, 0xbfc00000n, 0x3effffffn, 0x4b000000n,
  0x4effffffn, 0x4f000000n, 0xcf000000n, 0xcf000001n, 0x4f800000n, 0x4f7fffffn, 0x5effffffn, 0x5f000000n,
  0xdf000000n, 0x5f800000n, 0x5f7fffffn, 0xbf7fffffn,
];

const F64_EDGES: readonly bigint[] = [
  0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n,
  0x7ff0000000000001n, 0x7ff4000000000000n, 0x7ff8000000000001n, 1n, 0x800fffffffffffffn, 0x000fffffffffffffn,
  0x0010000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn,
  0x3fe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n, 0xbfe0000000000000n, 0x3fdfffffffffffffn,
  0x4330000000000000n, 0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0xc1e0000000200000n,
  0x41efffffffe00000n, 0x41f0000000000000n, 0x43dfffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n,
  0x43efffffffffffffn, 0x43f0000000000000n, 0x36a0000000000000n, 0x3810000000000000n, 0x47efffffe0000000n,
  0x47efffffffffffffn, 0xbfefffffffffffffn,
];

const f64buf = new DataView(new ArrayBuffer(8));

/** A float bit pattern of width fw: an edge, a moderate random value, or random bits. */
export function edgeFloat(rng: Rng, fw: 32 | 64): bigint {
  const r = rng.int(8);
  if (r < 3) return rng.pick(fw === 32 ? F32_EDGES : F64_EDGES);
  if (r < 6) {
    // Moderate magnitudes, some integral, so sums, products and conversions are interesting.
    let v = (rng.nextU32() / 2 ** 32 - 0.5) * 2 ** (rng.int(80) - 30);
    if (rng.int(3) === 0) v = Math.round(v * 2) / 2;
    if (fw === 32) {
      f64buf.setFloat32(0, v);
      return BigInt(f64buf.getUint32(0));
    }
    f64buf.setFloat64(0, v);
    return f64buf.getBigUint64(0);
  }
  return fw === 32 ? BigInt(rng.nextU32()) : u64(rng);
}

/** A NaN-boxed single. */
export function boxed(bits32: bigint): bigint {
  return (0xffff_ffffn << 32n) | (bits32 & 0xffff_ffffn);
}

/**
 * An f-register value for an instruction that reads format `fw`: for singles mostly properly
 * NaN-boxed values, sometimes badly boxed ones (which must read as the canonical NaN); for
 * doubles mostly doubles, sometimes boxed singles.
 */
export function fpReg(rng: Rng, fw: 32 | 64): bigint {
  const r = rng.int(20);
  if (fw === 32) {
    if (r < 16) return boxed(edgeFloat(rng, 32));
    if (r < 19) {
      const upper = rng.pick([0n, 0xffff_fffen, 0x7fff_ffffn, BigInt(rng.nextU32())]);
      return (upper << 32n) | edgeFloat(rng, 32);
    }
    return u64(rng);
  }
  if (r < 17) return edgeFloat(rng, 64);
  if (r < 19) return boxed(edgeFloat(rng, 32));
  return u64(rng);
}

/** A memory byte, biased to 0x00, 0xff, 0x80, 0x7f so loads see sign boundaries. */
export function edgeByte(rng: Rng): number {
  return rng.int(3) === 0 ? rng.pick([0x00, 0xff, 0x80, 0x7f]) : rng.int(256);
}

/** A deterministic 32-bit seed from a string (FNV-1a), for per-instance generators. */
export function seedOf(text: string, base: number): number {
  let h = 0x811c9dc5 ^ base;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Assembling and linking snippets at fixed addresses
// ---------------------------------------------------------------------------------------------

/**
 * Assembles snippets (RV64G, no compressed instructions, no relaxation) and links snippet i at
 * `addrs[i]`, returning each snippet's linked bytes. GNU as leaves every pc-relative reference
 * (branches, `lla`, `call`) as a relocation, even to a label of the same section, so snippets
 * that name symbols need the linker; `assembleMany` in test/oracle only takes relocation-free
 * code.
 */
export async function assembleLinked(snippets: readonly string[], addrs: readonly bigint[]): Promise<Uint8Array[]> {
  const dir = await mkdtemp(join(tmpdir(), 'gns-rv-sem-'));
  try {
    const [s, o, elf] = ['all.s', 'all.o', 'all.elf'].map((f) => join(dir, f)) as [string, string, string];
    const text = ['\t.option norelax\n\t.option norvc\n'];
    snippets.forEach((t, i) => text.push(`\t.section gnssnip${i},"ax",%progbits\n${t}\n`));
    await writeFile(s, text.join(''), 'latin1');
    await tool('riscv64-linux-gnu-as', ['-march=rv64g', '-mabi=lp64d', '-o', o, s]);
    const starts = addrs.map((a, i) => `--section-start=gnssnip${i}=0x${a.toString(16)}`);
    await tool('riscv64-linux-gnu-ld', ['--no-relax', '-e', '0', '-o', elf, ...starts, o]);
    const buf = await readFile(elf);
    const sections = new Map(elfSections(buf).map((sec) => [sec.name, sec]));
    return snippets.map((_, i) => {
      const sec = sections.get(`gnssnip${i}`);
      if (!sec) throw new Error(`section gnssnip${i} missing from the linked file`);
      return new Uint8Array(buf.subarray(sec.offset, sec.offset + sec.size));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function tool(cmd: string, args: readonly string[]): Promise<void> {
  const r = await run(cmd, args, { timeout: 60_000 });
  if (r.timedOut) throw new Error(`${cmd} timed out`);
  if (r.code !== 0) throw new Error(`${cmd} failed:\n${r.stderr.slice(0, 4000)}`);
}

/** Names, file offsets and sizes of the sections of a little-endian ELF64 file. */
function elfSections(buf: Buffer): { name: string; offset: number; size: number }[] {
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const header = (i: number): { nameOff: number; offset: number; size: number } => {
    const at = shoff + i * shentsize;
    return { nameOff: buf.readUInt32LE(at), offset: Number(buf.readBigUInt64LE(at + 0x18)), size: Number(buf.readBigUInt64LE(at + 0x20)) };
  };
  const strtab = header(buf.readUInt16LE(0x3e)).offset;
  const out: { name: string; offset: number; size: number }[] = [];
  for (let i = 1; i < shnum; i++) {
    const h = header(i);
    const start = strtab + h.nameOff;
    out.push({ name: buf.toString('latin1', start, buf.indexOf(0, start)), offset: h.offset, size: h.size });
  }
  return out;
}
