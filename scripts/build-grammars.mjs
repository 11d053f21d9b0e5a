// Generates the Lezer parsers (src/asm/gen/<isa>.ts) from grammars/*.grammar. Runs before tsc.
import { buildParserFile } from '@lezer/generator';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';

const grammarDir = 'grammars';
const outDir = join('src', 'asm', 'gen');
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(grammarDir).filter((f) => f.endsWith('.grammar'))) {
  const name = basename(file, '.grammar');
  const src = join(grammarDir, file);
  const out = join(outDir, `${name}.ts`);
  const terms = join(outDir, `${name}.terms.ts`);
  // Skip regeneration when the output is newer than the grammar: keeps rebuilds fast.
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) continue;
  const { parser, terms: termsCode } = buildParserFile(readFileSync(src, 'utf8'), {
    fileName: src,
    typeScript: true,
    moduleStyle: 'es',
    warn: (msg) => { throw new Error(`${src}: ${msg}`); },
  });
  writeFileSync(out, '// @ts-nocheck\n' + parser.replace(/from "\.\/(.*?)"/g, 'from "./$1.js"'));
  writeFileSync(terms, '// @ts-nocheck\n' + termsCode);
  console.log(`generated ${out}`);
}
