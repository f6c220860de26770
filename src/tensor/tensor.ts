import { ValueError } from '../util/errors.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { formatValues } from './format.js';

/**
 * Marks neurite tensors, shared by every copy of the library in a process (`Symbol.for` is global), so a
 * tensor made by the ESM build is recognised by the CommonJS build and by another installed version.
 */
export const TENSOR_BRAND: unique symbol = Symbol.for('neurite.Tensor') as never;

/** Node's `util.inspect.custom` (a global symbol; no import, so the tensor module stays platform-free). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Whether `value` is a neurite Tensor, from this copy of the library or any other (ESM and CJS builds in
 * one app): checked by the shared brand, not by class identity.
 * @example isTensor(tensor([1, 2])); // true
 */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && (value as { [TENSOR_BRAND]?: unknown })[TENSOR_BRAND] === true;
}

/** Plain nested arrays of numbers, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * Computes the gradients of an op's inputs from the gradient `dy` of its output (same size as
 * the output). Each entry is either input-sized, or output-sized for an input that was broadcast
 * (the engine then sums it back to the input's shape); `null` means "no gradient".
 */
export type BackwardFn = (dy: Float32Array) => (Float32Array | null)[];

/** The recorded origin of a tensor: which op made it from which inputs. @internal */
export interface GraphNode {
  readonly op: string;
  inputs: readonly Tensor[];
  backward: BackwardFn;
}

/**
 * An n-dimensional array of float32 values in row-major order. Tensors are ordinary
 * garbage-collected objects: there is nothing to dispose.
 * @example const t = tensor([[1, 2], [3, 4]]); t.shape; // [2, 2]
 */
export class Tensor {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Number of elements (product of the shape). */
  readonly size: number;
  /** Number of dimensions. */
  readonly rank: number;
  /** The values, row-major, `data.length === size`. */
  readonly data: Float32Array;
  /** Whether gradients flow to (a leaf) or through (an op result) this tensor. */
  requiresGrad = false;
  /** For a leaf that requires grad: the gradient accumulated by `backward()`. */
  grad: Tensor | null = null;
  /** The op that produced this tensor while gradients were recorded. @internal */
  node: GraphNode | null = null;

  /** `x instanceof Tensor` is true for tensors of every copy of neurite (see `isTensor`); subclasses keep the usual test. */
  static [Symbol.hasInstance](value: unknown): value is Tensor {
    if (this !== Tensor) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isTensor(value);
  }

  /** Wraps `data` (not copied) as a tensor of `shape`; `data.length` must equal the shape's size. */
  constructor(data: Float32Array, shape: readonly number[]) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new ValueError(`Tensor: shape ${formatShape(shape)} needs ${size} values, received ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.rank = shape.length;
  }

  /** The values as nested plain arrays in shape order (a number for a scalar). */
  toArray(): NestedArray {
    if (this.rank === 0) return this.data[0];
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[axis];
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === this.rank - 1 ? this.data[offset + i] : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`Tensor.item: expected a tensor with exactly one element, received shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /** A short description: shape and the first values. */
  toString(): string {
    const head = Array.from(this.data.subarray(0, 6), (v) => +v.toPrecision(6)).join(', ');
    return `Tensor(shape=${formatShape(this.shape)}, data=[${head}${this.size > 6 ? ', …' : ''}])`;
  }

  /**
   * What `console.log(t)` and `util.inspect(t)` show: the shape and the values as nested rows, large
   * tensors summarised with `...` (as `tf.print`), instead of the object's fields.
   */
  [INSPECT](): string {
    const values = formatValues(this.data, this.shape).split('\n').map((line) => (line === '' ? '' : `    ${line}`));
    return [`Tensor`, `  shape: ${formatShape(this.shape)}`, `  values:`, ...values].join('\n');
  }
}

// The brand lives on the prototype, so tensors stay plain objects with the documented own fields.
Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });
