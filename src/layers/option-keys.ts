import { checkOptionKeys } from '../util/options.js';

/** The option keys every layer accepts (`LayerOptions`). */
export const LAYER_OPTION_KEYS: readonly string[] = ['name', 'inputShape', 'batchInputShape', 'trainable'];

/** Refuses any option of `className` other than the shared layer options and `own`. */
export function checkLayerOptions(options: unknown, own: readonly string[], className: string): void {
  checkOptionKeys(options, [...own, ...LAYER_OPTION_KEYS], className);
}

/** The keys a layer constructor accepts: the shared ones plus its own. */
export function layerOptionKeys(...own: string[]): string[] {
  return [...LAYER_OPTION_KEYS, ...own];
}

/** The shared layer options picked out of a constructor's options (the rest are the layer's own). */
export function baseLayerOptions(options: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  for (const key of LAYER_OPTION_KEYS) if (options[key] !== undefined) base[key] = options[key];
  return base;
}
