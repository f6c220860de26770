// Masks in the exported graph, as neurite's executor computes them: Embedding(maskZero) and Masking
// make one, layers that support masking pass it on, merge layers combine them, and the layers that
// read a mask (recurrent layers, GlobalAveragePooling1D) take it in their converters. A mask reaching a
// layer that would use it in a way not mapped here is refused, never silently dropped.
import { attr, OnnxBuilder } from './builder.js';
import { ConvertArgs, unsupported } from './converter.js';
import { DataType } from './onnx-proto.js';

/** Layers whose converter reads `a.masks` (and so consume or transform the mask themselves). */
const MASK_READERS = new Set(['SimpleRNN', 'LSTM', 'GRU', 'RNN', 'Bidirectional', 'GlobalAveragePooling1D']);

/** A boolean tensor as a float 0 / 1 mask. */
function toFloat(b: OnnxBuilder, t: string): string {
  return b.op1('Cast', [t], { to: attr.i(DataType.FLOAT) });
}

/** 1 where any feature of a step differs from `value`: Keras's Masking mask, [batch, steps]. */
export function keepSteps(b: OnnxBuilder, x: string, value: number): string {
  const differs = toFloat(b, b.op1('Not', [b.op1('Equal', [x, b.scalar('mask_value', value)])]));
  return b.opset >= 18
    ? b.op1('ReduceMax', [differs, b.int64s('axes', [-1])], { keepdims: attr.i(0) })
    : b.op1('ReduceMax', [differs], { axes: attr.ints([-1]), keepdims: attr.i(0) });
}

/** The masks of a converted node's outputs. */
export function outputMasks(a: ConvertArgs, outs: readonly string[]): (string | null)[] {
  const { b, layer } = a;
  const none = outs.map(() => null);
  if (layer.className === 'Embedding') {
    return a.config.mask_zero === true ? [toFloat(b, b.op1('Not', [b.op1('Equal', [a.inputs[0], b.scalar('pad', 0)])]))] : none;
  }
  if (layer.className === 'Masking') return [keepSteps(b, a.inputs[0], a.config.mask_value as number)];
  const given = a.masks.filter((m): m is string => m !== null);
  if (given.length === 0) return none;
  // The recurrent converters refuse a mask with returnSequences, so what they return carries none.
  if (MASK_READERS.has(layer.className)) return none;
  if (['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'].includes(layer.className)) {
    return [given.slice(1).reduce((acc, m) => b.op1('Mul', [acc, m]), given[0])];
  }
  if (layer.className === 'MultiHeadAttention' || layer.className === 'Concatenate' || layer.className === 'Dot') {
    unsupported(a, 'masks reaching it are not exported');
  }
  // Any other layer: neurite passes a single mask on when the layer supports masking, and drops it otherwise.
  return layer.supportsMasking && given.length === 1 && outs.length === 1 ? [given[0]] : none;
}
