import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { GraphNode } from '../graph/node.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { planGraph } from '../graph/topology.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Layer } from '../layers/layer.js';
import { BatchNormalization } from '../layers/normalization/batch-normalization.js';
import { layerFromConfig } from '../layers/serialization.js';
import { Model } from '../models/model.js';
import { functionalLayers, rewriteFunctional } from './model-graph.js';
import { complement, flattenedIndices, passesChannels, takeAlong, weakestChannels } from './structured-channels.js';

/**
 * The functional-graph path of `pruneStructured`. A pruned layer's output tensor may feed several
 * calls; its channels are removed only when every path from it ends at a Dense or Conv2D input
 * (which then loses those input rows), passing only through channel-wise layers (pooling, Dropout,
 * activations, BatchNormalization — which loses those channels' statistics) and Flatten (which
 * maps a channel to its flattened positions). A path that reaches a merge layer (Add, Concatenate…:
 * its inputs would need the same kept channels), a model output, a shared layer or any other
 * layer makes the layer skipped, and the result says why.
 */

/** A layer `pruneStructured` left whole, and why. */
export interface StructuredPruneSkip {
  /** The layer's name. */
  layer: string;
  /** Why its channels could not be removed. */
  reason: string;
}

/** What one channel removal does to a layer downstream: its input rows, or its per-channel weights. */
interface Effect {
  layer: Layer;
  role: 'input' | 'channels';
  /** From the removed output channels of the pruned layer to the removed indices at this layer. */
  map: (removed: readonly number[]) => number[];
}

interface Graph {
  nodes: readonly GraphNode[];
  consumers: Map<SymbolicTensor, GraphNode[]>;
  calls: Map<Layer, number>;
  outputs: Set<SymbolicTensor>;
}

function describeGraph(model: Model): Graph {
  const nodes = planGraph(model.inputs, model.outputs, `pruneStructured: model '${model.name}'`).nodes;
  const consumers = new Map<SymbolicTensor, GraphNode[]>();
  const calls = new Map<Layer, number>();
  for (const node of nodes) {
    const layer = node.operation as Layer;
    calls.set(layer, (calls.get(layer) ?? 0) + 1);
    for (const t of new Set(node.inputs)) consumers.set(t, [...(consumers.get(t) ?? []), node]);
  }
  return { nodes, consumers, calls, outputs: new Set(model.outputs) };
}

const who = (l: Layer): string => `'${l.name}' (${l.className})`;

/** BatchNormalization passes channels only when it normalizes the last (channel) axis. */
function normalizesLastAxis(bn: BatchNormalization, rank: number): boolean {
  return bn.axis === -1 || bn.axis === rank - 1;
}

/**
 * Follows every use of `t` (whose channel c is the pruned layer's channel map([c])); collects the
 * effects on the layers reached, or returns why the channels cannot be removed.
 */
function trace(g: Graph, t: SymbolicTensor, map: Effect['map'], effects: Effect[]): string | null {
  if (g.outputs.has(t)) return 'its output reaches a model output';
  for (const node of g.consumers.get(t) ?? []) {
    const layer = node.operation as Layer;
    if (node.args.inputIsList || node.inputs.length !== 1) return `its output reaches merge layer ${who(layer)}, whose inputs would need the same kept channels`;
    if ((g.calls.get(layer) ?? 0) > 1) return `its output reaches ${who(layer)}, which is called more than once`;
    const out = node.outputs[0];
    let reason: string | null;
    if (layer instanceof Dense || layer instanceof Conv2D) {
      effects.push({ layer, role: 'input', map });
      reason = null;
    } else if (layer instanceof BatchNormalization && normalizesLastAxis(layer, t.shape.length)) {
      effects.push({ layer, role: 'channels', map });
      reason = trace(g, out, map, effects);
    } else if (passesChannels(layer)) {
      reason = trace(g, out, map, effects);
    } else if (layer.className === 'Flatten' && t.shape.slice(1).every((d) => d !== null)) {
      const channels = t.shape[t.shape.length - 1] as number;
      const positions = (t.shape.slice(1, -1) as number[]).reduce((a, b) => a * b, 1);
      reason = trace(g, out, (r) => flattenedIndices(map(r), channels, positions), effects);
    } else {
      reason = `its output reaches ${who(layer)}, which cannot drop input channels`;
    }
    if (reason !== null) return reason;
  }
  return null;
}

