import { LayerConfig, required } from '../config.js';
import { GRUCell, GRUCellOptions, gruCellOptionKeys, gruOptionsFromConfig } from './gru-cell.js';
import { RNN, RNNOptions, rnnOptionsFromConfig, splitRNNOptions } from './rnn.js';

/** Options of `GRU`: the cell's and the loop's. */
export type GRUOptions = GRUCellOptions & RNNOptions;

/**
 * Gated recurrent unit layer (Cho et al. 2014) over `[batch, steps, features]`, Keras 3 defaults (tanh,
 * sigmoid gates, `resetAfter: true`); `resetAfter: false, recurrentActivation: 'legacy_hard_sigmoid'` is TF.js's.
 * @example new GRU(8).apply(zeros([2, 5, 3])).shape; // [2, 8]
 */
export class GRU extends RNN {
  declare readonly cell: GRUCell;

  constructor(units: number, options: GRUOptions = {}) {
    const [cellOptions, loop] = splitRNNOptions(options, gruCellOptionKeys, 'GRU');
    super(new GRUCell(units, cellOptions), loop, 'GRU');
  }

  /** Builds a GRU from its model.json config. */
  static override fromConfig(config: LayerConfig): GRU {
    return new GRU(required('GRU', config, 'units'), { ...gruOptionsFromConfig('GRU', config), ...rnnOptionsFromConfig('GRU', config) });
  }
}
