import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Layer } from '../layers/layer.js';
import { Sequential } from '../models/sequential.js';
import { checkInputs, cloneLayer, layerInputs, rebuild, sequentialLayers } from './model-layers.js';
import { QuantizationMode, QUANT_EPSILON } from './quantized-kernel.js';
import { QuantizedConv2D } from './quantized-conv2d.js';
import { QuantizedDense } from './quantized-dense.js';
import { QuantizedLayer } from './quantized-layer.js';

/** Options of `quantize`. */
export interface QuantizeOptions {
  /** int8 only: sample inputs; each layer's input scale is then fixed from their abs-max instead of computed per row at run time. */
  calibration?: unknown;
  /** int8: one scale per output channel (default true) or one per kernel. */
  perChannel?: boolean;
}

/** What `quantize` remembers about a model it made, for `quantizationSummary`. */
export interface QuantizeRecord {
  original: Sequential;
  mode: QuantizationMode;
  calibration: Tensor | null;
  /** Layers with weights kept in float32 because their type has no quantized form. */
  keptFloat: string[];
}

const records = new WeakMap<Sequential, QuantizeRecord>();

/** The record of a model `quantize` returned, or undefined. */
export function quantizeRecord(model: Sequential): QuantizeRecord | undefined {
  return records.get(model);
}

/**
 * Whether `layer` has a quantized form.
 * @example
 * isQuantizable(new Dense(4)); // true
 * isQuantizable(new Flatten()); // false
 */
export function isQuantizable(layer: Layer): layer is Dense | Conv2D {
  return layer instanceof Dense || layer instanceof Conv2D;
}

/**
 * Post-training quantization of a built Sequential model: returns a NEW model in which every Dense
 * and Conv2D is replaced by its quantized twin (int8 kernel with a scale per output channel, int8
 * activations, int32 accumulation; or float16 storage); other layers are copied unchanged, and layers
 * with weights but no quantized form (RNNs …) stay float32 and are listed by `quantizationSummary`.
 * Unlike Keras 3's `model.quantize`, which mutates, the float model stays usable for comparison.
 * @example const q = quantize(model, 'int8'); q.predict(x);
 */
export function quantize(model: Sequential, mode: QuantizationMode, options: QuantizeOptions = {}): Sequential {
  checkOptionKeys(options, ['calibration', 'perChannel'], 'quantize');
  if (mode !== 'int8' && mode !== 'float16') throw new ValueError(`quantize: expected mode 'int8' or 'float16', received ${JSON.stringify(mode)}`);
  const { calibration, perChannel = true } = options;
  if (typeof perChannel !== 'boolean') throw new ValueError(`quantize: expected perChannel to be a boolean, received ${JSON.stringify(perChannel)}`);
  const layers = sequentialLayers(model, 'quantize');
  const done = layers.filter((l) => l instanceof QuantizedLayer).map((l) => `'${l.name}'`);
  if (done.length > 0) throw new ValueError(`quantize: model '${model.name}' is already quantized (layers ${done.join(', ')}); quantize the float model instead`);
  if (mode === 'float16' && calibration !== undefined) throw new ValueError("quantize: calibration applies to 'int8' only (float16 has no activation scales)");
  const seq = model as Sequential;
  const x = calibration === undefined ? null : checkInputs(seq, calibration, 'quantize: calibration');
  const inputs = x === null ? null : layerInputs(layers, x);
  const keptFloat: string[] = [];
  const out = layers.map((l, i) => {
    if (!isQuantizable(l)) {
      if (l.namedWeights().length > 0) keptFloat.push(`${l.name} (${l.className})`);
      return cloneLayer(l);
    }
    const inputScale = inputs === null ? null : calibratedScale(inputs[i], l.name);
    const settings = { perChannel, inputScale };
    return l instanceof Dense ? QuantizedDense.fromDense(l, mode, settings) : QuantizedConv2D.fromConv2D(l, mode, settings);
  });
  const q = rebuild(model, out);
  if (model.compileConfig !== null) {
    const { loss, metrics } = model.compileConfig;
    if (loss.id !== null) q.compile({ optimizer: 'sgd', loss: loss.id, metrics: metrics.filter((m) => m.kind !== null).map((m) => m.key) as never });
  }
  records.set(q, { original: seq, mode, calibration: x, keptFloat });
  return q;
}

/** 127 / max|x| over the calibration inputs of one layer (Keras's abs-max rule, fixed once). */
function calibratedScale(x: Tensor, name: string): number {
  let max = 0;
  for (const v of x.data) max = Math.max(max, Math.abs(v));
  if (!Number.isFinite(max)) throw new NeuriteError(`quantize: the calibration inputs of layer '${name}' contain NaN or Infinity`);
  return 127 / (max + QUANT_EPSILON);
}
