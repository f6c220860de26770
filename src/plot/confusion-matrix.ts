import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { toLabels, Values } from './labels.js';
import { el, svgDocument, text, writeSvgFile } from './svg.js';

/** Options of `plotConfusionMatrix`. */
export interface ConfusionMatrixOptions {
  /** Class names, in label order (default `0`, `1`, …). */
  labels?: readonly string[];
  /** Probability at or above which a binary prediction is class 1 (default 0.5). */
  threshold?: number;
  /** Title above the matrix. */
  title?: string;
}

/**
 * Counts of (true class, predicted class): `matrix[t][p]`, rows the true classes as in Keras and
 * scikit-learn. Predictions may be labels, binary probabilities (thresholded) or rows of class scores.
 * @example confusionMatrix([0, 1, 1], [0.2, 0.9, 0.4]); // [[1, 0], [1, 1]]
 */
export function confusionMatrix(yTrue: Values, yPred: Values, options: { threshold?: number; numClasses?: number } = {}): number[][] {
  checkOptionKeys(options, ['threshold', 'numClasses'], 'confusionMatrix');
  const t = toLabels(yTrue, 'confusionMatrix yTrue', options.threshold);
  const p = toLabels(yPred, 'confusionMatrix yPred', options.threshold);
  if (t.length !== p.length) throw new ValueError(`confusionMatrix: yTrue has ${t.length} samples, yPred ${p.length}; expected the same number`);
  const k = Math.max(options.numClasses ?? 0, 2, ...t.map((v) => v + 1), ...p.map((v) => v + 1));
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  t.forEach((c, i) => m[c][p[i]]++);
  return m;
}

const CELL = 72;
const MARGIN = { left: 110, top: 70, right: 30, bottom: 60 };

/** The picture's pixel size for `k` classes. */
export function confusionMatrixSize(k: number): { width: number; height: number } {
  return { width: MARGIN.left + k * CELL + MARGIN.right, height: MARGIN.top + k * CELL + MARGIN.bottom };
}

/** A cell's fill: white to dark blue with the count's share of the largest count. */
function shade(share: number): string {
  const mix = (a: number, b: number) => Math.round(a + (b - a) * share);
  return `rgb(${mix(247, 8)},${mix(251, 48)},${mix(255, 107)})`;
}

/**
 * The confusion matrix as an SVG heat map with the count (and row share) in every cell.
 * @example const svg = renderConfusionMatrixSvg([0, 1, 1], [0.1, 0.8, 0.3], { labels: ['no', 'yes'] });
 */
export function renderConfusionMatrixSvg(yTrue: Values, yPred: Values, options: ConfusionMatrixOptions = {}): string {
  checkOptionKeys(options, ['labels', 'threshold', 'title'], 'plotConfusionMatrix');
  const m = confusionMatrix(yTrue, yPred, { threshold: options.threshold, numClasses: options.labels?.length });
  const k = m.length;
  const names = Array.from({ length: k }, (_, i) => options.labels?.[i] ?? String(i));
  const max = Math.max(1, ...m.flat());
  const { width, height } = confusionMatrixSize(k);
  let body = text(width / 2, 28, options.title ?? 'Confusion matrix', { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' });
  m.forEach((row, r) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((count, c) => {
      const x = MARGIN.left + c * CELL;
      const y = MARGIN.top + r * CELL;
      const share = count / max;
      body += el('rect', { x, y, width: CELL, height: CELL, fill: shade(share), stroke: '#ffffff' });
      const color = share > 0.5 ? '#ffffff' : '#000000';
      body += text(x + CELL / 2, y + CELL / 2, String(count), { 'text-anchor': 'middle', fill: color, 'font-size': 16 });
      const pct = rowTotal > 0 ? `${((100 * count) / rowTotal).toFixed(1)}%` : '–';
      body += text(x + CELL / 2, y + CELL / 2 + 18, pct, { 'text-anchor': 'middle', fill: color, 'font-size': 10 });
    });
    body += text(MARGIN.left - 8, MARGIN.top + r * CELL + CELL / 2 + 4, names[r], { 'text-anchor': 'end' });
  });
  names.forEach((name, c) => {
    body += text(MARGIN.left + c * CELL + CELL / 2, MARGIN.top + k * CELL + 18, name, { 'text-anchor': 'middle' });
  });
  body += text(MARGIN.left + (k * CELL) / 2, MARGIN.top + k * CELL + 42, 'Predicted', { 'text-anchor': 'middle' });
  const cy = MARGIN.top + (k * CELL) / 2;
  body += text(24, cy, 'True', { 'text-anchor': 'middle', transform: `rotate(-90 24 ${cy})` });
  return svgDocument(width, height, options.title ?? 'Confusion matrix', body);
}

/**
 * Writes the confusion matrix of a classifier as an SVG file and returns its absolute path.
 * @example await plotConfusionMatrix(yTest, model.predict(xTest), 'confusion.svg', { labels: ['benign', 'malignant'] });
 */
export async function plotConfusionMatrix(yTrue: Values, yPred: Values, path: string, options: ConfusionMatrixOptions = {}): Promise<string> {
  return writeSvgFile(path, renderConfusionMatrixSvg(yTrue, yPred, options));
}
