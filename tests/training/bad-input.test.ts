import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/creation.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { fit } from '../../src/training/fit.js';
import { evaluate, predict } from '../../src/training/evaluate.js';
import { Compiled, resolveCompile } from '../../src/training/compile.js';
import { FitOptions } from '../../src/training/options.js';
import { NeuriteError, ShapeError, ValueError } from '../../src/util/errors.js';
import { LinearModel, seedData } from './linear-model.js';

const env = { write: () => {}, isTTY: false, clock: () => 0 };
const { x, y } = seedData(10);

/** Runs fit and asserts it rejects with `error` (class and message) before any weight or optimizer state changed. */
async function rejects(
  args: { x?: unknown; y?: unknown; options?: FitOptions; loss?: string; compiled?: Compiled | null },
  error: typeof NeuriteError,
  message: RegExp,
): Promise<void> {
  const model = new LinearModel(2, { w: [0.1, 0.2], b: 0.3 });
  const optimizer = new Adam();
  const compiled = args.compiled === undefined ? resolveCompile({ optimizer, loss: (args.loss ?? 'binary_crossentropy') as never, metrics: ['accuracy'] }) : args.compiled;
  const before = model.getWeights().map((w) => Array.from(w.data));
  const attempt = fit(model, compiled, 'x' in args ? args.x : x, 'y' in args ? args.y : y, { verbose: 0, ...args.options }, env);
  await expect(attempt).rejects.toThrow(error);
  await expect(attempt).rejects.toThrow(message);
  expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  expect(optimizer.iterations).toBe(0);
  expect(optimizer.built).toBe(false);
  expect(model.calls.filter((c) => c.training)).toEqual([]);
}

