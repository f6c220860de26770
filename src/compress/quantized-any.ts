import { Layer } from '../layers/layer.js';
import { QuantizedConv2D } from './quantized-conv2d.js';
import { QuantizedDense } from './quantized-dense.js';
import { QuantizedLayer } from './quantized-layer.js';
import { QuantizedRNN } from './quantized-rnn.js';

/** Any layer `quantize` makes: its mode, resident and float bytes, and the float layer it stands for. */
export type AnyQuantized = QuantizedDense | QuantizedConv2D | QuantizedRNN;

/**
 * Whether `layer` is one of the quantized layers (Dense, Conv2D, or a recurrent one).
 * @example quantize(model, 'int8').layers.filter(isQuantizedLayer).map((l) => l.name); // the layers now int8
 */
export function isQuantizedLayer(layer: Layer): layer is AnyQuantized {
  return layer instanceof QuantizedLayer || layer instanceof QuantizedRNN;
}
