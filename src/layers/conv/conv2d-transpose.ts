import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { conv2dTranspose, deconvOutputLength } from '../../ops/conv2d-transpose.js';
import { InitializerSpec } from '../../initializers/serialization.js';
import { ConstraintSpec } from '../../constraints/constraints.js';
import { RegularizerSpec } from '../../regularizers/regularizers.js';
import { checkPositiveInt, LayerConfig, required } from '../config.js';
import { Shape } from '../layer.js';
import { BaseConv2D, BaseConv2DOptions, convOptionsFromConfig } from './base-conv2d.js';

const KERNELS = ['kernel'];

/** Options of `Conv2DTranspose` besides `filters` and `kernelSize`. */
export interface Conv2DTransposeOptions extends BaseConv2DOptions {
  kernelInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec | null;
  kernelConstraint?: ConstraintSpec | null;
  /** Extra rows and columns at the bottom / right of the output (Keras's `output_padding`), each >= 0 and < its stride; null (default): Keras's size without it. */
  outputPadding?: number | readonly [number, number] | null;
}

/**
 * Transposed convolution ("deconvolution") over NHWC images: kernel `[kh, kw, filters, inChannels]`
 * (Keras's layout), bias `[filters]`; output size in·stride ('same') or in·stride + max(k − stride, 0) ('valid'),
 * or with `outputPadding` p: (in − 1)·stride + k − 2·pad + p, pad = ⌊k/2⌋ ('same') or 0 ('valid'), k dilated.
 * @example new Conv2DTranspose(4, 3, { strides: 2, padding: 'same' }).apply(zeros([1, 5, 5, 2])).shape; // [1, 10, 10, 4]
 */
export class Conv2DTranspose extends BaseConv2D {
  readonly className = 'Conv2DTranspose';
  /** Number of output channels. */
  readonly filters: number;
  /** Output padding per axis, or null. */
  readonly outputPadding: [number, number] | null;
  private kernel: Tensor | null = null;

  constructor(filters: number, kernelSize: number | readonly [number, number], options: Conv2DTransposeOptions = {}) {
    const { outputPadding = null, ...rest } = options;
    super('Conv2DTranspose', kernelSize, { ...rest }, KERNELS, []);
    this.filters = checkPositiveInt(filters, `${this.describe()} filters`);
    this.outputPadding = checkOutputPadding(outputPadding, this.strides, this.describe());
  }

  /** Builds a Conv2DTranspose from its model.json config. */
  static fromConfig(config: LayerConfig): Conv2DTranspose {
    const options: Conv2DTransposeOptions = convOptionsFromConfig('Conv2DTranspose', config, KERNELS);
    if (config.output_padding !== undefined && config.output_padding !== null) options.outputPadding = config.output_padding as [number, number];
    return new Conv2DTranspose(required('Conv2DTranspose', config, 'filters'), required('Conv2DTranspose', config, 'kernel_size'), options);
  }

  override build(inputShape: Shape): void {
    this.kernel = this.addKernel('kernel', 'kernel', [...this.kernelSize, this.filters, inputShape[3] as number]);
    this.addBias(this.filters);
  }

  protected override checkInputShape(shape: Shape): void {
    super.checkInputShape(shape);
    if (shape[1] === 0 || shape[2] === 0) throw new ShapeError(`${this.describe()}: expected a non-empty image, received ${formatShape(shape)}`);
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [b, h, w] = inputShape;
    const op = this.outputPadding;
    const out = (n: number | null, a: 0 | 1): number | null => (n === null ? null : deconvOutputLength(n, this.kernelSize[a], this.padding, this.strides[a], this.dilationRate[a], op === null ? null : op[a]));
    return [b, out(h, 0), out(w, 1), this.filters];
  }

  call(x: Tensor): Tensor {
    return this.finish(conv2dTranspose(x, this.kernel!, { strides: this.strides, padding: this.padding, dilations: this.dilationRate, outputPadding: this.outputPadding }));
  }

  override getConfig(): Record<string, unknown> {
    return { filters: this.filters, ...this.convConfig(KERNELS), output_padding: this.outputPadding === null ? null : [...this.outputPadding], ...super.getConfig() };
  }
}

/** `outputPadding` as a pair, each an integer in [0, stride) as Keras 3 requires, or null. */
function checkOutputPadding(value: unknown, strides: readonly [number, number], what: string): [number, number] | null {
  if (value === null) return null;
  const pair = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? [...value] : null;
  if (pair === null || !pair.every((p, i) => Number.isInteger(p) && p >= 0 && p < strides[i])) {
    throw new ValueError(`${what}: expected outputPadding to be an integer or a pair of integers, each >= 0 and smaller than its stride (strides [${strides.join(', ')}]), received ${JSON.stringify(value)}`);
  }
  return pair as [number, number];
}
