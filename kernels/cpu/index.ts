// Entry point of the CPU kernel module (AssemblyScript -> dist/kernels/cpu.wasm and cpu-fma.wasm,
// built by scripts/build-kernels.mjs). Memory is imported and shared: every worker thread
// instantiates this module on the same memory and runs the chunks of a call that it claims.

export { MM_SCRATCH_BYTES, MM_MR, MM_NR, mmPackB, mmCompute } from './matmul';
export {
  softmax, softmaxBackward, layerNorm, layerNormBackwardParams, layerNormBackwardRows,
  gelu, geluBackward, embedding, embeddingBackward, crossEntropy,
} from './rows';
