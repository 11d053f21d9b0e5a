// `gns lm decode`: runs a trained model directory on one block of assembly. The block is parsed
// and printed back in the canonical spelling the corpus uses (so the model sees text shaped like
// its training data), tokenized, decoded by beam search (beam 1 is greedy) on the GPU or CPU
// backend or the float64 reference, and detokenized with the source's labels.
// Per output token it can report the probability, the top-k alternatives and the source token
// the cross-attention looked at most: the alignment signal the sketching stage builds on.

import type { IsaName } from '../ir/program.js';
import { isaNames, parseAsm } from '../asm/index.js';
import { canonicalText } from '../data/pairs.js';
import { detectIsa } from '../asm/detect.js';
import { loadModel, MODEL_FILES } from '../lm/checkpoint.js';
import { EOS, parameterCount } from '../lm/reference/model.js';
import { beamSearch, beamSearchAsync } from '../lm/reference/decode.js';
import { CpuModel } from '../lm/engine/cpu/model.js';
import { CpuIncrementalDecoder } from '../lm/engine/cpu/decode.js';
import { GpuModel } from '../lm/engine/gpu/model.js';
import { GpuIncrementalDecoder } from '../lm/engine/gpu/decode.js';
import { openBackend, type BackendName, type BackendRequest } from '../lm/engine/backend.js';
import { SPECIAL_TOKENS, Tokenizer } from '../lm/tokenizer.js';
import { WeightsError } from '../lm/safetensors.js';
import { CommandError } from './train.js';

/** `gns lm decode`'s inputs, flags already parsed. */
export interface DecodeCommand {
  readonly model: string;
  /** The block's text and where it came from (a path or `-`), for messages. */
  readonly text: string;
  readonly inputName: string;
  readonly from?: string;
  /** Most output tokens (default: as many as the model's maxLen allows). */
  readonly maxLen?: number;
  readonly topK: number;
  /** Beam width (1: greedy). */
  readonly beam: number;
  readonly backend: BackendRequest;
}

/** One output token. */
export interface DecodedToken {
  readonly id: number;
  readonly text: string;
  readonly prob: number;
  readonly top: ReadonlyArray<{ readonly id: number; readonly text: string; readonly prob: number }>;
  /** The source token with the most cross-attention (heads and layers averaged), and its weight. */
  readonly source: { readonly index: number; readonly text: string; readonly weight: number };
}

/** What `gns lm decode` reports. */
export interface DecodeSummary {
  readonly model: string;
  readonly from: IsaName;
  readonly to: IsaName | null;
  /** The canonical input block the model read. */
  readonly input: string;
  readonly sourceTokens: number;
  readonly text: string;
  /** Whether the model ended the output itself (EOS) rather than running into the length limit. */
  readonly ended: boolean;
  readonly tokens: DecodedToken[];
  /** Every hypothesis the beam kept, best first (the first is `text`), with its score. */
  readonly hypotheses: ReadonlyArray<{ readonly text: string; readonly score: number; readonly ended: boolean }>;
  /** The engine that decoded, and why it was chosen. */
  readonly backend: BackendName;
  readonly backendNote: string;
}

function tokenName(tok: Tokenizer, id: number, labels: readonly string[]): string {
  return id < SPECIAL_TOKENS.length ? SPECIAL_TOKENS[id]! : tok.tokenText(id, labels);
}

/** Parses the block and prints its instructions canonically, one per line (labels and directives dropped). */
function canonicalBlock(text: string, isa: IsaName, name: string): string {
  const { program, diagnostics } = parseAsm(text, { isa, file: name });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const d = errors[0]!;
    throw new CommandError(`${d.span.file}:${d.span.line}:${d.span.column}: ${d.message}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}`, 'input');
  }
  const instructions = program.statements.flatMap((s, i) => (s.kind === 'insn' ? [i] : []));
  if (instructions.length === 0) throw new CommandError(`'${name}' holds no instructions to translate`, 'input');
  return canonicalText(program, instructions);
}

