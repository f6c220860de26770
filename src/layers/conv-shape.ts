import { Padding } from './config.js';

/**
 * Output length of a convolution or pooling window along one axis (Keras's conv_output_length):
 * 'valid' keeps windows fully inside, floor((n − k_eff) / s) + 1; 'same' pads so that it is
 * ceil(n / s). The effective window of a dilated kernel is (k − 1)·d + 1. `null` stays unknown.
 */
export function convOutputLength(length: number | null, kernel: number, padding: Padding, stride: number, dilation = 1): number | null {
  if (length === null) return null;
  const effective = (kernel - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - effective) / stride) + 1;
}

/** Whether a window of effective size (k − 1)·d + 1 fits in a 'valid' input of `length` (always with 'same'). */
export function windowFits(length: number | null, kernel: number, padding: Padding, dilation = 1): boolean {
  return length === null || padding === 'same' || (kernel - 1) * dilation + 1 <= length;
}

/** The geometry a 2-D convolution's output shape depends on. */
export interface Conv2DGeometry {
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilationRate: readonly [number, number];
  readonly padding: Padding;
  readonly filters: number;
}

/** `[batch, outHeight, outWidth, filters]` of a 2-D convolution over NHWC `inputShape` (`null` stays unknown). */
export function conv2dOutputShape(inputShape: readonly (number | null)[], g: Conv2DGeometry): (number | null)[] {
  const [batch, h, w] = inputShape;
  return [
    batch,
    convOutputLength(h, g.kernelSize[0], g.padding, g.strides[0], g.dilationRate[0]),
    convOutputLength(w, g.kernelSize[1], g.padding, g.strides[1], g.dilationRate[1]),
    g.filters,
  ];
}
