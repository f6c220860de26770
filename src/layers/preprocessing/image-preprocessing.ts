import { ValueError } from '../../util/errors.js';
import { checkOptionKeys } from '../../util/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { slice } from '../../ops/slice.js';
import { Interpolation, resize } from '../../ops/resize.js';
import { baseOptionsFromConfig, checkBoolean, checkPositiveInt, LayerConfig, read, required } from '../config.js';
import { Layer, LayerOptions, Shape } from '../layer.js';
import { baseLayerOptions, layerOptionKeys } from '../option-keys.js';
import { checkImageShape } from '../reshaping/box2d.js';

/**
 * y = x · scale + offset, e.g. `scale: 1 / 255` for uint8 pixels in [0, 1].
 * @example new Rescaling(1 / 127.5, { offset: -1 }).apply(tensor([0, 255])); // [-1, 1]
 */
export class Rescaling extends Layer {
  readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(scale: number, options: LayerOptions & { offset?: number } = {}) {
    checkOptionKeys(options, layerOptionKeys('offset'), 'Rescaling');
    super(baseLayerOptions({ ...options }), 'Rescaling');
    const offset = options.offset ?? 0;
    for (const [key, v] of [['scale', scale], ['offset', offset]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${this.describe()}: expected a finite ${key}, received ${JSON.stringify(v)}`);
    }
    this.scale = scale;
    this.offset = offset;
  }

  /** Builds a Rescaling from its model.json config. */
  static fromConfig(config: LayerConfig): Rescaling {
    return new Rescaling(required('Rescaling', config, 'scale'), { offset: read(config, 'offset', 0), ...baseOptionsFromConfig('Rescaling', config) });
  }

  protected override checkInputShape(shape: Shape): void {
    void shape;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  call(x: Tensor): Tensor {
    return add(mul(x, this.scale), this.offset);
  }

  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, offset: this.offset, ...super.getConfig() };
  }
}

/** The centered crop of `x` to [h, w] (the image must be at least that large). */
function centerCrop(x: Tensor, h: number, w: number): Tensor {
  const top = Math.floor((x.shape[1] - h) / 2);
  const left = Math.floor((x.shape[2] - w) / 2);
  return slice(x, [0, top, left, 0], [-1, h, w, -1]);
}

/** Resizes to [h, w]; with `cropToAspectRatio` first crops the largest centered window of that aspect ratio (Keras's smart resize). */
function resizeImages(x: Tensor, h: number, w: number, interpolation: Interpolation, cropToAspectRatio: boolean): Tensor {
  let src = x;
  if (cropToAspectRatio) {
    const [, H, W] = x.shape;
    const cropH = Math.min(H, Math.floor((W * h) / w));
    const cropW = Math.min(W, Math.floor((H * w) / h));
    src = centerCrop(x, Math.max(cropH, 1), Math.max(cropW, 1));
  }
  return resize(src, [h, w], { interpolation });
}

/** Options of `Resizing`. */
export interface ResizingOptions extends LayerOptions {
  /** `'bilinear'` (default) or `'nearest'`, half-pixel centers as Keras 3. */
  interpolation?: Interpolation;
  /** Crop the largest centered window of the target aspect ratio before resizing (default false). */
  cropToAspectRatio?: boolean;
}

/**
 * Resizes NHWC images to `[height, width]` (Keras 3 / `tf.image.resize`).
 * @example new Resizing(32, 32).apply(zeros([1, 28, 28, 1])).shape; // [1, 32, 32, 1]
 */
export class Resizing extends Layer {
  readonly className = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;

  constructor(height: number, width: number, options: ResizingOptions = {}) {
    checkOptionKeys(options, layerOptionKeys('interpolation', 'cropToAspectRatio'), 'Resizing');
    super(baseLayerOptions({ ...options }), 'Resizing');
    this.height = checkPositiveInt(height, `${this.describe()} height`);
    this.width = checkPositiveInt(width, `${this.describe()} width`);
    const interpolation = options.interpolation ?? 'bilinear';
    if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
      throw new ValueError(`${this.describe()}: expected interpolation 'bilinear' or 'nearest', received ${JSON.stringify(interpolation)}`);
    }
    this.interpolation = interpolation;
    this.cropToAspectRatio = checkBoolean(options.cropToAspectRatio ?? false, `${this.describe()} cropToAspectRatio`);
  }

  /** Builds a Resizing from its model.json config. */
  static fromConfig(config: LayerConfig): Resizing {
    return new Resizing(required('Resizing', config, 'height'), required('Resizing', config, 'width'), {
      interpolation: read(config, 'interpolation', 'bilinear'),
      cropToAspectRatio: read(config, 'crop_to_aspect_ratio', false),
      ...baseOptionsFromConfig('Resizing', config),
    });
  }

  protected override checkInputShape(shape: Shape): void {
    checkImageShape(shape, this.describe());
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.height, this.width, inputShape[3]];
  }

  call(x: Tensor): Tensor {
    return resizeImages(x, this.height, this.width, this.interpolation, this.cropToAspectRatio);
  }

  override getConfig(): Record<string, unknown> {
    return { height: this.height, width: this.width, interpolation: this.interpolation, crop_to_aspect_ratio: this.cropToAspectRatio, ...super.getConfig() };
  }
}

/**
 * Crops the center `[height, width]` of NHWC images (offsets ⌊(H − h) / 2⌋, as Keras); an image smaller
 * than the target is first resized by Keras 3's rule (crop to the aspect ratio, then bilinear resize).
 * @example new CenterCrop(24, 24).apply(zeros([1, 28, 28, 1])).shape; // [1, 24, 24, 1]
 */
export class CenterCrop extends Layer {
  readonly className = 'CenterCrop';
  readonly height: number;
  readonly width: number;

  constructor(height: number, width: number, options: LayerOptions = {}) {
    checkOptionKeys(options, layerOptionKeys(), 'CenterCrop');
    super(baseLayerOptions({ ...options }), 'CenterCrop');
    this.height = checkPositiveInt(height, `${this.describe()} height`);
    this.width = checkPositiveInt(width, `${this.describe()} width`);
  }

  /** Builds a CenterCrop from its model.json config. */
  static fromConfig(config: LayerConfig): CenterCrop {
    return new CenterCrop(required('CenterCrop', config, 'height'), required('CenterCrop', config, 'width'), baseOptionsFromConfig('CenterCrop', config));
  }

  protected override checkInputShape(shape: Shape): void {
    checkImageShape(shape, this.describe());
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.height, this.width, inputShape[3]];
  }

  call(x: Tensor): Tensor {
    const fits = x.shape[1] >= this.height && x.shape[2] >= this.width;
    return fits ? centerCrop(x, this.height, this.width) : resizeImages(x, this.height, this.width, 'bilinear', true);
  }

  override getConfig(): Record<string, unknown> {
    return { height: this.height, width: this.width, ...super.getConfig() };
  }
}
