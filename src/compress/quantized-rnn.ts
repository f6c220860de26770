import { Tensor } from '../tensor/tensor.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, read, required } from '../layers/config.js';
import { Layer, LayerWeight, Shape } from '../layers/layer.js';
import { RNN, RNNOptions, rnnOptionsFromConfig } from '../layers/rnn/rnn.js';
import { SimpleRNN } from '../layers/rnn/simple-rnn.js';
import { LSTM } from '../layers/rnn/lstm.js';
import { GRU } from '../layers/rnn/gru.js';
import { GRUCell } from '../layers/rnn/gru-cell.js';
import { LSTMCell } from '../layers/rnn/lstm-cell.js';
import { QuantizationMode } from './quantized-kernel.js';
import { checkQuantizedOptions } from './quantized-layer.js';
import { QuantizedCellSpec, QuantizedRecurrentCell, RecurrentKind } from './quantized-rnn-cell.js';

/** The float recurrent layers `quantize` replaces. */
export type FloatRecurrent = SimpleRNN | LSTM | GRU;

/** Whether `layer` is a SimpleRNN, LSTM or GRU (not a generic RNN of stacked cells, nor Bidirectional). */
export function isQuantizableRecurrent(layer: Layer): layer is FloatRecurrent {
  return layer instanceof SimpleRNN || layer instanceof LSTM || layer instanceof GRU;
}

/** The loop options of a recurrent layer, to give its quantized twin. */
function loopOptions(l: RNN): RNNOptions {
  const options: RNNOptions = {
    returnSequences: l.returnSequences, returnState: l.returnState, goBackwards: l.goBackwards, stateful: l.stateful, unroll: l.unroll,
    zeroOutputForMask: l.zeroOutputForMask, name: l.name,
  };
  if (l.batchInputShape !== null) options.batchInputShape = l.batchInputShape;
  return options;
}

/**
 * SimpleRNN, LSTM or GRU with int8 (a scale per gate column) or float16 kernel and recurrent
 * kernel, computed by the int8 GEMM: the RNN loop of the float layer (masks, goBackwards, states,
 * returnSequences …) around a `QuantizedRecurrentCell`. Saved as 'QuantizedSimpleRNN',
 * 'QuantizedLSTM', 'QuantizedGRU' with Keras 3's int8 weight names. Inference only.
 * @example const q = QuantizedRNN.fromRecurrent(model.layers[0] as LSTM, 'int8'); q.apply(x); // model: built, an LSTM first
 */
export class QuantizedRNN extends RNN {
  declare readonly cell: QuantizedRecurrentCell;

  constructor(spec: QuantizedCellSpec, options: RNNOptions = {}) {
    checkQuantizedOptions(spec.mode, spec.inputScale, `Quantized${spec.kind}`);
    super(new QuantizedRecurrentCell({ ...spec, units: checkPositiveInt(spec.units, `Quantized${spec.kind} units`), useBias: checkBoolean(spec.useBias, `Quantized${spec.kind} useBias`) }), { ...options, trainable: false }, `Quantized${spec.kind}`);
  }

  /** The quantized twin of a built SimpleRNN / LSTM / GRU (same name, loop options and input shape). */
  static fromRecurrent(layer: FloatRecurrent, mode: QuantizationMode = 'int8', { perChannel = true, inputScale = null }: { perChannel?: boolean; inputScale?: number | null } = {}): QuantizedRNN {
    const kind = layer.className as RecurrentKind;
    const cell = layer.cell;
    const gated = cell instanceof LSTMCell || cell instanceof GRUCell;
    const spec: QuantizedCellSpec = {
      kind, units: cell.units, activation: cell.activation, recurrentActivation: gated ? cell.recurrentActivation : 'sigmoid', useBias: cell.useBias,
      resetAfter: cell instanceof GRUCell ? cell.resetAfter : false, mode, inputScale: mode === 'int8' ? inputScale : null,
    };
    const q = new QuantizedRNN(spec, loopOptions(layer));
    q.ensureBuilt(layer.inputShapeBuilt as Shape);
    q.cell.setFloatWeights(cell.getWeights(), perChannel);
    return q;
  }

