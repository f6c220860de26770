import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Reshape } from '../../src/layers/reshaping/reshape.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../../src/layers/pooling/global-pooling2d.js';
import { LayerNormalization } from '../../src/layers/normalization/layer-normalization.js';
import { Model } from '../../src/models/model.js';
import { Input } from '../../src/layers/input-layer.js';
import { Concatenate } from '../../src/layers/merge/concatenate.js';
import { Dot } from '../../src/layers/merge/dot.js';
import { quantize } from '../../src/compress/quantize.js';
import { setSeed } from '../../src/util/random.js';
import { toOnnx } from '../../src/export/export-onnx.js';
import { expectOrtMatches, inputsFor } from './ort-helper.js';

describe('exportOnnx across opsets (reduction axes as attribute before 18 and input after; Gelu from 20)', () => {
  it('the same model matches predict at opsets 13, 17, 18, 20 and 21', async () => {
    setSeed(1);
    const x = Input({ shape: [4, 4, 2] });
    const avg = new GlobalAveragePooling2D().apply(x);
    const max = new GlobalMaxPooling2D().apply(x);
    const h = new Concatenate().apply([new Dense(3, { activation: 'gelu' }).apply(avg), new Dense(3, { activation: 'gelu_new' }).apply(max)]);
    const cos = new Dot({ axes: 1, normalize: true }).apply([h, new Dense(6, { activation: 'swish' }).apply(avg)]);
    const m = new Model({ inputs: x, outputs: [h, cos] });
    const q = quantize(new Sequential([new Conv2D(2, 2, { inputShape: [4, 4, 2] }), new Reshape([18]), new Dense(2)]), 'int8');
    for (const opset of [13, 17, 18, 20, 21]) {
      await expectOrtMatches(m, (n) => inputsFor(m, n), { options: { opset }, rtol: 1e-4 });
      await expectOrtMatches(q, (n) => inputsFor(q, n), { options: { opset }, rtol: 1e-4 });
    }
    const ln = new Sequential([new LayerNormalization({ inputShape: [3] })]);
    await expectOrtMatches(ln, (n) => inputsFor(ln, n), { options: { opset: 21 } });
    expect(() => toOnnx(ln, { opset: 13 })).toThrow(/layer 'layer_normalization.*' needs the ONNX operator LayerNormalization, which needs opset 17 or newer; the export asked for opset 13/);
  });
});
