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
import { InputLayer } from './input-layer.js';
import { normalizeActivations } from './activation-config.js';
import { Add } from './merge/add.js';
import { Subtract } from './merge/subtract.js';
import { Multiply } from './merge/multiply.js';
import { Average } from './merge/average.js';
import { Maximum } from './merge/maximum.js';
import { Minimum } from './merge/minimum.js';
import { Concatenate } from './merge/concatenate.js';
import { Dot } from './merge/dot.js';
import { Bidirectional } from './rnn/bidirectional.js';
import { StackedRNNCells } from './rnn/stacked-rnn-cells.js';
import { TimeDistributed } from './rnn/time-distributed.js';
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
  InputLayer: InputLayer.fromConfig,
  Add: Add.fromConfig,
  Subtract: Subtract.fromConfig,
  Multiply: Multiply.fromConfig,
  Average: Average.fromConfig,
  Maximum: Maximum.fromConfig,
  Minimum: Minimum.fromConfig,
  Concatenate: Concatenate.fromConfig,
  Dot: Dot.fromConfig,
  // Lazy: these modules import this one (to rebuild the layers they wrap).
  StackedRNNCells: (config) => StackedRNNCells.fromConfig(config, layerFromConfig),
  Bidirectional: (config) => Bidirectional.fromConfig(config),
  TimeDistributed: (config) => TimeDistributed.fromConfig(config),
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
Object.assign(aliases, { MaxPool1D: 'MaxPooling1D', AvgPool1D: 'AveragePooling1D', GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalMaxPool1D: 'GlobalMaxPooling1D' });
Object.assign(aliases, { Convolution2DTranspose: 'Conv2DTranspose', SeparableConvolution2D: 'SeparableConv2D' });

/** Layers registered by users with `registerLayer`, and builders other modules add (models). */
const custom = new Map<string, (config: LayerConfig) => Layer>();

/**
 * The layer class names `layerFromConfig` accepts (aliases and registered classes included), as model.json writes them.
 * @example layers.layerClassNames().includes('Conv2D'); // true
 */
export function layerClassNames(): string[] {
  return [...Object.keys(builders), ...Object.keys(aliases), ...custom.keys()];
}

/** A layer class as `registerLayer` takes it: constructible, with an optional static `className` and `fromConfig`. */
export interface RegistrableLayer {
  new (...args: never[]): Layer;
  readonly name: string;
  className?: string;
  fromConfig?: (config: LayerConfig) => Layer;
}

/**
 * Registers a custom layer class so models using it save and load (TF.js's `registerClass`, Keras's
 * `register_keras_serializable`). The class name in files is its static `className` (else the class's
 * name); it is rebuilt with its static `fromConfig(config)`, else `new LayerClass(config)` with the
 * object its `getConfig()` wrote.
 * @example
 * class Scale extends Layer {
 *   static className = 'Scale';
 *   readonly className = 'Scale';
 *   call(x: Tensor): Tensor { return mul(x, 2); }
 *   computeOutputShape(shape: layers.Shapes): layers.Shapes { return shape; }
 * }
 * registerLayer(Scale); // a model with a Scale layer now saves and loads
 */
export function registerLayer(cls: RegistrableLayer): void {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Layer)) {
    throw new ValueError(`registerLayer: expected a class extending Layer, received ${cls === null ? 'null' : typeof cls}`);
  }
  const name = typeof cls.className === 'string' && cls.className !== '' ? cls.className : cls.name;
  if (Object.hasOwn(builders, name)) throw new ValueError(`registerLayer: '${name}' is a built-in layer; give the custom class another className`);
  const fromConfig = cls.fromConfig;
  custom.set(name, typeof fromConfig === 'function' ? (config) => fromConfig.call(cls, config) : (config) => new (cls as unknown as new (c: LayerConfig) => Layer)(config));
}

/** Lets a module above `layers/` (models) provide builders for its classes (`Sequential`, `Functional`). */
export function registerBuilder(className: string, build: (config: LayerConfig) => Layer): void {
  custom.set(className, build);
}

/**
 * Builds a layer from its model.json entry (`class_name` and its snake_case `config`, as TF.js or
 * Keras write them). Unknown classes throw a NeuriteError listing the supported ones.
 * @example layerFromConfig('Dense', { units: 3, activation: 'relu' });
 */
export function layerFromConfig(className: string, config: LayerConfig): Layer {
  const name = Object.hasOwn(aliases, className) ? aliases[className] : className;
  const build = Object.hasOwn(builders, name) ? builders[name] : custom.get(name);
  if (build === undefined) {
    throw new NeuriteError(
      `Unknown layer class ${JSON.stringify(String(className).slice(0, 80))}: if it is a custom layer, register its class with ` +
        `registerLayer(${/^[A-Za-z_$][\w$]*$/.test(String(className)) ? className : 'TheClass'}) before loading; built-in: ${layerClassNames().join(', ')}`,
    );
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ValueError(`${className}: expected a config object, received ${JSON.stringify(config)}`);
  }
  const layer = build(normalizeActivations(className, config));
  if (!custom.has(name)) refuseUnread(className, config, layer);
  return layer;
}

/** Keys a layer reads under another spelling than it writes (Keras 3's name for what TF.js writes). */
const READ_ALIASES: Record<string, string[]> = { LeakyReLU: ['negative_slope'] };

/** Keys any layer config may carry that are bookkeeping, not behaviour. */
const BOOKKEEPING = new Set(['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_shape', 'batchInputShape', 'input_shape', 'input_dtype', 'batch_size', 'module', 'registered_name', 'build_config', 'autocast']);

function isNeutral(v: unknown): boolean {
  return v === null || v === undefined || v === false || v === 0 || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
}

/**
 * A config key the built layer does not write back means neurite did not read it: refused unless it is
 * bookkeeping or at a neutral value (null, false, 0), so a file's setting is never silently dropped.
 */
function refuseUnread(className: string, config: LayerConfig, layer: Layer): void {
  const written = new Set([...Object.keys(layer.getConfig()), ...(Object.hasOwn(READ_ALIASES, layer.className) ? READ_ALIASES[layer.className] : [])]);
  for (const [key, value] of Object.entries(config)) {
    if (written.has(key) || BOOKKEEPING.has(key) || isNeutral(value)) continue;
    throw new NeuriteError(`${className}.fromConfig: '${key.slice(0, 60)}' = ${JSON.stringify(value)?.slice(0, 80)} is not supported by neurite's ${layer.className}`);
  }
}
