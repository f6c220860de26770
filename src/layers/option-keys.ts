import { checkOptionKeys } from '../util/options.js';

/** The option keys every layer accepts (`LayerOptions`). */
export const LAYER_OPTION_KEYS: readonly string[] = ['name', 'inputShape', 'batchInputShape', 'trainable'];

/** Refuses any option of `className` other than the shared layer options and `own`. */
export function checkLayerOptions(options: unknown, own: readonly string[], className: string): void {
  checkOptionKeys(options, [...own, ...LAYER_OPTION_KEYS], className);
}
