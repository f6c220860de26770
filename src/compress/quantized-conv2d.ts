import { ShapeError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { im2col, patchSize } from '../kernels/im2col.js';
import { resolveWindow2D } from '../kernels/window2d.js';
import { ActivationFn, ActivationId, canonicalActivation, getActivation } from '../activations/activations.js';
import { baseOptionsFromConfig, checkBoolean, checkPadding, checkPositiveInt, LayerConfig, Padding, pairOf, read, required } from '../layers/config.js';
import { conv2dOutputShape } from '../layers/conv-shape.js';
import { Conv2D, Conv2DOptions } from '../layers/conv2d.js';
import { Shape } from '../layers/layer.js';
import { QuantizedLayer, QuantizedOptions } from './quantized-layer.js';

/** Options of `QuantizedConv2D` besides `filters` and `kernelSize`. */
export interface QuantizedConv2DOptions extends QuantizedOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilationRate?: number | readonly [number, number];
  activation?: ActivationId | string | null;
  useBias?: boolean;
}

/** Patch-matrix elements per chunk (1 MiB of float32). */
const CHUNK_ELEMENTS = 1 << 18;

let patchScratch = new Float32Array(0);

const KEYS = ['strides', 'padding', 'dilationRate', 'activation', 'useBias', 'mode', 'inputScale', 'activationBits', 'name', 'inputShape', 'batchInputShape', 'trainable'];

/**
 * A Conv2D (NHWC) whose kernel stays int8 (a scale per filter) or float16. int8: each image is
 * quantized with its own abs-max scale (or the calibrated `inputScale`), lowered to patches
 * (im2col) and multiplied by the int8 GEMM with int32 accumulation.
 * @example const q = QuantizedConv2D.fromConv2D(conv, 'int8'); q.apply(images);
 */
export class QuantizedConv2D extends QuantizedLayer {
  readonly className = 'QuantizedConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly activation: ActivationId;
  readonly useBias: boolean;
  private readonly activationFn: ActivationFn;
  private inChannels: number | null = null;

