import { ShapeError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ActivationFn, ActivationId, canonicalActivation, getActivation } from '../activations/activations.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, read, required } from '../layers/config.js';
import { Dense, DenseOptions } from '../layers/dense.js';
import { Shape } from '../layers/layer.js';
import { QuantizedLayer, QuantizedOptions } from './quantized-layer.js';
import { quadPaddedLength } from '../kernels/int8-pack-quad.js';
import { B_RESIDENT_BYTES } from '../kernels/wasm/int8-wasm.js';

/** Options of `QuantizedDense` besides `units`. */
export interface QuantizedDenseOptions extends QuantizedOptions {
  activation?: ActivationId | string | null;
  useBias?: boolean;
}

const KEYS = ['activation', 'useBias', 'mode', 'inputScale', 'activationBits', 'name', 'inputShape', 'batchInputShape', 'trainable'];

/**
 * A Dense layer whose kernel stays int8 (scale per unit) or float16 in memory: y = activation(x·W + b)
 * computed by the int8 GEMM (int32 accumulation) for int8. `quantize(model, …)` makes these from Dense.
 * @example const q = QuantizedDense.fromDense(model.layers[0] as Dense, 'int8'); q.apply(x);
 */
export class QuantizedDense extends QuantizedLayer {
  readonly className = 'QuantizedDense';
  /** Output size. */
  readonly units: number;
  /** Canonical activation id. */
  readonly activation: ActivationId;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private readonly activationFn: ActivationFn;
  private inFeatures: number | null = null;

  constructor(units: number, options: QuantizedDenseOptions = {}) {
    checkOptionKeys(options, KEYS, 'QuantizedDense');
    const { activation = 'linear', useBias = true, mode = 'int8', inputScale = null, activationBits = 8, ...base } = options;
    super(mode, inputScale, base, 'QuantizedDense', activationBits);
    this.units = checkPositiveInt(units, `${this.describe()} units`);
    this.activation = canonicalActivation(activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = checkBoolean(useBias, `${this.describe()} useBias`);
  }

  /** The quantized twin of a built Dense layer (same name, config and input shape). */
  static fromDense(
    dense: Dense, mode: QuantizedDenseOptions['mode'] = 'int8',
    { perChannel = true, inputScale = null, activationBits = 8 }: { perChannel?: boolean; inputScale?: number | null; activationBits?: 7 | 8 } = {},
  ): QuantizedDense {
    const [kernel, bias] = dense.getWeights();
    const options: QuantizedDenseOptions = { activation: dense.activation, useBias: dense.useBias, mode, inputScale, activationBits, name: dense.name };
    if (dense.batchInputShape !== null) options.batchInputShape = dense.batchInputShape;
    const q = new QuantizedDense(dense.units, options);
    q.ensureBuilt([null, kernel.shape[0]]);
    q.setFloatWeights(kernel.data, bias === undefined ? null : bias.data, perChannel);
    return q;
  }

  /** Builds a QuantizedDense from its model.json config. */
  static fromConfig(config: LayerConfig): QuantizedDense {
    return new QuantizedDense(required('QuantizedDense', config, 'units'), {
      activation: read(config, 'activation', 'linear'),
      useBias: read(config, 'use_bias', true),
      mode: read(config, 'quantization_mode', 'int8'),
      inputScale: read(config, 'input_scale', null),
      activationBits: read(config, 'activation_bits', 8),
      ...baseOptionsFromConfig('QuantizedDense', config),
    });
  }

  protected override checkInputShape(shape: Shape): void {
    const features = shape[shape.length - 1];
    if (shape.length < 2 || features === null) {
      throw new ShapeError(`${this.describe()}: expected an input of rank >= 2 with a known last dimension, received ${formatShape(shape)}`);
    }
    if (this.inFeatures !== null && features !== this.inFeatures) {
      throw new ShapeError(`${this.describe()}: built for inputs with ${this.inFeatures} features, received input of shape ${formatShape(shape)}`);
    }
  }

  override build(inputShape: Shape): void {
    this.inFeatures = inputShape[inputShape.length - 1] as number;
    this.buildQuantized();
  }

  protected kernelShape(): number[] {
    return [this.inFeatures ?? 0, this.units];
  }

  /** The relaxed kernel has no cache blocking: kernels up to 192 KiB (those the fused path takes). */
  protected quadSuitable(): boolean {
    return quadPaddedLength(this.inFeatures ?? 0, this.units) <= B_RESIDENT_BYTES;
  }

  protected hasBias(): boolean {
    return this.useBias;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  call(x: Tensor): Tensor {
    const rows = sizeOf(x.shape.slice(0, -1));
    const scales = this.inputScale === null ? null : new Float32Array(rows).fill(this.inputScale);
    const y = this.qkernel!.matmul(x.data, rows, this.biasValues, scales, undefined, this.levels);
    return this.activationFn(new Tensor(y, [...x.shape.slice(0, -1), this.units]));
  }

  /** The float Dense this layer stands for, its kernel dequantized (what the TF.js form of the file holds). */
  toFloatLayer(): Dense {
    const options: DenseOptions = { activation: this.activation, useBias: this.useBias, name: this.name };
    if (this.batchInputShape !== null) options.batchInputShape = this.batchInputShape;
    const dense = new Dense(this.units, options);
    dense.ensureBuilt([null, this.inFeatures]);
    dense.setWeights(this.floatWeights());
    return dense;
  }

  override getConfig(): Record<string, unknown> {
    return { units: this.units, activation: this.activation, use_bias: this.useBias, ...this.quantizationConfig(), ...super.getConfig() };
  }
}
