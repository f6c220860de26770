// Rebuilding a functional model from its Keras config: every layer is made first, then its calls are
// replayed on symbolic tensors in an order that respects their inputs (a layer shared at different
// depths waits for its inputs), exactly as Keras and TF.js do. Both ways converters write a call are
// read: Keras 2 / TF.js lists (`[[producer, node, tensor, kwargs], …]`) and Keras 3 objects
// (`{ args: [KerasTensor | [KerasTensor …]], kwargs: { initial_state?, mask? } }`).
import { NeuriteError } from '../util/errors.js';
import { SymbolicTensor } from '../graph/symbolic-tensor.js';
import { Layer } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { LayerConfig } from '../layers/config.js';

/** One tensor a call reads: which layer made it, in which of its calls, which output. */
interface Ref {
  layer: string;
  node: number;
  tensor: number;
}

/** One call of a layer as a file describes it. */
interface CallSpec {
  inputs: Ref[];
  isList: boolean;
  states: Ref[];
}

/** Layers whose extra inputs in a Keras 2 node are initial states, not a list input. */
const RECURRENT = new Set(['RNN', 'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional']);

const MAX_CALLS = 100_000;

/** A model used as a layer (it has layers of its own). */
function isNestedModel(layer: Layer): boolean {
  return typeof (layer as { getLayer?: unknown }).getLayer === 'function';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function short(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** `[name, node, tensor]` (Keras 2 and the input/output lists) or a Keras 3 `__keras_tensor__`. */
function readRef(raw: unknown, where: string): Ref {
  const triple = isObject(raw) && isObject(raw.config) ? raw.config.keras_history : raw;
  if (!Array.isArray(triple) || triple.length < 3 || typeof triple[0] !== 'string' || !Number.isSafeInteger(triple[1]) || !Number.isSafeInteger(triple[2]) || (triple[1] as number) < 0 || (triple[2] as number) < 0) {
    throw new NeuriteError(`${where}: expected a tensor reference [layer, nodeIndex, tensorIndex], received ${short(raw)}`);
  }
  return { layer: triple[0], node: triple[1] as number, tensor: triple[2] as number };
}

function checkKwargs(kwargs: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (kwargs === undefined || kwargs === null) return {};
  if (!isObject(kwargs)) throw new NeuriteError(`${where}: expected kwargs to be an object, received ${short(kwargs)}`);
  for (const [key, value] of Object.entries(kwargs)) {
    if (allowed.includes(key)) continue;
    if (key === 'mask' && value === null) continue;
    throw new NeuriteError(`${where}: the call argument '${key}' = ${short(value)} is not supported`);
  }
  return kwargs;
}

/** One call, in either file form. */
function readCall(raw: unknown, className: string, where: string): CallSpec {
  if (Array.isArray(raw)) {
    const refs = raw.map((r, i) => {
      if (Array.isArray(r) && r.length > 3) checkKwargs(r[3], [], `${where}[${i}]`);
      return readRef(r, `${where}[${i}]`);
    });
    if (refs.length === 0) throw new NeuriteError(`${where}: a call with no inputs`);
    if (RECURRENT.has(className) && refs.length > 1) return { inputs: [refs[0]], isList: false, states: refs.slice(1) };
    return { inputs: refs, isList: refs.length > 1, states: [] };
  }
  if (isObject(raw) && Array.isArray(raw.args)) {
    if (raw.args.length !== 1) throw new NeuriteError(`${where}: expected one positional argument (a tensor or a list of them), received ${raw.args.length}`);
    const kwargs = checkKwargs(raw.kwargs, ['initial_state', 'training'], where);
    const first = raw.args[0];
    const isList = Array.isArray(first) && !(first.length === 3 && typeof first[0] === 'string');
    const inputs = isList ? (first as unknown[]).map((t, i) => readRef(t, `${where}.args[0][${i}]`)) : [readRef(first, `${where}.args[0]`)];
    const rawStates = kwargs.initial_state;
    const states = rawStates === undefined || rawStates === null ? [] : Array.isArray(rawStates) ? rawStates.map((t, i) => readRef(t, `${where}.kwargs.initial_state[${i}]`)) : [readRef(rawStates, `${where}.kwargs.initial_state`)];
    if (kwargs.training !== undefined && kwargs.training !== null) {
      throw new NeuriteError(`${where}: a call with a fixed training = ${short(kwargs.training)} is not supported (training is set by fit / predict)`);
    }
    return { inputs, isList, states };
  }
  throw new NeuriteError(`${where}: expected a call as a list of tensor references (Keras 2) or { args, kwargs } (Keras 3), received ${short(raw)}`);
}

/** `input_layers` / `output_layers`: a list of references, one reference (Keras 3, single), or an object keyed by name. */
function readEnds(raw: unknown, where: string): { refs: Ref[]; keys: string[] | null } {
  if (isObject(raw)) {
    const keys = Object.keys(raw);
    return { refs: keys.map((k) => readRef(raw[k], `${where}.${k}`)), keys };
  }
  if (Array.isArray(raw) && raw.length === 3 && typeof raw[0] === 'string') return { refs: [readRef(raw, where)], keys: null };
  if (!Array.isArray(raw) || raw.length === 0) throw new NeuriteError(`${where}: expected a non-empty list of [layer, nodeIndex, tensorIndex], received ${short(raw)}`);
  return { refs: raw.map((r, i) => readRef(r, `${where}[${i}]`)), keys: null };
}

/** What a functional model's constructor needs, rebuilt from a config. */
export interface RebuiltGraph {
  name: string;
  inputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;
  outputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;
}

/**
 * Rebuilds the symbolic graph of a functional model's config; `build` makes each layer from its class
 * and config. Unknown producers, calls that can never run (a cycle, a missing node) and references to
 * outputs that do not exist are NeuriteErrors naming the layer, before any model exists.
 */
export function rebuildGraph(config: LayerConfig, where: string, build: (className: string, config: LayerConfig, index: number) => Layer): RebuiltGraph {
  const name = typeof config.name === 'string' ? config.name : 'functional';
  if (!Array.isArray(config.layers)) throw new NeuriteError(`${where}: expected config.layers to be an array, received ${short(config.layers)}`);
  const entries = config.layers as unknown[];
  const layers = new Map<string, Layer>();
  const pending = new Map<string, CallSpec[]>();
  let totalCalls = 0;
  entries.forEach((raw, i) => {
    const at = `${where}: layer ${i}`;
    if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config)) throw new NeuriteError(`${at}: expected { class_name, config, inbound_nodes }, received ${short(raw)}`);
    const layerName = typeof raw.name === 'string' ? raw.name : typeof raw.config.name === 'string' ? raw.config.name : null;
    if (layerName === null) throw new NeuriteError(`${at} (${raw.class_name}): the layer has no name`);
    if (layers.has(layerName)) throw new NeuriteError(`${at}: two layers are named '${layerName}'`);
    const nodes = raw.inbound_nodes ?? [];
    if (!Array.isArray(nodes)) throw new NeuriteError(`${at} '${layerName}': expected inbound_nodes to be a list, received ${short(nodes)}`);
    totalCalls += nodes.length;
    if (totalCalls > MAX_CALLS) throw new NeuriteError(`${where}: more than ${MAX_CALLS} layer calls`);
    const calls = nodes.map((n, j) => readCall(n, raw.class_name as string, `${at} '${layerName}' inbound_nodes[${j}]`));
    const layer = build(raw.class_name, { ...raw.config, name: layerName }, i);
    layers.set(layerName, layer);
    pending.set(layerName, calls);
  });
  for (const [layerName, calls] of pending) {
    for (const c of calls) {
      for (const r of [...c.inputs, ...c.states]) {
        if (!layers.has(r.layer)) throw new NeuriteError(`${where}: layer '${layerName}' reads from '${r.layer}', which is not a layer of the model`);
      }
    }
  }
  const made = new Map<string, SymbolicTensor[][]>();
  for (const [layerName, layer] of layers) made.set(layerName, layer instanceof InputLayer ? [[layer.symbolic]] : []);
  // Keras counts a nested model's own construction as its call 0, so references to its calls start at 1
  // (TF.js and Keras 2 for every nested model; Keras 3 for a nested Functional, not for a Sequential).
  const keras3 = entries.some((e) => isObject(e) && Array.isArray(e.inbound_nodes) && e.inbound_nodes.some((n) => isObject(n)));
  const offset = (name: string): number => {
    const layer = layers.get(name)!;
    if (!isNestedModel(layer)) return 0;
    return keras3 && layer.className === 'Sequential' ? 0 : 1;
  };
  const resolve = (r: Ref): SymbolicTensor | undefined => made.get(r.layer)?.[r.node - offset(r.layer)]?.[r.tensor];
  const ready = (r: Ref): boolean => r.node - offset(r.layer) >= 0 && (made.get(r.layer)?.length ?? 0) > r.node - offset(r.layer);
  let progress = true;
  while (progress) {
    progress = false;
    for (const [layerName, calls] of pending) {
      while (calls.length > 0 && [...calls[0].inputs, ...calls[0].states].every(ready)) {
        const c = calls.shift()!;
        const pick = (r: Ref): SymbolicTensor => {
          const t = resolve(r);
          if (t === undefined) throw new NeuriteError(`${where}: layer '${layerName}' reads output ${r.tensor} of '${r.layer}' call ${r.node}, which has fewer outputs`);
          return t;
        };
        const inputs = c.inputs.map(pick);
        const states = c.states.map(pick);
        const layer = layers.get(layerName)!;
        let outs: SymbolicTensor[];
        try {
          outs = layer.applyMulti(c.isList ? inputs : inputs[0], states.length > 0 ? { initialState: states } : {});
        } catch (e) {
          throw new NeuriteError(`${where}: calling layer '${layerName}' (${layer.className}) on its inputs failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        made.get(layerName)!.push(outs);
        progress = true;
      }
    }
  }
  const stuck = [...pending].filter(([, calls]) => calls.length > 0).map(([n]) => `'${n}'`);
  if (stuck.length > 0) throw new NeuriteError(`${where}: the calls of layer(s) ${stuck.slice(0, 10).join(', ')} can never run (their inputs form a cycle or name a call that does not exist)`);
  // One input or output (a bare triple, or a list of one) is a single tensor, as Keras unpacks it.
  const ends = (raw: unknown, what: string): SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor> => {
    const { refs, keys } = readEnds(raw, `${where}: ${what}`);
    const tensors = refs.map((r) => {
      const t = resolve(r);
      if (t === undefined) throw new NeuriteError(`${where}: ${what} names ${short([r.layer, r.node, r.tensor])}, which no call produced`);
      return t;
    });
    if (keys === null) return tensors.length === 1 ? tensors[0] : tensors;
    return Object.fromEntries(keys.map((k, i) => [k, tensors[i]]));
  };
  return { name, inputs: ends(config.input_layers, 'input_layers'), outputs: ends(config.output_layers, 'output_layers') };
}
