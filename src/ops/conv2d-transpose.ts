import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../kernels/conv2d.js';
import { Padding, pair, resolveWindow2D } from '../kernels/window2d.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';

/** Options of `conv2dTranspose`. */
export interface Conv2DTransposeOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number];
  /** Extra rows / columns at the bottom / right of the output (Keras's `output_padding`), each < its stride; null: none. */
  outputPadding?: number | readonly [number, number] | null;
}

/**
 * Output length of a transposed convolution along one axis (Keras's deconv_output_length), k_eff = (k − 1)·d + 1.
 * Without output padding: 'same' gives in·stride, 'valid' in·stride + max(k_eff − stride, 0). With output
 * padding p: (in − 1)·stride + k_eff − 2·pad + p, pad = ⌊k_eff / 2⌋ for 'same' and 0 for 'valid'.
 */
export function deconvOutputLength(length: number, kernel: number, padding: Padding, stride: number, dilation = 1, outputPadding: number | null = null): number {
  const effective = (kernel - 1) * dilation + 1;
  if (outputPadding !== null) return (length - 1) * stride + effective - 2 * (padding === 'same' ? Math.floor(effective / 2) : 0) + outputPadding;
  return padding === 'same' ? length * stride : length * stride + Math.max(effective - stride, 0);
}

/** The output padding as a pair, checked against the strides (0 <= p < stride, as Keras 3), or null. */
function outputPaddingPair(value: unknown, strides: [number, number]): [number, number] | null {
  if (value === null || value === undefined) return null;
  const pairValue = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : null;
  if (pairValue === null || !pairValue.every((p, i) => Number.isInteger(p) && p >= 0 && p < strides[i])) {
    throw new ValueError(`conv2dTranspose: expected outputPadding to be an integer or a pair of integers, each >= 0 and smaller than its stride (strides ${formatShape(strides)}), received ${JSON.stringify(value)}`);
  }
  return pairValue as [number, number];
}

/**
 * Transposed 2-D convolution (the adjoint of conv2d with respect to its input) of NHWC `x`
 * [batch, h, w, inChannels] with a Keras kernel [kh, kw, outChannels, inChannels]. It is exactly conv2d's
 * input gradient for an image of the output's size, so the forward pass runs that kernel, the input
 * gradient is a plain conv2d of dy, and the kernel gradient is conv2d's filter gradient with dy as the image.
 * NOTE: fused for speed (it reuses the GEMM-lowered conv2d kernels).
 * @example conv2dTranspose(ones([1, 2, 2, 1]), ones([3, 3, 1, 1]), { strides: 2 }).shape; // [1, 5, 5, 1]
 */
export function conv2dTranspose(x: Tensor, kernel: Tensor, { strides = 1, padding = 'valid', dilations = 1, outputPadding = null }: Conv2DTransposeOptions = {}): Tensor {
  if (!(x instanceof Tensor) || !(kernel instanceof Tensor)) throw new ValueError('conv2dTranspose: expected x and kernel to be Tensors');
  if (x.rank !== 4) throw new ShapeError(`conv2dTranspose: expected a rank-4 input [batch, height, width, channels] (NHWC), received shape ${formatShape(x.shape)}`);
  if (kernel.rank !== 4) {
    throw new ShapeError(`conv2dTranspose: expected a rank-4 kernel [kh, kw, outChannels, inChannels], received shape ${formatShape(kernel.shape)}`);
  }
  const [kh, kw, outChannels, inChannels] = kernel.shape;
  const [batch, h, w, c] = x.shape;
  if (c !== inChannels) {
    throw new ShapeError(`conv2dTranspose: the kernel expects ${inChannels} input channels but x has ${c} (x shape ${formatShape(x.shape)}, kernel shape ${formatShape(kernel.shape)})`);
  }
  const [sh, sw] = pair(strides, 'strides', 'conv2dTranspose');
  const [dh, dw] = pair(dilations, 'dilations', 'conv2dTranspose');
  const extra = outputPaddingPair(outputPadding, [sh, sw]);
  const outH = deconvOutputLength(h, kh, padding, sh, dh, extra === null ? null : extra[0]);
  const outW = deconvOutputLength(w, kw, padding, sw, dw, extra === null ? null : extra[1]);
  if (outH <= 0 || outW <= 0) throw new ShapeError(`conv2dTranspose: the output would be ${outH}×${outW} for input shape ${formatShape(x.shape)} and kernel shape ${formatShape(kernel.shape)}`);
  // The forward convolution whose input gradient this is: image [batch, outH, outW, outChannels] → x's shape.
  const g = resolveWindow2D('conv2dTranspose', [batch, outH, outW, outChannels], [kh, kw], inChannels, { strides, dilations, padding });
  // Keras's 'same' size with output padding 0 and an even kernel is one row short of mapping back onto x (TF refuses it too).
  if (g.outHeight !== h || g.outWidth !== w) {
    throw new ShapeError(
      `conv2dTranspose: an output of ${outH}×${outW} (outputPadding ${JSON.stringify(extra)}, padding '${padding}') convolves back to ${g.outHeight}×${g.outWidth}, not the input's ${h}×${w} (input shape ${formatShape(x.shape)}, kernel shape ${formatShape(kernel.shape)}); use another outputPadding`,
    );
  }
  const y = new Float32Array(batch * outH * outW * outChannels);
  conv2dGradInput(x.data, kernel.data, g, y);
  return record(new Tensor(y, [batch, outH, outW, outChannels]), 'conv2dTranspose', [x, kernel], (dy) => {
    let dx: Float32Array | null = null;
    let dk: Float32Array | null = null;
    if (x.requiresGrad) conv2dForward(dy, kernel.data, null, g, (dx = new Float32Array(x.size)));
    if (kernel.requiresGrad) conv2dGradFilter(dy, x.data, g, (dk = new Float32Array(kernel.size)));
    return [dx, dk];
  });
}