/**
 * Runs `gns lm decode`. Throws `WeightsError` for a missing or broken model directory and
 * `CommandError` for bad flags and bad input.
 */
export async function runDecode(cmd: DecodeCommand): Promise<DecodeSummary> {
  const model = loadModel(cmd.model);
  if (model.vocabPath === undefined) throw new WeightsError(`'${cmd.model}' has no ${MODEL_FILES.vocab}: the model cannot tokenize without the vocabulary it was trained with`);
  const tok = Tokenizer.load(model.vocabPath);
  const direction = model.metadata['gns.direction'];
  const [dirFrom, dirTo] = (direction ?? '').split('-') as [string, string | undefined];
  const known = (x: string | undefined): x is IsaName => x !== undefined && (isaNames as readonly string[]).includes(x);
  if (cmd.from !== undefined && !known(cmd.from)) throw new CommandError(`unknown ISA '${cmd.from}' (expected ${isaNames.join(' or ')})`, 'usage');
  if (cmd.from !== undefined && known(dirFrom) && cmd.from !== dirFrom) throw new CommandError(`the model translates ${direction}; it does not read ${cmd.from}`, 'usage');
  const from = (cmd.from as IsaName | undefined) ?? (known(dirFrom) ? dirFrom : detectIsa(cmd.text));
  if (from === undefined) throw new CommandError(`cannot tell the ISA of '${cmd.inputName}'; pass --from ${isaNames.join('|')}`, 'usage');

  const input = canonicalBlock(cmd.text, from, cmd.inputName);
  const encoded = tok.encode(input);
  const source = [...encoded.ids, EOS];
  if (source.length > model.config.maxLen) {
    throw new CommandError(`'${cmd.inputName}' is ${source.length} tokens long (with EOS), but the model reads at most maxLen ${model.config.maxLen}; split the block`, 'input');
  }
  const limit = cmd.maxLen ?? model.config.maxLen - 1;
  // Beam 1 without a length penalty is exactly greedy decoding.
  const options = { beam: cmd.beam, maxLen: limit, topK: cmd.topK, lengthPenalty: cmd.beam === 1 ? 0 : 0.6 };
  const backend = await openBackend(cmd.backend, { decode: { rows: cmd.beam, parameters: parameterCount(model.params) } });
  let hyps;
  try {
    if (backend.name === 'gpu') {
      const decoder = new GpuIncrementalDecoder(GpuModel.fromParams(backend.kernels, model.config, model.params), [source]);
      hyps = (await beamSearchAsync(model.config, [source], { ...options, decoder }))[0]!;
    } else if (backend.name === 'cpu') {
      const decoder = new CpuIncrementalDecoder(CpuModel.fromParams(backend.kernels, model.config, model.params), [source]);
      hyps = beamSearch(model.params, model.config, [source], { ...options, decoder })[0]!;
    } else hyps = beamSearch(model.params, model.config, [source], options)[0]!;
  } finally {
    if (backend.name !== 'reference') await backend.kernels.close();
  }
  const result = hyps[0]!;
  const labels = encoded.labels;
  const tokens: DecodedToken[] = result.tokens.map((id, i) => {
    const step = result.steps[i]!;
    let best = 0;
    step.attention.forEach((w, j) => {
      if (w > step.attention[best]!) best = j;
    });
    return {
      id,
      text: tokenName(tok, id, labels),
      prob: step.prob,
      top: step.top.map((t) => ({ id: t.id, text: tokenName(tok, t.id, labels), prob: t.prob })),
      source: { index: best, text: tokenName(tok, source[best]!, labels), weight: step.attention[best]! },
    };
  });
  return {
    model: cmd.model,
    from,
    to: known(dirTo) ? dirTo : null,
    input,
    sourceTokens: source.length,
    text: tok.decode(result.tokens, labels),
    ended: result.ended,
    tokens,
    hypotheses: hyps.map((h) => ({ text: tok.decode(h.tokens, labels), score: h.score, ended: h.ended })),
    backend: backend.name,
    backendNote: backend.note,
  };
}
