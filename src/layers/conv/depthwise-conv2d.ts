import { Tensor } from '../../tensor/tensor.js';
import { depthwiseConv2d } from '../../ops/depthwise-conv2d.js';
import { InitializerSpec } from '../../initializers/serialization.js';
import { ConstraintSpec } from '../../constraints/constraints.js';
import { RegularizerSpec } from '../../regularizers/regularizers.js';
import { checkPositiveInt, LayerConfig, read, required } from '../config.js';
import { convOutputLength, windowFits } from '../conv-shape.js';
import { ShapeError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Shape } from '../layer.js';
import { BaseConv2D, BaseConv2DOptions, convOptionsFromConfig } from './base-conv2d.js';

const KERNELS = ['depthwise'];

/** Options of `DepthwiseConv2D` besides `kernelSize`. */
export interface DepthwiseConv2DOptions extends BaseConv2DOptions {
  /** Filters per input channel (default 1): output channels = inChannels · depthMultiplier. */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerSpec;
  depthwiseRegularizer?: RegularizerSpec | null;
  depthwiseConstraint?: ConstraintSpec | null;
}

/** Output shape of a windowed op over NHWC with the layer's window settings. */
export function windowOutputShape(layer: BaseConv2D, inputShape: Shape, channels: number | null): Shape {
  const [b, h, w] = inputShape;
  return [
    b,
    convOutputLength(h, layer.kernelSize[0], layer.padding, layer.strides[0], layer.dilationRate[0]),
    convOutputLength(w, layer.kernelSize[1], layer.padding, layer.strides[1], layer.dilationRate[1]),
    channels,
  ];
}

/** Throws unless the (dilated) kernel fits the padded image. */
export function checkWindowFits(layer: BaseConv2D, shape: Shape, who: string): void {
  const fits = windowFits(shape[1], layer.kernelSize[0], layer.padding, layer.dilationRate[0]) && windowFits(shape[2], layer.kernelSize[1], layer.padding, layer.dilationRate[1]);
  if (!fits) throw new ShapeError(`${who}: kernel ${formatShape(layer.kernelSize)} (dilation ${formatShape(layer.dilationRate)}) is larger than the '${layer.padding}'-padded input ${formatShape(shape)}`);
}

/**
 * Depthwise convolution: each input channel convolved with its own `depthMultiplier` filters;
 * kernel `depthwise_kernel` `[kh, kw, inChannels, depthMultiplier]`, bias `[inChannels · depthMultiplier]`.
 * @example new DepthwiseConv2D(3, { depthMultiplier: 2 }).apply(zeros([1, 5, 5, 4])).shape; // [1, 3, 3, 8]
 */
export class DepthwiseConv2D extends BaseConv2D {
  readonly className = 'DepthwiseConv2D';
  readonly depthMultiplier: number;
  private kernel: Tensor | null = null;

  constructor(kernelSize: number | readonly [number, number], options: DepthwiseConv2DOptions = {}) {
    super('DepthwiseConv2D', kernelSize, { ...options }, KERNELS, ['depthMultiplier']);
    this.depthMultiplier = checkPositiveInt(options.depthMultiplier ?? 1, `${this.describe()} depthMultiplier`);
  }

  /** Builds a DepthwiseConv2D from its model.json config. */
  static fromConfig(config: LayerConfig): DepthwiseConv2D {
    return new DepthwiseConv2D(required('DepthwiseConv2D', config, 'kernel_size'), {
      ...convOptionsFromConfig('DepthwiseConv2D', config, KERNELS),
      depthMultiplier: read(config, 'depth_multiplier', 1),
    });
  }

  protected override checkInputShape(shape: Shape): void {
    super.checkInputShape(shape);
    checkWindowFits(this, shape, this.describe());
  }

  override build(inputShape: Shape): void {
    const c = inputShape[3] as number;
    this.kernel = this.addKernel('depthwise_kernel', 'depthwise', [...this.kernelSize, c, this.depthMultiplier]);
    this.addBias(c * this.depthMultiplier);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return windowOutputShape(this, inputShape, inputShape[3] === null ? null : inputShape[3] * this.depthMultiplier);
  }

  call(x: Tensor): Tensor {
    return this.finish(depthwiseConv2d(x, this.kernel!, { strides: this.strides, padding: this.padding, dilations: this.dilationRate }));
  }

  override getConfig(): Record<string, unknown> {
    return { depth_multiplier: this.depthMultiplier, ...this.convConfig(KERNELS), ...super.getConfig() };
  }
}
