import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { matmul } from '../../ops/matmul.js';
import { checkOptionKeys } from '../../util/options.js';
import { LayerConfig, required } from '../config.js';
import { Shape } from '../layer.js';
import { RnnKind } from '../../kernels/rnn/config.js';
import { FusedCell, fusedActivations } from './fused.js';
import { CellOptions, cellOptionKeys, cellOptionsFromConfig, RecurrentCell, StepFn } from './cell.js';

/** Options of `SimpleRNNCell` besides `units`. */
export type SimpleRNNCellOptions = Omit<CellOptions, 'implementation'>;

/** The cell options of a SimpleRNN config (the gated cells' keys dropped). */
export function simpleRNNOptionsFromConfig(className: string, config: LayerConfig): SimpleRNNCellOptions {
  const { recurrentActivation, implementation, ...options } = cellOptionsFromConfig(className, config);
  void recurrentActivation;
  void implementation;
  return options;
}

/**
 * The Elman step h' = activation(x·kernel + bias + h·recurrentKernel); kernel `[in, units]`,
 * recurrent_kernel `[units, units]`, bias `[units]`. Dropout (Keras 3): x and h are multiplied by their
 * masks before their products.
 * @example new RNN(new SimpleRNNCell(4)).apply(zeros([2, 5, 3])).shape; // [2, 4]
 */
export class SimpleRNNCell extends RecurrentCell {
  readonly className = 'SimpleRNNCell';
  readonly stateCount = 1;
  protected readonly gateCount = 1;

  constructor(units: number, options: SimpleRNNCellOptions = {}) {
    checkOptionKeys(options, cellOptionKeys, 'SimpleRNNCell');
    super(units, options, 'SimpleRNNCell');
  }

  /** Builds a SimpleRNNCell from its model.json config. */
  static fromConfig(config: LayerConfig): SimpleRNNCell {
    return new SimpleRNNCell(required('SimpleRNNCell', config, 'units'), simpleRNNOptionsFromConfig('SimpleRNNCell', config));
  }

  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [features, this.units], this.kernelInitializer, this.penaltyOf('kernel'));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, this.units], this.recurrentInitializer, this.penaltyOf('recurrent'));
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, this.penaltyOf('bias'));
  }

  projectInputs(x: Tensor, masks: Tensor[] | null = null): Tensor {
    return this.maskedProjection(x, this.bias ?? undefined, masks);
  }

  /** The fused form: tanh, sigmoid, legacy_hard_sigmoid, relu or linear, and not a subclass with its own step. */
  override fused(): FusedCell | null {
    const codes = fusedActivations(this.activation, 'linear');
    if (codes === null || this.stepper !== SimpleRNNCell.prototype.stepper || this.projectInputs !== SimpleRNNCell.prototype.projectInputs) return null;
    return {
      kind: RnnKind.Simple, ...codes, resetAfter: false, recurrentKernel: this.recurrentKernel!, recurrentBias: null,
      drawMasks: (batch, features, training) => this.drawMasks(batch, features, training),
      projectInputs: (x, masks) => this.projectInputs(x, masks),
    };
  }

  stepper(masks: Tensor[] | null = null): StepFn {
    const recurrentKernel = this.recurrentKernel!;
    const mask = masks === null ? null : masks[0];
    return (xt, [h]) => {
      const y = this.activationFn(add(xt, matmul(mask === null ? h : mul(h, mask), recurrentKernel)));
      return { output: y, states: [y] };
    };
  }
}
