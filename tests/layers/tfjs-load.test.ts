import { describe, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { ELU, LeakyReLU, ReLU, Softmax, ThresholdedReLU } from '../../src/layers/activations/simple-activations.js';
import { PReLU } from '../../src/layers/activations/prelu.js';
import { AlphaDropout, GaussianDropout, GaussianNoise } from '../../src/layers/regularization/noise-layers.js';
import { Rescaling } from '../../src/layers/preprocessing/image-preprocessing.js';
import { l1l2, l2 } from '../../src/regularizers/regularizers.js';
import { maxNorm, nonNeg } from '../../src/constraints/constraints.js';
import { loadModel } from '../../src/models/load-model.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu } from '../helpers/tf.js';
import { cleanUpDirs, freshDir, loadInTf, predictWith, randomizeWeights, tfPredict } from '../io/tf-files.js';
import { expectRelClose } from './tf-compare.js';

cleanUpDirs();

describe('files TF.js loads', () => {
  // (TF.js 4.22 has no SpatialDropout2D class and refuses to run a layer with an activity regularizer;
  // those configs' round trips are in their own tests.)
  it('activation, noise and rescaling layers and regularized / constrained weights: TF.js loads the model and predicts alike; loadModel restores it', async () => {
    const tf = await tfCpu();
    const model = new Sequential([
      new Rescaling(0.5, { offset: 0.1, inputShape: [6, 6, 2] }),
      new GaussianNoise(0.1),
      new Conv2D(4, 3, { kernelRegularizer: l2(0.01), biasConstraint: nonNeg() }),
      new PReLU({ sharedAxes: [1, 2] }),
      new ReLU({ maxValue: 2 }),
      new Flatten(),
      new GaussianDropout(0.1),
      new Dense(8, { kernelRegularizer: l1l2({ l1: 0.01, l2: 0.02 }), kernelConstraint: maxNorm({ maxValue: 3 }) }),
      new LeakyReLU({ negativeSlope: 0.1 }),
      new AlphaDropout(0.1),
      new ELU(),
      new Dense(5),
      new ThresholdedReLU({ theta: 0.1 }),
      new Softmax(),
    ]);
    const x = seededTensor([3, 6, 6, 2], 1);
    model.predict(x);
    randomizeWeights(model, 10);
    const dir = freshDir();
    await model.save(dir);
    const theirs = await loadInTf(dir);
    expectRelClose(tfPredict(tf, theirs, x), predictWith(model, x).data, 1e-4, 'TF.js prediction');
    const again = await loadModel(dir);
    expectClose(predictWith(again, x), predictWith(model, x), { rtol: 1e-6, atol: 1e-7 });
  });
});
