// neurite: the public API (see API.md). Re-exports only; nothing imports this file.

// Errors and randomness
export { NeuriteError, ShapeError, ValueError } from './util/errors.js';
export { setSeed } from './util/random.js';

// Kernel paths and threads
export { setNumThreads, getNumThreads, setGemmPath, getGemmPath, wasmSimdSupported, relaxedSimdSupported, warmUpThreads } from './kernels/wasm/gemm-wasm.js';
export type { GemmPath } from './kernels/wasm/gemm-wasm.js';

// Tensors and autograd
export { Tensor } from './tensor/tensor.js';
export { isTensor } from './tensor/tensor.js';
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
export * as regularizers from './regularizers/regularizers.js';
export * as constraints from './constraints/constraints.js';
export { Regularizer } from './regularizers/regularizers.js';
export type { RegularizerSpec, RegularizerConfig } from './regularizers/regularizers.js';
export { Constraint } from './constraints/constraints.js';
export type { ConstraintSpec, ConstraintConfig } from './constraints/constraints.js';

// Losses, optimizers, metrics, callbacks
export * as losses from './losses/losses.js';
export { getLoss, LOSS_IDS } from './losses/registry.js';
export type { LossId, CustomLoss } from './losses/registry.js';
export type { LossName } from './losses/registry.js';
export { Optimizer } from './optimizers/optimizer.js';
export type { OptimizerState } from './optimizers/optimizer.js';
export { Adam } from './optimizers/adam.js';
export { SGD } from './optimizers/sgd.js';
export { RMSprop } from './optimizers/rmsprop.js';
export { getOptimizer, OPTIMIZER_IDS } from './optimizers/registry.js';
export type { OptimizerId } from './optimizers/registry.js';
export { AdamW } from './optimizers/adam.js';
export type { AdamOptions } from './optimizers/adam.js';
export type { SGDOptions } from './optimizers/sgd.js';
export type { RMSpropOptions } from './optimizers/rmsprop.js';
export { Nadam } from './optimizers/nadam.js';
export type { NadamOptions } from './optimizers/nadam.js';
export { Adamax } from './optimizers/adamax.js';
export type { AdamaxOptions } from './optimizers/adamax.js';
export { Adagrad } from './optimizers/adagrad.js';
export type { AdagradOptions } from './optimizers/adagrad.js';
export { Adadelta } from './optimizers/adadelta.js';
export type { AdadeltaOptions } from './optimizers/adadelta.js';
export { Lion } from './optimizers/lion.js';
export type { LionOptions } from './optimizers/lion.js';
export { Ftrl } from './optimizers/ftrl.js';
export type { FtrlOptions } from './optimizers/ftrl.js';
export type { BaseOptimizerOptions } from './optimizers/base-options.js';
export { optimizerFromConfig } from './optimizers/registry.js';
export type { OptimizerName } from './optimizers/registry.js';
export * as schedules from './optimizers/schedules/index.js';
export * from './optimizers/schedules/index.js';
export { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, ConfusionRate, MeanError } from './training/metrics.js';
export type { Metric } from './training/metrics.js';
export { AUC } from './training/auc.js';
export type { AUCOptions } from './training/auc.js';
export { TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall, PrecisionAtRecall, RecallAtPrecision } from './training/confusion-metrics.js';
export type { ConfusionOptions, AtOptions } from './training/confusion-metrics.js';
export { FBetaScore, F1Score } from './training/fscore.js';
export type { FBetaOptions } from './training/fscore.js';
export { R2Score } from './training/regression-metrics.js';
export type { R2Options } from './training/regression-metrics.js';
export { Accuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy } from './training/accuracy-metrics.js';
export { MeanIoU } from './training/mean-iou.js';
export type { MeanIoUOptions } from './training/mean-iou.js';
export type { MetricId } from './training/compile.js';
export type { ActivationName } from './activations/activations.js';
export { History, TerminateOnNaN } from './training/callbacks.js';
export type { Callback, TrainingParams } from './training/callbacks.js';
export { EarlyStopping } from './training/early-stopping.js';
export type { EarlyStoppingOptions } from './training/early-stopping.js';
export { ProgressLogger } from './training/progress-logger.js';
export type { ProgressEnvironment } from './training/progress-logger.js';
export type { FitOptions, BatchOptions } from './training/options.js';
export type { CompileArgs } from './training/compile.js';
export type { Trainable } from './training/trainable.js';

// Graphs and models
export { SymbolicTensor } from './graph/symbolic-tensor.js';
export type { SymbolicShape, SymbolicDType } from './graph/symbolic-tensor.js';
export { Model } from './models/model.js';
export type { ModelArgs } from './models/model.js';
export type { Predicted, SymbolicStructure } from './models/structure.js';
export { Sequential } from './models/sequential.js';
export { loadModel, modelFromArtifacts } from './models/load-model.js';
export { modelToArtifacts } from './models/persistence.js';
export type { SaveOptions } from './models/persistence.js';
export { toModelJSON } from './io/artifacts.js';
export type { ModelArtifacts, ModelJSON } from './io/artifacts.js';

// Plots (standalone SVG files)
export { plotHistory, plotConfusionMatrix, plotRoc, plotModel, renderHistorySvg, renderConfusionMatrixSvg, renderRocSvg, renderModelSvg, confusionMatrix, rocCurve } from './plot/index.js';
export type { HistoryLike, ConfusionMatrixOptions, RocCurve, ModelGraphLike, GraphLayerLike, Values } from './plot/index.js';

// Data helpers (splits, standardization, small CSV tables)
export { trainTestSplit } from './data/split.js';
export type { TrainTestSplitOptions, TrainTestSplit, Samples } from './data/split.js';
export { Normalization, standardize, featureStats } from './data/normalization.js';
export type { NormalizationOptions, FeatureRows } from './data/normalization.js';
export { readCsv } from './data/read-csv.js';
export type { CsvTable, ReadCsvOptions } from './data/read-csv.js';

// Types of the training surface
export type { HistoryRecord, EvaluateResult, FitHistory } from './training/callbacks.js';
export type { WithMetricNames, MetricNamesOf, MetricKeys, ValidationGiven, ValKeys, UnknownKey } from './training/history-keys.js';
export type { MetricKeyOf } from './training/compile.js';
export type { DataLike, ShapedArray, NumericArray } from './training/data.js';
// Data: datasets larger than memory (namespace `data`: data.csv, data.fromArrays, …)
export * as data from './data/index.js';
export { Dataset } from './data/dataset.js';
export type { CsvBatch, CsvOptions } from './data/csv.js';
export { ProgbarLogger } from './training/progress-logger.js';
export type { ProgbarLoggerOptions } from './training/progress-logger.js';
export type { OnBatchOptions } from './training/on-batch.js';
export { LearningRateScheduler, ReduceLROnPlateau, LambdaCallback } from './training/lr-callbacks.js';
export type { LearningRateSchedulerOptions, ReduceLROnPlateauOptions, LambdaCallbackOptions } from './training/lr-callbacks.js';
export { CSVLogger } from './training/csv-logger.js';
export type { CSVLoggerOptions } from './training/csv-logger.js';
export { ModelCheckpoint } from './training/model-checkpoint.js';
export type { ModelCheckpointOptions } from './training/model-checkpoint.js';
export { BackupAndRestore } from './training/backup-and-restore.js';
export type { BackupAndRestoreOptions } from './training/backup-and-restore.js';
// Compression: quantization, pruning, distillation
export * from './compress/index.js';
export * as explain from './explain/index.js';
export * from './export/index.js';
