import { NeuriteError, ShapeError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { Compiled, buildMetrics } from './compile.js';
import { checkFinite, checkSameSamples, sliceSamples, toTensor } from './data.js';
import { Metric } from './metrics.js';
import { BatchOptions, resolveBatchOptions } from './options.js';
import { Logs } from './progress.js';
import { prepareTargets } from './targets.js';
import { addPenalties } from './penalties.js';
import { Trainable } from './trainable.js';

/** The model's output shape (batch first) on the first batch of `x`, computed without recording; builds the model. */
export function probeOutputShape(model: Trainable, x: Tensor, batchSize: number, what: string): readonly number[] {
  const y = noGrad(() => model.forward(sliceSamples(x, 0, Math.min(batchSize, x.shape[0])), false));
  if (!(y instanceof Tensor) || y.rank === 0) {
    throw new ShapeError(`${what}: the model must return a Tensor with a batch axis, returned ${y instanceof Tensor ? 'a scalar' : typeof y}`);
  }
  return y.shape;
}

/** Throws unless fit / evaluate has a compiled model. */
export function requireCompiled(compiled: Compiled | null | undefined, op: string): Compiled {
  if (compiled === null || compiled === undefined) {
    throw new NeuriteError(`${op}: the model is not compiled; call model.compile({ optimizer, loss, metrics }) first`);
  }
  return compiled;
}

/** Checks a second input (validation x) has the per-sample shape of the training x. */
export function checkSameFeatures(reference: Tensor, other: Tensor, what: string): void {
  if (!shapesEqual(reference.shape.slice(1), other.shape.slice(1))) {
    throw new ShapeError(
      `${what}: expected samples of shape ${formatShape(reference.shape.slice(1))} like the training x ${formatShape(reference.shape)}, ` +
        `received ${formatShape(other.shape)}`,
    );
  }
}

/**
 * Loss and metrics over all of (x, y) in batches, without recording gradients: the loss is the mean of
 * batch losses weighted by batch size, the metrics are accumulated over every sample. `y` is prepared.
 */
export function runEvaluation(model: Trainable, compiled: Compiled, metrics: readonly Metric[], x: Tensor, y: Tensor, batchSize: number): Logs {
  for (const m of metrics) m.reset();
  const n = x.shape[0];
  let lossSum = 0;
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const yb = sliceSamples(y, start, end);
      const yPred = model.forward(sliceSamples(x, start, end), false);
      lossSum += addPenalties(model, compiled.loss.fn(yb, yPred)).item() * (end - start);
      for (const m of metrics) m.update(yb, yPred, null);
    }
  });
  const logs: Logs = { loss: lossSum / n };
  for (const m of metrics) logs[m.name] = m.result();
  return logs;
}

/**
 * Loss and compiled metrics on (x, y), as plain numbers: `{ loss, accuracy, … }`. Every input is checked
 * before the model runs.
 * @example const { loss, accuracy } = evaluate(model, compiled, xTest, yTest);
 */
export function evaluate(model: Trainable, compiled: Compiled | null, x: unknown, y: unknown, options?: BatchOptions): Logs & { loss: number } {
  const op = 'evaluate';
  const c = requireCompiled(compiled, op);
  const { batchSize } = resolveBatchOptions(options, op);
  const xs = toTensor(x, `${op}: x`);
  const ys = toTensor(y, `${op}: y`);
  checkSameSamples(xs, ys, op);
  checkFinite(xs, `${op}: x`);
  checkFinite(ys, `${op}: y`);
  const outShape = probeOutputShape(model, xs, batchSize, op);
  const targets = prepareTargets(c.loss.id, ys, outShape, `${op}: y`);
  const metrics = buildMetrics(c, targets, outShape, op);
  return runEvaluation(model, c, metrics, xs, targets, batchSize) as Logs & { loss: number };
}

/**
 * The model's outputs for every sample of x, computed in batches without recording gradients, as one Tensor.
 * @example const probabilities = predict(model, [[0.1, 0.2]]); // shape [1, 1]
 */
export function predict(model: Trainable, x: unknown, options?: BatchOptions): Tensor {
  const op = 'predict';
  const { batchSize } = resolveBatchOptions(options, op);
  const xs = toTensor(x, `${op}: x`);
  checkFinite(xs, `${op}: x`);
  const n = xs.shape[0];
  return noGrad(() => {
    let out: Float32Array | null = null;
    let sampleShape: readonly number[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const yb = model.forward(sliceSamples(xs, start, end), false);
      if (out === null) {
        sampleShape = yb.shape.slice(1);
        out = new Float32Array((yb.size / (end - start)) * n);
      }
      if (yb.shape[0] !== end - start || !shapesEqual(yb.shape.slice(1), sampleShape)) {
        throw new ShapeError(`${op}: the model returned ${formatShape(yb.shape)} for a batch of ${end - start} samples; expected ${formatShape([end - start, ...sampleShape])}`);
      }
      out.set(yb.data, (start * out.length) / n);
    }
    return new Tensor(out!, [n, ...sampleShape]);
  });
}
