import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { LossOptions, reduceLoss } from './reduce.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from './basic.js';
import { cosineSimilarity, huber, klDivergence, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson } from './regression.js';
import { categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { binaryFocalCrossentropy, categoricalFocalCrossentropy } from './focal.js';
import { Loss } from './loss.js';
import { describeValue } from '../util/describe.js';

/** Canonical Keras ids of the built-in losses. */
export type LossId =
  | 'binary_crossentropy' | 'mean_squared_error' | 'mean_absolute_error' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy'
  | 'huber' | 'log_cosh' | 'hinge' | 'squared_hinge' | 'categorical_hinge' | 'kl_divergence' | 'poisson' | 'cosine_similarity'
  | 'mean_absolute_percentage_error' | 'mean_squared_logarithmic_error' | 'binary_focal_crossentropy' | 'categorical_focal_crossentropy';

/** Every accepted string id: Keras snake_case, Keras's short forms, TF.js camelCase (a typo fails to compile). */
export type LossName =
  | LossId | 'binaryCrossentropy' | 'mse' | 'MSE' | 'meanSquaredError' | 'mae' | 'MAE' | 'meanAbsoluteError' | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy' | 'huber_loss' | 'huberLoss' | 'logcosh' | 'logCosh' | 'squaredHinge' | 'categoricalHinge' | 'kld' | 'KLD'
  | 'klDivergence' | 'kullback_leibler_divergence' | 'kullbackLeiblerDivergence' | 'cosineSimilarity' | 'cosineProximity' | 'mape' | 'MAPE'
  | 'meanAbsolutePercentageError' | 'msle' | 'MSLE' | 'meanSquaredLogarithmicError' | 'binaryFocalCrossentropy' | 'categoricalFocalCrossentropy';

/** A loss: a scalar from targets and predictions, optionally weighted per sample. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor, options?: LossOptions) => Tensor;

/** The built-in loss function of a canonical id. */
export function lossFunction(id: LossId): LossFunction {
  return BUILT_IN[id];
}

/** A user's loss: returns a scalar, or per-sample values (first axis = samples) that are then averaged. */
export type CustomLoss = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** What `getLoss` resolves an identifier to. */
export interface ResolvedLoss {
  /** The canonical id of a built-in loss, or null for a user function. */
  readonly id: LossId | null;
  /** The loss, always callable with per-sample weights. */
  readonly fn: LossFunction;
  /** A Loss instance whose settings differ from the id's defaults (so the id alone cannot be saved), else null. */
  readonly instance: Loss | null;
}

const BUILT_IN: Record<LossId, LossFunction> = {
  binary_crossentropy: binaryCrossentropy,
  mean_squared_error: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  categorical_crossentropy: categoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  huber,
  log_cosh: logCosh,
  hinge,
  squared_hinge: squaredHinge,
  categorical_hinge: categoricalHinge,
  kl_divergence: klDivergence,
  poisson,
  cosine_similarity: cosineSimilarity,
  mean_absolute_percentage_error: meanAbsolutePercentageError,
  mean_squared_logarithmic_error: meanSquaredLogarithmicError,
  binary_focal_crossentropy: binaryFocalCrossentropy,
  categorical_focal_crossentropy: categoricalFocalCrossentropy,
};

/** Every accepted string id (Keras snake_case, short forms, TF.js camelCase) and its canonical id. */
const ALIASES: Record<LossName, LossId> = {
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
  MSE: 'mean_squared_error',
  MAE: 'mean_absolute_error',
  huber: 'huber',
  huber_loss: 'huber',
  huberLoss: 'huber',
  log_cosh: 'log_cosh',
  logcosh: 'log_cosh',
  logCosh: 'log_cosh',
  hinge: 'hinge',
  squared_hinge: 'squared_hinge',
  squaredHinge: 'squared_hinge',
  categorical_hinge: 'categorical_hinge',
  categoricalHinge: 'categorical_hinge',
  kl_divergence: 'kl_divergence',
  kld: 'kl_divergence',
  KLD: 'kl_divergence',
  klDivergence: 'kl_divergence',
  kullback_leibler_divergence: 'kl_divergence',
  kullbackLeiblerDivergence: 'kl_divergence',
  poisson: 'poisson',
  cosine_similarity: 'cosine_similarity',
  cosineSimilarity: 'cosine_similarity',
  cosineProximity: 'cosine_similarity',
  mean_absolute_percentage_error: 'mean_absolute_percentage_error',
  mape: 'mean_absolute_percentage_error',
  MAPE: 'mean_absolute_percentage_error',
  meanAbsolutePercentageError: 'mean_absolute_percentage_error',
  mean_squared_logarithmic_error: 'mean_squared_logarithmic_error',
  msle: 'mean_squared_logarithmic_error',
  MSLE: 'mean_squared_logarithmic_error',
  meanSquaredLogarithmicError: 'mean_squared_logarithmic_error',
  binary_focal_crossentropy: 'binary_focal_crossentropy',
  binaryFocalCrossentropy: 'binary_focal_crossentropy',
  categorical_focal_crossentropy: 'categorical_focal_crossentropy',
  categoricalFocalCrossentropy: 'categorical_focal_crossentropy',
};

/** The accepted string ids, for messages. */
export const LOSS_IDS: readonly string[] = Object.keys(ALIASES);

/**
 * Resolves a loss id or function (a built-in function resolves to its id). A user function returning per-sample values is averaged (and weighted
 * when sample weights are given); one returning a scalar is used as is.
 * @example getLoss('binary_crossentropy').fn(yTrue, yPred);
 */
export function getLoss(identifier: LossName | CustomLoss | Loss): ResolvedLoss {
  if (identifier instanceof Loss) {
    // The id keeps fit's label rules (sparse labels, BCE's [0, 1] check); the instance carries the settings.
    const loss = identifier;
    const fn: LossFunction = (yTrue, yPred, options = {}) => loss.call(yTrue, yPred, options.sampleWeight ?? null);
    return { id: loss.id, fn, instance: loss.hasDefaultSettings() ? null : loss };
  }
  if (typeof identifier === 'function') {
    // A built-in passed as a function (losses.binaryCrossentropy) keeps its id, so fit can check labels for it.
    const builtIn = (Object.keys(BUILT_IN) as LossId[]).find((id) => BUILT_IN[id] === identifier);
    return builtIn !== undefined ? { id: builtIn, fn: BUILT_IN[builtIn], instance: null } : { id: null, fn: wrapCustom(identifier), instance: null };
  }
  if (typeof identifier === 'string' && Object.prototype.hasOwnProperty.call(ALIASES, identifier)) {
    const id = ALIASES[identifier as LossName];
    return { id, fn: BUILT_IN[id], instance: null };
  }
  throw new ValueError(`Unknown loss: ${describeValue(identifier)}; expected one of ${LOSS_IDS.map((id) => `'${id}'`).join(', ')} or a function (yTrue, yPred) => Tensor, or a Loss instance`);
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
