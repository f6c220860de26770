import { NeuriteError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { Tensor } from '../tensor/tensor.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Layer, Shape } from '../layers/layer.js';
import { layerFromConfig } from '../layers/serialization.js';
import { Sequential } from '../models/sequential.js';
import { BatchNormalization } from '../layers/normalization/batch-normalization.js';
import { Model } from '../models/model.js';
import { SymbolicStructure } from '../models/structure.js';
import { isFunctional } from './model-graph.js';
import { LayerwiseSequential, sequentialLayers } from './model-layers.js';
import { checkSparsity } from './pruning-schedule.js';
import { pruneFunctional, StructuredPruneSkip } from './prune-structured-graph.js';
import { complement, flattenedIndices, passesChannels, takeAlong, weakestChannels } from './structured-channels.js';

export type { StructuredPruneSkip } from './prune-structured-graph.js';

/** Options of `pruneStructured`. */
export interface PruneStructuredOptions {
  /** Fraction of the units (Dense) or filters (Conv2D) each pruned layer loses: ⌊fraction·n⌋, at least one kept. */
  fraction: number;
  /** Norm ranking a unit by its kernel column (or filter): 'l2' (default) or 'l1'. */
  norm?: 'l1' | 'l2';
  /** Names of the layers to shrink (default: every Dense and Conv2D but the last, whose outputs are the model's). */
  layers?: string[];
}

/** What `pruneStructuredWithReport` did: the new model, the removed channels per layer, the layers left whole. */
export interface PruneStructuredResult<M extends Model<SymbolicStructure> = Model> {
  /** The smaller model (a Sequential for a Sequential, a functional Model for a functional one). */
  model: M;
  /** Per pruned layer, the original indices of the units or filters removed (ascending). */
  removed: Record<string, number[]>;
  /** Layers asked for (or chosen by default) whose channels could not be removed, with the reason. */
  skipped: StructuredPruneSkip[];
}

function checkOptions(options: PruneStructuredOptions): { fraction: number; norm: 'l1' | 'l2' } {
  if (options === undefined || options === null) throw new ValueError('pruneStructured: expected options { fraction }');
  checkOptionKeys(options, ['fraction', 'norm', 'layers'], 'pruneStructured');
  const fraction = checkSparsity(options.fraction, 'pruneStructured fraction');
  const norm = options.norm ?? 'l2';
  if (norm !== 'l1' && norm !== 'l2') throw new ValueError(`pruneStructured: expected norm 'l1' or 'l2', received ${JSON.stringify(norm)}`);
  return { fraction, norm };
}

/**
 * Structured pruning: removes whole Dense units and Conv2D filters with the smallest kernel norm
 * and rewrites the model with the smaller layers, slicing the next layer's inputs to match (through
 * pooling, dropout, activation and BatchNormalization layers, and Flatten), so the model is really
 * smaller and faster. Its outputs equal the original model's with those units' outputs masked to
 * zero. Sequential and functional models (`new Model({ inputs, outputs })`); in a graph, a layer
 * whose output reaches a merge layer or a model output is left whole (see `pruneStructuredWithReport`).
 * @example const small = pruneStructured(model, { fraction: 0.5 });
 */
export function pruneStructured<M extends Model<SymbolicStructure>>(model: M, options: PruneStructuredOptions): M {
  return pruneStructuredWithReport(model, options).model;
}

/**
 * `pruneStructured` that also says which channels each layer lost and which layers it left whole
 * and why (in a functional model: an output reaching a merge layer, a model output, a shared layer).
 * @example const { model: small, removed, skipped } = pruneStructuredWithReport(model, { fraction: 0.25 });
 */
export function pruneStructuredWithReport<M extends Model<SymbolicStructure>>(model: M, options: PruneStructuredOptions): PruneStructuredResult<M> {
  const { fraction, norm } = checkOptions(options);
  const m = model as unknown as Model;
  const result = m instanceof Model && !(m instanceof Sequential) && isFunctional(m)
    ? pruneFunctional(m, options.layers ?? null, fraction, norm)
    : pruneSequential(m, options.layers ?? null, fraction, norm);
  return result as unknown as PruneStructuredResult<M>;
}

/** The Sequential path: one pass over the layer list, the removed channels carried to the next weighted layer. */
function pruneSequential(model: Model, wanted: readonly string[] | null, fraction: number, norm: 'l1' | 'l2'): PruneStructuredResult<Sequential> {
  const layers = sequentialLayers(model, 'pruneStructured');
  const inputShape = (model as Sequential).inputShape!;
  const weighted = layers.filter((l) => l instanceof Dense || l instanceof Conv2D);
  const names = wanted ?? weighted.slice(0, -1).map((l) => l.name);
  const unknown = names.filter((n) => !weighted.some((l) => l.name === n));
  if (unknown.length > 0) throw new ValueError(`pruneStructured: no Dense or Conv2D layer named ${unknown.map((n) => `'${n}'`).join(', ')}`);

  let shape: Shape = inputShape;
  let removedIn: number[] | null = null;
  const configs: { className: string; config: Record<string, unknown> }[] = [];
  const weights: Tensor[][] = [];
  const removedAll: Record<string, number[]> = {};
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
        if (removedIn !== null) removedAll[l.name] = removed;
      }
    } else if (removedIn !== null && l.className === 'Flatten') {
      // [h, w, c] flattens channel-fastest: channel c of pixel p is feature p·C + c.
      const channels = shape[shape.length - 1] as number;
      const pixels = shape.slice(1, -1).reduce((a: number, b) => a * (b as number), 1);
      removedIn = flattenedIndices(removedIn, channels, pixels);
    } else if (removedIn !== null && l instanceof BatchNormalization && (l.axis === -1 || l.axis === shape.length - 1)) {
      // Each channel keeps its own gamma, beta and moving statistics: drop the removed channels' entries.
      const keep = complement(shape[shape.length - 1] as number, removedIn);
      w = w.map((t) => takeAlong(t, 0, keep));
    } else if (removedIn !== null && !passesChannels(l)) {
      throw new NeuriteError(`pruneStructured: cannot remove channels feeding layer '${l.name}' (${l.className}); prune only layers followed by Dense, Conv2D, pooling, Dropout, activations, BatchNormalization or Flatten`);
    }
    configs.push({ className: l.className, config });
    weights.push(w);
    shape = outShape;
  }
  if (configs[0].config.batch_input_shape === undefined) configs[0].config.batch_input_shape = [null, ...inputShape.slice(1)];
  const rebuilt: Layer[] = configs.map((c) => layerFromConfig(c.className, c.config));
  rebuilt[0].ensureBuilt(inputShape);
  const out = new LayerwiseSequential(rebuilt, { name: model.name });
  out.layers.forEach((l, i) => {
    if (weights[i].length > 0) l.setWeights(weights[i]);
  });
  return { model: out, removed: removedAll, skipped: [] };
}
