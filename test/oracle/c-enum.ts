// Reads the enumerator values out of C header text, so that the constant table in
// unicorn-consts.ts can be checked against the installed Unicorn headers rather than trusted.

/**
 * Evaluates every enumerator of every `enum { ... }` in a C header, following C's rules: an
 * enumerator without an initialiser is one more than the previous one, and an initialiser may be
 * a number, a shift, an or of those, or the name of an earlier enumerator.
 *
 * Only the subset of C that the Unicorn headers use is understood; anything else throws, so a
 * header change cannot silently yield wrong numbers.
 *
 * @param headerText - the text of a C header.
 * @returns a map from enumerator name to value, over all enums in the header.
 */
export function parseCEnums(headerText: string): Map<string, number> {
  const text = headerText.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const values = new Map<string, number>();
  for (const m of text.matchAll(/\benum\b[^{;]*\{([^}]*)\}/g)) {
    let next = 0;
    for (const raw of m[1]!.split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      const eq = item.indexOf('=');
      const name = (eq < 0 ? item : item.slice(0, eq)).trim();
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`unexpected enumerator ${JSON.stringify(item)}`);
      const value = eq < 0 ? next : evalInit(item.slice(eq + 1), values);
      values.set(name, value);
      next = value + 1;
    }
  }
  return values;
}

function evalInit(expr: string, known: Map<string, number>): number {
  const terms = expr.split('|').map((t) => t.trim());
  let acc = 0;
  for (const t of terms) {
    const shift = /^\(?\s*(\w+)\s*<<\s*(\w+)\s*\)?$/.exec(t);
    const v = shift ? atom(shift[1]!, known) << atom(shift[2]!, known) : atom(t.replace(/^\((.*)\)$/, '$1').trim(), known);
    acc |= v;
  }
  return acc;
}

function atom(tok: string, known: Map<string, number>): number {
  if (/^-?(0x[0-9a-f]+|\d+)[uUlL]*$/i.test(tok)) return Number.parseInt(tok.replace(/[uUlL]+$/, ''));
  const v = known.get(tok);
  if (v === undefined) throw new Error(`unknown name ${JSON.stringify(tok)} in enum initialiser`);
  return v;
}
