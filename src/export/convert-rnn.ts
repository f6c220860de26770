// SimpleRNN / LSTM / GRU and Bidirectional as the ONNX RNN / LSTM / GRU operators. ONNX runs
// time-major ([steps, batch, features]), so the input is transposed in and the outputs back.
// Gate blocks: Keras LSTM i, f, c, o → ONNX i, o, f, c; GRU z, r, h in both; Keras kernels are
// [in, gates·units], ONNX's W is [directions, gates·units, in] (the transpose).
import { canonicalActivation } from '../activations/activations.js';
import { attr, OnnxBuilder } from './builder.js';
import { ConvertArgs, Converter, namedWeightsOf, unsupported } from './converter.js';
import type { OnnxAttribute } from './onnx-proto.js';

type Kind = 'SimpleRNN' | 'LSTM' | 'GRU';

/** For each ONNX gate block, the Keras block it comes from. */
const GATE_ORDER: Record<Kind, number[]> = { SimpleRNN: [0], LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] };
const OP: Record<Kind, string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

/** A Keras [rows, G·u] matrix as ONNX's [G·u, rows] with the gate blocks reordered. */
function regate(data: Float32Array, rows: number, units: number, order: number[]): Float32Array {
  const cols = order.length * units;
  const out = new Float32Array(rows * cols);
  order.forEach((src, g) => {
    for (let j = 0; j < units; j++) for (let r = 0; r < rows; r++) out[(g * units + j) * rows + r] = data[r * cols + src * units + j];
  });
  return out;
}

/** A Keras bias vector [G·u] with the gate blocks reordered. */
function regateBias(data: Float32Array, offset: number, units: number, order: number[]): Float32Array {
  const out = new Float32Array(order.length * units);
  order.forEach((src, g) => out.set(data.subarray(offset + src * units, offset + (src + 1) * units), g * units));
  return out;
}

/** An activation as the ONNX recurrent operators name it, with its alpha / beta. */
function rnnActivation(a: ConvertArgs, id: unknown): { name: string; alpha?: number; beta?: number } {
  switch (canonicalActivation(typeof id === 'string' ? id : null)) {
    case 'sigmoid':
      return { name: 'Sigmoid' };
    case 'tanh':
      return { name: 'Tanh' };
    case 'relu':
      return { name: 'Relu' };
    case 'linear':
      return { name: 'Affine', alpha: 1, beta: 0 };
    case 'hard_sigmoid':
      return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    case 'keras_hard_sigmoid':
      return { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 };
    case 'softsign':
      return { name: 'Softsign' };
    case 'softplus':
      return { name: 'Softplus' };
    case 'elu':
      return { name: 'Elu', alpha: 1 };
    default:
      return unsupported(a, `activation '${String(id)}' inside a recurrent layer has no ONNX form`);
  }
}

/** The `activations` attribute (f, g, h per direction) and the alpha / beta values they consume, in order. */
function activationAttrs(a: ConvertArgs, kind: Kind, cell: Record<string, unknown>, directions: number): Record<string, OnnxAttribute> {
  const act = rnnActivation(a, cell.activation);
  const fns = kind === 'SimpleRNN' ? [act] : [rnnActivation(a, cell.recurrent_activation), act, ...(kind === 'LSTM' ? [act] : [])];
  const all = Array.from({ length: directions }, () => fns).flat();
  const out: Record<string, OnnxAttribute> = { activations: { kind: 'strings', value: all.map((f) => f.name) } };
  const alphas = all.filter((f) => f.alpha !== undefined).map((f) => f.alpha!);
  const betas = all.filter((f) => f.beta !== undefined).map((f) => f.beta!);
  if (alphas.length > 0) out.activation_alpha = attr.floats(alphas);
  if (betas.length > 0) out.activation_beta = attr.floats(betas);
  return out;
}

interface Direction {
  W: Float32Array;
  R: Float32Array;
  B: Float32Array;
}

/** One direction's W, R and B from the weights under `prefix`. */
function directionWeights(a: ConvertArgs, kind: Kind, cell: Record<string, unknown>, prefix: string): Direction {
  const w = namedWeightsOf(a, prefix);
  const kernel = w.get('kernel')!;
  const recurrent = w.get('recurrent_kernel')!;
  const units = recurrent.shape[0];
  const order = GATE_ORDER[kind];
  const g = order.length * units;
  const bias = w.get('bias');
  const B = new Float32Array(2 * g);
  if (bias !== undefined) {
    // GRU reset_after keeps separate input and recurrent biases ([2, 3u]), which is ONNX's Wb / Rb split
    // with linear_before_reset = 1; every other cell has one bias, put in Wb (Rb stays zero).
    B.set(regateBias(bias.data, 0, units, order), 0);
    if (kind === 'GRU' && cell.reset_after === true) B.set(regateBias(bias.data, g, units, order), g);
  }
  return { W: regate(kernel.data, kernel.shape[0], units, order), R: regate(recurrent.data, units, units, order), B };
}

function concatDirections(ds: Direction[], key: keyof Direction): Float32Array {
  const n = ds[0][key].length;
  const out = new Float32Array(n * ds.length);
  ds.forEach((d, i) => out.set(d[key], i * n));
  return out;
}

/** Reverses the time axis (axis 1 of a batch-major tensor or mask): Keras's goBackwards reads the sequence from its end. */
function reverseTime(b: OnnxBuilder, x: string): string {
  return b.op1('Slice', [x, b.int64s('starts', [-1]), b.int64s('ends', [Number.MIN_SAFE_INTEGER]), b.int64s('axes', [1]), b.int64s('steps', [-1])]);
}

/**
 * A masked sequence for the ONNX operators, which can only stop early (sequence_lens): the kept steps
 * of each sample are moved to the front in order (a stable sort on (1 − m)·T + t), and their count is
 * the length. Keras skips masked steps wherever they are, carrying the state over them, so the final
 * state (and ONNX's reverse direction, which starts at step length − 1) comes out the same.
 */
function compactMasked(a: ConvertArgs, x: string, mask: string): { x: string; lens: string } {
  const { b } = a;
  const steps = a.inputShapes[0][1];
  if (steps === null) unsupported(a, 'a mask on a sequence of unknown length');
  const order = b.floats('steps', Array.from({ length: steps }, (_, t) => t), [steps]);
  const key = b.op1('Add', [b.op1('Mul', [b.op1('Sub', [b.scalar('one', 1), mask]), b.scalar('T', steps)]), order]);
  const [, indices] = b.op('TopK', [key, b.int64s('k', [steps])], { axis: attr.i(1), largest: attr.i(0), sorted: attr.i(1) }, 2);
  const index3 = b.op1('Expand', [b.op1('Unsqueeze', [indices, b.int64s('axes', [2])]), b.op1('Shape', [x])]);
  const compacted = b.op1('GatherElements', [x, index3], { axis: attr.i(1) });
  const lens = b.op1('Cast', [reduceSum(b, mask)], { to: attr.i(6) });
  return { x: compacted, lens };
}

/** Σ over axis 1, dropped. */
function reduceSum(b: OnnxBuilder, m: string): string {
  return b.op1('ReduceSum', [m, b.int64s('axes', [1])], { keepdims: attr.i(0) });
}

/** The batch-major input made ready for the operator: reversed for goBackwards, compacted under a mask, time-major. */
function prepareInput(a: ConvertArgs, goBackwards: boolean, returnSequences: boolean): { x: string; lens: string } {
  const { b } = a;
  let x = a.inputs[0];
  let mask = a.masks[0] ?? null;
  if (mask !== null && returnSequences) unsupported(a, 'returnSequences under a mask (Keras repeats the last output on masked steps, which ONNX cannot)');
  if (goBackwards) {
    x = reverseTime(b, x);
    if (mask !== null) mask = reverseTime(b, mask);
  }
  let lens = '';
  if (mask !== null) ({ x, lens } = compactMasked(a, x, mask));
  return { x: toTimeMajor(b, x), lens };
}