  constructor(filters: number, kernelSize: number | readonly [number, number], options: QuantizedConv2DOptions = {}) {
    checkOptionKeys(options, KEYS, 'QuantizedConv2D');
    const { strides = 1, padding = 'valid', dilationRate = 1, activation = 'linear', useBias = true, mode = 'int8', inputScale = null, activationBits = 8, ...base } = options;
    super(mode, inputScale, base, 'QuantizedConv2D', activationBits);
    const what = this.describe();
    this.filters = checkPositiveInt(filters, `${what} filters`);
    this.kernelSize = pairOf(kernelSize, `${what} kernelSize`);
    this.strides = pairOf(strides, `${what} strides`);
    this.padding = checkPadding(padding, `${what} padding`);
    this.dilationRate = pairOf(dilationRate, `${what} dilationRate`);
    this.activation = canonicalActivation(activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = checkBoolean(useBias, `${what} useBias`);
  }

  /** The quantized twin of a built Conv2D layer (same name, config and input shape). */
  static fromConv2D(
    conv: Conv2D, mode: QuantizedConv2DOptions['mode'] = 'int8',
    { perChannel = true, inputScale = null, activationBits = 8 }: { perChannel?: boolean; inputScale?: number | null; activationBits?: 7 | 8 } = {},
  ): QuantizedConv2D {
    const [kernel, bias] = conv.getWeights();
    const options: QuantizedConv2DOptions = {
      strides: conv.strides, padding: conv.padding, dilationRate: conv.dilationRate, activation: conv.activation, useBias: conv.useBias, mode, inputScale, activationBits, name: conv.name,
    };
    if (conv.batchInputShape !== null) options.batchInputShape = conv.batchInputShape;
    const q = new QuantizedConv2D(conv.filters, conv.kernelSize, options);
    q.inChannels = kernel.shape[2];
    q.ensureBuilt(conv.inputShapeBuilt as Shape);
    q.setFloatWeights(kernel.data, bias === undefined ? null : bias.data, perChannel);
    return q;
  }

  /** Builds a QuantizedConv2D from its model.json config. */
  static fromConfig(config: LayerConfig): QuantizedConv2D {
    return new QuantizedConv2D(required('QuantizedConv2D', config, 'filters'), required('QuantizedConv2D', config, 'kernel_size'), {
      strides: read(config, 'strides', 1),
      padding: read(config, 'padding', 'valid'),
      dilationRate: read(config, 'dilation_rate', 1),
      activation: read(config, 'activation', 'linear'),
      useBias: read(config, 'use_bias', true),
      mode: read(config, 'quantization_mode', 'int8'),
      inputScale: read(config, 'input_scale', null),
      activationBits: read(config, 'activation_bits', 8),
      ...baseOptionsFromConfig('QuantizedConv2D', config),
    });
  }

  protected override checkInputShape(shape: Shape): void {
    if (shape.length !== 4 || shape[3] === null) {
      throw new ShapeError(`${this.describe()}: expected an NHWC input of rank 4 [batch, height, width, channels], received ${formatShape(shape)}`);
    }
    if (this.built && shape[3] !== this.inChannels) {
      throw new ShapeError(`${this.describe()}: built for ${this.inChannels} input channels, received input of shape ${formatShape(shape)}`);
    }
  }

  override build(inputShape: Shape): void {
    this.inChannels = inputShape[3] as number;
    this.buildQuantized();
  }

  protected kernelShape(): number[] {
    return [...this.kernelSize, this.inChannels ?? 0, this.filters];
  }

  /** The relaxed kernel reads channel quads of each tap: inC a multiple of 4. */
  protected quadSuitable(): boolean {
    return (this.inChannels ?? 1) % 4 === 0;
  }

  protected hasBias(): boolean {
    return this.useBias;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return conv2dOutputShape(inputShape, this);
  }

  call(x: Tensor): Tensor {
    const g = resolveWindow2D(this.name, x.shape, this.kernelSize, this.filters, { strides: this.strides, padding: this.padding, dilations: this.dilationRate });
    const pixels = g.outHeight * g.outWidth;
    const rows = g.batch * pixels;
    const k = patchSize(g);
    const y = new Float32Array(rows * this.filters);
    if (this.mode === 'int8') {
      this.qkernel!.conv2d(x.data, g, this.biasValues, this.inputScale, y, this.levels);
      return this.activationFn(new Tensor(y, [g.batch, g.outHeight, g.outWidth, this.filters]));
    }
    // float16: the kernel widened once, patches in chunks of about a megabyte.
    const data = x.data;
    const chunk = Math.max(1, Math.min(rows, Math.floor(CHUNK_ELEMENTS / Math.max(k, 1))));
    // The patch buffer is reused across calls: allocating a megabyte per call costs more than the product.
    if (patchScratch.length < chunk * k) patchScratch = new Float32Array(chunk * k);
    const cols = patchScratch;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const r1 = Math.min(rows, r0 + chunk);
      im2col(data, g, r0, r1, cols);
      this.qkernel!.matmul(cols, r1 - r0, this.biasValues, null, y.subarray(r0 * this.filters, r1 * this.filters));
    }
    return this.activationFn(new Tensor(y, [g.batch, g.outHeight, g.outWidth, this.filters]));
  }

  /** The float Conv2D this layer stands for, its kernel dequantized (what the TF.js form of the file holds). */
  toFloatLayer(): Conv2D {
    const options: Conv2DOptions = {
      strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, activation: this.activation, useBias: this.useBias, name: this.name,
    };
    if (this.batchInputShape !== null) options.batchInputShape = this.batchInputShape;
    const conv = new Conv2D(this.filters, this.kernelSize, options);
    conv.ensureBuilt(this.inputShapeBuilt as Shape);
    conv.setWeights(this.floatWeights());
    return conv;
  }

  override getConfig(): Record<string, unknown> {
    return {
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [...this.dilationRate],
      activation: this.activation,
      use_bias: this.useBias,
      ...this.quantizationConfig(),
      ...super.getConfig(),
    };
  }
}
