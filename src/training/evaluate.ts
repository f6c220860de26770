import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/record.js';
import { Compiled } from './compile.js';
import { checkFinite, sliceSamples } from './data.js';
import { BatchOptions, resolveBatchOptions } from './options.js';
import { Logs } from './progress.js';
import { ArraySource, BatchSource, DatasetSource, isDataset } from './sources.js';
import { Batch, forwardChecked, LossTotals, StepRunner } from './step.js';
import { describeValue, isPlainObject, toTensorList } from './structure.js';
import { Trainable } from './trainable.js';
import { checkedArrays, firstBatch } from './arrays.js';

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

/** Evaluates one batch without recording. */
function evalStep(runner: StepRunner, totals: LossTotals, batch: Batch): void {
  totals.add(noGrad(() => runner.step(batch, false)));
}

/** Loss and metrics over a source's batches, without recording: sample-weighted mean of batch losses, metrics over every sample. */
export async function runEvaluation(runner: StepRunner, source: BatchSource): Promise<Logs> {
  runner.reset();
  const totals = new LossTotals(runner.compiled.outputs.length);
  for await (const batch of source.epoch()) evalStep(runner, totals, batch);
  return runner.logs(totals.sums, totals.seen);
}

function runEvaluationSync(runner: StepRunner, source: ArraySource): Logs {
  runner.reset();
  const totals = new LossTotals(runner.compiled.outputs.length);
  for (const batch of source.batches()) evalStep(runner, totals, batch);
  return runner.logs(totals.sums, totals.seen);
}

/**
 * Loss and compiled metrics on (x, y), as plain numbers: `{ loss, accuracy, … }` (with `<output>_loss` per
 * output for several). Every input is checked before the model runs. On a dataset it returns a promise.
 * @example const { loss, accuracy } = evaluate(model, compiled, xTest, yTest);
 */
export function evaluate(model: Trainable, compiled: Compiled | null, x: unknown, y: unknown, options?: BatchOptions): Logs & { loss: number } {
  const op = 'evaluate';
  const c = requireCompiled(compiled, op);
  if (isDataset(x)) throw new ValueError(`${op}: received a dataset; use evaluateDataset (model.evaluate(dataset) returns a promise)`);
  const opts = resolveBatchOptions(options, op);
  const data = checkedArrays(model, x, y, opts.sampleWeight, op);
  const runner = new StepRunner(model, c, op);
  runner.prepare(data.ys, noGrad(() => forwardChecked(model, firstBatch(data.xs, opts.batchSize), false, op)));
  return runEvaluationSync(runner, new ArraySource(data.xs, data.ys, data.sampleWeight, opts.batchSize, false)) as Logs & { loss: number };
}

/**
 * `evaluate` over a dataset of `{ xs, ys, sampleWeight? }` batches (`steps` limits the batches).
 * @example const { loss } = await evaluateDataset(model, compiled, testSet);
 */
export async function evaluateDataset(model: Trainable, compiled: Compiled | null, dataset: unknown, options?: BatchOptions): Promise<Logs & { loss: number }> {
  const op = 'evaluate';
  const c = requireCompiled(compiled, op);
  if (!isDataset(dataset)) throw new ValueError(`${op}: expected a dataset (an async iterable of { xs, ys } batches), received ${describeValue(dataset)}`);
  checkOptionKeys(options, ['steps'], op);
  const opts = resolveBatchOptions(options, op);
  const source = new DatasetSource(dataset, model, true, opts.steps, op, false);
  return (await runEvaluation(new StepRunner(model, c, op), source)) as Logs & { loss: number };
}

/** Joins per-batch outputs along the sample axis, checking every batch has the first one's per-sample shape. */
class OutputCollector {
  private chunks: Tensor[][] = [];
  constructor(readonly names: readonly string[], readonly what: string) {}

