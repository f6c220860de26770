// Pooling, padding, cropping and up-sampling. Windowed pooling runs channels-first between
// Transposes (as the convolutions); the rest works on the channels-last tensor directly.
import { attr } from './builder.js';
import type { OnnxAttribute } from './onnx-proto.js';
import { cfgInts, ConvertArgs, Converter, unsupported } from './converter.js';
import { padAttrs } from './convert-conv.js';
import { reduce, toChannelsFirst, toChannelsLast } from './ops.js';

/** MaxPool / AveragePool over `spatial` axes; average pooling with 'same' counts only real pixels (TF). */
function pool(op: 'MaxPool' | 'AveragePool', spatial: number): Converter {
  return (a) => {
    const { b } = a;
    const rank = spatial + 2;
    const attrs = { ...padAttrs(String(a.config.padding), spatial), kernel_shape: attr.ints(cfgInts(a, 'pool_size', spatial)), strides: attr.ints(cfgInts(a, 'strides', spatial)) };
    const y = b.op1(op, [toChannelsFirst(b, a.inputs[0], rank)], op === 'AveragePool' ? { ...attrs, count_include_pad: attr.i(0) } : attrs);
    return [toChannelsLast(b, y, rank)];
  };
}

/** Global pooling: a reduction over the spatial axes of the channels-last tensor. */
function globalPool(op: 'ReduceMean' | 'ReduceMax', spatial: number): Converter {
  return (a) => {
    const mask = a.masks[0] ?? null;
    const keep = a.config.keepdims === true;
    if (mask === null || op === 'ReduceMax') return [reduce(a.b, op, a.inputs[0], Array.from({ length: spatial }, (_, k) => k + 1), keep)];
    // GlobalAveragePooling1D with a mask: the mean over kept steps, Σ x·m / Σ m.
    const { b } = a;
    const m = b.op1('Unsqueeze', [mask, b.int64s('axes', [-1])]);
    return [b.op1('Div', [reduce(b, 'ReduceSum', b.op1('Mul', [a.inputs[0], m]), [1], keep), reduce(b, 'ReduceSum', m, [1], keep)])];
  };
}

/** [[top, bottom], [left, right]] or [left, right] as per-axis (before, after) pairs. */
function pairs(a: ConvertArgs, key: string, spatial: number): [number, number][] {
  const v = a.config[key];
  if (spatial === 1) {
    const p = cfgInts(a, key, 2);
    return [[p[0], p[1]]];
  }
  return (v as [number, number][]).map((p) => [p[0], p[1]]);
}

function zeroPadding(spatial: number): Converter {
  return (a) => {
    const p = pairs(a, 'padding', spatial);
    const pads = [0, ...p.map((q) => q[0]), 0, 0, ...p.map((q) => q[1]), 0];
    return [a.b.op1('Pad', [a.inputs[0], a.b.int64s('pads', pads)], { mode: attr.s('constant') })];
  };
}

function cropping(spatial: number): Converter {
  return (a) => {
    const p = pairs(a, 'cropping', spatial);
    const shape = a.inputShapes[0];
    const ends = p.map((q, k) => {
      const size = shape[k + 1];
      if (size === null) unsupported(a, 'cropping an axis of unknown size');
      return size - q[1];
    });
    const axes = p.map((_, k) => k + 1);
    return [a.b.op1('Slice', [a.inputs[0], a.b.int64s('starts', p.map((q) => q[0])), a.b.int64s('ends', ends), a.b.int64s('axes', axes)])];
  };
}

/** UpSampling: nearest repeats each pixel (Resize asymmetric/floor); bilinear is TF's half-pixel resize. */
function upSampling(spatial: number): Converter {
  return (a) => {
    const { b } = a;
    const size = cfgInts(a, 'size', spatial);
    const bilinear = a.config.interpolation === 'bilinear';
    if (a.config.interpolation !== undefined && a.config.interpolation !== 'nearest' && !bilinear) unsupported(a, `interpolation '${String(a.config.interpolation)}'`);
    const scales = b.floats('scales', [1, ...size, 1], [spatial + 2]);
    const attrs: Record<string, OnnxAttribute> = bilinear
      ? { mode: attr.s('linear'), coordinate_transformation_mode: attr.s('half_pixel') }
      : { mode: attr.s('nearest'), coordinate_transformation_mode: attr.s('asymmetric'), nearest_mode: attr.s('floor') };
    return [b.op1('Resize', [a.inputs[0], '', scales], attrs)];
  };
}

/**
 * Resizing to [height, width] with TF 2's half-pixel centers: bilinear is ONNX's linear / half_pixel;
 * nearest picks ⌊(o + ½)·in/out⌋, which is ONNX's half_pixel with round_prefer_ceil. The output size
 * is given as `sizes` (batch and channels read at run time), so no scale is rounded.
 */
const resizing: Converter = (a) => {
  const { b } = a;
  if (a.config.crop_to_aspect_ratio === true) unsupported(a, 'cropToAspectRatio');
  const nearest = a.config.interpolation === 'nearest';
  const shape = b.op1('Shape', [a.inputs[0]]);
  const slice = (from: number, to: number): string => b.op1('Slice', [shape, b.int64s('starts', [from]), b.int64s('ends', [to])]);
  const sizes = b.op1('Concat', [slice(0, 1), b.int64s('size', [a.config.height as number, a.config.width as number]), slice(3, 4)], { axis: attr.i(0) });
  const attrs: Record<string, OnnxAttribute> = nearest
    ? { mode: attr.s('nearest'), coordinate_transformation_mode: attr.s('half_pixel'), nearest_mode: attr.s('round_prefer_ceil') }
    : { mode: attr.s('linear'), coordinate_transformation_mode: attr.s('half_pixel') };
  return [b.op1('Resize', [a.inputs[0], '', '', sizes], attrs)];
};

/** Converters for pooling, padding, cropping and up-sampling layers, by class name. */
export const poolConverters: Record<string, Converter> = {
  MaxPooling1D: pool('MaxPool', 1),
  MaxPooling2D: pool('MaxPool', 2),
  AveragePooling1D: pool('AveragePool', 1),
  AveragePooling2D: pool('AveragePool', 2),
  GlobalAveragePooling1D: globalPool('ReduceMean', 1),
  GlobalAveragePooling2D: globalPool('ReduceMean', 2),
  GlobalMaxPooling1D: globalPool('ReduceMax', 1),
  GlobalMaxPooling2D: globalPool('ReduceMax', 2),
  ZeroPadding1D: zeroPadding(1),
  ZeroPadding2D: zeroPadding(2),
  Cropping1D: cropping(1),
  Cropping2D: cropping(2),
  UpSampling1D: upSampling(1),
  UpSampling2D: upSampling(2),
  Resizing: resizing,
};
