import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Layer } from '../layers/layer.js';
import { Model } from '../models/model.js';
import { Callback } from '../training/callbacks.js';
import { Trainable } from '../training/trainable.js';
import { cloneLayer, modelLayers, rewriteModel } from './model-layers.js';
import { isQuantizable } from './quantize.js';
import { checkSparsity, PruningSchedule } from './pruning-schedule.js';

/** Options of `prune`. */
export interface PruneOptions {
  /** The final sparsity; alone, the kernels are pruned to it at once and the masks then stay fixed. */
  targetSparsity?: number;
  /** A schedule (`polynomialDecay`, `constantSparsity`) that raises sparsity during fine-tuning; needs the `UpdatePruningStep` callback in `fit`. */
  schedule?: PruningSchedule;
  /** Names of the layers to prune (default: every Dense and Conv2D). */
  layers?: string[];
}

interface Pruned {
  kernel: Tensor;
  mask: Uint8Array;
}

interface PruningState {
  schedule: PruningSchedule | null;
  step: number;
  layers: Map<Layer, Pruned>;
}

const states = new WeakMap<object, PruningState>();

/**
 * The mask keeping the round(size·(1 − sparsity)) largest |w| (tfmot's rule: |w| ≥ the k-th largest,
 * so ties keep a few more); zeros everywhere for k = 0.
 * @example magnitudeMask(new Float32Array([0.1, -2, 0.5, 3]), 0.5); // Uint8Array [0, 1, 0, 1]
 */
export function magnitudeMask(w: Float32Array, sparsity: number): Uint8Array {
  const keep = Math.round(w.length * (1 - sparsity));
  const mask = new Uint8Array(w.length);
  if (keep === 0) return mask;
  const sorted = Float32Array.from(w, Math.abs).sort();
  const threshold = sorted[w.length - keep];
  for (let i = 0; i < w.length; i++) mask[i] = Math.abs(w[i]) >= threshold ? 1 : 0;
  return mask;
}

function applyMask({ kernel, mask }: Pruned): void {
  const d = kernel.data;
  for (let i = 0; i < d.length; i++) if (mask[i] === 0) d[i] = 0;
}

/**
 * Magnitude pruning as tfmot's `prune_low_magnitude`: returns a NEW model (the layers copied) whose
 * Dense and Conv2D kernels are masked, the smallest weights set to zero. With `targetSparsity`
 * alone the masks are set now and kept; with a `schedule`, fine-tune with `fit(…, { callbacks:
 * [new UpdatePruningStep()] })`, which re-applies the masks after every batch and recomputes them
 * on the schedule's steps. Compile the returned model before fitting; `stripPruning` ends it.
 * @example const p = prune(model, { schedule: polynomialDecay({ finalSparsity: 0.8, endStep: 500, frequency: 50 }) });
 */
export function prune<M extends Model>(model: M, options: PruneOptions): M {
  checkOptionKeys(options, ['targetSparsity', 'schedule', 'layers'], 'prune');
  if (options === undefined || options === null) throw new ValueError('prune: expected options { targetSparsity } or { schedule }');
  const { targetSparsity, schedule, layers: names } = options;
  if (targetSparsity === undefined && schedule === undefined) throw new ValueError('prune: give targetSparsity or a schedule');
  if (targetSparsity !== undefined) checkSparsity(targetSparsity, 'prune targetSparsity');
  if (schedule !== undefined && (typeof schedule?.sparsity !== 'function' || typeof schedule?.shouldPrune !== 'function')) {
    throw new ValueError('prune: schedule must be a pruning schedule (polynomialDecay(…) or constantSparsity(…))');
  }
  if (schedule !== undefined && targetSparsity !== undefined && Math.abs(schedule.finalSparsity - targetSparsity) > 1e-12) {
    throw new ValueError(`prune: targetSparsity ${targetSparsity} differs from the schedule's finalSparsity ${schedule.finalSparsity}`);
  }
  const source = modelLayers(model, 'prune');
  if (names !== undefined) {
    const unknown = names.filter((n) => !source.some((l) => l.name === n && isQuantizable(l)));
    if (unknown.length > 0) throw new ValueError(`prune: no Dense or Conv2D layer named ${unknown.map((n) => `'${n}'`).join(', ')}`);
  }
  const copy = rewriteModel(model, cloneLayer, 'prune') as M;
  const pruned = new Map<Layer, Pruned>();
  for (const l of modelLayers(copy, 'prune')) {
    if (!isQuantizable(l) || (names !== undefined && !names.includes(l.name))) continue;
    const kernel = l.namedWeights().find((w) => w.name === 'kernel')!.value;
    pruned.set(l, { kernel, mask: new Uint8Array(kernel.size).fill(1) });
  }
  const state: PruningState = { schedule: schedule ?? null, step: 0, layers: pruned };
  if (schedule === undefined) updateMasks(state, targetSparsity!);
  states.set(copy, state);
  return copy;
}

