// Fixed limits on what neurite accepts from arguments and files, so hostile or mistaken input
// fails with a clear NeuriteError instead of an engine RangeError, a hang or unbounded memory.
import { NeuriteError } from './errors.js';

/** The most elements a Float32Array can have in V8 (2^32); every tensor size is checked against it. */
export const MAX_ELEMENTS = 2 ** 32;

/** The deepest nesting accepted in a JSON document read from a file (Keras configs nest ~10 levels). */
export const MAX_JSON_DEPTH = 100;

/** The highest tensor rank accepted (nested arrays, shapes). */
export const MAX_RANK = 64;

/**
 * Throws when `value` (parsed JSON) nests arrays / objects deeper than `maxDepth`. Iterative, so
 * a 100,000-deep document cannot overflow the stack; `where` names the document in the message.
 */
export function checkJsonDepth(value: unknown, where: string, maxDepth: number = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) {
      throw new NeuriteError(`${where}: nested deeper than ${maxDepth} levels of arrays / objects; refused as too deep to be a model file`);
    }
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, depth + 1]);
  }
}
