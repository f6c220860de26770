import { Layer } from '../layers/layer.js';

/** Anything a model can hold that owns layers: a layer, or another model. */
export interface LayerHolder {
  readonly layers: Layer[];
}

/**
 * The layers held in `owner`'s own properties, in declaration order: layers, arrays of layers, and
 * the layers of nested models (anything with a `layers` array and a `call` method), each once.
 */
export function findLayers(owner: object, isModel: (v: unknown) => v is LayerHolder): Layer[] {
  const found: Layer[] = [];
  const seen = new Set<Layer>();
  const visit = (value: unknown): void => {
    if (value !== owner && isModel(value)) {
      // A nested model contributes its own layers (as Keras tracks a subclass's sub-models).
      value.layers.forEach(visit);
    } else if (value instanceof Layer) {
      if (value.className === 'InputLayer') return;
      if (!seen.has(value)) {
        seen.add(value);
        found.push(value);
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    }
  };
  for (const key of Object.keys(owner)) visit((owner as Record<string, unknown>)[key]);
  return found;
}
