import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { abs, square } from '../ops/elementwise.js';
import { add, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduction.js';

/** A regularizer as model.json writes it: TF.js uses `{ class_name: 'L1L2', config: { l1, l2 } }`. */
export interface RegularizerConfig {
  class_name: string;
  config: Record<string, unknown>;
}

/** Anything a layer accepts as a regularizer: an object from `l1` / `l2` / `l1l2`, a Keras id or a config. */
export type RegularizerSpec = Regularizer | 'l1' | 'l2' | 'l1_l2' | 'l1l2' | string | RegularizerConfig;

/** A factor checked finite and >= 0; `what` names it in the message. */
function checkFactor(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${what}: expected a finite factor >= 0, received ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The penalty l1·Σ|w| + l2·Σw² (Keras's L1L2; `l1` and `l2` are its special cases). Keras 3 sums over
 * all elements, without dividing by the size or, for activity penalties, by the batch.
 * @example new Regularizer(0, 0.01).penalty(tensor([1, 2])); // 0.05
 */
export class Regularizer {
  /** Factor of the L1 term. */
  readonly l1: number;
  /** Factor of the L2 term. */
  readonly l2: number;

  constructor(l1: number, l2: number) {
    this.l1 = checkFactor(l1, 'regularizer l1');
    this.l2 = checkFactor(l2, 'regularizer l2');
  }

  /** The scalar penalty on `x`, recorded so its gradient reaches `x`. */
  penalty(x: Tensor): Tensor {
    let total: Tensor | null = null;
    if (this.l1 !== 0) total = mul(sum(abs(x)), this.l1);
    if (this.l2 !== 0) {
      const l2 = mul(sum(square(x)), this.l2);
      total = total === null ? l2 : add(total, l2);
    }
    return total ?? new Tensor(new Float32Array(1), []);
  }

  /** The config TF.js writes (it knows only the class `L1L2`). */
  toConfig(): RegularizerConfig {
    return { class_name: 'L1L2', config: { l1: this.l1, l2: this.l2 } };
  }
}

/**
 * L1 penalty l1·Σ|w| (Keras default 0.01).
 * @example new Dense(4, { kernelRegularizer: l1(0.001) });
 */
export function l1(factor = 0.01): Regularizer {
  return new Regularizer(factor, 0);
}

/**
 * L2 penalty l2·Σw² (Keras default 0.01).
 * @example new Dense(8, { kernelRegularizer: regularizers.l2(1e-4) }); // adds 1e-4·Σw² to the loss
 */
export function l2(factor = 0.01): Regularizer {
  return new Regularizer(0, factor);
}

/**
 * L1 + L2 penalty; defaults as Keras 3's `L1L2`: both 0 (TF.js's `l1l2` defaults both to 0.01).
 * @example new Dense(8, { kernelRegularizer: regularizers.l1l2({ l1: 1e-5, l2: 1e-4 }) });
 */
export function l1l2({ l1: a = 0, l2: b = 0 }: { l1?: number; l2?: number } = {}): Regularizer {
  return new Regularizer(a, b);
}

/** Keras string ids (each with its default factor) and the class names model.json may hold. */
const ids: Record<string, () => Regularizer> = { l1: () => l1(), l2: () => l2(), l1_l2: () => new Regularizer(0.01, 0.01), l1l2: () => new Regularizer(0.01, 0.01) };
const classNames: Record<string, (c: Record<string, unknown>) => Regularizer> = {
  L1L2: (c) => new Regularizer((c.l1 as number) ?? 0, (c.l2 as number) ?? 0),
  L1: (c) => new Regularizer((c.l1 as number) ?? 0.01, 0),
  L2: (c) => new Regularizer(0, (c.l2 as number) ?? 0.01),
};

/** The known ids and class names, for messages. */
export const regularizerIds: readonly string[] = [...Object.keys(ids), ...Object.keys(classNames)];

/**
 * A regularizer from a spec (null / undefined → none). Unknown ids or classes throw a ValueError
 * listing the known ones; `what` names the option (`'dense (Dense) kernelRegularizer'`).
 * @example regularizers.resolveRegularizer('l2', 'kernelRegularizer'); // l2(0.01), Keras's default factor
 */
export function resolveRegularizer(spec: RegularizerSpec | null | undefined, what: string): Regularizer | null {
  if (spec === null || spec === undefined) return null;
  if (spec instanceof Regularizer) return spec;
  if (typeof spec === 'string') {
    if (Object.prototype.hasOwnProperty.call(ids, spec)) return ids[spec]();
    throw new ValueError(`${what}: unknown regularizer ${JSON.stringify(spec)}; known: ${regularizerIds.join(', ')}`);
  }
  if (typeof spec === 'object' && typeof spec.class_name === 'string' && Object.prototype.hasOwnProperty.call(classNames, spec.class_name)) {
    const config = spec.config ?? {};
    if (typeof config !== 'object' || config === null) throw new ValueError(`${what}: expected a config object, received ${JSON.stringify(config)}`);
    try {
      return classNames[spec.class_name](config);
    } catch (e) {
      throw new ValueError(`${what}: ${(e as Error).message}`);
    }
  }
  const shown = typeof spec === 'object' && spec !== null ? JSON.stringify((spec as { class_name?: unknown }).class_name ?? spec) : typeof spec;
  throw new ValueError(`${what}: unknown regularizer ${shown}; known: ${regularizerIds.join(', ')}`);
}

/**
 * The model.json form of a regularizer (null for none).
 * @example regularizers.serializeRegularizer(regularizers.l2(0.001)); // { class_name: 'L1L2', config: { l1: 0, l2: 0.001 } }
 */
export function serializeRegularizer(r: Regularizer | null): RegularizerConfig | null {
  return r === null ? null : r.toConfig();
}
