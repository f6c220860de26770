import type { Window2D } from './window2d.js';

/**
 * Where each tap of each output pixel reads in one quantized image, for the implicit-GEMM int8
 * convolution (wasm/int8-conv-module.ts): per tile of 4 output pixels and per tap (ky, kx), four
 * int32 byte offsets from the image's start of the pixel's channel run (int16 values, so
 * 2·inC bytes per pixel), or −1 where the tap falls into the padding or the pixel is past the
 * image's last (a tail tile). The table depends only on the geometry, so it is built once per shape.
 */
export function convTapTable(g: Window2D): Int32Array {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = g;
  const pixels = OH * OW;
  const taps = KH * KW;
  const tiles = Math.ceil(pixels / 4);
  const table = new Int32Array(tiles * taps * 4).fill(-1);
  for (let p = 0; p < pixels; p++) {
    const ox = p % OW;
    const oy = (p - ox) / OW;
    const y0 = oy * g.strideHeight - g.padTop;
    const x0 = ox * g.strideWidth - g.padLeft;
    const at = (p >> 2) * taps * 4 + (p & 3);
    for (let ky = 0; ky < KH; ky++) {
      const iy = y0 + ky * g.dilationHeight;
      if (iy < 0 || iy >= H) continue;
      for (let kx = 0; kx < KW; kx++) {
        const ix = x0 + kx * g.dilationWidth;
        if (ix >= 0 && ix < W) table[at + (ky * KW + kx) * 4] = (iy * W + ix) * C * 2;
      }
    }
  }
  return table;
}

const cache = new Map<string, Int32Array>();

/** `convTapTable(g)`, kept for the last few geometries (each conv layer of a model called on batches reuses its own). */
export function cachedTapTable(g: Window2D): Int32Array {
  const key = [g.inHeight, g.inWidth, g.inChannels, g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft].join();
  let table = cache.get(key);
  if (table === undefined) {
    if (cache.size >= 16) cache.clear();
    table = convTapTable(g);
    cache.set(key, table);
  }
  return table;
}
