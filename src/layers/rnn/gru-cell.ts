import { Tensor } from '../../tensor/tensor.js';
import { add, mul, sub } from '../../ops/arithmetic.js';
import { dense } from '../../ops/dense.js';
import { matmul } from '../../ops/matmul.js';
import { checkOptionKeys } from '../../util/options.js';
import { reshape } from '../../ops/reshape.js';
import { slice } from '../../ops/slice.js';
import { ActivationFn, ActivationId, serializeActivation } from '../../activations/activations.js';
import { checkBoolean, LayerConfig, read, required } from '../config.js';
import { Shape } from '../layer.js';
import { RnnKind } from '../../kernels/rnn/config.js';
import { FusedCell, fusedActivations } from './fused.js';
import { cellOptionsFromConfig, gateActivation, GatedCellOptions, gatedCellOptionKeys, RecurrentCell, StepFn } from './cell.js';

/** The option keys of `GRUCell`. */
export const gruCellOptionKeys = [...gatedCellOptionKeys, 'resetAfter'] as const;

/** Options of `GRUCell` / `GRU` besides `units`. */
export interface GRUCellOptions extends GatedCellOptions {
  /**
   * Apply the reset gate after the recurrent product (Keras 3 default true, bias `[2, 3·units]`: input
   * and recurrent biases) or before it (TF.js's only form, bias `[3·units]`).
   */
  resetAfter?: boolean;
}

/**
 * The GRU step with Keras's gate order z, r, h along the `3·units` axis; σ the recurrent activation:
 * z = σ(x_z + h·U_z), r = σ(x_r + h·U_r), and the candidate
 * ĥ = tanh(x_h + r·(h·U_h + b_rh)) with `resetAfter`, or ĥ = tanh(x_h + (r·h)·U_h) without;
 * h' = z·h + (1 − z)·ĥ. Here x_• = x·W_• + b_• (the input bias). With recurrent dropout (Keras 3's
 * implementation 1) each gate's product uses its own masked h (h·m_z, h·m_r, h·m_h); the blend uses h.
 * @example new layers.RNN(new layers.GRUCell(8)).apply(zeros([2, 5, 3])).shape; // [2, 8], as new GRU(8)
 */
export class GRUCell extends RecurrentCell {
  readonly className = 'GRUCell';
  readonly stateCount = 1;
  protected readonly gateCount = 3;
  /** Canonical gate activation id. */
  readonly recurrentActivation: ActivationId;
  /** Whether the reset gate applies after the recurrent product. */
  readonly resetAfter: boolean;
  private readonly gateFn: ActivationFn;

  constructor(units: number, options: GRUCellOptions = {}) {
    checkOptionKeys(options, gruCellOptionKeys, 'GRUCell');
    const { recurrentActivation = 'sigmoid', resetAfter = true, ...rest } = options;
    super(units, rest, 'GRUCell');
    const gate = gateActivation(recurrentActivation);
    this.recurrentActivation = gate.id;
    this.gateFn = gate.fn;
    this.resetAfter = checkBoolean(resetAfter, `${this.describe()} resetAfter`);
  }

