import { Tensor } from '../tensor/tensor.js';
import type { Layer } from '../layers/layer.js';
import { ValueError } from '../util/errors.js';

/** What a hook may do with a layer's output: look at it, or hand back another tensor in its place. */
export type LayerHook = (output: Tensor | Tensor[]) => Tensor | Tensor[] | void;

interface Callable {
  call(x: unknown, ctx: unknown): Tensor | Tensor[];
}

/**
 * Runs `fn` with `hook` seeing (and optionally replacing) every output of `layer.call`, then restores the
 * layer. Every model kind (functional, Sequential, subclassed) reaches a layer through `apply` → `call`,
 * so this works where no symbolic graph exists.
 * @example
 * let seen: Tensor | Tensor[] | null = null;
 * explain.withLayerHook(model.layers[0], (out) => { seen = out; }, () => model.predict(x)); // seen: the layer's output
 */
export function withLayerHook<T>(layer: Layer, hook: LayerHook, fn: () => T): T {
  const target = layer as unknown as Callable;
  const own = Object.prototype.hasOwnProperty.call(target, 'call');
  const original = target.call;
  target.call = function hooked(this: Callable, x: unknown, ctx: unknown): Tensor | Tensor[] {
    const out = original.call(this, x, ctx);
    return hook(out) ?? out;
  };
  try {
    return fn();
  } finally {
    if (own) target.call = original;
    else delete (target as Partial<Callable>).call;
  }
}

/** The layer of `model` named `name`, or an error listing the known names. */
export function findLayer(model: { layers: Layer[] }, name: unknown, op: string): Layer {
  const layers = model.layers;
  const found = layers.find((l) => l.name === name);
  if (found === undefined) {
    const names = layers.map((l) => `'${l.name}'`).slice(0, 60).join(', ');
    throw new ValueError(`${op}: no layer named '${String(name).slice(0, 80)}'; the model's layers are ${names}`);
  }
  return found;
}
