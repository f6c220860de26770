import { NeuriteError, ValueError } from '../util/errors.js';
import { forkRandomStream, getRandomState, setRandomState, withRandomStream } from '../util/random.js';
import { FitLoop, FitPosition } from './fit-position.js';
import { Tensor } from '../tensor/tensor.js';
import { backward } from '../autograd/backward.js';
import { noGrad } from '../autograd/record.js';
import { Callback, callHook, History, TrainingParams } from './callbacks.js';
import { Compiled } from './compile.js';
import { checkSameFeatures, requireCompiled, runEvaluation } from './evaluate.js';
import { FitOptions, ResolvedFitOptions, resolveFitOptions } from './options.js';
import { Logs } from './progress.js';
import { ProgressEnvironment, ProgressLogger, defaultProgressEnvironment } from './progress-logger.js';
import { ArraySource, BatchSource, DatasetSource, datasetWithTargets, isDataset } from './sources.js';
import { forwardChecked, LossTotals, StepRunner } from './step.js';
import { isPlainObject } from './structure.js';
import { classWeightsToSampleWeights } from './targets.js';
import { Trainable } from './trainable.js';
import { checkedArrays, firstBatch, splitArrays } from './arrays.js';
import { whileTraining } from './busy.js';

/** Everything fit needs, checked and prepared before training starts. */
interface Plan {
  source: BatchSource;
  runner: StepRunner;
  validation: { source: BatchSource; runner: StepRunner } | null;
}

/** Lets other work run (timers, I/O, a UI) between batches. */
const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains `model` on (x, y), or on a dataset of `{ xs, ys, sampleWeight? }` batches (then `y` is omitted and
 * the options come third or second): per batch a forward pass with `training = true`, every output's loss,
 * `backward`, one optimizer step; after each epoch, validation and callbacks. Every input is validated
 * before any weight or optimizer state changes; a second fit on a model still training is refused.
 * Returns the `History` with Keras keys (`loss`, `accuracy`, `<output>_loss`, `val_loss` …).
 * `env` replaces stdout and the clock (tests).
 * @example const history = await fit(model, compiled, X, y, { epochs: 100 });
 */
export function fit(
  model: Trainable,
  compiled: Compiled | null,
  x: unknown,
  y: unknown,
  options?: FitOptions,
  env: ProgressEnvironment = defaultProgressEnvironment(),
): Promise<History> {
  if (isDataset(x)) {
    if (y !== undefined && (options !== undefined || !isPlainObject(y))) return Promise.reject(datasetWithTargets('fit'));
    if (y !== undefined) options = y as FitOptions;
    y = undefined;
  }
  // Each fit draws shuffling and Dropout from its own stream, forked from the global one when it starts
  // (and followed across every await), so concurrent fits equal sequential ones bit for bit.
  return whileTraining(model, 'fit', () => withRandomStream(forkRandomStream(), () => train(model, compiled, x, y, options, env)));
}

