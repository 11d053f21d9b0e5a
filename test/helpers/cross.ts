// C snippets compiled by both real cross gccs, for tests that check gns against gcc's own
// translations of the same source.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAsm } from '../../src/asm/index.js';
import { gccFor } from '../../src/data/sources.js';
import type { Program } from '../../src/ir/program.js';

export type CrossIsa = 'aarch64' | 'riscv64';

/** One ISA's assembly of the snippet: where it is, its text, and a parser for it or a variant. */
export interface CrossAsm {
  readonly path: string;
  readonly text: string;
  load(text?: string): Program;
}

/** Compiles `source` at -O0 (plus `flags`) for both ISAs into a fresh temporary folder. */
export function crossCompile(name: string, source: string, flags: readonly string[] = []): Record<CrossIsa, CrossAsm> {
  const tmp = mkdtempSync(join(tmpdir(), `gns-${name}-`));
  const c = join(tmp, `${name}.c`);
  writeFileSync(c, source);
  const one = (isa: CrossIsa): CrossAsm => {
    const path = join(tmp, `${isa}.s`);
    const r = spawnSync(gccFor(isa), ['-S', '-O0', '-w', ...flags, '-o', path, c], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${gccFor(isa)} failed: ${r.stderr}`);
    const text = readFileSync(path, 'latin1');
    return { path, text, load: (variant = text) => parseAsm(variant, { isa, file: `${isa}.s` }).program };
  };
  return { aarch64: one('aarch64'), riscv64: one('riscv64') };
}
