import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../kernels/conv2d.js';
import { sumRows } from '../kernels/bias.js';
import { Padding, resolveWindow2D, Window2D } from '../kernels/window2d.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';

/** Options of `conv2d`, TF.js spellings. */
export interface Conv2DOptions {
  /** Step of the window, one number or `[height, width]` (default 1). */
  strides?: number | readonly [number, number];
  /** 'valid' (default) or 'same' (TF's rule: output ⌈input / stride⌉, the smaller half of the padding first). */
  padding?: Padding;
  /** Spacing between filter taps, one number or `[height, width]` (default 1). */
  dilations?: number | readonly [number, number];
  /** Added to every output pixel, shape [outChannels]. */
  bias?: Tensor;
}

/** Checks the operands and resolves the geometry; ShapeError naming conv2d and the shapes. */
function geometry(x: Tensor, filter: Tensor, options: Conv2DOptions): Window2D {
  if (!(x instanceof Tensor) || !(filter instanceof Tensor)) {
    throw new ValueError('conv2d: expected x and filter to be Tensors');
  }
  if (filter.rank !== 4 || filter.shape[0] < 1 || filter.shape[1] < 1) {
    throw new ShapeError(`conv2d: expected a rank-4 filter [filterHeight, filterWidth, inChannels, outChannels] with a window of at least 1×1, received shape ${formatShape(filter.shape)}`);
  }
  const [kh, kw, inChannels, outChannels] = filter.shape;
  const g = resolveWindow2D('conv2d', x.shape, [kh, kw], outChannels, options);
  if (inChannels !== g.inChannels) {
    throw new ShapeError(
      `conv2d: the filter expects ${inChannels} input channels but x has ${g.inChannels} ` +
        `(x shape ${formatShape(x.shape)}, filter shape ${formatShape(filter.shape)})`,
    );
  }
  const bias = options.bias;
  if (bias !== undefined && bias !== null && (!(bias instanceof Tensor) || bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    throw new ShapeError(
      `conv2d: expected a bias of shape [${outChannels}] (the filter's output channels), received ${bias instanceof Tensor ? `shape ${formatShape(bias.shape)}` : typeof bias}`,
    );
  }
  return g;
}

/**
 * 2-D convolution (TF's cross-correlation) of NHWC `x` [batch, height, width, inChannels] with a
 * filter [filterHeight, filterWidth, inChannels, outChannels], plus an optional bias.
 * NOTE: fused for speed: lowered onto GEMM (im2col), bias seeded into the output, and dedicated
 * backward kernels for the input (col2im of dy·Fᵀ) and the filter (colsᵀ·dy).
 * @example conv2d(ones([1, 3, 3, 1]), ones([2, 2, 1, 1])).shape; // [1, 2, 2, 1]
 */
export function conv2d(x: Tensor, filter: Tensor, options: Conv2DOptions = {}): Tensor {
  return conv2dActivated(x, filter, options, false);
}

/**
 * relu(conv2d(x, filter, options)) as one op: the clamp is fused into the kernel's store, and the
 * backward pass masks dy by y > 0 (ReLU's gradient, 0 at 0 as TF) before the convolution's gradients.
 * NOTE: fused for speed (Conv2D layers with activation 'relu' call it).
 * @example conv2dRelu(ones([1, 3, 3, 1]), tensor([-1, -1, -1, 1], [2, 2, 1, 1])).toArray(); // [[[[0], [0]], [[0], [0]]]]
 */
export function conv2dRelu(x: Tensor, filter: Tensor, options: Conv2DOptions = {}): Tensor {
  return conv2dActivated(x, filter, options, true);
}

function conv2dActivated(x: Tensor, filter: Tensor, options: Conv2DOptions, relu: boolean): Tensor {
  const g = geometry(x, filter, options);
  const bias = options.bias ?? null;
  const y = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  conv2dForward(x.data, filter.data, bias === null ? null : bias.data, g, y, relu);
  const out = new Tensor(y, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
  const inputs = bias === null ? [x, filter] : [x, filter, bias];
  return record(out, relu ? 'conv2dRelu' : 'conv2d', inputs, (upstream) => {
    const dy = relu ? reluMask(upstream, y) : upstream;
    let dx: Float32Array | null = null;
    let dFilter: Float32Array | null = null;
    let db: Float32Array | null = null;
    if (x.requiresGrad) {
      dx = new Float32Array(x.size);
      conv2dGradInput(dy, filter.data, g, dx);
    }
    if (filter.requiresGrad) {
      dFilter = new Float32Array(filter.size);
      conv2dGradFilter(x.data, dy, g, dFilter);
    }
    if (bias !== null && bias.requiresGrad) {
      db = new Float32Array(g.outChannels);
      sumRows(dy, dy.length / Math.max(g.outChannels, 1), g.outChannels, db);
    }
    return bias === null ? [dx, dFilter] : [dx, dFilter, db];
  });
}

/** dy where the ReLU's output is positive, else 0 (a new array: the upstream gradient is not ours to change). */
function reluMask(dy: Float32Array, y: Float32Array): Float32Array {
  const out = new Float32Array(dy.length);
  for (let i = 0; i < dy.length; i++) out[i] = y[i] > 0 ? dy[i] : 0;
  return out;
}
