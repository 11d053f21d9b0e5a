// The registry of instruction semantics per ISA, for the emulator, the prover and `gns coverage`.

import type { IsaName } from '../ir/program.js';
import type { IsaSemantics } from './exec.js';
import { aarch64Semantics } from './aarch64/semantics.js';
import { riscv64Semantics } from './riscv64/semantics.js';

const registry: { readonly [I in IsaName]: IsaSemantics<I> } = {
  aarch64: aarch64Semantics,
  riscv64: riscv64Semantics,
};

/** The semantics table of an ISA. */
export function semanticsFor<I extends IsaName>(isa: I): IsaSemantics<I> {
  return registry[isa] as unknown as IsaSemantics<I>;
}
