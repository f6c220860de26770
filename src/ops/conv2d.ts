import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { conv2dBackward, conv2dForward } from '../kernels/conv2d.js';
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
  return record(out, relu ? 'conv2dRelu' : 'conv2d', inputs, (dy) => {
    const grads = {
      dx: x.requiresGrad ? new Float32Array(x.size) : null,
      dFilter: filter.requiresGrad ? new Float32Array(filter.size) : null,
      db: bias !== null && bias.requiresGrad ? new Float32Array(g.outChannels) : null,
    };
    conv2dBackward(x.data, filter.data, dy, relu ? y : null, g, grads);
    return bias === null ? [grads.dx, grads.dFilter] : [grads.dx, grads.dFilter, grads.db];
  });
}
