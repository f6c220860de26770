import { LayerConfig, required } from '../config.js';
import { LSTMCell, LSTMCellOptions, lstmCellOptionKeys, lstmOptionsFromConfig } from './lstm-cell.js';
import { RNN, RNNOptions, rnnOptionsFromConfig, splitRNNOptions } from './rnn.js';

/** Options of `LSTM`: the cell's and the loop's. */
export type LSTMOptions = LSTMCellOptions & RNNOptions;

/**
 * Long short-term memory layer (Hochreiter & Schmidhuber 1997) over `[batch, steps, features]`, Keras 3
 * defaults (tanh, sigmoid gates, unit forget bias); `recurrentActivation: 'legacy_hard_sigmoid'` gives TF.js's (0.2x + 0.5).
 * @example new LSTM(8).apply(zeros([2, 5, 3])).shape; // [2, 8]
 */
export class LSTM extends RNN {
  declare readonly cell: LSTMCell;

  constructor(units: number, options: LSTMOptions = {}) {
    const [cellOptions, loop] = splitRNNOptions(options, lstmCellOptionKeys, 'LSTM');
    super(new LSTMCell(units, cellOptions), loop, 'LSTM');
  }

  /** Builds an LSTM from its model.json config. */
  static override fromConfig(config: LayerConfig): LSTM {
    return new LSTM(required('LSTM', config, 'units'), { ...lstmOptionsFromConfig('LSTM', config), ...rnnOptionsFromConfig('LSTM', config) });
  }
}
