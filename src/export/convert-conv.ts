// Convolutions. ONNX Conv / ConvTranspose are channels-first, so each layer is wrapped in Transposes:
// NHWC → NCHW, the op, NCHW → NHWC. Keras kernels are re-laid out to ONNX's [out, in/group, kh, kw].
// ONNX Runtime's transpose optimizer cancels the back-to-back Transposes between consecutive layers.
import { attr, OnnxBuilder } from './builder.js';
import { cfgInts, ConvertArgs, Converter, unsupported, weightsOf } from './converter.js';
import { withActivation } from './convert-core.js';
import { toChannelsFirst, toChannelsLast } from './ops.js';

/** Re-lays a Keras kernel [...k, in, out] out as ONNX's [out, in, ...k] (`spatial` = number of k axes). */
export function kernelToOnnx(data: Float32Array, shape: readonly number[], spatial: number): { data: Float32Array; dims: number[] } {
  const k = shape.slice(0, spatial).reduce((p, d) => p * d, 1);
  const inC = shape[spatial];
  const outC = shape[spatial + 1];
  const out = new Float32Array(data.length);
  for (let s = 0; s < k; s++) for (let i = 0; i < inC; i++) for (let o = 0; o < outC; o++) out[(o * inC + i) * k + s] = data[(s * inC + i) * outC + o];
  return { data: out, dims: [outC, inC, ...shape.slice(0, spatial)] };
}

/** A depthwise kernel [...k, in, mult] as ONNX's grouped [in·mult, 1, ...k]: output channel c·mult + m, as Keras orders them. */
function depthwiseToOnnx(data: Float32Array, shape: readonly number[], spatial: number): { data: Float32Array; dims: number[] } {
  const k = shape.slice(0, spatial).reduce((p, d) => p * d, 1);
  const inC = shape[spatial];
  const mult = shape[spatial + 1];
  const out = new Float32Array(data.length);
  for (let s = 0; s < k; s++) for (let c = 0; c < inC; c++) for (let m = 0; m < mult; m++) out[(c * mult + m) * k + s] = data[(s * inC + c) * mult + m];
  return { data: out, dims: [inC * mult, 1, ...shape.slice(0, spatial)] };
}

/** Padding attributes: TF's 'same' puts the odd pixel at the end, which is ONNX's SAME_UPPER. */
export function padAttrs(padding: string, spatial: number): Record<string, ReturnType<typeof attr.s>> {
  if (padding === 'same') return { auto_pad: attr.s('SAME_UPPER') };
  return { pads: attr.ints(new Array(2 * spatial).fill(0)) };
}

/** What `emitConv` needs; `kernelName` is an already-made ONNX kernel (quantized layers dequantize theirs). */
export interface ConvSpec {
  spatial: number;
  kernel: { data: Float32Array; dims: number[] };
  kernelName?: string;
  bias: string | undefined;
  group: number;
  extraPads?: number[];
}

/** Transpose in, Conv, Transpose out, activation. */
export function emitConv(a: ConvertArgs, s: ConvSpec, x = a.inputs[0], act = true): string {
  const { b } = a;
  const rank = s.spatial + 2;
  const padding = String(a.config.padding);
  const pads = padding === 'causal' ? { pads: attr.ints(s.extraPads!) } : padAttrs(padding, s.spatial);
  const inputs = [toChannelsFirst(b, x, rank), s.kernelName ?? b.floats('kernel', s.kernel.data, s.kernel.dims)];
  if (s.bias !== undefined) inputs.push(s.bias);
  const y = b.op1('Conv', inputs, {
    ...pads,
    kernel_shape: attr.ints(s.kernel.dims.slice(2)),
    strides: attr.ints(cfgInts(a, 'strides', s.spatial)),
    dilations: attr.ints(cfgInts(a, 'dilation_rate', s.spatial)),
    group: attr.i(s.group),
  });
  const out = toChannelsLast(b, y, rank);
  return act ? withActivation(a, out) : out;
}

function biasOf(b: OnnxBuilder, w: { data: Float32Array; shape: number[] } | undefined): string | undefined {
  return w === undefined ? undefined : b.floats('bias', w.data, w.shape);
}

function convN(spatial: number): Converter {
  return (a) => {
    const [kernel, bias] = weightsOf(a);
    const k = kernelToOnnx(kernel.data, kernel.shape, spatial);
    // 'causal' (Conv1D): all of the (k − 1)·dilation padding goes before the sequence.
    const reach = (kernel.shape[0] - 1) * cfgInts(a, 'dilation_rate', spatial)[0];
    return [emitConv(a, { spatial, kernel: k, bias: biasOf(a.b, bias), group: 1, extraPads: [reach, 0] })];
  };
}

