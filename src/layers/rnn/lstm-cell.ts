import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { concat } from '../../ops/concat.js';
import { matmul } from '../../ops/matmul.js';
import { slice } from '../../ops/slice.js';
import { checkOptionKeys } from '../../util/options.js';
import { ActivationFn, ActivationId, serializeActivation } from '../../activations/activations.js';
import { Initializer } from '../../initializers/initializers.js';
import { resolveInitializer } from '../../initializers/serialization.js';
import { checkBoolean, LayerConfig, read, required } from '../config.js';
import { Shape } from '../layer.js';
import { RnnKind } from '../../kernels/rnn/config.js';
import { FusedCell, fusedActivations } from './fused.js';
import { cellOptionsFromConfig, gateActivation, GatedCellOptions, gatedCellOptionKeys, RecurrentCell, StepFn } from './cell.js';

/** The option keys of `LSTMCell`. */
export const lstmCellOptionKeys = [...gatedCellOptionKeys, 'unitForgetBias'] as const;

/** Options of `LSTMCell` / `LSTM` besides `units`. */
export interface LSTMCellOptions extends GatedCellOptions {
  /** Initialize the forget gate's bias to 1 (Keras default true), so early training keeps memory. */
  unitForgetBias?: boolean;
}

/**
 * The LSTM step with Keras's gate order i, f, c, o along the `4·units` axis:
 * z = x·W + b + h·U; i, f, o = σ(z_i), σ(z_f), σ(z_o); c' = f·c + i·tanh(z_c); h' = o·tanh(c'),
 * σ the recurrent activation and tanh the activation. States [h, c]. With recurrent dropout (Keras 3's
 * implementation 1) gate g sees h·m_g: z = x·W + b + [(h·m_i)·U_i, (h·m_f)·U_f, (h·m_c)·U_c, (h·m_o)·U_o].
 * @example new layers.RNN(new layers.LSTMCell(8)).apply(zeros([2, 5, 3])).shape; // [2, 8], as new LSTM(8)
 */
export class LSTMCell extends RecurrentCell {
  readonly className = 'LSTMCell';
  readonly stateCount = 2;
  protected readonly gateCount = 4;
  /** Canonical gate activation id. */
  readonly recurrentActivation: ActivationId;
  /** Whether the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;
  private readonly gateFn: ActivationFn;

  constructor(units: number, options: LSTMCellOptions = {}) {
    checkOptionKeys(options, lstmCellOptionKeys, 'LSTMCell');
    const { recurrentActivation = 'sigmoid', unitForgetBias = true, ...rest } = options;
    super(units, rest, 'LSTMCell');
    const gate = gateActivation(recurrentActivation);
    this.recurrentActivation = gate.id;
    this.gateFn = gate.fn;
    this.unitForgetBias = checkBoolean(unitForgetBias, `${this.describe()} unitForgetBias`);
  }

  /** Builds an LSTMCell from its model.json config. */
  static fromConfig(config: LayerConfig): LSTMCell {
    return new LSTMCell(required('LSTMCell', config, 'units'), lstmOptionsFromConfig('LSTMCell', config));
  }

  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    const u = this.units;
    this.kernel = this.addWeight('kernel', [features, 4 * u], this.kernelInitializer, this.penaltyOf('kernel'));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 4 * u], this.recurrentInitializer, this.penaltyOf('recurrent'));
    if (this.useBias) this.bias = this.addWeight('bias', [4 * u], this.unitForgetBias ? this.forgetBiasInitializer() : this.biasInitializer, this.penaltyOf('bias'));
  }

  /** Keras's unit-forget-bias: [init(units), ones(units), init(2·units)] for the gates i, f, (c, o). */
  private forgetBiasInitializer(): Initializer {
    const init = resolveInitializer(this.biasInitializer);
    const u = this.units;
    return (shape) => {
      const data = new Float32Array(4 * u);
      data.set(init([u]).data, 0);
      data.fill(1, u, 2 * u);
      data.set(init([2 * u]).data, 2 * u);
      return new Tensor(data, shape);
    };
  }

  projectInputs(x: Tensor, masks: Tensor[] | null = null): Tensor {
    return this.maskedProjection(x, this.bias ?? undefined, masks);
  }

  /** The fused form: both activations among tanh, sigmoid, legacy_hard_sigmoid, relu, linear, and not a subclass with its own step. */
  override fused(): FusedCell | null {
    const codes = fusedActivations(this.activation, this.recurrentActivation);
    if (codes === null || this.stepper !== LSTMCell.prototype.stepper || this.projectInputs !== LSTMCell.prototype.projectInputs) return null;
    return {
      kind: RnnKind.Lstm, ...codes, resetAfter: false, recurrentKernel: this.recurrentKernel!, recurrentBias: null,
      drawMasks: (batch, features, training) => this.drawMasks(batch, features, training),
      projectInputs: (x, masks) => this.projectInputs(x, masks),
    };
  }

  stepper(masks: Tensor[] | null = null): StepFn {
    const recurrentKernel = this.recurrentKernel!;
    const u = this.units;
    // Per-gate column blocks of U, sliced once per sequence, for the masked products.
    const blocks = masks === null ? null : masks.map((_, g) => slice(recurrentKernel, [0, g * u], [u, u]));
    const recurrent = (h: Tensor): Tensor =>
      masks === null ? matmul(h, recurrentKernel) : concat(masks.map((m, g) => matmul(mul(h, m), blocks![g])), 1);
    return (xt, [h, c]) => {
      const z = add(xt, recurrent(h));
      const batch = z.shape[0];
      const gate = (k: number): Tensor => slice(z, [0, k * u], [batch, u]);
      const i = this.gateFn(gate(0));
      const f = this.gateFn(gate(1));
      const candidate = this.activationFn(gate(2));
      const o = this.gateFn(gate(3));
      const cNext = add(mul(f, c), mul(i, candidate));
      const hNext = mul(o, this.activationFn(cNext));
      return { output: hNext, states: [hNext, cNext] };
    };
  }

  override cellConfig(): Record<string, unknown> {
    return { ...super.cellConfig(), recurrent_activation: serializeActivation(this.recurrentActivation), unit_forget_bias: this.unitForgetBias, implementation: this.implementation };
  }
}

/** LSTM options of a model.json config; TF.js writes `unit_forget_bias: null` for its default, false. */
export function lstmOptionsFromConfig(className: string, config: LayerConfig): LSTMCellOptions {
  return { ...cellOptionsFromConfig(className, config), unitForgetBias: read(config, 'unit_forget_bias', false) };
}
