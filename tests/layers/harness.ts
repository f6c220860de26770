import { expect } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { backward } from '../../src/autograd/backward.js';
import { noGrad, record } from '../../src/autograd/record.js';
import { Layer, Shape } from '../../src/layers/layer.js';
import { layerFromConfig } from '../../src/layers/serialization.js';
import { expectClose } from '../helpers/close.js';
import { seededArray } from '../helpers/seeded.js';

/** sum(y · w) as a recorded scalar, written here so the checks rely on no op under test. */
export function weightedSum(y: Tensor, w: Float32Array): Tensor {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += w[i] * y.data[i];
  const out = new Tensor(new Float32Array([s]), []);
  return record(out, 'weightedSum', [y], (dy) => [Float32Array.from(w, (v) => v * dy[0])]);
}

/** Fixed reduction weights in [−1, 1) for an output of `size` values. */
export function probeWeights(size: number, seed = 11): Float32Array {
  return seededArray(size, seed, -1, 1);
}

/** Expected weights of a layer: Keras's names and shapes, in Keras order. */
export type WeightShapes = number[][];

/**
 * The contract every layer test runs through:
 * - the output shape equals `computeOutputShape` of the input shape (with the batch known and as `null`);
 * - weight shapes (in order) are `weightShapes` and `countParams()` is their total size;
 * - one SGD step (w -= 0.1·grad of a weighted sum of the output) changes every trainable weight;
 * - `getConfig()` is JSON, and `layerFromConfig` rebuilds a layer with the same config and weight shapes.
 */
export function checkLayer(layer: Layer, x: Tensor, weightShapes: WeightShapes, { training = false } = {}): Tensor {
  const y = layer.apply(x, { training });
  expect(y.shape).toEqual(layer.computeOutputShape([...x.shape]));
  const unknownBatch = layer.computeOutputShape([null, ...x.shape.slice(1)] as Shape);
  expect(unknownBatch).toEqual([null, ...y.shape.slice(1)]);

  expect(layer.getWeights().map((w) => [...w.shape])).toEqual(weightShapes);
  expect(layer.countParams()).toBe(weightShapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0));

  sgdStepChangesEveryWeight(layer, x, training);

  const config = layer.getConfig();
  expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  const twin = layerFromConfig(layer.className, { ...config, name: `${layer.name}_twin` });
  expect(twin.getConfig()).toEqual({ ...config, name: `${layer.name}_twin` });
  twin.apply(x, { training: false });
  expect(twin.getWeights().map((w) => [...w.shape])).toEqual(weightShapes);
  return y;
}

function sgdStepChangesEveryWeight(layer: Layer, x: Tensor, training: boolean): void {
  const weights = layer.trainableWeights;
  for (const w of weights) w.grad = null;
  const before = weights.map((w) => Float32Array.from(w.data));
  const y = layer.apply(x, { training });
  if (weights.length === 0) {
    expect(y.requiresGrad).toBe(false);
    return;
  }
  backward(weightedSum(y, probeWeights(y.size)));
  weights.forEach((w, k) => {
    expect(w.grad, `gradient of weight ${k}`).not.toBeNull();
    const g = w.grad!.data;
    for (let i = 0; i < w.size; i++) w.data[i] -= 0.1 * g[i];
    const changed = w.data.some((v, i) => v !== before[k][i]);
    expect(changed, `weight ${k} (${layer.namedWeights()[k].name}) changed by one SGD step`).toBe(true);
    w.grad = null;
  });
  // Restore, so later checks see the weights the test set.
  weights.forEach((w, k) => w.data.set(before[k]));
}

/**
 * Central finite differences (float64 reduction) of a weighted sum of the layer's output, with respect
 * to the input and to every trainable weight, against `backward()`. The layer's live weights are
 * perturbed in place and restored.
 */
export function gradcheckLayer(
  layer: Layer,
  x: Tensor,
  { eps = 1e-2, rtol = 2e-2, atol = 2e-3, training = false }: { eps?: number; rtol?: number; atol?: number; training?: boolean } = {},
): void {
  const leaf = new Tensor(Float32Array.from(x.data), x.shape);
  leaf.requiresGrad = true;
  const y = layer.apply(leaf, { training });
  const probe = probeWeights(y.size, 5);
  const weights = layer.trainableWeights;
  for (const w of weights) w.grad = null;
  backward(weightedSum(y, probe));
  const reduce = (): number => {
    const out = noGrad(() => layer.apply(leaf, { training }));
    let s = 0;
    for (let i = 0; i < out.size; i++) s += probe[i] * out.data[i];
    return s;
  };
  const targets: [string, Tensor, Float32Array][] = [['input', leaf, leaf.grad!.data]];
  weights.forEach((w, k) => targets.push([`weight ${k} (${layer.namedWeights()[k].name})`, w, w.grad!.data]));
  for (const [what, t, analytic] of targets) {
    const numeric = new Float64Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const saved = t.data[i];
      t.data[i] = saved + eps;
      const plus = reduce();
      t.data[i] = saved - eps;
      const minus = reduce();
      t.data[i] = saved;
      numeric[i] = (plus - minus) / (2 * eps);
    }
    try {
      expectClose(analytic, numeric, { rtol, atol });
    } catch (e) {
      throw new Error(`gradcheckLayer ${layer.name}: ${what}: ${(e as Error).message}`);
    }
  }
  for (const w of weights) w.grad = null;
}

/** Asserts that `fn` throws a NeuriteError-family error whose message matches every pattern. */
export function expectErrorMentioning(fn: () => unknown, errorClass: new (...a: never[]) => Error, ...patterns: (string | RegExp)[]): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error').toBeInstanceOf(errorClass);
  const message = (caught as Error).message;
  for (const p of patterns) {
    if (typeof p === 'string') expect(message).toContain(p);
    else expect(message).toMatch(p);
  }
}
