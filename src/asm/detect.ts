// Guesses the ISA of assembly text when the user did not say, from directives gcc writes
// (`.arch armv8-a`, `.attribute arch, "rv64..."`) and from register spellings.

import type { IsaName } from '../ir/program.js';

/** The ISA the text is most likely written for, or undefined when the evidence is unclear. */
export function detectIsa(text: string): IsaName | undefined {
  const head = text.slice(0, 4096);
  if (/^\s*\.arch\s+armv/m.test(head)) return 'aarch64';
  if (/^\s*\.(attribute\s+arch|option\s+(pic|nopic|push|norvc|rvc))/m.test(head)) return 'riscv64';
  const sample = text.slice(0, 65536);
  const a64 = (sample.match(/\b[xw](?:[0-9]|[12][0-9]|30)\b|\[sp|\bsp\]|\bb\.[a-z]{2}\b/g) ?? []).length;
  const rv = (sample.match(/\b(?:a[0-7]|s(?:[0-9]|1[01])|t[0-6]|ra|zero)\b|\(sp\)/g) ?? []).length;
  if (a64 > 2 * rv && a64 > 0) return 'aarch64';
  if (rv > 2 * a64 && rv > 0) return 'riscv64';
  return undefined;
}
