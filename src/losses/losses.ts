// The `losses` namespace: every loss function and class (re-exports only).
export { binaryCrossentropy, meanSquaredError, meanAbsoluteError, categoricalCrossentropy, sparseCategoricalCrossentropy } from './basic.js';
export { EPSILON } from './common.js';
export type { CrossEntropyOptions } from './common.js';
export { huber, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson, klDivergence, cosineSimilarity } from './regression.js';
export type { HuberOptions } from './regression.js';
export { hinge, squaredHinge, categoricalHinge } from './hinge.js';
export { binaryFocalCrossentropy, categoricalFocalCrossentropy } from './focal.js';
export type { FocalOptions, BinaryFocalOptions } from './focal.js';
export { Loss } from './loss.js';
export type { LossClassOptions } from './loss.js';
export * from './loss-classes.js';
export type { Reduction, LossOptions, SampleWeight } from './reduce.js';
