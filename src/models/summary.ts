import { isShapeList, Layer, Shapes } from '../layers/layer.js';
import { GraphNode } from '../graph/node.js';
import { ValueError } from '../util/errors.js';

/** One row of a model summary. */
export interface SummaryRow {
  name: string;
  className: string;
  /** Output shape with `null` for the batch; `null` when not known (layer never called). */
  outputShape: Shapes | null;
  params: number;
  /** False for a layer without weights yet (shown as `0 (unbuilt)`, as Keras); absent means built. */
  built?: boolean;
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

/** Options of `renderSummary` (and `model.summary`). */
export interface SummaryOptions {
  /** Total width of the table in characters; Keras's default is 88, or the terminal's columns minus 4 when narrower. */
  lineLength?: number;
}

/** Keras 3's line length for a sequential-like model. */
export const DEFAULT_LINE_LENGTH = 88;

/** Keras 3's line length for a graph model (with the "Connected to" column). */
export const GRAPH_LINE_LENGTH = 116;

/** Keras 3's column boundaries, as fractions of the line length. */
const POSITIONS = [0.45, 0.8, 1.0];

/** Keras 3's column boundaries for a graph model's four columns. */
const GRAPH_POSITIONS = [0.3, 0.6, 0.7, 1.0];

/** Bytes per parameter: every neurite weight is float32. */
const BYTES_PER_PARAM = 4;

/** Keras's default width: 88, or less on a narrower terminal (`columns` − 4), as `shutil.get_terminal_size`. */
export function defaultLineLength(columns: number | undefined): number {
  return typeof columns === 'number' && columns > 0 ? Math.min(DEFAULT_LINE_LENGTH, columns - 4) : DEFAULT_LINE_LENGTH;
}

/** `(None, 16)` as Keras 3 prints shapes; `?` when unknown; a list of shapes for several outputs. */
export function formatOutputShape(shape: Shapes | null): string {
  if (shape === null) return '?';
  if (isShapeList(shape)) return `[${shape.map((s) => formatOutputShape(s)).join(', ')}]`;
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** `1234567` → `1,234,567` (Python's `{:,}`). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Python's `round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `{:.2f}` with Python's tie rule (an exact half goes to the even last digit). */
function fixed2(x: number): string {
  return (roundHalfEven(x * 100) / 100).toFixed(2);
}

/** Keras's readable size: `0.00 B`, `2.50 KB`, `1.23 MB` (powers of 1024). */
export function readableBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${fixed2(size)} ${unit}`;
    size /= 1024;
  }
  return `${fixed2(size * 1024)} PB`;
}

/**
 * Content widths of the three columns. Keras asks its table renderer (rich) for columns of
 * `floor(p·L) − previous` characters plus one space of padding each side, inside a table of total width L
 * with 4 border characters; the 10 characters too many are taken back one column at a time,
 * `round(excess_left / columns_left)` from each (rich's `ratio_reduce`).
 */
export function columnWidths(lineLength: number, positions: readonly number[] = POSITIONS): number[] {
  let previous = 0;
  const cells = positions.map((p) => {
    const width = Math.floor(p * lineLength) - previous;
    previous += width;
    if (width < 4) throw new ValueError(`summary: lineLength ${lineLength} is too narrow for the table (at least 9 is needed)`);
    return width + 2;
  });
  let excess = cells.reduce((a, b) => a + b, 0) - (lineLength - 4);
  let left = cells.length;
  return cells.map((c) => {
    const take = excess > 0 ? Math.min(c, roundHalfEven(excess / left)) : 0;
    excess -= take;
    left--;
    return c - take - 2;
  });
}

/** Greedy word wrap to `width`, folding a word longer than the width (as rich does in a table cell). */
export function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  lines.push(line);
  return lines;
}

/** A table row: each cell wrapped to its column, padded by one space, between `edge` / `middle` borders. */
function tableRow(cells: string[], widths: number[], borders: [string, string, string]): string[] {
  const wrapped = cells.map((c, j) => wrapCell(c, widths[j]));
  const height = Math.max(...wrapped.map((w) => w.length));
  const out: string[] = [];
  for (let k = 0; k < height; k++) {
    const parts = wrapped.map((w, j) => {
      const text = w[k] ?? '';
      return ` ${j === 2 ? text.padStart(widths[j]) : text.padEnd(widths[j])} `;
    });
    out.push(borders[0] + parts.join(borders[1]) + borders[2]);
  }
  return out;
}

/** A horizontal rule: `left`, `fill` across each column (with its padding), `join` between, `right`. */
function rule(widths: number[], left: string, fill: string, join: string, right: string): string {
  return left + widths.map((w) => fill.repeat(w + 2)).join(join) + right;
}

/**
 * A Keras 3 summary table: `Model: "name"`, a box table (heavy header, a rule between layers) with one row
 * per layer (name (type), output shape, right-aligned parameter count), then the totals with their
 * float32 sizes: ` Total params: 641 (2.50 KB)`.
 */
export function renderSummary(modelName: string, rows: SummaryRow[], trainable: number, nonTrainable: number, options: SummaryOptions = {}): string {
  const graph = rows.some((r) => r.connectedTo !== undefined);
  const lineLength = options.lineLength ?? (graph ? GRAPH_LINE_LENGTH : DEFAULT_LINE_LENGTH);
  if (!Number.isInteger(lineLength) || lineLength <= 0) {
    throw new ValueError(`summary: lineLength must be a positive integer, received ${String(lineLength)}`);
  }
  const widths = columnWidths(lineLength, graph ? GRAPH_POSITIONS : POSITIONS);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(graph ? ['Connected to'] : [])];
  const out = [`Model: "${modelName}"`, rule(widths, '┏', '━', '┳', '┓')];
  out.push(...tableRow(header, widths, ['┃', '┃', '┃']));
  out.push(rule(widths, '┡', '━', '╇', '┩'));
  rows.forEach((r, i) => {
    if (i > 0) out.push(rule(widths, '├', '─', '┼', '┤'));
    const params = r.built === false ? '0 (unbuilt)' : groupDigits(r.params);
    const cells = [`${r.name} (${r.className})`, formatOutputShape(r.outputShape), params];
    if (graph) cells.push((r.connectedTo ?? []).length === 0 ? '-' : r.connectedTo!.join(', '));
    out.push(...tableRow(cells, widths, ['│', '│', '│']));
  });
  out.push(rule(widths, '└', '─', '┴', '┘'));
  const total = (label: string, n: number) => ` ${label}: ${groupDigits(n)} (${readableBytes(n * BYTES_PER_PARAM)})`;
  out.push(total('Total params', trainable + nonTrainable));
  out.push(total('Trainable params', trainable));
  out.push(total('Non-trainable params', nonTrainable));
  return out.join('\n');
}