/** Checks what the export cannot express. */
function checkCell(a: ConvertArgs, cell: Record<string, unknown>): void {
  if (cell.stateful === true) unsupported(a, 'stateful RNNs carry state between calls, which an ONNX graph does not');
}

interface RnnRun {
  kind: Kind;
  cell: Record<string, unknown>;
  prefixes: string[];
  /** Initial states per ONNX input (h, then c), each a list of [batch, units] tensors, one per direction. */
  states: string[][];
  /** int32 [batch] sequence lengths, or '' for full sequences. */
  lens?: string;
}

/** Emits the ONNX operator; returns Y [T, D, batch, u], Y_h [D, batch, u] and, for LSTM, Y_c. */
function emitRnn(a: ConvertArgs, r: RnnRun, x: string): string[] {
  const { b } = a;
  const dirs = r.prefixes.map((p) => directionWeights(a, r.kind, r.cell, p));
  const D = dirs.length;
  const units = (namedWeightsOf(a, r.prefixes[0]).get('recurrent_kernel')!).shape[0];
  const inF = dirs[0].W.length / (GATE_ORDER[r.kind].length * units);
  const g = GATE_ORDER[r.kind].length * units;
  const inputs = [x, b.floats('W', concatDirections(dirs, 'W'), [D, g, inF]), b.floats('R', concatDirections(dirs, 'R'), [D, g, units]), b.floats('B', concatDirections(dirs, 'B'), [D, 2 * g]), r.lens ?? ''];
  for (const perDir of r.states) {
    const un = perDir.map((s) => b.op1('Unsqueeze', [s, b.int64s('axes', [0])]));
    inputs.push(un.length === 1 ? un[0] : b.op1('Concat', un, { axis: attr.i(0) }));
  }
  const attrs: Record<string, OnnxAttribute> = {
    hidden_size: attr.i(units),
    direction: attr.s(D === 2 ? 'bidirectional' : 'forward'),
    ...activationAttrs(a, r.kind, r.cell, D),
  };
  if (r.kind === 'GRU') attrs.linear_before_reset = attr.i(r.cell.reset_after === true ? 1 : 0);
  return b.op(OP[r.kind], inputs, attrs, r.kind === 'LSTM' ? 3 : 2);
}

/** Time-major [T, batch, u] → [batch, T, u]. */
function batchMajor(b: OnnxBuilder, y: string): string {
  return b.op1('Transpose', [y], { perm: attr.ints([1, 0, 2]) });
}

/** Direction `d` of a [.., D, ..] tensor, the direction axis removed. */
function pick(b: OnnxBuilder, t: string, axis: number, d: number): string {
  return b.op1('Gather', [t, b.int64s('direction', [d], [])], { axis: attr.i(axis) });
}

function toTimeMajor(b: OnnxBuilder, x: string): string {
  return b.op1('Transpose', [x], { perm: attr.ints([1, 0, 2]) });
}

/** The ONNX operator family of a neurite cell class (LSTMCell → LSTM …), or an error naming the layer. */
function cellKind(a: ConvertArgs, className: string): Kind {
  const kind = className.replace(/Cell$/, '');
  if (kind === 'SimpleRNN' || kind === 'LSTM' || kind === 'GRU') return kind;
  return unsupported(a, `cell ${className} has no ONNX recurrent operator`);
}

interface CellLike {
  className: string;
  cells?: CellLike[];
}

/**
 * The generic RNN(cell): one cell is the matching operator; StackedRNNCells run one operator per cell,
 * each reading the previous one's full sequence (in the same, possibly reversed, step order).
 */
