import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { clipByValue, decayInPlace, emaUpdate, scaleInPlace, squaredNorm } from '../kernels/optimizer-steps.js';
import { LearningRateSchedule } from './schedules/schedule.js';
import { BaseOptimizerOptions, checkNumber, ConfigValue, describeParams, resolveBaseOptions, ResolvedBase } from './base-options.js';

export { checkNumber } from './base-options.js';
export type { BaseOptimizerOptions } from './base-options.js';

/** Everything an optimizer remembers between steps, for saving and resuming training bit-identically. */
export interface OptimizerState {
  /** Number of `apply` calls so far (Keras's `iterations`). */
  iterations: number;
  /** Slot arrays in order: for each parameter (in the order given), each of `slotNames` (copies). */
  slots: Float32Array[];
}

/** Option keys every optimizer accepts (its own are added by each class). */
export const BASE_OPTION_KEYS = ['learningRate', 'weightDecay', 'clipNorm', 'clipValue', 'globalClipnorm', 'useEma', 'emaMomentum', 'emaOverwriteFrequency'] as const;

/**
 * Base of the optimizers, in Keras 3's order for one `apply(params)`: skip parameters without a gradient;
 * clip the gradients (`clipNorm` per variable, `globalClipnorm` over all, or `clipValue` elementwise);
 * decay each weight (p ← p − p·weightDecay·lr); run the fused update loop of the subclass on `param.data`;
 * update the weights' moving averages (`useEma`), overwriting the weights every `emaOverwriteFrequency`
 * steps; count the step. Gradients are clipped and then zeroed in place, so the next `backward()`
 * accumulates into the same array with no allocation per step.
 *
 * State is kept per variable (a Map from the variable Tensor to its slots), created the first time a
 * variable is seen: a layer frozen (`trainable = false`) and unfrozen later, or a model compiled again with
 * the same optimizer, keeps every variable's moments. `iterations` is one count for the optimizer, as Keras.
 * @example
 * const opt: Optimizer = new SGD({ learningRate: 0.1 });
 * const w = variable(tensor([1, 2]));
 * backward(sum(square(w)));
 * opt.apply([w]); // w ← w − 0.1·2w
 * w.toArray(); // [0.8, 1.6]
 */
export abstract class Optimizer {
  /** The Keras / TF.js class name (`'Adam'`). */
  abstract readonly className: string;
  /** Names of the per-parameter slots, in state order (`['m', 'v']` for Adam; `average` last with `useEma`). */
  abstract readonly slotNames: readonly string[];
  /** Number of `apply` calls so far. */
  iterations = 0;
  /** Whether the last `apply` was skipped because a gradient to clip had a non-finite norm (fit logs its loss as NaN). */
  lastStepNonFinite = false;
  /** The shared options, validated. */
  protected readonly base: ResolvedBase;
  private lr: number | LearningRateSchedule;
  private readonly state = new Map<Tensor, Float32Array[]>();
  private readonly noDecay = new Set<Tensor>();

  constructor(owner: string, options: BaseOptimizerOptions, ownKeys: readonly string[], defaultLearningRate: number) {
    checkOptionKeys(options, [...BASE_OPTION_KEYS, ...ownKeys], owner);
    this.base = resolveBaseOptions(owner, options, defaultLearningRate);
    this.lr = this.base.learningRate;
  }

  /** Updates one parameter in place from its (clipped) gradient `g`, with its `slots`, learning rate `lr`; `step` counts from 1. */
  protected abstract update(p: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, step: number): void;

  /** The subclass's own hyper-parameters, TF.js camelCase keys (`beta1` …). */
  protected abstract ownConfig(): Record<string, ConfigValue>;

  /** Initial value of slot `index` (0 unless the optimizer starts an accumulator elsewhere, as Adagrad). */
  protected slotInitialValue(index: number): number {
    void index;
    return 0;
  }

  /** Called once per `apply` before the per-variable updates (Nadam's running product), with the step (from 1). */
  protected beginStep(step: number): void {
    void step;
  }

  /** The learning rate now: the constant, or the schedule evaluated at `iterations` (Keras). */
  get learningRate(): number {
    return this.currentLearningRate(this.iterations);
  }

  /** Sets a constant learning rate (as Keras, not allowed when the optimizer was created with a schedule). */
  set learningRate(value: number) {
    if (this.lr instanceof LearningRateSchedule) {
      throw new NeuriteError(`${this.className}: the learning rate comes from a ${this.lr.className} schedule and cannot be set; create the optimizer with a number instead`);
    }
    this.lr = checkNumber(this.className, 'learningRate', value, { min: 0 });
  }

