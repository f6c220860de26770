import { NeuriteError, ShapeError, ValueError } from '../util/errors.js';
import { formatShape } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Everything an optimizer remembers between steps, for saving and resuming training bit-identically. */
export interface OptimizerState {
  /** Number of `apply` calls so far (Keras's `iterations`). */
  iterations: number;
  /** Slot arrays in order: for each parameter (in `apply` order), each of `slotNames` (copies). */
  slots: Float32Array[];
}

/** Options every optimizer accepts besides its own. */
export interface BaseOptimizerOptions {
  /** Step size. */
  learningRate?: number;
  /** Rescales each parameter's gradient to at most this L2 norm, as Keras's `clipnorm` (per variable). */
  clipNorm?: number;
}

/** Checks a hyper-parameter is a finite number in range; `owner` names the optimizer in the message. */
export function checkNumber(owner: string, name: string, value: unknown, { min = -Infinity, max = Infinity, minExclusive = false } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (minExclusive ? value > min : value >= min) && value <= max;
  if (!ok) {
    const range = `${minExclusive ? '(' : '['}${min}, ${max}]`;
    throw new ValueError(`${owner}: expected ${name} to be a finite number in ${range}, received ${String(value)}`);
  }
  return value as number;
}

/**
 * Base of the optimizers: `apply(params)` updates every `param.data` in place from `param.grad.data`
 * in one fused loop per parameter, then zeroes that gradient in place (so the next `backward()`
 * accumulates into the same array, with no allocation per step). A parameter whose `grad` is null
 * is skipped (no update, its slots untouched), as Keras skips variables without a gradient.
 * Slots (moments, velocities …) are created on the first `apply` (or `build`) for those parameters,
 * in that order; later calls must pass the same parameters.
 */
export abstract class Optimizer {
  /** The Keras / TF.js class name (`'Adam'`). */
  abstract readonly className: string;
  /** Names of the per-parameter slots, in state order (`['m', 'v']` for Adam). */
  abstract readonly slotNames: readonly string[];
  /** Step size; may be changed between steps (a schedule), as Keras's `learning_rate` variable. */
  learningRate: number;
  /** Per-parameter gradient norm limit, or null. */
  readonly clipNorm: number | null;
  /** Number of `apply` calls so far. */
  iterations = 0;
  /** Whether the last `apply` was skipped because a gradient to clip had a non-finite norm (fit logs its loss as NaN). */
  lastStepNonFinite = false;
  private params: readonly Tensor[] | null = null;
  private slots: Float32Array[][] = [];

  constructor(owner: string, { learningRate, clipNorm }: BaseOptimizerOptions, defaultLearningRate: number) {
    this.learningRate = checkNumber(owner, 'learningRate', learningRate ?? defaultLearningRate, { min: 0 });
    this.clipNorm = clipNorm === undefined ? null : checkNumber(owner, 'clipNorm', clipNorm, { min: 0, minExclusive: true });
  }

  /** Updates one parameter: `p` in place from gradient `g` (times `gradScale`), with its `slots`; `step` counts from 1. */
  protected abstract update(p: Float32Array, g: Float32Array, gradScale: number, slots: Float32Array[], step: number): void;

  /** The hyper-parameters, TF.js camelCase keys (`learningRate`, `beta1` …). */
  abstract getConfig(): Record<string, number | boolean>;

  /** Whether slots exist (after the first `apply` or `build`). */
  get built(): boolean {
    return this.params !== null;
  }

  /** Creates the zero slots for `params` (the first `apply` does this); needed before `setState` on a fresh optimizer. */
  build(params: readonly Tensor[]): void {
    this.checkParams(params, 'build');
    if (this.params !== null) {
      this.checkSameParams(params, 'build');
      return;
    }
    this.params = [...params];
    this.slots = params.map((p) => this.slotNames.map(() => new Float32Array(p.size)));
  }

