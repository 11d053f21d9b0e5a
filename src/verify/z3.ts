// Loading Z3 once per process, and running its checks safely. z3-solver solves on a worker
// thread while JavaScript's garbage collector keeps releasing terms on the main thread through
// finalizers; Z3's term manager is not thread-safe, and the two together crash it (seen as
// "memory access out of bounds" in ast_manager::delete_node). So every release requested while
// a check runs is queued, and done when no check is running.

import { init } from 'z3-solver';
import type { Context } from 'z3-solver';
import type { Z3LowLevel } from '../isa/symbolic.js';

type LowLevel = Z3LowLevel & Record<string, unknown>;

let loaded: Promise<{ Context: new (name: 'main') => Context<'main'>; Z3: LowLevel }> | undefined;
let running = 0;
const deferred: (() => void)[] = [];

/** Z3's API objects (the first call loads the WebAssembly module). */
export function loadZ3(): Promise<{ Context: new (name: 'main') => Context<'main'>; Z3: LowLevel }> {
  loaded ??= init().then((api) => {
    const Z3 = api.Z3 as unknown as LowLevel;
    for (const key of Object.keys(Z3)) {
      const release = Z3[key];
      if (!key.endsWith('dec_ref') || typeof release !== 'function') continue;
      Z3[key] = (...args: unknown[]): unknown => {
        if (running > 0) {
          deferred.push(() => release(...args));
          return undefined;
        }
        return release(...args);
      };
    }
    return { Context: api.Context as unknown as new (name: 'main') => Context<'main'>, Z3 };
  });
  return loaded;
}

/** Runs `check` with releases held back until no check is running. */
export async function guardedCheck<T>(check: () => Promise<T>): Promise<T> {
  running++;
  try {
    return await check();
  } finally {
    running--;
    if (running === 0) for (const release of deferred.splice(0)) release();
  }
}
