import { ShapeError, ValueError } from '../util/errors.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { Tensor } from '../tensor/tensor.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function stackTensors(items: readonly Tensor[], path: string): Tensor {
  const shape = items[0].shape;
  const per = items[0].size;
  const out = new Float32Array(per * items.length);
  items.forEach((t, i) => {
    if (!shapesEqual(t.shape, shape)) throw new ShapeError(`Dataset.batch: element ${i} has ${path || 'its tensor'} of shape ${formatShape(t.shape)}, element 0 ${formatShape(shape)}; batched elements need one shape`);
    out.set(t.data, i * per);
  });
  return new Tensor(out, [items.length, ...shape]);
}

/**
 * Stacks elements of one structure into a batch: tensors along a new first axis, numbers into a vector,
 * arrays and plain objects entry by entry (`path` names the entry in messages).
 */
export function stackElements(items: readonly unknown[], path = ''): unknown {
  const first = items[0];
  if (first instanceof Tensor) {
    if (!items.every((e) => e instanceof Tensor)) throw new ValueError(`Dataset.batch: ${path || 'elements'} mix tensors and other values`);
    return stackTensors(items as Tensor[], path);
  }
  if (typeof first === 'number') {
    if (!items.every((e) => typeof e === 'number')) throw new ValueError(`Dataset.batch: ${path || 'elements'} mix numbers and other values`);
    return new Tensor(Float32Array.from(items as number[]), [items.length]);
  }
  if (Array.isArray(first)) {
    if (first.every((e) => typeof e === 'number')) {
      return stackTensors(items.map((e) => new Tensor(Float32Array.from(e as number[]), [(e as number[]).length])), path);
    }
    return first.map((_, j) => stackElements(items.map((e) => (e as unknown[])[j]), `${path}[${j}]`));
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = stackElements(items.map((e) => (e as Record<string, unknown>)[key]), path ? `${path}.${key}` : key);
    return out;
  }
  throw new ValueError(`Dataset.batch: cannot stack ${path || 'elements'} of type ${first === null ? 'null' : typeof first}; elements hold tensors, numbers, arrays or objects of them`);
}
