// Text and JSON renderings of control-flow graphs, shared by `gns blocks` and the golden tests.

import type { Program } from '../ir/program.js';
import type { FunctionCfg } from './cfg.js';

/** First and last source line of a block's instructions, if it has any. */
function blockLines(program: Program, instructions: readonly number[]): [number, number] | undefined {
  if (instructions.length === 0) return undefined;
  return [program.statements[instructions[0]!]!.span.line, program.statements[instructions[instructions.length - 1]!]!.span.line];
}

/** Human-readable listing: one paragraph per block with successors and live registers. */
export function renderCfgText(program: Program, cfgs: readonly FunctionCfg[]): string {
  let text = `${program.file} (${program.isa}): ${cfgs.length} function(s)\n`;
  for (const c of cfgs) {
    text += `function ${c.name}: ${c.blocks.length} block(s)${c.unresolvedTargets.length ? `, unresolved targets: ${c.unresolvedTargets.join(' ')}` : ''}\n`;
    for (const b of c.blocks) {
      const name = b.labels.length ? b.labels.join(', ') : '(no label)';
      const lines = blockLines(program, b.instructions);
      const where = lines ? `lines ${lines[0]}-${lines[1]}` : 'empty';
      const succ = b.successors.map((s) => `B${s}`).join(' ') || '-';
      text += `  B${b.index} ${name}  [${where}, ${b.instructions.length} insn, ends ${b.terminator}]${b.unsupported ? ' UNSUPPORTED' : ''}\n`;
      text += `     succ: ${succ}${b.exit ? `  exit: ${b.exit}` : ''}\n`;
      text += `     live-in:  ${b.liveIn.join(' ') || '-'}\n     live-out: ${b.liveOut.join(' ') || '-'}\n`;
    }
  }
  return text;
}

/** Machine-readable form of the CFGs of one program. */
export function cfgJson(program: Program, cfgs: readonly FunctionCfg[]): unknown {
  return cfgs.map((c) => ({
    name: c.name,
    unresolvedTargets: c.unresolvedTargets,
    blocks: c.blocks.map((b) => ({
      index: b.index,
      labels: b.labels,
      lines: blockLines(program, b.instructions) ?? null,
      instructions: b.instructions.length,
      terminator: b.terminator,
      successors: b.successors,
      exit: b.exit ?? null,
      unsupported: b.unsupported,
      liveIn: b.liveIn,
      liveOut: b.liveOut,
    })),
  }));
}
