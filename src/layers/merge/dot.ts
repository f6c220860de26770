import { ShapeError, ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { div, maximum, mul } from '../../ops/arithmetic.js';
import { sqrt } from '../../ops/elementwise.js';
import { sum } from '../../ops/reduction.js';
import { matmul } from '../../ops/matmul.js';
import { reshape } from '../../ops/reshape.js';
import { transpose } from '../../ops/transpose.js';
import { LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape, Shapes } from '../layer.js';
import { isShapeList } from '../shape-list.js';
import { MERGE_KEYS, mergeOptionsFromConfig } from './merge.js';

/** Options of `Dot`. */
export interface DotOptions extends LayerOptions {
  /** The axis of each input to contract (one number for both, or a pair); never the batch axis. */
  axes: number | [number, number];
  /** L2-normalize both inputs along `axes` first, so the result is the cosine similarity. Default false. */
  normalize?: boolean;
}

/**
 * The dot product of two inputs per sample along `axes` (Keras's `batch_dot`): `[b, n]·[b, n]` → `[b, 1]`,
 * `[b, t, d]·[b, s, d]` with axes 2 → `[b, t, s]`. With `normalize`, cosine similarity.
 * @example new Dot({ axes: 1, normalize: true }).apply([a, b]); // [batch, 1]
 */
export class Dot extends Layer {
  readonly className = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(options: DotOptions) {
    checkOptionKeys(options, [...MERGE_KEYS, 'axes', 'normalize'], 'Dot');
    const { axes, normalize = false, ...base } = options ?? ({} as DotOptions);
    super(base, 'Dot');
    const ok = (a: unknown): boolean => Number.isSafeInteger(a);
    if (!(ok(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(ok)))) {
      throw new ValueError(`${this.describe()}: expected axes to be an integer or a pair of integers, received ${JSON.stringify(axes)}`);
    }
    if (typeof normalize !== 'boolean') throw new ValueError(`${this.describe()}: expected normalize to be a boolean, received ${String(normalize)}`);
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = normalize;
  }

  /** Builds the layer from its model.json config. */
  static fromConfig(config: LayerConfig): Dot {
    return new Dot({ ...mergeOptionsFromConfig('Dot', config), axes: read(config, 'axes', -1), normalize: read(config, 'normalize', false) });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }

  /** The contracted axis of each input, non-negative. */
  private resolve(shapes: readonly Shape[]): [number, number] {
    const pair = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return shapes.map((s, i) => {
      const a = pair[i] < 0 ? pair[i] + s.length : pair[i];
      if (a < 1 || a >= s.length) throw new ValueError(`${this.describe()}: axis ${pair[i]} is out of range for input ${i} of shape ${formatShape(s)} (not the batch axis)`);
      return a;
    }) as [number, number];
  }

  protected override checkInputShape(shape: Shapes): void {
    if (!isShapeList(shape) || shape.length !== 2) {
      throw new ValueError(`${this.describe()}: expected an array of exactly 2 inputs, received ${isShapeList(shape) ? shape.length : `one of shape ${formatShape(shape as Shape)}`}`);
    }
    this.computeOutputShape(shape);
  }

  computeOutputShape(inputShape: Shapes): Shape {
    const [s1, s2] = inputShape as Shape[];
    const [a1, a2] = this.resolve([s1, s2]);
    if (s1[a1] !== null && s2[a2] !== null && s1[a1] !== s2[a2]) {
      throw new ShapeError(`${this.describe()}: dimension ${a1} of ${formatShape(s1)} and dimension ${a2} of ${formatShape(s2)} must be equal to contract them`);
    }
    const out = [s1[0], ...s1.filter((_, i) => i !== 0 && i !== a1), ...s2.filter((_, i) => i !== 0 && i !== a2)];
    return out.length === 1 ? [s1[0], 1] : out;
  }

  call(x: Tensor[]): Tensor {
    let [a, b] = x;
    const [a1, a2] = this.resolve([a.shape as Shape, b.shape as Shape]);
    if (this.normalize) {
      a = l2Normalize(a, a1);
      b = l2Normalize(b, a2);
    }
    const batch = a.shape[0];
    const k = a.shape[a1];
    // Move the contracted axis of a last and of b first (after the batch), then one batched GEMM.
    const permA = [0, ...range(a.rank).filter((i) => i !== 0 && i !== a1), a1];
    const permB = [0, a2, ...range(b.rank).filter((i) => i !== 0 && i !== a2)];
    const restA = permA.slice(1, -1).map((i) => a.shape[i]);
    const restB = permB.slice(2).map((i) => b.shape[i]);
    const p = restA.reduce((n, d) => n * d, 1);
    const q = restB.reduce((n, d) => n * d, 1);
    const y = matmul(reshape(transpose(a, permA), [batch, p, k]), reshape(transpose(b, permB), [batch, k, q]));
    const shape = [batch, ...restA, ...restB];
    return reshape(y, shape.length === 1 ? [batch, 1] : shape);
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** x / sqrt(max(Σx², 1e-12)) along `axis`, as Keras's l2_normalize. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(mul(x, x), axis, true), 1e-12)));
}