const genericRnn: Converter = (a) => {
  const { b } = a;
  const cell = (a.layer as unknown as { cell: CellLike }).cell;
  if (cell.cells === undefined) return recurrent(cellKind(a, cell.className))(a);
  checkCell(a, a.config);
  if (a.config.return_state === true || a.inputs.length > 1) unsupported(a, 'returnState or initial states of StackedRNNCells');
  const configs = (a.config.cells as { config: Record<string, unknown> }[]).map((c) => c.config);
  const prepared = prepareInput(a, a.config.go_backwards === true, a.config.return_sequences === true);
  const lens = prepared.lens;
  let x = prepared.x;
  let last = '';
  cell.cells.forEach((c, k) => {
    const [Y, Yh] = emitRnn(a, { kind: cellKind(a, c.className), cell: configs[k], prefixes: [`RNNCell_${k}/`], states: [], lens }, x);
    x = pick(b, Y, 1, 0);
    last = pick(b, Yh, 0, 0);
  });
  return [a.config.return_sequences === true ? batchMajor(b, x) : last];
};

/** SimpleRNN / LSTM / GRU with returnSequences, returnState, goBackwards and initial states. */
function recurrent(kind: Kind): Converter {
  return (a) => {
    const { b } = a;
    checkCell(a, a.config);
    const { x, lens } = prepareInput(a, a.config.go_backwards === true, a.config.return_sequences === true);
    const states = a.inputs.slice(1).map((s) => [s]);
    const [Y, ...finals] = emitRnn(a, { kind, cell: a.config, prefixes: [''], states, lens }, x);
    const out = a.config.return_sequences === true ? batchMajor(b, pick(b, Y, 1, 0)) : pick(b, finals[0], 0, 0);
    if (a.config.return_state !== true) return [out];
    return [out, ...finals.map((f) => pick(b, f, 0, 0))];
  };
}

/** Bidirectional over one ONNX operator with direction 'bidirectional'; Keras's merge modes after it. */
const bidirectional: Converter = (a) => {
  const { b } = a;
  const inner = a.config.layer as { class_name: string; config: Record<string, unknown> };
  const forwardCell = (a.layer as unknown as { forwardLayer: { cell: CellLike } }).forwardLayer.cell;
  if (forwardCell.cells !== undefined) unsupported(a, 'wrapping StackedRNNCells');
  const kind = cellKind(a, forwardCell.className);
  checkCell(a, inner.config);
  if (inner.config.go_backwards === true) unsupported(a, 'a forward layer with goBackwards');
  const names = a.layer.namedWeights().map((w) => w.name);
  const prefixOf = (dir: string): string => {
    const first = names.find((n) => n.startsWith(`${dir}_`))!;
    return first.slice(0, first.indexOf('/') + 1);
  };
  const count = kind === 'LSTM' ? 2 : 1;
  const given = a.inputs.slice(1);
  const states = given.length === 0 ? [] : Array.from({ length: count }, (_, k) => [given[k], given[count + k]]);
  const seq = inner.config.return_sequences === true;
  const { x, lens } = prepareInput(a, false, seq);
  const [Y, ...finals] = emitRnn(a, { kind, cell: inner.config, prefixes: [prefixOf('forward'), prefixOf('backward')], states, lens }, x);
  // ONNX's reverse direction reports step t at position t, which is Keras's backward output re-reversed.
  const fw = seq ? batchMajor(b, pick(b, Y, 1, 0)) : pick(b, finals[0], 0, 0);
  const bw = seq ? batchMajor(b, pick(b, Y, 1, 1)) : pick(b, finals[0], 0, 1);
  const mode = a.config.merge_mode;
  let outs: string[];
  if (mode === 'concat') outs = [b.op1('Concat', [fw, bw], { axis: attr.i(-1) })];
  else if (mode === 'sum') outs = [b.op1('Add', [fw, bw])];
  else if (mode === 'mul') outs = [b.op1('Mul', [fw, bw])];
  else if (mode === 'ave') outs = [b.op1('Mul', [b.op1('Add', [fw, bw]), b.scalar('half', 0.5)])];
  else outs = [fw, bw];
  if (inner.config.return_state !== true) return outs;
  return [...outs, ...finals.map((f) => pick(b, f, 0, 0)), ...finals.map((f) => pick(b, f, 0, 1))];
};

/** Converters for recurrent layers, by class name. */
export const rnnConverters: Record<string, Converter> = {
  SimpleRNN: recurrent('SimpleRNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  Bidirectional: bidirectional,
  RNN: genericRnn,
};
