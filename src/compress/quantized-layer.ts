import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Layer, LayerOptions, LayerWeight } from '../layers/layer.js';
import { QuantizationMode, QuantizedKernel } from './quantized-kernel.js';

/** Options every quantized layer takes besides its float twin's. */
export interface QuantizedOptions extends LayerOptions {
  /** 'int8' (default) or 'float16'. */
  mode?: QuantizationMode;
  /** int8 only: a calibrated input scale (q = round(x·inputScale)) instead of each row's dynamic abs-max. */
  inputScale?: number | null;
}

/** Checks the quantization options shared by the quantized layers. */
export function checkQuantizedOptions(mode: unknown, inputScale: unknown, where: string): void {
  if (mode !== 'int8' && mode !== 'float16') throw new ValueError(`${where}: expected mode 'int8' or 'float16', received ${JSON.stringify(mode)}`);
  if (inputScale !== null && !(typeof inputScale === 'number' && inputScale > 0 && Number.isFinite(inputScale))) {
    throw new ValueError(`${where}: expected inputScale to be a positive number or null, received ${JSON.stringify(inputScale)}`);
  }
  if (mode === 'float16' && inputScale !== null) throw new ValueError(`${where}: inputScale applies to int8 only, received mode 'float16'`);
}

/**
 * Base of the quantized layers (QuantizedDense, QuantizedConv2D): a kernel kept quantized
 * (`QuantizedKernel`), a float bias. Inference only: every weight is non-trainable and the forward
 * records no gradient. Weights as Keras 3 lists an int8 layer's: `kernel` (the int8 values, in the
 * float layer's shape), `bias`, `kernel_scale` ([outputs]); float16 layers have `kernel` and `bias`.
 * @example
 * const q = quantize(model, 'int8');
 * q.layers.filter((l) => l instanceof QuantizedLayer).length; // 1: the Dense layer
 */
export abstract class QuantizedLayer extends Layer {
  /** How the kernel is stored. */
  readonly mode: QuantizationMode;
  /** The calibrated input scale, or null for dynamic per-row scales. */
  readonly inputScale: number | null;
  protected qkernel: QuantizedKernel | null = null;
  protected biasValues: Float32Array | null = null;

  constructor(mode: QuantizationMode, inputScale: number | null, options: LayerOptions, className: string) {
    super({ ...options, trainable: false }, className);
    checkQuantizedOptions(mode, inputScale, this.describe());
    this.mode = mode;
    this.inputScale = inputScale;
  }

  /** The float layer's kernel shape (`[in, units]`, `[kh, kw, inC, filters]`). */
  protected abstract kernelShape(): number[];
  /** Whether the layer adds a bias. */
  protected abstract hasBias(): boolean;

  /** Sets the kernel from float weights (quantizing), as `quantize` does. */
  setFloatWeights(kernel: Float32Array, bias: Float32Array | null, perChannel: boolean): void {
    const shape = this.kernelShape();
    const n = shape[shape.length - 1];
    this.qkernel = QuantizedKernel.quantize(kernel, kernel.length / n, n, this.mode, perChannel);
    this.biasValues = bias === null ? null : Float32Array.from(bias);
  }

  /** The quantized kernel (null before build). */
  get quantizedKernel(): QuantizedKernel | null {
    return this.qkernel;
  }

  /** Bytes of weights this layer keeps in memory. */
  get residentBytes(): number {
    return (this.qkernel?.byteLength ?? 0) + (this.biasValues?.byteLength ?? 0);
  }

  /** Bytes the same layer takes in float32. */
  get floatBytes(): number {
    const shape = this.kernelShape();
    return 4 * (shape.reduce((a, b) => a * b, 1) + (this.hasBias() ? shape[shape.length - 1] : 0));
  }

  /** Starts with zero weights; `setWeights` or `setFloatWeights` fills them. */
  protected buildQuantized(): void {
    const shape = this.kernelShape();
    const n = shape[shape.length - 1];
    const size = shape.reduce((a, b) => a * b, 1);
    this.qkernel = this.mode === 'int8'
      ? QuantizedKernel.fromInt8(new Float32Array(size), new Float32Array(n).fill(1), size / n, n, this.describe())
      : QuantizedKernel.fromFloat16(new Float32Array(size), size / n, n);
    this.biasValues = this.hasBias() ? new Float32Array(n) : null;
  }

  /** Copies of the weights (kernel as int8 values or float16-rounded floats, bias, kernel_scale). */
  override namedWeights(): LayerWeight[] {
    const kernel = this.qkernel;
    if (kernel === null) return [];
    const n = kernel.n;
    const out: LayerWeight[] = [
      { name: 'kernel', value: new Tensor(this.mode === 'int8' ? kernel.int8Values() : kernel.dequantize(), this.kernelShape()), trainable: false },
    ];
    if (this.biasValues !== null) out.push({ name: 'bias', value: new Tensor(Float32Array.from(this.biasValues), [n]), trainable: false });
    if (this.mode === 'int8') out.push({ name: 'kernel_scale', value: new Tensor(Float32Array.from(kernel.scales!), [n]), trainable: false });
    return out;
  }

  /** Sets kernel (int8 values or floats), bias and kernel_scale, in `namedWeights` order; all checked first. */
  override setWeights(weights: readonly Tensor[]): void {
    if (!this.built || this.qkernel === null) {
      throw new NeuriteError(`${this.describe()}.setWeights: the layer is not built yet; call it on data or ensureBuilt(inputShape) first`);
    }
    const expected = this.namedWeights().map((w) => ({ name: w.name, shape: w.value.shape }));
    if (!Array.isArray(weights) || weights.length !== expected.length) {
      throw new ValueError(
        `${this.describe()}.setWeights: expected ${expected.length} tensors (${expected.map((e) => `${e.name} ${formatShape(e.shape)}`).join(', ')}), ` +
          `received ${Array.isArray(weights) ? weights.length : typeof weights}`,
      );
    }
    expected.forEach((e, i) => {
      const w = weights[i];
      if (!(w instanceof Tensor) || !shapesEqual(w.shape, e.shape)) {
        throw new ShapeError(`${this.describe()}.setWeights: weight ${i} '${e.name}' expected shape ${formatShape(e.shape)}, received ${w instanceof Tensor ? formatShape(w.shape) : typeof w}`);
      }
    });
    const { k, n } = this.qkernel;
    const kernel = this.mode === 'int8'
      ? QuantizedKernel.fromInt8(weights[0].data, weights[weights.length - 1].data, k, n, this.describe())
      : QuantizedKernel.fromFloat16(weights[0].data, k, n);
    this.qkernel = kernel;
    if (this.biasValues !== null) this.biasValues = Float32Array.from(weights[1].data);
  }

  /** The float weights this layer stands for: the dequantized kernel, then the bias. */
  protected floatWeights(): Tensor[] {
    const kernel = new Tensor(this.qkernel!.dequantize(), this.kernelShape());
    return this.biasValues === null ? [kernel] : [kernel, new Tensor(Float32Array.from(this.biasValues), [this.biasValues.length])];
  }

  /** The quantization keys added to the float layer's config. */
  protected quantizationConfig(): Record<string, unknown> {
    return { quantization_mode: this.mode, input_scale: this.inputScale };
  }
}