  /** Builds a QuantizedSimpleRNN / QuantizedLSTM / QuantizedGRU from its model.json config (`className` says which). */
  static fromConfigOf(kind: RecurrentKind, config: LayerConfig): QuantizedRNN {
    const where = `Quantized${kind}`;
    const spec: QuantizedCellSpec = {
      kind, units: required(where, config, 'units'), activation: read(config, 'activation', 'tanh'), recurrentActivation: read(config, 'recurrent_activation', 'sigmoid'),
      useBias: read(config, 'use_bias', true), resetAfter: read(config, 'reset_after', true), mode: read(config, 'quantization_mode', 'int8'), inputScale: read(config, 'input_scale', null),
    };
    return new QuantizedRNN(spec, { ...rnnOptionsFromConfig(where, config), ...baseOptionsFromConfig(where, config) });
  }

  /** The quantization mode ('int8' or 'float16'). */
  get mode(): QuantizationMode {
    return this.cell.spec.mode;
  }

  /** Bytes of weights kept in memory, and what the float layer takes. */
  get residentBytes(): number {
    return this.cell.residentBytes;
  }

  get floatBytes(): number {
    return this.cell.floatBytes;
  }

  override namedWeights(): LayerWeight[] {
    return this.cell.namedWeights();
  }

  /** Sets the weights through the cell's compact storage (checked first). */
  override setWeights(weights: readonly Tensor[]): void {
    this.cell.setWeights(weights);
  }

  /** The float layer this one stands for, kernels dequantized (what the TF.js form of the file holds). */
  toFloatLayer(): FloatRecurrent {
    const s = this.cell.spec;
    const options = { ...loopOptions(this), activation: s.activation, useBias: s.useBias };
    const layer =
      s.kind === 'SimpleRNN' ? new SimpleRNN(s.units, options)
        : s.kind === 'LSTM' ? new LSTM(s.units, { ...options, recurrentActivation: s.recurrentActivation })
          : new GRU(s.units, { ...options, recurrentActivation: s.recurrentActivation, resetAfter: s.resetAfter });
    layer.ensureBuilt(this.inputShapeBuilt as Shape);
    layer.setWeights(this.cell.floatWeights());
    return layer;
  }
}

/**
 * `registerLayer` needs one class per saved name: these only name the kind.
 * @example const q = QuantizedSimpleRNN.fromConfig(quantize(model, 'int8').layers[0].getConfig()); // what loadModel does for a 'QuantizedSimpleRNN' entry
 */
export class QuantizedSimpleRNN extends QuantizedRNN {
  /** Builds from a model.json config. */
  static fromConfig(config: LayerConfig): QuantizedRNN {
    return QuantizedRNN.fromConfigOf('SimpleRNN', config);
  }
}

/**
 * The saved name 'QuantizedLSTM' (see `QuantizedRNN`).
 * @example const q = QuantizedLSTM.fromConfig(quantize(model, 'int8').layers[0].getConfig()); // model: an LSTM first
 */
export class QuantizedLSTM extends QuantizedRNN {
  /** Builds from a model.json config. */
  static fromConfig(config: LayerConfig): QuantizedRNN {
    return QuantizedRNN.fromConfigOf('LSTM', config);
  }
}

/**
 * The saved name 'QuantizedGRU' (see `QuantizedRNN`).
 * @example const q = QuantizedGRU.fromConfig(quantize(model, 'int8').layers[0].getConfig()); // model: a GRU first
 */
export class QuantizedGRU extends QuantizedRNN {
  /** Builds from a model.json config. */
  static fromConfig(config: LayerConfig): QuantizedRNN {
    return QuantizedRNN.fromConfigOf('GRU', config);
  }
}
