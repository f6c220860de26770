import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { REDUCTIONS, Reduction, SampleWeight } from './reduce.js';
import type { LossId } from './registry.js';

/** Options every Loss class takes. */
export interface LossClassOptions {
  /** Default `'sum_over_batch_size'`. */
  reduction?: Reduction;
  /** A label (Keras `name`). */
  name?: string;
}

/** A value in a loss's config. */
export type LossConfigValue = number | boolean | string | null;

type Fn = (yTrue: Tensor, yPred: Tensor, options: Record<string, unknown>) => Tensor;

/**
 * A loss as an object (Keras `keras.losses.Loss`): its settings fixed at construction, `call` computes it.
 * Pass one to `compile({ loss })`; `getConfig()` gives Keras's snake_case config.
 * @example const loss = new losses.Huber({ delta: 0.5 }); loss.call(yTrue, yPred);
 */
export abstract class Loss {
  /** The Keras class name (`'Huber'`). */
  abstract readonly className: string;
  /** The canonical id of the same loss as a function (`'huber'`). */
  abstract readonly id: LossId;
  readonly name: string;
  readonly reduction: Reduction;
  private readonly settings: Record<string, unknown>;

  /** `own` lists the loss's own option keys (camelCase) with their defaults. */
  protected constructor(owner: string, private readonly fn: Fn, options: LossClassOptions & Record<string, unknown>, private readonly defaults: Record<string, LossConfigValue>, defaultName: string) {
    checkOptionKeys(options, ['reduction', 'name', ...Object.keys(defaults)], owner);
    const reduction = options.reduction ?? 'sum_over_batch_size';
    if (!REDUCTIONS.includes(reduction)) throw new ValueError(`${owner}: expected reduction to be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}, received ${JSON.stringify(reduction)}`);
    this.reduction = reduction;
    this.name = options.name ?? defaultName;
    this.settings = {};
    for (const key of Object.keys(defaults)) if (options[key] !== undefined) this.settings[key] = options[key];
    // Validate the settings now, not at the first batch: run the function once on a 1×1 example.
    fn(new Tensor(new Float32Array([0]), [1, 1]), new Tensor(new Float32Array([0.5]), [1, 1]), { ...this.settings });
  }

  /** The loss of `yPred` against `yTrue`, weighted per sample, reduced by `reduction`. */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight: SampleWeight | null = null): Tensor {
    return this.fn(yTrue, yPred, { ...this.settings, sampleWeight, reduction: this.reduction });
  }

  /** Whether every setting is its default (then the id alone describes this loss, e.g. in a saved model). */
  hasDefaultSettings(): boolean {
    return this.reduction === 'sum_over_batch_size' && Object.entries(this.settings).every(([k, v]) => v === this.defaults[k]);
  }

  /** Keras's config: snake_case keys, every setting. */
  getConfig(): Record<string, LossConfigValue> {
    const config: Record<string, LossConfigValue> = { name: this.name, reduction: this.reduction };
    for (const [key, fallback] of Object.entries(this.defaults)) {
      config[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = (this.settings[key] as LossConfigValue | undefined) ?? fallback;
    }
    return config;
  }
}
