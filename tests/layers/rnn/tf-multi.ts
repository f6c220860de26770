import type * as tfTypes from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { add } from '../../../src/ops/arithmetic.js';
import { backward } from '../../../src/autograd/backward.js';
import { Layer } from '../../../src/layers/layer.js';
import { seededTensor } from '../../helpers/seeded.js';
import { tfCpu, tfData } from '../../helpers/tf.js';
import { probeWeights, weightedSum } from '../harness.js';
import { expectRelClose } from '../tf-compare.js';

/** A leaf copy that records gradients. */
function leafOf(t: Tensor): Tensor {
  const leaf = new Tensor(Float32Array.from(t.data), t.shape);
  leaf.requiresGrad = true;
  return leaf;
}

/**
 * As `compareWithTf`, for layers with several outputs (returnState, mergeMode null) and with an
 * initial state and a mask: the same seeded weights on both sides, every output compared, then the
 * gradients of Σ_k Σ(y_k · p_k) with respect to the input, the initial states and every weight.
 * `tfStateOrder[j]` is the index in our state list of TF.js's state j (TF.js lists stacked cells' states last cell first).
 */
export async function compareMultiWithTf(
  ours: Layer,
  theirs: tfTypes.layers.Layer,
  x: Tensor,
  {
    initialState,
    mask,
    tol = 1e-4,
    weightSeed = 100,
    tfStateOrder,
  }: { initialState?: Tensor[]; mask?: Tensor; tol?: number; weightSeed?: number; tfStateOrder?: number[] } = {},
): Promise<Tensor[]> {
  const tf = await tfCpu();
  ours.ensureBuilt([...x.shape]);
  ours.setWeights(ours.getWeights().map((w, k) => seededTensor([...w.shape], weightSeed + k, -0.6, 0.6)));
  const xLeaf = leafOf(x);
  const stateLeaves = initialState?.map(leafOf);
  const ys = ours.applyMulti(xLeaf, { initialState: stateLeaves, mask });
  const probes = ys.map((y, k) => probeWeights(y.size, 11 + k));
  backward(ys.map((y, k) => weightedSum(y, probes[k])).reduce((a, b) => add(a, b)));

  const xTf = tf.variable(tf.tensor(Array.from(x.data), [...x.shape]));
  const order = tfStateOrder ?? initialState?.map((_, i) => i) ?? [];
  const statesTf = initialState === undefined ? undefined : order.map((i) => tf.variable(tf.tensor(Array.from(initialState[i].data), [...initialState[i].shape])));
  // Our output k is TF.js's output tfIndex(k): the states permuted, the outputs before them in place.
  const firstState = ys.length - order.length;
  const tfIndex = (k: number): number => (k < firstState || tfStateOrder === undefined ? k : firstState + order.indexOf(k - firstState));
  const maskTf = mask === undefined ? undefined : tf.tensor(Array.from(mask.data), [...mask.shape]);
  const kwargs = (): Record<string, unknown> => {
    const k: Record<string, unknown> = {};
    if (statesTf !== undefined) k.initialState = statesTf;
    if (maskTf !== undefined) k.mask = maskTf;
    return k;
  };
  const run = (): tfTypes.Tensor[] => {
    const out = theirs.apply(xTf, kwargs()) as tfTypes.Tensor | tfTypes.Tensor[];
    return Array.isArray(out) ? out : [out];
  };
  run();
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(Array.from(w.data), [...w.shape])));
  const ysTf = run();
  expect(ysTf.length, 'number of outputs').toBe(ys.length);
  ys.forEach((y, k) => {
    expect(ysTf[tfIndex(k)].shape, `output ${k} shape`).toEqual([...y.shape]);
    expectRelClose(y.data, tfData(ysTf[tfIndex(k)]), tol, `${ours.name} output ${k}`);
  });

  const tfWeights = theirs.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const sources = [xTf, ...(statesTf ?? []), ...tfWeights];
  const { grads } = tf.variableGrads(() => {
    const outs = run();
    return ys.map((_, k) => tf.sum(tf.mul(outs[tfIndex(k)], tf.tensor(Array.from(probes[k]), outs[tfIndex(k)].shape)))).reduce((a, b) => tf.add(a, b)) as tfTypes.Scalar;
  }, sources);
  expectRelClose(xLeaf.grad!.data, tfData(grads[xTf.name]), tol, `${ours.name} input gradient`);
  stateLeaves?.forEach((s, k) => expectRelClose(s.grad!.data, tfData(grads[statesTf![order.indexOf(k)].name]), tol, `${ours.name} initial state ${k} gradient`));
  const named = ours.namedWeights();
  expect(ours.trainableWeights.length).toBe(tfWeights.length);
  ours.trainableWeights.forEach((w, k) => {
    expectRelClose(w.grad!.data, tfData(grads[tfWeights[k].name]), tol, `${ours.name} gradient of ${named[k].name}`);
    w.grad = null;
  });
  return ys;
}

/** A `[batch, steps]` 1/0 mask keeping the first `lengths[b]` steps of sequence b (post-padding), or the last ones. */
export function lengthMask(lengths: number[], steps: number, pre = false): Tensor {
  const data = new Float32Array(lengths.length * steps);
  lengths.forEach((n, b) => {
    for (let t = 0; t < steps; t++) data[b * steps + t] = (pre ? t >= steps - n : t < n) ? 1 : 0;
  });
  return new Tensor(data, [lengths.length, steps]);
}