  /**
   * One optimization step on `params` from their `.grad`, then zeroes each gradient in place.
   * Everything is validated before any value changes.
   * @example backward(loss); optimizer.apply(model.trainableWeights);
   */
  apply(params: readonly Tensor[]): void {
    this.checkParams(params, 'apply');
    if (this.params !== null) this.checkSameParams(params, 'apply');
    params.forEach((p, i) => {
      if (p.grad !== null && p.grad.size !== p.size) {
        throw new ShapeError(
          `${this.className}.apply: parameter ${i} has shape ${formatShape(p.shape)} but its gradient has shape ${formatShape(p.grad.shape)}`,
        );
      }
    });
    if (this.params === null) this.build(params);
    const clipNorm = this.clipNorm;
    const scales = params.map((p) => (clipNorm === null || p.grad === null ? 1 : clipScale(p.grad.data, clipNorm)));
    // NOTE: a gradient whose norm overflowed (or is NaN) would clip to 0 × ∞ = NaN weights; the step is
    // skipped instead (no weight or slot written) and reported as non-finite, as TerminateOnNaN expects.
    this.lastStepNonFinite = scales.some((s) => Number.isNaN(s));
    if (this.lastStepNonFinite) {
      for (const p of params) p.grad?.data.fill(0);
      return;
    }
    this.iterations++;
    for (let i = 0; i < params.length; i++) {
      const grad = params[i].grad;
      if (grad === null) continue;
      this.update(params[i].data, grad.data, scales[i], this.slots[i], this.iterations);
      grad.data.fill(0);
    }
  }

  /** A copy of the iteration count and every slot, in the order `slotNames` documents. */
  getState(): OptimizerState {
    return { iterations: this.iterations, slots: this.slots.flatMap((s) => s.map((a) => new Float32Array(a))) };
  }

  /** Restores `getState()`'s output; the optimizer must be built for the same parameters. Checks everything first. */
  setState(state: OptimizerState): void {
    if (this.params === null) {
      throw new NeuriteError(`${this.className}.setState: the optimizer has no slots yet; call build(params) (or apply once) first`);
    }
    if (state === null || typeof state !== 'object' || !Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new ValueError(`${this.className}.setState: expected { iterations: a non-negative integer, slots }, received iterations ${String(state?.iterations)}`);
    }
    const expected = this.slots.flat();
    if (!Array.isArray(state.slots) || state.slots.length !== expected.length) {
      throw new ValueError(
        `${this.className}.setState: expected ${expected.length} slot arrays (${this.params.length} parameters × [${this.slotNames.join(', ')}]), ` +
          `received ${Array.isArray(state.slots) ? state.slots.length : typeof state.slots}`,
      );
    }
    state.slots.forEach((s, i) => {
      if (!(s instanceof Float32Array) || s.length !== expected[i].length) {
        throw new ShapeError(
          `${this.className}.setState: slot ${i} expected a Float32Array of length ${expected[i].length}, ` +
            `received ${s instanceof Float32Array ? `length ${s.length}` : typeof s}`,
        );
      }
    });
    state.slots.forEach((s, i) => expected[i].set(s));
    this.iterations = state.iterations;
  }

  private checkParams(params: readonly Tensor[], method: string): void {
    if (!Array.isArray(params) || params.some((p) => !(p instanceof Tensor))) {
      throw new ValueError(`${this.className}.${method}: expected an array of Tensors (the trainable weights), received ${describe(params)}`);
    }
  }

  private checkSameParams(params: readonly Tensor[], method: string): void {
    const own = this.params!;
    if (params.length !== own.length || params.some((p, i) => p !== own[i])) {
      throw new NeuriteError(
        `${this.className}.${method}: this optimizer was built for ${own.length} parameters and received a different list ` +
          `(${params.length} parameters); use one optimizer per model`,
      );
    }
  }
}

/**
 * Factor that brings the L2 norm of `g` down to `clipNorm` (1 when already within it); NaN when the
 * norm is not finite. Float64 sum: float32 squares (at most ~1.2e77) cannot overflow it.
 */
function clipScale(g: Float32Array, clipNorm: number): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  const norm = Math.sqrt(s);
  if (!Number.isFinite(norm)) return NaN;
  return norm > clipNorm ? clipNorm / norm : 1;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array containing ${v.map((x) => (x instanceof Tensor ? 'Tensor' : x === null ? 'null' : typeof x)).join(', ')}`;
  return v === null ? 'null' : typeof v;
}
