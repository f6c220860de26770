import { ValueError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';

/** A tensor or a plain number (a scalar that broadcasts). */
export type Operand = Tensor | number;

/** Turns an operand into a tensor; `op` names the caller in the message. */
export function asTensor(x: Operand, op: string, argName = 'x'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return tensor(x);
  throw new ValueError(`${op}: expected ${argName} to be a Tensor or a number, received ${x === null ? 'null' : typeof x}`);
}