async function train(model: Trainable, compiled: Compiled | null, x: unknown, y: unknown, options: FitOptions | undefined, env: ProgressEnvironment): Promise<History> {
  const c = requireCompiled(compiled, 'fit');
  const opts = resolveFitOptions(options);
  const plan = await preparePlan(model, c, x, y, opts, options ?? {});
  for (const w of model.trainableWeights) w.grad?.data.fill(0);

  const history = new History();
  const ownBar = opts.verbose > 0 && !opts.callbacks.some((cb) => cb instanceof ProgressLogger);
  const callbacks: Callback[] = [...(ownBar ? [new ProgressLogger(opts.verbose as 1 | 2, env)] : []), ...opts.callbacks, history];
  const keys = plan.runner.keys();
  const params: TrainingParams = {
    epochs: opts.epochs,
    initialEpoch: opts.initialEpoch,
    steps: plan.source.steps,
    samples: plan.source.samples,
    batchSize: plan.source instanceof ArraySource ? opts.batchSize : null,
    verbose: opts.verbose,
    metrics: plan.validation === null ? keys : [...keys, ...keys.map((k) => `val_${k}`)],
  };
  const cursor: Cursor = { epoch: opts.initialEpoch, batch: 0, totals: null };
  let resume: FitPosition | null = null;
  const loop: FitLoop = {
    position: () => positionOf(cursor, plan),
    resumeAt: (p) => (resume = p),
  };
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.(params);
    cb.setFitLoop?.(loop);
  }

  model.stopTraining = false;
  let logs: Logs = {};
  const trainLogs: Logs = { initialEpoch: opts.initialEpoch };
  await callHook(callbacks, 'onTrainBegin', trainLogs);
  // BackupAndRestore moves the start forward when it resumes an interrupted run (at an epoch or mid-epoch).
  let start = Math.max(opts.initialEpoch, trainLogs.initialEpoch);
  let resumeIn: FitPosition | null = null;
  const point = resume as FitPosition | null;
  if (point !== null) {
    start = point.epoch;
    setRandomState(point.random);
    await plan.source.seek(point.source, point.batch);
    if (point.batch > 0) resumeIn = point;
  }
  const clock = { now: () => env.clock(), lastYield: env.clock() };
  for (let epoch = start; epoch < opts.epochs; epoch++) {
    cursor.epoch = epoch;
    cursor.batch = resumeIn?.batch ?? 0;
    await callHook(callbacks, 'onEpochBegin', epoch, {});
    const ran = await runEpoch(model, c, plan, opts, callbacks, clock, cursor, resumeIn);
    resumeIn = null;
    if (ran === null) break;
    logs = ran;
    if (plan.validation !== null) {
      const val = await runEvaluation(plan.validation.runner, plan.validation.source);
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
    }
    cursor.epoch = epoch + 1;
    cursor.batch = 0;
    await callHook(callbacks, 'onEpochEnd', epoch, logs);
    if (model.stopTraining) break;
  }
  // Keras: with useEma the weights become their moving averages when fit ends.
  if (opts.epochs > opts.initialEpoch) c.optimizer.finalizeVariableValues(model.trainableWeights);
  await callHook(callbacks, 'onTrainEnd', logs);
  return history;
}

/** Where the loop is: the epoch, the batches finished in it and its running loss totals. */
interface Cursor {
  epoch: number;
  batch: number;
  totals: LossTotals | null;
}

function positionOf(cursor: Cursor, plan: Plan): FitPosition {
  const mid = cursor.batch > 0 && cursor.totals !== null;
  return {
    epoch: cursor.epoch,
    batch: cursor.batch,
    random: getRandomState(),
    source: plan.source.position(),
    lossSums: mid ? [...cursor.totals!.sums] : [],
    seen: mid ? cursor.totals!.seen : 0,
    metrics: mid ? plan.runner.metricState() : null,
  };
}

/** One epoch of batches (continuing from `resumeIn`'s batch); the epoch's logs, or null when a dataset ran out before its first batch. */
async function runEpoch(
  model: Trainable,
  compiled: Compiled,
  plan: Plan,
  opts: ResolvedFitOptions,
  callbacks: readonly Callback[],
  clock: { now: () => number; lastYield: number },
  cursor: Cursor,
  resumeIn: FitPosition | null,
): Promise<Logs | null> {
  plan.runner.reset();
  const totals = new LossTotals(compiled.outputs.length);
  let logs: Logs = {};
  let batch = 0;
  if (resumeIn !== null) {
    if (resumeIn.lossSums.length !== totals.sums.length) throw new NeuriteError(`fit: the resume point has ${resumeIn.lossSums.length} loss totals, this model needs ${totals.sums.length}`);
    totals.sums = [...resumeIn.lossSums];
    totals.seen = resumeIn.seen;
    plan.runner.setMetricState(resumeIn.metrics);
    batch = resumeIn.batch;
    logs = plan.runner.logs(totals.sums, totals.seen);
  }
  cursor.totals = totals;
  for await (const b of plan.source.epoch()) {
    await callHook(callbacks, 'onBatchBegin', batch, { batch, size: b.xs[0].shape[0] });
    const r = plan.runner.step(b, true);
    if (r.total.requiresGrad) {
      backward(r.total);
      compiled.optimizer.apply(model.trainableWeights);
      model.applyConstraints?.();
    }
    // A step skipped for a non-finite gradient norm logs NaN (TerminateOnNaN stops), weights untouched.
    totals.add(compiled.optimizer.lastStepNonFinite ? { ...r, total: new Tensor(new Float32Array([NaN]), []) } : r);
    logs = plan.runner.logs(totals.sums, totals.seen);
    cursor.batch = batch + 1;
    await callHook(callbacks, 'onBatchEnd', batch, logs);
    batch++;
    if (model.stopTraining) break;
    if (clock.now() - clock.lastYield >= opts.yieldEvery) {
      await yieldToEventLoop();
      clock.lastYield = clock.now();
    }
  }
  if (plan.source instanceof DatasetSource && plan.source.exhausted) {
    // As Keras and TF.js: a dataset that ends before stepsPerEpoch batches ends training.
    console.warn(`fit: the dataset ran out of batches after ${batch} of ${plan.source.steps} steps in this epoch; training stops (use dataset.repeat() or fewer stepsPerEpoch)`);
    model.stopTraining = true;
  }
  return batch === 0 ? null : { ...logs };
}

