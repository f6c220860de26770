import { ValueError } from '../../util/errors.js';
import { relaxedSimdSupported, runtimeGemmPath, wasmSimdSupported, type GemmPath } from './features.js';
import { describeValue } from '../../util/describe.js';

const PATHS: readonly (GemmPath | 'auto')[] = ['auto', 'js', 'simd', 'relaxed'];

let requested: GemmPath | 'auto' = 'auto';

/**
 * Chooses the GEMM kernels: 'auto' (the default: the best this runtime has, plain JS for small
 * products), or forces 'js', 'simd' or 'relaxed' for every size. The convolution, pooling and ReLU
 * kernels follow: WebAssembly unless the path is 'js'. Forcing a path the runtime lacks
 * throws, so a test or benchmark never measures a path other than the one it names.
 * @example setGemmPath('js'); // compare against the plain-JS kernels
 */
export function setGemmPath(path: GemmPath | 'auto'): void {
  if (!PATHS.includes(path)) {
    throw new ValueError(`setGemmPath: expected one of ${PATHS.map((p) => `'${p}'`).join(', ')}, received ${describeValue(path)}`);
  }
  if (path === 'simd' && !wasmSimdSupported()) {
    throw new ValueError("setGemmPath: 'simd' needs WebAssembly SIMD with shared memory, which this runtime lacks");
  }
  if (path === 'relaxed' && !relaxedSimdSupported()) {
    throw new ValueError(
      "setGemmPath: 'relaxed' needs the relaxed-SIMD proposal, which this runtime lacks (Node 22+, or Node 20 with --experimental-wasm-relaxed-simd)",
    );
  }
  requested = path;
}

/**
 * The GEMM path in force: the forced one, or under 'auto' the best this runtime supports.
 * @example getGemmPath(); // 'simd' on Node 20+ ('js' where WebAssembly SIMD is missing)
 */
export function getGemmPath(): GemmPath {
  return requested === 'auto' ? runtimeGemmPath() : requested;
}

/** True when a path was forced with `setGemmPath` (then it applies to every size). */
export function gemmPathForced(): boolean {
  return requested !== 'auto';
}
