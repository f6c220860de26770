import { endTap, firstTap, Window2D } from './window2d.js';
import { poolWasm, usePoolWasm } from './wasm/pool-wasm.js';

/**
 * Max and average pooling over NHWC inputs, forward and backward. Windows never read padding:
 * a 'same' window that overhangs the border covers fewer real pixels (TF's rule guarantees at
 * least one). The channel axis is contiguous, so each window tap updates a whole output row of
 * channels at once; that row is the accumulator (it stays in L1 across the window).
 */

/**
 * y = max over each window; `argmax[o]` receives the flat index into `x` of the value chosen.
 * NOTE: ties keep the first maximum in window order (row by row), as TF does; a NaN wins and
 * propagates, so a diverged input does not silently disappear behind its neighbours.
 */
export function maxPool2d(x: Float32Array, g: Window2D, y: Float32Array, argmax: Int32Array): void {
  if (usePoolWasm(g)) {
    poolWasm('maxPool', x, g, y, argmax);
    return;
  }
  const { inHeight: H, inWidth: W, inChannels: C } = g;
  for (let b = 0, o = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const y0 = oy * g.strideHeight - g.padTop;
      const ty0 = firstTap(y0, g.dilationHeight);
      const ty1 = endTap(y0, g.filterHeight, g.dilationHeight, H);
      for (let ox = 0; ox < g.outWidth; ox++, o += C) {
        const x0 = ox * g.strideWidth - g.padLeft;
        const tx0 = firstTap(x0, g.dilationWidth);
        const tx1 = endTap(x0, g.filterWidth, g.dilationWidth, W);
        y.fill(-Infinity, o, o + C);
        argmax.fill(-1, o, o + C);
        for (let ty = ty0; ty < ty1; ty++) {
          const row = (b * H + y0 + ty * g.dilationHeight) * W;
          for (let tx = tx0; tx < tx1; tx++) {
            const s = (row + x0 + tx * g.dilationWidth) * C;
            for (let c = 0; c < C; c++) {
              const v = x[s + c];
              const best = y[o + c];
              // A NaN replaces any number but not an earlier NaN; nothing replaces a NaN.
              if (v > best || (v !== v && best === best)) {
                y[o + c] = v;
                argmax[o + c] = s + c;
              }
            }
          }
        }
      }
    }
  }
}

/** dx = the gradient of max pooling: each dy goes to the input its window chose. Overwrites `dx`. */
export function maxPool2dGrad(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  dx.fill(0);
  for (let o = 0; o < dy.length; o++) {
    const i = argmax[o];
    if (i >= 0) dx[i] += dy[o];
  }
}

/** y = mean over each window of the real (unpadded) pixels, as TF/Keras average pooling. */
export function avgPool2d(x: Float32Array, g: Window2D, y: Float32Array): void {
  if (usePoolWasm(g)) {
    poolWasm('avgPool', x, g, y);
    return;
  }
  const { inHeight: H, inWidth: W, inChannels: C } = g;
  for (let b = 0, o = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const y0 = oy * g.strideHeight - g.padTop;
      const ty0 = firstTap(y0, g.dilationHeight);
      const ty1 = endTap(y0, g.filterHeight, g.dilationHeight, H);
      for (let ox = 0; ox < g.outWidth; ox++, o += C) {
        const x0 = ox * g.strideWidth - g.padLeft;
        const tx0 = firstTap(x0, g.dilationWidth);
        const tx1 = endTap(x0, g.filterWidth, g.dilationWidth, W);
        y.fill(0, o, o + C);
        for (let ty = ty0; ty < ty1; ty++) {
          const row = (b * H + y0 + ty * g.dilationHeight) * W;
          for (let tx = tx0; tx < tx1; tx++) {
            const s = (row + x0 + tx * g.dilationWidth) * C;
            for (let c = 0; c < C; c++) y[o + c] += x[s + c];
          }
        }
        const scale = 1 / ((ty1 - ty0) * (tx1 - tx0));
        for (let c = 0; c < C; c++) y[o + c] *= scale;
      }
    }
  }
}

/** dx = the gradient of average pooling: dy / count spread over each window's real pixels. Overwrites `dx`. */
export function avgPool2dGrad(dy: Float32Array, g: Window2D, dx: Float32Array): void {
  if (usePoolWasm(g)) {
    poolWasm('avgPoolGrad', dy, g, dx);
    return;
  }
  const { inHeight: H, inWidth: W, inChannels: C } = g;
  dx.fill(0);
  for (let b = 0, o = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const y0 = oy * g.strideHeight - g.padTop;
      const ty0 = firstTap(y0, g.dilationHeight);
      const ty1 = endTap(y0, g.filterHeight, g.dilationHeight, H);
      for (let ox = 0; ox < g.outWidth; ox++, o += C) {
        const x0 = ox * g.strideWidth - g.padLeft;
        const tx0 = firstTap(x0, g.dilationWidth);
        const tx1 = endTap(x0, g.filterWidth, g.dilationWidth, W);
        const scale = 1 / ((ty1 - ty0) * (tx1 - tx0));
        for (let ty = ty0; ty < ty1; ty++) {
          const row = (b * H + y0 + ty * g.dilationHeight) * W;
          for (let tx = tx0; tx < tx1; tx++) {
            const s = (row + x0 + tx * g.dilationWidth) * C;
            for (let c = 0; c < C; c++) dx[s + c] += dy[o + c] * scale;
          }
        }
      }
    }
  }
}
