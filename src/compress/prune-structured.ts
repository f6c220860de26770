import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Layer, Shape } from '../layers/layer.js';
import { layerFromConfig } from '../layers/serialization.js';
import { Sequential } from '../models/sequential.js';
import { LayerwiseSequential, sequentialLayers } from './model-layers.js';
import { checkSparsity } from './pruning-schedule.js';

/** Options of `pruneStructured`. */
export interface PruneStructuredOptions {
  /** Fraction of the units (Dense) or filters (Conv2D) each pruned layer loses: ⌊fraction·n⌋, at least one kept. */
  fraction: number;
  /** Norm ranking a unit by its kernel column (or filter): 'l2' (default) or 'l1'. */
  norm?: 'l1' | 'l2';
  /** Names of the layers to shrink (default: every Dense and Conv2D but the last, whose outputs are the model's). */
  layers?: string[];
}

/** Layers that act on each channel alone, so removed channels pass through them unchanged. */
const CHANNELWISE = new Set(['MaxPooling2D', 'AveragePooling2D', 'Dropout', 'Activation']);

/** The entries of a row-major tensor whose index along `axis` is in `keep`, in order. */
function takeAlong(t: Tensor, axis: number, keep: readonly number[]): Tensor {
  const shape = [...t.shape];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = shape[axis];
  const out = new Float32Array(outer * keep.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) for (const j of keep) for (let i = 0; i < inner; i++) out[o++] = t.data[(a * n + j) * inner + i];
  shape[axis] = keep.length;
  return new Tensor(out, shape);
}

/** Indices of the ⌊fraction·n⌋ output channels (last axis of `kernel`) with the smallest norm; ties go to the lower index. */
function weakestChannels(kernel: Tensor, fraction: number, norm: 'l1' | 'l2'): number[] {
  const n = kernel.shape[kernel.rank - 1];
  const norms = new Float64Array(n);
  kernel.data.forEach((v, i) => (norms[i % n] += norm === 'l1' ? Math.abs(v) : v * v));
  const drop = Math.min(Math.floor(fraction * n), n - 1);
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => norms[a] - norms[b] || a - b);
  return order.slice(0, drop).sort((a, b) => a - b);
}

const complement = (n: number, removed: readonly number[]): number[] => Array.from({ length: n }, (_, j) => j).filter((j) => !removed.includes(j));

/**
 * Structured pruning: removes whole Dense units and Conv2D filters with the smallest kernel norm
 * and rewrites the model with the smaller layers, slicing the next layer's inputs to match (through
 * pooling, dropout and activation layers, and Flatten), so the model is really smaller and faster.
 * Its outputs equal the original model's with those units' outputs masked to zero.
 * @example const small = pruneStructured(model, { fraction: 0.5 });
 */
export function pruneStructured(model: Sequential, options: PruneStructuredOptions): Sequential {
  checkOptionKeys(options, ['fraction', 'norm', 'layers'], 'pruneStructured');
  if (options === undefined || options === null) throw new ValueError('pruneStructured: expected options { fraction }');
  const fraction = checkSparsity(options.fraction, 'pruneStructured fraction');
  const norm = options.norm ?? 'l2';
  if (norm !== 'l1' && norm !== 'l2') throw new ValueError(`pruneStructured: expected norm 'l1' or 'l2', received ${JSON.stringify(norm)}`);
  const layers = sequentialLayers(model, 'pruneStructured');
  const weighted = layers.filter((l) => l instanceof Dense || l instanceof Conv2D);
  const names = options.layers ?? weighted.slice(0, -1).map((l) => l.name);
  const unknown = names.filter((n) => !weighted.some((l) => l.name === n));
  if (unknown.length > 0) throw new ValueError(`pruneStructured: no Dense or Conv2D layer named ${unknown.map((n) => `'${n}'`).join(', ')}`);

  let shape: Shape = model.inputShape!;
  let removedIn: number[] | null = null;
  const configs: { className: string; config: Record<string, unknown> }[] = [];
  const weights: Tensor[][] = [];
  for (const l of layers) {
    const outShape = l.computeOutputShape(shape) as Shape;
    const config = l.getConfig();
    let w = l.getWeights();
    if (l instanceof Dense || l instanceof Conv2D) {
      const inAxis = l instanceof Dense ? 0 : 2;
      if (removedIn !== null) w[0] = takeAlong(w[0], inAxis, complement(w[0].shape[inAxis], removedIn));
      removedIn = null;
      if (names.includes(l.name)) {
        const removed = weakestChannels(w[0], fraction, norm);
        const keep = complement(w[0].shape[w[0].rank - 1], removed);
        w = w.map((t, i) => takeAlong(t, i === 0 ? t.rank - 1 : 0, keep));
        config[l instanceof Dense ? 'units' : 'filters'] = keep.length;
        removedIn = removed.length > 0 ? removed : null;
      }
    } else if (removedIn !== null && l.className === 'Flatten') {
      // [h, w, c] flattens channel-fastest: channel c of pixel p is feature p·C + c.
      const channels = shape[shape.length - 1] as number;
      const pixels = shape.slice(1, -1).reduce((a: number, b) => a * (b as number), 1);
      const removed: number[] = removedIn;
      removedIn = Array.from({ length: pixels }, (_, p) => removed.map((c: number) => p * channels + c)).flat();
    } else if (removedIn !== null && !CHANNELWISE.has(l.className)) {
      throw new NeuriteError(`pruneStructured: cannot remove channels feeding layer '${l.name}' (${l.className}); prune only layers followed by Dense, Conv2D, pooling, Dropout, Activation or Flatten`);
    }
    configs.push({ className: l.className, config });
    weights.push(w);
    shape = outShape;
  }
  if (configs[0].config.batch_input_shape === undefined) configs[0].config.batch_input_shape = [null, ...model.inputShape!.slice(1)];
  const rebuilt: Layer[] = configs.map((c) => layerFromConfig(c.className, c.config));
  rebuilt[0].ensureBuilt(model.inputShape!);
  const out = new LayerwiseSequential(rebuilt, { name: model.name });
  out.layers.forEach((l, i) => {
    if (weights[i].length > 0) l.setWeights(weights[i]);
  });
  return out;
}
