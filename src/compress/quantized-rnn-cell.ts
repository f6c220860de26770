import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { slice } from '../ops/slice.js';
import { ActivationFn, ActivationId, canonicalActivation, getActivation } from '../activations/activations.js';
import { Shape, LayerWeight } from '../layers/layer.js';
import { RNNCellBase, SequencePass, StepFn } from '../layers/rnn/cell-base.js';
import { splitSteps } from '../layers/rnn/split-steps.js';
import { fromFloat16Bits, QuantizationMode, QuantizedKernel, toFloat16Bits } from './quantized-kernel.js';

/** The recurrent layers with a quantized form. */
export type RecurrentKind = 'SimpleRNN' | 'LSTM' | 'GRU';

/** What a quantized cell is: its kind, size, activations and how it stores its kernels. */
export interface QuantizedCellSpec {
  kind: RecurrentKind;
  units: number;
  activation: ActivationId;
  /** Gate activation (LSTM, GRU). */
  recurrentActivation: ActivationId;
  useBias: boolean;
  /** GRU only: the reset gate applied after the recurrent product (Keras 3 default). */
  resetAfter: boolean;
  mode: QuantizationMode;
  /** int8: a calibrated scale for the step inputs x (h keeps its per-row dynamic scale); null: dynamic. */
  inputScale: number | null;
}

const GATES: Record<RecurrentKind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

/**
 * The step of SimpleRNN / LSTM / GRU with both kernels quantized (`QuantizedKernel`: int8 with a
 * scale per output column, or float16): x·W for all steps in one int8 product, then h·U each step
 * through the int8 kernel (h quantized per row, dynamically), int32 accumulation. The gate math is
 * Keras 3's, as the float cells compute it (gate order i, f, c, o for LSTM; z, r, h for GRU).
 * Inference only: no dropout, no gradients. GRU with resetAfter false multiplies by the whole U for
 * each of its two products and keeps the columns it needs (per-column scales make that exact).
 */
export class QuantizedRecurrentCell extends RNNCellBase {
  readonly className = 'QuantizedRecurrentCell';
  readonly spec: QuantizedCellSpec;
  private readonly gates: number;
  private readonly act: ActivationFn;
  private readonly gate: ActivationFn;
  private features: number | null = null;
  private kernel: QuantizedKernel | null = null;
  private recurrent: QuantizedKernel | null = null;
  private biasBits: Uint16Array | null = null;

  constructor(spec: QuantizedCellSpec) {
    super({ trainable: false }, 'QuantizedRecurrentCell');
    this.spec = { ...spec, activation: canonicalActivation(spec.activation), recurrentActivation: canonicalActivation(spec.recurrentActivation) };
    this.gates = GATES[spec.kind];
    this.act = getActivation(this.spec.activation);
    this.gate = getActivation(this.spec.recurrentActivation);
  }

  get stateSizes(): readonly number[] {
    return this.spec.kind === 'LSTM' ? [this.spec.units, this.spec.units] : [this.spec.units];
  }

  get outputSize(): number {
    return this.spec.units;
  }

  get inputFeatures(): number | null {
    return this.features;
  }

  /** The bias shape of the float cell: GRU with resetAfter keeps input and recurrent biases as [2, 3·units]. */
  private biasShape(): number[] {
    const width = this.gates * this.spec.units;
    return this.spec.kind === 'GRU' && this.spec.resetAfter ? [2, width] : [width];
  }

  override build(inputShape: Shape): void {
    const f = inputShape[inputShape.length - 1] as number;
    const width = this.gates * this.spec.units;
    this.features = f;
    const zero = (k: number): QuantizedKernel =>
      this.spec.mode === 'int8' ? QuantizedKernel.fromInt8(new Float32Array(k * width), new Float32Array(width).fill(1), k, width, this.describe()) : QuantizedKernel.fromFloat16(new Float32Array(k * width), k, width);
    this.kernel = zero(f);
    this.recurrent = zero(this.spec.units);
    this.biasBits = this.spec.useBias ? new Uint16Array(this.biasShape().reduce((a, b) => a * b, 1)) : null;
  }

