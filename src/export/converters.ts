import type { Layer } from '../layers/layer.js';
import { Converter, unsupported } from './converter.js';
import { attr } from './builder.js';
import { coreConverters } from './convert-core.js';
import { convConverters } from './convert-conv.js';
import { poolConverters } from './convert-pool.js';
import { mergeConverters } from './convert-merge.js';
import { rnnConverters } from './convert-rnn.js';
import { quantizedConverters } from './convert-quantized.js';
import { attentionConverters } from './convert-attention.js';

/** Every layer class that exports, by class name. */
export const converters: Record<string, Converter> = {
  TimeDistributed: (a) => timeDistributed(a),
  ...coreConverters,
  ...convConverters,
  ...poolConverters,
  ...mergeConverters,
  ...rnnConverters,
  ...quantizedConverters,
  ...attentionConverters,
};

/**
 * TimeDistributed: fold the steps into the batch ([batch·steps, …]), convert the wrapped layer as
 * usual, then unfold with the input's own batch and step sizes (read at run time by Shape).
 */
function timeDistributed(a: Parameters<Converter>[0]): string[] {
  const { b } = a;
  const inner = (a.layer as unknown as { layer: Layer }).layer;
  const convert = converters[inner.className];
  if (convert === undefined) unsupported(a, `the wrapped layer '${inner.name}' (${inner.className}) has no ONNX mapping`);
  const rest = a.inputShapes[0].slice(2);
  const outRest = a.outputShapes[0].slice(2);
  if (rest.includes(null) || outRest.includes(null)) unsupported(a, 'axes of unknown size after the time axis');
  const folded = b.op1('Reshape', [a.inputs[0], b.int64s('shape', [-1, ...(rest as number[])])]);
  const [y] = convert({ ...a, layer: inner, config: inner.getConfig(), inputs: [folded], inputShapes: [[null, ...rest]], outputShapes: [[null, ...outRest]] });
  const lead = b.op1('Slice', [b.op1('Shape', [a.inputs[0]]), b.int64s('starts', [0]), b.int64s('ends', [2])]);
  const shape = b.op1('Concat', [lead, b.int64s('rest', outRest as number[])], { axis: attr.i(0) });
  return [b.op1('Reshape', [y, shape])];
}