  /** Builds a GRUCell from its model.json config. */
  static fromConfig(config: LayerConfig): GRUCell {
    return new GRUCell(required('GRUCell', config, 'units'), gruOptionsFromConfig('GRUCell', config));
  }

  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    const u = this.units;
    this.kernel = this.addWeight('kernel', [features, 3 * u], this.kernelInitializer, this.penaltyOf('kernel'));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], this.recurrentInitializer, this.penaltyOf('recurrent'));
    if (this.useBias) this.bias = this.addWeight('bias', this.resetAfter ? [2, 3 * u] : [3 * u], this.biasInitializer, this.penaltyOf('bias'));
  }

  /** Row `row` of the `[2, 3·units]` bias (0: input, 1: recurrent) as a vector. */
  private biasRow(row: number): Tensor {
    return reshape(slice(this.bias!, [row, 0], [1, 3 * this.units]), [3 * this.units]);
  }

  projectInputs(x: Tensor, masks: Tensor[] | null = null): Tensor {
    const bias = this.bias === null ? undefined : this.resetAfter ? this.biasRow(0) : this.bias;
    return this.maskedProjection(x, bias, masks);
  }

  /** The fused form (both reset placements): activations among tanh, sigmoid, legacy_hard_sigmoid, relu, linear, and not a subclass with its own step. */
  override fused(): FusedCell | null {
    const codes = fusedActivations(this.activation, this.recurrentActivation);
    if (codes === null || this.stepper !== GRUCell.prototype.stepper || this.projectInputs !== GRUCell.prototype.projectInputs) return null;
    return {
      kind: RnnKind.Gru, ...codes, resetAfter: this.resetAfter, recurrentKernel: this.recurrentKernel!,
      recurrentBias: this.bias !== null && this.resetAfter ? this.biasRow(1) : null,
      drawMasks: (batch, features, training) => this.drawMasks(batch, features, training),
      projectInputs: (x, masks) => this.projectInputs(x, masks),
    };
  }

  stepper(masks: Tensor[] | null = null): StepFn {
    if (masks !== null) return this.maskedStepper(masks);
    const u = this.units;
    const recurrentKernel = this.recurrentKernel!;
    const cut = (t: Tensor, from: number, width: number): Tensor => slice(t, [0, from * u], [t.shape[0], width * u]);
    // h' = z·h + (1 − z)·ĥ, shared by both forms.
    const blend = (z: Tensor, h: Tensor, candidate: Tensor): Tensor => add(mul(z, h), mul(sub(1, z), candidate));
    if (this.resetAfter) {
      const recurrentBias = this.bias === null ? undefined : this.biasRow(1);
      return (xt, [h]) => {
        const inner = dense(h, recurrentKernel, recurrentBias);
        const zr = this.gateFn(add(cut(xt, 0, 2), cut(inner, 0, 2)));
        const z = cut(zr, 0, 1);
        const r = cut(zr, 1, 1);
        const y = blend(z, h, this.activationFn(add(cut(xt, 2, 1), mul(r, cut(inner, 2, 1)))));
        return { output: y, states: [y] };
      };
    }
    // The z, r columns and the h columns of U, sliced once per sequence.
    const kernelZR = slice(recurrentKernel, [0, 0], [u, 2 * u]);
    const kernelH = slice(recurrentKernel, [0, 2 * u], [u, u]);
    return (xt, [h]) => {
      const zr = this.gateFn(add(cut(xt, 0, 2), matmul(h, kernelZR)));
      const z = cut(zr, 0, 1);
      const r = cut(zr, 1, 1);
      const y = blend(z, h, this.activationFn(add(cut(xt, 2, 1), matmul(mul(r, h), kernelH))));
      return { output: y, states: [y] };
    };
  }

  /** The step with one recurrent-dropout mask per gate (Keras 3's implementation 1). */
  private maskedStepper([maskZ, maskR, maskH]: Tensor[]): StepFn {
    const u = this.units;
    const block = (g: number): Tensor => slice(this.recurrentKernel!, [0, g * u], [u, u]);
    const [kernelZ, kernelR, kernelH] = [block(0), block(1), block(2)];
    const recurrentBias = this.bias !== null && this.resetAfter ? this.biasRow(1) : null;
    const biasOf = (g: number): Tensor | undefined => (recurrentBias === null ? undefined : slice(recurrentBias, [g * u], [u]));
    const [biasZ, biasR, biasH] = [biasOf(0), biasOf(1), biasOf(2)];
    const cut = (t: Tensor, g: number): Tensor => slice(t, [0, g * u], [t.shape[0], u]);
    return (xt, [h]) => {
      const z = this.gateFn(add(cut(xt, 0), dense(mul(h, maskZ), kernelZ, biasZ)));
      const r = this.gateFn(add(cut(xt, 1), dense(mul(h, maskR), kernelR, biasR)));
      const recurrentH = this.resetAfter ? mul(r, dense(mul(h, maskH), kernelH, biasH)) : matmul(mul(r, mul(h, maskH)), kernelH);
      const candidate = this.activationFn(add(cut(xt, 2), recurrentH));
      const y = add(mul(z, h), mul(sub(1, z), candidate));
      return { output: y, states: [y] };
    };
  }

  override cellConfig(): Record<string, unknown> {
    return { ...super.cellConfig(), recurrent_activation: serializeActivation(this.recurrentActivation), implementation: this.implementation, reset_after: this.resetAfter };
  }
}

/** GRU options of a model.json config (`reset_after` absent means Keras 3's default, true). */
export function gruOptionsFromConfig(className: string, config: LayerConfig): GRUCellOptions {
  return { ...cellOptionsFromConfig(className, config), resetAfter: read(config, 'reset_after', true) };
}
