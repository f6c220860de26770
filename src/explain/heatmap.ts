import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { checkOptionKeys } from '../util/options.js';
import { formatShape } from '../util/shape.js';
import { encodePng } from './png.js';
import { positiveInt } from './gradients.js';

/** Options of `saveHeatmap`. */
export interface HeatmapOptions {
  /** The input image [h, w, 1 | 3] (or with a batch of one) drawn in grey / colour under the map. */
  image?: Tensor;
  /** Opacity of the map over the image, in [0, 1]; default 0.5. */
  alpha?: number;
  /** Each map value drawn as scale × scale pixels (small maps are easier to see); default 1. */
  scale?: number;
}

/** Colour stops of the map, from low (dark blue) through green and yellow to high (red). */
const STOPS: [number, number, number][] = [[0, 0, 128], [0, 160, 255], [0, 200, 80], [255, 230, 0], [220, 20, 0]];

/** RGB of t in [0, 1] on the colour stops (linear between neighbours). */
export function heatColour(t: number): [number, number, number] {
  const u = Math.min(Math.max(t, 0), 1) * (STOPS.length - 1);
  const i = Math.min(Math.floor(u), STOPS.length - 2);
  const f = u - i;
  return [0, 1, 2].map((c) => STOPS[i][c] * (1 - f) + STOPS[i + 1][c] * f) as [number, number, number];
}

/** Values scaled to [0, 1] by their min and max (all 0 when constant). */
function normalized(data: Float32Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return Float64Array.from(data, (v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
}

/** Drops a leading batch axis of one. */
function unbatched(t: Tensor, rank: number): readonly number[] {
  return t.rank === rank + 1 && t.shape[0] === 1 ? t.shape.slice(1) : t.shape;
}

/** Nearest-neighbour enlargement of RGB pixels by an integer factor. */
function enlarged(rgb: Uint8Array, h: number, w: number, k: number): Uint8Array {
  const out = new Uint8Array(h * k * w * k * 3);
  for (let y = 0; y < h * k; y++) {
    for (let x = 0; x < w * k; x++) {
      const src = (Math.floor(y / k) * w + Math.floor(x / k)) * 3;
      out.set(rgb.subarray(src, src + 3), (y * w * k + x) * 3);
    }
  }
  return out;
}

/**
 * Writes a saliency or Grad-CAM map [h, w] (or [1, h, w]) as an RGB PNG, min–max scaled onto a blue → red
 * scale, blended over `image` when given. Returns the absolute path.
 * @example explain.saveHeatmap('cam.png', explain.gradCam(model, x, { layerName: 'conv', target: 3 }), { image: x });
 */
export function saveHeatmap(path: string, map: Tensor, options: HeatmapOptions = {}): string {
  checkOptionKeys(options, ['image', 'alpha', 'scale'], 'saveHeatmap');
  const scale = positiveInt(options.scale ?? 1, 'scale', 'saveHeatmap');
  if (!(map instanceof Tensor)) throw new ValueError(`saveHeatmap: expected map to be a Tensor, received ${typeof map}`);
  const shape = unbatched(map, 2);
  if (shape.length !== 2) throw new ShapeError(`saveHeatmap: expected a map of shape [height, width] or [1, height, width], received ${formatShape(map.shape)}`);
  const [h, w] = shape;
  const alpha = options.alpha ?? 0.5;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) throw new ValueError(`saveHeatmap: alpha must be in [0, 1], received ${String(alpha)}`);
  let image: Float64Array | null = null;
  let channels = 0;
  if (options.image !== undefined) {
    const s = options.image instanceof Tensor ? unbatched(options.image, 3) : [];
    if (s.length !== 3 || s[0] !== h || s[1] !== w || (s[2] !== 1 && s[2] !== 3)) {
      const got = options.image instanceof Tensor ? formatShape(options.image.shape) : typeof options.image;
      throw new ShapeError(`saveHeatmap: expected image of shape [${h}, ${w}, 1 or 3] like the map, received ${got}`);
    }
    image = normalized(options.image.data);
    channels = s[2];
  }
  const m = normalized(map.data);
  const rgb = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++) {
    const colour = heatColour(m[p]);
    for (let c = 0; c < 3; c++) {
      const under = image === null ? null : 255 * image[p * channels + (channels === 3 ? c : 0)];
      rgb[p * 3 + c] = Math.round(under === null ? colour[c] : alpha * colour[c] + (1 - alpha) * under);
    }
  }
  const full = resolve(path);
  const tmp = `${full}.tmp-${process.pid}`;
  writeFileSync(tmp, encodePng(w * scale, h * scale, scale === 1 ? rgb : enlarged(rgb, h, w, scale)));
  renameSync(tmp, full);
  return full;
}
