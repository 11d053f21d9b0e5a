// A CpuKernels worker thread: instantiates the kernel module on the shared memory, then loops
// forever, claiming chunks of each job posted through the control block (see protocol.ts).
import { workerData, parentPort } from 'node:worker_threads';
import { ARGS_BYTE, CTL_BYTE, CTL_INTS, MAX_ARGS, SEQ, SPIN, STOP, kernelFns, runChunks, type WorkerInit } from './protocol.js';

const init = workerData as WorkerInit;
const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
const fns = kernelFns(instance);
const ctl = new Int32Array(init.memory.buffer, CTL_BYTE, CTL_INTS);
const args = new Float64Array(init.memory.buffer, ARGS_BYTE, MAX_ARGS);
// Posted before a chunk counts as finished, so the main thread finds the message once it sees ERR.
const report = (e: unknown): void => init.errors.postMessage(e instanceof Error ? e.message : String(e));

let seq = Atomics.load(ctl, SEQ);
parentPort?.postMessage('ready');
for (;;) {
  let spins = 0;
  while (Atomics.load(ctl, SEQ) === seq) {
    if (++spins > SPIN) {
      Atomics.wait(ctl, SEQ, seq);
      spins = 0;
    }
  }
  seq = Atomics.load(ctl, SEQ);
  if (Atomics.load(ctl, STOP) !== 0) break;
  runChunks(ctl, args, fns, seq, init.index, report);
}
