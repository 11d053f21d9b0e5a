// The cross assemblers and the exact flags gcc 12 hands them (from `gcc -v -c`), shared by the
// round-trip harness and the benchmarks so both assemble exactly as the compiler driver would.

export type ToolIsa = 'aarch64' | 'riscv64';

export function asCommand(isa: ToolIsa): string {
  return `${isa}-linux-gnu-as`;
}

/**
 * gcc adds `--gdwarf-5` under -g; for gcc's own output (which carries its debug info) it changes
 * nothing, but it is reproduced so any future difference shows. RISC-V repeats `-march` because
 * gcc does.
 */
export function asFlags(isa: ToolIsa, debug: boolean): string[] {
  const g = debug ? ['--gdwarf-5'] : [];
  if (isa === 'aarch64') return [...g, '-EL', '-mabi=lp64'];
  return [
    ...g,
    '--traditional-format',
    '-fpic',
    '-march=rv64imafdc_zicsr_zifencei',
    '-march=rv64imafdc_zicsr_zifencei',
    '-mabi=lp64d',
    '-misa-spec=20191213',
  ];
}
