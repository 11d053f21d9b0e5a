// Constant data behind local labels, as the verifier maps it into both sides' memories: the bytes
// of each directive, the last constant of a file (gcc follows it with `.ident`, which places its
// bytes in .comment), and pairing of the two sides' labels by content.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAsm } from '../src/asm/index.js';
import { localData, pairDataLabels } from '../src/verify/data.js';

const RISCV = `
	.section	.rodata
	.align	3
.LC0:
	.string	"hi\\n"
	.align	3
.LC6:
	.dword	81985529216486895
	.ident	"GCC: (Debian 12.2.0-13) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
`;

const AARCH64 = `
	.section	.rodata
	.align	3
.LC3:
	.xword	81985529216486895
.LC4:
	.string	"hi\\n"
.LC5:
	.word	1, .LC4
`;

test('local data: bytes of each label, the last one before .ident included', () => {
  const { images } = localData(parseAsm(RISCV, { isa: 'riscv64', file: 'a.s' }).program);
  assert.deepEqual([...images.get('.LC0')!], [0x68, 0x69, 0x0a, 0]);
  assert.deepEqual([...images.get('.LC6')!], [0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01]);
});

test('local data: labels pair by content across the two sides; a symbol reference has no image', () => {
  const s = localData(parseAsm(AARCH64, { isa: 'aarch64', file: 's.s' }).program);
  const t = localData(parseAsm(RISCV, { isa: 'riscv64', file: 't.s' }).program);
  assert.equal(s.images.has('.LC5'), false);
  assert.deepEqual([...pairDataLabels(s.keys, t.keys)].sort(), [['.LC0', '.LC4'], ['.LC6', '.LC3']]);
});