  /** Quantizes float weights [kernel, recurrent_kernel, bias?] as the float cell holds them. */
  setFloatWeights(weights: Tensor[], perChannel: boolean): void {
    const width = this.gates * this.spec.units;
    this.kernel = QuantizedKernel.quantize(weights[0].data, this.features!, width, this.spec.mode, perChannel);
    this.recurrent = QuantizedKernel.quantize(weights[1].data, this.spec.units, width, this.spec.mode, perChannel);
    this.biasBits = this.spec.useBias ? toFloat16Bits(weights[2].data) : null;
  }

  /** The float weights this cell stands for (kernels dequantized), in the float cell's order. */
  floatWeights(): Tensor[] {
    const width = this.gates * this.spec.units;
    const out = [new Tensor(this.kernel!.dequantize(), [this.features!, width]), new Tensor(this.recurrent!.dequantize(), [this.spec.units, width])];
    if (this.biasBits !== null) out.push(new Tensor(fromFloat16Bits(this.biasBits), this.biasShape()));
    return out;
  }

  /** Weight bytes kept in memory, and the float32 bytes of the same weights. */
  get residentBytes(): number {
    return (this.kernel?.byteLength ?? 0) + (this.recurrent?.byteLength ?? 0) + (this.biasBits?.byteLength ?? 0);
  }

  get floatBytes(): number {
    const width = this.gates * this.spec.units;
    return 4 * ((this.features ?? 0) * width + this.spec.units * width + (this.spec.useBias ? this.biasShape().reduce((a, b) => a * b, 1) : 0));
  }

  /** Keras 3's int8 RNN weight list: kernel, recurrent_kernel (int8 values), bias, kernel_scale, recurrent_kernel_scale; float16: the first three. */
  override namedWeights(): LayerWeight[] {
    if (this.kernel === null) return [];
    const width = this.gates * this.spec.units;
    const int8 = this.spec.mode === 'int8';
    const values = (k: QuantizedKernel, rows: number): Tensor => new Tensor(int8 ? k.int8Values() : k.dequantize(), [rows, width]);
    const out: LayerWeight[] = [
      { name: 'kernel', value: values(this.kernel, this.features!), trainable: false },
      { name: 'recurrent_kernel', value: values(this.recurrent!, this.spec.units), trainable: false },
    ];
    if (this.biasBits !== null) out.push({ name: 'bias', value: new Tensor(fromFloat16Bits(this.biasBits), this.biasShape()), trainable: false });
    if (int8) {
      out.push({ name: 'kernel_scale', value: new Tensor(this.kernel.scales!, [width]), trainable: false });
      out.push({ name: 'recurrent_kernel_scale', value: new Tensor(this.recurrent!.scales!, [width]), trainable: false });
    }
    return out;
  }

