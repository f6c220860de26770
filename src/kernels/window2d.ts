import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { describeValue } from '../util/describe.js';

/** How a sliding window treats the border: TF's 'valid' (no padding) or 'same' (output = ⌈input / stride⌉). */
export type Padding = 'valid' | 'same';

/**
 * Where a 2-D sliding window (convolution or pooling) reads an NHWC input: output row `oy` reads
 * input rows `oy·strideH − padTop + ky·dilationH` for `ky` in [0, filterH); the same for columns.
 * Rows or columns outside the input are padding (zeros for convolution, skipped for pooling).
 */
export interface Window2D {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/** Settings of a window as ops accept them: one number for both axes or `[height, width]`. */
export interface WindowOptions {
  strides?: number | readonly [number, number];
  dilations?: number | readonly [number, number];
  padding?: Padding;
}

/** `v` or `[v, v]` as a checked pair of positive integers; `what` names the setting in messages. */
export function pair(v: number | readonly number[], what: string, op: string): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) ? [...v] : [];
  if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${op}: expected ${what} to be a positive integer or a pair [height, width] of them, received ${describeValue(v)}`);
  }
  return [p[0], p[1]];
}

/**
 * Output size and leading padding along one axis, by TF's rule: 'valid' keeps the windows that fit,
 * ⌈(in − effective + 1) / stride⌉; 'same' gives ⌈in / stride⌉ outputs and pads
 * max((out − 1)·stride + effective − in, 0) in total, the smaller half before (top/left).
 */
export function windowAxis(size: number, filter: number, stride: number, dilation: number, padding: Padding): { out: number; padBefore: number } {
  const effective = (filter - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.max(Math.ceil((size - effective + 1) / stride), 0), padBefore: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/**
 * Checks an NHWC input shape and window settings and resolves the geometry. Throws a ShapeError
 * naming `op` when the input is not rank 4 or the (dilated) window is larger than the padded input.
 */
export function resolveWindow2D(
  op: string,
  xShape: readonly number[],
  filterSize: [number, number],
  outChannels: number,
  { strides = 1, dilations = 1, padding = 'valid' }: WindowOptions,
): Window2D {
  if (xShape.length !== 4) {
    throw new ShapeError(`${op}: expected a rank-4 input [batch, height, width, channels] (NHWC), received shape ${formatShape(xShape)}`);
  }
  if (padding !== 'valid' && padding !== 'same') {
    throw new ValueError(`${op}: expected padding 'valid' or 'same', received ${describeValue(padding)}`);
  }
  const [strideHeight, strideWidth] = pair(strides, 'strides', op);
  const [dilationHeight, dilationWidth] = pair(dilations, 'dilations', op);
  const [batch, inHeight, inWidth, inChannels] = xShape;
  const [filterHeight, filterWidth] = filterSize;
  const rows = windowAxis(inHeight, filterHeight, strideHeight, dilationHeight, padding);
  const cols = windowAxis(inWidth, filterWidth, strideWidth, dilationWidth, padding);
  if (padding === 'valid' && (rows.out === 0 || cols.out === 0)) {
    const effective = [(filterHeight - 1) * dilationHeight + 1, (filterWidth - 1) * dilationWidth + 1];
    throw new ShapeError(
      `${op}: the window ${formatShape(effective)} (filter ${formatShape(filterSize)}, dilations [${dilationHeight}, ${dilationWidth}]) ` +
        `is larger than the input's height and width [${inHeight}, ${inWidth}] (input shape ${formatShape(xShape)}, padding 'valid')`,
    );
  }
  return {
    batch, inHeight, inWidth, inChannels, outChannels,
    outHeight: rows.out, outWidth: cols.out,
    filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth,
    padTop: rows.padBefore, padLeft: cols.padBefore,
  };
}

// Along an axis, taps sit at start + t·dilation for t in [0, filter); those with
// 0 <= start + t·dilation < size are inside the input: t in [firstTap, endTap).

/** First window tap along an axis that lands inside the input. */
export function firstTap(start: number, dilation: number): number {
  return start >= 0 ? 0 : Math.ceil(-start / dilation);
}

/** One past the last window tap along an axis that lands inside the input (never below firstTap). */
export function endTap(start: number, filter: number, dilation: number, size: number): number {
  return Math.max(firstTap(start, dilation), Math.min(filter, Math.ceil((size - start) / dilation)));
}
