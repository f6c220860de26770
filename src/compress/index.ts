// Compression tools: quantization, pruning, distillation (re-exports).
export { quantize, isQuantizable } from './quantize.js';
export type { QuantizeOptions } from './quantize.js';
export { quantizationSummary } from './quantization-summary.js';
export type { QuantizationRow, QuantizationSummary } from './quantization-summary.js';
export { QuantizedDense } from './quantized-dense.js';
export type { QuantizedDenseOptions } from './quantized-dense.js';
export { QuantizedConv2D } from './quantized-conv2d.js';
export type { QuantizedConv2DOptions } from './quantized-conv2d.js';
export { QuantizedLayer } from './quantized-layer.js';
export type { QuantizedOptions } from './quantized-layer.js';
export type { QuantizationMode } from './quantized-kernel.js';
export { saveQuantized, loadQuantized, quantizedToArtifacts, quantizedFromArtifacts } from './quantized-io.js';
export type { SaveQuantizedOptions, QuantizedFormat } from './quantized-io.js';
export { prune, stripPruning, pruningSummary, magnitudeMask, UpdatePruningStep } from './prune.js';
export type { PruneOptions, PruningRow } from './prune.js';
export { polynomialDecay, constantSparsity } from './pruning-schedule.js';
export type { PruningSchedule, PolynomialDecayOptions, ConstantSparsityOptions } from './pruning-schedule.js';
