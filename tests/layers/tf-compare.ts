import type * as tfTypes from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { backward } from '../../src/autograd/backward.js';
import { Layer } from '../../src/layers/layer.js';
import { expectClose } from '../helpers/close.js';
import { seededTensor } from '../helpers/seeded.js';
import { tfCpu, tfData } from '../helpers/tf.js';
import { probeWeights, weightedSum } from './harness.js';

/**
 * Elementwise relative closeness with a scale floor: |a − e| <= tol·(|e| + max|e|), so values near
 * zero are judged against the size of the whole array, as a relative error of the tensor.
 */
export function expectRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4, what = ''): void {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  try {
    expectClose(Array.from(actual), Array.from(expected), { rtol: tol, atol: tol * Math.max(scale, 1e-6) });
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Runs `ours` and the TF.js layer `theirs` (built with the same config) on the same input with the same
 * seeded random weights (set in ours, copied into theirs by `setWeights`, which checks order and shapes), then compares
 * the output and the gradients of a weighted sum of it with respect to the input and every weight.
 * `gradients: false` compares the output only, where TF.js's own gradient is missing or wrong.
 */
export async function compareWithTf(
  ours: Layer,
  theirs: tfTypes.layers.Layer,
  x: Tensor,
  { tol = 1e-4, gradients = true }: { tol?: number; gradients?: boolean } = {},
): Promise<void> {
  const tf = await tfCpu();
  const leaf = new Tensor(Float32Array.from(x.data), x.shape);
  leaf.requiresGrad = true;
  // Random weights (not the initializers' zeros and identities), the same on both sides.
  ours.ensureBuilt([...x.shape]);
  ours.setWeights(ours.getWeights().map((w, k) => seededTensor([...w.shape], 100 + k, -0.6, 0.6)));
  const y = ours.apply(leaf);
  const probe = probeWeights(y.size);
  backward(weightedSum(y, probe));

  const xTf = tf.variable(tf.tensor(Array.from(x.data), [...x.shape]));
  theirs.apply(xTf);
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
  const yTf = theirs.apply(xTf) as tfTypes.Tensor;
  expect(yTf.shape).toEqual([...y.shape]);
  expectRelClose(y.data, tfData(yTf), tol, `${ours.name} output`);
  if (!gradients) {
    for (const w of ours.trainableWeights) w.grad = null;
    return;
  }

  const probeTf = tf.tensor(Array.from(probe), yTf.shape);
  const tfWeights = theirs.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(theirs.apply(xTf) as tfTypes.Tensor, probeTf)) as tfTypes.Scalar, [xTf, ...tfWeights]);
  expectRelClose(leaf.grad!.data, tfData(grads[xTf.name]), tol, `${ours.name} input gradient`);
  const named = ours.namedWeights();
  expect(ours.trainableWeights.length).toBe(tfWeights.length);
  ours.trainableWeights.forEach((w, k) => {
    expectRelClose(w.grad!.data, tfData(grads[tfWeights[k].name]), tol, `${ours.name} gradient of ${named[k].name}`);
    w.grad = null;
  });
}
