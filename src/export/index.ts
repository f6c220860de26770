export { exportOnnx, toOnnx } from './export-onnx.js';
export type { OnnxExportOptions } from './export-onnx.js';
export { OnnxExportError } from './builder.js';
