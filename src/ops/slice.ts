import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { copyBox } from '../kernels/movement.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/record.js';
import { asTensor, Operand } from './operand.js';
import { describeValue } from '../util/describe.js';

/**
 * TF.js's slice arguments made explicit: a number `begin` or `size` applies to axis 0, missing
 * trailing entries are begin 0 and size −1, and size −1 means "to the end of the axis".
 */
function sliceParams(shape: readonly number[], begin: number | readonly number[], size?: number | readonly number[]): { b: number[]; s: number[] } {
  const rank = shape.length;
  const pad = (v: number | readonly number[] | undefined, fill: number, what: string): number[] => {
    const list = v === undefined ? [] : typeof v === 'number' ? [v] : Array.isArray(v) ? [...v] : null;
    if (list === null || list.length > rank || list.some((d) => !Number.isInteger(d))) {
      throw new ValueError(`slice: expected ${what} to be an integer or up to ${rank} integers for shape ${formatShape(shape)}, received ${describeValue(v)}`);
    }
    while (list.length < rank) list.push(fill);
    return list;
  };
  const b = pad(begin, 0, 'begin');
  const s = pad(size, -1, 'size').map((d, ax) => (d === -1 ? shape[ax] - b[ax] : d));
  for (let ax = 0; ax < rank; ax++) {
    if (b[ax] < 0 || s[ax] < 0 || b[ax] + s[ax] > shape[ax]) {
      throw new ShapeError(
        `slice: begin ${JSON.stringify(b)} and size ${JSON.stringify(s)} do not fit in shape ${formatShape(shape)} ` +
          `(axis ${ax}: need 0 <= begin, 0 <= size or size = -1, begin + size <= ${shape[ax]})`,
      );
    }
  }
  return { b, s };
}

/**
 * The box of `x` starting at `begin` with extent `size` (TF.js semantics: size −1 runs to the end;
 * a number applies to axis 0; missing trailing axes are taken whole).
 * @example slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, -1]); // [[2, 3], [5, 6]]
 */
export function slice(a: Operand, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const x = asTensor(a, 'slice');
  const { b, s } = sliceParams(x.shape, begin, size);
  const out = new Float32Array(sizeOf(s));
  copyBox(x.data, x.shape, b, s, out, true);
  return record(new Tensor(out, s), 'slice', [x], (dy) => {
    // dy lands back in the box it came from; elsewhere the gradient is 0.
    const dx = new Float32Array(x.size);
    copyBox(dx, x.shape, b, s, dy, false);
    return [dx];
  });
}
