// Instruction-table machinery shared by the ISAs: expanding mnemonic patterns and matching an
// instruction's operands against the forms of its mnemonic, with clear errors when none fits.

import type { DescribeError } from './types.js';

/** Expands `fadd.{s,d}` into `fadd.s`, `fadd.d` (nested braces too). */
export function expandBraces(word: string): string[] {
  const m = /^(.*?)\{([^}]*)\}(.*)$/.exec(word);
  if (!m) return [word];
  return m[2]!.split(',').flatMap((alt) => expandBraces(m[1]! + alt + m[3]!));
}

/** A form: one role per operand. */
export interface RoleForm<R> {
  readonly roles: readonly R[];
}

/**
 * The first form whose roles the operands fit, or an error naming the operand at fault: the one
 * that got furthest in any form of the right length, else a wrong operand count.
 */
export function matchForm<R, O, F extends RoleForm<R>>(
  mnemonic: string,
  forms: readonly F[],
  ops: readonly O[],
  fits: (role: R, op: O) => boolean,
  roleWords: (role: R) => string,
): F | DescribeError {
  let best: { index: number; role: R } | undefined;
  for (const f of forms) {
    if (f.roles.length !== ops.length) continue;
    let bad = -1;
    for (let i = 0; i < ops.length; i++) {
      if (!fits(f.roles[i]!, ops[i]!)) {
        bad = i;
        break;
      }
    }
    if (bad < 0) return f;
    if (!best || bad > best.index) best = { index: bad, role: f.roles[bad]! };
  }
  if (best) return { error: `operand ${best.index + 1} of '${mnemonic}' must be ${roleWords(best.role)}`, code: 'operand', operand: best.index };
  const counts = [...new Set(forms.map((f) => f.roles.length))].sort((a, b) => a - b);
  const max = counts[counts.length - 1] ?? 0;
  const want = counts.length === 1 ? `${counts[0]}` : `${counts.slice(0, -1).join(', ')} or ${max}`;
  const plural = max === 1 ? '' : 's';
  return ops.length > max
    ? { error: `'${mnemonic}' takes ${want} operand${plural}, got ${ops.length} (extra operand)`, code: 'operand', operand: max }
    : { error: `'${mnemonic}' takes ${want} operand${plural}, got ${ops.length} (missing operand)`, code: 'operand', operand: ops.length };
}
