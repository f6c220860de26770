import { isShapeList, Shapes } from '../layers/layer.js';

/** One row of a model summary. */
export interface SummaryRow {
  name: string;
  className: string;
  /** Output shape with `null` for the batch; `null` when not known (layer never called). */
  outputShape: Shapes | null;
  params: number;
}

/** Keras's minimum column widths; a column grows to fit its longest entry (plus a space) instead of misaligning. */
const MIN_WIDTHS = [29, 26, 10];

function cell(text: string, width: number): string {
  return text.padEnd(width);
}

/** `(None, 16)` as Keras prints shapes. */
export function formatOutputShape(shape: Shapes | null): string {
  if (shape === null) return '?';
  if (isShapeList(shape)) return `[${shape.map((s) => formatOutputShape(s)).join(', ')}]`;
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/**
 * A Keras-style summary table: one row per layer (name (type), output shape, parameter count) and the
 * totals.
 */
export function renderSummary(modelName: string, rows: SummaryRow[], trainable: number, nonTrainable: number): string {
  const cells = rows.map((r) => [`${r.name} (${r.className})`, formatOutputShape(r.outputShape), String(r.params)]);
  const widths = MIN_WIDTHS.map((min, j) => Math.max(min, ...cells.map((c) => c[j].length + 1)));
  const width = widths.reduce((a, b) => a + b, 0) + 1;
  const line = (ch: string): string => ch.repeat(width);
  const row = (a: string, b: string, c: string): string => ` ${cell(a, widths[0])}${cell(b, widths[1])}${cell(c, widths[2])}`.trimEnd();
  const out = [`Model: "${modelName}"`, line('_'), row('Layer (type)', 'Output Shape', 'Param #'), line('=')];
  cells.forEach(([a, b, c], i) => {
    out.push(row(a, b, c));
    if (i < rows.length - 1) out.push('');
  });
  out.push(line('='));
  out.push(`Total params: ${trainable + nonTrainable}`);
  out.push(`Trainable params: ${trainable}`);
  out.push(`Non-trainable params: ${nonTrainable}`);
  out.push(line('_'));
  return out.join('\n');
}
