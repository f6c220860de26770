import { ShapeError, ValueError } from '../../util/errors.js';
import { formatShape } from '../../util/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { baseOptionsFromConfig, LayerConfig, read } from '../config.js';
import { Layer, LayerOptions, Mask, Masks, Shape } from '../layer.js';
import { checkLayerOptions } from '../option-keys.js';

/** Options of `Masking`. */
export interface MaskingOptions extends LayerOptions {
  /** A step whose features all equal this value is masked (default 0). */
  maskValue?: number;
}

/**
 * Masks the timesteps whose features all equal `maskValue`: those steps are zeroed in the output and
 * the layer emits a mask `[batch, steps]` (1 keep, 0 skip) for the layers after it, as Keras.
 * @example new Masking({ maskValue: 0 }).computeMask(tensor([[[0, 0], [1, 0]]]), null); // [[0, 1]]
 */
export class Masking extends Layer {
  readonly className = 'Masking';
  /** The value that marks a padded step. */
  readonly maskValue: number;

  constructor(options: MaskingOptions = {}) {
    checkLayerOptions(options, ['maskValue'], 'Masking');
    const { maskValue = 0, ...base } = options;
    super(base, 'Masking');
    if (typeof maskValue !== 'number' || Number.isNaN(maskValue)) {
      throw new ValueError(`${this.describe()}: expected maskValue to be a number, received ${JSON.stringify(maskValue)}`);
    }
    this.maskValue = maskValue;
    this.supportsMasking = true;
  }

  /** Builds a Masking from its model.json config. */
  static fromConfig(config: LayerConfig): Masking {
    return new Masking({ maskValue: read(config, 'mask_value', 0), ...baseOptionsFromConfig('Masking', config) });
  }

  /** Rank >= 2: `[batch, …, features]`; the mask covers every axis but the last. */
  protected override checkInputShape(shape: Shape): void {
    if (shape.length < 2) throw new ShapeError(`${this.describe()}: expected an input of rank >= 2 [batch, …, features], received ${formatShape(shape)}`);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  /** 1 where any feature of the step differs from maskValue (Keras's any(x != maskValue, axis=-1)). */
  private keep(x: Tensor): Tensor {
    const features = x.shape[x.rank - 1];
    const steps = features === 0 ? 0 : x.size / features;
    const keep = new Float32Array(steps);
    for (let s = 0; s < steps; s++) {
      for (let f = 0; f < features; f++) {
        if (x.data[s * features + f] !== this.maskValue) {
          keep[s] = 1;
          break;
        }
      }
    }
    return new Tensor(keep, x.shape.slice(0, -1));
  }

  call(x: Tensor): Tensor {
    const keep = this.keep(x);
    return mul(x, new Tensor(keep.data, [...keep.shape, 1]));
  }

  override computeMask(inputs: Tensor | Tensor[], mask?: Masks): Mask {
    void mask;
    return this.keep(Array.isArray(inputs) ? inputs[0] : inputs);
  }

  override getConfig(): Record<string, unknown> {
    return { mask_value: this.maskValue, ...super.getConfig() };
  }
}