/** Converts and checks every input, splits off validation data, probes the model, builds metrics. */
async function preparePlan(model: Trainable, compiled: Compiled, x: unknown, y: unknown, opts: ResolvedFitOptions, raw: FitOptions): Promise<Plan> {
  const runner = new StepRunner(model, compiled, 'fit', opts.classWeight);
  let source: BatchSource;
  let validation: Plan['validation'] = null;
  let reference: Tensor[];
  if (isDataset(x)) {
    for (const key of ['batchSize', 'shuffle', 'validationSplit', 'sampleWeight'] as const) {
      if (raw[key] !== undefined) throw new ValueError(`fit: option '${key}' does not apply to a dataset (batch, shuffle and weight the dataset itself)`);
    }
    const ds = new DatasetSource(x, model, true, opts.stepsPerEpoch, 'fit');
    const first = await ds.peek();
    probe(runner, first.xs, first.ys);
    source = ds;
    reference = first.xs;
  } else {
    if (opts.stepsPerEpoch !== null) throw new ValueError('fit: stepsPerEpoch is for a dataset; with in-memory x, batchSize sets the steps');
    let data = checkedArrays(model, x, y, opts.sampleWeight, 'fit');
    if (opts.validationData === null && opts.validationSplit > 0) {
      const [train, held] = splitArrays(data, opts.validationSplit, 'fit');
      data = train;
      validation = { source: new ArraySource(held.xs, held.ys, held.sampleWeight, opts.batchSize, false), runner: new StepRunner(model, compiled, 'fit', null, 'fit: validation y') };
    }
    const preds = probe(runner, firstBatch(data.xs, opts.batchSize), data.ys);
    if (opts.classWeight !== null) classWeightsToSampleWeights(opts.classWeight, runner.prepare(data.ys, preds)[0], 'fit');
    source = new ArraySource(data.xs, data.ys, data.sampleWeight, opts.batchSize, opts.shuffle);
    reference = data.xs;
  }
  if (opts.validationData !== null) validation = await validationPlan(model, compiled, opts, reference);
  // An optimizer already built for other variables (shared between models) fails here, not after a forward pass.
  if (compiled.optimizer.built) compiled.optimizer.build(model.trainableWeights);
  return { source, runner, validation };
}

/** Runs the model once on a batch (no recording, training off) and checks all of `ys` against its outputs. */
function probe(runner: StepRunner, xs: Tensor[], ys: Tensor[]): Tensor[] {
  const preds = noGrad(() => forwardChecked(runner.model, xs, false, runner.what));
  runner.prepare(ys, preds);
  return preds;
}

async function validationPlan(model: Trainable, compiled: Compiled, opts: ResolvedFitOptions, reference: Tensor[]): Promise<Plan['validation']> {
  const runner = new StepRunner(model, compiled, 'fit', null, 'fit: validation y');
  const vd = opts.validationData!;
  if (isDataset(vd)) {
    const ds = new DatasetSource(vd, model, true, opts.validationSteps, 'fit: validationData', false);
    const first = await ds.peek();
    model.inputNames.forEach((name, i) => checkSameFeatures(reference[i], first.xs[i], `fit: validationData '${name}'`));
    probe(runner, first.xs, first.ys);
    return { source: ds, runner };
  }
  if (opts.validationSteps !== null) throw new ValueError('fit: validationSteps is for validationData given as a dataset');
  if (!Array.isArray(vd)) throw new NeuriteError('fit: validationData must be [x, y], [x, y, sampleWeight] or a dataset');
  const data = checkedArrays(model, vd[0], vd[1], vd[2], 'fit: validationData');
  model.inputNames.forEach((name, i) => checkSameFeatures(reference[i], data.xs[i], model.inputNames.length > 1 ? `fit: validationData x '${name}'` : 'fit: validationData x'));
  probe(runner, firstBatch(data.xs, opts.batchSize), data.ys);
  return { source: new ArraySource(data.xs, data.ys, data.sampleWeight, opts.batchSize, false), runner };
}
