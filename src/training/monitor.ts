import { ValueError } from '../util/errors.js';

/** Log keys that improve upward (and their `val_` and `<output>_` forms). */
export const MAXIMIZED = ['accuracy', 'acc', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'precision', 'recall', 'auc'];
/** Log keys that improve downward. */
export const MINIMIZED = ['loss', 'mse', 'mae', 'mean_squared_error', 'mean_absolute_error'];

const matches = (name: string, list: readonly string[]) => list.some((m) => name === m || name.endsWith(`_${m}`));

/**
 * `'min'` or `'max'` for a monitored key: as given, or for `'auto'` from its name (`val_` and output
 * prefixes allowed: `val_prob_accuracy` is maximized). `owner` names the callback in messages.
 */
export function monitorMode(mode: string, monitor: string, owner: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new ValueError(`${owner}: expected mode 'auto', 'min' or 'max', received ${JSON.stringify(mode)}`);
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  // Accuracy-like names first: 'prob_accuracy' ends with an accuracy, though 'loss' is not in it.
  if (matches(name, MAXIMIZED)) return 'max';
  if (matches(name, MINIMIZED)) return 'min';
  throw new ValueError(
    `${owner}: cannot tell whether '${monitor}' should go up or down; pass mode: 'min' or mode: 'max' ` +
      `(auto knows ${[...MINIMIZED, ...MAXIMIZED].map((m) => `'${m}'`).join(', ')} and their val_ forms)`,
  );
}

/** Whether `value` beats `reference` by more than `minDelta` in direction `mode` (NaN never does). */
export function improves(mode: 'min' | 'max', value: number, reference: number, minDelta: number): boolean {
  return mode === 'min' ? value + minDelta < reference : value - minDelta > reference;
}
