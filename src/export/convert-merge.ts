// Merge layers, normalization and Embedding.
import { attr, OnnxBuilder } from './builder.js';
import { cfgNum, ConvertArgs, Converter, namedWeightsOf, unsupported } from './converter.js';
import { reduce } from './ops.js';

/** Folds n inputs pairwise with a binary op (ONNX Add / Mul are binary). */
function chain(b: OnnxBuilder, op: string, xs: readonly string[]): string {
  return xs.slice(1).reduce((acc, x) => b.op1(op, [acc, x]), xs[0]);
}

const add: Converter = (a) => [chain(a.b, 'Add', a.inputs)];
const multiply: Converter = (a) => [chain(a.b, 'Mul', a.inputs)];
const subtract: Converter = (a) => [a.b.op1('Sub', a.inputs)];
const average: Converter = (a) => [a.b.op1('Div', [a.b.op1('Sum', a.inputs), a.b.scalar('count', a.inputs.length)])];
const maximum: Converter = (a) => [a.b.op1('Max', a.inputs)];
const minimum: Converter = (a) => [a.b.op1('Min', a.inputs)];
const concatenate: Converter = (a) => [a.b.op1('Concat', a.inputs, { axis: attr.i(cfgNum(a, 'axis')) })];

/** x / sqrt(max(Σx², 1e-12)) along `axis` (Keras's l2_normalize). */
function l2Normalize(b: OnnxBuilder, x: string, axis: number): string {
  const ss = reduce(b, 'ReduceSum', b.op1('Mul', [x, x]), [axis], true);
  return b.op1('Div', [x, b.op1('Sqrt', [b.op1('Max', [ss, b.scalar('eps', 1e-12)])])]);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Dot (batch_dot): move a's contracted axis last and b's first, one batched MatMul, reshape to Keras's output. */
const dot: Converter = (a) => {
  const { b } = a;
  const [s1, s2] = a.inputShapes;
  const raw = a.config.axes as number | [number, number];
  const pair = Array.isArray(raw) ? raw : [raw, raw];
  const [a1, a2] = [pair[0] < 0 ? pair[0] + s1.length : pair[0], pair[1] < 0 ? pair[1] + s2.length : pair[1]];
  let [x, y] = a.inputs;
  if (a.config.normalize === true) {
    x = l2Normalize(b, x, a1);
    y = l2Normalize(b, y, a2);
  }
  const permA = [0, ...range(s1.length).filter((i) => i !== 0 && i !== a1), a1];
  const permB = [0, a2, ...range(s2.length).filter((i) => i !== 0 && i !== a2)];
  const dims = (s: readonly (number | null)[], idx: number[]): number[] =>
    idx.map((i) => {
      const d = s[i];
      if (d === null) unsupported(a, 'Dot over axes of unknown size');
      return d;
    });
  const p = dims(s1, permA.slice(1, -1)).reduce((n, d) => n * d, 1);
  const q = dims(s2, permB.slice(2)).reduce((n, d) => n * d, 1);
  const k = dims(s1, [a1])[0];
  const xa = b.op1('Reshape', [b.op1('Transpose', [x], { perm: attr.ints(permA) }), b.int64s('shape', [0, p, k])]);
  const yb = b.op1('Reshape', [b.op1('Transpose', [y], { perm: attr.ints(permB) }), b.int64s('shape', [0, k, q])]);
  const out = a.outputShapes[0].slice(1) as number[];
  return [b.op1('Reshape', [b.op1('MatMul', [xa, yb]), b.int64s('shape', [0, ...out])])];
};

/**
 * BatchNormalization at inference: y = x·s + t with s = γ/√(var + ε), t = β − mean·s, folded in float64
 * and broadcast along the layer's axis (any axis, so no channels-first Transpose is needed).
 */
const batchNorm: Converter = (a) => {
  const { b } = a;
  const w = namedWeightsOf(a);
  const mean = w.get('moving_mean')!.data;
  const variance = w.get('moving_variance')!.data;
  const c = mean.length;
  const gamma = w.get('gamma')?.data ?? new Float32Array(c).fill(1);
  const beta = w.get('beta')?.data ?? new Float32Array(c);
  const eps = cfgNum(a, 'epsilon');
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    const s = gamma[i] / Math.sqrt(variance[i] + eps);
    scale[i] = s;
    shift[i] = beta[i] - mean[i] * s;
  }
  const rank = a.inputShapes[0].length;
  const axisRaw = a.config.axis;
  const axis = Array.isArray(axisRaw) ? (axisRaw.length === 1 ? (axisRaw[0] as number) : unsupported(a, 'several axes')) : (axisRaw as number);
  const ax = axis < 0 ? axis + rank : axis;
  const dims = range(rank - 1).map((i) => (i + 1 === ax ? c : 1));
  return [b.op1('Add', [b.op1('Mul', [a.inputs[0], b.floats('scale', scale, dims)]), b.floats('shift', shift, dims)])];
};

/** LayerNormalization (an ONNX operator from opset 17) over the trailing axes from `axis` on. */
const layerNorm: Converter = (a) => {
  const { b } = a;
  b.requireOpset('LayerNormalization', 17);
  const rank = a.inputShapes[0].length;
  const raw = a.config.axis;
  const axes = (Array.isArray(raw) ? (raw as number[]) : [raw as number]).map((x) => (x < 0 ? x + rank : x)).sort((p, q) => p - q);
  if (axes.some((x, i) => x !== rank - axes.length + i)) unsupported(a, `normalizing over axes ${JSON.stringify(raw)} (ONNX normalizes the trailing axes only)`);
  const shape = a.inputShapes[0].slice(axes[0]) as number[];
  const n = shape.reduce((p, d) => p * d, 1);
  const w = namedWeightsOf(a);
  const gamma = w.get('gamma')?.data ?? new Float32Array(n).fill(1);
  const beta = w.get('beta')?.data ?? new Float32Array(n);
  return [b.op1('LayerNormalization', [a.inputs[0], b.floats('gamma', gamma, shape), b.floats('beta', beta, shape)], { axis: attr.i(axes[0]), epsilon: attr.f(cfgNum(a, 'epsilon')) })];
};

/** Embedding: the float token ids (as `predict` takes them) cast to int64 indices into the table (the maskZero mask: masks.ts). */
const embedding: Converter = (a) => {
  const { b } = a;
  const table = namedWeightsOf(a).get('embeddings')!;
  const ids = b.op1('Cast', [a.inputs[0]], { to: attr.i(7) });
  return [b.op1('Gather', [b.floats('embeddings', table.data, table.shape), ids], { axis: attr.i(0) })];
};

/** Converters for merge, normalization and embedding layers, by class name. */
export const mergeConverters: Record<string, Converter> = {
  Add: add,
  Subtract: subtract,
  Multiply: multiply,
  Average: average,
  Maximum: maximum,
  Minimum: minimum,
  Concatenate: concatenate,
  Dot: dot,
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  Embedding: embedding,
};
