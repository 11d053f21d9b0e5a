// The assembly-aware tokenizer shared by the trainer and the runtime. A block's canonical text is
// cut into pieces (words, numbers, relocation operators, punctuation, whitespace) and each piece
// becomes one whole token when the vocabulary has it: every mnemonic and register of both ISAs,
// the punctuation, and the words and numbers frequent in the training split. A number the
// vocabulary lacks is spelled digit by digit (its sign is the `-` piece before it), local labels
// become per-block placeholders (`.L17` -> `<L0>`) restored on the way back, and anything else
// falls back to single characters and raw bytes. Decoding concatenates, so
// `decode(encode(x)) === x` holds for every input, byte for byte.

import { readFileSync } from 'node:fs';
import { knownMnemonics as aarch64Mnemonics } from '../isa/aarch64/table.js';
import { knownMnemonics as riscv64Mnemonics } from '../isa/riscv64/table.js';
import { FPR_NAMES, GPR_NAMES } from '../isa/riscv64/registers.js';

// ---------------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------------

/**
 * One pre-tokenization step. Alternatives in priority order: a mnemonic with the tab after it at
 * the start of a line (`add\t`, `b.ne\t`, `fcvt.d.w\t`), local labels, directives (`.cfi_endproc`), `:lo12:`-style and
 * `%hi`-style relocation operators, a RISC-V base register in parentheses (`(sp)`), words
 * (registers, symbols, `printf@plt`), hex numbers, decimal numbers with their sign, `, `, then any
 * single character. Fusing the frequent combinations keeps sequences short.
 */
const PIECE = /(?<![^\n])[A-Za-z][\w.]*\t|\.L[\w.$]*|\.[A-Za-z_][\w.]*|:[a-z][a-z0-9_]*:|%[a-z][a-z0-9_]*|\([a-z][a-z0-9]*\)|[A-Za-z_$][\w.$@]*|0x[0-9a-fA-F]+|-?[0-9]+|, |[^]/gy;
const LOCAL_LABEL = /^\.L[\w.$]*$/;
const WORD = /^(?:[A-Za-z][\w.]*\t|\.[A-Za-z_][\w.]*|[A-Za-z_$][\w.$@]*|:[a-z][a-z0-9_]*:|%[a-z][a-z0-9_]*|\([a-z][a-z0-9]*\))$/;
const DECIMAL = /^-?[0-9]+$/;

