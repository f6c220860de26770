import { ShapeError, ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { concat } from '../../ops/concat.js';
import { LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Mask, Masks, Shape, Shapes } from '../layer.js';
import { isShapeList } from '../shape-list.js';
import { MERGE_KEYS, mergeOptionsFromConfig } from './merge.js';

/** Options of `Concatenate`. */
export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along (negative counts from the end). Default -1. */
  axis?: number;
}

/**
 * Joins its inputs along `axis`; every other dimension must agree, as Keras's `Concatenate`.
 * @example new Concatenate().apply([a, b]); // [batch, da + db]
 */
export class Concatenate extends Layer {
  readonly className = 'Concatenate';
  readonly axis: number;
  override supportsMasking = true;

  constructor(options: ConcatenateOptions = {}) {
    checkOptionKeys(options, [...MERGE_KEYS, 'axis'], 'Concatenate');
    const { axis = -1, ...base } = options;
    super(base, 'Concatenate');
    if (!Number.isSafeInteger(axis)) throw new ValueError(`${this.describe()}: expected an integer axis, received ${String(axis)}`);
    this.axis = axis;
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Concatenate {
    return new Concatenate({ ...mergeOptionsFromConfig('Concatenate', config), axis: read(config, 'axis', -1) });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }

  protected override checkInputShape(shape: Shapes): void {
    if (!isShapeList(shape)) throw new ValueError(`${this.describe()}: expected an array of inputs, received one of shape ${formatShape(shape as Shape)}`);
    this.computeOutputShape(shape);
  }

  private resolvedAxis(rank: number): number {
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 1 || axis >= rank) throw new ValueError(`${this.describe()}: axis ${this.axis} is out of range for inputs of rank ${rank} (the batch axis 0 cannot be joined)`);
    return axis;
  }

  computeOutputShape(inputShape: Shapes): Shape {
    const shapes = inputShape as Shape[];
    const rank = shapes[0].length;
    const axis = this.resolvedAxis(rank);
    const bad = shapes.find((s) => s.length !== rank || s.some((d, i) => i !== axis && d !== null && shapes[0][i] !== null && d !== shapes[0][i]));
    if (bad !== undefined) {
      throw new ShapeError(
        `${this.describe()}: inputs must match on every axis but ${this.axis}, received shapes ${shapes.map((s) => formatShape(s)).join(', ')}`,
      );
    }
    const out = shapes[0].map((d, i) => (i === 0 ? d : (shapes.find((s) => s[i] !== null)?.[i] ?? null)));
    out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((n, s) => n + (s[axis] as number), 0);
    return out;
  }

  call(x: Tensor[]): Tensor {
    return concat(x, this.resolvedAxis(x[0].rank));
  }

  /** Joining along features keeps the per-step mask (AND of the inputs'); other axes drop it. */
  override computeMask(inputs: Tensor | Tensor[], mask: Masks | undefined): Mask {
    const masks = (Array.isArray(mask) ? mask : []).filter((m): m is Tensor => m !== null && m !== undefined);
    if (masks.length === 0 || !Array.isArray(inputs) || this.resolvedAxis(inputs[0].rank) !== inputs[0].rank - 1) return null;
    return masks.reduce((acc, m) => concatMaskAnd(acc, m));
  }
}

function concatMaskAnd(a: Tensor, b: Tensor): Tensor {
  const out = new Float32Array(a.size);
  for (let i = 0; i < a.size; i++) out[i] = a.data[i] !== 0 && b.data[i] !== 0 ? 1 : 0;
  return new Tensor(out, a.shape);
}
