import { NeuriteError, ValueError } from '../util/errors.js';
import { Activation } from './activation.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { LayerConfig } from './config.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Layer } from './layer.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { GRU } from './rnn/gru.js';
import { GRUCell } from './rnn/gru-cell.js';
import { LSTM } from './rnn/lstm.js';
import { LSTMCell } from './rnn/lstm-cell.js';
import { RNN } from './rnn/rnn.js';
import { SimpleRNN } from './rnn/simple-rnn.js';
import { SimpleRNNCell } from './rnn/simple-rnn-cell.js';
import { Embedding } from './core/embedding.js';
import { Masking } from './core/masking.js';
import { Conv1D } from './conv/conv1d.js';
import { MaxPooling1D } from './pooling/max-pooling1d.js';
import { AveragePooling1D } from './pooling/average-pooling1d.js';
import { GlobalAveragePooling1D } from './pooling/global-average-pooling1d.js';
import { GlobalMaxPooling1D } from './pooling/global-max-pooling1d.js';
import { UpSampling1D } from './reshaping/up-sampling1d.js';
import { ZeroPadding1D } from './reshaping/zero-padding1d.js';
import { Cropping1D } from './reshaping/cropping1d.js';
import { LayerNormalization } from './normalization/layer-normalization.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';
import { TextVectorization } from './preprocessing/text-vectorization.js';
import { StringLookup } from './preprocessing/string-lookup.js';

const builders: Record<string, (config: LayerConfig) => Layer> = {
  Dense: Dense.fromConfig,
  Conv2D: Conv2D.fromConfig,
  MaxPooling2D: MaxPooling2D.fromConfig,
  AveragePooling2D: AveragePooling2D.fromConfig,
  Flatten: Flatten.fromConfig,
  Dropout: Dropout.fromConfig,
  Activation: Activation.fromConfig,
  SimpleRNN: SimpleRNN.fromConfig,
  LSTM: LSTM.fromConfig,
  GRU: GRU.fromConfig,
  RNN: (config) => RNN.fromConfig(config, layerFromConfig),
  SimpleRNNCell: SimpleRNNCell.fromConfig,
  LSTMCell: LSTMCell.fromConfig,
  GRUCell: GRUCell.fromConfig,
  Embedding: Embedding.fromConfig,
  Masking: Masking.fromConfig,
  Conv1D: Conv1D.fromConfig,
  MaxPooling1D: MaxPooling1D.fromConfig,
  AveragePooling1D: AveragePooling1D.fromConfig,
  GlobalAveragePooling1D: GlobalAveragePooling1D.fromConfig,
  GlobalMaxPooling1D: GlobalMaxPooling1D.fromConfig,
  UpSampling1D: UpSampling1D.fromConfig,
  ZeroPadding1D: ZeroPadding1D.fromConfig,
  Cropping1D: Cropping1D.fromConfig,
  LayerNormalization: LayerNormalization.fromConfig,
  MultiHeadAttention: MultiHeadAttention.fromConfig,
  TextVectorization: TextVectorization.fromConfig,
  StringLookup: StringLookup.fromConfig,
};

/** Other class names Keras accepts for the same layers. */
const aliases: Record<string, string> = { MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D' };
Object.assign(aliases, { MaxPool1D: 'MaxPooling1D', AvgPool1D: 'AveragePooling1D', GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalMaxPool1D: 'GlobalMaxPooling1D' });

/** The layer class names `layerFromConfig` accepts (aliases included), as model.json writes them. */
export const layerClassNames: readonly string[] = [...Object.keys(builders), ...Object.keys(aliases)];

/**
 * Builds a layer from its model.json entry (`class_name` and its snake_case `config`, as TF.js or
 * Keras write them). Unknown classes throw a NeuriteError listing the supported ones.
 * @example layerFromConfig('Dense', { units: 3, activation: 'relu' });
 */
export function layerFromConfig(className: string, config: LayerConfig): Layer {
  const name = aliases[className] ?? className;
  const build = Object.prototype.hasOwnProperty.call(builders, name) ? builders[name] : undefined;
  if (build === undefined) {
    throw new NeuriteError(`Unknown layer class ${JSON.stringify(className)}; supported: ${layerClassNames.join(', ')}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ValueError(`${className}: expected a config object, received ${JSON.stringify(config)}`);
  }
  return build(config);
}
