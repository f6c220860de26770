import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from './arithmetic.js';
import { gather } from './gather.js';

/** Interpolations of `resize`, as Keras names them. */
export type Interpolation = 'nearest' | 'bilinear';

/** Options of `resize`. */
export interface ResizeOptions {
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: Interpolation;
  /**
   * Pixel centers at +0.5, as Keras 3 and TF 2's `tf.image.resize` (default true); false is TF.js's
   * legacy grid (source = output · in / out), which its `UpSampling2D` uses.
   */
  halfPixelCenters?: boolean;
}

/** One output axis of a resize: the two source rows (or one, repeated) and the weight of the second. */
function axisPlan(inSize: number, outSize: number, interpolation: Interpolation, halfPixel: boolean): { lo: number[]; hi: number[]; f: Float32Array } {
  const scale = inSize / outSize;
  const lo: number[] = [];
  const hi: number[] = [];
  const f = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    if (interpolation === 'nearest') {
      const src = halfPixel ? (o + 0.5) * scale : o * scale;
      const i = Math.min(Math.max(Math.floor(src), 0), inSize - 1);
      lo.push(i);
      hi.push(i);
      continue;
    }
    // Source coordinate of output o; outside [0, in − 1] it clamps to the border row.
    const src = halfPixel ? (o + 0.5) * scale - 0.5 : o * scale;
    const floor = Math.floor(src);
    lo.push(Math.min(Math.max(floor, 0), inSize - 1));
    hi.push(Math.min(Math.max(Math.ceil(src), 0), inSize - 1));
    f[o] = src - floor;
  }
  return { lo, hi, f };
}

/** Resizes along one axis: y = (1 − f)·x[lo] + f·x[hi], composed from gather, so it is differentiable. */
function resizeAxis(x: Tensor, axis: number, outSize: number, interpolation: Interpolation, halfPixel: boolean): Tensor {
  if (x.shape[axis] === outSize) return x;
  const { lo, hi, f } = axisPlan(x.shape[axis], outSize, interpolation, halfPixel);
  const low = gather(x, lo, axis);
  if (interpolation === 'nearest') return low;
  const weightShape = x.shape.map((_, i) => (i === axis ? outSize : 1));
  const wHigh = new Tensor(f, weightShape);
  const wLow = new Tensor(Float32Array.from(f, (v) => 1 - v), weightShape);
  return add(mul(low, wLow), mul(gather(x, hi, axis), wHigh));
}

/**
 * Resizes NHWC images to `[height, width]` by nearest-neighbour or bilinear interpolation, separably
 * (rows, then columns), as `tf.image.resize` (Keras 3) or, with `halfPixelCenters: false`, TF.js's
 * legacy grid. Differentiable in x.
 * @example resize(zeros([1, 2, 2, 3]), [4, 4]).shape; // [1, 4, 4, 3]
 */
export function resize(x: Tensor, size: readonly [number, number], { interpolation = 'bilinear', halfPixelCenters = true }: ResizeOptions = {}): Tensor {
  if (!(x instanceof Tensor) || x.rank !== 4) {
    throw new ShapeError(`resize: expected an NHWC tensor of rank 4, received ${x instanceof Tensor ? `shape ${formatShape(x.shape)}` : typeof x}`);
  }
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`resize: expected size [height, width] of positive integers, received ${JSON.stringify(size)}`);
  }
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new ValueError(`resize: expected interpolation 'nearest' or 'bilinear', received ${JSON.stringify(interpolation)}`);
  }
  const rows = resizeAxis(x, 1, size[0], interpolation, halfPixelCenters);
  return resizeAxis(rows, 2, size[1], interpolation, halfPixelCenters);
}
