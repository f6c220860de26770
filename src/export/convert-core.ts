// Dense, activation layers, reshaping without windows, and the layers that are the identity at inference.
import { canonicalActivation } from '../activations/activations.js';
import { attr } from './builder.js';
import { cfgNum, ConvertArgs, Converter, unsupported, weightsOf } from './converter.js';
import { activation, softmax } from './ops.js';
import { keepSteps } from './masks.js';

/** The layer's `activation` applied to `y` (absent means linear). */
export function withActivation(a: ConvertArgs, y: string): string {
  const id = a.config.activation;
  return activation(a.b, canonicalActivation(typeof id === 'string' ? id : null), y);
}

/** Dense: Gemm for a [batch, in] input; MatMul + Add when the input has more axes (Dense acts on the last). */
const dense: Converter = (a) => {
  const { b } = a;
  const [kernel, bias] = weightsOf(a);
  const w = b.floats('kernel', kernel.data, kernel.shape);
  const rank = a.inputShapes[0].length;
  let y: string;
  if (rank === 2) {
    const inputs = [a.inputs[0], w];
    if (bias !== undefined) inputs.push(b.floats('bias', bias.data, bias.shape));
    y = b.op1('Gemm', inputs);
  } else {
    y = b.op1('MatMul', [a.inputs[0], w]);
    if (bias !== undefined) y = b.op1('Add', [y, b.floats('bias', bias.data, bias.shape)]);
  }
  return [withActivation(a, y)];
};

const identity: Converter = (a) => [a.b.op1('Identity', [a.inputs[0]])];

/** Keras's ReLU layer: min(x, maxValue) at or above the threshold, negativeSlope·(x − threshold) below. */
const reluLayer: Converter = (a) => {
  const { b } = a;
  const x = a.inputs[0];
  const maxValue = a.config.max_value;
  const slope = cfgNum(a, 'negative_slope');
  const threshold = cfgNum(a, 'threshold');
  let y: string;
  if (slope === 0 && threshold === 0) y = b.op1('Relu', [x]);
  else {
    const below = b.op1('Mul', [b.op1('Sub', [x, b.scalar('threshold', threshold)]), b.scalar('slope', slope)]);
    const above = b.op1('GreaterOrEqual', [x, b.scalar('threshold', threshold)]);
    y = b.op1('Where', [above, x, below]);
  }
  if (typeof maxValue === 'number') y = b.op1('Min', [y, b.scalar('max_value', maxValue)]);
  return [y];
};

const leakyRelu: Converter = (a) => {
  const alpha = typeof a.config.alpha === 'number' ? a.config.alpha : cfgNum(a, 'negative_slope');
  return [a.b.op1('LeakyRelu', [a.inputs[0]], { alpha: attr.f(alpha) })];
};

const prelu: Converter = (a) => {
  const [alpha] = weightsOf(a);
  return [a.b.op1('PRelu', [a.inputs[0], a.b.floats('alpha', alpha.data, alpha.shape)])];
};

const eluLayer: Converter = (a) => [a.b.op1('Elu', [a.inputs[0]], { alpha: attr.f(cfgNum(a, 'alpha')) })];

/** ThresholdedReLU: x where x > theta, else 0 (ONNX ThresholdedRelu has the same strict inequality). */
const thresholdedRelu: Converter = (a) => [a.b.op1('ThresholdedRelu', [a.inputs[0]], { alpha: attr.f(cfgNum(a, 'theta')) })];

const softmaxLayer: Converter = (a) => {
  const axis = a.config.axis;
  if (Array.isArray(axis) && axis.length !== 1) unsupported(a, `softmax over several axes (${JSON.stringify(axis)})`);
  return [softmax(a.b, a.inputs[0], Array.isArray(axis) ? (axis[0] as number) : (axis as number))];
};

const activationLayer: Converter = (a) => [a.b.op1('Identity', [withActivation(a, a.inputs[0])])];

/** Flatten: every axis after the batch into one, in the (channels-last) order the model sees. */
const flatten: Converter = (a) => [a.b.op1('Flatten', [a.inputs[0]], { axis: attr.i(1) })];

/** Reshape: 0 keeps the batch size of the input whatever it is, so a dynamic batch survives. */
const reshape: Converter = (a) => {
  const target = a.config.target_shape as number[];
  return [a.b.op1('Reshape', [a.inputs[0], a.b.int64s('shape', [0, ...target])])];
};

/** Permute: Keras's dims are 1-based and exclude the batch. */
const permute: Converter = (a) => {
  const dims = a.config.dims as number[];
  return [a.b.op1('Transpose', [a.inputs[0]], { perm: attr.ints([0, ...dims]) })];
};

/** RepeatVector: [batch, features] → [batch, n, features] by Unsqueeze then Tile. */
const repeatVector: Converter = (a) => {
  const { b } = a;
  const n = cfgNum(a, 'n');
  const x3 = b.op1('Unsqueeze', [a.inputs[0], b.int64s('axes', [1])]);
  return [b.op1('Tile', [x3, b.int64s('repeats', [1, n, 1])])];
};

/** Rescaling: x·scale + offset. */
function rescaling(a: ConvertArgs): string[] {
  const { b } = a;
  return [b.op1('Add', [b.op1('Mul', [a.inputs[0], b.scalar('scale', cfgNum(a, 'scale'))]), b.scalar('offset', cfgNum(a, 'offset'))])];
}

/** CenterCrop of an image at least as large as the target: a Slice at offsets ⌊(H − h) / 2⌋, ⌊(W − w) / 2⌋. */
function centerCrop(a: ConvertArgs): string[] {
  const { b } = a;
  const [, H, W] = a.inputShapes[0];
  const h = cfgNum(a, 'height');
  const w = cfgNum(a, 'width');
  if (H === null || W === null || H < h || W < w) unsupported(a, 'an image smaller than the crop (or of unknown size) is resized first, which is not mapped');
  const top = Math.floor((H - h) / 2);
  const left = Math.floor((W - w) / 2);
  return [b.op1('Slice', [a.inputs[0], b.int64s('starts', [top, left]), b.int64s('ends', [top + h, left + w]), b.int64s('axes', [1, 2])])];
}

/** Masking: steps whose features all equal maskValue become zeros (their mask: masks.ts). */
function masking(a: ConvertArgs): string[] {
  const { b } = a;
  const keep = keepSteps(b, a.inputs[0], cfgNum(a, 'mask_value'));
  return [b.op1('Mul', [a.inputs[0], b.op1('Unsqueeze', [keep, b.int64s('axes', [-1])])])];
}

/** Converters for the core layers, by class name. */
export const coreConverters: Record<string, Converter> = {
  Dense: dense,
  Activation: activationLayer,
  ReLU: reluLayer,
  LeakyReLU: leakyRelu,
  PReLU: prelu,
  ELU: eluLayer,
  ThresholdedReLU: thresholdedRelu,
  Softmax: softmaxLayer,
  Flatten: flatten,
  Reshape: reshape,
  Permute: permute,
  RepeatVector: repeatVector,
  // Identity at inference (Keras's call with training=False).
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  // Augmentation: Keras applies it in training only.
  RandomFlip: identity,
  RandomRotation: identity,
  RandomZoom: identity,
  RandomTranslation: identity,
  Rescaling: rescaling,
  Masking: masking,
  CenterCrop: centerCrop,
};
