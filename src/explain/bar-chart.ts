import { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { positiveInt } from './gradients.js';
import { el, svgDocument, text, writeSvgFile } from '../plot/svg.js';

/** Options of `saveBarChart` / `renderBarChartSvg`. */
export interface BarChartOptions {
  /** Chart title; default 'Feature attributions'. */
  title?: string;
  /** Show only the k largest |values| (default all). */
  top?: number;
}

const ROW = 20;
const LABEL_WIDTH = 180;
const BAR_AREA = 360;
const VALUE_ROOM = 56;
const POSITIVE = '#d62728';
const NEGATIVE = '#1f77b4';

/** The values as numbers, checked against the names. */
function checked(values: ArrayLike<number> | Tensor, names: readonly string[]): number[] {
  const v = Array.from(values instanceof Tensor ? values.data : values);
  if (!Array.isArray(names) || names.length !== v.length) {
    throw new ValueError(`saveBarChart: expected ${v.length} feature names (one per value), received ${Array.isArray(names) ? names.length : typeof names}`);
  }
  if (v.some((x) => !Number.isFinite(x))) throw new ValueError('saveBarChart: every value must be a finite number');
  return v;
}

/**
 * An SVG horizontal bar chart of feature attributions sorted by |value| (positive red to the right,
 * negative blue to the left of a zero line), with feature names and values.
 * @example const svg = explain.renderBarChartSvg([0.3, -0.1], ['age', 'income'], { title: 'Attributions' }); // an <svg> string
 */
export function renderBarChartSvg(values: ArrayLike<number> | Tensor, names: readonly string[], options: BarChartOptions = {}): string {
  checkOptionKeys(options, ['title', 'top'], 'saveBarChart');
  const v = checked(values, names);
  if (options.top !== undefined) positiveInt(options.top, 'top', 'saveBarChart');
  const order = v.map((_, i) => i).sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]) || a - b).slice(0, options.top ?? v.length);
  const maxAbs = Math.max(1e-300, ...order.map((i) => Math.abs(v[i])));
  const hasNegative = order.some((i) => v[i] < 0);
  // Negative bars keep room on their left for their value labels.
  const zero = LABEL_WIDTH + (hasNegative ? VALUE_ROOM + BAR_AREA / 2 : 0);
  const scale = (hasNegative ? BAR_AREA / 2 : BAR_AREA) / maxAbs;
  const top = 36;
  let body = text(10, 20, options.title ?? 'Feature attributions', { 'font-size': 14, 'font-weight': 'bold' });
  order.forEach((i, r) => {
    const y = top + r * ROW;
    const len = Math.abs(v[i]) * scale;
    body += text(LABEL_WIDTH - 6, y + 14, names[i], { 'text-anchor': 'end' });
    body += el('rect', { x: v[i] < 0 ? zero - len : zero, y: y + 3, width: len, height: ROW - 6, fill: v[i] < 0 ? NEGATIVE : POSITIVE, 'data-value': v[i] });
    body += text(v[i] < 0 ? zero - len - 4 : zero + len + 4, y + 14, v[i].toPrecision(3), { 'text-anchor': v[i] < 0 ? 'end' : 'start', 'font-size': 10 });
  });
  body += el('line', { x1: zero, y1: top, x2: zero, y2: top + order.length * ROW, stroke: '#333333' });
  return svgDocument(LABEL_WIDTH + BAR_AREA + 2 * VALUE_ROOM, top + order.length * ROW + 16, options.title ?? 'Feature attributions', body);
}

/**
 * Writes `renderBarChartSvg` to `path` and returns its absolute path.
 * @example explain.saveBarChart('shap.svg', shapValues.data.subarray(0, 30), featureNames);
 */
export function saveBarChart(path: string, values: ArrayLike<number> | Tensor, names: readonly string[], options: BarChartOptions = {}): string {
  return writeSvgFile(path, renderBarChartSvg(values, names, options));
}
