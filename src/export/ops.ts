// Small ONNX subgraphs shared by the layer converters: reductions across opset versions,
// layout transposes, activations (with composed forms where opset 17 has no single op).
import { attr, OnnxBuilder, OnnxExportError } from './builder.js';

/** ReduceMean / ReduceMax / ReduceSum …: axes are an attribute before opset 18 (13 for ReduceSum), an input after. */
export function reduce(b: OnnxBuilder, op: string, x: string, axes: readonly number[], keepdims: boolean): string {
  const asInput = op === 'ReduceSum' ? b.opset >= 13 : b.opset >= 18;
  if (asInput) return b.op1(op, [x, b.int64s('axes', axes)], { keepdims: attr.i(keepdims ? 1 : 0) });
  return b.op1(op, [x], { axes: attr.ints(axes), keepdims: attr.i(keepdims ? 1 : 0) });
}

/** Channels-last → channels-first for a rank-`rank` tensor: [N, …spatial, C] → [N, C, …spatial]. */
export function toChannelsFirst(b: OnnxBuilder, x: string, rank: number): string {
  const perm = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, k) => k + 1)];
  return b.op1('Transpose', [x], { perm: attr.ints(perm) });
}

/** Channels-first → channels-last: [N, C, …spatial] → [N, …spatial, C]. */
export function toChannelsLast(b: OnnxBuilder, x: string, rank: number): string {
  const perm = [0, ...Array.from({ length: rank - 2 }, (_, k) => k + 2), 1];
  return b.op1('Transpose', [x], { perm: attr.ints(perm) });
}

/** clip(a·x + c, 0, 1) as HardSigmoid (alpha a, beta c). */
function hardSigmoid(b: OnnxBuilder, x: string, alpha: number): string {
  return b.op1('HardSigmoid', [x], { alpha: attr.f(alpha), beta: attr.f(0.5) });
}

/** x · sigmoid(x). */
function swish(b: OnnxBuilder, x: string): string {
  return b.op1('Mul', [x, b.op1('Sigmoid', [x])]);
}

/** Exact GELU, 0.5·x·(1 + erf(x/√2)); the Gelu operator only exists from opset 20. */
function gelu(b: OnnxBuilder, x: string): string {
  if (b.opset >= 20) return b.op1('Gelu', [x]);
  const erf = b.op1('Erf', [b.op1('Mul', [x, b.scalar('inv_sqrt2', Math.SQRT1_2)])]);
  return b.op1('Mul', [b.op1('Mul', [x, b.scalar('half', 0.5)]), b.op1('Add', [erf, b.scalar('one', 1)])]);
}

/** tanh-approximated GELU, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
function geluTanh(b: OnnxBuilder, x: string): string {
  if (b.opset >= 20) return b.op1('Gelu', [x], { approximate: attr.s('tanh') });
  const cube = b.op1('Mul', [b.op1('Mul', [x, x]), x]);
  const inner = b.op1('Add', [x, b.op1('Mul', [cube, b.scalar('c', 0.044715)])]);
  const t = b.op1('Tanh', [b.op1('Mul', [inner, b.scalar('k', Math.sqrt(2 / Math.PI))])]);
  return b.op1('Mul', [b.op1('Mul', [x, b.scalar('half', 0.5)]), b.op1('Add', [t, b.scalar('one', 1)])]);
}

/** Softmax / LogSoftmax over one axis (opset 13 semantics: that axis only). */
export function softmax(b: OnnxBuilder, x: string, axis: number, log = false): string {
  return b.op1(log ? 'LogSoftmax' : 'Softmax', [x], { axis: attr.i(axis) });
}

/** An activation by its canonical Keras id, applied to `x`; `'linear'` returns `x` itself. */
export function activation(b: OnnxBuilder, id: string, x: string): string {
  switch (id) {
    case 'linear':
      return x;
    case 'relu':
      return b.op1('Relu', [x]);
    case 'relu6':
      return b.op1('Clip', [x, b.scalar('min', 0), b.scalar('max', 6)]);
    case 'sigmoid':
      return b.op1('Sigmoid', [x]);
    case 'tanh':
      return b.op1('Tanh', [x]);
    case 'softmax':
      return softmax(b, x, -1);
    case 'log_softmax':
      return softmax(b, x, -1, true);
    case 'hard_sigmoid':
      // TF.js's definition, clip(0.2·x + 0.5, 0, 1): what neurite's 'hard_sigmoid' computes.
      return hardSigmoid(b, x, 0.2);
    case 'keras_hard_sigmoid':
      // Keras 3's definition, relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1).
      return hardSigmoid(b, x, 1 / 6);
    case 'hard_silu':
      return b.op1('Mul', [x, hardSigmoid(b, x, 1 / 6)]);
    case 'elu':
      return b.op1('Elu', [x], { alpha: attr.f(1) });
    case 'selu':
      return b.op1('Selu', [x]);
    case 'softplus':
      return b.op1('Softplus', [x]);
    case 'softsign':
      return b.op1('Softsign', [x]);
    case 'swish':
      return swish(b, x);
    case 'mish':
      return b.op1('Mul', [x, b.op1('Tanh', [b.op1('Softplus', [x])])]);
    case 'gelu':
      return gelu(b, x);
    case 'gelu_new':
      return geluTanh(b, x);
    case 'leaky_relu':
      return b.op1('LeakyRelu', [x], { alpha: attr.f(0.2) });
    case 'exponential':
      return b.op1('Exp', [x]);
    default:
      throw new OnnxExportError(`exportOnnx: layer '${b.current}' uses activation '${id}', which has no ONNX mapping`);
  }
}
