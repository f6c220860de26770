// neurite: the public API (see API.md). Re-exports only; nothing imports this file.

// Errors and randomness
export { NeuriteError, ShapeError, ValueError } from './util/errors.js';
export { setSeed } from './util/random.js';

// Kernel paths and threads
export { setNumThreads, getNumThreads, setGemmPath, getGemmPath, wasmSimdSupported, relaxedSimdSupported, warmUpThreads } from './kernels/wasm/gemm-wasm.js';
export type { GemmPath } from './kernels/wasm/gemm-wasm.js';

// Tensors and autograd
export { Tensor } from './tensor/tensor.js';
export type { NestedArray } from './tensor/tensor.js';
export { tensor, zeros, ones, fill, randomNormal, randomUniform, variable } from './tensor/creation.js';
export type { TensorLike } from './tensor/creation.js';
export { backward, valueAndGrad, grad } from './autograd/backward.js';
export { noGrad } from './autograd/record.js';

// Ops: as a namespace (`ops.matmul`) and individually
export * as ops from './ops/index.js';
export * from './ops/index.js';

// Layers: as a namespace (`layers.Dense`) and individually
export * as layers from './layers/index.js';
export * from './layers/index.js';
export * as activations from './activations/activations.js';
export * as initializers from './initializers/initializers.js';

// Losses, optimizers, metrics, callbacks
export * as losses from './losses/losses.js';
export { getLoss, LOSS_IDS } from './losses/registry.js';
export type { LossId, CustomLoss } from './losses/registry.js';
export { Optimizer } from './optimizers/optimizer.js';
export type { OptimizerState } from './optimizers/optimizer.js';
export { Adam } from './optimizers/adam.js';
export { SGD } from './optimizers/sgd.js';
export { RMSprop } from './optimizers/rmsprop.js';
export { getOptimizer, OPTIMIZER_IDS } from './optimizers/registry.js';
export type { OptimizerId } from './optimizers/registry.js';
export { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, ConfusionRate, MeanError } from './training/metrics.js';
export type { Metric } from './training/metrics.js';
export { AUC } from './training/auc.js';
export { History, TerminateOnNaN } from './training/callbacks.js';
export type { Callback, TrainingParams } from './training/callbacks.js';
export { EarlyStopping } from './training/early-stopping.js';
export type { EarlyStoppingOptions } from './training/early-stopping.js';
export { ProgressLogger } from './training/progress-logger.js';
export type { ProgressEnvironment } from './training/progress-logger.js';
export type { FitOptions, BatchOptions } from './training/options.js';
export type { CompileArgs } from './training/compile.js';
export type { Trainable } from './training/trainable.js';

// Models
export { Model } from './models/model.js';
export { Sequential } from './models/sequential.js';
export { loadModel, modelFromArtifacts } from './models/load-model.js';
export { modelToArtifacts } from './models/persistence.js';
export type { SaveOptions } from './models/persistence.js';
export { toModelJSON } from './io/artifacts.js';
export type { ModelArtifacts, ModelJSON } from './io/artifacts.js';

// Compression: quantization, pruning, distillation
export * from './compress/index.js';
