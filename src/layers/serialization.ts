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
import { BatchNormalization } from './normalization/batch-normalization.js';
import { ZeroPadding2D } from './reshaping/zero-padding2d.js';
import { Cropping2D } from './reshaping/cropping2d.js';
import { UpSampling2D } from './reshaping/up-sampling2d.js';
import { Reshape } from './reshaping/reshape.js';
import { Permute } from './reshaping/permute.js';
import { RepeatVector } from './reshaping/repeat-vector.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './pooling/global-pooling2d.js';
import { Conv2DTranspose } from './conv/conv2d-transpose.js';
import { DepthwiseConv2D } from './conv/depthwise-conv2d.js';
import { SeparableConv2D } from './conv/separable-conv2d.js';
import { ELU, LeakyReLU, ReLU, Softmax, ThresholdedReLU } from './activations/simple-activations.js';
import { PReLU } from './activations/prelu.js';
import { CenterCrop, Rescaling, Resizing } from './preprocessing/image-preprocessing.js';
import { RandomFlip, RandomRotation, RandomTranslation, RandomZoom } from './preprocessing/random-transforms.js';
import { AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D } from './regularization/noise-layers.js';

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
  BatchNormalization: BatchNormalization.fromConfig,
  ZeroPadding2D: ZeroPadding2D.fromConfig,
  Cropping2D: Cropping2D.fromConfig,
  UpSampling2D: UpSampling2D.fromConfig,
  Reshape: Reshape.fromConfig,
  Permute: Permute.fromConfig,
  RepeatVector: RepeatVector.fromConfig,
  GlobalAveragePooling2D: GlobalAveragePooling2D.fromConfig,
  GlobalMaxPooling2D: GlobalMaxPooling2D.fromConfig,
  Conv2DTranspose: Conv2DTranspose.fromConfig,
  DepthwiseConv2D: DepthwiseConv2D.fromConfig,
  SeparableConv2D: SeparableConv2D.fromConfig,
  ReLU: ReLU.fromConfig,
  LeakyReLU: LeakyReLU.fromConfig,
  PReLU: PReLU.fromConfig,
  ELU: ELU.fromConfig,
  Softmax: Softmax.fromConfig,
  ThresholdedReLU: ThresholdedReLU.fromConfig,
  SpatialDropout1D: SpatialDropout1D.fromConfig,
  SpatialDropout2D: SpatialDropout2D.fromConfig,
  GaussianNoise: GaussianNoise.fromConfig,
  GaussianDropout: GaussianDropout.fromConfig,
  AlphaDropout: AlphaDropout.fromConfig,
  Rescaling: Rescaling.fromConfig,
  Resizing: Resizing.fromConfig,
  CenterCrop: CenterCrop.fromConfig,
  RandomFlip: RandomFlip.fromConfig,
  RandomRotation: RandomRotation.fromConfig,
  RandomZoom: RandomZoom.fromConfig,
  RandomTranslation: RandomTranslation.fromConfig,
};

/** Other class names Keras accepts for the same layers. */
const aliases: Record<string, string> = { MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D' };
Object.assign(aliases, { Convolution2DTranspose: 'Conv2DTranspose', SeparableConvolution2D: 'SeparableConv2D' });

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
