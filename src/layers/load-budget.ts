// While a model is rebuilt from a file, its layers' weights are about to be overwritten by the
// file's values, so running initializers would be wasted work, and a hostile topology could make it
// unbounded (a tiny folder declaring Dense(8192) or LSTM(1024) used to allocate and initialize
// hundreds of megabytes before its weights were even checked). Inside `withLoadBudget`, every
// weight a layer creates must match, by element count, a weight the file actually holds, checked
// before anything is allocated; it is then created as zeros, with no initializer run.
import { NeuriteError } from '../util/errors.js';
import { capText } from '../util/describe.js';
import { formatShape, sizeOf } from '../util/shape.js';

/** The weights a file holds, as counts of weights per element count, and where they come from. */
interface Budget {
  remaining: Map<number, number>;
  source: string;
}

let active: Budget | null = null;

/**
 * Runs `fn` (which builds layers) with weight creation limited to the weights a file holds:
 * `sizes` lists each saved weight's element count; `source` names the file in messages.
 */
export function withLoadBudget<T>(sizes: readonly number[], source: string, fn: () => T): T {
  const remaining = new Map<number, number>();
  for (const n of sizes) remaining.set(n, (remaining.get(n) ?? 0) + 1);
  const previous = active;
  active = { remaining, source };
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/**
 * Called by `addWeight` before it allocates: false outside a load (initialize as usual); inside one,
 * true (create zeros) when the file holds an unclaimed weight of this many elements, else throws.
 */
export function claimLoadedWeight(layer: string, name: string, shape: readonly number[]): boolean {
  if (active === null) return false;
  const size = sizeOf(shape);
  const left = active.remaining.get(size) ?? 0;
  if (left === 0) {
    throw new NeuriteError(
      capText(
        `${active.source}: ${layer} declares weight '${name}' of shape ${formatShape(shape)} (${size} values), ` +
          'but the file holds no (further) weight of that size; the topology does not match its weights, so the layer was not built',
      ),
    );
  }
  active.remaining.set(size, left - 1);
  return true;
}
