import { block, br, brIf, i32Add, i32GeU, i32LtU, localGet, localSet, loop, select, type Code } from './instructions.js';

/**
 * Loop shapes the kernels repeat, built from the instruction helpers. Counters are i32 locals
 * compared unsigned, as addresses are.
 */

/**
 * `for (i = start; i < end; i += step) body`. `end` and `step` are re-evaluated each turn, so pass
 * locals or constants. The body sits two blocks deep: a `br` inside it must count them.
 */
export function forRange(i: number, start: Code, end: Code, step: Code, ...body: Code[]): Code {
  return [
    localSet(i, start),
    block(loop(brIf(1, i32GeU(localGet(i), end)), body, localSet(i, i32Add(localGet(i), step)), br(0))),
  ];
}

/** `do { body; p += step } while (p < end)`: one branch per turn, for loops known to run at least once. */
export function doWhileBelow(p: number, end: Code, step: Code, ...body: Code[]): Code {
  return loop(body, localSet(p, i32Add(localGet(p), step)), brIf(0, i32LtU(localGet(p), end)));
}

/** The smaller of two unsigned i32 values. Each operand is emitted twice, so pass locals or constants. */
export function minU(a: Code, b: Code): Code {
  return select(a, b, i32LtU(a, b));
}