const depthwise: Converter = (a) => {
  const [kernel, bias] = weightsOf(a);
  const inC = kernel.shape[2];
  return [emitConv(a, { spatial: 2, kernel: depthwiseToOnnx(kernel.data, kernel.shape, 2), bias: biasOf(a.b, bias), group: inC })];
};

/** SeparableConv2D: a depthwise Conv (group = channels) and a 1×1 pointwise Conv carrying the bias. */
const separable: Converter = (a) => {
  const { b } = a;
  const [dw, pw, bias] = weightsOf(a);
  const mid = b.op1('Conv', [toChannelsFirst(b, a.inputs[0], 4), b.floats('depthwise_kernel', ...flat(depthwiseToOnnx(dw.data, dw.shape, 2)))], {
    ...padAttrs(String(a.config.padding), 2),
    kernel_shape: attr.ints(dw.shape.slice(0, 2)),
    strides: attr.ints(cfgInts(a, 'strides', 2)),
    dilations: attr.ints(cfgInts(a, 'dilation_rate', 2)),
    group: attr.i(dw.shape[2]),
  });
  const pk = kernelToOnnx(pw.data, pw.shape, 2);
  const inputs = [mid, b.floats('pointwise_kernel', pk.data, pk.dims)];
  const bb = biasOf(b, bias);
  if (bb !== undefined) inputs.push(bb);
  const y = b.op1('Conv', inputs, { kernel_shape: attr.ints([1, 1]) });
  return [withActivation(a, toChannelsLast(b, y, 4))];
};

function flat(k: { data: Float32Array; dims: number[] }): [Float32Array, number[]] {
  return [k.data, k.dims];
}

/**
 * Conv2DTranspose. Keras's kernel is [kh, kw, filters, in]; ONNX's ConvTranspose wants [in, filters, kh, kw].
 * Explicit pads from Keras's output size: out = in·s for 'same', in·s + max(k − s, 0) for 'valid'; the
 * full transposed output is (in − 1)·s + k, so 'same' crops (k − s) with the smaller half first (as the
 * forward conv's SAME padding puts the odd pixel last), and a kernel smaller than the stride needs
 * output_padding s − k at the end.
 */
const convTranspose: Converter = (a) => {
  const { b } = a;
  if (a.config.output_padding !== null && a.config.output_padding !== undefined) unsupported(a, 'outputPadding is not mapped');
  const [kernel, bias] = weightsOf(a);
  const [kh, kw, filters, inC] = kernel.shape;
  const w = new Float32Array(kernel.data.length);
  for (let i = 0; i < kh * kw; i++) for (let o = 0; o < filters; o++) for (let c = 0; c < inC; c++) w[(c * filters + o) * kh * kw + i] = kernel.data[(i * filters + o) * inC + c];
  const strides = cfgInts(a, 'strides', 2);
  const dil = cfgInts(a, 'dilation_rate', 2);
  const keff = [(kh - 1) * dil[0] + 1, (kw - 1) * dil[1] + 1];
  const same = a.config.padding === 'same';
  const begin = [0, 0];
  const end = [0, 0];
  const outPad = [0, 0];
  for (let d = 0; d < 2; d++) {
    const excess = keff[d] - strides[d];
    if (excess >= 0 && same) {
      begin[d] = Math.floor(excess / 2);
      end[d] = excess - begin[d];
    } else if (excess < 0) outPad[d] = -excess;
  }
  const inputs = [toChannelsFirst(b, a.inputs[0], 4), b.floats('kernel', w, [inC, filters, kh, kw])];
  const bb = biasOf(b, bias);
  if (bb !== undefined) inputs.push(bb);
  const y = b.op1('ConvTranspose', inputs, {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints(strides),
    dilations: attr.ints(dil),
    pads: attr.ints([...begin, ...end]),
    output_padding: attr.ints(outPad),
  });
  return [withActivation(a, toChannelsLast(b, y, 4))];
};

/** Converters for the convolution layers, by class name. */
export const convConverters: Record<string, Converter> = {
  Conv1D: convN(1),
  Conv2D: convN(2),
  DepthwiseConv2D: depthwise,
  SeparableConv2D: separable,
  Conv2DTranspose: convTranspose,
};