/** The removals of one functional model: new configs and weights per layer, what was removed, what was skipped. */
export interface FunctionalPruning {
  model: Model;
  removed: Record<string, number[]>;
  skipped: StructuredPruneSkip[];
}

/** Applies a removal's effects to the downstream layers' weights (sliced copies; the originals stay). */
function applyEffects(effects: Effect[], removed: readonly number[], weights: Map<Layer, Tensor[]>): void {
  for (const e of effects) {
    const idx = e.map(removed);
    const w = weights.get(e.layer)!;
    if (e.role === 'channels') {
      weights.set(e.layer, w.map((t) => takeAlong(t, 0, complement(t.shape[0], idx))));
    } else {
      const axis = e.layer instanceof Dense ? 0 : 2;
      weights.set(e.layer, [takeAlong(w[0], axis, complement(w[0].shape[axis], idx)), ...w.slice(1)]);
    }
  }
}

/**
 * Structured pruning of a functional model (see the file comment): `names` are the layers asked for
 * (null: every Dense and Conv2D whose output is not a model output). Layers are visited in call
 * order, so a layer's norms are taken after its inputs lost the channels removed upstream.
 */
export function pruneFunctional(model: Model, names: readonly string[] | null, fraction: number, norm: 'l1' | 'l2'): FunctionalPruning {
  const g = describeGraph(model);
  const layers = functionalLayers(model, 'pruneStructured');
  const weighted = layers.filter((l) => l instanceof Dense || l instanceof Conv2D);
  const outputLayers = new Set(g.nodes.filter((n) => n.outputs.some((t) => g.outputs.has(t))).map((n) => n.operation as Layer));
  const wanted = names ?? weighted.filter((l) => !outputLayers.has(l)).map((l) => l.name);
  const unknown = wanted.filter((n) => !weighted.some((l) => l.name === n));
  if (unknown.length > 0) throw new ValueError(`pruneStructured: no Dense or Conv2D layer named ${unknown.map((n) => `'${n}'`).join(', ')}`);

  const weights = new Map<Layer, Tensor[]>(layers.map((l) => [l, l.getWeights()]));
  const configs = new Map<Layer, Record<string, unknown>>();
  const removed: Record<string, number[]> = {};
  const skipped: StructuredPruneSkip[] = [];
  for (const layer of weighted.filter((l) => wanted.includes(l.name))) {
    if ((g.calls.get(layer) ?? 0) > 1) {
      skipped.push({ layer: layer.name, reason: 'it is called more than once (a shared layer)' });
      continue;
    }
    const node = g.nodes.find((n) => n.operation === layer)!;
    const effects: Effect[] = [];
    const reason = trace(g, node.outputs[0], (r) => [...r], effects);
    if (reason !== null) {
      skipped.push({ layer: layer.name, reason });
      continue;
    }
    const w = weights.get(layer)!;
    const drop = weakestChannels(w[0], fraction, norm);
    if (drop.length === 0) continue;
    const keep = complement(w[0].shape[w[0].rank - 1], drop);
    weights.set(layer, w.map((t, i) => takeAlong(t, i === 0 ? t.rank - 1 : 0, keep)));
    configs.set(layer, { ...layer.getConfig(), [layer instanceof Dense ? 'units' : 'filters']: keep.length });
    removed[layer.name] = drop;
    applyEffects(effects, drop, weights);
  }
  const fresh = new Map<Layer, Layer>();
  const out = rewriteFunctional(model, (l) => {
    const copy = layerFromConfig(l.className, configs.get(l) ?? l.getConfig());
    fresh.set(l, copy);
    return copy;
  }, 'pruneStructured');
  for (const [old, copy] of fresh) {
    const w = weights.get(old) ?? [];
    if (w.length > 0) copy.setWeights(w);
  }
  return { model: out, removed, skipped };
}
