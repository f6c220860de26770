import { getNumThreads, setGemmPath, setNumThreads, warmUpThreads } from '../src/index.js';
import { Contender } from './workload.js';

const defaultThreads = getNumThreads();

/**
 * Runs `fn` with the GEMM path a contender names: 'neurite' = the library's automatic choice,
 * 'neurite-js' = plain-JS kernels, 'neurite-simd' = WebAssembly SIMD on one thread,
 * 'neurite-threads' = SIMD on every core. Restores the automatic choice afterwards.
 */
export async function usePath<T>(contender: Contender, fn: () => Promise<T>): Promise<T> {
  if (contender === 'neurite-js') setGemmPath('js');
  if (contender === 'neurite-simd') {
    setGemmPath('simd');
    setNumThreads(1);
  }
  if (contender === 'neurite-threads') setGemmPath('simd');
  // Workers start lazily; do not time their start-up.
  if (contender === 'neurite-threads' || contender === 'neurite') await warmUpThreads();
  try {
    return await fn();
  } finally {
    setGemmPath('auto');
    setNumThreads(defaultThreads);
  }
}
