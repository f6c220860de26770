import { registerLayer } from '../layers/serialization.js';
import { QuantizedConv2D } from './quantized-conv2d.js';
import { QuantizedDense } from './quantized-dense.js';
import { QuantizedGRU, QuantizedLSTM, QuantizedSimpleRNN } from './quantized-rnn.js';

// The quantized layers join the layer registry as any registered class does, so `layerFromConfig`,
// `loadModel` and `modelFromArtifacts` rebuild them from a model.json (Sequential or functional).
// Imported for its effect by the compress tools and the package index.
registerLayer(QuantizedDense);
registerLayer(QuantizedConv2D);
registerLayer(QuantizedSimpleRNN);
registerLayer(QuantizedLSTM);
registerLayer(QuantizedGRU);
