import { addPenalties } from './penalties.js';
import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import { reshape } from '../ops/reshape.js';
import { Compiled, buildMetrics, historyKey } from './compile.js';
import { logMetric, Metric, metricLogKeys } from './metrics.js';
import { restoreState, snapshotState, StateJson } from './metric-state.js';
import { Logs } from './progress.js';
import { ClassWeight, classWeightsToSampleWeights, prepareTargets } from './targets.js';
import { Trainable } from './trainable.js';

/** One batch as the loops see it: a tensor per input, a tensor per output's targets, optional weights. */
export interface Batch {
  xs: Tensor[];
  ys: Tensor[];
  /** One weight per sample `[b]`, or per timestep `[b, steps]` for sequence outputs; null for none; or one of those per output. */
  sampleWeight: SampleWeights;
}

/** Sample weights shared by every output, or one entry per output (null: that output unweighted). */
export type SampleWeights = Tensor | null | (Tensor | null)[];

/** `w` with `fn` applied to each tensor in it (slicing a batch out of every output's weights). */
export function mapWeights(w: SampleWeights, fn: (t: Tensor) => Tensor): SampleWeights {
  if (w === null) return null;
  return Array.isArray(w) ? w.map((t) => (t === null ? null : fn(t))) : fn(w);
}

/** A batch's losses: the weighted total (recorded for backward) and each output's value. */
export interface StepResult {
  total: Tensor;
  perOutput: number[];
  size: number;
}

/** The model's outputs on `xs`, checked: one per output name, each with the batch's samples first. */
export function forwardChecked(model: Trainable, xs: Tensor[], training: boolean, what: string): Tensor[] {
  const out = model.forward(xs, training);
  const n = xs[0].shape[0];
  if (!Array.isArray(out) || out.length !== model.outputNames.length) {
    throw new NeuriteError(`${what}: the model must return ${model.outputNames.length} tensor(s) (${model.outputNames.join(', ')}), returned ${Array.isArray(out) ? out.length : typeof out}`);
  }
  out.forEach((y, i) => {
    if (!(y instanceof Tensor) || y.rank === 0 || y.shape[0] !== n) {
      throw new ShapeError(
        `${what}: output '${model.outputNames[i]}' must be a Tensor with the batch's ${n} samples first, returned ${y instanceof Tensor ? formatShape(y.shape) : typeof y}`,
      );
    }
  });
  return out;
}

/**
 * `(y, yPred, weights)` as the loss sees them. Per-timestep weights `[b, steps]` need an output
 * `[b, steps, …]`: both are folded to `[b·steps, …]`, so each timestep is one weighted row and the loss's
 * Σ value·w / size is Keras's sum over the batch and timesteps.
 */
function weighted(y: Tensor, yPred: Tensor, w: Tensor | null, output: string, what: string): [Tensor, Tensor, Float32Array | null] {
  if (w === null) return [y, yPred, null];
  if (w.rank === 1) return [y, yPred, w.data];
  const [b, steps] = w.shape;
  if (yPred.rank < 3 || yPred.shape[1] !== steps || y.shape[1] !== steps) {
    throw new ShapeError(
      `${what}: a per-timestep sampleWeight ${formatShape(w.shape)} needs a sequence output [batch, ${steps}, …]; output '${output}' is ${formatShape(yPred.shape)} with targets ${formatShape(y.shape)}`,
    );
  }
  const fold = (t: Tensor) => reshape(t, [b * steps, ...t.shape.slice(2)]);
  return [fold(y), fold(yPred), w.data];
}

/**
 * Folds a sequence output's mask into its sample weights, as Keras does: masked steps weigh 0, and the
 * mask is scaled by steps / unmasked steps so the loss stays the mean over the unmasked steps.
 * Outputs without a per-step mask keep their weights.
 */
function maskedWeights(w: Tensor | null, mask: Tensor | null, yPred: Tensor): Tensor | null {
  if (mask === null || mask.rank !== 2 || yPred.rank < 3 || mask.shape[0] !== yPred.shape[0] || mask.shape[1] !== yPred.shape[1]) return w;
  // Weights of another shape are left for `weighted` to refuse with its message.
  if (w !== null && !(w.rank === 1 && w.size === mask.shape[0]) && !(w.rank === 2 && w.size === mask.size)) return w;
  let kept = 0;
  for (let i = 0; i < mask.size; i++) kept += mask.data[i] !== 0 ? 1 : 0;
  const scale = kept === 0 ? 0 : mask.size / kept;
  const steps = mask.shape[1];
  const out = new Float32Array(mask.size);
  for (let i = 0; i < mask.size; i++) {
    const sample = w === null ? 1 : w.rank === 1 ? w.data[Math.floor(i / steps)] : w.data[i];
    out[i] = mask.data[i] !== 0 ? scale * sample : 0;
  }
  return new Tensor(out, [...mask.shape]);
}

/**
 * Computes one batch's losses and feeds the metrics, for fit (training = true, recorded) and evaluation
 * (inside noGrad). Metrics are built on the first batch, from its targets and output shapes.
 */
export class StepRunner {
  private metrics: Metric[][] | null = null;

