import { describe, it } from 'vitest';
import { Adam } from '../../src/optimizers/adam.js';
import { fit } from '../../src/training/fit.js';
import { resolveCompile } from '../../src/training/compile.js';
import { expectClose } from '../helpers/close.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { LinearModel, seedData } from './linear-model.js';

describe('the fit loop against TF.js', () => {
  it('logistic regression, BCE + Adam, mini-batches in order: same weights and losses as tf.LayersModel.fit after 5 epochs', async () => {
    const tf = await tfCpu();
    const { x, y } = seedData(40, 11);
    const w0 = [0.3, -0.2];
    const b0 = 0.1;

    const model = new LinearModel(2, { w: w0, b: b0 });
    const compiled = resolveCompile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy' });
    const ours = await fit(model, compiled, x, y, { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 }, { write: () => {}, isTTY: false, clock: () => 0 });

    const ref = tf.sequential({ layers: [tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
    ref.setWeights([tf.tensor2d(w0, [2, 1]), tf.tensor1d([b0])]);
    // ε passed explicitly; TF.js applies it to the bias-corrected sqrt(v̂) rather than Keras's sqrt(v) (see the optimizer tests).
    ref.compile({ optimizer: tf.train.adam(0.05, 0.9, 0.999, 1e-7), loss: 'binaryCrossentropy' });
    const theirs = await ref.fit(tf.tensor2d(x), tf.tensor2d(y, [40, 1]), { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 });

    expectClose(ours.history.loss, theirs.history.loss as number[], { rtol: 1e-4 });
    const [kernel, bias] = ref.getWeights();
    expectClose(model.w.data, tfData(kernel), { rtol: 1e-4, atol: 1e-6 });
    expectClose(model.b.data, tfData(bias), { rtol: 1e-4, atol: 1e-6 });
  });
});