  add(outputs: Tensor[]): void {
    const first = this.chunks[0];
    outputs.forEach((t, i) => {
      if (first !== undefined && !shapesEqual(t.shape.slice(1), first[i].shape.slice(1))) {
        throw new ShapeError(`${this.what}: output '${this.names[i]}' was ${formatShape(t.shape)} for one batch and ${formatShape(first[i].shape)} for the first`);
      }
    });
    this.chunks.push(outputs);
  }

  result(): Tensor[] {
    return this.names.map((_, i) => {
      const parts = this.chunks.map((c) => c[i]);
      const n = parts.reduce((s, t) => s + t.shape[0], 0);
      const out = new Float32Array(parts.reduce((s, t) => s + t.size, 0));
      let at = 0;
      for (const t of parts) {
        out.set(t.data, at);
        at += t.size;
      }
      return new Tensor(out, [n, ...parts[0].shape.slice(1)]);
    });
  }
}

/**
 * The model's outputs for every sample of x (one tensor per output), computed in batches without recording
 * gradients. On a dataset (elements `{ xs }` or `{ xs, ys }`) it returns a promise.
 * @example const [probabilities] = predict(model, [[0.1, 0.2]]); // shape [1, 1]
 */
export function predict(model: Trainable, x: unknown, options?: BatchOptions): Tensor[] {
  const op = 'predict';
  const opts = resolveBatchOptions(options, op);
  if (isDataset(x)) throw new ValueError(`${op}: received a dataset; use predictDataset (model.predict(dataset) returns a promise)`);
  const collector = new OutputCollector(model.outputNames, op);
  const run = (xs: Tensor[]) => collector.add(noGrad(() => forwardChecked(model, xs, false, op)));
  const xs = toTensorList(x, model.inputNames, `${op}: x`);
  xs.forEach((t) => checkFinite(t, `${op}: x`));
  const n = xs[0].shape[0];
  for (let start = 0; start < n; start += opts.batchSize) {
    const end = Math.min(start + opts.batchSize, n);
    run(xs.map((t) => sliceSamples(t, start, end)));
  }
  return collector.result();
}

/**
 * `predict` over a dataset whose elements are `{ xs }` (or `{ xs, ys }`, targets unused): outputs joined in order.
 * @example const [scores] = await predictDataset(model, data.fromArrays(x).batch(64));
 */
export async function predictDataset(model: Trainable, dataset: unknown, options?: BatchOptions): Promise<Tensor[]> {
  const op = 'predict';
  if (!isDataset(dataset)) throw new ValueError(`${op}: expected a dataset (an async iterable of { xs } batches), received ${describeValue(dataset)}`);
  const opts = resolveBatchOptions(options, op);
  const collector = new OutputCollector(model.outputNames, op);
  const source = new DatasetSource(dataset, model, false, opts.steps, op, false);
  let batches = 0;
  for await (const batch of source.epoch()) {
    collector.add(noGrad(() => forwardChecked(model, batch.xs, false, op)));
    batches++;
  }
  if (batches === 0) throw new NeuriteError(`${op}: the dataset yielded no batch`);
  return collector.result();
}

/** `evaluate(x, y, options)` or `evaluate(dataset, options)` (then a promise), as Model.evaluate dispatches. */
export function evaluateAny(model: Trainable, compiled: Compiled | null, x: unknown, y: unknown, options?: BatchOptions): Logs | Promise<Logs> {
  if (!isDataset(x)) return evaluate(model, compiled, x, y, options);
  if (options !== undefined || (y !== undefined && !isPlainObject(y))) throw new ValueError('evaluate: a dataset carries its own targets; call evaluate(dataset, options)');
  return evaluateDataset(model, compiled, x, y as BatchOptions | undefined);
}

/** `predict(x, options)` or `predict(dataset, options)` (then a promise), as Model.predict dispatches. */
export function predictAny(model: Trainable, x: unknown, options?: BatchOptions): Tensor[] | Promise<Tensor[]> {
  return isDataset(x) ? predictDataset(model, x, options) : predict(model, x, options);
}