function updateMasks(state: PruningState, sparsity: number): void {
  for (const p of state.layers.values()) {
    p.mask = magnitudeMask(p.kernel.data, sparsity);
    applyMask(p);
  }
}

function stateOf(model: unknown, what: string): PruningState {
  const state = model !== null && typeof model === 'object' ? states.get(model) : undefined;
  if (state === undefined) throw new NeuriteError(`${what}: the model was not made by prune() (or its pruning was stripped)`);
  return state;
}

/**
 * The callback that keeps a pruned model pruned during `fit` (tfmot's UpdatePruningStep): before
 * each batch it recomputes the masks when the schedule says so, and after each batch it zeros the
 * pruned weights again (the optimizer moved them).
 * @example await pruned.fit(x, y, { epochs: 2, callbacks: [new UpdatePruningStep()] });
 */
export class UpdatePruningStep implements Callback {
  private state: PruningState | null = null;

  setModel(model: Trainable): void {
    this.state = stateOf(model, 'UpdatePruningStep');
  }

  onTrainBegin(): void {
    if (this.state === null) throw new NeuriteError('UpdatePruningStep: fit did not give the callback its model');
  }

  onBatchBegin(): void {
    const s = this.state!;
    if (s.schedule !== null && s.schedule.shouldPrune(s.step)) updateMasks(s, s.schedule.sparsity(s.step));
    for (const p of s.layers.values()) applyMask(p);
  }

  onBatchEnd(): void {
    const s = this.state!;
    for (const p of s.layers.values()) applyMask(p);
    s.step++;
  }
}

/** One layer of `pruningSummary`. */
export interface PruningRow {
  layer: string;
  weights: number;
  zeros: number;
  sparsity: number;
}

/**
 * The sparsity of every Dense / Conv2D kernel of `model` (pruned or not), and over all of them.
 * @example const { sparsity, rows } = pruningSummary(model); // fraction of zero kernel weights, overall and per layer
 */
export function pruningSummary(model: Model): { rows: PruningRow[]; sparsity: number } {
  const rows = modelLayers(model, 'pruningSummary')
    .filter(isQuantizable)
    .map((l) => {
      const k = l.namedWeights().find((w) => w.name === 'kernel')!.value.data;
      let zeros = 0;
      for (const v of k) if (v === 0) zeros++;
      return { layer: l.name, weights: k.length, zeros, sparsity: zeros / k.length };
    });
  const total = rows.reduce((n, r) => n + r.weights, 0);
  return { rows, sparsity: total === 0 ? 0 : rows.reduce((n, r) => n + r.zeros, 0) / total };
}

/**
 * Ends pruning: a copy of the model with its masks applied and no pruning state, like tfmot's
 * `strip_pruning`. Its zeros stay zeros in saved files (which then compress well).
 * @example const final = stripPruning(pruned); await final.save('./pruned');
 */
export function stripPruning<M extends Model>(model: M): M {
  const state = stateOf(model, 'stripPruning');
  for (const p of state.layers.values()) applyMask(p);
  return rewriteModel(model, cloneLayer, 'stripPruning') as M;
}