  /** The schedule given as `learningRate`, or null for a constant. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.lr instanceof LearningRateSchedule ? this.lr : null;
  }

  /** Per-parameter gradient norm limit, or null. */
  get clipNorm(): number | null {
    return this.base.clipNorm;
  }

  /** Whether any variable has slots yet (after the first `apply` or `build`). */
  get built(): boolean {
    return this.state.size > 0;
  }

  /** Keras's `exclude_from_weight_decay(var_list)`: these variables are not decayed. */
  excludeFromWeightDecay(varList: readonly Tensor[]): void {
    this.checkParams(varList, 'excludeFromWeightDecay');
    for (const v of varList) this.noDecay.add(v);
  }

  /** Creates the initial slots of every variable in `params` that has none yet (the first `apply` does this). */
  build(params: readonly Tensor[]): void {
    this.checkParams(params, 'build');
    for (const p of params) this.slotsOf(p);
  }

  /**
   * One optimization step on `params` from their `.grad`, then zeroes each gradient in place.
   * Everything is validated before any value changes.
   * @example backward(loss); optimizer.apply(model.trainableWeights);
   */
  apply(params: readonly Tensor[]): void {
    this.checkParams(params, 'apply');
    params.forEach((p, i) => {
      if (p.grad !== null && p.grad.size !== p.size) {
        throw new ShapeError(`${this.className}.apply: parameter ${i} has shape ${formatShape(p.shape)} but its gradient has shape ${formatShape(p.grad.shape)}`);
      }
    });
    const lr = this.currentLearningRate(this.iterations);
    const live = params.filter((p) => p.grad !== null);
    for (const p of live) this.slotsOf(p);
    this.lastStepNonFinite = !this.clipGradients(live);
    if (this.lastStepNonFinite) {
      // Skipped, as TerminateOnNaN expects: no weight or slot written, gradients cleared.
      for (const p of live) p.grad!.data.fill(0);
      return;
    }
    const step = this.iterations + 1;
    this.beginStep(step);
    const decay = this.base.weightDecay;
    for (const p of live) {
      if (decay !== null && !this.noDecay.has(p)) decayInPlace(p.data, decay * lr);
      const slots = this.state.get(p)!;
      this.update(p.data, p.grad!.data, this.base.useEma ? slots.slice(0, -1) : slots, lr, step);
      p.grad!.data.fill(0);
    }
    if (this.base.useEma) this.updateAverages();
    this.iterations = step;
  }

  /** Keras's `finalize_variable_values`: with `useEma`, copies each variable's moving average into it (fit does this at the end). */
  finalizeVariableValues(params: readonly Tensor[]): void {
    this.checkParams(params, 'finalizeVariableValues');
    if (!this.base.useEma) return;
    for (const p of params) {
      const slots = this.state.get(p);
      if (slots !== undefined) p.data.set(slots[slots.length - 1]);
    }
  }

  /** A copy of the iteration count and of the slots of `params` (default: every variable seen, in first-seen order). */
  getState(params?: readonly Tensor[]): OptimizerState {
    const list = params === undefined ? [...this.state.keys()] : this.checkedList(params, 'getState');
    return { iterations: this.iterations, slots: list.flatMap((p) => this.slotsFor(p).map((a) => new Float32Array(a))) };
  }

  /**
   * Restores `getState()`'s output for `params` (default: every variable seen, in first-seen order, so the
   * optimizer must be built). Checks everything first; variables given get their slots created if needed.
   */
  setState(state: OptimizerState, params?: readonly Tensor[]): void {
    if (params === undefined && !this.built) {
      throw new NeuriteError(`${this.className}.setState: the optimizer has no slots yet; call build(params) (or apply once) first, or pass params`);
    }
    const list = params === undefined ? [...this.state.keys()] : this.checkedList(params, 'setState');
    if (state === null || typeof state !== 'object' || !Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new ValueError(`${this.className}.setState: expected { iterations: a non-negative integer, slots }, received iterations ${String(state?.iterations)}`);
    }
    const k = this.slotNames.length;
    if (!Array.isArray(state.slots) || state.slots.length !== list.length * k) {
      throw new ValueError(
        `${this.className}.setState: expected ${list.length * k} slot arrays (${list.length} parameters × [${this.slotNames.join(', ')}]), ` +
          `received ${Array.isArray(state.slots) ? state.slots.length : typeof state.slots}`,
      );
    }
    state.slots.forEach((s, i) => {
      const size = list[Math.floor(i / k)].size;
      if (!(s instanceof Float32Array) || s.length !== size) {
        throw new ShapeError(`${this.className}.setState: slot ${i} expected a Float32Array of length ${size}, received ${s instanceof Float32Array ? `length ${s.length}` : typeof s}`);
      }
    });
    list.forEach((p, j) => this.slotsOf(p).forEach((slot, s) => slot.set(state.slots[j * k + s])));
    this.iterations = state.iterations;
  }

