import { isShapeList, Layer, Shapes } from '../layers/layer.js';
import { GraphNode } from '../graph/node.js';

/** One row of a model summary. */
export interface SummaryRow {
  name: string;
  className: string;
  /** Output shape with `null` for the batch; `null` when not known (layer never called). */
  outputShape: Shapes | null;
  params: number;
  /** For graph models: the tensors the layer reads, as Keras prints them (`dense[0][0]`). */
  connectedTo?: string[];
}

/**
 * What a layer of a graph reads, one entry per input tensor of each of its nodes in `nodes`:
 * `producer[node][tensor]` with the producer's node counted among its own calls, as Keras prints it.
 */
export function connectedTo(layer: Layer, nodes: readonly GraphNode[]): string[] {
  const inPlan = new Set(nodes);
  return layer.inboundNodes
    .filter((n) => inPlan.has(n))
    .flatMap((n) =>
      n.inputs.map((t) => {
        const producer = t.node.operation as Layer;
        return `${producer.name}[${producer.inboundNodes.indexOf(t.node)}][${t.index}]`;
      }),
    );
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
  const graph = rows.some((r) => r.connectedTo !== undefined);
  const cells = rows.map((r) => {
    const c = [`${r.name} (${r.className})`, formatOutputShape(r.outputShape), String(r.params)];
    if (graph) c.push((r.connectedTo ?? []).length === 0 ? '-' : r.connectedTo!.join(', '));
    return c;
  });
  const mins = graph ? [...MIN_WIDTHS, 20] : MIN_WIDTHS;
  const widths = mins.map((min, j) => Math.max(min, ...cells.map((c) => c[j].length + 1)));
  const width = widths.reduce((a, b) => a + b, 0) + 1;
  const line = (ch: string): string => ch.repeat(width);
  const row = (texts: string[]): string => ` ${texts.map((t, j) => cell(t, widths[j])).join('')}`.trimEnd();
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(graph ? ['Connected to'] : [])];
  const out = [`Model: "${modelName}"`, line('_'), row(header), line('=')];
  cells.forEach((c, i) => {
    out.push(row(c));
    if (i < rows.length - 1) out.push('');
  });
  out.push(line('='));
  out.push(`Total params: ${trainable + nonTrainable}`);
  out.push(`Trainable params: ${trainable}`);
  out.push(`Non-trainable params: ${nonTrainable}`);
  out.push(line('_'));
  return out.join('\n');
}
