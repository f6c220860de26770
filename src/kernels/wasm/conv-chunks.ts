import type { Window2D } from '../window2d.js';
import { unitsPerChunk } from './chunk-budget.js';
import { conv2dBackwardWasm, conv2dForwardWasm, type Conv2DGrads } from './conv-wasm.js';
import { roundUp } from './heap-regions.js';

/**
 * The direct convolution over a batch in chunks of whole images (see chunk-budget.ts). Images are
 * independent in y and dx; the filter and bias gradients add the chunks' sums in chunk order, which
 * depends on the budget only, never on the thread count.
 */

/** Bytes of WebAssembly memory one image needs in a call: input, dx, output, dy and mask (padded). */
function imageBytes(g: Window2D): number {
  const input = g.inHeight * g.inWidth * roundUp(g.inChannels, 4);
  const output = g.outHeight * g.outWidth * roundUp(g.outChannels, 8);
  return 4 * (2 * input + 3 * output);
}

/** [first image, image count] of each chunk. */
function chunks(g: Window2D): [number, number][] {
  const step = unitsPerChunk(imageBytes(g));
  const out: [number, number][] = [];
  for (let b = 0; b < g.batch; b += step) out.push([b, Math.min(step, g.batch - b)]);
  return out;
}

/** conv2dForwardWasm over chunks of images. */
export function conv2dForwardChunked(x: Float32Array, filter: Float32Array, bias: Float32Array | null, g: Window2D, y: Float32Array, relu: boolean): void {
  const inImage = g.inHeight * g.inWidth * g.inChannels;
  const outImage = g.outHeight * g.outWidth * g.outChannels;
  for (const [b0, nb] of chunks(g)) {
    const xs = x.subarray(b0 * inImage, (b0 + nb) * inImage);
    conv2dForwardWasm(xs, filter, bias, { ...g, batch: nb }, y.subarray(b0 * outImage, (b0 + nb) * outImage), relu);
  }
}

/** conv2dBackwardWasm over chunks of images; later chunks' filter and bias gradients are added on. */
export function conv2dBackwardChunked(x: Float32Array, filter: Float32Array, dy: Float32Array, reluY: Float32Array | null, g: Window2D, out: Conv2DGrads): void {
  const inImage = g.inHeight * g.inWidth * g.inChannels;
  const outImage = g.outHeight * g.outWidth * g.outChannels;
  const parts = chunks(g);
  const partF = out.dFilter !== null && parts.length > 1 ? new Float32Array(out.dFilter.length) : null;
  const partB = out.db !== null && parts.length > 1 ? new Float32Array(out.db.length) : null;
  parts.forEach(([b0, nb], i) => {
    const outs = (a: Float32Array) => a.subarray(b0 * outImage, (b0 + nb) * outImage);
    const chunk: Conv2DGrads = {
      dx: out.dx === null ? null : out.dx.subarray(b0 * inImage, (b0 + nb) * inImage),
      dFilter: i === 0 ? out.dFilter : partF,
      db: i === 0 ? out.db : partB,
    };
    const xs = x.subarray(b0 * inImage, (b0 + nb) * inImage);
    conv2dBackwardWasm(xs, filter, outs(dy), reluY === null ? null : outs(reluY), { ...g, batch: nb }, chunk);
    if (i > 0 && partF !== null) for (let j = 0; j < partF.length; j++) out.dFilter![j] += partF[j];
    if (i > 0 && partB !== null) for (let j = 0; j < partB.length; j++) out.db![j] += partB[j];
  });
}
