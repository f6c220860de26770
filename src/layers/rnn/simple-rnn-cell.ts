import { Tensor } from '../../tensor/tensor.js';
import { add } from '../../ops/arithmetic.js';
import { dense } from '../../ops/dense.js';
import { matmul } from '../../ops/matmul.js';
import { LayerConfig, required } from '../config.js';
import { Shape } from '../layer.js';
import { CellOptions, cellOptionsFromConfig, RecurrentCell, StepFn } from './cell.js';

/**
 * The Elman step h' = activation(x·kernel + bias + h·recurrentKernel); kernel `[in, units]`,
 * recurrent_kernel `[units, units]`, bias `[units]`.
 * @example new RNN(new SimpleRNNCell(4)).apply(zeros([2, 5, 3])).shape; // [2, 4]
 */
export class SimpleRNNCell extends RecurrentCell {
  readonly className = 'SimpleRNNCell';
  readonly stateCount = 1;

  constructor(units: number, options: CellOptions = {}) {
    super(units, options, 'SimpleRNNCell');
  }

  /** Builds a SimpleRNNCell from its model.json config. */
  static fromConfig(config: LayerConfig): SimpleRNNCell {
    const { recurrentActivation, ...options } = cellOptionsFromConfig('SimpleRNNCell', config);
    void recurrentActivation;
    return new SimpleRNNCell(required('SimpleRNNCell', config, 'units'), options);
  }

  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [features, this.units], this.kernelInitializer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, this.units], this.recurrentInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer);
  }

  projectInputs(x: Tensor): Tensor {
    return dense(x, this.kernel!, this.bias ?? undefined);
  }

  stepper(): StepFn {
    const recurrentKernel = this.recurrentKernel!;
    return (xt, [h]) => [this.activationFn(add(xt, matmul(h, recurrentKernel)))];
  }
}
