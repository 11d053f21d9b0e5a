// Worker-thread entry for the round-trip pool: runs one file's round trip per message, so
// parsing (the CPU-bound part) uses both cores while the main thread only schedules.

import { parentPort } from 'node:worker_threads';
import type { CorpusFile } from '../../scripts/corpus.js';
import { roundTripFile, type RoundTripOptions } from './roundtrip.js';

parentPort?.on('message', (msg: { file: CorpusFile; opts: RoundTripOptions }) => {
  roundTripFile(msg.file, msg.opts).then(
    (r) => parentPort?.postMessage(r),
    (e: unknown) =>
      parentPort?.postMessage({
        failures: [{ file: msg.file, kind: 'threw', cause: `harness error: ${String(e)}`, detail: e instanceof Error ? (e.stack ?? '') : String(e) }],
        assembled: false,
        identical: false,
        parseMs: 0,
      }),
  );
});
