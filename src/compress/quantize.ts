import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Layer } from '../layers/layer.js';
import { Model } from '../models/model.js';
import { checkInputs, cloneLayer, layerCalls, modelLayers, rewriteModel } from './model-layers.js';
import { QuantizationMode, QUANT_EPSILON } from './quantized-kernel.js';
import { QuantizedConv2D } from './quantized-conv2d.js';
import { QuantizedDense } from './quantized-dense.js';
import { isQuantizedLayer } from './quantized-any.js';
import { isQuantizableRecurrent, QuantizedRNN } from './quantized-rnn.js';

/** Options of `quantize`. */
export interface QuantizeOptions {
  /** int8 only: sample inputs; each layer's input scale is then fixed from their abs-max instead of computed per row at run time. */
  calibration?: unknown;
  /** int8: one scale per output channel (default true) or one per kernel. */
  perChannel?: boolean;
  /**
   * int8 Dense / Conv2D: activation levels, 8 (default, ±127 as Keras) or 7 (±63): what WebAssembly's
   * relaxed int8 dot product needs (one operand 7-bit), so those layers run it where the runtime has
   * it; every path computes the same integers. Recurrent layers keep 8 bits.
   */
  activationBits?: 7 | 8;
}

/** What `quantize` remembers about a model it made, for `quantizationSummary`. */
export interface QuantizeRecord {
  original: Model;
  mode: QuantizationMode;
  calibration: Tensor | null;
  /** Layers with weights kept in float32 because their type has no quantized form. */
  keptFloat: string[];
}

const records = new WeakMap<Model, QuantizeRecord>();

/** The record of a model `quantize` returned, or undefined. */
export function quantizeRecord(model: Model): QuantizeRecord | undefined {
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
 * Post-training quantization of a built Sequential or functional model: returns a NEW model of the
 * same kind (a functional graph keeps its wiring) in which every Dense, Conv2D, SimpleRNN, LSTM and
 * GRU is replaced by its quantized twin (int8 kernels with a scale per output channel, int8
 * activations, int32 accumulation; or float16 storage; an RNN's kernel and recurrent kernel both);
 * other layers are copied unchanged, and layers with weights but no quantized form (Embedding,
 * BatchNormalization, Bidirectional …) stay float32 and are listed by `quantizationSummary`.
 * With calibration, an RNN's step inputs get the calibrated scale; its state h keeps a per-row dynamic scale.
 * Unlike Keras 3's `model.quantize`, which mutates, the float model stays usable for comparison.
 * @example const q = quantize(model, 'int8'); q.predict(x);
 */
export function quantize<M extends Model>(model: M, mode: QuantizationMode, options: QuantizeOptions = {}): M {
  checkOptionKeys(options, ['calibration', 'perChannel', 'activationBits'], 'quantize');
  if (mode !== 'int8' && mode !== 'float16') throw new ValueError(`quantize: expected mode 'int8' or 'float16', received ${JSON.stringify(mode)}`);
  const { calibration, perChannel = true, activationBits = 8 } = options;
  if (activationBits !== 7 && activationBits !== 8) throw new ValueError(`quantize: expected activationBits 7 or 8, received ${JSON.stringify(activationBits)}`);
  if (mode === 'float16' && activationBits !== 8) throw new ValueError("quantize: activationBits applies to 'int8' only");
  if (typeof perChannel !== 'boolean') throw new ValueError(`quantize: expected perChannel to be a boolean, received ${JSON.stringify(perChannel)}`);
  const layers = modelLayers(model, 'quantize');
  const done = layers.filter(isQuantizedLayer).map((l) => `'${l.name}'`);
  if (done.length > 0) throw new ValueError(`quantize: model '${model.name}' is already quantized (layers ${done.join(', ')}); quantize the float model instead`);
  if (mode === 'float16' && calibration !== undefined) throw new ValueError("quantize: calibration applies to 'int8' only (float16 has no activation scales)");
  const x = calibration === undefined ? null : checkInputs(model, calibration, 'quantize: calibration');
  const calls = x === null ? null : layerCalls(model, x, 'quantize').calls;
  const keptFloat: string[] = [];
  const hasQuantizedForm = (l: Layer): boolean => isQuantizable(l) || isQuantizableRecurrent(l);
  for (const l of layers) if (!hasQuantizedForm(l) && l.namedWeights().length > 0) keptFloat.push(`${l.name} (${l.className})`);
  const q = rewriteModel(model, (l) => {
    if (!hasQuantizedForm(l)) return cloneLayer(l);
    const bits = isQuantizableRecurrent(l) ? 8 : activationBits;
    const inputScale = calls === null || mode !== 'int8' ? null : calibratedScale(calls.get(l.name)?.inputs ?? [], l.name, bits === 7 ? 63 : 127);
    if (isQuantizableRecurrent(l)) return QuantizedRNN.fromRecurrent(l, mode, { perChannel, inputScale });
    const settings = { perChannel, inputScale, activationBits: bits };
    return l instanceof Dense ? QuantizedDense.fromDense(l, mode, settings) : QuantizedConv2D.fromConv2D(l as Conv2D, mode, settings);
  }, 'quantize');
  if (model.compileConfig !== null) {
    const { loss, metrics } = model.compileConfig;
    if (loss.id !== null) q.compile({ optimizer: 'sgd', loss: loss.id, metrics: metrics.filter((m) => m.kind !== null).map((m) => m.key) as never });
  }
  records.set(q, { original: model, mode, calibration: x, keptFloat });
  return q as M;
}

/** 127 / max|x| over the calibration inputs of one layer, all its calls (Keras's abs-max rule, fixed once). */
function calibratedScale(xs: Tensor[], name: string, top: number): number {
  let max = 0;
  for (const x of xs) for (const v of x.data) max = Math.max(max, Math.abs(v));
  if (!Number.isFinite(max)) throw new NeuriteError(`quantize: the calibration inputs of layer '${name}' contain NaN or Infinity`);
  return top / (max + QUANT_EPSILON);
}
