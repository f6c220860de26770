import { Tensor } from '../tensor/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, meanAbsoluteError, meanSquaredError, sparseCategoricalCrossentropy } from './basic.js';
import { cosineSimilarity, huber, klDivergence, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson } from './regression.js';
import { categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { binaryFocalCrossentropy, categoricalFocalCrossentropy } from './focal.js';
import { Loss, LossClassOptions, LossConfigValue } from './loss.js';
import type { LossId } from './registry.js';

type Fn = (yTrue: Tensor, yPred: Tensor, options: Record<string, unknown>) => Tensor;

/** A Loss subclass for one loss function: its class name, id, default name and own settings with defaults. */
function defineLoss<Own extends object>(className: string, id: LossId, fn: Fn, defaults: Record<string, LossConfigValue>, defaultName: string = id) {
  return class extends Loss {
    readonly className = className;
    readonly id = id;
    constructor(options: Own & LossClassOptions = {} as Own & LossClassOptions) {
      super(className, fn, options as LossClassOptions & Record<string, unknown>, defaults, defaultName);
    }
  };
}

const asFn = (f: unknown) => f as Fn;
const ce = { fromLogits: false, labelSmoothing: 0 };
type CeOptions = { fromLogits?: boolean; labelSmoothing?: number };
type FocalOptions = CeOptions & { alpha?: number; gamma?: number };

/** Keras `BinaryCrossentropy({ fromLogits, labelSmoothing })`. */
export const BinaryCrossentropy = defineLoss<CeOptions>('BinaryCrossentropy', 'binary_crossentropy', asFn(binaryCrossentropy), ce);
/** Keras `CategoricalCrossentropy({ fromLogits, labelSmoothing })`. */
export const CategoricalCrossentropy = defineLoss<CeOptions>('CategoricalCrossentropy', 'categorical_crossentropy', asFn(categoricalCrossentropy), ce);
/** Keras `SparseCategoricalCrossentropy({ fromLogits })`. */
export const SparseCategoricalCrossentropy = defineLoss<{ fromLogits?: boolean }>('SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', asFn(sparseCategoricalCrossentropy), { fromLogits: false });
/** Keras `MeanSquaredError()`. */
export const MeanSquaredError = defineLoss<object>('MeanSquaredError', 'mean_squared_error', asFn(meanSquaredError), {});
/** Keras `MeanAbsoluteError()`. */
export const MeanAbsoluteError = defineLoss<object>('MeanAbsoluteError', 'mean_absolute_error', asFn(meanAbsoluteError), {});
/** Keras `MeanAbsolutePercentageError()`. */
export const MeanAbsolutePercentageError = defineLoss<object>('MeanAbsolutePercentageError', 'mean_absolute_percentage_error', asFn(meanAbsolutePercentageError), {});
/** Keras `MeanSquaredLogarithmicError()`. */
export const MeanSquaredLogarithmicError = defineLoss<object>('MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', asFn(meanSquaredLogarithmicError), {});
/** Keras `Huber({ delta })`. */
export const Huber = defineLoss<{ delta?: number }>('Huber', 'huber', asFn(huber), { delta: 1 }, 'huber_loss');
/** Keras `LogCosh()`. */
export const LogCosh = defineLoss<object>('LogCosh', 'log_cosh', asFn(logCosh), {});
/** Keras `Hinge()`. */
export const Hinge = defineLoss<object>('Hinge', 'hinge', asFn(hinge), {});
/** Keras `SquaredHinge()`. */
export const SquaredHinge = defineLoss<object>('SquaredHinge', 'squared_hinge', asFn(squaredHinge), {});
/** Keras `CategoricalHinge()`. */
export const CategoricalHinge = defineLoss<object>('CategoricalHinge', 'categorical_hinge', asFn(categoricalHinge), {});
/** Keras `KLDivergence()`. */
export const KLDivergence = defineLoss<object>('KLDivergence', 'kl_divergence', asFn(klDivergence), {});
/** Keras `Poisson()`. */
export const Poisson = defineLoss<object>('Poisson', 'poisson', asFn(poisson), {});
/** Keras `CosineSimilarity()` (the last axis). */
export const CosineSimilarity = defineLoss<object>('CosineSimilarity', 'cosine_similarity', asFn(cosineSimilarity), {});
/** Keras `BinaryFocalCrossentropy({ applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing })`. */
export const BinaryFocalCrossentropy = defineLoss<FocalOptions & { applyClassBalancing?: boolean }>(
  'BinaryFocalCrossentropy', 'binary_focal_crossentropy', asFn(binaryFocalCrossentropy), { applyClassBalancing: false, alpha: 0.25, gamma: 2, ...ce },
);
/** Keras `CategoricalFocalCrossentropy({ alpha, gamma, fromLogits, labelSmoothing })`. */
export const CategoricalFocalCrossentropy = defineLoss<FocalOptions>(
  'CategoricalFocalCrossentropy', 'categorical_focal_crossentropy', asFn(categoricalFocalCrossentropy), { alpha: 0.25, gamma: 2, ...ce },
);