/** Splits text into pieces; their concatenation is the text. */
export function pieces(text: string): string[] {
  PIECE.lastIndex = 0;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = PIECE.exec(text)) !== null) out.push(m[0]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** Special tokens, at fixed ids. */
export const SPECIAL_TOKENS = ['<pad>', '<bos>', '<eos>', '<sep>'] as const;
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const SEP = 3;
/** Label placeholders per block; a block with more local labels spells the rest out. */
export const MAX_LABELS = 64;

/** The saved vocabulary: `tokens[id]` is the token's text (or `<L3>`, `<0x9f>`, `<pad>`). */
export interface VocabFile {
  readonly format: 'gns-vocab';
  readonly version: 1;
  readonly tokens: readonly string[];
  /** How the learned part was chosen (for the record; the tokens alone define the tokenizer). */
  readonly built?: { readonly minCount: number; readonly maxNumbers: number; readonly maxWords: number };
}

/** Piece counts from the training split, the input of `buildVocab`. */
export class PieceCounts {
  readonly words = new Map<string, number>();
  readonly numbers = new Map<string, number>();

  /** Counts the pieces of one block's text. */
  add(text: string): void {
    for (const p of pieces(text)) {
      if (LOCAL_LABEL.test(p)) continue;
      const m = DECIMAL.test(p) ? this.numbers : WORD.test(p) || p === ', ' ? this.words : undefined;
      if (m) m.set(p, (m.get(p) ?? 0) + 1);
    }
  }
}

/** Options of `buildVocab`. */
export interface VocabOptions {
  /** A word or number must occur this often in the train split to become a token. */
  readonly minCount?: number;
  /** At most this many whole-number tokens (the most frequent; training cost grows with length). */
  readonly maxNumbers?: number;
  /** At most this many learned word tokens beyond the ISA's mnemonics and registers. */
  readonly maxWords?: number;
}

/** Canonical register names of both ISAs: whole tokens whatever their frequency. */
function registerNames(): string[] {
  const out: string[] = [...GPR_NAMES, ...FPR_NAMES];
  for (let i = 0; i <= 30; i++) out.push(`x${i}`, `w${i}`);
  out.push('sp', 'wsp', 'xzr', 'wzr');
  for (let i = 0; i <= 31; i++) for (const p of ['b', 'h', 's', 'd', 'q', 'v']) out.push(`${p}${i}`);
  return out;
}

/** Punctuation, relocation operators, operand keywords and the directives gcc's output uses. */
const FIXED_PIECES = [
  '.text', '.data', '.bss', '.section', '.rodata', '.align', '.p2align', '.balign', '.global', '.globl', '.local', '.weak', '.hidden', '.type', '.size',
  '.byte', '.hword', '.half', '.short', '.word', '.long', '.xword', '.dword', '.quad', '.string', '.ascii', '.zero', '.comm', '.lcomm', '.set', '.ident',
  '.file', '.loc', '.arch', '.option', '.attribute', '.cfi_startproc', '.cfi_endproc', '.cfi_def_cfa', '.cfi_def_cfa_offset', '.cfi_def_cfa_register',
  '.cfi_offset', '.cfi_restore', '.cfi_remember_state', '.cfi_restore_state', '%function', '%object', '%progbits',
', ', ':lo12:', ':got:', ':got_lo12:', ':tlsdesc:', ':tlsdesc_lo12:', '%hi', '%lo', '%pcrel_hi', '%pcrel_lo', '%got_pcrel_hi', '%tprel_hi', '%tprel_lo', '%tprel_add', '%tls_ie_pcrel_hi', '%tls_gd_pcrel_hi', 'lsl', 'lsr', 'asr', 'ror', 'uxtw', 'sxtw', 'uxtb', 'uxth', 'sxtb', 'sxth', 'sxtx', 'uxtx', 'mul', 'vl'];

function byCountThenText(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Builds the vocabulary from train-split counts. Deterministic: equal counts give equal vocabularies. */
export function buildVocab(counts: PieceCounts, opts: VocabOptions = {}): VocabFile {
  const minCount = opts.minCount ?? 20;
  const maxNumbers = opts.maxNumbers ?? 1024;
  const maxWords = opts.maxWords ?? 4096;
  const tokens: string[] = [...SPECIAL_TOKENS];
  for (let i = 0; i < MAX_LABELS; i++) tokens.push(`<L${i}>`);
  for (let b = 0; b < 256; b++) tokens.push(byteToken(b));
  const seen = new Set<string>();
  const add = (t: string): void => {
    if (!seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  };
  // Every printable ASCII character, tab and newline: the spelling of anything else.
  add('\t');
  add('\n');
  for (let c = 0x20; c < 0x7f; c++) add(String.fromCharCode(c));
  for (const t of FIXED_PIECES) add(t);
  // Mnemonics come with their tab (`add\t`), or bare when they take no operands (`ret`).
  for (const t of [...aarch64Mnemonics(), ...riscv64Mnemonics()].sort()) add(`${t}\t`);
  for (const t of [...aarch64Mnemonics(), ...riscv64Mnemonics()].sort()) add(t);
  for (const t of GPR_NAMES) add(`(${t})`);
  for (const t of registerNames()) add(t);
  let words = 0;
  for (const [w, n] of byCountThenText(counts.words)) {
    if (n < minCount || words >= maxWords) break;
    if (!seen.has(w)) {
      add(w);
      words++;
    }
  }
  let numbers = 0;
  for (const [w, n] of byCountThenText(counts.numbers)) {
    if (n < minCount || numbers >= maxNumbers) break;
    if (w.length > 1 && !seen.has(w)) {
      add(w);
      numbers++;
    }
  }
  return { format: 'gns-vocab', version: 1, tokens, built: { minCount, maxNumbers, maxWords } };
}

function byteToken(b: number): string {
  return `<0x${b.toString(16).padStart(2, '0')}>`;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

/** A block's token ids, and the labels its placeholders stand for (`labels[k]` is `<Lk>`). */
export interface Encoded {
  readonly ids: number[];
  readonly labels: string[];
}

/** Raised for a vocabulary file that is missing, corrupt or of another format. */
export class VocabError extends Error {}

/** Encodes block text to token ids and back. */
export class Tokenizer {
  private readonly ids = new Map<string, number>();
  private readonly labelBase: number;
  private readonly byteBase: number;

  constructor(readonly vocab: VocabFile) {
    vocab.tokens.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i);
    });
    this.labelBase = this.ids.get('<L0>') ?? -1;
    this.byteBase = this.ids.get('<0x00>') ?? -1;
    if (this.labelBase < 0 || this.byteBase < 0 || vocab.tokens[this.byteBase + 255] !== '<0xff>') throw new VocabError('the vocabulary lacks label or byte tokens');
  }

  /** Loads a vocabulary saved by `gns data build` (`vocab.json`). */
  static load(path: string): Tokenizer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new VocabError(`cannot read vocabulary '${path}': ${(e as Error).message}`);
    }
    const v = parsed as Partial<VocabFile>;
    if (v.format !== 'gns-vocab' || v.version !== 1 || !Array.isArray(v.tokens) || !v.tokens.every((t) => typeof t === 'string')) {
      throw new VocabError(`'${path}' is not a gns vocabulary (format gns-vocab, version 1)`);
    }
    return new Tokenizer(v as VocabFile);
  }

  get size(): number {
    return this.vocab.tokens.length;
  }

  /**
   * Encodes one block's text. Local labels become `<L0>`, `<L1>`, ... in order of first use;
   * `labels` seeds that order, so a target block can share its source block's placeholders
   * (pass the target labels that correspond to the source's `<L0>`, `<L1>`, ...).
   */
  encode(text: string, labels: readonly string[] = []): Encoded {
    const out: number[] = [];
    const order = [...labels];
    for (const p of pieces(text)) {
      if (LOCAL_LABEL.test(p)) {
        let k = order.indexOf(p);
        if (k < 0 && order.length < MAX_LABELS) k = order.push(p) - 1;
        if (k >= 0 && k < MAX_LABELS) {
          out.push(this.labelBase + k);
          continue;
        }
      }
      const whole = this.ids.get(p);
      if (whole !== undefined) {
        out.push(whole);
        continue;
      }
      // Sign plus digits for numbers, characters (then bytes) for everything else.
      // A mnemonic piece (`add\t`) the vocabulary lacks is spelled out the same way.
      for (const ch of p) {
        const id = this.ids.get(ch);
        if (id !== undefined) out.push(id);
        else for (const b of Buffer.from(ch, 'latin1')) out.push(this.byteBase + b);
      }
    }
    return { ids: out, labels: order };
  }

  /**
   * Encodes a source block and its target so that corresponding labels share placeholders:
   * `targetToSource` maps a target label to the source label it corresponds to (a corpus record's
   * `labels`). Target labels with no source counterpart get placeholders after the source's.
   */
  encodePair(source: string, target: string, targetToSource: Readonly<Record<string, string>> = {}): { source: Encoded; target: Encoded } {
    const src = this.encode(source);
    const bySource = new Map<string, string>();
    for (const [t, s] of Object.entries(targetToSource)) if (!bySource.has(s)) bySource.set(s, t);
    // An empty label never matches a piece, so it only holds the slot of an unmatched source label.
    return { source: src, target: this.encode(target, src.labels.map((l) => bySource.get(l) ?? '')) };
  }

  /** Decodes ids back to text; `<Lk>` becomes `labels[k]` (or stays `<Lk>` when unknown). */
  decode(ids: readonly number[], labels: readonly string[] = []): string {
    let out = '';
    for (const id of ids) out += this.tokenText(id, labels);
    return out;
  }

  /** The text one token stands for. Special tokens decode to nothing. */
  tokenText(id: number, labels: readonly string[] = []): string {
    if (id >= this.labelBase && id < this.labelBase + MAX_LABELS) return labels[id - this.labelBase] ?? this.vocab.tokens[id]!;
    if (id >= this.byteBase && id < this.byteBase + 256) return String.fromCharCode(id - this.byteBase);
    if (id < SPECIAL_TOKENS.length) return '';
    const t = this.vocab.tokens[id];
    if (t === undefined) throw new RangeError(`token id ${id} is outside the vocabulary (size ${this.size})`);
    return t;
  }
}
