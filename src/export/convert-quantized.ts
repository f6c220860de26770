// The int8 layers of src/compress. The kernel stays int8 in the file, and the input is quantized as
// neurite does at run time: q = clip(round(x·s), −127, 127) with s = 127 / (max|x| + 1e-7) per row
// (Dense) or per image (Conv2D), or the calibrated inputScale; ONNX Round rounds half to even, as
// neurite does. Dense runs the real int8 product (MatMulInteger, int32 accumulation, then
// acc · (1/s) · (1/scale) + b, exactly neurite's arithmetic). Conv2D dequantizes its kernel with a
// per-channel DequantizeLinear and convolves the quantized-then-restored input. (A DequantizeLinear
// feeding a MatMul is NOT used: ONNX Runtime's extended optimizations rewrite that pair into its own
// dynamic uint8 quantization, which rounds differently.) float16 layers export their kernel as float32.
import { attr, OnnxBuilder } from './builder.js';
import { ConvertArgs, Converter, namedWeightsOf } from './converter.js';
import { emitConv, kernelToOnnx } from './convert-conv.js';
import { withActivation } from './convert-core.js';
import { reduce } from './ops.js';
import { DataType } from './onnx-proto.js';

/** x on the int8 grid, q = clip(round(x·s), −127, 127) as float values, and its scale s. */
function quantizeInput(a: ConvertArgs, x: string, axes: number[]): { q: string; s: string } {
  const { b } = a;
  const calibrated = a.config.input_scale;
  // 7-bit activation levels (activation_bits 7, for the relaxed int8 dot product) clip at ±63.
  const top = a.config.activation_bits === 7 ? 63 : 127;
  const s =
    typeof calibrated === 'number'
      ? b.scalar('input_scale', calibrated)
      : b.op1('Div', [b.scalar('q_max', top), b.op1('Add', [reduce(b, 'ReduceMax', b.op1('Abs', [x]), axes, true), b.scalar('eps', 1e-7)])]);
  const q = b.op1('Clip', [b.op1('Round', [b.op1('Mul', [x, s])]), b.scalar('q_min', -top), b.scalar('q_max', top)]);
  return { q, s };
}

/** x quantized to the int8 grid and back: round(x·s) / s. */
function fakeQuantizeInput(a: ConvertArgs, x: string, axes: number[]): string {
  const { q, s } = quantizeInput(a, x, axes);
  return a.b.op1('Div', [q, s]);
}

/** An int8 kernel (values given as floats) dequantized per output channel along `axis`: w = q · (1/scale). */
function dequantizedKernel(b: OnnxBuilder, values: Float32Array, dims: number[], scales: Float32Array, axis: number): string {
  const q = b.int8s('kernel_int8', Int8Array.from(values), dims);
  const inv = Float32Array.from(scales, (s) => 1 / s);
  const zero = b.int8s('kernel_zero_point', new Int8Array(scales.length), [scales.length]);
  return b.op1('DequantizeLinear', [q, b.floats('kernel_scale', inv, [scales.length]), zero], { axis: attr.i(axis) });
}

const quantizedDense: Converter = (a) => {
  const { b } = a;
  const w = namedWeightsOf(a);
  const kernel = w.get('kernel')!;
  const bias = w.get('bias');
  let y: string;
  if (a.config.quantization_mode === 'int8') {
    const { q, s } = quantizeInput(a, a.inputs[0], [-1]);
    const xq = b.op1('Cast', [q], { to: attr.i(DataType.INT8) });
    const acc = b.op1('MatMulInteger', [xq, b.int8s('kernel_int8', Int8Array.from(kernel.data), kernel.shape)]);
    const inv = Float32Array.from(w.get('kernel_scale')!.data, (v) => 1 / v);
    const perRow = b.op1('Mul', [b.op1('Reciprocal', [s]), b.floats('inverse_kernel_scale', inv, [inv.length])]);
    y = b.op1('Mul', [b.op1('Cast', [acc], { to: attr.i(DataType.FLOAT) }), perRow]);
  } else y = b.op1('MatMul', [a.inputs[0], b.floats('kernel', kernel.data, kernel.shape)]);
  if (bias !== undefined) y = b.op1('Add', [y, b.floats('bias', bias.data, bias.shape)]);
  return [withActivation(a, y)];
};

const quantizedConv2D: Converter = (a) => {
  const { b } = a;
  const w = namedWeightsOf(a);
  const kernel = w.get('kernel')!;
  const bias = w.get('bias');
  const k = kernelToOnnx(kernel.data, kernel.shape, 2);
  const biasName = bias === undefined ? undefined : b.floats('bias', bias.data, bias.shape);
  if (a.config.quantization_mode !== 'int8') return [emitConv(a, { spatial: 2, kernel: k, bias: biasName, group: 1 })];
  const kernelName = dequantizedKernel(b, k.data, k.dims, w.get('kernel_scale')!.data, 0);
  const x = fakeQuantizeInput(a, a.inputs[0], [1, 2, 3]);
  return [emitConv(a, { spatial: 2, kernel: k, kernelName, bias: biasName, group: 1 }, x)];
};

/** Converters for the quantized layers, by class name. */
export const quantizedConverters: Record<string, Converter> = {
  QuantizedDense: quantizedDense,
  QuantizedConv2D: quantizedConv2D,
};
