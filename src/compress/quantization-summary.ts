import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { Layer } from '../layers/layer.js';
import { Model } from '../models/model.js';
import { checkInputs, layerCalls, LayerCalls, modelLayers } from './model-layers.js';
import { quantizeRecord } from './quantize.js';
import { isQuantizedLayer } from './quantized-any.js';

/** One layer of `quantizationSummary`. */
export interface QuantizationRow {
  layer: string;
  className: string;
  /** How the layer's kernel is stored: 'int8', 'float16', 'float32', or '-' for layers without weights. */
  dtype: string;
  /** Weight bytes in float32 and as stored now. */
  bytesBefore: number;
  bytesAfter: number;
  /** Largest |quantized − float| of this layer's output, both fed the float model's activations; null without data. */
  maxError: number | null;
}

/** What `quantizationSummary` returns. */
export interface QuantizationSummary {
  rows: QuantizationRow[];
  bytesBefore: number;
  bytesAfter: number;
  /** Largest |quantized − float| of the whole model's output on the data; null without data. */
  outputError: number | null;
  /** The rows as a printable table. */
  table: string;
}

/** Largest absolute difference of two equal-size arrays. */
function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Largest |layer(input) − float output| over the float model's calls of the layer. */
function callError(l: Layer, calls: LayerCalls): number {
  return noGrad(() => Math.max(0, ...calls.inputs.map((input, i) => maxAbsDiff(l.apply(input, { training: false }).data, calls.outputs[i].data))));
}

function floatBytes(l: Layer): number {
  return isQuantizedLayer(l) ? l.floatBytes : 4 * l.namedWeights().reduce((n, w) => n + w.value.size, 0);
}

function storedBytes(l: Layer): number {
  return isQuantizedLayer(l) ? l.residentBytes : floatBytes(l);
}

/**
 * Per layer of a model made by `quantize`: the storage dtype, weight bytes before and after, and
 * the largest output error on `data` (default: the calibration data given to `quantize`), each
 * quantized layer fed the float model's own activations so errors do not compound.
 * @example console.log(quantizationSummary(quantize(model, 'int8'), { data: xTest }).table);
 */
export function quantizationSummary(model: Model, options: { data?: unknown } = {}): QuantizationSummary {
  checkOptionKeys(options, ['data'], 'quantizationSummary');
  const layers = modelLayers(model, 'quantizationSummary');
  const record = quantizeRecord(model);
  if (options.data !== undefined && record === undefined) {
    throw new ValueError(`quantizationSummary: model '${model.name}' was not made by quantize(), so there is no float model to measure errors against`);
  }
  const x = options.data !== undefined ? checkInputs(model, options.data, 'quantizationSummary: data') : (record?.calibration ?? null);
  // The float model's own activations: each quantized layer is fed them, so errors do not compound.
  const float = x !== null && record !== undefined ? layerCalls(record.original, x, 'quantizationSummary') : null;
  const rows = layers.map((l): QuantizationRow => {
    const hasWeights = l.namedWeights().length > 0;
    const calls = float?.calls.get(l.name);
    return {
      layer: l.name,
      className: l.className,
      dtype: isQuantizedLayer(l) ? l.mode : hasWeights ? 'float32' : '-',
      bytesBefore: floatBytes(l),
      bytesAfter: storedBytes(l),
      maxError: calls !== undefined && hasWeights ? callError(l, calls) : null,
    };
  });
  const outputError = float === null ? null : maxAbsDiff(noGrad(() => model.predict(x!) as Tensor).data, float.output.data);
  const bytesBefore = rows.reduce((n, r) => n + r.bytesBefore, 0);
  const bytesAfter = rows.reduce((n, r) => n + r.bytesAfter, 0);
  return { rows, bytesBefore, bytesAfter, outputError, table: renderTable(rows, bytesBefore, bytesAfter, outputError) };
}

function renderTable(rows: QuantizationRow[], before: number, after: number, outputError: number | null): string {
  const fmt = (e: number | null): string => (e === null ? '-' : e.toExponential(2));
  const cells = [
    ['Layer', 'Class', 'Dtype', 'Bytes before', 'Bytes after', 'Max error'],
    ...rows.map((r) => [r.layer, r.className, r.dtype, String(r.bytesBefore), String(r.bytesAfter), fmt(r.maxError)]),
    ['Total', '', '', String(before), String(after), fmt(outputError)],
  ];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]): string => row.map((v, c) => (c >= 3 ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ');
  const rule = '-'.repeat(line(cells[0]).length);
  return [line(cells[0]), rule, ...cells.slice(1, -1).map(line), rule, line(cells[cells.length - 1])].join('\n');
}
