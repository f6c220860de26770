/**
 * Frames kept in the stack of a neurite error. A bad argument is often found many calls below the public
 * function the user called (fit → batching → layer → op: ~17 frames), past V8's default of 10, which would
 * cut the user's own line from the trace; 60 keeps it.
 */
export const ERROR_STACK_FRAMES = 60;

/**
 * Base class of every error neurite raises on purpose.
 * @example try { fill([2], NaN); } catch (e) { if (e instanceof NeuriteError) console.log(e.message); }
 */
export class NeuriteError extends Error {
  constructor(message: string) {
    // The stack is captured by the Error constructor, so the limit must be raised around super().
    const limit = Error.stackTraceLimit;
    const raise = typeof limit === 'number' && limit < ERROR_STACK_FRAMES;
    if (raise) Error.stackTraceLimit = ERROR_STACK_FRAMES;
    try {
      super(message);
    } finally {
      if (raise) Error.stackTraceLimit = limit;
    }
    this.name = new.target.name;
  }
}

/**
 * A tensor or weight had a shape other than the one an operation needs.
 * @example try { add(ones([2, 3]), ones([4])); } catch (e) { console.log(e instanceof ShapeError); } // true: [2, 3] and [4] do not broadcast
 */
export class ShapeError extends NeuriteError {}

/**
 * An argument had the right shape but an invalid value (unknown id, NaN, out of range …).
 * @example try { fill([2], NaN); } catch (e) { console.log(e instanceof ValueError); } // true
 */
export class ValueError extends NeuriteError {}