  /** The hyper-parameters, TF.js camelCase keys; Keras-only options appear when set away from their defaults. */
  getConfig(): Record<string, ConfigValue> {
    const lr = this.lr instanceof LearningRateSchedule ? this.lr.serialize() : this.lr;
    const config: Record<string, ConfigValue> = { learningRate: lr, ...this.ownConfig() };
    const b = this.base;
    if (b.weightDecay !== null && !('weightDecay' in config)) config.weightDecay = b.weightDecay;
    if (b.clipNorm !== null) config.clipNorm = b.clipNorm;
    if (b.clipValue !== null) config.clipValue = b.clipValue;
    if (b.globalClipnorm !== null) config.globalClipnorm = b.globalClipnorm;
    if (b.useEma) {
      config.useEma = true;
      config.emaMomentum = b.emaMomentum;
      if (b.emaOverwriteFrequency !== null) config.emaOverwriteFrequency = b.emaOverwriteFrequency;
    }
    return config;
  }

  private currentLearningRate(iterations: number): number {
    if (!(this.lr instanceof LearningRateSchedule)) return this.lr;
    const value = this.lr.call(iterations);
    if (!Number.isFinite(value) || value < 0) {
      throw new ValueError(`${this.className}: the ${this.lr.className} schedule returned learning rate ${value} at step ${iterations}; expected a finite number >= 0`);
    }
    return value;
  }

  /** The variable's slots, created at their initial values on first sight (the EMA average starts at the variable). */
  private slotsOf(p: Tensor): Float32Array[] {
    let slots = this.state.get(p);
    if (slots === undefined) {
      slots = this.slotsFor(p);
      this.state.set(p, slots);
    }
    return slots;
  }

  /** Existing slots of `p`, or fresh initial ones (not stored). */
  private slotsFor(p: Tensor): Float32Array[] {
    const own = this.state.get(p);
    if (own !== undefined) return own;
    const k = this.slotNames.length - (this.base.useEma ? 1 : 0);
    const slots = Array.from({ length: k }, (_, i) => new Float32Array(p.size).fill(this.slotInitialValue(i)));
    if (this.base.useEma) slots.push(new Float32Array(p.data));
    return slots;
  }

  /**
   * Clips the gradients as configured; false (nothing changed) when a norm to clip by is not finite.
   * NOTE: an overflowed norm would clip to 0 × ∞ = NaN weights; the caller skips the step instead.
   */
  private clipGradients(live: readonly Tensor[]): boolean {
    const { clipNorm, globalClipnorm, clipValue } = this.base;
    if (clipNorm !== null) {
      const norms = live.map((p) => Math.sqrt(squaredNorm(p.grad!.data)));
      if (norms.some((n) => !Number.isFinite(n))) return false;
      // Keras: g·c / max(‖g‖, c).
      live.forEach((p, i) => scaleInPlace(p.grad!.data, clipNorm / Math.max(norms[i], clipNorm)));
    } else if (globalClipnorm !== null) {
      let total = 0;
      for (const p of live) total += squaredNorm(p.grad!.data);
      const norm = Math.sqrt(total);
      if (!Number.isFinite(norm)) return false;
      // Keras: c·min(1/‖g‖, 1/c).
      const scale = globalClipnorm * Math.min(1 / norm, 1 / globalClipnorm);
      for (const p of live) scaleInPlace(p.grad!.data, scale);
    } else if (clipValue !== null) {
      for (const p of live) clipByValue(p.grad!.data, clipValue);
    }
    return true;
  }

  /** Keras: average ← μ·average + (1 − μ)·p for every variable seen (μ = 0 on the first step), then the periodic overwrite. */
  private updateAverages(): void {
    const mu = this.iterations === 0 ? 0 : this.base.emaMomentum;
    const overwrite = this.base.emaOverwriteFrequency !== null && (this.iterations + 1) % this.base.emaOverwriteFrequency === 0;
    for (const [p, slots] of this.state) {
      const average = slots[slots.length - 1];
      emaUpdate(average, p.data, mu);
      if (overwrite) p.data.set(average);
    }
  }

  private checkParams(params: readonly Tensor[], method: string): void {
    if (!Array.isArray(params) || params.some((p) => !(p instanceof Tensor))) {
      throw new ValueError(`${this.className}.${method}: expected an array of Tensors (the trainable weights), received ${describeParams(params)}`);
    }
  }

  private checkedList(params: readonly Tensor[], method: string): Tensor[] {
    this.checkParams(params, method);
    return [...params];
  }
}
