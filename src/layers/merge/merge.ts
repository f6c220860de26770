import { ShapeError, ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { baseOptionsFromConfig, LayerConfig } from '../config.js';
import { Layer, LayerOptions, Mask, Masks, Shape, Shapes } from '../layer.js';
import { isShapeList } from '../shape-list.js';

/** The option keys every merge layer takes. */
export const MERGE_KEYS = ['name', 'trainable', 'inputShape', 'batchInputShape'];

/** NumPy broadcasting of two layer shapes (`null` = unknown, matching anything but a conflicting size). */
export function broadcastShapes(a: Shape, b: Shape, where: string): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else if (da === null) out.push(db);
    else if (db === null || da === db) out.push(da);
    else throw new ShapeError(`${where}: inputs have incompatible shapes ${formatShape(a)} and ${formatShape(b)} (each dimension must match or be 1)`);
  }
  return out;
}

/**
 * Base of the element-wise merge layers (Add, Multiply, …): a list of inputs of broadcast-compatible
 * shapes in, one tensor of the broadcast shape out; masks combine by logical AND, as Keras.
 */
export abstract class Merge extends Layer {
  override supportsMasking = true;

  constructor(options: LayerOptions, className: string) {
    checkOptionKeys(options, MERGE_KEYS, className);
    super(options, className);
  }

  /** Fewest and most inputs the layer takes. */
  protected arity(): [number, number] {
    return [1, Number.POSITIVE_INFINITY];
  }

  protected override checkInputShape(shape: Shapes): void {
    const [lo, hi] = this.arity();
    if (!isShapeList(shape)) {
      throw new ValueError(`${this.describe()}: a merge layer is called on an array of inputs, received one of shape ${formatShape(shape as Shape)}`);
    }
    if (shape.length < lo || shape.length > hi) {
      const want = lo === hi ? `exactly ${lo}` : `at least ${lo}`;
      throw new ValueError(`${this.describe()}: expected ${want} inputs, received ${shape.length}`);
    }
    this.computeOutputShape(shape);
  }

  computeOutputShape(inputShape: Shapes): Shape {
    const shapes = inputShape as Shape[];
    return shapes.slice(1).reduce((acc, s) => broadcastShapes(acc, s, this.describe()), shapes[0]);
  }

  /** The element-wise combination of two tensors. */
  protected abstract combine(a: Tensor, b: Tensor): Tensor;

  call(x: Tensor[]): Tensor {
    return x.slice(1).reduce((acc, t) => this.combine(acc, t), x[0]);
  }

  /** The AND of the inputs' masks (null when none has one). */
  override computeMask(inputs: Tensor | Tensor[], mask: Masks | undefined): Mask {
    void inputs;
    const masks = (Array.isArray(mask) ? mask : [mask ?? null]).filter((m): m is Tensor => m !== null && m !== undefined);
    if (masks.length === 0) return null;
    return masks.slice(1).reduce((acc, m) => mul(acc, m), masks[0]);
  }
}

/** Reads the shared options of a merge layer from its config. */
export function mergeOptionsFromConfig(className: string, config: LayerConfig): LayerOptions {
  return baseOptionsFromConfig(className, config);
}
