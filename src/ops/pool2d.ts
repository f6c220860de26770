import { ValueError } from '../util/errors.js';
import { avgPool2d as avgKernel, avgPool2dGrad, maxPool2d as maxKernel, maxPool2dGrad } from '../kernels/pool2d.js';
import { pair, Padding, resolveWindow2D, Window2D } from '../kernels/window2d.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';

/** Options of the pooling ops, TF.js spellings. */
export interface Pool2DOptions {
  /** Window, one number or `[height, width]` (default 2). */
  poolSize?: number | readonly [number, number];
  /** Step of the window (default: the pool size, as Keras). */
  strides?: number | readonly [number, number];
  /** 'valid' (default) or 'same'; padded positions never enter a max or an average. */
  padding?: Padding;
}

/** Checks the input and options of pooling op `op` and resolves its geometry. */
function geometry(op: string, x: Tensor, { poolSize = 2, strides, padding = 'valid' }: Pool2DOptions): Window2D {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected x to be a Tensor, received ${x === null ? 'null' : typeof x}`);
  const size = pair(poolSize, 'poolSize', op);
  const channels = x.rank === 4 ? x.shape[3] : 0;
  return resolveWindow2D(op, x.shape, size, channels, { strides: strides ?? size, padding });
}

/**
 * Max pooling over NHWC `x` [batch, height, width, channels].
 * NOTE: fused for speed: the forward pass records which input each output took (ties: the first
 * in window order, as TF), and the backward pass routes dy there.
 * @example maxPool2d(tensor([1, 5, 3, 2], [1, 2, 2, 1])).toArray(); // [[[[5]]]]
 */
export function maxPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const g = geometry('maxPool2d', x, options);
  const size = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const y = new Float32Array(size);
  const argmax = new Int32Array(size);
  maxKernel(x.data, g, y, argmax);
  return record(new Tensor(y, [g.batch, g.outHeight, g.outWidth, g.outChannels]), 'maxPool2d', [x], (dy) => {
    const dx = new Float32Array(x.size);
    maxPool2dGrad(dy, argmax, dx);
    return [dx];
  });
}

/**
 * Average pooling over NHWC `x` [batch, height, width, channels]; with 'same' padding a window at
 * the border averages only its real pixels, as TF/Keras.
 * NOTE: fused for speed: one kernel per direction instead of a composition of slices and means.
 * @example avgPool2d(tensor([1, 5, 3, 3], [1, 2, 2, 1])).toArray(); // [[[[3]]]]
 */
export function avgPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const g = geometry('avgPool2d', x, options);
  const y = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  avgKernel(x.data, g, y);
  return record(new Tensor(y, [g.batch, g.outHeight, g.outWidth, g.outChannels]), 'avgPool2d', [x], (dy) => {
    const dx = new Float32Array(x.size);
    avgPool2dGrad(dy, g, dx);
    return [dx];
  });
}
