import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { Layer } from '../layers/layer.js';
import { Sequential } from '../models/sequential.js';
import { checkInputs, layerInputs, sequentialLayers } from './model-layers.js';
import { quantizeRecord } from './quantize.js';
import { QuantizedLayer } from './quantized-layer.js';

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

function floatBytes(l: Layer): number {
  return l instanceof QuantizedLayer ? l.floatBytes : 4 * l.namedWeights().reduce((n, w) => n + w.value.size, 0);
}

function storedBytes(l: Layer): number {
  return l instanceof QuantizedLayer ? l.residentBytes : floatBytes(l);
}

/**
 * Per layer of a model made by `quantize`: the storage dtype, weight bytes before and after, and
 * the largest output error on `data` (default: the calibration data given to `quantize`), each
 * quantized layer fed the float model's own activations so errors do not compound.
 * @example console.log(quantizationSummary(quantize(model, 'int8'), { data: xTest }).table);
 */
export function quantizationSummary(model: Sequential, options: { data?: unknown } = {}): QuantizationSummary {
  checkOptionKeys(options, ['data'], 'quantizationSummary');
  const layers = sequentialLayers(model, 'quantizationSummary');
  const record = quantizeRecord(model);
  if (options.data !== undefined && record === undefined) {
    throw new ValueError(`quantizationSummary: model '${model.name}' was not made by quantize(), so there is no float model to measure errors against`);
  }
  const x = options.data !== undefined ? checkInputs(model, options.data, 'quantizationSummary: data') : (record?.calibration ?? null);
  let floatActs: Tensor[] | null = null;
  if (x !== null && record !== undefined) floatActs = layerInputs(record.original.layers, x);
  const rows = layers.map((l, i): QuantizationRow => {
    const hasWeights = l.namedWeights().length > 0;
    let maxError: number | null = null;
    if (floatActs !== null && hasWeights) maxError = noGrad(() => maxAbsDiff(l.apply(floatActs![i], { training: false }).data, floatActs![i + 1].data));
    return {
      layer: l.name,
      className: l.className,
      dtype: l instanceof QuantizedLayer ? l.mode : hasWeights ? 'float32' : '-',
      bytesBefore: floatBytes(l),
      bytesAfter: storedBytes(l),
      maxError,
    };
  });
  const outputError = floatActs === null ? null : maxAbsDiff(model.predict(x!).data, floatActs[floatActs.length - 1].data);
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
