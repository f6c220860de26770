import { NeuriteError, ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { stack } from '../../ops/concat.js';
import { baseOptionsFromConfig, checkBoolean, LayerConfig, read, refuseUnsupported } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { RecurrentCell } from './cell.js';
import { splitSteps } from './split-steps.js';
import { describeValue } from '../../util/describe.js';

/** Options of the recurrent loop layers. */
export interface RNNOptions extends LayerOptions {
  /** Return the output of every step `[batch, steps, units]` instead of the last `[batch, units]` (default false). */
  returnSequences?: boolean;
  /** Process the sequence from its last step to its first (default false); outputs stay in processing order. */
  goBackwards?: boolean;
  /** Keras's option to also return the final states; layers here return one tensor, so only false is accepted. */
  returnState?: false;
}

/** The loop options of a model.json config; features neurite lacks (states, statefulness) are refused. */
export function rnnOptionsFromConfig(className: string, config: LayerConfig): RNNOptions {
  refuseUnsupported(className, config, { return_state: false, stateful: false });
  return { returnSequences: read(config, 'return_sequences', false), goBackwards: read(config, 'go_backwards', false) };
}

/**
 * Runs a recurrent cell over `[batch, steps, features]` from the zero state: the input kernel is
 * applied to all steps in one product, then the cell steps through time. Gradients flow back
 * through time by autograd.
 * @example new RNN(new LSTMCell(8), { returnSequences: true }).apply(zeros([2, 5, 3])).shape; // [2, 5, 8]
 */
export class RNN extends Layer {
  readonly className: string = 'RNN';
  /** The step. */
  readonly cell: RecurrentCell;
  /** Whether every step's output is returned. */
  readonly returnSequences: boolean;
  /** Whether the sequence is processed backwards. */
  readonly goBackwards: boolean;

  /** `className` is for the subclasses (`SimpleRNN`, `LSTM`, `GRU`), which build their own cell. */
  constructor(cell: RecurrentCell, { returnSequences = false, goBackwards = false, returnState = false, ...options }: RNNOptions = {}, className = 'RNN') {
    super(options, className);
    if (returnState !== false) throw new NeuriteError(`${this.name} (${className}): returnState is not supported (layers return one tensor)`);
    if (!(cell instanceof RecurrentCell)) {
      throw new ValueError(`${this.name} (${className}): expected a recurrent cell (SimpleRNNCell, LSTMCell, GRUCell), received ${String(cell)}`);
    }
    this.className = className;
    this.cell = cell;
    this.returnSequences = checkBoolean(returnSequences, `${this.describe()} returnSequences`);
    this.goBackwards = checkBoolean(goBackwards, `${this.describe()} goBackwards`);
  }

  /** Builds an RNN (with its nested cell config) from its model.json config. */
  static fromConfig(config: LayerConfig, cellFromConfig: (className: string, config: LayerConfig) => Layer): RNN {
    const options = { ...rnnOptionsFromConfig('RNN', config), ...baseOptionsFromConfig('RNN', config) };
    const cellSpec = config.cell as { class_name?: string; config?: LayerConfig } | undefined;
    if (cellSpec === undefined || cellSpec === null || typeof cellSpec.class_name !== 'string') {
      throw new NeuriteError(`RNN.fromConfig: expected a 'cell' entry { class_name, config }, received ${describeValue(cellSpec)}`);
    }
    const cell = cellFromConfig(cellSpec.class_name, cellSpec.config ?? {});
    if (!(cell instanceof RecurrentCell)) throw new NeuriteError(`RNN.fromConfig: '${cellSpec.class_name}' is not a recurrent cell`);
    return new RNN(cell, options);
  }

  protected override sublayers(): Layer[] {
    return [this.cell];
  }

  /** `[batch, steps, features]` with known features (the cell's, once built) and at least one step. */
  protected override checkInputShape(shape: Shape): void {
    const features = shape[2];
    if (shape.length !== 3 || features === null || shape[1] === 0) {
      throw new ShapeError(`${this.describe()}: expected an input of shape [batch, timesteps >= 1, features], received ${formatShape(shape)}`);
    }
    const built = this.cell.inputFeatures;
    if (built !== null && features !== built) {
      throw new ShapeError(`${this.describe()}: built for ${built} input features, received input of shape ${formatShape(shape)}`);
    }
  }

  override build(inputShape: Shape): void {
    this.cell.ensureBuilt([inputShape[0], inputShape[2]]);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return this.returnSequences ? [inputShape[0], inputShape[1], this.cell.units] : [inputShape[0], this.cell.units];
  }

  call(x: Tensor): Tensor {
    const [batch, steps] = x.shape;
    const inputs = splitSteps(this.cell.projectInputs(x));
    const step = this.cell.stepper();
    let states = this.cell.zeroStates(batch);
    const outputs: Tensor[] = [];
    for (let i = 0; i < steps; i++) {
      states = step(inputs[this.goBackwards ? steps - 1 - i : i], states);
      if (this.returnSequences) outputs.push(states[0]);
    }
    return this.returnSequences ? stack(outputs, 1) : states[0];
  }

  /** As TF.js writes it: the cell's keys, the loop's keys, and (for the generic RNN) the nested cell. */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      ...this.cell.cellConfig(),
      return_sequences: this.returnSequences,
      return_state: false,
      go_backwards: this.goBackwards,
      stateful: false,
      unroll: false,
    };
    if (this.className === 'RNN') config.cell = { class_name: this.cell.className, config: this.cell.getConfig() };
    return config;
  }
}
