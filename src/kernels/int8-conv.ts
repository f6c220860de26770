import { im2col, patchSize } from './im2col.js';
import { int8GemmPath, int8Matmul } from './int8-gemm.js';
import { scaleFromMax } from './int8-pack.js';
import { int8Conv2dWasm } from './wasm/int8-conv-wasm.js';
import type { Window2D } from './window2d.js';

/** Which int8 convolution `int8Conv2d` runs for `inChannels`: the implicit GEMM on SIMD ('direct', even inC), else patches. */
export function int8ConvPath(inChannels: number): 'direct' | 'patches-simd' | 'patches-js' {
  if (int8GemmPath() === 'js') return 'patches-js';
  return inChannels % 2 === 0 ? 'direct' : 'patches-simd';
}

/** Patch-matrix elements per chunk (1 MiB of float32) on the patch paths. */
const CHUNK_ELEMENTS = 1 << 18;
let patchScratch = new Float32Array(0);

/**
 * Each image's int8 scale: `inputScale` when calibrated, else 127 / (max|image| + ε) (the image's
 * own abs-max; padding zeros never raise it), as float32 — the value both paths quantize with.
 */
export function imageScales(x: Float32Array, batch: number, imageSize: number, inputScale: number | null, top = 127): Float32Array {
  const out = new Float32Array(batch);
  for (let b = 0; b < batch; b++) {
    if (inputScale !== null) {
      out[b] = inputScale;
      continue;
    }
    let max = 0;
    for (let i = b * imageSize, end = i + imageSize; i < end; i++) {
      const v = x[i] < 0 ? -x[i] : x[i];
      if (v > max) max = v;
    }
    out[b] = scaleFromMax(max, top);
  }
  return out;
}

/**
 * y (NHWC, [batch, outH, outW, n]) = conv(x, W) + bias through int8: each image quantized with its
 * scale (`imageScales`), the int8 kernel in tight packed form (`packInt8BTight`, [kh·kw·inC × n], scales `sw`),
 * int32 accumulation. On SIMD with even inC the patches are never built (int8-conv-wasm.ts);
 * otherwise float patches are built in chunks and each row quantized with its image's scale —
 * the same integers, so every path gives the same floats. `limit` 63: 7-bit activation levels.
 */
export function int8Conv2d(
  x: Float32Array, g: Window2D, inputScale: number | null, packedB: Int8Array, sw: Float32Array, bias: Float32Array | null, y: Float32Array,
  path = int8ConvPath(g.inChannels), limit = 127,
): void {
  const imageSize = g.inHeight * g.inWidth * g.inChannels;
  if (path === 'direct') {
    // The images' abs-max scales are found in wasm, after the copy the kernel makes anyway.
    int8Conv2dWasm(x, g, inputScale, packedB, sw, bias, y, limit);
    return;
  }
  const scales = imageScales(x, g.batch, imageSize, inputScale, limit);
  const pixels = g.outHeight * g.outWidth;
  const rows = g.batch * pixels;
  const k = patchSize(g);
  const n = g.outChannels;
  const chunk = Math.max(1, Math.min(rows, Math.floor(CHUNK_ELEMENTS / Math.max(k, 1))));
  // The patch buffer is reused across calls: allocating a megabyte per call costs more than the product.
  if (patchScratch.length < chunk * k) patchScratch = new Float32Array(chunk * k);
  const rowScales = new Float32Array(chunk);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    im2col(x, g, r0, r1, patchScratch);
    for (let r = r0; r < r1; r++) rowScales[r - r0] = scales[Math.floor(r / pixels)];
    int8Matmul(patchScratch, r1 - r0, k, rowScales, packedB, n, sw, bias, y.subarray(r0 * n, r1 * n), path === 'patches-js' ? 'js' : 'simd', limit);
  }
}
