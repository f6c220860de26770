import { getGemmPath } from './gemm-path.js';
import { Regions } from './heap-regions.js';
import { unitsPerChunk } from './chunk-budget.js';
import { elementwiseModuleBytes } from './elementwise-module.js';
import { heapSpanning, wasmRuntime } from './runtime.js';
import { wasmApi } from './wasm-api.js';

/** Runs the elementwise kernels of elementwise-module.ts on copies in the shared memory. */

/**
 * Under the automatic choice, arrays shorter than this stay on plain JS: the call and the copies cost
 * more than the mispredicted branches they save (a ternary loop runs ~5 ns an element here, the copies
 * and SIMD pass under 1 ns).
 */
export const ELEMENTWISE_WASM_MIN = 2048;

interface ElementwiseExports {
  relu(x: number, y: number, bytes: number): void;
  reluGrad(x: number, dy: number, dx: number, bytes: number): void;
}

let instance: ElementwiseExports | null = null;

function kernels(): ElementwiseExports {
  if (instance !== null) return instance;
  const rt = wasmRuntime();
  instance = new wasmApi!.Instance(new wasmApi!.Module(elementwiseModuleBytes()), { env: { memory: rt.memory } }).exports as unknown as ElementwiseExports;
  return instance;
}

/** True when an elementwise kernel over `n` floats runs in WebAssembly (never on the 'js' path). */
export function useElementwiseWasm(n: number): boolean {
  return getGemmPath() !== 'js' && n >= ELEMENTWISE_WASM_MIN;
}

/** Copies each of `inputs` into its own region (padded to whole vectors), plus one output region; returns their addresses. */
function stage(inputs: Float32Array[], n: number): { heap: Float32Array; at: number[]; bytes: number } {
  const bytes = Math.ceil(n / 4) * 16;
  const r = new Regions();
  const at = [...inputs, null].map(() => r.take(bytes));
  const heap = heapSpanning(wasmRuntime(), r.end);
  inputs.forEach((a, i) => heap.set(a.subarray(0, n), at[i] / 4));
  return { heap, at, bytes };
}

/** Calls `each(start, end)` over chunks of [0, n) of at most `perChunk` elements (see chunk-budget.ts). */
function inChunks(n: number, perChunk: number, each: (start: number, end: number) => void): void {
  const step = Math.max(4, perChunk - (perChunk % 4));
  for (let i = 0; i < n; i += step) each(i, Math.min(n, i + step));
}

/** out = relu(x) over the first x.length values. */
export function reluWasm(x: Float32Array, out: Float32Array): void {
  inChunks(x.length, unitsPerChunk(8), (i, end) => {
    const { heap, at, bytes } = stage([x.subarray(i, end)], end - i);
    kernels().relu(at[0], at[1], bytes);
    out.set(heap.subarray(at[1] / 4, at[1] / 4 + end - i), i);
  });
}

/** dx = dy where x > 0, else 0. */
export function reluGradWasm(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  inChunks(x.length, unitsPerChunk(12), (i, end) => {
    const { heap, at, bytes } = stage([x.subarray(i, end), dy.subarray(i, end)], end - i);
    kernels().reluGrad(at[0], at[1], at[2], bytes);
    dx.set(heap.subarray(at[2] / 4, at[2] / 4 + end - i), i);
  });
}
