import { endTap, firstTap, type Window2D } from '../window2d.js';
import { getGemmPath } from './gemm-path.js';
import { Regions } from './heap-regions.js';
import { unitsPerChunk } from './chunk-budget.js';
import { PoolGeo, poolModuleBytes } from './pool-module.js';
import { heapSpanning, wasmRuntime } from './runtime.js';
import { wasmApi } from './wasm-api.js';

/** Runs the pooling kernels of pool-module.ts: operands copied into the shared memory and back. */

type Kernel = (geo: number) => void;
interface PoolExports {
  maxPool: Kernel;
  avgPool: Kernel;
  avgPoolGrad: Kernel;
}

let instance: PoolExports | null = null;

function kernels(): PoolExports {
  if (instance !== null) return instance;
  const rt = wasmRuntime();
  const module = new wasmApi!.Module(poolModuleBytes());
  instance = new wasmApi!.Instance(module, { env: { memory: rt.memory } }).exports as unknown as PoolExports;
  return instance;
}

/** True when pooling over `g` runs in WebAssembly: the GEMM path is not plain JS, and channels fill whole f32x4 vectors. */
export function usePoolWasm(g: Window2D): boolean {
  return getGemmPath() !== 'js' && g.inChannels > 0 && g.inChannels % 4 === 0 && g.batch * g.outHeight * g.outWidth > 0;
}

/**
 * Max pooling (y and argmax), average pooling (y), or the average pooling gradient (`src` = dy,
 * `dst` = dx, overwritten), over the geometry `g`.
 */
export function poolWasm(kind: keyof PoolExports, src: Float32Array, g: Window2D, dst: Float32Array, argmax: Int32Array | null = null): void {
  // Chunks of whole images (see chunk-budget.ts): images are independent; argmax indices shift by the chunk's start.
  const inImage = g.inHeight * g.inWidth * g.inChannels;
  const outImage = g.outHeight * g.outWidth * g.inChannels;
  const step = unitsPerChunk(4 * (inImage + 2 * outImage));
  const backward = kind === 'avgPoolGrad';
  for (let b0 = 0; b0 < g.batch; b0 += step) {
    const nb = Math.min(step, g.batch - b0);
    const inPart = (a: Float32Array) => a.subarray(b0 * inImage, (b0 + nb) * inImage);
    const outPart = (a: Float32Array) => a.subarray(b0 * outImage, (b0 + nb) * outImage);
    const args = argmax === null ? null : argmax.subarray(b0 * outImage, (b0 + nb) * outImage);
    poolOnce(kind, backward ? outPart(src) : inPart(src), { ...g, batch: nb }, backward ? inPart(dst) : outPart(dst), args);
    if (args !== null && b0 > 0) for (let i = 0; i < args.length; i++) if (args[i] >= 0) args[i] += b0 * inImage;
  }
}

function poolOnce(kind: keyof PoolExports, src: Float32Array, g: Window2D, dst: Float32Array, argmax: Int32Array | null): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const inSize = batch * H * W * C;
  const outSize = batch * OH * OW * C;
  const r = new Regions();
  const geo = r.take(PoolGeo.count * 4);
  const rowTaps = r.take(OH * 8);
  const colTaps = r.take(OW * 8);
  const xAt = r.take(4 * inSize);
  const yAt = r.take(4 * outSize);
  const argAt = r.take(argmax === null ? 0 : 4 * outSize);
  const heap = heapSpanning(wasmRuntime(), r.end);
  const ints = new Int32Array(heap.buffer);
  const fields: [keyof typeof PoolGeo, number][] = [
    ['batch', batch], ['h', H], ['w', W], ['c', C], ['oh', OH], ['ow', OW], ['sh', g.strideHeight], ['sw', g.strideWidth],
    ['dh', g.dilationHeight], ['dw', g.dilationWidth], ['padTop', g.padTop], ['padLeft', g.padLeft],
    ['rowTaps', rowTaps], ['colTaps', colTaps], ['x', xAt], ['y', yAt], ['argmax', argAt],
  ];
  for (const [name, v] of fields) ints[geo / 4 + PoolGeo[name]] = v;
  for (let oy = 0; oy < OH; oy++) {
    const y0 = oy * g.strideHeight - g.padTop;
    ints[rowTaps / 4 + 2 * oy] = firstTap(y0, g.dilationHeight);
    ints[rowTaps / 4 + 2 * oy + 1] = endTap(y0, g.filterHeight, g.dilationHeight, H);
  }
  for (let ox = 0; ox < OW; ox++) {
    const x0 = ox * g.strideWidth - g.padLeft;
    ints[colTaps / 4 + 2 * ox] = firstTap(x0, g.dilationWidth);
    ints[colTaps / 4 + 2 * ox + 1] = endTap(x0, g.filterWidth, g.dilationWidth, W);
  }
  if (kind === 'avgPoolGrad') {
    heap.set(src.subarray(0, outSize), yAt / 4);
    heap.fill(0, xAt / 4, xAt / 4 + inSize);
    kernels().avgPoolGrad(geo);
    dst.set(heap.subarray(xAt / 4, xAt / 4 + inSize));
    return;
  }
  heap.set(src.subarray(0, inSize), xAt / 4);
  kernels()[kind](geo);
  dst.set(heap.subarray(yAt / 4, yAt / 4 + outSize));
  if (argmax !== null) argmax.set(ints.subarray(argAt / 4, argAt / 4 + outSize));
}
