import { LayerConfig, required } from '../config.js';
import { cellOptionKeys } from './cell.js';
import { RNN, RNNOptions, rnnOptionsFromConfig, splitRNNOptions } from './rnn.js';
import { SimpleRNNCell, SimpleRNNCellOptions, simpleRNNOptionsFromConfig } from './simple-rnn-cell.js';

/** Options of `SimpleRNN`: the cell's and the loop's. */
export type SimpleRNNOptions = SimpleRNNCellOptions & RNNOptions;

/**
 * Fully connected recurrent layer, h' = tanh(x·W + b + h·U), over `[batch, steps, features]`.
 * @example new SimpleRNN(4, { returnSequences: true }).apply(zeros([2, 5, 3])).shape; // [2, 5, 4]
 */
export class SimpleRNN extends RNN {
  declare readonly cell: SimpleRNNCell;

  constructor(units: number, options: SimpleRNNOptions = {}) {
    const [cellOptions, loop] = splitRNNOptions(options, cellOptionKeys, 'SimpleRNN');
    super(new SimpleRNNCell(units, cellOptions), loop, 'SimpleRNN');
  }

  /** Builds a SimpleRNN from its model.json config. */
  static override fromConfig(config: LayerConfig): SimpleRNN {
    const cellOptions = simpleRNNOptionsFromConfig('SimpleRNN', config);
    return new SimpleRNN(required('SimpleRNN', config, 'units'), { ...cellOptions, ...rnnOptionsFromConfig('SimpleRNN', config) });
  }
}
