import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad } from '../autograd/backward.js';
import { noGrad } from '../autograd/record.js';
import { sum } from '../ops/index.js';
import type { Model } from '../models/model.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { checkInput, checkTarget, reaches, targetTensor } from './target.js';
import type { Target } from './target.js';
import { findLayer, withLayerHook } from './hook.js';

/** Options of `gradCam`. */
export interface GradCamOptions {
  /** The convolutional layer (output [batch, h, w, channels]) whose feature maps are weighted. */
  layerName: string;
  /** Class index of the first output, or a function of the outputs giving one value per sample. */
  target: Target;
}

/** Bilinear resize of one [h, w] map to [H, W] with half-pixel centres (tf.image.resize's default). */
export function resizeBilinear(src: Float64Array, h: number, w: number, outH: number, outW: number, out: Float32Array, offset: number): void {
  for (let i = 0; i < outH; i++) {
    const sy = Math.min(Math.max((i + 0.5) * (h / outH) - 0.5, 0), h - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, h - 1);
    const fy = sy - y0;
    for (let j = 0; j < outW; j++) {
      const sx = Math.min(Math.max((j + 0.5) * (w / outW) - 0.5, 0), w - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, w - 1);
      const fx = sx - x0;
      const top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
      const bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
      out[offset + i * outW + j] = top * (1 - fy) + bottom * fy;
    }
  }
}

/** The layer's output for x (one call of the layer is required, so the map is unambiguous). */
function featureMaps(model: Model, x: Tensor, layer: ReturnType<typeof findLayer>, name: string): Tensor {
  const seen: Tensor[] = [];
  withLayerHook(layer, (out) => { if (out instanceof Tensor) seen.push(out); else throw new ValueError(`gradCam: layer '${name}' has several outputs; choose a convolutional layer`); }, () => noGrad(() => model.forward([x], false)));
  if (seen.length !== 1) throw new ValueError(`gradCam: layer '${name}' ran ${seen.length} times in one forward pass; expected exactly once`);
  const a = seen[0];
  if (a.rank !== 4) throw new ValueError(`gradCam: layer '${name}' is not convolutional: expected an output [batch, height, width, channels], received ${formatShape(a.shape)}`);
  return a;
}

/**
 * Grad-CAM (Selvaraju et al. 2017): channel weights αₖ = mean over (h, w) of ∂y/∂Aₖ, map = ReLU(Σₖ αₖ Aₖ),
 * bilinearly upsampled to the input's height and width. Returns [batch, H, W] (not normalized).
 * The gradient with respect to A is taken by feeding A in as a leaf through a hook on the layer, so this
 * works for functional, Sequential and subclassed models alike.
 * @example const cam = explain.gradCam(model, images, { layerName: 'conv2d_1', target: 7 });
 */
export function gradCam(model: Model, x: Tensor, options: GradCamOptions): Tensor {
  checkOptionKeys(options, ['layerName', 'target'], 'gradCam');
  checkInput(x, 'gradCam');
  if (x.rank !== 4) throw new ShapeError(`gradCam: expected images x of shape [batch, height, width, channels], received ${formatShape(x.shape)}`);
  const target = checkTarget(options.target, 'gradCam');
  const layer = findLayer(model, options.layerName, 'gradCam');
  const a = featureMaps(model, x, layer, options.layerName);
  const [batch, h, w, c] = a.shape;
  const { grads } = valueAndGrad((leaf: Tensor) =>
    withLayerHook(layer, () => leaf, () => {
      const t = targetTensor(model.forward([x], false), target, batch, 'gradCam');
      if (!reaches(t, leaf)) throw new ValueError(`gradCam: the target does not depend on layer '${options.layerName}'`);
      return sum(t);
    }),
  )(a);
  const g = grads[0].data;
  const [, outH, outW] = x.shape;
  const out = new Float32Array(batch * outH * outW);
  const cam = new Float64Array(h * w);
  for (let n = 0; n < batch; n++) {
    const alpha = new Float64Array(c);
    for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) alpha[k] += g[(n * h * w + p) * c + k] / (h * w);
    for (let p = 0; p < h * w; p++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += alpha[k] * a.data[(n * h * w + p) * c + k];
      cam[p] = Math.max(s, 0);
    }
    resizeBilinear(cam, h, w, outH, outW, out, n * outH * outW);
  }
  return new Tensor(out, [batch, outH, outW]);
}
