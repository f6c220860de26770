import { ShapeError } from '../../util/errors.js';
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
}

/**
 * Transposed convolution ("deconvolution") over NHWC images: kernel `[kh, kw, filters, inChannels]`
 * (Keras's layout), bias `[filters]`; output size in·stride ('same') or in·stride + max(k − stride, 0) ('valid').
 * @example new Conv2DTranspose(4, 3, { strides: 2, padding: 'same' }).apply(zeros([1, 5, 5, 2])).shape; // [1, 10, 10, 4]
 */
export class Conv2DTranspose extends BaseConv2D {
  readonly className = 'Conv2DTranspose';
  /** Number of output channels. */
  readonly filters: number;
  private kernel: Tensor | null = null;

  constructor(filters: number, kernelSize: number | readonly [number, number], options: Conv2DTransposeOptions = {}) {
    super('Conv2DTranspose', kernelSize, { ...options }, KERNELS, []);
    this.filters = checkPositiveInt(filters, `${this.describe()} filters`);
  }

  /** Builds a Conv2DTranspose from its model.json config (`output_padding` must be null). */
  static fromConfig(config: LayerConfig): Conv2DTranspose {
    if (config.output_padding !== undefined && config.output_padding !== null) {
      throw new ShapeError(`Conv2DTranspose.fromConfig: output_padding ${JSON.stringify(config.output_padding)} is not supported (only null)`);
    }
    return new Conv2DTranspose(required('Conv2DTranspose', config, 'filters'), required('Conv2DTranspose', config, 'kernel_size'), convOptionsFromConfig('Conv2DTranspose', config, KERNELS));
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
    const out = (n: number | null, k: number, s: number, d: number): number | null => (n === null ? null : deconvOutputLength(n, k, this.padding, s, d));
    return [b, out(h, this.kernelSize[0], this.strides[0], this.dilationRate[0]), out(w, this.kernelSize[1], this.strides[1], this.dilationRate[1]), this.filters];
  }

  call(x: Tensor): Tensor {
    return this.finish(conv2dTranspose(x, this.kernel!, { strides: this.strides, padding: this.padding, dilations: this.dilationRate }));
  }

  override getConfig(): Record<string, unknown> {
    return { filters: this.filters, ...this.convConfig(KERNELS), output_padding: null, ...super.getConfig() };
  }
}
