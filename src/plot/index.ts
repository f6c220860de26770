// SVG plots over plain numbers and layer lists: no model or training knowledge here.
export { plotHistory, renderHistorySvg, historySize } from './plot-history.js';
export type { HistoryLike } from './plot-history.js';
export { plotConfusionMatrix, renderConfusionMatrixSvg, confusionMatrix, confusionMatrixSize } from './confusion-matrix.js';
export type { ConfusionMatrixOptions } from './confusion-matrix.js';
export { plotRoc, renderRocSvg, rocCurve, ROC_SIZE } from './roc.js';
export type { RocCurve } from './roc.js';
export { plotModel, renderModelSvg, layoutGraph } from './plot-model.js';
export type { ModelGraphLike, GraphLayerLike } from './plot-model.js';
export type { Values } from './labels.js';
