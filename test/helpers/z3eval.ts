// Evaluates ground Z3 terms (no free variables) to values, synchronously, through an empty
// model. z3-solver's `simplify` is asynchronous (it runs on a worker thread) and about 25 times
// slower for this; a test once hung forever awaiting it under load, so tests use this instead.

import assert from 'node:assert/strict';
import type { Bool, BitVec, Context, Model } from 'z3-solver';

/** Evaluators for ground terms of one context. */
export interface GroundEvaluator {
  value(x: BitVec<number, 'main'>): bigint;
  truth(x: Bool<'main'>): boolean;
}

export function groundEvaluator(ctx: Context<'main'>): GroundEvaluator {
  const model: Model<'main'> = new ctx.Model();
  return {
    value(x) {
      const v = model.eval(x, true);
      assert.ok(ctx.isBitVecVal(v), `did not evaluate to a constant: ${v.sexpr().slice(0, 300)}`);
      return v.value();
    },
    truth(x) {
      const v = model.eval(x, true);
      if (ctx.isTrue(v)) return true;
      if (ctx.isFalse(v)) return false;
      assert.fail(`did not evaluate to a boolean: ${v.sexpr().slice(0, 300)}`);
    },
  };
}
