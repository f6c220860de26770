import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { affineSample2d, FillMode } from '../kernels/affine2d.js';
import { Tensor } from '../tensor/tensor.js';

/** Keras's fill modes for points that fall outside the image. */
export type FillModeId = 'reflect' | 'wrap' | 'nearest' | 'constant';

const fillModes: Record<FillModeId, FillMode> = { reflect: FillMode.Reflect, wrap: FillMode.Wrap, nearest: FillMode.Nearest, constant: FillMode.Constant };

/** The fill mode ids `affineTransform` accepts. */
export const fillModeIds = Object.keys(fillModes) as FillModeId[];

/** Options of `affineTransform`. */
export interface AffineTransformOptions {
  /** Default `'reflect'`, as Keras. */
  fillMode?: FillModeId;
  /** Value of `'constant'` fill (default 0). */
  fillValue?: number;
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: 'bilinear' | 'nearest';
}

/**
 * Resamples each NHWC image b by its own affine map `transforms[b] = [a0, a1, a2, b0, b1, b2]`: output pixel
 * (row y, column x) reads the input at column a0·x + a1·y + a2, row b0·x + b1·y + b2 (Keras's image transform
 * convention), with Keras's fill modes outside. NOTE: not differentiable (no gradient is recorded): it is
 * meant for data augmentation at a model's input.
 * @example affineTransform(images, [[-1, 0, 27, 0, 1, 0]]); // a left-right flip of 28-wide images
 */
export function affineTransform(x: Tensor, transforms: readonly (readonly number[])[], { fillMode = 'reflect', fillValue = 0, interpolation = 'bilinear' }: AffineTransformOptions = {}): Tensor {
  if (!(x instanceof Tensor) || x.rank !== 4) {
    throw new ShapeError(`affineTransform: expected an NHWC tensor of rank 4, received ${x instanceof Tensor ? `shape ${formatShape(x.shape)}` : typeof x}`);
  }
  if (!Array.isArray(transforms) || transforms.length !== x.shape[0] || !transforms.every((t) => Array.isArray(t) && t.length === 6 && t.every(Number.isFinite))) {
    throw new ValueError(`affineTransform: expected ${x.shape[0]} transforms (one per image) of 6 finite numbers, received ${Array.isArray(transforms) ? transforms.length : typeof transforms}`);
  }
  if (!Object.prototype.hasOwnProperty.call(fillModes, fillMode)) {
    throw new ValueError(`affineTransform: expected fillMode one of ${fillModeIds.join(', ')}, received ${JSON.stringify(fillMode)}`);
  }
  const flat = new Float64Array(6 * transforms.length);
  transforms.forEach((t, b) => flat.set(t, 6 * b));
  const y = new Float32Array(x.size);
  affineSample2d(x.data, x.shape, flat, fillModes[fillMode], fillValue, interpolation === 'bilinear', y);
  return new Tensor(y, x.shape);
}
