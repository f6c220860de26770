import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Layer, LayerOptions, LayerWeight } from '../layers/layer.js';
import { fromFloat16Bits, QuantizationMode, QuantizedKernel, toFloat16Bits } from './quantized-kernel.js';
import { int8RelaxedSupported } from '../kernels/wasm/int8-relaxed-wasm.js';

/** Options every quantized layer takes besides its float twin's. */
export interface QuantizedOptions extends LayerOptions {
  /** 'int8' (default) or 'float16'. */
  mode?: QuantizationMode;
  /** int8 only: a calibrated input scale (q = round(x·inputScale)) instead of each row's dynamic abs-max. */
  inputScale?: number | null;
  /**
   * int8 only: levels of the quantized activations, 8 (default: ±127, scale 127 / max, Keras) or 7
   * (±63, scale 63 / max): half the activation resolution, for WebAssembly's relaxed int8 dot product,
   * whose second operand must be 7-bit; every kernel path then computes the same integers.
   */
  activationBits?: 7 | 8;
}

/** Checks the quantization options shared by the quantized layers. */
export function checkQuantizedOptions(mode: unknown, inputScale: unknown, where: string, activationBits: unknown = 8): void {
  if (activationBits !== 7 && activationBits !== 8) throw new ValueError(`${where}: expected activationBits 7 or 8, received ${JSON.stringify(activationBits)}`);
  if (mode === 'float16' && activationBits !== 8) throw new ValueError(`${where}: activationBits applies to int8 only, received mode 'float16'`);
  if (mode !== 'int8' && mode !== 'float16') throw new ValueError(`${where}: expected mode 'int8' or 'float16', received ${JSON.stringify(mode)}`);
  if (inputScale !== null && !(typeof inputScale === 'number' && inputScale > 0 && Number.isFinite(inputScale))) {
    throw new ValueError(`${where}: expected inputScale to be a positive number or null, received ${JSON.stringify(inputScale)}`);
  }
  if (mode === 'float16' && inputScale !== null) throw new ValueError(`${where}: inputScale applies to int8 only, received mode 'float16'`);
}

/**
 * Base of the quantized layers (QuantizedDense, QuantizedConv2D): a kernel kept quantized
 * (`QuantizedKernel`), a bias kept in float16. Inference only: every weight is non-trainable and the forward
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
  /** Activation levels: 8 bits (±127) or 7 (±63, the relaxed kernel's). */
  readonly activationBits: 7 | 8;
  protected qkernel: QuantizedKernel | null = null;
  /** The bias in float16 (bits): with int8 kernels a float32 bias would be a tenth of a small layer's bytes. */
  private biasBits: Uint16Array | null = null;

  constructor(mode: QuantizationMode, inputScale: number | null, options: LayerOptions, className: string, activationBits: 7 | 8 = 8) {
    super({ ...options, trainable: false }, className);
    checkQuantizedOptions(mode, inputScale, this.describe(), activationBits);
    this.mode = mode;
    this.inputScale = inputScale;
    this.activationBits = activationBits;
  }

  /** The largest activation level: 127 or 63. */
  protected get levels(): number {
    return this.activationBits === 7 ? 63 : 127;
  }

  /** Whether this layer's shape suits the relaxed kernel (which the layer then uses with 7-bit activations). */
  protected abstract quadSuitable(): boolean;

  /** The kernel as the fastest kernel on this runtime wants it: quads for the relaxed kernel (7-bit activations), else pairs. */
  private placeKernel(kernel: QuantizedKernel): QuantizedKernel {
    kernel.setLayout(this.activationBits === 7 && int8RelaxedSupported() && this.quadSuitable() ? 'quad' : 'pair');
    return kernel;
  }

  /** The float layer's kernel shape (`[in, units]`, `[kh, kw, inC, filters]`). */
  protected abstract kernelShape(): number[];
  /** Whether the layer adds a bias. */
  protected abstract hasBias(): boolean;

  /** Sets the kernel from float weights (quantizing), as `quantize` does. */
  setFloatWeights(kernel: Float32Array, bias: Float32Array | null, perChannel: boolean): void {
    const shape = this.kernelShape();
    const n = shape[shape.length - 1];
    this.qkernel = this.placeKernel(QuantizedKernel.quantize(kernel, kernel.length / n, n, this.mode, perChannel));
    this.biasBits = bias === null ? null : toFloat16Bits(bias);
  }

  /** The bias as float32 (its float16 values), or null. */
  protected get biasValues(): Float32Array | null {
    return this.biasBits === null ? null : fromFloat16Bits(this.biasBits);
  }

  /** The quantized kernel (null before build). */
  get quantizedKernel(): QuantizedKernel | null {
    return this.qkernel;
  }

  /** Bytes of weights this layer keeps in memory. */
  get residentBytes(): number {
    return (this.qkernel?.byteLength ?? 0) + (this.biasBits?.byteLength ?? 0);
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
    this.qkernel = this.placeKernel(this.mode === 'int8'
      ? QuantizedKernel.fromInt8(new Float32Array(size), new Float32Array(n).fill(1), size / n, n, this.describe())
      : QuantizedKernel.fromFloat16(new Float32Array(size), size / n, n));
    this.biasBits = this.hasBias() ? new Uint16Array(n) : null;
  }

  /** Copies of the weights (kernel as int8 values or float16-rounded floats, bias, kernel_scale). */
  override namedWeights(): LayerWeight[] {
    const kernel = this.qkernel;
    if (kernel === null) return [];
    const n = kernel.n;
    const out: LayerWeight[] = [
      { name: 'kernel', value: new Tensor(this.mode === 'int8' ? kernel.int8Values() : kernel.dequantize(), this.kernelShape()), trainable: false },
    ];
    const bias = this.biasValues;
    if (bias !== null) out.push({ name: 'bias', value: new Tensor(bias, [n]), trainable: false });
    if (this.mode === 'int8') out.push({ name: 'kernel_scale', value: new Tensor(Float32Array.from(kernel.scales!), [n]), trainable: false });
    return out;
  }

  /**
   * Sets kernel (int8 values or floats), bias and kernel_scale, in `namedWeights` order; all checked
   * first. The bias and the scales are stored in float16 (rounded to nearest).
   */
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
    this.qkernel = this.placeKernel(kernel);
    if (this.biasBits !== null) this.biasBits = toFloat16Bits(weights[1].data);
  }

  /** The float weights this layer stands for: the dequantized kernel, then the bias. */
  protected floatWeights(): Tensor[] {
    const kernel = new Tensor(this.qkernel!.dequantize(), this.kernelShape());
    const bias = this.biasValues;
    return bias === null ? [kernel] : [kernel, new Tensor(bias, [bias.length])];
  }

  /** The quantization keys added to the float layer's config. */
  protected quantizationConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { quantization_mode: this.mode, input_scale: this.inputScale };
    // Written only when not Keras's 8 bits, so default files stay as they were.
    if (this.activationBits !== 8) config.activation_bits = this.activationBits;
    return config;
  }
}
