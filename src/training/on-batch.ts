import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { backward } from '../autograd/backward.js';
import { noGrad } from '../autograd/record.js';
import { checkedArrays } from './arrays.js';
import { checkNotTraining } from './busy.js';
import { Compiled } from './compile.js';
import { predict, requireCompiled } from './evaluate.js';
import { Logs } from './progress.js';
import { isDataset } from './sources.js';
import { forwardChecked, LossTotals, StepRunner } from './step.js';
import { checkClassWeight, ClassWeight } from './targets.js';
import { Trainable } from './trainable.js';

/** Options of `trainOnBatch` / `testOnBatch`. */
export interface OnBatchOptions {
  /** One weight per sample (or per timestep). */
  sampleWeight?: unknown;
  /** trainOnBatch only: loss weight per class index. */
  classWeight?: ClassWeight;
}

function runOne(model: Trainable, compiled: Compiled | null, x: unknown, y: unknown, options: OnBatchOptions | undefined, op: string, training: boolean): Logs {
  const c = requireCompiled(compiled, op);
  checkOptionKeys(options, training ? ['sampleWeight', 'classWeight'] : ['sampleWeight'], op);
  checkNotTraining(model, op);
  const classWeight = options?.classWeight === undefined ? null : checkClassWeight(options.classWeight, op);
  const data = checkedArrays(model, x, y, options?.sampleWeight, op);
  const runner = new StepRunner(model, c, op, classWeight);
  const totals = new LossTotals(c.outputs.length);
  const batch = { xs: data.xs, ys: data.ys, sampleWeight: data.sampleWeight };
  if (!training) {
    totals.add(noGrad(() => runner.step(batch, false)));
    return runner.logs(totals.sums, totals.seen);
  }
  // Check the targets against the outputs before the step, so a bad y changes nothing.
  runner.prepare(data.ys, noGrad(() => forwardChecked(model, data.xs, false, op)));
  if (c.optimizer.built) c.optimizer.build(model.trainableWeights);
  for (const w of model.trainableWeights) w.grad?.data.fill(0);
  runner.reset();
  const r = runner.step(batch, true);
  if (!r.total.requiresGrad) throw new ValueError(`${op}: the loss does not depend on any trainable weight`);
  backward(r.total);
  c.optimizer.apply(model.trainableWeights);
  totals.add(r);
  return runner.logs(totals.sums, totals.seen);
}

/**
 * One gradient step on exactly this batch (no shuffling, no callbacks); returns the batch's loss and
 * metrics, computed on the predictions before the step (Keras).
 * @example const { loss } = trainOnBatch(model, compiled, xBatch, yBatch);
 */
export function trainOnBatch(model: Trainable, compiled: Compiled | null, x: unknown, y: unknown, options?: OnBatchOptions): Logs {
  return runOne(model, compiled, x, y, options, 'trainOnBatch', true);
}

/** Loss and metrics on exactly this batch, training off, nothing recorded. */
export function testOnBatch(model: Trainable, compiled: Compiled | null, x: unknown, y: unknown, options?: OnBatchOptions): Logs {
  return runOne(model, compiled, x, y, options, 'testOnBatch', false);
}

/** The model's outputs on exactly this batch (one forward pass, training off). */
export function predictOnBatch(model: Trainable, x: unknown): Tensor[] {
  if (isDataset(x)) throw new ValueError('predictOnBatch: expected one batch of inputs, received a dataset; use predict(dataset)');
  return predict(model, x, { batchSize: Number.MAX_SAFE_INTEGER }) as Tensor[];
}
