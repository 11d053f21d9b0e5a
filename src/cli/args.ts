// Command-line argument parsing for `gns`: flags with values, booleans and positionals, with
// usage errors reported as values rather than thrown.

/** Parsed arguments of one command. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

/** A flag the command accepts; `value` flags take the next argument (or `--flag=value`). */
export interface FlagSpec {
  readonly name: string;
  readonly value: boolean;
  readonly alias?: string;
}

/** Parses argv against the accepted flags. Returns an error message for unknown flags. */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs | { error: string } {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.alias) byName.set(s.alias, s);
  }
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    const spec = byName.get(key);
    if (!spec) return { error: `unknown option '${a}'` };
    if (!spec.value) {
      if (eq >= 0) return { error: `option '--${spec.name}' takes no value` };
      flags.set(spec.name, true);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) return { error: `option '--${spec.name}' needs a value` };
    flags.set(spec.name, value);
  }
  return { positionals, flags };
}
