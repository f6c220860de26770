import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { concat } from '../../ops/concat.js';
import { baseOptionsFromConfig, checkDataFormat, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { Box2D, Box2DSpec, checkImageShape, readBox2D } from './box2d.js';

/** Options of `ZeroPadding2D`. */
export interface ZeroPadding2DOptions extends LayerOptions {
  /** Rows and columns of zeros: one number, `[h, w]`, or `[[top, bottom], [left, right]]` (default 1). */
  padding?: Box2DSpec;
  /** Only `'channelsLast'` (NHWC). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Zeros of `shape`, as a constant. */
function zerosOf(shape: number[]): Tensor {
  return new Tensor(new Float32Array(shape.reduce((n, d) => n * d, 1)), shape);
}

/** Pads `x` with `before` / `after` zeros along `axis`, composed from concat (its gradient slices them off). */
export function padAxis(x: Tensor, axis: number, before: number, after: number): Tensor {
  if (before === 0 && after === 0) return x;
  const side = (n: number): Tensor[] => (n === 0 ? [] : [zerosOf(x.shape.map((d, i) => (i === axis ? n : d)))]);
  return concat([...side(before), x, ...side(after)], axis);
}

/**
 * Adds rows and columns of zeros around NHWC images.
 * @example new ZeroPadding2D({ padding: 1 }).apply(zeros([1, 2, 2, 3])).shape; // [1, 4, 4, 3]
 */
export class ZeroPadding2D extends Layer {
  readonly className = 'ZeroPadding2D';
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: Box2D;

  constructor(options: ZeroPadding2DOptions = {}) {
    checkOptionKeys(options, layerOptionKeys('padding', 'dataFormat'), 'ZeroPadding2D');
    super(baseLayerOptions({ ...options }), 'ZeroPadding2D');
    this.padding = readBox2D(options.padding ?? 1, `${this.describe()} padding`);
    checkDataFormat(options.dataFormat, this.describe());
  }

  /** Builds a ZeroPadding2D from its model.json config. */
  static fromConfig(config: LayerConfig): ZeroPadding2D {
    return new ZeroPadding2D({ padding: read(config, 'padding', 1), dataFormat: read(config, 'data_format', 'channelsLast'), ...baseOptionsFromConfig('ZeroPadding2D', config) });
  }

  protected override checkInputShape(shape: Shape): void {
    checkImageShape(shape, this.describe());
  }

  computeOutputShape(inputShape: Shape): Shape {
    const [b, h, w, c] = inputShape;
    const [[t, bo], [l, r]] = this.padding;
    return [b, h === null ? null : h + t + bo, w === null ? null : w + l + r, c];
  }

  call(x: Tensor): Tensor {
    const [[t, b], [l, r]] = this.padding;
    return padAxis(padAxis(x, 1, t, b), 2, l, r);
  }

  override getConfig(): Record<string, unknown> {
    return { padding: this.padding.map((p) => [...p]), data_format: 'channels_last', ...super.getConfig() };
  }
}
