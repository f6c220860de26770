import { NeuriteError } from '../util/errors.js';

/** Models whose `fit` has started and not yet finished. */
const training = new WeakSet<object>();

/** Throws when `model` is inside a running `fit`: two loops would interleave their steps on the same weights. */
export function checkNotTraining(model: object, op: string): void {
  if (training.has(model)) {
    throw new NeuriteError(`${op}: this model is still training (an earlier fit has not finished); await that fit before calling ${op} again`);
  }
}

/** Runs `body` with `model` marked as training (after checking it is not already). */
export async function whileTraining<T>(model: object, op: string, body: () => Promise<T>): Promise<T> {
  checkNotTraining(model, op);
  training.add(model);
  try {
    return await body();
  } finally {
    training.delete(model);
  }
}
