import { ValueError } from '../util/errors.js';
import { el, svgDocument, text, writeSvgFile } from './svg.js';

/** A layer as the graph drawing needs it (a neurite `Layer` fits as it is). */
export interface GraphLayerLike {
  /** The layer's unique name. */
  readonly name: string;
  /** Its class (`Dense`, `Conv2D` …), shown in brackets. */
  readonly className: string;
  /** Names of the layers feeding this one; absent on every layer means a chain in list order (Sequential). */
  readonly inbound?: readonly string[];
  /** Output shape with `null` for the batch, shown under the name when known. */
  readonly outputShape?: readonly unknown[] | null;
}

/** What `plotModel` draws: the layers, and the model's name as the title. */
export interface ModelGraphLike {
  /** The title (the model's name). */
  readonly name?: string;
  /** The layers, in order. */
  readonly layers: readonly GraphLayerLike[];
}

const BOX = { width: 230, height: 50, gapX: 30, gapY: 40, margin: 30, title: 30 };

/** `(None, 16)` for a shape, `[(None, 4), (None, 2)]` for several. */
function shapeText(shape: readonly unknown[] | null | undefined): string {
  if (!Array.isArray(shape)) return '';
  if (shape.length > 0 && shape.every((s) => Array.isArray(s))) return `[${shape.map((s) => shapeText(s as unknown[])).join(', ')}]`;
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** Each layer's inbound names: as given, or the previous layer's for a chain. */
function edgesOf(layers: readonly GraphLayerLike[]): string[][] {
  const chain = layers.every((l) => l.inbound === undefined);
  const names = new Set(layers.map((l) => l.name));
  return layers.map((l, i) => {
    const from = chain ? (i > 0 ? [layers[i - 1].name] : []) : [...(l.inbound ?? [])];
    for (const f of from) if (!names.has(f)) throw new ValueError(`plotModel: layer '${l.name}' has inbound '${f}', which is not one of the model's layers`);
    return from;
  });
}

/** Depth of every layer: 0 without inbound layers, else one more than its deepest inbound (longest path). */
export function layerDepths(layers: readonly GraphLayerLike[]): number[] {
  const edges = edgesOf(layers);
  const index = new Map(layers.map((l, i) => [l.name, i]));
  const depth = new Array<number>(layers.length).fill(-1);
  const visiting = new Set<number>();
  const visit = (i: number): number => {
    if (depth[i] >= 0) return depth[i];
    if (visiting.has(i)) throw new ValueError(`plotModel: the layer graph has a cycle through '${layers[i].name}'`);
    visiting.add(i);
    depth[i] = edges[i].reduce((d, f) => Math.max(d, visit(index.get(f) as number) + 1), 0);
    visiting.delete(i);
    return depth[i];
  };
  layers.forEach((_, i) => visit(i));
  return depth;
}

/** Box positions (top-left corners) and the picture's size. */
export function layoutGraph(layers: readonly GraphLayerLike[]): { x: number[]; y: number[]; width: number; height: number } {
  const depth = layerDepths(layers);
  const levels = Math.max(0, ...depth) + 1;
  const rows: number[][] = Array.from({ length: levels }, () => []);
  depth.forEach((d, i) => rows[d].push(i));
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = 2 * BOX.margin + widest * BOX.width + (widest - 1) * BOX.gapX;
  const height = 2 * BOX.margin + BOX.title + levels * BOX.height + (levels - 1) * BOX.gapY;
  const x = new Array<number>(layers.length);
  const y = new Array<number>(layers.length);
  rows.forEach((row, d) => {
    const span = row.length * BOX.width + (row.length - 1) * BOX.gapX;
    row.forEach((i, k) => {
      x[i] = (width - span) / 2 + k * (BOX.width + BOX.gapX);
      y[i] = BOX.margin + BOX.title + d * (BOX.height + BOX.gapY);
    });
  });
  return { x, y, width, height };
}

/**
 * The layer graph as SVG, as Keras's `plot_model`: a box per layer (name, class, output shape), arrows along the data flow.
 * @example const svg = renderModelSvg({ name: 'g', layers: [{ name: 'a', className: 'Dense' }, { name: 'b', className: 'Dense', inbound: ['a'] }] });
 */
export function renderModelSvg(model: ModelGraphLike): string {
  const layers = model?.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new ValueError('plotModel: the model has no layers to draw');
  const { x, y, width, height } = layoutGraph(layers);
  const edges = edgesOf(layers);
  const index = new Map(layers.map((l, i) => [l.name, i]));
  let body = el('defs', {}, el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' }, el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#555' })));
  body += text(width / 2, BOX.margin + 6, model.name ?? 'model', { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' });
  edges.forEach((from, i) => {
    for (const f of from) {
      const j = index.get(f) as number;
      const attrs = { x1: x[j] + BOX.width / 2, y1: y[j] + BOX.height, x2: x[i] + BOX.width / 2, y2: y[i], stroke: '#555', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)' };
      body += el('line', attrs);
    }
  });
  layers.forEach((l, i) => {
    body += el('rect', { x: x[i], y: y[i], width: BOX.width, height: BOX.height, rx: 6, fill: '#dbe9f6', stroke: '#1f4e79', 'stroke-width': 1.5 });
    const shape = shapeText(l.outputShape);
    const cx = x[i] + BOX.width / 2;
    body += text(cx, y[i] + (shape ? 21 : 30), `${l.name} (${l.className})`, { 'text-anchor': 'middle', 'font-weight': 'bold' });
    if (shape) body += text(cx, y[i] + 38, shape, { 'text-anchor': 'middle', fill: '#333' });
  });
  return svgDocument(width, height, `${model.name ?? 'model'} layers`, body);
}

/**
 * Writes the model's layer graph as an SVG file and returns its absolute path; works for a Sequential (a
 * chain) and for any graph whose layers list their `inbound` layer names.
 * @example await plotModel(model, 'model.svg');
 */
export async function plotModel(model: ModelGraphLike, path: string): Promise<string> {
  return writeSvgFile(path, renderModelSvg(model));
}
