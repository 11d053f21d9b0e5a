// End-to-end tests of the `gns` command: runs the real bin/gns.js as a user would and checks
// output, JSON shape, exit codes, error locations, and that no stack trace ever reaches the user.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './helpers/golden.js';

const gns = repoPath('bin/gns.js');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [gns, ...args], { encoding: 'latin1', timeout: 60_000, env: { ...process.env, GNS_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function assertNoStackTrace(out: string): void {
  assert.doesNotMatch(out, /^\s+at .+\(.+:\d+:\d+\)$/m, 'no stack trace');
}

const example = repoPath('examples/sum.aarch64.s');

test('gns blocks on the bundled examples', () => {
  for (const isa of ['aarch64', 'riscv64']) {
    const r = run(['blocks', repoPath(`examples/sum.${isa}.s`)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /function sum: \d+ block\(s\)/);
    assert.match(r.stdout, /live-in:/);
    assert.match(r.stdout, /\.L4/);
  }
});

test('gns blocks --json is machine-readable and matches the text', () => {
  const r = run(['blocks', example, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { ok: boolean; files: { isa: string; functions: { name: string; blocks: { labels: string[]; successors: number[] }[] }[] }[] };
  assert.equal(out.ok, true);
  assert.equal(out.files[0]!.isa, 'aarch64');
  const sum = out.files[0]!.functions.find((f) => f.name === 'sum');
  assert.ok(sum);
  const l2 = sum.blocks.findIndex((b) => b.labels.includes('.L2'));
  const l4 = sum.blocks.findIndex((b) => b.labels.includes('.L4'));
  assert.ok(sum.blocks[l2]!.successors.includes(l4), '.L2 branches back to .L4');
});

test('gns blocks on malformed input: errors with locations, exit 1, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gns-cli-'));
  try {
    const bad = join(dir, 'bad.s');
    writeFileSync(bad, '\t.text\nf:\n\tadd\tx0, x1,\n\tldr\tx0, [x1\n\tfrobnicate\tx0\n\tret\n', 'latin1');
    const r = run(['blocks', '--isa', 'aarch64', bad]);
    assert.equal(r.code, 1);
    assertNoStackTrace(r.stderr + r.stdout);
    assert.match(r.stderr, /bad\.s:3:\d+: error:/);
    assert.match(r.stderr, /bad\.s:4:\d+: error:/);
    assert.match(r.stderr, /bad\.s:5:\d+: error:.*frobnicate/);
    const j = run(['blocks', '--isa', 'aarch64', bad, '--json']);
    assert.equal(j.code, 1);
    const out = JSON.parse(j.stdout) as { ok: boolean; files: { diagnostics: { span: { line: number } }[] }[] };
    assert.equal(out.ok, false);
    assert.deepEqual(out.files[0]!.diagnostics.map((d) => d.span.line), [3, 4, 5]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gns exit codes: usage 2, missing file 3, binary junk handled', () => {
  assert.equal(run([]).code, 2);
  assert.equal(run(['frob']).code, 2);
  const u = run(['blocks', '--bogus', example]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /unknown option '--bogus'/);
  assert.equal(run(['blocks', '--isa', 'mips', example]).code, 2);
  const m = run(['blocks', '/nonexistent/x.s']);
  assert.equal(m.code, 3);
  assert.match(m.stderr, /cannot read '\/nonexistent\/x\.s': no such file/);
  assertNoStackTrace(m.stderr);
  const mj = run(['blocks', '/nonexistent/x.s', '--json']);
  assert.equal((JSON.parse(mj.stdout) as { exitCode: number }).exitCode, 3);

  const dir = mkdtempSync(join(tmpdir(), 'gns-cli-'));
  try {
    const junk = join(dir, 'junk.s');
    writeFileSync(junk, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff, 0x00, 0x0a, 0x01, 0x02]));
    const r = run(['blocks', '--isa', 'riscv64', junk]);
    assert.equal(r.code, 1);
    assertNoStackTrace(r.stderr);
    assert.match(r.stderr, /junk\.s:1:1: error:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gns fmt prints from the IR, never overwrites its input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gns-cli-'));
  try {
    const src = join(dir, 'in.s');
    const original = readFileSync(repoPath('examples/sum.riscv64.s'), 'latin1');
    writeFileSync(src, original, 'latin1');
    const refused = run(['fmt', src, '--out', src]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refusing to overwrite the input file/);
    assert.equal(readFileSync(src, 'latin1'), original, 'input untouched');

    const same = run(['fmt', src]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /\taddi\tsp,sp,-48/);
    const canon = run(['fmt', src, '--canonical', '--out', join(dir, 'out.s')]);
    assert.equal(canon.code, 0, canon.stderr);
    assert.match(readFileSync(join(dir, 'out.s'), 'latin1'), /^sum:/m);
    const j = run(['fmt', src, '--json']);
    assert.equal((JSON.parse(j.stdout) as { text: string }).text, same.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
