import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { LossOptions, reduceLoss } from './reduce.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from './losses.js';
import { describeValue } from '../util/describe.js';

/** Canonical Keras ids of the built-in losses. */
export type LossId = 'binary_crossentropy' | 'mean_squared_error' | 'mean_absolute_error' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy';

/** A loss: a scalar from targets and predictions, optionally weighted per sample. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor, options?: LossOptions) => Tensor;

/** A user's loss: returns a scalar, or per-sample values (first axis = samples) that are then averaged. */
export type CustomLoss = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** What `getLoss` resolves an identifier to. */
export interface ResolvedLoss {
  /** The canonical id of a built-in loss, or null for a user function. */
  readonly id: LossId | null;
  /** The loss, always callable with per-sample weights. */
  readonly fn: LossFunction;
}

const BUILT_IN: Record<LossId, LossFunction> = {
  binary_crossentropy: binaryCrossentropy,
  mean_squared_error: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  categorical_crossentropy: categoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
};

/** Every accepted string id (Keras snake_case, short forms, TF.js camelCase) and its canonical id. */
const ALIASES = {
  binary_crossentropy: 'binary_crossentropy',
  binaryCrossentropy: 'binary_crossentropy',
  mse: 'mean_squared_error',
  mean_squared_error: 'mean_squared_error',
  meanSquaredError: 'mean_squared_error',
  mae: 'mean_absolute_error',
  mean_absolute_error: 'mean_absolute_error',
  meanAbsoluteError: 'mean_absolute_error',
  categorical_crossentropy: 'categorical_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy',
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
} as const satisfies Record<string, LossId>;

/** Every string a loss may be given as (Keras snake_case, short forms, TF.js camelCase): exact, so a typo fails to compile. */
export type LossName = keyof typeof ALIASES;

/** The accepted string ids, for messages. */
export const LOSS_IDS: readonly string[] = Object.keys(ALIASES);

/**
 * Resolves a loss id or function (a built-in function resolves to its id). A user function returning per-sample values is averaged (and weighted
 * when sample weights are given); one returning a scalar is used as is.
 * @example getLoss('binary_crossentropy').fn(yTrue, yPred);
 */
export function getLoss(identifier: string | CustomLoss): ResolvedLoss {
  if (typeof identifier === 'function') {
    // A built-in passed as a function (losses.binaryCrossentropy) keeps its id, so fit can check labels for it.
    const builtIn = (Object.keys(BUILT_IN) as LossId[]).find((id) => BUILT_IN[id] === identifier);
    return builtIn !== undefined ? { id: builtIn, fn: BUILT_IN[builtIn] } : { id: null, fn: wrapCustom(identifier) };
  }
  if (typeof identifier === 'string' && Object.prototype.hasOwnProperty.call(ALIASES, identifier)) {
    const id: LossId = ALIASES[identifier as LossName];
    return { id, fn: BUILT_IN[id] };
  }
  throw new ValueError(`Unknown loss: ${describeValue(identifier)}; expected one of ${LOSS_IDS.map((id) => `'${id}'`).join(', ')} or a function (yTrue, yPred) => Tensor`);
}

function wrapCustom(user: CustomLoss): LossFunction {
  const name = user.name || 'custom loss';
  return (yTrue, yPred, options = {}) => {
    const value = user(yTrue, yPred);
    if (!(value instanceof Tensor)) throw new ValueError(`loss '${name}': expected the function to return a Tensor, it returned ${value === null ? 'null' : typeof value}`);
    const weights = options.sampleWeight;
    if (value.rank === 0) {
      if (weights !== null && weights !== undefined) {
        throw new ValueError(`loss '${name}': sample weights (classWeight) need a loss that returns one value per sample, this one returned a scalar`);
      }
      return value;
    }
    return reduceLoss(name, value, weights);
  };
}