  /** Sets the weights in `namedWeights` order (all checked first); scales and bias are kept in float16. */
  override setWeights(weights: readonly Tensor[]): void {
    if (this.kernel === null) throw new NeuriteError(`${this.describe()}.setWeights: the layer is not built yet; call it on data or ensureBuilt(inputShape) first`);
    const expected = this.namedWeights();
    if (!Array.isArray(weights) || weights.length !== expected.length) {
      throw new ValueError(`${this.describe()}.setWeights: expected ${expected.length} tensors (${expected.map((e) => `${e.name} ${formatShape(e.value.shape)}`).join(', ')}), received ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    expected.forEach((e, i) => {
      const w = weights[i];
      if (!(w instanceof Tensor) || !shapesEqual(w.shape, e.value.shape)) {
        throw new ShapeError(`${this.describe()}.setWeights: weight ${i} '${e.name}' expected shape ${formatShape(e.value.shape)}, received ${w instanceof Tensor ? formatShape(w.shape) : typeof w}`);
      }
    });
    const width = this.gates * this.spec.units;
    const at = (name: string): Tensor => weights[expected.findIndex((e) => e.name === name)];
    const make = (values: Tensor, scale: string, rows: number): QuantizedKernel =>
      this.spec.mode === 'int8' ? QuantizedKernel.fromInt8(values.data, at(scale).data, rows, width, this.describe()) : QuantizedKernel.fromFloat16(values.data, rows, width);
    const kernel = make(at('kernel'), 'kernel_scale', this.features!);
    const recurrent = make(at('recurrent_kernel'), 'recurrent_kernel_scale', this.spec.units);
    this.kernel = kernel;
    this.recurrent = recurrent;
    if (this.biasBits !== null) this.biasBits = toFloat16Bits(at('bias').data);
  }

  /** The input bias (row 0 for GRU resetAfter) and the recurrent bias (GRU resetAfter only). */
  private biases(): { input: Float32Array | null; recurrent: Float32Array | null } {
    if (this.biasBits === null) return { input: null, recurrent: null };
    const b = fromFloat16Bits(this.biasBits);
    const width = this.gates * this.spec.units;
    if (this.spec.kind === 'GRU' && this.spec.resetAfter) return { input: b.subarray(0, width), recurrent: b.subarray(width) };
    return { input: b, recurrent: null };
  }

  /** x [rows, features] · W + input bias, through the quantized kernel. */
  private project(x: Tensor, rows: number, bias: Float32Array | null): Float32Array {
    const scales = this.spec.inputScale === null ? null : new Float32Array(rows).fill(this.spec.inputScale);
    return this.kernel!.matmul(x.data, rows, bias, scales);
  }

  sequencePass(x: Tensor): SequencePass {
    const [batch, steps, f] = x.shape;
    const { input, recurrent } = this.biases();
    const projected = new Tensor(this.project(x, batch * steps, input), [batch, steps, this.gates * this.spec.units]);
    void f;
    return { inputs: splitSteps(projected), step: this.stepper(recurrent) };
  }

  rawStepper(batch: number): StepFn {
    const { input, recurrent } = this.biases();
    const step = this.stepper(recurrent);
    return (xt, states) => step(new Tensor(this.project(xt, batch, input), [batch, this.gates * this.spec.units]), states);
  }

  /** h [batch, units] · U (+ the recurrent bias), through the quantized recurrent kernel (h's scale per row). */
  private recur(h: Tensor, bias: Float32Array | null): Tensor {
    const batch = h.shape[0];
    return new Tensor(this.recurrent!.matmul(h.data, batch, bias), [batch, this.gates * this.spec.units]);
  }

  private stepper(recurrentBias: Float32Array | null): StepFn {
    const u = this.spec.units;
    const cut = (t: Tensor, from: number, width: number): Tensor => slice(t, [0, from * u], [t.shape[0], width * u]);
    switch (this.spec.kind) {
      case 'SimpleRNN':
        return (xt, [h]) => {
          const y = this.act(add(xt, this.recur(h, null)));
          return { output: y, states: [y] };
        };
      case 'LSTM':
        return (xt, [h, c]) => {
          const z = add(xt, this.recur(h, null));
          const cNext = add(mul(this.gate(cut(z, 1, 1)), c), mul(this.gate(cut(z, 0, 1)), this.act(cut(z, 2, 1))));
          const hNext = mul(this.gate(cut(z, 3, 1)), this.act(cNext));
          return { output: hNext, states: [hNext, cNext] };
        };
      case 'GRU':
        return (xt, [h]) => {
          // resetAfter: ĥ = act(x_h + r·(h·U_h + b_rh)); else ĥ = act(x_h + (r·h)·U_h).
          const inner = this.recur(h, recurrentBias);
          const zr = this.gate(add(cut(xt, 0, 2), cut(inner, 0, 2)));
          const z = cut(zr, 0, 1);
          const r = cut(zr, 1, 1);
          const recurrentH = this.spec.resetAfter ? mul(r, cut(inner, 2, 1)) : cut(this.recur(mul(r, h), null), 2, 1);
          const y = add(mul(z, h), mul(sub(1, z), this.act(add(cut(xt, 2, 1), recurrentH))));
          return { output: y, states: [y] };
        };
    }
  }

  /** The keys merged into the loop layer's config. */
  cellConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { units: this.spec.units, activation: this.spec.activation, use_bias: this.spec.useBias };
    if (this.spec.kind !== 'SimpleRNN') config.recurrent_activation = this.spec.recurrentActivation;
    if (this.spec.kind === 'GRU') config.reset_after = this.spec.resetAfter;
    return { ...config, quantization_mode: this.spec.mode, input_scale: this.spec.inputScale };
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.spec.units];
  }

  call(): Tensor {
    throw new NeuriteError(`${this.describe()}: a quantized cell runs inside its recurrent layer (QuantizedLSTM …), not on its own`);
  }
}
