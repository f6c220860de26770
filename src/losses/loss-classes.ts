import { Tensor } from '../tensor/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, meanAbsoluteError, meanSquaredError, sparseCategoricalCrossentropy } from './basic.js';
import { cosineSimilarity, huber, klDivergence, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson } from './regression.js';
import { categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { binaryFocalCrossentropy, categoricalFocalCrossentropy } from './focal.js';
import { Loss, LossClassOptions } from './loss.js';

type Fn = (yTrue: Tensor, yPred: Tensor, options: Record<string, unknown>) => Tensor;

const asFn = (f: unknown) => f as Fn;
const ce = { fromLogits: false, labelSmoothing: 0 };
type CeOptions = { fromLogits?: boolean; labelSmoothing?: number };
type FocalOptions = CeOptions & { alpha?: number; gamma?: number };

/**
 * Keras `BinaryCrossentropy({ fromLogits, labelSmoothing })`.
 * @example model.compile({ optimizer: 'adam', loss: new losses.BinaryCrossentropy({ labelSmoothing: 0.1 }) });
 */
export class BinaryCrossentropy extends Loss {
  readonly className = 'BinaryCrossentropy';
  readonly id = 'binary_crossentropy' as const;
  constructor(options: CeOptions & LossClassOptions = {}) {
    super('BinaryCrossentropy', asFn(binaryCrossentropy), options as LossClassOptions & Record<string, unknown>, ce, 'binary_crossentropy');
  }
}

/**
 * Keras `CategoricalCrossentropy({ fromLogits, labelSmoothing })`.
 * @example new losses.CategoricalCrossentropy({ fromLogits: true }).call(tensor([[0, 1]]), tensor([[0, 0]])).data[0]; // log 2 ≈ 0.693
 */
export class CategoricalCrossentropy extends Loss {
  readonly className = 'CategoricalCrossentropy';
  readonly id = 'categorical_crossentropy' as const;
  constructor(options: CeOptions & LossClassOptions = {}) {
    super('CategoricalCrossentropy', asFn(categoricalCrossentropy), options as LossClassOptions & Record<string, unknown>, ce, 'categorical_crossentropy');
  }
}

/**
 * Keras `SparseCategoricalCrossentropy({ fromLogits })`.
 * @example new losses.SparseCategoricalCrossentropy({ fromLogits: true }).call(tensor([[1]]), tensor([[0, 0]])).data[0]; // log 2 ≈ 0.693
 */
export class SparseCategoricalCrossentropy extends Loss {
  readonly className = 'SparseCategoricalCrossentropy';
  readonly id = 'sparse_categorical_crossentropy' as const;
  constructor(options: { fromLogits?: boolean } & LossClassOptions = {}) {
    super('SparseCategoricalCrossentropy', asFn(sparseCategoricalCrossentropy), options as LossClassOptions & Record<string, unknown>, { fromLogits: false }, 'sparse_categorical_crossentropy');
  }
}

/**
 * Keras `MeanSquaredError()`.
 * @example new losses.MeanSquaredError().call(tensor([[1, 2]]), tensor([[1, 4]])).data[0]; // 2
 */
export class MeanSquaredError extends Loss {
  readonly className = 'MeanSquaredError';
  readonly id = 'mean_squared_error' as const;
  constructor(options: LossClassOptions = {}) {
    super('MeanSquaredError', asFn(meanSquaredError), options as LossClassOptions & Record<string, unknown>, {}, 'mean_squared_error');
  }
}

/**
 * Keras `MeanAbsoluteError()`.
 * @example new losses.MeanAbsoluteError().call(tensor([[1, 2]]), tensor([[1, 4]])).data[0]; // 1
 */
export class MeanAbsoluteError extends Loss {
  readonly className = 'MeanAbsoluteError';
  readonly id = 'mean_absolute_error' as const;
  constructor(options: LossClassOptions = {}) {
    super('MeanAbsoluteError', asFn(meanAbsoluteError), options as LossClassOptions & Record<string, unknown>, {}, 'mean_absolute_error');
  }
}

/**
 * Keras `MeanAbsolutePercentageError()`.
 * @example new losses.MeanAbsolutePercentageError().call(tensor([[100]]), tensor([[110]])).data[0]; // 10
 */
export class MeanAbsolutePercentageError extends Loss {
  readonly className = 'MeanAbsolutePercentageError';
  readonly id = 'mean_absolute_percentage_error' as const;
  constructor(options: LossClassOptions = {}) {
    super('MeanAbsolutePercentageError', asFn(meanAbsolutePercentageError), options as LossClassOptions & Record<string, unknown>, {}, 'mean_absolute_percentage_error');
  }
}

/**
 * Keras `MeanSquaredLogarithmicError()`.
 * @example new losses.MeanSquaredLogarithmicError().call(tensor([[0]]), tensor([[1]])).data[0]; // (log 2)² ≈ 0.480
 */
export class MeanSquaredLogarithmicError extends Loss {
  readonly className = 'MeanSquaredLogarithmicError';
  readonly id = 'mean_squared_logarithmic_error' as const;
  constructor(options: LossClassOptions = {}) {
    super('MeanSquaredLogarithmicError', asFn(meanSquaredLogarithmicError), options as LossClassOptions & Record<string, unknown>, {}, 'mean_squared_logarithmic_error');
  }
}

/**
 * Keras `Huber({ delta })`.
 * @example new losses.Huber({ delta: 1 }).call(tensor([[0, 0]]), tensor([[0.5, 3]])).data[0]; // (0.125 + 2.5) / 2 = 1.3125
 */
export class Huber extends Loss {
  readonly className = 'Huber';
  readonly id = 'huber' as const;
  constructor(options: { delta?: number } & LossClassOptions = {}) {
    super('Huber', asFn(huber), options as LossClassOptions & Record<string, unknown>, { delta: 1 }, 'huber_loss');
  }
}

/**
 * Keras `LogCosh()`.
 * @example new losses.LogCosh().call(tensor([[0]]), tensor([[1]])).data[0]; // log cosh 1 ≈ 0.434
 */
export class LogCosh extends Loss {
  readonly className = 'LogCosh';
  readonly id = 'log_cosh' as const;
  constructor(options: LossClassOptions = {}) {
    super('LogCosh', asFn(logCosh), options as LossClassOptions & Record<string, unknown>, {}, 'log_cosh');
  }
}

/**
 * Keras `Hinge()`.
 * @example new losses.Hinge().call(tensor([[1]]), tensor([[0.5]])).data[0]; // max(1 − 0.5, 0) = 0.5
 */
export class Hinge extends Loss {
  readonly className = 'Hinge';
  readonly id = 'hinge' as const;
  constructor(options: LossClassOptions = {}) {
    super('Hinge', asFn(hinge), options as LossClassOptions & Record<string, unknown>, {}, 'hinge');
  }
}

/**
 * Keras `SquaredHinge()`.
 * @example new losses.SquaredHinge().call(tensor([[1]]), tensor([[0.5]])).data[0]; // 0.25
 */
export class SquaredHinge extends Loss {
  readonly className = 'SquaredHinge';
  readonly id = 'squared_hinge' as const;
  constructor(options: LossClassOptions = {}) {
    super('SquaredHinge', asFn(squaredHinge), options as LossClassOptions & Record<string, unknown>, {}, 'squared_hinge');
  }
}

/**
 * Keras `CategoricalHinge()`.
 * @example new losses.CategoricalHinge().call(tensor([[0, 1]]), tensor([[0.3, 0.7]])).data[0]; // 0.6
 */
export class CategoricalHinge extends Loss {
  readonly className = 'CategoricalHinge';
  readonly id = 'categorical_hinge' as const;
  constructor(options: LossClassOptions = {}) {
    super('CategoricalHinge', asFn(categoricalHinge), options as LossClassOptions & Record<string, unknown>, {}, 'categorical_hinge');
  }
}

/**
 * Keras `KLDivergence()`.
 * @example new losses.KLDivergence().call(tensor([[0.5, 0.5]]), tensor([[0.5, 0.5]])).data[0]; // 0
 */
export class KLDivergence extends Loss {
  readonly className = 'KLDivergence';
  readonly id = 'kl_divergence' as const;
  constructor(options: LossClassOptions = {}) {
    super('KLDivergence', asFn(klDivergence), options as LossClassOptions & Record<string, unknown>, {}, 'kl_divergence');
  }
}

/**
 * Keras `Poisson()`.
 * @example new losses.Poisson().call(tensor([[1]]), tensor([[2]])).data[0]; // 2 − log 2 ≈ 1.307
 */
export class Poisson extends Loss {
  readonly className = 'Poisson';
  readonly id = 'poisson' as const;
  constructor(options: LossClassOptions = {}) {
    super('Poisson', asFn(poisson), options as LossClassOptions & Record<string, unknown>, {}, 'poisson');
  }
}

/**
 * Keras `CosineSimilarity()` (the last axis).
 * @example new losses.CosineSimilarity().call(tensor([[1, 0]]), tensor([[2, 0]])).data[0]; // −1: the same direction (Keras negates the cosine)
 */
export class CosineSimilarity extends Loss {
  readonly className = 'CosineSimilarity';
  readonly id = 'cosine_similarity' as const;
  constructor(options: LossClassOptions = {}) {
    super('CosineSimilarity', asFn(cosineSimilarity), options as LossClassOptions & Record<string, unknown>, {}, 'cosine_similarity');
  }
}

/**
 * Keras `BinaryFocalCrossentropy({ applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing })`.
 * @example model.compile({ optimizer: 'adam', loss: new losses.BinaryFocalCrossentropy({ gamma: 2, applyClassBalancing: true, alpha: 0.25 }) });
 */
export class BinaryFocalCrossentropy extends Loss {
  readonly className = 'BinaryFocalCrossentropy';
  readonly id = 'binary_focal_crossentropy' as const;
  constructor(options: FocalOptions & { applyClassBalancing?: boolean } & LossClassOptions = {}) {
    super('BinaryFocalCrossentropy', asFn(binaryFocalCrossentropy), options as LossClassOptions & Record<string, unknown>, { applyClassBalancing: false, alpha: 0.25, gamma: 2, ...ce }, 'binary_focal_crossentropy');
  }
}

/**
 * Keras `CategoricalFocalCrossentropy({ alpha, gamma, fromLogits, labelSmoothing })`.
 * @example new losses.CategoricalFocalCrossentropy({ gamma: 2 }).call(tensor([[0, 1]]), tensor([[0.5, 0.5]])).data[0]; // 0.25·0.25·log 2 ≈ 0.043
 */
export class CategoricalFocalCrossentropy extends Loss {
  readonly className = 'CategoricalFocalCrossentropy';
  readonly id = 'categorical_focal_crossentropy' as const;
  constructor(options: FocalOptions & LossClassOptions = {}) {
    super('CategoricalFocalCrossentropy', asFn(categoricalFocalCrossentropy), options as LossClassOptions & Record<string, unknown>, { alpha: 0.25, gamma: 2, ...ce }, 'categorical_focal_crossentropy');
  }
}

