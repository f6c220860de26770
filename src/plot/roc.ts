import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { drawAxes, drawLegend, drawLine, linearScale } from './axes.js';
import { readValues, Values } from './labels.js';
import { PALETTE, svgDocument, text, writeSvgFile } from './svg.js';

/** The ROC curve of a binary classifier: one point per distinct score, from (0, 0) to (1, 1). */
export interface RocCurve {
  /** False-positive rates, increasing. */
  fpr: number[];
  /** True-positive rates at the same thresholds. */
  tpr: number[];
  /** The score at or above which a sample counts as positive for each point (`Infinity` for the first). */
  thresholds: number[];
  /** Area under the curve (trapezoids): the chance that a random positive scores above a random negative. */
  auc: number;
}

/**
 * The exact ROC curve: samples sorted by score, one step per distinct score (ties move both rates at once,
 * giving the diagonal segment that counts a tie as half), area by trapezoids.
 * @example rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).auc; // 0.75
 */
export function rocCurve(yTrue: Values, yScore: Values): RocCurve {
  const t = readValues(yTrue, 'rocCurve yTrue').data;
  const s = readValues(yScore, 'rocCurve yScore').data;
  if (t.length !== s.length) throw new ValueError(`rocCurve: yTrue has ${t.length} samples, yScore ${s.length}; expected the same number`);
  let positives = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== 0 && t[i] !== 1) throw new ValueError(`rocCurve: yTrue[${i}] is ${t[i]}, expected a binary label 0 or 1`);
    if (!Number.isFinite(s[i])) throw new ValueError(`rocCurve: yScore[${i}] is ${s[i]}, expected a finite score`);
    positives += t[i];
  }
  const negatives = t.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new ValueError(`rocCurve: needs both classes in yTrue, received ${positives} positives and ${negatives} negatives`);
  }
  const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => s[b] - s[a]);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (t[i] === 1) tp++;
    else fp++;
    if (k + 1 < order.length && s[order[k + 1]] === s[i]) continue;
    fpr.push(fp / negatives);
    tpr.push(tp / positives);
    thresholds.push(s[i]);
  }
  let auc = 0;
  for (let k = 1; k < fpr.length; k++) auc += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  return { fpr, tpr, thresholds, auc };
}

/** Pixel size of the ROC picture. */
export const ROC_SIZE = { width: 480, height: 460 };

/**
 * The ROC curve as SVG, with the chance diagonal and the AUC in the legend.
 * @example const svg = renderRocSvg([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 */
export function renderRocSvg(yTrue: Values, yScore: Values, options: { title?: string } = {}): string {
  checkOptionKeys(options, ['title'], 'plotRoc');
  const roc = rocCurve(yTrue, yScore);
  const { width, height } = ROC_SIZE;
  const x = linearScale(0, 1, 64, width - 20, 5);
  const y = linearScale(0, 1, height - 56, 40, 5);
  let body = drawAxes(x, y, 'False positive rate', 'True positive rate');
  body += text(width / 2, 22, options.title ?? 'ROC curve', { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' });
  body += drawLine([[x(0), y(0)], [x(1), y(1)]], '#999999', { 'stroke-dasharray': '4 4', 'stroke-width': 1 });
  body += drawLine(roc.fpr.map((f, i) => [x(f), y(roc.tpr[i])] as [number, number]), PALETTE[0]);
  const label = `ROC (AUC = ${roc.auc.toFixed(3)})`;
  // The legend sits low on the right, where a useful curve leaves room.
  body += drawLegend(width - 20, height - 56 - 56, [{ label, color: PALETTE[0] }, { label: 'chance', color: '#999999', dash: '4 4' }]);
  return svgDocument(width, height, label, body);
}

/**
 * Writes the ROC curve of a binary classifier (labels 0/1, scores = predicted probabilities) as an SVG file;
 * returns the path and the AUC.
 * @example const { auc } = await plotRoc(yTest, model.predict(xTest), 'roc.svg');
 */
export async function plotRoc(yTrue: Values, yScore: Values, path: string, options: { title?: string } = {}): Promise<{ path: string; auc: number }> {
  const svg = renderRocSvg(yTrue, yScore, options);
  return { path: writeSvgFile(path, svg), auc: rocCurve(yTrue, yScore).auc };
}