  constructor(
    readonly model: Trainable,
    readonly compiled: Compiled,
    readonly what: string,
    readonly classWeight: ClassWeight | null = null,
    /** How messages name the targets (`'fit: validation y'`). */
    readonly yLabel = `${what}: y`,
  ) {
    if (classWeight !== null && compiled.outputs.length > 1) {
      throw new ValueError(`${what}: classWeight is for a model with one output (as Keras); this one has ${compiled.outputs.length}: use sampleWeight instead`);
    }
  }

  /** Forgets the metric totals (start of an epoch or an evaluation). */
  reset(): void {
    for (const list of this.metrics ?? []) for (const m of list) m.reset();
  }

  /** The metrics' running state (for a resume mid-epoch); see `snapshotState`. */
  metricState(): StateJson {
    return snapshotState(this.metrics ?? []) ?? null;
  }

  /** Puts back a state from `metricState` (the metrics were built, by the probe, before). */
  setMetricState(state: StateJson): void {
    if (this.metrics !== null) restoreState(this.metrics, state);
  }

  /** The history keys this runner logs, in order (known after the first batch for metrics). */
  keys(): string[] {
    const outs = this.compiled.outputs;
    const losses = outs.length > 1 ? outs.map((o) => `${o.name}_loss`) : [];
    return ['loss', ...losses, ...outs.flatMap((o) => o.metrics.flatMap((m) => metricLogKeys(historyKey(outs, o.name, m.key), m.instance ?? {})))];
  }

  /** Targets prepared for every output from predictions `preds`; builds the metrics on first use. */
  prepare(ys: Tensor[], preds: Tensor[]): Tensor[] {
    const outs = this.compiled.outputs;
    if (ys.length !== outs.length) throw new ValueError(`${this.what}: expected targets for ${outs.length} output(s), received ${ys.length}`);
    const targets = outs.map((o, i) => prepareTargets(o.loss.id, ys[i], preds[i].shape, outs.length > 1 ? `${this.yLabel} '${o.name}'` : this.yLabel));
    this.metrics ??= outs.map((_, i) => buildMetrics(this.compiled, targets[i], preds[i].shape, this.what, i));
    return targets;
  }

  /** Forward pass, every output's loss (times its weight, summed), metric updates. */
  step(batch: Batch, training: boolean): StepResult {
    const preds = forwardChecked(this.model, batch.xs, training, this.what);
    const targets = this.prepare(batch.ys, preds);
    let w = batch.sampleWeight;
    if (this.classWeight !== null) {
      const cw = classWeightsToSampleWeights(this.classWeight, targets[0], this.what);
      const own = Array.isArray(w) ? w[0] : w;
      w = own === null ? new Tensor(cw, [cw.length]) : combine(own, cw);
    }
    let total: Tensor | null = null;
    const perOutput: number[] = [];
    const masks = this.model.outputMasks ?? [];
    this.compiled.outputs.forEach((o, i) => {
      const own = maskedWeights(Array.isArray(w) ? w[i] : w, masks[i] ?? null, preds[i]);
      const [y, p, sw] = weighted(targets[i], preds[i], own, o.name, this.what);
      const loss = o.loss.fn(y, p, { sampleWeight: sw });
      if (loss.size !== 1) throw new ValueError(`${this.what}: the loss of output '${o.name}' must be a scalar, it has shape ${formatShape(loss.shape)}`);
      perOutput.push(loss.data[0]);
      const scaled = o.weight === 1 ? loss : mul(loss, o.weight);
      total = total === null ? scaled : add(total, scaled);
      for (const m of this.metrics![i]) m.update(y, p, sw);
    });
    // Regularization penalties join the total (shown in `loss`, as Keras), not the per-output losses.
    return { total: addPenalties(this.model, total!), perOutput, size: batch.xs[0].shape[0] };
  }

  /** Logs from running sums: `loss` and each output's loss as sample-weighted means, then the metrics. */
  logs(lossSums: readonly number[], seen: number): Logs {
    const outs = this.compiled.outputs;
    const logs: Logs = { loss: lossSums[0] / seen };
    if (outs.length > 1) outs.forEach((o, i) => (logs[`${o.name}_loss`] = lossSums[i + 1] / seen));
    for (const list of this.metrics ?? []) for (const m of list) logMetric(logs, m);
    return logs;
  }
}

/** Sample weights times class weights (per sample; broadcast over timesteps). */
function combine(w: Tensor, cw: Float32Array): Tensor {
  const per = w.size / cw.length;
  const out = new Float32Array(w.size);
  for (let i = 0; i < w.size; i++) out[i] = w.data[i] * cw[Math.floor(i / per)];
  return new Tensor(out, w.shape);
}

/** Running sums of a sequence of steps: total loss and each output's, weighted by batch size. */
export class LossTotals {
  sums: number[];
  seen = 0;
  constructor(outputs: number) {
    this.sums = new Array<number>(outputs + 1).fill(0);
  }
  add(r: StepResult): void {
    this.sums[0] += r.total.data[0] * r.size;
    r.perOutput.forEach((v, i) => (this.sums[i + 1] += v * r.size));
    this.seen += r.size;
  }
}
