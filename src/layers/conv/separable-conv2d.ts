import { Tensor } from '../../tensor/tensor.js';
import { conv2d } from '../../ops/conv2d.js';
import { depthwiseConv2d } from '../../ops/depthwise-conv2d.js';
import { InitializerSpec } from '../../initializers/serialization.js';
import { ConstraintSpec } from '../../constraints/constraints.js';
import { RegularizerSpec } from '../../regularizers/regularizers.js';
import { checkPositiveInt, LayerConfig, read, required } from '../config.js';
import { Shape } from '../layer.js';
import { BaseConv2D, BaseConv2DOptions, convOptionsFromConfig } from './base-conv2d.js';
import { checkWindowFits, windowOutputShape } from './depthwise-conv2d.js';

const KERNELS = ['depthwise', 'pointwise'];

/** Options of `SeparableConv2D` besides `filters` and `kernelSize`. */
export interface SeparableConv2DOptions extends BaseConv2DOptions {
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerSpec;
  pointwiseInitializer?: InitializerSpec;
  depthwiseRegularizer?: RegularizerSpec | null;
  pointwiseRegularizer?: RegularizerSpec | null;
  depthwiseConstraint?: ConstraintSpec | null;
  pointwiseConstraint?: ConstraintSpec | null;
}

/**
 * Depthwise convolution followed by a 1×1 (pointwise) convolution mixing the channels: weights
 * `depthwise_kernel` `[kh, kw, inChannels, depthMultiplier]`, `pointwise_kernel`
 * `[1, 1, inChannels · depthMultiplier, filters]`, `bias` `[filters]`.
 * @example new SeparableConv2D(8, 3, { padding: 'same' }).apply(zeros([1, 6, 6, 3])).shape; // [1, 6, 6, 8]
 */
export class SeparableConv2D extends BaseConv2D {
  readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly depthMultiplier: number;
  private depthwise: Tensor | null = null;
  private pointwise: Tensor | null = null;

  constructor(filters: number, kernelSize: number | readonly [number, number], options: SeparableConv2DOptions = {}) {
    super('SeparableConv2D', kernelSize, { ...options }, KERNELS, ['depthMultiplier']);
    this.filters = checkPositiveInt(filters, `${this.describe()} filters`);
    this.depthMultiplier = checkPositiveInt(options.depthMultiplier ?? 1, `${this.describe()} depthMultiplier`);
  }

  /** Builds a SeparableConv2D from its model.json config. */
  static fromConfig(config: LayerConfig): SeparableConv2D {
    return new SeparableConv2D(required('SeparableConv2D', config, 'filters'), required('SeparableConv2D', config, 'kernel_size'), {
      ...convOptionsFromConfig('SeparableConv2D', config, KERNELS),
      depthMultiplier: read(config, 'depth_multiplier', 1),
    });
  }

  protected override checkInputShape(shape: Shape): void {
    super.checkInputShape(shape);
    checkWindowFits(this, shape, this.describe());
  }

  override build(inputShape: Shape): void {
    const c = inputShape[3] as number;
    this.depthwise = this.addKernel('depthwise_kernel', 'depthwise', [...this.kernelSize, c, this.depthMultiplier]);
    this.pointwise = this.addKernel('pointwise_kernel', 'pointwise', [1, 1, c * this.depthMultiplier, this.filters]);
    this.addBias(this.filters);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return windowOutputShape(this, inputShape, this.filters);
  }

  call(x: Tensor): Tensor {
    const mid = depthwiseConv2d(x, this.depthwise!, { strides: this.strides, padding: this.padding, dilations: this.dilationRate });
    return this.finish(conv2d(mid, this.pointwise!));
  }

  override getConfig(): Record<string, unknown> {
    return { filters: this.filters, depth_multiplier: this.depthMultiplier, ...this.convConfig(KERNELS), ...super.getConfig() };
  }
}
