import { describe, expect, it } from 'vitest';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { NeuriteError, ValueError } from '../../src/util/errors.js';

/** The user's own function, whose frame must survive in the trace. */
function usersOwnPredictCall(model: Sequential): unknown {
  try {
    model.predict([[1, 2, 3]]);
  } catch (e) {
    return e;
  }
  throw new Error('expected predict to throw');
}

describe('error stacks keep the user\'s frame', () => {
  it('an error raised deep inside (more than 10 frames down) still lists the caller', () => {
    const model = new Sequential([new Dense(2, { inputShape: [4] })]);
    const err = usersOwnPredictCall(model) as Error;
    expect(err).toBeInstanceOf(NeuriteError);
    const frames = (err.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at '));
    const userFrame = frames.findIndex((l) => l.includes('usersOwnPredictCall'));
    // Deeper than V8's default limit of 10: the frame would be cut without the raised limit.
    expect(userFrame).toBeGreaterThanOrEqual(10);
    expect(Error.stackTraceLimit).toBe(10);
  });

  it('leaves the global limit as it was, also when the user raised it', () => {
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    try {
      const e = new ValueError('x');
      expect(e.name).toBe('ValueError');
      expect(Error.stackTraceLimit).toBe(100);
    } finally {
      Error.stackTraceLimit = before;
    }
  });
});
