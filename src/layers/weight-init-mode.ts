/**
 * Whether `addWeight` runs initializers. A loader that fills every weight from a file turns them off,
 * so building a model from a file costs no random draws: a real LSTM(512) spent 1.6 s initialising
 * weights it then overwrote. The weights start as zeros and every one is replaced before use.
 */
let skip = false;

/** True while initializers are skipped. */
export function initializersSkipped(): boolean {
  return skip;
}

/** Runs `fn` with initializers off (weights created as zeros), restoring the previous mode afterwards. */
export function withoutInitializers<T>(fn: () => T): T {
  const previous = skip;
  skip = true;
  try {
    return fn();
  } finally {
    skip = previous;
  }
}
