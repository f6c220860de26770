/**
 * The training flag of the model call in progress. Keras propagates `training` to every layer a model
 * calls even when the user's `call` does not pass it on; `Model.forward` sets it here and
 * `Layer.apply` reads it when no explicit flag is given.
 */
let current = false;

/** The training flag of the enclosing model call (false outside any). */
export function currentTraining(): boolean {
  return current;
}

/** Runs `fn` with the training flag set to `training`, restoring the previous flag afterwards. */
export function withTraining<T>(training: boolean, fn: () => T): T {
  const previous = current;
  current = training;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
