import { ValueError } from '../util/errors.js';
import { drawAxes, drawLegend, drawLine, linearScale } from './axes.js';
import { el, PALETTE, svgDocument, text, writeSvgFile } from './svg.js';

/** What `fit` returns, as far as plotting needs it: per-epoch values by Keras key (`loss`, `val_loss`, …). */
export interface HistoryLike {
  /** Epoch indices (from 0); the x axis shows them from 1. Default 0, 1, 2, …. */
  epoch?: readonly number[];
  /** One array of per-epoch values per log key. */
  history: Readonly<Record<string, readonly number[]>>;
}

/** Size of one panel (one metric, train and validation) in pixels. */
export const PANEL = { width: 480, height: 300, left: 64, right: 16, top: 34, bottom: 50 };

/** Panels side by side before a new row starts. */
const COLUMNS = 2;

/** The metric names to plot, each once: `loss`, `accuracy`, … (a `val_` key joins its training key). */
export function historyPanels(history: HistoryLike['history']): string[] {
  const keys = Object.keys(history);
  const bases = keys.map((k) => (k.startsWith('val_') ? k.slice(4) : k));
  return [...new Set(bases)];
}

/** The pixel size of `renderHistorySvg`'s picture for `n` panels. */
export function historySize(n: number): { width: number; height: number } {
  const cols = Math.min(COLUMNS, Math.max(1, n));
  return { width: cols * PANEL.width, height: Math.ceil(Math.max(1, n) / COLUMNS) * PANEL.height };
}

function panel(name: string, epochs: number[], train: readonly number[] | undefined, val: readonly number[] | undefined, ox: number, oy: number): string {
  const values = [...(train ?? []), ...(val ?? [])].filter(Number.isFinite);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = linearScale(epochs[0], epochs[epochs.length - 1], ox + PANEL.left, ox + PANEL.width - PANEL.right, 6);
  const y = linearScale(lo, hi, oy + PANEL.height - PANEL.bottom, oy + PANEL.top, 5);
  let out = drawAxes(x, y, 'epoch', name);
  out += text(ox + PANEL.width / 2, oy + 20, name, { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' });
  const legend: { label: string; color: string; dash?: string }[] = [];
  const series = (v: readonly number[], color: string, dash?: string) =>
    drawLine(v.map((value, i) => [x(epochs[i]), y(value)] as [number, number]), color, dash ? { 'stroke-dasharray': dash } : {});
  if (train) {
    out += series(train, PALETTE[0]);
    legend.push({ label: 'train', color: PALETTE[0] });
  }
  if (val) {
    out += series(val, PALETTE[1], '6 3');
    legend.push({ label: 'validation', color: PALETTE[1], dash: '6 3' });
  }
  return out + drawLegend(ox + PANEL.width - PANEL.right, oy + PANEL.top, legend);
}

/**
 * Learning curves as SVG: one panel per metric (loss first), the training values as a solid line and the
 * validation ones (`val_…`) dashed, against the epoch (counted from 1).
 * @example const svg = renderHistorySvg({ history: { loss: [0.7, 0.5], val_loss: [0.72, 0.6] } });
 */
export function renderHistorySvg(history: HistoryLike): string {
  const h = history?.history;
  if (typeof h !== 'object' || h === null) throw new ValueError(`plotHistory: expected the History that fit returns ({ history: { loss: [...] } }), received ${typeof history}`);
  const names = historyPanels(h);
  const lengths = Object.entries(h).map(([k, v]) => {
    if (!Array.isArray(v) || v.some((n) => typeof n !== 'number')) throw new ValueError(`plotHistory: history.${k} must be an array of numbers`);
    return v.length;
  });
  const n = Math.max(0, ...lengths);
  if (names.length === 0 || n === 0) throw new ValueError('plotHistory: the history has no values (train for at least one epoch)');
  const epochs = Array.from({ length: n }, (_, i) => (history.epoch?.[i] ?? i) + 1);
  const { width, height } = historySize(names.length);
  const body = names
    .map((name, i) => panel(name, epochs, h[name], h[`val_${name}`], (i % COLUMNS) * PANEL.width, Math.floor(i / COLUMNS) * PANEL.height))
    .join('');
  return svgDocument(width, height, 'Training history', body);
}

/**
 * Writes the learning curves (`renderHistorySvg`) as a standalone SVG file and returns its absolute path.
 * @example const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.2 });
 * await plotHistory(history, 'history.svg');
 */
export async function plotHistory(history: HistoryLike, path: string): Promise<string> {
  return writeSvgFile(path, renderHistorySvg(history));
}