describe('fit rejects bad input before changing any state', () => {
  it('before compile', async () => {
    await rejects({ compiled: null }, NeuriteError, /not compiled; call model.compile/);
  });

  it('x and y with different sample counts', async () => {
    await rejects({ y: y.slice(0, 7) }, ShapeError, /same number of samples.*x with 10 .*y with 7/);
  });

  it('empty x, or x that is not numbers', async () => {
    await rejects({ x: [], y: [] }, ValueError, /fit: x: expected at least one sample/);
    await rejects({ x: 'abc' }, ValueError, /fit: x: expected a Tensor/);
    await rejects({ x: [[1, 2], [3]] }, ValueError, /fit: x/);
  });

  it('NaN or Infinity in x or y', async () => {
    const badX = x.map((r) => [...r]);
    badX[3][1] = NaN;
    await rejects({ x: badX }, ValueError, /fit: x: expected finite numbers, received NaN in sample 3/);
    await rejects({ y: [...y.slice(0, 9), Infinity] }, ValueError, /fit: y: expected finite numbers, received Infinity in sample 9/);
  });

  it('labels outside [0, 1] for binary cross-entropy', async () => {
    await rejects({ y: y.map((v, i) => (i === 4 ? 2 : v)) }, ValueError, /binary_crossentropy' needs labels in \[0, 1\], received 2 at position 4/);
  });

  it('y of the wrong shape for the loss', async () => {
    await rejects({ y: tensor(y.map((v) => [v, 1 - v])) }, ShapeError, /targets shaped like the model output \[10, 1\] \(or \[10\]\), received y of shape \[10, 2\]/);
    await rejects({ loss: 'sparse_categorical_crossentropy', y: y.map(() => 1) }, ValueError, /integer labels in \[0, 0\]/);
  });

  it('batchSize or epochs not a positive integer', async () => {
    for (const batchSize of [0, -4, 1.5, '32' as unknown as number]) await rejects({ options: { batchSize } }, ValueError, /batchSize to be a positive integer/);
    for (const epochs of [0, 2.5, NaN]) await rejects({ options: { epochs } }, ValueError, /epochs to be a positive integer/);
  });

  it('validationSplit outside [0, 1), or leaving no training or validation sample', async () => {
    for (const validationSplit of [1, -0.1, 1.5]) await rejects({ options: { validationSplit } }, ValueError, /validationSplit in \[0, 1\)/);
    await rejects({ options: { validationSplit: 0.95 } }, ValueError, /leaves 0 for training and 10 for validation/);
  });

  it('other options: unknown keys, verbose, initialEpoch, classWeight, validationData', async () => {
    await rejects({ options: { batch_size: 8 } as never }, ValueError, /unknown option 'batch_size'/);
    await rejects({ options: { verbose: 3 as never } }, ValueError, /verbose to be 0, 1 or 2/);
    await rejects({ options: { epochs: 2, initialEpoch: 2 } }, ValueError, /initialEpoch/);
    await rejects({ options: { classWeight: { a: 1 } as never } }, ValueError, /classWeight keys/);
    await rejects({ options: { validationData: [[[1, 2, 3]], [1]] } }, ShapeError, /validationData x: expected samples of shape \[2\]/);
    await rejects({ options: { validationData: [[[1, 2]], [5]] } }, ValueError, /validation y: loss 'binary_crossentropy' needs labels in \[0, 1\]/);
  });
});

describe('an optimizer shared between two models', () => {
  it('keeps its state per variable: the second model starts from fresh slots, the first keeps its own', async () => {
    const optimizer = new SGD({ learningRate: 0.1, momentum: 0.9 });
    const first = new LinearModel(2);
    await fit(first, resolveCompile({ optimizer, loss: 'mse' }), x, y, { verbose: 0 }, env);
    const firstState = optimizer.getState(first.trainableWeights).slots;
    const second = new LinearModel(2, { w: [1, 2] });
    expect(optimizer.getState(second.trainableWeights).slots.every((s) => s.every((v) => v === 0))).toBe(true);
    await fit(second, resolveCompile({ optimizer, loss: 'mse' }), x, y, { verbose: 0 }, env);
    expect(Array.from(second.w.data)).not.toEqual([1, 2]);
    expect(optimizer.getState(first.trainableWeights).slots).toEqual(firstState);
    expect(optimizer.iterations).toBe(2);
  });
});

describe('compile, evaluate and predict reject bad input', () => {
  it('unknown loss / optimizer / metric ids list the valid ids', () => {
    expect(() => resolveCompile({ optimizer: 'adam', loss: 'nope' as never })).toThrow(/Unknown loss: "nope"; expected one of 'binary_crossentropy', 'binaryCrossentropy', 'mse'/);
    expect(() => resolveCompile({ optimizer: 'nope' as never, loss: 'mse' })).toThrow(/Unknown optimizer: "nope"; expected one of 'adam', 'sgd', 'rmsprop'/);
    expect(() => resolveCompile({ optimizer: 'adam', loss: 'mse', metrics: ['nope' as never] })).toThrow(/Unknown metric: "nope"; expected one of 'accuracy'/);
  });

  it('evaluate before compile, with mismatched samples, or NaN', () => {
    const model = new LinearModel(2);
    const compiled = resolveCompile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    expect(() => evaluate(model, null, x, y)).toThrow(/evaluate: the model is not compiled/);
    expect(() => evaluate(model, compiled, x, y.slice(1))).toThrow(ShapeError);
    expect(() => evaluate(model, compiled, x, y.map(() => NaN))).toThrow(/evaluate: y: expected finite numbers/);
    expect(() => evaluate(model, compiled, x, y, { batchSize: 0 })).toThrow(/evaluate: expected batchSize/);
  });

  it('predict with empty x, NaN, or a bad batchSize', () => {
    const model = new LinearModel(2);
    expect(() => predict(model, [])).toThrow(/predict: x: expected at least one sample/);
    expect(() => predict(model, [[NaN, 1]])).toThrow(/predict: x: expected finite numbers/);
    expect(() => predict(model, x, { batchSize: -1 })).toThrow(/predict: expected batchSize/);
    expect(model.calls).toEqual([]);
  });
});
