import { ValueError } from '../util/errors.js';
import { makeRng } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { backward } from '../autograd/backward.js';
import { Callback, callHook, History, TrainingParams } from './callbacks.js';
import { buildMetrics, Compiled } from './compile.js';
import { checkFinite, checkSameSamples, shuffledOrder, sliceSamples, takeSamples, takeWeights, toTensor } from './data.js';
import { checkSameFeatures, probeOutputShape, requireCompiled, runEvaluation } from './evaluate.js';
import { Metric } from './metrics.js';
import { FitOptions, ResolvedFitOptions, resolveFitOptions } from './options.js';
import { Logs } from './progress.js';
import { ProgressEnvironment, ProgressLogger, defaultProgressEnvironment } from './progress-logger.js';
import { classWeightsToSampleWeights, prepareTargets } from './targets.js';
import { Trainable } from './trainable.js';
import { addPenalties } from './penalties.js';

/** Everything fit needs, checked and prepared before training starts. */
interface Plan {
  x: Tensor;
  y: Tensor;
  weights: Float32Array | null;
  validation: { x: Tensor; y: Tensor } | null;
  metrics: Metric[];
}

/** Lets other work run (timers, I/O, a UI) between batches. */
const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains `model` on (x, y): per batch a forward pass with `training = true`, the loss, `backward`, and
 * one optimizer step; after each epoch, validation and callbacks. Every input is validated before any
 * weight or optimizer state changes. Returns the `History` with Keras keys (`loss`, `accuracy`, `val_loss` …).
 * `env` replaces stdout and the clock (tests).
 * @example const history = await fit(model, compiled, X, y, { epochs: 100 });
 */
export async function fit(
  model: Trainable,
  compiled: Compiled | null,
  x: unknown,
  y: unknown,
  options?: FitOptions,
  env: ProgressEnvironment = defaultProgressEnvironment(),
): Promise<History> {
  const c = requireCompiled(compiled, 'fit');
  const opts = resolveFitOptions(options);
  const plan = preparePlan(model, c, x, y, opts);
  for (const w of model.trainableWeights) w.grad?.data.fill(0);

  const history = new History();
  const callbacks: Callback[] = [...(opts.verbose > 0 ? [new ProgressLogger(opts.verbose as 1 | 2, env)] : []), ...opts.callbacks, history];
  const steps = Math.ceil(plan.x.shape[0] / opts.batchSize);
  const keys = ['loss', ...plan.metrics.map((m) => m.name)];
  const params: TrainingParams = {
    epochs: opts.epochs,
    initialEpoch: opts.initialEpoch,
    steps,
    samples: plan.x.shape[0],
    batchSize: opts.batchSize,
    verbose: opts.verbose,
    metrics: plan.validation === null ? keys : [...keys, ...keys.map((k) => `val_${k}`)],
  };
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.(params);
  }

  model.stopTraining = false;
  let logs: Logs = {};
  await callHook(callbacks, 'onTrainBegin', {});
  const clock = { now: () => env.clock(), lastYield: env.clock() };
  for (let epoch = opts.initialEpoch; epoch < opts.epochs; epoch++) {
    await callHook(callbacks, 'onEpochBegin', epoch, {});
    logs = await runEpoch(model, c, plan, opts, callbacks, clock);
    if (plan.validation !== null) {
      const val = runEvaluation(model, c, plan.metrics, plan.validation.x, plan.validation.y, opts.batchSize);
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
    }
    await callHook(callbacks, 'onEpochEnd', epoch, logs);
    if (model.stopTraining) break;
  }
  await callHook(callbacks, 'onTrainEnd', logs);
  return history;
}

