import { el, text } from './svg.js';

/** A linear map from data values to pixels. */
export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
}

/**
 * Round tick values covering [lo, hi]: a step of 1, 2 or 5 × 10^k chosen for about `count` ticks, the domain
 * widened to whole steps.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t <= hi + step * 1e-9 || ticks.length < 2; t += step) ticks.push(+t.toPrecision(12));
  if (ticks[ticks.length - 1] < hi - step * 1e-9) ticks.push(+(ticks[ticks.length - 1] + step).toPrecision(12));
  return ticks;
}

/** A scale from the nice-ticked domain around [lo, hi] onto the pixel range [from, to]. */
export function linearScale(lo: number, hi: number, from: number, to: number, count = 5): Scale {
  const ticks = niceTicks(lo, hi, count);
  const d0 = ticks[0];
  const d1 = ticks[ticks.length - 1];
  const f = ((v: number) => from + ((v - d0) / (d1 - d0)) * (to - from)) as Scale;
  f.domain = [d0, d1];
  f.ticks = ticks;
  return f;
}

/** A tick label without float noise: `0.30000000000000004` → `0.3`. */
export function tickLabel(v: number): string {
  return String(+v.toPrecision(6));
}

/** The plot area's frame, grid lines, tick labels and axis titles. */
export function drawAxes(x: Scale, y: Scale, xTitle: string, yTitle: string): string {
  const [left, right] = [x(x.domain[0]), x(x.domain[1])];
  const [bottom, top] = [y(y.domain[0]), y(y.domain[1])];
  let out = '';
  for (const t of y.ticks) {
    out += el('line', { x1: left, x2: right, y1: y(t), y2: y(t), stroke: '#e0e0e0' });
    out += text(left - 6, y(t) + 4, tickLabel(t), { 'text-anchor': 'end', fill: '#333' });
  }
  for (const t of x.ticks) {
    out += el('line', { x1: x(t), x2: x(t), y1: bottom, y2: bottom + 4, stroke: '#333' });
    out += text(x(t), bottom + 17, tickLabel(t), { 'text-anchor': 'middle', fill: '#333' });
  }
  out += el('rect', { x: left, y: top, width: right - left, height: bottom - top, fill: 'none', stroke: '#333' });
  out += text((left + right) / 2, bottom + 34, xTitle, { 'text-anchor': 'middle' });
  const cy = (top + bottom) / 2;
  out += text(left - 44, cy, yTitle, { 'text-anchor': 'middle', transform: `rotate(-90 ${left - 44} ${cy})` });
  return out;
}

/** A polyline through the points (non-finite values break the line). */
export function drawLine(points: [number, number][], color: string, attrs: Record<string, string | number> = {}): string {
  const runs: string[][] = [[]];
  for (const [px, py] of points) {
    if (Number.isFinite(px) && Number.isFinite(py)) runs[runs.length - 1].push(`${Math.round(px * 100) / 100},${Math.round(py * 100) / 100}`);
    else if (runs[runs.length - 1].length > 0) runs.push([]);
  }
  return runs
    .filter((r) => r.length > 0)
    .map((r) => el('polyline', { points: r.join(' '), fill: 'none', stroke: color, 'stroke-width': 2, ...attrs }))
    .join('');
}

/** A legend box in the top-right corner of the plot area: a coloured line and a label per entry. */
export function drawLegend(right: number, top: number, entries: { label: string; color: string; dash?: string }[]): string {
  const width = 16 + 28 + Math.max(...entries.map((e) => e.label.length)) * 7;
  const x = right - width - 8;
  let out = el('rect', { x, y: top + 8, width, height: entries.length * 18 + 8, fill: '#ffffff', 'fill-opacity': 0.85, stroke: '#ccc' });
  entries.forEach((e, i) => {
    const y = top + 24 + i * 18;
    out += el('line', { x1: x + 8, x2: x + 32, y1: y - 4, y2: y - 4, stroke: e.color, 'stroke-width': 2, ...(e.dash ? { 'stroke-dasharray': e.dash } : {}) });
    out += text(x + 38, y, e.label);
  });
  return out;
}
