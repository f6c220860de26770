import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { depthwiseConv2dForward, depthwiseConv2dGradFilter, depthwiseConv2dGradInput } from '../kernels/depthwise-conv2d.js';
import { Padding, resolveWindow2D } from '../kernels/window2d.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';

/** Options of `depthwiseConv2d`, TF.js spellings. */
export interface DepthwiseConv2DOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number];
}

/**
 * Depthwise 2-D convolution of NHWC `x` [batch, h, w, C] with a filter [kh, kw, C, M]: each input channel
 * is convolved with its own M filters, giving C·M output channels (channel c·M + m), as TF's
 * depthwise_conv2d. NOTE: fused for speed: direct loops with dedicated backward kernels.
 * @example depthwiseConv2d(ones([1, 3, 3, 2]), ones([2, 2, 2, 1])).shape; // [1, 2, 2, 2]
 */
export function depthwiseConv2d(x: Tensor, filter: Tensor, options: DepthwiseConv2DOptions = {}): Tensor {
  if (!(x instanceof Tensor) || !(filter instanceof Tensor)) throw new ValueError('depthwiseConv2d: expected x and filter to be Tensors');
  if (filter.rank !== 4) {
    throw new ShapeError(`depthwiseConv2d: expected a rank-4 filter [filterHeight, filterWidth, inChannels, depthMultiplier], received shape ${formatShape(filter.shape)}`);
  }
  const [kh, kw, inChannels, multiplier] = filter.shape;
  const g = resolveWindow2D('depthwiseConv2d', x.shape, [kh, kw], inChannels * multiplier, options);
  if (g.inChannels !== inChannels) {
    throw new ShapeError(`depthwiseConv2d: the filter expects ${inChannels} input channels but x has ${g.inChannels} (x shape ${formatShape(x.shape)}, filter shape ${formatShape(filter.shape)})`);
  }
  const y = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  depthwiseConv2dForward(x.data, filter.data, g, y);
  return record(new Tensor(y, [g.batch, g.outHeight, g.outWidth, g.outChannels]), 'depthwiseConv2d', [x, filter], (dy) => {
    let dx: Float32Array | null = null;
    let df: Float32Array | null = null;
    if (x.requiresGrad) depthwiseConv2dGradInput(dy, filter.data, g, (dx = new Float32Array(x.size)));
    if (filter.requiresGrad) depthwiseConv2dGradFilter(x.data, dy, g, (df = new Float32Array(filter.size)));
    return [dx, df];
  });
}