/** One epoch of batches; returns the epoch's logs (sample-weighted mean batch loss and whole-epoch metrics). */
async function runEpoch(
  model: Trainable,
  compiled: Compiled,
  plan: Plan,
  opts: ResolvedFitOptions,
  callbacks: readonly Callback[],
  clock: { now: () => number; lastYield: number },
): Promise<Logs> {
  const n = plan.x.shape[0];
  const order = opts.shuffle ? shuffledOrder(n, makeRng()) : null;
  for (const m of plan.metrics) m.reset();
  let lossSum = 0;
  let seen = 0;
  let logs: Logs = {};
  for (let batch = 0, start = 0; start < n; batch++, start += opts.batchSize) {
    const end = Math.min(start + opts.batchSize, n);
    await callHook(callbacks, 'onBatchBegin', batch, { batch, size: end - start });
    const xb = order === null ? sliceSamples(plan.x, start, end) : takeSamples(plan.x, order, start, end);
    const yb = order === null ? sliceSamples(plan.y, start, end) : takeSamples(plan.y, order, start, end);
    const wb = plan.weights === null ? null : takeWeights(plan.weights, order, start, end);
    const yPred = model.forward(xb, true);
    const loss = addPenalties(model, compiled.loss.fn(yb, yPred, { sampleWeight: wb }));
    if (loss.size !== 1) throw new ValueError(`fit: the loss must be a scalar, it has shape [${loss.shape.join(', ')}]`);
    if (loss.requiresGrad) {
      backward(loss);
      compiled.optimizer.apply(model.trainableWeights);
      model.applyConstraints?.();
    }
    lossSum += loss.data[0] * (end - start);
    seen += end - start;
    for (const m of plan.metrics) m.update(yb, yPred, wb);
    logs = { loss: lossSum / seen };
    for (const m of plan.metrics) logs[m.name] = m.result();
    await callHook(callbacks, 'onBatchEnd', batch, logs);
    if (model.stopTraining) break;
    if (clock.now() - clock.lastYield >= opts.yieldEvery) {
      await yieldToEventLoop();
      clock.lastYield = clock.now();
    }
  }
  return { ...logs };
}

/** Converts and checks every input, splits off validation data, probes the output shape, builds metrics. */
function preparePlan(model: Trainable, compiled: Compiled, x: unknown, y: unknown, opts: ResolvedFitOptions): Plan {
  let xs = toTensor(x, 'fit: x');
  let ys = toTensor(y, 'fit: y');
  checkSameSamples(xs, ys, 'fit');
  checkFinite(xs, 'fit: x');
  checkFinite(ys, 'fit: y');
  let validation: { x: Tensor; y: Tensor } | null = null;
  if (opts.validationData !== null) {
    const vx = toTensor(opts.validationData[0], 'fit: validationData x');
    const vy = toTensor(opts.validationData[1], 'fit: validationData y');
    checkSameSamples(vx, vy, 'fit: validationData');
    checkFinite(vx, 'fit: validationData x');
    checkFinite(vy, 'fit: validationData y');
    checkSameFeatures(xs, vx, 'fit: validationData x');
    validation = { x: vx, y: vy };
  } else if (opts.validationSplit > 0) {
    const n = xs.shape[0];
    // Keras: the last fraction of the samples, before any shuffling.
    const splitAt = Math.floor(n * (1 - opts.validationSplit));
    if (splitAt === 0 || splitAt === n) {
      throw new ValueError(
        `fit: validationSplit ${opts.validationSplit} of ${n} samples leaves ${splitAt} for training and ${n - splitAt} for validation; both need at least one`,
      );
    }
    validation = { x: sliceSamples(xs, splitAt, n), y: sliceSamples(ys, splitAt, n) };
    xs = sliceSamples(xs, 0, splitAt);
    ys = sliceSamples(ys, 0, splitAt);
  }
  const outShape = probeOutputShape(model, xs, opts.batchSize, 'fit');
  const targets = prepareTargets(compiled.loss.id, ys, outShape, 'fit: y');
  if (validation !== null) {
    validation.y = prepareTargets(compiled.loss.id, validation.y, outShape, 'fit: validation y');
  }
  const metrics = buildMetrics(compiled, targets, outShape, 'fit');
  // An optimizer already built for other variables (shared between models) fails here, not after a forward pass.
  if (compiled.optimizer.built) compiled.optimizer.build(model.trainableWeights);
  const weights = opts.classWeight === null ? null : classWeightsToSampleWeights(opts.classWeight, targets, 'fit');
  return { x: xs, y: targets, weights, validation, metrics };
}
