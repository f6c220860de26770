// MultiHeadAttention as MatMul / Softmax: project into heads, scaled dot products, softmax over the
// value positions, weighted sum, merge the heads and project out. Attention masks are not exported.
import { attr, OnnxBuilder } from './builder.js';
import { Converter, namedWeightsOf, unsupported } from './converter.js';

type Weight = { data: Float32Array; shape: number[] };

/** x [batch, T, features] through a [features, heads, dim] kernel into heads [batch, heads, T, dim]. */
function heads(b: OnnxBuilder, x: string, kernel: Weight, bias: Weight | undefined, name: string): string {
  const [features, h, dim] = kernel.shape;
  let y = b.op1('MatMul', [x, b.floats(`${name}/kernel`, kernel.data, [features, h * dim])]);
  if (bias !== undefined) y = b.op1('Add', [y, b.floats(`${name}/bias`, bias.data, [h * dim])]);
  const split = b.op1('Reshape', [y, b.int64s('shape', [0, 0, h, dim])]);
  return b.op1('Transpose', [split], { perm: attr.ints([0, 2, 1, 3]) });
}

const multiHeadAttention: Converter = (a) => {
  const { b } = a;
  if (a.config.attention_axes !== null && a.config.attention_axes !== undefined) unsupported(a, 'attentionAxes');
  const w = namedWeightsOf(a);
  const [query, value, key = value] = a.inputs;
  const q = heads(b, query, w.get('query/kernel')!, w.get('query/bias'), 'query');
  const k = heads(b, key, w.get('key/kernel')!, w.get('key/bias'), 'key');
  const v = heads(b, value, w.get('value/kernel')!, w.get('value/bias'), 'value');
  const keyDim = w.get('query/kernel')!.shape[2];
  const scaled = b.op1('Mul', [q, b.scalar('scale', 1 / Math.sqrt(keyDim))]);
  const logits = b.op1('MatMul', [scaled, b.op1('Transpose', [k], { perm: attr.ints([0, 1, 3, 2]) })]);
  const probs = b.op1('Softmax', [logits], { axis: attr.i(-1) });
  const o = b.op1('Transpose', [b.op1('MatMul', [probs, v])], { perm: attr.ints([0, 2, 1, 3]) });
  const out = w.get('attention_output/kernel')!;
  const [h, vd, ...rest] = out.shape;
  const size = rest.reduce((p, d) => p * d, 1);
  const merged = b.op1('Reshape', [o, b.int64s('shape', [0, 0, h * vd])]);
  let y = b.op1('MatMul', [merged, b.floats('attention_output/kernel', out.data, [h * vd, size])]);
  const bias = w.get('attention_output/bias');
  if (bias !== undefined) y = b.op1('Add', [y, b.floats('attention_output/bias', bias.data, [size])]);
  return [rest.length === 1 ? y : b.op1('Reshape', [y, b.int64s('shape', [0, 0, ...rest])])];
};

/** Converters for attention layers, by class name. */
export const attentionConverters: Record<string, Converter> = {
  MultiHeadAttention: multiHeadAttention,
};
